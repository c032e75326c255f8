import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backup, CairnError, Repository, restore, type RestoreReport } from '../../src/core';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../support/memory-tree';
import { newRepo, PASSPHRASE } from '../support/engine';

const tree: LiteralTree = {
  'a.bin': seededBytes(600 * 1024, 1),
  'b.txt': 'bee',
  sub: { 'c.bin': seededBytes(300 * 1024, 2), 'd.txt': 'dee', 'empty.txt': '' },
};
const digest = (t: LiteralTree): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, typeof v === 'string' || v instanceof Uint8Array ? createHash('sha256').update(typeof v === 'string' ? Buffer.from(v) : v).digest('hex') : digest(v as LiteralTree)]),
  );
/** Names in the target that a partial write could leave behind. */
const partials = (t: LiteralTree): string[] =>
  Object.entries(t).flatMap(([k, v]) => (k.startsWith('.cairn-partial') ? [k] : typeof v === 'object' && !(v instanceof Uint8Array) ? partials(v as LiteralTree) : []));

describe('a restore interrupted at any point', () => {
  it('after any storage read: no half-written file under a final name; re-running completes and skips what is done', async () => {
    const { repo, backend, host } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    const probe = new FaultyBackend(backend);
    await restore(await Repository.open(probe, host, PASSPHRASE), snapshot.tree, new MemoryTarget());
    const total = probe.calls;
    for (let k = 0; k < total; k++) {
      const target = new MemoryTarget();
      const faulty = new FaultyBackend(backend, { crashAt: k });
      const first: RestoreReport | unknown = await (async () => restore(await Repository.open(faulty, host, PASSPHRASE), snapshot.tree, target))().catch((e: unknown) => e);
      // Either the job stopped (a CairnError) or it went on and reported what failed.
      if (!(first instanceof CairnError)) expect((first as RestoreReport).decisions.length).toBeGreaterThan(0);
      const lit = target.toLiteral();
      expect(partials(lit), `k=${k}`).toEqual([]);
      // every file present under its final name is complete and correct
      const want = digest({ home: tree }) as { home: Record<string, unknown> };
      const got = digest(lit) as { home?: Record<string, unknown> };
      for (const [name, d] of Object.entries(got.home ?? {})) if (typeof d === 'string') expect(d, `k=${k} ${name}`).toBe(want.home[name]);
      const again = await restore(repo, snapshot.tree, target);
      expect(again.counts.failed).toBe(0);
      expect(again.counts['kept-both']).toBe(0);
      expect(digest(target.toLiteral())).toEqual(want);
    }
  });

  it('after any number of bytes written to the target: the same guarantees', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    for (const bytes of [0, 1, 100 * 1024, 599 * 1024, 600 * 1024 + 2, 900 * 1024 + 3]) {
      const target = new MemoryTarget();
      target.failAfter(bytes, { keepPartial: false });
      await restore(repo, snapshot.tree, target).catch(() => undefined);
      expect(partials(target.toLiteral())).toEqual([]);
      target.failAfter(null);
      const again = await restore(repo, snapshot.tree, target);
      expect(again.counts.failed).toBe(0);
      expect(digest(target.toLiteral())).toEqual(digest({ home: tree }));
    }
  });
});
