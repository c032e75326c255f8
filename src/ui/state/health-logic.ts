/**
 * The numbers of the home screen, pure (the caller passes `now`): when each source was last
 * backed up, the series for the charts, and when the storage fills at the current rate.
 */
import type { SnapshotInfo } from '../../worker/protocol';

/** A point of a chart: a time (ms) and a number of bytes. */
export interface Point {
  readonly t: number;
  readonly bytes: number;
}

/** When a snapshot's backup completed: its start time plus its duration (when recorded). */
export function completedAt(s: SnapshotInfo): number {
  return Date.parse(s.time) + (s.stats?.durationMs ?? 0);
}

/** The newest completed backup holding the source folder `name`, or null. */
export function lastBackupOf(snapshots: readonly SnapshotInfo[], name: string): number | null {
  let best: number | null = null;
  for (const s of snapshots) {
    if (!s.paths.includes(name)) continue;
    const t = completedAt(s);
    if (Number.isFinite(t) && (best === null || t > best)) best = t;
  }
  return best;
}

/** Oldest first. */
function byTime(snapshots: readonly SnapshotInfo[]): SnapshotInfo[] {
  return [...snapshots].filter((s) => Number.isFinite(Date.parse(s.time))).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/**
 * The repository's size after each backup, oldest first: the stored bytes every backup added,
 * summed. It is what the backups wrote; space freed by a prune is not subtracted, so scale the
 * series to the measured size with `scaledTo` when that is known.
 */
export function sizeSeries(snapshots: readonly SnapshotInfo[]): Point[] {
  let total = 0;
  return byTime(snapshots).map((s) => ({ t: Date.parse(s.time), bytes: (total += s.stats?.storedBytes ?? 0) }));
}

/** Bytes new to the repository per backup (plaintext of first-stored data), oldest first. */
export function addedSeries(snapshots: readonly SnapshotInfo[]): Point[] {
  return byTime(snapshots).map((s) => ({ t: Date.parse(s.time), bytes: s.stats?.addedBytes ?? 0 }));
}

/** Shifts a size series so its last point equals the measured size (a prune freed the rest). */
export function scaledTo(series: readonly Point[], measured: number): Point[] {
  const last = series[series.length - 1];
  if (!last) return [];
  const shift = measured - last.bytes;
  return series.map((p) => ({ t: p.t, bytes: Math.max(0, p.bytes + shift) }));
}

export type Forecast =
  | { readonly kind: 'not-enough-history' }
  | { readonly kind: 'unknown-free-space' }
  | { readonly kind: 'not-growing' }
  | { readonly kind: 'more-than-a-year'; readonly bytesPerDay: number }
  | { readonly kind: 'full-at'; readonly at: number; readonly bytesPerDay: number };

const DAY = 86_400_000;
/** Fit over the backups of the last 90 days (at most the last 60 of them). */
const WINDOW_MS = 90 * DAY;
const MAX_POINTS = 60;

/**
 * When the storage fills at the current rate: a least-squares line through the recent size
 * series. Needs at least 3 backups spread over at least a day ('not-enough-history' otherwise);
 * 'unknown-free-space' when the free space cannot be known (a drive, from a web app).
 */
export function forecastFull(series: readonly Point[], available: number | undefined, now: number): Forecast {
  const last = series[series.length - 1];
  const recent = series.filter((p) => last && p.t >= last.t - WINDOW_MS).slice(-MAX_POINTS);
  const first = recent[0];
  if (!first || !last || recent.length < 3 || last.t - first.t < DAY) return { kind: 'not-enough-history' };
  if (available === undefined) return { kind: 'unknown-free-space' };
  const n = recent.length;
  const mt = recent.reduce((a, p) => a + p.t, 0) / n;
  const mb = recent.reduce((a, p) => a + p.bytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of recent) {
    num += (p.t - mt) * (p.bytes - mb);
    den += (p.t - mt) ** 2;
  }
  const slope = den === 0 ? 0 : num / den; // bytes per ms
  if (slope <= 0) return { kind: 'not-growing' };
  const bytesPerDay = slope * DAY;
  const at = now + available / slope;
  if (at - now > 365 * DAY) return { kind: 'more-than-a-year', bytesPerDay };
  return { kind: 'full-at', at, bytesPerDay };
}
