/**
 * The pure schedule logic with an injected clock: on-time runs, missed runs collapsed into one
 * catch-up, a laptop that slept, failures retried without hammering, DST, RPO levels; and the
 * health helpers (last backup per source, forecast).
 */
import { describe, expect, it } from 'vitest';
import {
  defaultRpoHours,
  dueSources,
  INTERVAL_MS,
  isDue,
  isOverdue,
  missedRuns,
  nextRun,
  NO_RUNS,
  retryAfterMs,
  rpoStatus,
  type SourceRuns,
  type SourceSchedule,
} from '../../../src/ui/state/schedule-logic';
import { addedSeries, forecastFull, lastBackupOf, scaledTo, sizeSeries } from '../../../src/ui/state/health-logic';
import type { SnapshotInfo } from '../../../src/worker/protocol';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);
const daily: SourceSchedule = { interval: 'daily', rpoHours: 48 };
const hourly: SourceSchedule = { interval: 'hourly', rpoHours: 2 };
const done = (at: number): SourceRuns => ({ lastCompleted: at, lastAttempt: at, lastAttemptFailed: false });

describe('schedule logic', () => {
  it('runs a never backed-up source at once, and nothing unscheduled', () => {
    expect(isDue(daily, NO_RUNS, T0)).toBe(true);
    expect(nextRun({ interval: null, rpoHours: 24 }, NO_RUNS)).toBeNull();
    expect(isDue({ interval: null, rpoHours: 24 }, NO_RUNS, T0)).toBe(false);
  });

  it('is due one interval after the last completed run, not before', () => {
    const runs = done(T0);
    expect(nextRun(hourly, runs)).toBe(T0 + H);
    expect(isDue(hourly, runs, T0 + H - 1)).toBe(false);
    expect(isDue(hourly, runs, T0 + H)).toBe(true);
  });

  it('collapses missed runs into one catch-up and continues from its completion', () => {
    // The app was closed for 3.5 days: three daily runs missed.
    const now = T0 + 3.5 * 24 * H;
    const runs = done(T0);
    expect(missedRuns(daily, runs, now)).toBe(3);
    expect(isDue(daily, runs, now)).toBe(true);
    expect(isOverdue(daily, runs, now)).toBe(true);
    // One catch-up backup completes 10 minutes later: nothing else is due until a day after it.
    const after = done(now + 10 * 60_000);
    expect(isDue(daily, after, now + 11 * 60_000)).toBe(false);
    expect(nextRun(daily, after)).toBe(now + 10 * 60_000 + 24 * H);
    expect(isOverdue(daily, after, now + 11 * 60_000)).toBe(false);
  });

  it('measures from the last completed run, so a laptop that slept catches up on waking', () => {
    // A run started at 12:00 but the laptop slept until 19:00; it completed at 19:02.
    const runs: SourceRuns = { lastCompleted: T0 + 10 * H + 2 * 60_000, lastAttempt: T0 + 3 * H, lastAttemptFailed: false };
    expect(nextRun({ interval: 'every-4-hours', rpoHours: 8 }, runs)).toBe(T0 + 14 * H + 2 * 60_000);
    // Woken after a night's sleep: due once, now.
    const woke = T0 + 24 * H;
    expect(isDue({ interval: 'every-4-hours', rpoHours: 8 }, runs, woke)).toBe(true);
    expect(dueSources(new Map([['Photos', hourly], ['Docs', { interval: 'weekly', rpoHours: 336 }]]), new Map([['Photos', runs], ['Docs', runs]]), woke)).toEqual(['Photos']);
  });

  it('waits before retrying a failed attempt (a missing drive is not hammered)', () => {
    const failed: SourceRuns = { lastCompleted: T0, lastAttempt: T0 + 25 * H, lastAttemptFailed: true };
    const wait = retryAfterMs(INTERVAL_MS.daily);
    expect(wait).toBe(30 * 60_000);
    expect(isDue(daily, failed, T0 + 25 * H + wait - 1)).toBe(false);
    expect(isDue(daily, failed, T0 + 25 * H + wait)).toBe(true);
    expect(retryAfterMs(INTERVAL_MS.hourly)).toBe(6 * 60_000);
    // A failure never pushes the first backup of a new source past the retry wait.
    expect(nextRun(hourly, { lastCompleted: null, lastAttempt: T0, lastAttemptFailed: true })).toBe(T0 + 6 * 60_000);
  });

  it('is unaffected by daylight-saving changes: intervals are elapsed UTC time', () => {
    const old = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Berlin';
      // 2026-03-29 02:00 local does not exist in Berlin (clocks jump to 03:00).
      const before = Date.UTC(2026, 2, 28, 23, 30); // 00:30 local, CET
      const next = nextRun(daily, done(before));
      expect(next).toBe(before + 24 * H);
      // 24 real hours later the wall clock shows 01:30 CEST: still exactly one run, not two or none.
      expect(new Date(next!).getHours()).toBe(1);
      expect(dueSources(new Map([['a', hourly]]), new Map([['a', done(Date.UTC(2026, 9, 25, 0, 30))]]), Date.UTC(2026, 9, 25, 1, 30))).toEqual(['a']);
      // Autumn: 02:00–03:00 happens twice; an hourly schedule still runs once per elapsed hour.
      const autumn = Date.UTC(2026, 9, 25, 0, 15); // 02:15 CEST
      expect(isDue(hourly, done(autumn), autumn + 59 * 60_000)).toBe(false);
      expect(isDue(hourly, done(autumn), autumn + H)).toBe(true);
    } finally {
      if (old === undefined) delete process.env.TZ;
      else process.env.TZ = old;
    }
  });

  it('rates the RPO green, amber, red with words', () => {
    expect(rpoStatus(24, T0, T0 + 17 * H)).toMatchObject({ level: 'green', words: 'Safe' });
    expect(rpoStatus(24, T0, T0 + 20 * H)).toMatchObject({ level: 'amber', words: 'Back up soon' });
    expect(rpoStatus(24, T0, T0 + 25 * H).level).toBe('red');
    expect(rpoStatus(24, null, T0)).toMatchObject({ level: 'red', ageMs: null });
    expect(defaultRpoHours('every-4-hours')).toBe(8);
    expect(isOverdue({ interval: null, rpoHours: 1 }, done(0), T0)).toBe(false);
  });
});

