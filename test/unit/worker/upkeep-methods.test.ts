/**
 * The worker's upkeep methods over a real engine in memory: the keep preview (snapshots and lost
 * versions) and its application (refused when the plan changed), pinning, diff, reading a
 * version's bytes, restore drills and scrubs recorded per repository, and the UI's line diff
 * and presets matching the engine's.
 */
import { describe, expect, it } from 'vitest';
import { backup, RETENTION_PRESETS, type Repository } from '../../../src/core';
import { lineDiff } from '../../../src/ui/lib/line-diff';
import type { RepositorySession } from '../../../src/worker/open-repositories';
import { KEEP_PRESETS } from '../../../src/worker/protocol';
import { UpkeepMethods } from '../../../src/worker/upkeep-methods';
import { memoryRecords } from '../../../src/worker/upkeep-records';
import { newRepo } from '../../support/engine';
import { memorySource, MemoryTarget } from '../../support/memory-tree';

const HOUR = 3_600_000;

async function world() {
  const { repo, host } = await newRepo();
  const clock = host as unknown as { now(): number };
  const start = clock.now();
  await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'one', 'b.txt': 'same' }) }]);
  await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'two 2', 'b.txt': 'same' }) }]);
  await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'three 3 3', 'b.txt': 'same', 'c.txt': 'new' }) }]);
  const session = { info: { session: 's', id: repo.config.id }, repo } as unknown as RepositorySession;
  let now = start + 2 * HOUR;
  let removed = 0;
  const methods = new UpkeepMethods({
    session: (id) => {
      if (id !== 's') throw new Error('no such session');
      return session;
    },
    job: (_id, _kind, _s, _onProgress, work) => work(new AbortController().signal, () => undefined),
    now: () => now,
    records: memoryRecords(),
    scratch: async () => ({ dir: new MemoryTarget(), remove: async () => void removed++ }),
  });
  const ok = <T,>(o: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!o.ok) throw new Error(o.error.message);
    return o.value;
  };
  return { repo: repo as Repository, methods, ok, setNow: (t: number) => (now = t), removedScratch: () => removed };
}

describe('upkeep methods', () => {
  it('previews exactly the snapshots and file versions a policy removes, and applies only that', async () => {
    const { repo, methods, ok } = await world();
    const preview = ok(await methods.previewKeep('s', { policy: { last: 1 }, graceMs: 0 }));
    expect(preview.remove).toHaveLength(2);
    expect(preview.lostVersions.map((l) => l.path).sort()).toEqual(['home/a.txt', 'home/a.txt']);
    expect(preview.lostTotal).toBe(2);
    const stale = await methods.applyKeep('j', 's', { policy: { last: 1 }, graceMs: 0 }, preview.remove.slice(0, 1));
    expect(stale.ok).toBe(false);
    expect((await repo.listSnapshots()).length).toBe(3);
    const done = ok(await methods.applyKeep('j', 's', { policy: { last: 1 }, graceMs: 0 }, preview.remove));
    expect(done.removed).toEqual(preview.remove);
    expect(done.prune.bytesFreed).toBeGreaterThanOrEqual(0);
    expect((await repo.listSnapshots()).length).toBe(1);
  });

  it('keeps a pinned snapshot, and refuses a policy that keeps nothing', async () => {
    const { repo, methods, ok } = await world();
    const [oldest] = await repo.listSnapshots();
    const pinned = ok(await methods.setPinned('s', oldest!.id, true));
    expect(pinned.tags).toEqual(['pinned']);
    const preview = ok(await methods.previewKeep('s', { policy: { last: 1 }, graceMs: 0 }));
    expect(preview.remove).toHaveLength(1);
    expect(preview.remove).not.toContain(pinned.id);
    expect((await methods.previewKeep('s', { policy: {} })).ok).toBe(false);
  });

  it('diffs two snapshots and reads a version, refusing one above the limit', async () => {
    const { repo, methods, ok } = await world();
    const [first, , last] = await repo.listSnapshots();
    const d = ok(await methods.diff('s', first!.id, last!.id, ''));
    expect(d.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['changed home/a.txt', 'added home/c.txt']);
    const bytes = ok(await methods.readFile('s', first!.id, 'home/a.txt', 1024));
    expect(new TextDecoder().decode(bytes.bytes!)).toBe('one');
    expect(ok(await methods.readFile('s', first!.id, 'home/a.txt', 2)).bytes).toBeNull();
  });

  it('records restore drills and scrubs per repository, with due and overdue', async () => {
    const { methods, ok, setNow, removedScratch } = await world();
    const before = ok(await methods.lastDrill('s'));
    expect(before.last).toBeNull();
    expect(before.due).toBe(true);
    const after = ok(await methods.drill('j', 's'));
    expect(after.last?.ok).toBe(true);
    expect(after.last?.files).toBeGreaterThan(0);
    expect(after.due).toBe(false);
    expect(removedScratch()).toBe(1);
    setNow(after.last!.time + 9 * 24 * HOUR);
    expect(ok(await methods.lastDrill('s')).overdue).toBe(true);

    expect(ok(await methods.scrubStatus('s')).lastRun).toBeNull();
    const run = ok(await methods.scrub('j', 's'));
    expect(run.status.coverage).toBeGreaterThan(0);
    expect(run.status.damagedPacks).toEqual([]);
    expect(ok(await methods.scrubStatus('s')).lastRun).not.toBeNull();
  });
});

describe('UI helpers', () => {
  it('keeps the same presets as the engine', () => {
    for (const [name, policy] of Object.entries(KEEP_PRESETS)) expect(policy).toEqual(RETENTION_PRESETS[name]);
  });

  it('diffs lines side by side', () => {
    const rows = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n')!;
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same', 'added']);
    expect(rows[1]).toEqual({ kind: 'changed', left: { n: 2, text: 'b' }, right: { n: 2, text: 'B' } });
    expect(lineDiff('', 'x')!.map((r) => r.kind)).toEqual(['added']);
  });
});
