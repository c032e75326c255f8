import { describe, expect, test } from 'vitest';
import { CairnError } from '../../../src/core/errors';
import type { SourceDir, SourceFile } from '../../../src/core/ports/source';
import {
  LITERAL_EPOCH,
  MemoryTarget,
  memorySource,
  pieces,
  readAll,
  seededBytes,
  sourceToLiteral,
} from '../../support/memory-tree';

const bytes = (s: string) => new TextEncoder().encode(s);
const T1 = Date.UTC(2020, 1, 2, 3, 4, 5, 6);

async function expectCairn(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CairnError);
  expect((error as CairnError).code).toBe(code);
}

async function files(dir: SourceDir): Promise<Map<string, SourceFile>> {
  const out = new Map<string, SourceFile>();
  for await (const e of dir.entries()) if (e.kind === 'file') out.set(e.name, e);
  return out;
}

async function* failingAfter(data: Uint8Array, error: Error): AsyncGenerator<Uint8Array> {
  yield data;
  throw error;
}

describe('memorySource', () => {
  test('lists a literal tree exactly, with stable default mtimes', async () => {
    const tree = {
      'a.txt': 'alpha',
      'bin': new Uint8Array([0, 1, 2]),
      'dated': { data: 'd', mtime: T1 },
      'empty': '',
      'sub': { 'deep': { 'x': 'x' }, 'none': {} },
      '🪨 cafe\u0301': 'nfd',
    };
    const dir = memorySource(tree);
    expect(dir).toMatchObject({ kind: 'dir', name: 'source' });
    expect(await sourceToLiteral(dir)).toEqual({
      'a.txt': bytes('alpha'),
      'bin': new Uint8Array([0, 1, 2]),
      'dated': bytes('d'),
      'empty': new Uint8Array(0),
      'sub': { 'deep': { 'x': bytes('x') }, 'none': {} },
      '🪨 cafe\u0301': bytes('nfd'),
    });
    const f = await files(dir);
    expect(f.get('a.txt')).toMatchObject({ size: 5, mtime: LITERAL_EPOCH });
    expect(f.get('dated')).toMatchObject({ size: 1, mtime: T1 });
    expect(memorySource({ a: 'a' }, { mtime: 5, name: 'root' }).name).toBe('root');
    expect((await files(memorySource({ a: 'a' }, { mtime: 5 }))).get('a')?.mtime).toBe(5);
  });

  test('a folder may hold entries named "data" and "mtime"', async () => {
    const dir = memorySource({ folder: { data: 'x', mtime: 'y' } });
    expect(await sourceToLiteral(dir)).toEqual({ folder: { data: bytes('x'), mtime: bytes('y') } });
  });

  test('read() yields fresh pieces of the configured size', async () => {
    const data = seededBytes(1000);
    const file = (await files(memorySource({ f: data }, { chunkSize: 300 }))).get('f')!;
    const got: Uint8Array[] = [];
    for await (const piece of file.read()) got.push(piece);
    expect(got.map((p) => p.length)).toEqual([300, 300, 300, 100]);
    got[0]![0] = got[0]![0]! ^ 0xff;
    expect(await readAll(file.read())).toEqual(data);
    const empty = (await files(memorySource({ e: '' }))).get('e')!;
    expect(await empty.read()[Symbol.asyncIterator]().next()).toMatchObject({ done: true });
  });

  test('size override and onRead simulate changed and vanished files', async () => {
    const seen: string[] = [];
    const dir = memorySource(
      { changed: { data: 'longer now', mtime: T1, size: 3 }, sub: { gone: 'x' } },
      {
        onRead(path) {
          seen.push(path);
          if (path === 'sub/gone') throw new CairnError('not-found', 'gone');
        },
      },
    );
    const changed = (await files(dir)).get('changed')!;
    expect(changed.size).toBe(3);
    expect((await readAll(changed.read())).length).toBe(10);
    let sub: SourceDir | undefined;
    for await (const e of dir.entries()) if (e.kind === 'dir') sub = e;
    await expectCairn(readAll((await files(sub!)).get('gone')!.read()), 'not-found');
    expect(seen).toEqual(['changed', 'sub/gone']);
  });

  test('rejects values that are neither files nor folders', async () => {
    const dir = memorySource({ bad: 42 } as never);
    await expect(sourceToLiteral(dir)).rejects.toThrow(TypeError);
  });
});