function snap(time: number, paths: string[], storedBytes: number, addedBytes = storedBytes): SnapshotInfo {
  return {
    id: String(time),
    shortId: String(time).slice(0, 8),
    time: new Date(time).toISOString(),
    paths,
    hostname: 'h',
    tags: [],
    stats: { files: 1, dirs: 0, bytes: 1, newFiles: 0, changedFiles: 0, unchangedFiles: 0, addedBytes, storedBytes, errors: 0, durationMs: 60_000 },
  };
}

describe('health helpers', () => {
  const snaps = [snap(T0, ['Photos', 'Docs'], 1000), snap(T0 + 24 * H, ['Docs'], 500), snap(T0 + 48 * H, ['Photos'], 500)];

  it('finds the last completed backup per source', () => {
    expect(lastBackupOf(snaps, 'Docs')).toBe(T0 + 24 * H + 60_000);
    expect(lastBackupOf(snaps, 'Photos')).toBe(T0 + 48 * H + 60_000);
    expect(lastBackupOf(snaps, 'Music')).toBeNull();
  });

  it('builds the size and added series and scales to the measured size', () => {
    expect(sizeSeries(snaps).map((p) => p.bytes)).toEqual([1000, 1500, 2000]);
    expect(addedSeries([...snaps].reverse()).map((p) => p.t)).toEqual([T0, T0 + 24 * H, T0 + 48 * H]);
    expect(scaledTo(sizeSeries(snaps), 1800).map((p) => p.bytes)).toEqual([800, 1300, 1800]);
  });

  it('forecasts when the storage fills, honestly', () => {
    const series = sizeSeries(snaps); // +500 bytes a day
    expect(forecastFull(series.slice(0, 2), 10_000, T0)).toEqual({ kind: 'not-enough-history' });
    expect(forecastFull(series, undefined, T0)).toEqual({ kind: 'unknown-free-space' });
    const f = forecastFull(series, 5000, T0 + 48 * H);
    expect(f.kind).toBe('full-at');
    if (f.kind === 'full-at') expect(f.at).toBeCloseTo(T0 + 48 * H + 10 * 24 * H, -3);
    expect(forecastFull(series, 1e9, T0).kind).toBe('more-than-a-year');
    expect(forecastFull(series.map((p) => ({ ...p, bytes: 5 })), 1e9, T0).kind).toBe('not-growing');
  });
});
