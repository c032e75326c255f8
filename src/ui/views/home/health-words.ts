import { formatBytes } from '../../lib/format';
import type { Forecast } from '../../state/health-logic';
import { INTERVAL_LABEL, type SourceSchedule } from '../../state/schedule-logic';

/** Plain words for the home screen's numbers. */

/** "3 hours", "2 days": a rough age. */
export function age(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return 'less than a minute';
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}`;
  const d = Math.round(h / 24);
  return `${d} days`;
}

export function scheduleWords(s: SourceSchedule, next: number | null, now: number): string {
  if (!s.interval) return 'Not scheduled: backed up only when you click “Back up now”.';
  const label = INTERVAL_LABEL[s.interval];
  if (next === null) return label;
  if (next <= now) return `${label} · due now`;
  if (next - now < 60_000) return `${label} · next in a moment`;
  return `${label} · next ${new Date(next).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`;
}

export function forecastWords(f: Forecast): string {
  switch (f.kind) {
    case 'not-enough-history':
      return 'Not enough history yet to tell when the space runs out (it takes at least 3 backups over a day).';
    case 'unknown-free-space':
      return 'A web app cannot read how much space is free on a drive, so Cairn cannot tell when it fills. Check it in your file manager now and then.';
    case 'not-growing':
      return 'The backups are not growing at the moment: the space will last.';
    case 'more-than-a-year':
      return `At the current rate (about ${formatBytes(f.bytesPerDay)} a day) the space lasts more than a year.`;
    case 'full-at':
      return `At the current rate (about ${formatBytes(f.bytesPerDay)} a day) the space runs out around ${new Date(f.at).toLocaleDateString(undefined, { dateStyle: 'medium' })}.`;
  }
}
