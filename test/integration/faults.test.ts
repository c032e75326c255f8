import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  backup, check, CairnError, forget, listLocks, prune, removeLocks, repairIndex, Repository, restore, STALE_MS,
  type TargetDir,
} from '../../src/core';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../support/memory-tree';
import { newRepo, PASSPHRASE, testHost } from '../support/engine';

const digest = (t: LiteralTree): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, typeof v === 'string' || v instanceof Uint8Array ? createHash('sha256').update(typeof v === 'string' ? Buffer.from(v) : v).digest('hex') : digest(v as LiteralTree)]),
  );
async function restored(repo: Repository, tree: string) {
  const t = new MemoryTarget();
  const r = await restore(repo, tree, t);
  return { files: digest(t.toLiteral()), report: r };
}
const base: LiteralTree = { 'a.bin': seededBytes(400 * 1024, 1), 'b.txt': 'bee' };
const more: LiteralTree = { ...base, 'c.bin': seededBytes(900 * 1024, 2), 'd.txt': 'dee' };

describe('power loss (the last writes missing, cut short or zero-length)', () => {
  for (const mode of ['drop', 'truncate', 'zero'] as const) {
    it(`${mode}: opening never crashes, the earlier snapshot restores, check names the damage, repair and the next backup heal`, async () => {
      for (let n = 1; n <= 6; n++) {
        const { repo, backend, host } = await newRepo();
        const mem = backend as MemoryBackend;
        const v1 = await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
        const faulty = new FaultyBackend(mem);
        await backup(await Repository.open(faulty, host, PASSPHRASE), [{ name: 'home', dir: memorySource(more) }]);
        await faulty.powerLoss(n, mode);
        const after = await Repository.open(mem, host, PASSPHRASE, { loadIndex: false });
        await after.loadIndex(() => undefined);
        expect((await restored(after, v1.snapshot.tree)).files, `${mode} n=${n}`).toEqual(digest({ home: base }));
        const report = await check(after, { readData: true });
        expect(report.damagedSnapshots.includes(v1.id)).toBe(false);
        // A snapshot cut short is named as damaged; a dropped or empty one is simply missing.
        if (mode === 'truncate') expect(report.ok, `${mode} n=${n}`).toBe(false);
        expect(report.problems.every((p) => p.kind !== 'snapshot' || p.id !== v1.id)).toBe(true);
        await repairIndex(after);
        const next = await backup(after, [{ name: 'home', dir: memorySource(more) }], { parent: null });
        expect((await restored(after, next.snapshot.tree)).files).toEqual(digest({ home: more }));
        expect((await check(after, { readData: true })).damagedSnapshots).not.toContain(next.id);
      }
    });
  }
});

