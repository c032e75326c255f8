import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backup, check, CairnError, forget, listLocks, planRetention, prune, removeLocks, repairIndex, Repository, restore, setSnapshotTags, STALE_MS } from '../../src/core';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../support/memory-tree';
import { newRepo, PASSPHRASE, testHost } from '../support/engine';

function digest(tree: LiteralTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string' || v instanceof Uint8Array) out[k] = createHash('sha256').update(typeof v === 'string' ? Buffer.from(v) : v).digest('hex');
    else out[k] = digest(v as LiteralTree);
  }
  return out;
}

async function restored(repo: Repository, tree: string) {
  const t = new MemoryTarget();
  const r = await restore(repo, tree, t);
  expect(r.counts.failed).toBe(0);
  return digest(t.toLiteral());
}

/** Every stored file as name → sha256 (fast to compare). Locks are left out: they come and go. */
const fingerprint = (mem: MemoryBackend) =>
  Object.fromEntries([...mem.files()].filter(([k]) => !k.startsWith('locks/')).map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]));

const sizeOf = (mem: MemoryBackend, prefix: string) => [...mem.files()].filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v.length, 0);

async function threeSnapshots() {
  const { repo, backend, host } = await newRepo();
  const mem = backend as MemoryBackend;
  const a = seededBytes(700 * 1024, 1);
  const trees: LiteralTree[] = [
    { 'a.bin': a, 'b.bin': seededBytes(900 * 1024, 2) },
    { 'a.bin': a, 'c.bin': seededBytes(800 * 1024, 3) },
    { 'a.bin': a, 'c.bin': seededBytes(800 * 1024, 3), 'd.txt': 'small' },
  ];
  const snaps = [];
  for (const t of trees) snaps.push(await backup(repo, [{ name: 'home', dir: memorySource(t) }]));
  return { repo, mem, host, trees, snaps };
}

