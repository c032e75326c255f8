import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { nodeSource, type NodeSkipReason } from '../../../src/cli/node-source';
import { nodeTarget } from '../../../src/cli/node-target';
import { CairnError } from '../../../src/core/errors';
import type { SourceDir, SourceFile } from '../../../src/core/ports/source';
import type { TargetDir } from '../../../src/core/ports/target';
import { pieces, readAll, seededBytes, sourceToLiteral } from '../../support/memory-tree';

const MiB = 1024 * 1024;
const T0 = Date.UTC(2021, 4, 6, 7, 8, 9, 123);
const bytes = (s: string) => new TextEncoder().encode(s);
const NAMES = ['caf\u00e9 NFC.txt', 'cafe\u0301 NFD.txt', '🪨 cairn.txt', ' leading and trailing ', 'Mixed.CASE', 'mixed.case'];

let root: string;
beforeEach(async () => {
  root = await fsp.mkdtemp(join(tmpdir(), 'cairn-node-st-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fsp.rm(root, { recursive: true, force: true });
});

async function expectCairn(promise: Promise<unknown>, code: string): Promise<CairnError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CairnError);
  expect((error as CairnError).code).toBe(code);
  return error as CairnError;
}

async function childFile(dir: SourceDir, name: string): Promise<SourceFile> {
  for await (const entry of dir.entries()) if (entry.name === name && entry.kind === 'file') return entry;
  throw new Error(`no file ${name}`);
}

