import { describe, expect, it } from 'vitest';
import { applyRetention, RETENTION_PRESETS, type RetentionPolicy } from '../../../../src/core/operations/retention';
import type { SnapshotRef } from '../../../../src/core/model/snapshot';

let n = 0;
function snap(time: string, opts: { paths?: string[]; tags?: string[]; host?: string } = {}): SnapshotRef {
  const id = (++n).toString(16).padStart(64, '0');
  return { id, snapshot: { version: 1, time: new Date(time).toISOString(), tree: id, paths: opts.paths ?? ['home'], hostname: opts.host ?? 'h', tags: opts.tags ?? [] } };
}
const kept = (all: SnapshotRef[], p: RetentionPolicy, now = Date.parse('2026-12-31T00:00:00Z')) =>
  applyRetention(all, p, now).filter((d) => d.keep).map((d) => d.snapshot.snapshot.time.slice(0, 16));

describe('retention policies', () => {
  it('keeps the last N', () => {
    const all = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'].map((d) => snap(d + 'T10:00:00Z'));
    expect(kept(all, { last: 2 })).toEqual(['2026-01-03T10:00', '2026-01-04T10:00']);
  });

  it('daily keeps the newest of each day, skipping days without backups', () => {
    const all = [snap('2026-03-01T08:00:00Z'), snap('2026-03-01T20:00:00Z'), snap('2026-03-05T09:00:00Z'), snap('2026-03-09T09:00:00Z')];
    expect(kept(all, { daily: 2 })).toEqual(['2026-03-05T09:00', '2026-03-09T09:00']);
    expect(kept(all, { daily: 3 })).toEqual(['2026-03-01T20:00', '2026-03-05T09:00', '2026-03-09T09:00']);
  });

  it('days are local days in the chosen time zone, across a DST change', () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC).
    const all = [snap('2026-10-24T22:30:00Z'), snap('2026-10-25T21:30:00Z'), snap('2026-10-25T23:30:00Z')];
    // Berlin local times: 25 Oct 00:30, 25 Oct 22:30, 26 Oct 00:30 → three snapshots, two local days + one
    expect(kept(all, { daily: 10, timeZone: 'Europe/Berlin' })).toEqual(['2026-10-25T21:30', '2026-10-25T23:30']);
    // in UTC they fall on 24, 25, 25
    expect(kept(all, { daily: 10 })).toEqual(['2026-10-24T22:30', '2026-10-25T23:30']);
  });

  it('hourly counts the repeated hour at the end of summer time as two hours', () => {
    const all = [snap('2026-10-25T00:10:00Z'), snap('2026-10-25T01:10:00Z')]; // both 02:10 local in Berlin
    expect(kept(all, { hourly: 5, timeZone: 'Europe/Berlin' })).toHaveLength(1);
    expect(kept(all, { hourly: 5 })).toHaveLength(2);
  });

  it('weekly uses ISO weeks across the year boundary', () => {
    const all = [snap('2026-12-28T12:00:00Z'), snap('2027-01-02T12:00:00Z'), snap('2027-01-04T12:00:00Z')];
    // 2026-12-28 and 2027-01-02 are both in 2026-W53
    expect(kept(all, { weekly: 5 }, Date.parse('2027-02-01'))).toEqual(['2027-01-02T12:00', '2027-01-04T12:00']);
  });

  it('pinned snapshots and those within a duration are kept', () => {
    const all = [snap('2025-01-01T00:00:00Z', { tags: ['pinned'] }), snap('2026-12-20T00:00:00Z'), snap('2026-12-30T00:00:00Z')];
    const d = applyRetention(all, { withinMs: 3 * 86400000 }, Date.parse('2026-12-31T00:00:00Z'));
    expect(d.map((x) => x.keep)).toEqual([true, false, true]);
    expect(d[0]!.reasons).toContain('tag pinned');
  });

  it('applies the policy per source folder set, so one folder never pushes out another', () => {
    const all = [snap('2026-01-01T00:00:00Z', { paths: ['docs'] }), snap('2026-01-02T00:00:00Z', { paths: ['photos'] }), snap('2026-01-03T00:00:00Z', { paths: ['photos'] })];
    expect(kept(all, { last: 1 })).toEqual(['2026-01-01T00:00', '2026-01-03T00:00']);
  });

  it('refuses a policy that would remove everything, and bad input', () => {
    expect(() => applyRetention([], {}, 0)).toThrow(/keeps nothing/);
    expect(() => applyRetention([], { last: -1 }, 0)).toThrow(/whole numbers/);
    expect(() => applyRetention([], { last: 1, timeZone: 'Mars/Olympus' }, 0)).toThrow(/time zone/);
  });

  it('the Time Machine preset keeps hourly, then daily, then weekly', () => {
    const all: SnapshotRef[] = [];
    for (let h = 0; h < 24 * 60; h += 1) all.push(snap(new Date(Date.UTC(2026, 10, 1) + h * 3600000).toISOString()));
    const now = Date.UTC(2026, 11, 31);
    const decisions = applyRetention(all, RETENTION_PRESETS['time-machine']!, now);
    const keptCount = decisions.filter((d) => d.keep).length;
    expect(keptCount).toBeGreaterThanOrEqual(24 + 30 - 1);
    expect(keptCount).toBeLessThanOrEqual(24 + 30 + 10);
  });
});
