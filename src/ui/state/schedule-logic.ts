/**
 * When scheduled backups are due, pure: every function takes `now` (ms since the epoch) from the
 * caller, so tests inject the clock and the app passes `Date.now()`.
 *
 * Contract:
 * - Intervals are elapsed time in UTC milliseconds. "Every day" means 24 hours after the last
 *   completed backup, so a daylight-saving change never skips or doubles a run.
 * - The next run is measured from the last COMPLETED backup of the source (not from the planned
 *   slot): a laptop that slept through three runs does one catch-up backup when it wakes, and the
 *   schedule continues from that backup.
 * - A source never backed up is due at once.
 * - After a failed attempt the next try waits `retryAfterMs(interval)` (a tenth of the interval,
 *   at least 5 and at most 30 minutes), so a missing drive is not hammered every tick.
 * - The recovery point objective (RPO) is the most time's work the user accepts to lose. The
 *   status is 'green' while the newest backup is younger than 3/4 of it, 'amber' until the RPO,
 *   'red' beyond it or when there is no backup.
 */

export type ScheduleInterval = 'hourly' | 'every-4-hours' | 'daily' | 'weekly';

const HOUR = 3_600_000;

export const INTERVAL_MS: Readonly<Record<ScheduleInterval, number>> = {
  hourly: HOUR,
  'every-4-hours': 4 * HOUR,
  daily: 24 * HOUR,
  weekly: 7 * 24 * HOUR,
};

export const INTERVAL_LABEL: Readonly<Record<ScheduleInterval, string>> = {
  hourly: 'Every hour',
  'every-4-hours': 'Every 4 hours',
  daily: 'Every day',
  weekly: 'Every week',
};

/** A source's schedule: `interval` null means "only when I click Back up now". */
export interface SourceSchedule {
  readonly interval: ScheduleInterval | null;
  /** Hours of work the user accepts to lose at most (≥ 1). */
  readonly rpoHours: number;
}

/** What is known about a source's backups (ms since the epoch, or null). */
export interface SourceRuns {
  readonly lastCompleted: number | null;
  readonly lastAttempt: number | null;
  readonly lastAttemptFailed: boolean;
}

export const NO_RUNS: SourceRuns = { lastCompleted: null, lastAttempt: null, lastAttemptFailed: false };

/** The RPO a new schedule suggests: twice the interval (a missed run is tolerated once). */
export function defaultRpoHours(interval: ScheduleInterval | null): number {
  return interval ? (2 * INTERVAL_MS[interval]) / HOUR : 48;
}

export function retryAfterMs(intervalMs: number): number {
  return Math.min(30 * 60_000, Math.max(5 * 60_000, intervalMs / 10));
}

/**
 * When the next backup should start: null when not scheduled; `now` or earlier means due now
 * (missed slots collapse into this one run).
 */
export function nextRun(schedule: SourceSchedule, runs: SourceRuns): number | null {
  if (!schedule.interval) return null;
  const interval = INTERVAL_MS[schedule.interval];
  const byCompletion = runs.lastCompleted === null ? Number.NEGATIVE_INFINITY : runs.lastCompleted + interval;
  const failedAfterCompletion = runs.lastAttemptFailed && runs.lastAttempt !== null && (runs.lastCompleted === null || runs.lastAttempt >= runs.lastCompleted);
  const byRetry = failedAfterCompletion ? (runs.lastAttempt as number) + retryAfterMs(interval) : Number.NEGATIVE_INFINITY;
  const next = Math.max(byCompletion, byRetry);
  return Number.isFinite(next) ? next : 0;
}

/** True when a scheduled backup should start now. */
export function isDue(schedule: SourceSchedule, runs: SourceRuns, now: number): boolean {
  const next = nextRun(schedule, runs);
  return next !== null && next <= now;
}

/**
 * How many scheduled runs were missed since the last completed backup (0 when on time). They are
 * never run one by one: one catch-up backup covers them all.
 */
export function missedRuns(schedule: SourceSchedule, runs: SourceRuns, now: number): number {
  if (!schedule.interval || runs.lastCompleted === null) return 0;
  return Math.max(0, Math.floor((now - runs.lastCompleted) / INTERVAL_MS[schedule.interval]));
}

/**
 * Overdue: a scheduled source whose last completed backup is older than its interval plus a grace
 * of a quarter interval (at least a minute for the catch-up run to start and finish), or that was
 * never backed up. Unscheduled sources are never overdue (their RPO status still turns red).
 */
export function isOverdue(schedule: SourceSchedule, runs: SourceRuns, now: number): boolean {
  if (!schedule.interval) return false;
  if (runs.lastCompleted === null) return true;
  const interval = INTERVAL_MS[schedule.interval];
  return now - runs.lastCompleted > interval + Math.max(60_000, interval / 4);
}

export type RpoLevel = 'green' | 'amber' | 'red';

export interface RpoStatus {
  readonly level: RpoLevel;
  /** Age of the newest backup in ms, or null when there is none. */
  readonly ageMs: number | null;
  /** Plain words, never colour alone: "Safe", "Back up soon", "At risk". */
  readonly words: string;
}

export function rpoStatus(rpoHours: number, lastCompleted: number | null, now: number): RpoStatus {
  if (lastCompleted === null) return { level: 'red', ageMs: null, words: 'At risk: never backed up' };
  const age = Math.max(0, now - lastCompleted);
  const rpo = Math.max(1, rpoHours) * HOUR;
  if (age <= rpo * 0.75) return { level: 'green', ageMs: age, words: 'Safe' };
  if (age <= rpo) return { level: 'amber', ageMs: age, words: 'Back up soon' };
  return { level: 'red', ageMs: age, words: 'At risk: older than you can afford to lose' };
}

/** The scheduled sources due now, in the given order (one backup runs them together). */
export function dueSources<K extends string>(
  schedules: ReadonlyMap<K, SourceSchedule>,
  runs: ReadonlyMap<K, SourceRuns>,
  now: number,
): K[] {
  return [...schedules].filter(([k, s]) => isDue(s, runs.get(k) ?? NO_RUNS, now)).map(([k]) => k);
}
