import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backup, check, restore } from '../../../src/core';
import { unsafeNameReason } from '../../../src/core/model/names';
import type { MemoryBackend } from '../../../src/storage/memory-backend';
import { newRepo, TEST_CHUNKER } from '../../support/engine';
import { isLiteralFile, literalFile, memorySource, MemoryTarget, seededBytes, type LiteralNode, type LiteralTree } from '../../support/memory-tree';
import { digest } from './support';

/**
 * restore(backup(tree)) == tree on random trees: nested folders up to depth 5, names from ASCII,
 * unicode (NFC and NFD spellings as distinct siblings), emoji, spaces and dots, files of 0 … 300
 * KiB with zeros, repeated content and random bytes. Files are compared by size, SHA-256 and
 * mtime. Plus incrementality: an unchanged re-backup adds nothing, one edited file adds at most
 * two chunks.
 */

const KiB = 1024;

// ---------------------------------------------------------------------------------------------
// Random literal trees

const nameArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ._-]{1,16}$/) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'café', 'cafe\u0301', 'Å', 'A\u030a', 'Ångström', 'A\u030angstro\u0308m', 'é.txt', 'e\u0301.txt', 'ñ', 'n\u0303',
        '📦', '👨‍👩‍👧', '🇫🇷', '😀 smile.txt', 'emoji 📦 name.md',
        '...', '.hidden', 'a.', ' lead', 'trail ', 'a b c', '.. .', '. .', '.a.', 'x..y',
        'README', 'readme', 'ReadMe', '__proto__', 'constructor', 'toString', '0', '2024', '007', 'CON', 'nul.txt', 'a:b', '*?',
        'z'.repeat(255), 'é'.repeat(127),
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
  )
  .filter((n) => unsafeNameReason(n) === null);

/** A file: its bytes are made from this spec when the tree is built (cheap to shrink). */
interface FileSpec {
  readonly kind: 'empty' | 'zeros' | 'random' | 'pattern' | 'text';
  readonly size: number;
  readonly seed: number;
  readonly mtime: number;
}

const fileSpecArb: fc.Arbitrary<FileSpec> = fc.record({
  kind: fc.constantFrom('empty', 'zeros', 'random', 'random', 'pattern', 'text'),
  size: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 * KiB }) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 64 * KiB }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 * KiB }) }),
  // few seeds: identical files (and identical chunks) across the tree are common
  seed: fc.integer({ min: 1, max: 4 }),
  mtime: fc.oneof(fc.constant(Date.UTC(2024, 0, 1)), fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) })),
});

type DirSpec = readonly (readonly [string, FileSpec | DirSpec])[];

const { dir: dirSpecArb } = fc.letrec<{ dir: DirSpec; node: FileSpec | DirSpec }>((tie) => ({
  dir: fc.uniqueArray(fc.tuple(nameArb, tie('node')), { maxLength: 6, selector: ([name]) => name }),
  node: fc.oneof({ maxDepth: 5, depthIdentifier: 'tree' }, fileSpecArb, tie('dir')),
}));

function fileBytes(f: FileSpec): Uint8Array {
  switch (f.kind) {
    case 'empty':
      return new Uint8Array(0);
    case 'zeros':
      return new Uint8Array(f.size);
    case 'random':
      return seededBytes(f.size, f.seed);
    case 'pattern': {
      const out = new Uint8Array(f.size);
      for (let i = 0; i < out.length; i++) out[i] = (i % (f.seed * 61)) & 255;
      return out;
    }
    case 'text':
      return new TextEncoder().encode('cairn backup line\n'.repeat(Math.ceil(f.size / 18))).subarray(0, f.size);
  }
}

function setOwn(obj: Record<string, LiteralNode>, key: string, value: LiteralNode): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function buildTree(spec: DirSpec): LiteralTree {
  const out: Record<string, LiteralNode> = {};
  for (const [name, node] of spec) {
    setOwn(out, name, Array.isArray(node) ? buildTree(node as DirSpec) : { data: fileBytes(node as FileSpec), mtime: (node as FileSpec).mtime });
  }
  return out;
}

/** The tree with every file as "size:sha256@mtime": compared exactly, and fast. */
function fingerprint(tree: LiteralTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(tree)) {
    let value: unknown;
    if (isLiteralFile(node)) {
      const f = literalFile(node);
      value = `${digest(f.data)}@${f.mtime}`;
    } else value = fingerprint(node);
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function filePaths(tree: LiteralTree, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [name, node] of Object.entries(tree)) {
    if (isLiteralFile(node)) out.push([...prefix, name]);
    else out.push(...filePaths(node, [...prefix, name]));
  }
  return out;
}

function countFiles(tree: LiteralTree): number {
  return filePaths(tree).length;
}

