import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CairnError } from '../../src/core/errors';
import type { SourceDir, SourceFile } from '../../src/core/ports/source';
import type { TargetDir } from '../../src/core/ports/target';
import { fsaSource } from '../../src/platform/fsa-source';
import { fsaTarget } from '../../src/platform/fsa-target';
import { isLiteralFile, literalFile, pieces, readAll, seededBytes, sourceToLiteral, type LiteralTree } from '../support/memory-tree';

const MiB = 1024 * 1024;
const T1 = Date.UTC(2020, 1, 2);
const bytes = (s: string) => new TextEncoder().encode(s);
const ODD_NAMES = ['caf\u00e9 NFC.txt', 'cafe\u0301 NFD.txt', '🪨 cairn.txt', ' spaced  name ', 'Mixed.CASE', 'mixed.case'];

let opfs: FileSystemDirectoryHandle;
let dir: FileSystemDirectoryHandle;
let counter = 0;
beforeEach(async () => {
  opfs = await navigator.storage.getDirectory();
  dir = await opfs.getDirectoryHandle(`fsa-st-${Date.now()}-${++counter}`, { create: true });
});
afterEach(async () => {
  await opfs.removeEntry(dir.name, { recursive: true });
});

async function writeTree(parent: FileSystemDirectoryHandle, tree: LiteralTree): Promise<void> {
  for (const [name, node] of Object.entries(tree)) {
    if (isLiteralFile(node)) await writeBytes(parent, name, literalFile(node).data);
    else await writeTree(await parent.getDirectoryHandle(name, { create: true }), node);
  }
}

async function writeBytes(parent: FileSystemDirectoryHandle, name: string, data: Uint8Array): Promise<void> {
  const writable = await (await parent.getFileHandle(name, { create: true })).createWritable();
  await writable.write(new Uint8Array(data));
  await writable.close();
}

async function names(handle: FileSystemDirectoryHandle): Promise<string[]> {
  const out: string[] = [];
  for await (const name of handle.keys()) out.push(name);
  return out.sort();
}

async function fileOf(source: SourceDir, name: string): Promise<SourceFile> {
  for await (const entry of source.entries()) if (entry.kind === 'file' && entry.name === name) return entry;
  throw new Error(`no file ${name}`);
}

async function expectCairn(promise: Promise<unknown>, code: string): Promise<CairnError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CairnError);
  expect((error as CairnError).code).toBe(code);
  return error as CairnError;
}

