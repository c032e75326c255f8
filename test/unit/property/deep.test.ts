import { describe, expect, it } from 'vitest';
import { backup, CairnError, check, restore, type Repository } from '../../../src/core';
import type { TreeNode } from '../../../src/core/model/tree';
import { newRepo } from '../../support/engine';
import { isLiteralFile, literalFile, LITERAL_EPOCH, memorySource, MemoryTarget, type LiteralNode, type LiteralTree } from '../../support/memory-tree';
import { deepArrayText, deepObjectText, digest, enc } from './support';

/**
 * Deep nesting and absurd sizes end to end: a folder 2 000 levels deep backs up, checks and
 * restores exactly (no stack overflow, in the engine or in its JSON); tree blobs that claim
 * absurd sizes, counts or nesting fail cleanly with a CairnError, allocate nothing by claim, and
 * write nothing bogus.
 */

const DEPTH = 2000;

/** d/d/d/… DEPTH levels; a file every 250 levels and one at the bottom. */
function deepTree(): LiteralTree {
  let node: Record<string, LiteralNode> = { 'bottom.txt': 'the bottom' };
  for (let level = DEPTH - 1; level >= 0; level--) {
    const parent: Record<string, LiteralNode> = { d: node };
    if (level % 250 === 0) parent[`at-${level}.txt`] = `level ${level}`;
    node = parent;
  }
  return node;
}

/** Compares two literal trees iteratively (no recursion over 2 000 levels in the test either). */
function expectSameTree(actual: LiteralTree, expected: LiteralTree): void {
  const stack: [LiteralTree, LiteralTree, string][] = [[actual, expected, '']];
  let folders = 0;
  while (stack.length) {
    const [a, e, path] = stack.pop()!;
    folders++;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(e).sort());
    for (const [name, node] of Object.entries(e)) {
      const other = a[name]!;
      if (isLiteralFile(node)) {
        expect(isLiteralFile(other), `${path}/${name}`).toBe(true);
        expect(digest(literalFile(other as Exclude<LiteralNode, LiteralTree>).data), `${path}/${name}`).toBe(digest(literalFile(node).data));
      } else {
        expect(isLiteralFile(other), `${path}/${name}`).toBe(false);
        stack.push([other as LiteralTree, node, `${path}/${name}`]);
      }
    }
  }
  expect(folders).toBeGreaterThan(0);
}

describe('deep trees', () => {
  it(`a folder nested ${DEPTH} levels deep backs up, checks and restores exactly; the re-backup adds nothing`, async () => {
    const { repo } = await newRepo();
    const tree = deepTree();
    const first = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    expect(first.errors).toEqual([]);
    expect(first.summary.dirs).toBe(DEPTH + 1);
    expect(first.summary.files).toBe(DEPTH / 250 + 1);

    const target = new MemoryTarget();
    const report = await restore(repo, first.snapshot.tree, target);
    expect(report.counts).toMatchObject({ restored: DEPTH / 250 + 1, failed: 0, skipped: 0 });
    expectSameTree(target.toLiteral(), { home: tree });

    const checked = await check(repo, { readData: true });
    expect(checked.ok).toBe(true);

    const second = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    expect(second.summary).toMatchObject({ addedBytes: 0, storedBytes: 0, unchangedFiles: DEPTH / 250 + 1 });
  });
});