describe('forget and prune', () => {
  it('forget removes only snapshot files; prune then frees the data no snapshot needs', async () => {
    const { repo, mem, host, trees, snaps } = await threeSnapshots();
    const before = sizeOf(mem, 'data/');
    const f = await forget(repo, { last: 2 });
    expect(f.removed).toEqual([snaps[0]!.id]);
    expect(sizeOf(mem, 'data/')).toBe(before);
    const report = await prune(repo);
    expect(report.bytesFreed).toBeGreaterThan(800 * 1024);
    expect(sizeOf(mem, 'data/')).toBeLessThan(before - 800 * 1024);
    const again = await Repository.open(mem, host, PASSPHRASE);
    expect(await restored(again, snaps[1]!.snapshot.tree)).toEqual(digest({ home: trees[1]! }));
    expect(await restored(again, snaps[2]!.snapshot.tree)).toEqual(digest({ home: trees[2]! }));
    const c = await check(again, { readData: true });
    expect(c.problems).toEqual([]);
    expect(c.unreferencedPacks).toEqual([]);
    // a second prune finds nothing to do
    expect((await prune(again)).bytesFreed).toBe(0);
  });

  it('a dry run changes nothing', async () => {
    const { repo, mem } = await threeSnapshots();
    await forget(repo, { last: 1 });
    const files = fingerprint(mem);
    const r = await prune(repo, { dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.bytesFreed).toBeGreaterThan(0);
    expect(fingerprint(mem)).toEqual(files);
    const f = await forget(repo, { last: 1 }, { dryRun: true });
    expect(f.removed).toEqual([]);
  });

  it('stops and deletes nothing when a snapshot cannot be read', async () => {
    const { repo, mem } = await threeSnapshots();
    await forget(repo, { last: 2 });
    const [snapName] = [...mem.files().keys()].filter((k) => k.startsWith('snapshots/'));
    const bad = await mem.read('snapshots', snapName!.slice(10));
    bad[5]! ^= 1;
    mem.plant('snapshots', snapName!.slice(10), bad);
    const files = fingerprint(mem);
    await expect(prune(repo)).rejects.toMatchObject({ message: expect.stringMatching(/deleted nothing/) });
    expect(fingerprint(mem)).toEqual(files);
  });

  it('a prune killed after any storage operation leaves every kept snapshot restorable, and the next prune completes', async () => {
    const { mem, host, trees, snaps } = await threeSnapshots();
    const setup = await Repository.open(mem, host, PASSPHRASE);
    await forget(setup, { last: 1 });
    const probe = new FaultyBackend(mem.clone());
    await prune(await Repository.open(probe, host, PASSPHRASE), { repackThreshold: 0.01 });
    const total = probe.calls;
    expect(total).toBeGreaterThan(8);
    for (let k = 0; k < total; k++) {
      const world = mem.clone();
      const faulty = new FaultyBackend(world, { crashAt: k });
      const outcome = await (async () => prune(await Repository.open(faulty, host, PASSPHRASE), { repackThreshold: 0.01 }))().catch((e: unknown) => e);
      if (!(outcome instanceof CairnError)) expect(k, 'prune succeeded despite a crash').toBe(total - 1);
      const after = await Repository.open(world, host, PASSPHRASE);
      // The dead prune's lock stays until it is stale and the user removes it.
      if ((await listLocks(after)).length > 0) {
        await expect(prune(after)).rejects.toMatchObject({ code: 'locked' });
        host.clock.now += STALE_MS;
        expect(await removeLocks(after)).toHaveLength(1);
      }
      expect(await restored(after, snaps[2]!.snapshot.tree), `k=${k}`).toEqual(digest({ home: trees[2]! }));
      const c = await check(after, { readData: true });
      expect(c.ok, `k=${k}: ${JSON.stringify(c.problems)}`).toBe(true);
      await prune(after);
      const clean = await check(after, { readData: true });
      expect(clean.ok && clean.unreferencedPacks.length === 0, `k=${k} second prune`).toBe(true);
      // the dedup never trusts a blob that is gone: a backup of everything stores what is missing
      const healed = await backup(after, [{ name: 'home', dir: memorySource(trees[0]!) }]);
      expect(await restored(after, healed.snapshot.tree)).toEqual(digest({ home: trees[0]! }));
    }
  }, 300_000);
});

describe('repair', () => {
  it('rebuilds a lost index from the packs alone', async () => {
    const { mem, host, trees, snaps } = await threeSnapshots();
    for (const k of [...mem.files().keys()].filter((x) => x.startsWith('index/'))) await mem.remove('index', k.slice(6));
    const repo = await Repository.open(mem, host, PASSPHRASE);
    const report = await repairIndex(repo);
    expect(report.lostFiles).toEqual([]);
    expect(report.unreadablePacks).toEqual([]);
    for (const [i, s] of snaps.entries()) expect(await restored(repo, s.snapshot.tree)).toEqual(digest({ home: trees[i]! }));
  });

  it('names exactly the files lost with a missing pack, and a later backup heals them', async () => {
    const { repo, mem, host, trees, snaps } = await threeSnapshots();
    const cNode = repo.index.get('data', (await repo.blobId(seededBytes(800 * 1024, 3)).catch(() => '')) as string);
    // find a data pack holding part of c.bin but not of a.bin
    const aIds = new Set<string>();
    const cIds = new Set<string>();
    for (const [name, t] of [['a.bin', aIds], ['c.bin', cIds]] as const) {
      const { listFolder } = await import('../../src/core');
      const node = (await listFolder(repo, snaps[1]!.snapshot.tree, 'home')).find((n) => n.name === name);
      if (node?.type === 'file') node.content.forEach((id) => t.add(id));
    }
    const cPack = [...cIds].map((id) => repo.index.get('data', id)!.pack).find((p) => ![...aIds].some((id) => repo.index.get('data', id)!.pack === p));
    expect(cPack, String(cNode)).toBeDefined();
    await mem.remove('data', cPack!);
    const again = await Repository.open(mem, host, PASSPHRASE);
    const report = await repairIndex(again);
    expect(report.lostFiles.map((f) => f.path).sort()).toEqual(['home/c.bin', 'home/c.bin']);
    expect(new Set(report.lostFiles.map((f) => f.snapshot))).toEqual(new Set([snaps[1]!.id, snaps[2]!.id]));
    const healed = await backup(again, [{ name: 'home', dir: memorySource(trees[2]!) }]);
    expect(await restored(again, healed.snapshot.tree)).toEqual(digest({ home: trees[2]! }));
  });
});

describe('retention preview, grace for deleted files, pinning', () => {
  async function history() {
    const host = testHost(Date.UTC(2026, 5, 1));
    const { repo } = await newRepo(undefined, host);
    const day = 86400e3;
    const at = (d: number) => (host.clock.now = Date.UTC(2026, 5, 1) + d * day);
    at(0);
    const s1 = await backup(repo, [{ name: 'home', dir: memorySource({ 'keep.txt': 'v1', 'gone.txt': 'soon deleted' }) }]);
    at(1);
    const s2 = await backup(repo, [{ name: 'home', dir: memorySource({ 'keep.txt': { data: 'v2', mtime: 2 }, 'gone.txt': 'soon deleted' }) }]);
    at(2);
    const s3 = await backup(repo, [{ name: 'home', dir: memorySource({ 'keep.txt': { data: 'v3', mtime: 3 } }) }]);
    return { repo, host, s1, s2, s3, day };
  }

  it('lists, per file, the versions that would no longer be restorable', async () => {
    const { repo, s3, day } = await history();
    const plan = await planRetention(repo, await repo.listSnapshots(), { last: 1 }, Date.UTC(2026, 5, 1) + 3 * day);
    expect(plan.decisions.filter((d) => d.keep).map((d) => d.snapshot.id)).toEqual([s3.id]);
    expect(plan.lostVersions.map((v) => v.path).sort()).toEqual(['home/gone.txt', 'home/keep.txt', 'home/keep.txt']);
  });

  it('keeps the last copy of a file deleted from the source within the grace period', async () => {
    const { repo, s2, s3, day } = await history();
    const now = Date.UTC(2026, 5, 1) + 3 * day;
    const plan = await planRetention(repo, await repo.listSnapshots(), { last: 1 }, now, { graceMs: 7 * day });
    expect(plan.decisions.filter((d) => d.keep).map((d) => d.snapshot.id).sort()).toEqual([s2.id, s3.id].sort());
    expect(plan.decisions.find((d) => d.snapshot.id === s2.id)!.reasons[0]).toMatch(/last copy of deleted file home\/gone.txt/);
    expect(plan.lostVersions.map((v) => v.path)).toEqual(['home/keep.txt']);
    // after the grace period it may go
    const later = await planRetention(repo, await repo.listSnapshots(), { last: 1 }, now + 30 * day, { graceMs: 7 * day });
    expect(later.decisions.filter((d) => d.keep)).toHaveLength(1);
    const f = await forget(repo, { last: 1 }, { graceMs: 7 * day, now });
    expect(f.removed).toHaveLength(1);
  });

  it('a pinned snapshot is never removed by retention', async () => {
    const { repo, s1 } = await history();
    const pinned = await setSnapshotTags(repo, s1.id, ['pinned']);
    expect(pinned).not.toBe(s1.id);
    const f = await forget(repo, { last: 1 });
    const left = (await repo.listSnapshots()).map((s) => s.id);
    expect(left).toContain(pinned);
    expect(f.removed).toHaveLength(1);
    expect((await repo.resolveSnapshot(pinned)).snapshot.tags).toEqual(['pinned']);
  });
});
