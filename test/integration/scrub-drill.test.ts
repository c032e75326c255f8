import { describe, expect, it } from 'vitest';
import { backup, drill, Repository, scrub, type ScrubState } from '../../src/core';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { memorySource, MemoryTarget, seededBytes } from '../support/memory-tree';
import { newRepo, PASSPHRASE } from '../support/engine';

const DAY = 86400e3;

async function repoWithData() {
  const { repo, backend, host } = await newRepo();
  const tree: Record<string, Uint8Array | string> = {};
  for (let i = 0; i < 6; i++) tree[`f${i}.bin`] = seededBytes(500 * 1024, i + 1);
  tree['note.txt'] = 'hello';
  await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
  tree['note.txt'] = 'hello again';
  await backup(repo, [{ name: 'home', dir: memorySource({ ...tree, 'note.txt': { data: 'hello again', mtime: 7 } }) }]);
  return { repo, mem: backend as MemoryBackend, host };
}

describe('scrub', () => {
  it('reads a slice per run and covers every pack within the period', async () => {
    const { repo } = await repoWithData();
    let state: ScrubState | null = null;
    const t0 = Date.UTC(2026, 0, 1);
    const period = 4 * DAY;
    const seen = new Set<string>();
    for (let day = 0; day < 4; day++) {
      const r = await scrub(repo, state, { now: t0 + day * DAY, periodMs: period, intervalMs: DAY });
      state = r.state;
      for (const p of Object.keys(r.state.checked)) seen.add(p);
      expect(r.damagedPacks).toEqual([]);
      if (day < 3) expect(r.bytesRead).toBeLessThan(r.totalBytes);
    }
    const last = await scrub(repo, state, { now: t0 + 4 * DAY - 1, periodMs: period, intervalMs: DAY });
    expect(last.coverage).toBe(1);
    expect(last.state.lastFullPass).toBe(t0 + 4 * DAY - 1);
    // a pack not verified within the period is always read, whatever the slice
    const late = await scrub(repo, last.state, { now: t0 + 20 * DAY, periodMs: period, intervalMs: DAY });
    expect(late.bytesRead).toBe(late.totalBytes);
  });

  it('names a damaged pack and leaves it uncovered', async () => {
    const { repo, mem, host } = await repoWithData();
    const [name] = [...mem.files().keys()].filter((k) => k.startsWith('data/')).map((k) => k.split('/')[1]!);
    const bytes = await mem.read('data', name!);
    bytes[100]! ^= 4;
    mem.plant('data', name!, bytes);
    const r = await scrub(await Repository.open(mem, host, PASSPHRASE), null, { periodMs: DAY, intervalMs: DAY });
    expect(r.damagedPacks.map((d) => d.pack)).toEqual([name]);
    expect(r.coverage).toBeLessThan(1);
    expect(repo.config.id).toBe(r.state.repositoryId);
  });
});

describe('restore drills', () => {
  it('restores a sample of the newest and the least recently drilled snapshot and proves it', async () => {
    const { repo } = await repoWithData();
    const snaps = await repo.listSnapshots();
    const scratch = new MemoryTarget();
    const r = await drill(repo, scratch, null, { sampleSize: 3, now: 1000 });
    expect(r.ok).toBe(true);
    expect(r.snapshots).toEqual([snaps[1]!.id, snaps[0]!.id]);
    expect(r.files).toHaveLength(6);
    expect(r.files.every((f) => f.ok)).toBe(true);
    const second = await drill(repo, new MemoryTarget(), r.state, { sampleSize: 3, now: 2000 });
    expect(second.state.drilled[snaps[0]!.id]).toBe(2000);
  });

  it('fails when a sampled file cannot be restored (a damaged pack) and names it', async () => {
    const { mem, host } = await repoWithData();
    for (const k of [...mem.files().keys()].filter((x) => x.startsWith('data/'))) {
      const name = k.split('/')[1]!;
      const bytes = await mem.read('data', name);
      bytes[40]! ^= 1;
      mem.plant('data', name, bytes);
    }
    const repo = await Repository.open(mem, host, PASSPHRASE);
    const r = await drill(repo, new MemoryTarget(), null, { sampleSize: 20 });
    expect(r.ok).toBe(false);
    expect(r.files.some((f) => !f.ok && /corrupted/.test(f.reason ?? ''))).toBe(true);
  });
});