/** A copy of `tree` with the file at `path` replaced. */
function withFile(tree: LiteralTree, path: string[], file: LiteralNode): LiteralTree {
  const out: Record<string, LiteralNode> = {};
  for (const [name, node] of Object.entries(tree)) {
    if (name !== path[0]) setOwn(out, name, node);
    else if (path.length === 1) setOwn(out, name, file);
    else setOwn(out, name, withFile(node as LiteralTree, path.slice(1), file));
  }
  return out;
}

function fileAt(tree: LiteralTree, path: string[]): { data: Uint8Array; mtime: number } {
  let node: LiteralNode = tree;
  for (const name of path) node = (node as LiteralTree)[name]!;
  return literalFile(node as Exclude<LiteralNode, LiteralTree>);
}

async function restored(repo: Awaited<ReturnType<typeof newRepo>>['repo'], treeId: string): Promise<LiteralTree> {
  const target = new MemoryTarget();
  const report = await restore(repo, treeId, target);
  expect(report.counts.failed).toBe(0);
  expect(report.counts.skipped).toBe(0);
  return target.toLiteral({ mtimes: true });
}

// ---------------------------------------------------------------------------------------------

describe('restore(backup(tree)) == tree', () => {
  it('for random trees: same names, same bytes, same mtimes, empty files and folders included; check passes', async () => {
    await fc.assert(
      fc.asyncProperty(dirSpecArb, fc.boolean(), async (spec, encrypted) => {
        const tree = buildTree(spec);
        const { repo } = await newRepo(undefined, undefined, encrypted ? undefined : null);
        const { snapshot, summary, errors } = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
        expect(errors).toEqual([]);
        expect(summary.files).toBe(countFiles(tree));
        expect(fingerprint(await restored(repo, snapshot.tree))).toEqual(fingerprint({ home: tree }));
        const report = await check(repo, { readData: true });
        expect(report.ok).toBe(true);
        expect(report.problems).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

/** An edit of one file: flip, insert, delete, append, truncate or rewrite. */
const editArb = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('flip', 'insert', 'delete', 'append', 'truncate', 'rewrite'),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  length: fc.integer({ min: 1, max: 4 * KiB }),
});

type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function applyEdit(data: Uint8Array, e: Edit): Uint8Array {
  const at = data.length ? e.at % data.length : 0;
  switch (e.kind) {
    case 'flip': {
      const out = data.length ? data.slice() : new Uint8Array(1);
      out[at] = out[at]! ^ 0x5a;
      return out;
    }
    case 'insert': {
      const out = new Uint8Array(data.length + e.bytes.length);
      out.set(data.subarray(0, at));
      out.set(e.bytes, at);
      out.set(data.subarray(at), at + e.bytes.length);
      return out;
    }
    case 'delete': {
      const end = Math.min(data.length, at + e.length);
      const out = new Uint8Array(data.length - (end - at));
      out.set(data.subarray(0, at));
      out.set(data.subarray(end), at);
      return out;
    }
    case 'append': {
      const out = new Uint8Array(data.length + e.bytes.length);
      out.set(data);
      out.set(e.bytes, data.length);
      return out;
    }
    case 'truncate':
      return data.slice(0, at);
    default:
      return seededBytes(Math.min(e.length * 64, 300 * KiB), e.at + 99);
  }
}

describe('incremental backups of random trees', () => {
  it('an unchanged re-backup adds 0 bytes and only a snapshot; one edited file adds at most two chunks; every snapshot still restores', async () => {
    await fc.assert(
      fc.asyncProperty(dirSpecArb, editArb, async (spec, edit) => {
        const tree = buildTree(spec);
        const { repo, backend } = await newRepo();
        const mem = backend as MemoryBackend;
        const source = (t: LiteralTree) => [{ name: 'home', dir: memorySource(t) }];

        const first = await backup(repo, source(tree));
        const files = mem.files().size;
        const second = await backup(repo, source(tree));
        expect(second.summary).toMatchObject({ addedBytes: 0, storedBytes: 0, newFiles: 0, changedFiles: 0, unchangedFiles: countFiles(tree) });
        expect(mem.files().size).toBe(files + 1); // the snapshot, nothing else

        const paths = filePaths(tree);
        if (paths.length === 0) return;
        const path = paths[edit.pick % paths.length]!;
        const before = fileAt(tree, path);
        const data = applyEdit(before.data, edit);
        const edited = withFile(tree, path, { data, mtime: before.mtime + 1000 });
        const third = await backup(repo, source(edited));
        expect(third.summary.changedFiles).toBe(1);
        expect(third.summary.unchangedFiles).toBe(paths.length - 1);
        expect(third.summary.addedBytes).toBeLessThanOrEqual(Math.min(data.length, 2 * TEST_CHUNKER.max));

        expect(fingerprint(await restored(repo, third.snapshot.tree))).toEqual(fingerprint({ home: edited }));
        expect(fingerprint(await restored(repo, first.snapshot.tree))).toEqual(fingerprint({ home: tree }));
      }),
      { numRuns: 20 },
    );
  });
});
