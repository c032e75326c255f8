import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { restore, type Repository } from '../../../src/core';
import { unsafeNameReason } from '../../../src/core/model/names';
import { compareNames, MAX_NAME_LENGTH, type TreeNode } from '../../../src/core/model/tree';
import { newRepo } from '../../support/engine';
import { MemoryTarget, type LiteralTree } from '../../support/memory-tree';
import { digestTree, enc } from './support';

/**
 * Names read from a repository are hostile: restore uses one as a path component only when it is
 * non-empty, not "." or "..", free of "/", "\" and NUL, and at most 255 bytes of UTF-8
 * (docs/format.md §9.4). A model check of unsafeNameReason, then restores of hostile trees
 * written through the real Repository.
 */

/** UTF-8 length computed by hand (lone surrogates encode as U+FFFD, 3 bytes, as TextEncoder does). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

function modelUnsafe(name: string): boolean {
  return name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0') || utf8Length(name) > 255;
}

const SPECIAL = ['/', '\\', '\0', '.', '..', ' ', 'é', 'e\u0301', '😀', '\ud800', '\udc00', 'ﬁ', '\u202e', 'CON', 'a:b', '*', '?', '\n'];

/** Near the 255-byte boundary in 1-, 2-, 3- and 4-byte characters. */
const boundaryArb = fc.tuple(fc.constantFrom('a', 'é', '€', '😀', '\ud800'), fc.integer({ min: -3, max: 3 }), fc.constantFrom('', 'a', 'é')).map(([ch, delta, tail]) => {
  const width = utf8Length(ch);
  return ch.repeat(Math.max(0, Math.floor(255 / width) + delta)) + tail;
});

const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 4 })), { maxLength: 6 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: boundaryArb },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '...', '. ', ' .', './', '..\\', '.\0', 'a/../b', '/etc/passwd', 'C:\\Windows') },
);

describe('unsafeNameReason (model check)', () => {
  it('rejects exactly: empty, ".", "..", any "/", "\\" or NUL, and more than 255 UTF-8 bytes', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const reason = unsafeNameReason(name);
        expect(reason !== null, JSON.stringify(name)).toBe(modelUnsafe(name));
        if (reason !== null) expect(typeof reason).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('the 255-byte boundary is exact in every character width', () => {
    for (const ch of ['a', 'é', '€', '😀']) {
      const w = utf8Length(ch);
      const fits = ch.repeat(Math.floor(255 / w));
      expect(unsafeNameReason(fits)).toBeNull();
      expect(unsafeNameReason(fits + ch)).not.toBeNull();
    }
    expect(unsafeNameReason('a'.repeat(255))).toBeNull();
    expect(unsafeNameReason('a'.repeat(256))).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

const unsafeNameArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom('.', '..', '/', '\\', '\0', 'a/b', '../x', '..\\x', 'x\0y', '/abs', 'C:\\x'),
    fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('/', '\\', '\0'), fc.string({ maxLength: 6 })).map(([a, s, b]) => a + s + b),
    fc.tuple(fc.constantFrom('a', 'é', '😀'), fc.integer({ min: 0, max: 40 })).map(([ch, extra]) => ch.repeat(Math.floor(255 / utf8Length(ch)) + 1 + extra)),
  )
  .filter((n) => n.length > 0 && n.length <= MAX_NAME_LENGTH && modelUnsafe(n));

const safeNameArb: fc.Arbitrary<string> = nameArb.filter((n) => !modelUnsafe(n) && n !== 'sub');

/** One hostile listing: names (unique), each a file or a folder holding "inner.txt". */
const listingArb = fc.uniqueArray(
  fc.record({ name: fc.oneof(unsafeNameArb, safeNameArb), dir: fc.boolean() }),
  { minLength: 1, maxLength: 8, selector: (e) => e.name },
);

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

describe('restore of hostile names (through the real Repository)', () => {
  let repo: Repository;
  let leaf: string;
  let inner: string;
  const evil = enc('evil');

  /** Stores a tree blob of `nodes` (sorted, as a writer would) and returns its id. */
  async function storeTree(nodes: TreeNode[]): Promise<string> {
    const bytes = enc(JSON.stringify({ nodes: [...nodes].sort((a, b) => compareNames(a.name, b.name)) }));
    const id = await repo.blobId(bytes);
    await repo.storeBlob('tree', id, bytes);
    return id;
  }

  const node = (name: string, dir: boolean): TreeNode =>
    dir ? { name, type: 'dir', mtime: 0, subtree: inner } : { name, type: 'file', size: 4, mtime: 0, content: [leaf] };

  beforeAll(async () => {
    ({ repo } = await newRepo());
    leaf = await repo.blobId(evil);
    await repo.storeBlob('data', leaf, evil);
    inner = await storeTree([node('inner.txt', false)]);
    await repo.flush();
  });

  it('writes nothing under an unsafe name, skips everything below it, reports each as skipped, and restores the rest', async () => {
    await fc.assert(
      fc.asyncProperty(listingArb, async (listing) => {
        const nodes = listing.map((e) => node(e.name, e.dir));
        const sub = await storeTree(nodes);
        const root = await storeTree([...nodes, { name: 'sub', type: 'dir', mtime: 0, subtree: sub }]);
        await repo.flush();

        const target = new MemoryTarget();
        const report = await restore(repo, root, target);

        const expected: Record<string, unknown> = {};
        const expectedSkips: string[] = [];
        const subExpected: Record<string, unknown> = {};
        for (const [prefix, into] of [['', expected], ['sub/', subExpected]] as const) {
          for (const e of listing) {
            const path = prefix + e.name;
            if (modelUnsafe(e.name)) {
              expectedSkips.push(path);
              if (e.dir) expectedSkips.push(`${path}/inner.txt`);
            } else setOwn(into, e.name, e.dir ? { 'inner.txt': evil } : evil);
          }
        }
        setOwn(expected, 'sub', subExpected);

        expect(digestTree(target.toLiteral())).toEqual(digestTree(expected as LiteralTree));
        const skipped = report.decisions.filter((d) => d.action === 'skipped').map((d) => d.path);
        expect(skipped.sort()).toEqual(expectedSkips.sort());
        expect(report.counts.failed).toBe(0);
        for (const d of report.decisions) expect(['restored', 'skipped']).toContain(d.action);
      }),
      { numRuns: 40 },
    );
  });

  it('a tree holding an empty name is corrupted: the restore fails cleanly and writes nothing', async () => {
    const bytes = enc(JSON.stringify({ nodes: [node('', false), node('ok', false)] }));
    const id = await repo.blobId(bytes);
    await repo.storeBlob('tree', id, bytes);
    await repo.flush();
    const target = new MemoryTarget();
    await expect(restore(repo, id, target)).rejects.toMatchObject({ code: 'corrupted' });
    expect(target.toLiteral()).toEqual({});
  });
});
