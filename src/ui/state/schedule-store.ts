import { getSetting, setSetting } from './settings-store';
import { NO_RUNS, type SourceRuns, type SourceSchedule } from './schedule-logic';

/**
 * The schedule settings and run records, kept in the settings store:
 * - 'schedules': source folder name → its schedule (folders not listed are not scheduled);
 * - 'schedule-runs': source folder name → the last completed backup and the last attempt, as
 *   this browser saw them (any repository: with drives in rotation, what matters is the newest
 *   copy anywhere). Times are ms since the epoch.
 */
export type Schedules = Readonly<Record<string, SourceSchedule>>;
export type RunRecords = Readonly<Record<string, SourceRuns>>;

export const loadSchedules = async (): Promise<Schedules> => (await getSetting<Schedules>('schedules')) ?? {};
export const saveSchedules = (s: Schedules): Promise<void> => setSetting('schedules', s);
export const loadRuns = async (): Promise<RunRecords> => (await getSetting<RunRecords>('schedule-runs')) ?? {};
export const saveRuns = (r: RunRecords): Promise<void> => setSetting('schedule-runs', r);

/** Records an attempt's end for `names` at `at`: completed (true) or failed. */
export function recordRun(runs: RunRecords, names: readonly string[], at: number, ok: boolean): RunRecords {
  const next: Record<string, SourceRuns> = { ...runs };
  for (const n of names) {
    const prev = runs[n] ?? NO_RUNS;
    next[n] = ok
      ? { lastCompleted: at, lastAttempt: at, lastAttemptFailed: false }
      : { lastCompleted: prev.lastCompleted, lastAttempt: at, lastAttemptFailed: true };
  }
  return next;
}

/** The later of two completion times (null-safe). */
export function later(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