describe('MemoryTarget', () => {
  test('pre-populates from a literal tree and reads it back', async () => {
    const t = new MemoryTarget({ a: 'A', sub: { b: { data: 'B', mtime: T1 }, empty: {} } });
    expect(t.name).toBe('target');
    expect(t.toLiteral()).toEqual({ a: bytes('A'), sub: { b: bytes('B'), empty: {} } });
    expect(t.toLiteral({ mtimes: true })).toEqual({
      a: { data: bytes('A'), mtime: LITERAL_EPOCH },
      sub: { b: { data: bytes('B'), mtime: T1 }, empty: {} },
    });
    expect(await t.get('a')).toMatchObject({ kind: 'file', size: 1, mtime: LITERAL_EPOCH });
    expect(await t.get('sub')).toEqual({ kind: 'dir' });
    expect(await t.get('nope')).toBeNull();
    const info = await t.get('a');
    expect(info?.kind === 'file' && (await readAll(info.read()))).toEqual(bytes('A'));
  });

  test('writeFile copies pieces, sets mtime and publishes only when complete', async () => {
    const t = new MemoryTarget();
    const reused = new Uint8Array(4);
    let seenMidWrite: unknown = 'unset';
    let partialMidWrite: unknown = 'unset';
    async function* stream(): AsyncGenerator<Uint8Array> {
      reused.set(bytes('abcd'));
      yield reused;
      seenMidWrite = await t.get('f');
      partialMidWrite = Object.keys(t.toLiteral());
      reused.set(bytes('efgh'));
      yield reused;
    }
    await t.writeFile('f', stream(), T1);
    expect(seenMidWrite).toBeNull();
    expect(partialMidWrite).toEqual(['.cairn-partial-1']);
    expect(t.toLiteral({ mtimes: true })).toEqual({ f: { data: bytes('abcdefgh'), mtime: T1 } });
    await expectCairn(t.writeFile('g', pieces(bytes('x')), Number.NaN), 'invalid-input');
  });

  test('writeFile fails already-exists before or at publication, leaving the original', async () => {
    const t = new MemoryTarget({ taken: 'original', d: {} });
    await expectCairn(t.writeFile('taken', pieces(bytes('new')), T1), 'already-exists');
    await expectCairn(t.writeFile('d', pieces(bytes('new')), T1), 'already-exists');
    async function* racing(): AsyncGenerator<Uint8Array> {
      yield bytes('mine');
      await t.writeFile('raced', pieces(bytes('theirs')), T1);
    }
    await expectCairn(t.writeFile('raced', racing(), T1), 'already-exists');
    expect(t.toLiteral()).toEqual({ taken: bytes('original'), d: {}, raced: bytes('theirs') });
  });

  test('a failing stream leaves nothing and its error passes through', async () => {
    const t = new MemoryTarget();
    const boom = new Error('boom');
    await expect(t.writeFile('f', failingAfter(bytes('half'), boom), T1)).rejects.toBe(boom);
    expect(t.toLiteral()).toEqual({});
  });

  test('failAfter(n) crashes mid-write across the whole tree, leaving no final name', async () => {
    const t = new MemoryTarget();
    const sub = await t.dir('sub');
    t.failAfter(10);
    await t.writeFile('a', pieces(bytes('123456')), T1);
    await expectCairn(sub.writeFile('b', pieces(bytes('abcdefgh'), 3), T1), 'io');
    expect(t.toLiteral()).toEqual({ a: bytes('123456'), sub: {} });
    await expectCairn(t.writeFile('c', pieces(bytes('x')), T1), 'io');
    await t.writeFile('empty', pieces(new Uint8Array(0)), T1);

    const crash = new Error('power cut');
    t.failAfter(2, { error: crash, keepPartial: true });
    await expect(t.writeFile('d', pieces(bytes('xyz'), 1), T1)).rejects.toBe(crash);
    expect(t.toLiteral()).toEqual({ a: bytes('123456'), sub: {}, empty: new Uint8Array(0), '.cairn-partial-5': bytes('xy') });

    t.failAfter(null);
    await t.writeFile('c', pieces(bytes('x')), T1);
    expect(await t.get('c')).toMatchObject({ kind: 'file', size: 1 });
  });

  test('rename moves files only and never overwrites', async () => {
    const t = new MemoryTarget({ a: { data: 'A', mtime: T1 }, b: 'B', d: {} });
    await expectCairn(t.rename('a', 'b'), 'already-exists');
    await expectCairn(t.rename('a', 'd'), 'already-exists');
    await expectCairn(t.rename('missing', 'x'), 'not-found');
    await expectCairn(t.rename('d', 'x'), 'invalid-input');
    await t.rename('a', 'c');
    expect(t.toLiteral({ mtimes: true })).toEqual({
      b: { data: bytes('B'), mtime: LITERAL_EPOCH },
      d: {},
      c: { data: bytes('A'), mtime: T1 },
    });
  });

  test('dir() creates once, reuses, and refuses a file', async () => {
    const t = new MemoryTarget({ f: 'f' });
    const a = await t.dir('a');
    expect(a.name).toBe('a');
    expect(await t.dir('a')).toBe(a);
    await a.writeFile('x', pieces(bytes('x')), T1);
    await expectCairn(t.dir('f'), 'already-exists');
    expect(t.toLiteral()).toEqual({ f: bytes('f'), a: { x: bytes('x') } });
  });

  test('rejects names that are not one path component', async () => {
    const t = new MemoryTarget();
    for (const name of ['', '.', '..', 'a/b', 'nul\0']) {
      await expectCairn(t.writeFile(name, pieces(bytes('x')), T1), 'invalid-input');
      await expectCairn(t.dir(name), 'invalid-input');
      await expectCairn(t.get(name), 'invalid-input');
      await expectCairn(t.rename(name, 'x'), 'invalid-input');
    }
    expect(() => new MemoryTarget({ 'a/b': 'x' })).toThrow(CairnError);
    expect(t.toLiteral()).toEqual({});
  });

  test('toLiteral keeps odd names such as __proto__ as keys', async () => {
    const t = new MemoryTarget();
    await t.writeFile('__proto__', pieces(bytes('p')), T1);
    const lit = t.toLiteral();
    expect(Object.keys(lit)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(lit)).toBe(Object.prototype);
  });
});