/** Index of the first differing byte, or -1 (expect().toEqual on megabytes is slow). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

async function* failingHalfway(data: Uint8Array, error: Error, check?: () => Promise<void>): AsyncGenerator<Uint8Array> {
  yield data.subarray(0, data.length >> 1);
  await check?.();
  throw error;
}

describe('fsaSource', () => {
  test('lists and streams a tree exactly, including odd names, empty files and empty folders', async () => {
    const tree: LiteralTree = {
      'a.txt': 'alpha',
      empty: '',
      'empty-dir': {},
      sub: { deeper: { 'b.bin': seededBytes(5000, 2) } },
      ...Object.fromEntries(ODD_NAMES.map((n) => [n, n])),
    };
    await writeTree(dir, tree);
    const source = fsaSource(dir);
    expect(source).toMatchObject({ kind: 'dir', name: dir.name });
    expect(await sourceToLiteral(source)).toEqual({
      'a.txt': bytes('alpha'),
      empty: new Uint8Array(0),
      'empty-dir': {},
      sub: { deeper: { 'b.bin': seededBytes(5000, 2) } },
      ...Object.fromEntries(ODD_NAMES.map((n) => [n, bytes(n)])),
    });
    const a = await fileOf(source, 'a.txt');
    const file = await (await dir.getFileHandle('a.txt')).getFile();
    expect(a.size).toBe(5);
    expect(a.mtime).toBe(file.lastModified);
  });

  test('streams a 10 MiB file in pieces', async () => {
    const data = seededBytes(10 * MiB + 3, 5);
    await writeBytes(dir, 'big.bin', data);
    const file = await fileOf(fsaSource(dir), 'big.bin');
    expect(file.size).toBe(data.length);
    const parts: Uint8Array[] = [];
    for await (const part of file.read()) parts.push(part);
    expect(parts.length).toBeGreaterThan(1);
    let at = 0;
    for (const part of parts) {
      expect(firstDifference(part, data.subarray(at, at + part.length))).toBe(-1);
      at += part.length;
    }
    expect(at).toBe(data.length);
  });

  test('a file removed after listing fails not-found, one changed fails io, naming the path', async () => {
    await writeTree(dir, { sub: { gone: 'soon gone', changed: 'before' } });
    let sub: SourceDir | undefined;
    for await (const entry of fsaSource(dir).entries()) if (entry.kind === 'dir') sub = entry;
    const gone = await fileOf(sub!, 'gone');
    const changed = await fileOf(sub!, 'changed');
    const subHandle = await dir.getDirectoryHandle('sub');
    await subHandle.removeEntry('gone');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await writeBytes(subHandle, 'changed', bytes('after, longer'));
    const error = await expectCairn(readAll(gone.read()), 'not-found');
    expect(error.message).toContain(`${dir.name}/sub/gone`);
    await expectCairn(readAll(changed.read()), 'io');
  });
});

describe('fsaTarget', () => {
  let target: TargetDir;
  beforeEach(() => {
    target = fsaTarget(dir);
  });

  test('writes files that get() describes and streams back', async () => {
    await target.writeFile('a.txt', pieces(bytes('hello world'), 4), T1);
    await target.writeFile('empty', pieces(new Uint8Array(0)), T1);
    expect(await names(dir)).toEqual(['a.txt', 'empty']);
    const info = await target.get('a.txt');
    expect(info).toMatchObject({ kind: 'file', size: 11 });
    expect(info?.kind === 'file' && typeof info.mtime).toBe('number');
    expect(info?.kind === 'file' && (await readAll(info.read()))).toEqual(bytes('hello world'));
    expect(await target.get('empty')).toMatchObject({ kind: 'file', size: 0 });
    expect(await target.get('missing')).toBeNull();
  });

  test('a stream failing halfway leaves nothing under the final name', async () => {
    const boom = new Error('source broke');
    let midWrite: unknown = 'unset';
    const write = target.writeFile(
      'f.bin',
      failingHalfway(seededBytes(2 * MiB), boom, async () => {
        midWrite = await target.get('f.bin');
      }),
      T1,
    );
    await expect(write).rejects.toBe(boom);
    expect(midWrite).toBeNull();
    expect(await names(dir)).toEqual([]);
  });

  test('refuses an existing name, even one created during the write', async () => {
    await writeTree(dir, { taken: 'original', folder: {} });
    await expectCairn(target.writeFile('taken', pieces(bytes('new')), T1), 'already-exists');
    await expectCairn(target.writeFile('folder', pieces(bytes('new')), T1), 'already-exists');
    async function* racing(): AsyncGenerator<Uint8Array> {
      yield bytes('mine');
      await writeBytes(dir, 'raced', bytes('theirs'));
    }
    await expectCairn(target.writeFile('raced', racing(), T1), 'already-exists');
    expect(await names(dir)).toEqual(['folder', 'raced', 'taken']);
    expect(await (await (await dir.getFileHandle('taken')).getFile()).text()).toBe('original');
    expect(await (await (await dir.getFileHandle('raced')).getFile()).text()).toBe('theirs');
  });

  test('renames without overwriting', async () => {
    await target.writeFile('a', pieces(bytes('A')), T1);
    await target.writeFile('b', pieces(bytes('B')), T1);
    await expectCairn(target.rename('a', 'b'), 'already-exists');
    expect(await (await (await dir.getFileHandle('b')).getFile()).text()).toBe('B');
    await target.rename('a', 'c');
    expect(await names(dir)).toEqual(['b', 'c']);
    expect(await (await (await dir.getFileHandle('c')).getFile()).text()).toBe('A');
    await expectCairn(target.rename('missing', 'd'), 'not-found');
    await target.dir('folder');
    await expectCairn(target.rename('folder', 'd'), 'invalid-input');
    await expectCairn(target.rename('b', 'folder'), 'already-exists');
  });

  test('dir() creates or reuses a folder and refuses a file', async () => {
    const sub = await target.dir('sub');
    await sub.writeFile('x', pieces(bytes('x')), T1);
    expect(await (await target.dir('sub')).get('x')).toMatchObject({ kind: 'file', size: 1 });
    expect(await target.get('sub')).toEqual({ kind: 'dir' });
    await writeBytes(dir, 'file', bytes('f'));
    await expectCairn(target.dir('file'), 'already-exists');
  });

  test('rejects names that are not one path component', async () => {
    for (const name of ['', '.', '..', 'a/b', 'a\\b']) {
      await expectCairn(target.writeFile(name, pieces(bytes('x')), T1), 'invalid-input');
      await expectCairn(target.get(name), 'invalid-input');
    }
    expect(await names(dir)).toEqual([]);
  });

  test('without FileSystemHandle.move() writes and renames fail io, leaving nothing', async () => {
    await target.writeFile('a', pieces(bytes('A')), T1);
    const proto = FileSystemFileHandle.prototype as { move?: unknown };
    const move = proto.move;
    delete proto.move;
    try {
      await expectCairn(target.writeFile('b', pieces(bytes('B')), T1), 'io');
      await expectCairn(target.rename('a', 'c'), 'io');
    } finally {
      proto.move = move;
    }
    expect(await names(dir)).toEqual(['a']);
  });

  test('round-trips a source tree with odd names into a target', async () => {
    const tree: LiteralTree = { sub: { 'x.bin': seededBytes(70_000, 4), 'none': {} }, ...Object.fromEntries(ODD_NAMES.map((n) => [n, n])) };
    const from = await dir.getDirectoryHandle('from', { create: true });
    await writeTree(from, tree);
    const into = await fsaTarget(dir).dir('into');
    async function copy(source: SourceDir, to: TargetDir): Promise<void> {
      for await (const entry of source.entries()) {
        if (entry.kind === 'dir') await copy(entry, await to.dir(entry.name));
        else await to.writeFile(entry.name, entry.read(), entry.mtime);
      }
    }
    await copy(fsaSource(from), into);
    const back = await sourceToLiteral(fsaSource(await dir.getDirectoryHandle('into')));
    expect(back).toEqual(await sourceToLiteral(fsaSource(from)));
    expect(Object.keys(back).sort()).toEqual(['sub', ...ODD_NAMES].sort());
  });
});
