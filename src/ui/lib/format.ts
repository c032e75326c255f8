/** Plain-English formatting of sizes, durations and times for the UI. */

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** 0 bytes, 1 byte, 999 bytes, 1.2 KB, 34 MB, 5.6 GB (decimal units, like file managers). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n === 1) return '1 byte';
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${n} bytes`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** "1 file", "3 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** "less than a second", "12 seconds", "3 minutes 5 seconds", "1 hour 4 minutes". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return 'less than a second';
  if (s < 60) return plural(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${plural(m, 'minute')} ${plural(s % 60, 'second')}` : plural(m, 'minute');
  const h = Math.floor(m / 60);
  return m % 60 ? `${plural(h, 'hour')} ${plural(m % 60, 'minute')}` : plural(h, 'hour');
}

/** A rough time left: "about 5 seconds", "about 3 minutes", "about 2 hours". */
export function formatRemaining(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `about ${plural(s, 'second')} left`;
  const m = Math.round(s / 60);
  if (m < 90) return `about ${plural(m, 'minute')} left`;
  return `about ${plural(Math.round(m / 60), 'hour')} left`;
}

/** "just now", "5 minutes ago", "yesterday at 14:05", or a date, relative to `now`. */
export function formatWhen(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  const diff = now - t;
  if (diff < 60_000) return 'just now';
  if (diff < 3_600_000) return `${plural(Math.floor(diff / 60_000), 'minute')} ago`;
  const date = new Date(t);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return `today at ${time}`;
  const yesterday = new Date(now - 86_400_000);
  if (date.toDateString() === yesterday.toDateString()) return `yesterday at ${time}`;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