describe('storage faults', () => {
  it('storage full mid-backup: a clear error, earlier snapshots intact, forget and prune still work', async () => {
    const { repo, backend, host } = await newRepo();
    const v1 = await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
    const full = new FaultyBackend(backend, { only: ['write'], failAt: 1, error: 'storage-full' });
    await expect(backup(await Repository.open(full, host, PASSPHRASE), [{ name: 'home', dir: memorySource(more) }])).rejects.toMatchObject({
      code: 'storage-full',
      message: expect.stringMatching(/full/),
    });
    const after = await Repository.open(backend, host, PASSPHRASE);
    expect((await restored(after, v1.snapshot.tree)).files).toEqual(digest({ home: base }));
    // The first write of a prune (its new index) fails for lack of space: prune makes room first.
    await backup(after, [{ name: 'home', dir: memorySource(more) }]);
    await forget(after, { last: 1 });
    const stillFull = new FaultyBackend(backend, { only: ['write'], failAt: 1, error: 'storage-full' });
    const r = await prune(await Repository.open(stillFull, host, PASSPHRASE), { repackThreshold: 1 });
    expect(r.packsDeleted).toBeGreaterThanOrEqual(0);
    const final = await Repository.open(backend, host, PASSPHRASE);
    const c = await check(final, { readData: true });
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);
  });

  it('the drive disconnected mid-backup: the job ends promptly with that error, no snapshot', async () => {
    const { repo, backend, host } = await newRepo();
    await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
    const gone = new FaultyBackend(backend, { only: ['write'], crashAt: 0, error: 'disconnected' });
    await expect(backup(await Repository.open(gone, host, PASSPHRASE), [{ name: 'home', dir: memorySource(more) }])).rejects.toMatchObject({ code: 'disconnected' });
    expect((await (await Repository.open(backend, host, PASSPHRASE)).listSnapshots())).toHaveLength(1);
  });

  it('a listing that fails halfway: prune and check stop and delete nothing', async () => {
    const { repo, backend, host } = await newRepo();
    await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
    await backup(repo, [{ name: 'home', dir: memorySource(more) }]);
    await forget(repo, { last: 1 });
    const mem = backend as MemoryBackend;
    const before = [...mem.files().keys()].filter((k) => !k.startsWith('locks/')).sort();
    for (const type of ['data', 'snapshots', 'index'] as const) {
      const broken = new FaultyBackend(mem, { listFailsAfter: { [type]: 0 } });
      const r = await Repository.open(broken, host, PASSPHRASE, { loadIndex: false });
      await expect(prune(r)).rejects.toBeInstanceOf(CairnError);
      await expect(check(r)).rejects.toBeInstanceOf(CairnError);
      expect([...mem.files().keys()].filter((k) => !k.startsWith('locks/')).sort()).toEqual(before);
    }
  });

  it('a restore target that refuses files over a size limit (FAT32 model) fails that file clearly and restores the rest', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(more) }]);
    const inner = new MemoryTarget();
    const fat32 = (dir: TargetDir): TargetDir => ({
      name: dir.name,
      get: (n) => dir.get(n),
      dir: async (n) => fat32(await dir.dir(n)),
      rename: (a, b) => dir.rename(a, b),
      async writeFile(n, data, mtime) {
        async function* limited() {
          let total = 0;
          for await (const piece of data) {
            total += piece.length;
            if (total > 512 * 1024) throw new CairnError('too-large', `"${n}" is larger than this drive allows for one file (4 GiB on FAT32)`);
            yield piece;
          }
        }
        return dir.writeFile(n, limited(), mtime);
      },
    });
    const report = await restore(repo, snapshot.tree, fat32(inner));
    expect(report.counts).toMatchObject({ failed: 1, restored: 3 });
    expect(report.decisions.find((d) => d.action === 'failed')).toMatchObject({ path: 'home/c.bin', reason: expect.stringMatching(/larger than this drive allows/) });
    expect(Object.keys((inner.toLiteral() as { home: object }).home).sort()).toEqual(['a.bin', 'b.txt', 'd.txt']);
  });
});

describe('locks', () => {
  it('a writer whose lock went stale (the laptop slept) aborts before committing', async () => {
    const host = testHost();
    const { repo } = await newRepo(new MemoryBackend(), host);
    let calls = 0;
    const sleepy = memorySource(more, {
      onRead: () => {
        if (++calls === 2) host.clock.now += STALE_MS + 60_000;
      },
    });
    await expect(backup(repo, [{ name: 'home', dir: sleepy }])).rejects.toMatchObject({ code: 'lock-stale' });
    expect(await repo.listSnapshots()).toHaveLength(0);
  });

  it('an exclusive prune and a backup exclude each other; stale locks are never removed silently', async () => {
    const host = testHost();
    const { repo, backend } = await newRepo(new MemoryBackend(), host);
    await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
    const { RepoLock } = await import('../../src/core');
    const held = await RepoLock.acquire(repo, false);
    await expect(prune(repo)).rejects.toMatchObject({ code: 'locked' });
    host.clock.now += STALE_MS * 2;
    await expect(prune(repo)).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/stale/) });
    expect(await removeLocks(repo)).toHaveLength(1);
    await prune(repo);
    void held;
    void backend;
  });

  it('an unreadable lock file blocks writers until the user confirms its removal', async () => {
    const { repo, backend } = await newRepo();
    (backend as MemoryBackend).plant('locks', 'ab'.repeat(32), new TextEncoder().encode('garbage'));
    await expect(backup(repo, [{ name: 'home', dir: memorySource(base) }])).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/unreadable/) });
    expect((await listLocks(repo))[0]).toMatchObject({ exclusive: true });
    await removeLocks(repo, true);
    await backup(repo, [{ name: 'home', dir: memorySource(base) }]);
  });
});