describe('tree blobs claiming absurd sizes', () => {
  async function setup() {
    const { repo } = await newRepo();
    const leaf = await repo.blobId(enc('tiny'));
    await repo.storeBlob('data', leaf, enc('tiny'));
    return { repo, leaf };
  }

  /** Stores raw tree JSON (sealed and indexed like any tree) and returns its id. */
  async function storeTreeText(repo: Repository, text: string): Promise<string> {
    const bytes = enc(text);
    const id = await repo.blobId(bytes);
    await repo.storeBlob('tree', id, bytes);
    await repo.flush();
    return id;
  }

  const file = (patch: Record<string, unknown>, leaf: string) => ({ name: 'f.bin', type: 'file', size: 4, mtime: 0, content: [leaf], ...patch });

  it('sizes no file can have (negative, fractional, beyond 2^53, 1e308, overflowing to Infinity) are corrupted: the restore fails cleanly and writes nothing', async () => {
    const { repo, leaf } = await setup();
    const texts = [
      JSON.stringify({ nodes: [file({ size: -1 }, leaf)] }),
      JSON.stringify({ nodes: [file({ size: 0.5 }, leaf)] }),
      JSON.stringify({ nodes: [file({ size: 2 ** 53 }, leaf)] }),
      JSON.stringify({ nodes: [file({ size: 2 ** 64 }, leaf)] }),
      JSON.stringify({ nodes: [file({ size: 1e308 }, leaf)] }),
      JSON.stringify({ nodes: [file({ size: 4 }, leaf)] }).replace('"size":4', '"size":1e999'),
      JSON.stringify({ nodes: [file({ mtime: 0 }, leaf)] }).replace('"mtime":0', '"mtime":-1e999'),
    ];
    for (const text of texts) {
      const id = await storeTreeText(repo, text);
      const target = new MemoryTarget();
      const started = performance.now();
      const err = await restore(repo, id, target).catch((e: unknown) => e);
      expect(err, text).toBeInstanceOf(CairnError);
      expect(err).toMatchObject({ code: 'corrupted' });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(target.toLiteral()).toEqual({});
    }
  });

  it('a file claiming 2^53 - 1 bytes over a 4-byte chunk restores what is stored, allocating nothing by the claim', async () => {
    // size is not checked against the chunks when a tree is read (docs/format.md §15 item 7).
    const { repo, leaf } = await setup();
    const id = await storeTreeText(repo, JSON.stringify({ nodes: [file({ size: Number.MAX_SAFE_INTEGER }, leaf)] }));
    const target = new MemoryTarget();
    const before = process.memoryUsage().arrayBuffers;
    const report = await restore(repo, id, target);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(report.counts.failed + report.counts.restored).toBe(1);
    const got = target.toLiteral()['f.bin'];
    if (got !== undefined) expect(got).toEqual(enc('tiny'));
  });

  it('a file listing 100 000 chunks that do not exist fails alone (not-found), leaving nothing under its name', async () => {
    const { repo, leaf } = await setup();
    const missing = Array.from({ length: 100_000 }, (_, i) => i.toString(16).padStart(64, '0'));
    const id = await storeTreeText(repo, JSON.stringify({ nodes: [{ ...file({}, leaf), name: 'a.txt' }, file({ size: 400_000, content: missing }, leaf)] }));
    const target = new MemoryTarget();
    const report = await restore(repo, id, target);
    expect(report.decisions.find((d) => d.path === 'f.bin')).toMatchObject({ action: 'failed' });
    expect(report.decisions.find((d) => d.path === 'a.txt')).toMatchObject({ action: 'restored' });
    expect(Object.keys(target.toLiteral())).toEqual(['a.txt']);
  });

  it('a folder whose subtree is missing is reported failed, its sibling still restores, and nothing is written for it', async () => {
    const { repo, leaf } = await setup();
    const id = await storeTreeText(repo, JSON.stringify({ nodes: [{ ...file({}, leaf), name: 'a.txt' }, { name: 'sub', type: 'dir', mtime: 0, subtree: 'e'.repeat(64) }] }));
    const target = new MemoryTarget();
    const report = await restore(repo, id, target);
    expect(report.decisions.find((d) => d.path === 'sub')).toMatchObject({ action: 'failed', reason: expect.stringMatching(/listing is lost/) });
    expect(target.toLiteral()).toEqual({ 'a.txt': enc('tiny') });
  });

  it('100 000 levels of nesting in a node\'s unknown member: a clean "corrupted" error, no stack overflow', async () => {
    const { repo, leaf } = await setup();
    for (const deep of [deepArrayText(100_000), deepObjectText(100_000)]) {
      const text = JSON.stringify({ nodes: [file({ extra: 0 }, leaf)] }).replace('"extra":0', `"extra":${deep}`);
      const id = await storeTreeText(repo, text);
      const target = new MemoryTarget();
      await expect(restore(repo, id, target)).rejects.toMatchObject({ code: 'corrupted', message: expect.stringMatching(/nested more than/) });
      expect(target.toLiteral()).toEqual({});
    }
  });

  it('a backup whose parent snapshot holds a deeply nested unknown member fails cleanly or succeeds, never with a RangeError', async () => {
    // Unchanged file nodes are copied verbatim from the parent tree (unknown members included)
    // and re-encoded with JSON.stringify, which is recursive: 10 000 nested arrays in one
    // member of an (authentic) parent tree must not escape from backup as a RangeError.
    const { repo, leaf } = await setup();
    const node = { name: 'a.txt', type: 'file', size: 4, mtime: LITERAL_EPOCH, content: [leaf], extra: 0 };
    const inner = await storeTreeText(repo, JSON.stringify({ nodes: [node] }).replace('"extra":0', `"extra":${deepArrayText(10_000)}`));
    const rootNodes: TreeNode[] = [{ name: 'home', type: 'dir', mtime: 0, subtree: inner }];
    const root = await storeTreeText(repo, JSON.stringify({ nodes: rootNodes }));
    await repo.writeSnapshot({ version: 1, time: new Date(LITERAL_EPOCH).toISOString(), tree: root, paths: ['home'], hostname: 'test-host', tags: [] });

    const result = await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'tiny' }) }]).catch((e: unknown) => e);
    if (result instanceof Error) {
      expect(result, `${result.constructor.name}: ${result.message}`).toBeInstanceOf(CairnError);
      return;
    }
    const target = new MemoryTarget();
    await restore(repo, (result as Awaited<ReturnType<typeof backup>>).snapshot.tree, target);
    expect(target.toLiteral()).toEqual({ home: { 'a.txt': enc('tiny') } });
  });
});