async function* failingHalfway(data: Uint8Array, error: Error): AsyncGenerator<Uint8Array> {
  yield data.subarray(0, data.length >> 1);
  throw error;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const listNames = async (path: string) => (await fsp.readdir(path)).sort();

describe('nodeSource', () => {
  test('lists files and folders with sizes and mtimes, streaming exact bytes', async () => {
    const src = join(root, 'src');
    await fsp.mkdir(join(src, 'sub', 'deeper'), { recursive: true });
    await fsp.mkdir(join(src, 'empty-dir'));
    await fsp.writeFile(join(src, 'a.txt'), 'alpha');
    await fsp.writeFile(join(src, 'empty'), '');
    await fsp.writeFile(join(src, 'sub', 'deeper', 'b.bin'), seededBytes(3000, 7));
    await fsp.utimes(join(src, 'a.txt'), T0 / 1000, T0 / 1000);

    const dir = await nodeSource(src);
    expect(dir).toMatchObject({ kind: 'dir', name: 'src' });
    expect(await sourceToLiteral(dir)).toEqual({
      'a.txt': bytes('alpha'),
      empty: new Uint8Array(0),
      'empty-dir': {},
      sub: { deeper: { 'b.bin': seededBytes(3000, 7) } },
    });
    const a = await childFile(dir, 'a.txt');
    expect(a.size).toBe(5);
    expect(a.mtime).toBe(T0);
    expect(Number.isInteger(a.mtime)).toBe(true);
  });

  test('streams a 20 MiB file in pieces of at most 1 MiB', async () => {
    const data = seededBytes(20 * MiB + 17, 3);
    await fsp.writeFile(join(root, 'big.bin'), data);
    const file = await childFile(await nodeSource(root), 'big.bin');
    expect(file.size).toBe(data.length);
    const sizes: number[] = [];
    const hash = createHash('sha256');
    for await (const piece of file.read()) {
      sizes.push(piece.length);
      hash.update(piece);
    }
    expect(sizes.length).toBe(21);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MiB);
    expect(sizes.reduce((n, s) => n + s, 0)).toBe(data.length);
    expect(hash.digest('hex')).toBe(sha256(data));
  });

  test('pieces are independent copies the consumer may keep', async () => {
    await fsp.writeFile(join(root, 'f'), seededBytes(2 * MiB + 5, 9));
    const kept: Uint8Array[] = [];
    for await (const piece of (await childFile(await nodeSource(root), 'f')).read()) kept.push(piece);
    expect(sha256(Buffer.concat(kept))).toBe(sha256(seededBytes(2 * MiB + 5, 9)));
  });

  test('skips symlinks, sockets and never follows links, reporting each skip', async () => {
    const src = join(root, 'src');
    await fsp.mkdir(join(src, 'real-dir'), { recursive: true });
    await fsp.writeFile(join(src, 'real.txt'), 'x');
    await fsp.symlink(join(src, 'real.txt'), join(src, 'link-to-file'));
    await fsp.symlink(join(src, 'real-dir'), join(src, 'link-to-dir'));
    await fsp.symlink('/nonexistent/target', join(src, 'dangling'));
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(join(src, 'sock'), resolve));
    try {
      const skipped: [string, NodeSkipReason][] = [];
      const dir = await nodeSource(src, { onSkip: (path, reason) => skipped.push([path, reason]) });
      expect(await sourceToLiteral(dir)).toEqual({ 'real.txt': bytes('x'), 'real-dir': {} });
      expect(skipped.sort()).toEqual(
        [
          [join(src, 'dangling'), 'symlink'],
          [join(src, 'link-to-dir'), 'symlink'],
          [join(src, 'link-to-file'), 'symlink'],
          [join(src, 'sock'), 'special'],
        ].sort(),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('preserves unicode, emoji, NFC/NFD and space names exactly', async () => {
    for (const name of NAMES) await fsp.writeFile(join(root, name), name);
    const names: string[] = [];
    for await (const entry of (await nodeSource(root)).entries()) names.push(entry.name);
    expect(names.sort()).toEqual([...NAMES].sort());
    expect(names).toContain('cafe\u0301 NFD.txt');
    expect(names).toContain('caf\u00e9 NFC.txt');
  });

  test('a file removed after listing fails not-found; one replaced by a link is not followed', async () => {
    await fsp.writeFile(join(root, 'gone'), 'x');
    await fsp.writeFile(join(root, 'swapped'), 'x');
    await fsp.writeFile(join(root, 'secret'), 'do not read');
    const dir = await nodeSource(root);
    const gone = await childFile(dir, 'gone');
    const swapped = await childFile(dir, 'swapped');
    await fsp.rm(join(root, 'gone'));
    await fsp.rm(join(root, 'swapped'));
    await fsp.symlink(join(root, 'secret'), join(root, 'swapped'));
    const error = await expectCairn(readAll(gone.read()), 'not-found');
    expect(error.message).toContain(join(root, 'gone'));
    await expectCairn(readAll(swapped.read()), 'invalid-input');
  });

  test('refuses a missing path or a file', async () => {
    await expectCairn(nodeSource(join(root, 'missing')), 'not-found');
    await fsp.writeFile(join(root, 'file'), '');
    await expectCairn(nodeSource(join(root, 'file')), 'invalid-input');
  });
});

describe('nodeTarget', () => {
  let target: TargetDir;
  let out: string;
  beforeEach(async () => {
    out = join(root, 'out', 'nested');
    target = await nodeTarget(out);
  });

  test('creates the folder and writes files with their mtime', async () => {
    expect(target.name).toBe('nested');
    expect((await fsp.stat(out)).isDirectory()).toBe(true);
    await target.writeFile('a.txt', pieces(bytes('hello world'), 3), T0);
    expect(await fsp.readFile(join(out, 'a.txt'), 'utf8')).toBe('hello world');
    expect(Math.round((await fsp.stat(join(out, 'a.txt'))).mtimeMs)).toBe(T0);
    const info = await target.get('a.txt');
    expect(info).toMatchObject({ kind: 'file', size: 11, mtime: T0 });
    expect(info?.kind === 'file' && (await readAll(info.read()))).toEqual(bytes('hello world'));
    expect(await target.get('missing')).toBeNull();
    await target.writeFile('empty', pieces(new Uint8Array(0)), T0);
    expect((await fsp.stat(join(out, 'empty'))).size).toBe(0);
    expect(await listNames(out)).toEqual(['a.txt', 'empty']);
  });

  test('a stream failing halfway leaves nothing, and its error passes through unchanged', async () => {
    const boom = new Error('source broke');
    const error = await target.writeFile('f.bin', failingHalfway(seededBytes(4 * MiB), boom), T0).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect(await listNames(out)).toEqual([]);
  });

  test('never replaces an existing file, even one created during the write', async () => {
    await fsp.writeFile(join(out, 'taken'), 'original');
    await expectCairn(target.writeFile('taken', pieces(bytes('new')), T0), 'already-exists');
    await fsp.mkdir(join(out, 'a-dir'));
    await expectCairn(target.writeFile('a-dir', pieces(bytes('new')), T0), 'already-exists');

    async function* racing(): AsyncGenerator<Uint8Array> {
      yield bytes('new ');
      await fsp.writeFile(join(out, 'raced'), 'written by someone else');
      yield bytes('content');
    }
    await expectCairn(target.writeFile('raced', racing(), T0), 'already-exists');
    expect(await fsp.readFile(join(out, 'taken'), 'utf8')).toBe('original');
    expect(await fsp.readFile(join(out, 'raced'), 'utf8')).toBe('written by someone else');
    expect(await listNames(out)).toEqual(['a-dir', 'raced', 'taken']);
  });

  test('without hard links (FAT) it still publishes and still never replaces', async () => {
    const eperm = () => Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM', syscall: 'link' });
    const link = vi.spyOn(fsp, 'link').mockImplementation(async () => {
      throw eperm();
    });
    await target.writeFile('a', pieces(bytes('AAA')), T0);
    expect(await fsp.readFile(join(out, 'a'), 'utf8')).toBe('AAA');
    expect(Math.round((await fsp.stat(join(out, 'a'))).mtimeMs)).toBe(T0);
    async function* racing(): AsyncGenerator<Uint8Array> {
      yield bytes('mine');
      await fsp.writeFile(join(out, 'b'), 'theirs');
    }
    await expectCairn(target.writeFile('b', racing(), T0), 'already-exists');
    expect(await fsp.readFile(join(out, 'b'), 'utf8')).toBe('theirs');
    await target.rename('a', 'c');
    await expectCairn(target.rename('c', 'b'), 'already-exists');
    expect(link).toHaveBeenCalled();
    expect(await listNames(out)).toEqual(['b', 'c']);
  });

  test('round-trips unicode, emoji, NFC/NFD and space names exactly', async () => {
    for (const name of NAMES) await target.writeFile(name, pieces(bytes(name)), T0);
    expect(await listNames(out)).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(await fsp.readFile(join(out, name), 'utf8')).toBe(name);
  });

  test('rename moves a file and refuses to overwrite', async () => {
    await target.writeFile('a', pieces(bytes('A')), T0);
    await target.writeFile('b', pieces(bytes('B')), T0);
    await expectCairn(target.rename('a', 'b'), 'already-exists');
    expect(await fsp.readFile(join(out, 'b'), 'utf8')).toBe('B');
    await target.rename('a', 'c');
    expect(await listNames(out)).toEqual(['b', 'c']);
    expect(await fsp.readFile(join(out, 'c'), 'utf8')).toBe('A');
    expect(Math.round((await fsp.stat(join(out, 'c'))).mtimeMs)).toBe(T0);
    await expectCairn(target.rename('missing', 'd'), 'not-found');
    await target.dir('folder');
    await expectCairn(target.rename('folder', 'd'), 'invalid-input');
  });

  test('dir() creates or reuses a folder, never over a file or through a link', async () => {
    const sub = await target.dir('sub');
    expect(sub.name).toBe('sub');
    await sub.writeFile('x', pieces(bytes('x')), T0);
    const again = await target.dir('sub');
    expect(await again.get('x')).toMatchObject({ kind: 'file', size: 1 });
    expect(await target.get('sub')).toEqual({ kind: 'dir' });
    await target.writeFile('file', pieces(bytes('f')), T0);
    await expectCairn(target.dir('file'), 'already-exists');
    const outside = join(root, 'outside');
    await fsp.mkdir(outside);
    await fsp.symlink(outside, join(out, 'link'));
    await expectCairn(target.dir('link'), 'already-exists');
    const link = await target.get('link');
    expect(link?.kind).toBe('file');
    await expectCairn(link?.kind === 'file' ? readAll(link.read()) : Promise.resolve(), 'invalid-input');
  });

  test('rejects names that are not one path component', async () => {
    for (const name of ['', '.', '..', 'a/b', '../escape', 'nul\0']) {
      await expectCairn(target.writeFile(name, pieces(bytes('x')), T0), 'invalid-input');
      await expectCairn(target.dir(name), 'invalid-input');
      await expectCairn(target.get(name), 'invalid-input');
    }
    expect(await listNames(root)).toEqual(['out']);
    expect(await listNames(out)).toEqual([]);
  });

  test('refuses a target path that is a file', async () => {
    await fsp.writeFile(join(root, 'plain'), '');
    await expectCairn(nodeTarget(join(root, 'plain')), 'already-exists');
  });
});
