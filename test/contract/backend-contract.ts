/**
 * The contract suite of the `Backend` port (src/core/ports/backend.ts), run against every
 * implementation. Each case uses a fresh, empty backend from `make`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCairnError, type CairnErrorCode } from '../../src/core/errors';
import { FILE_TYPES, type Backend, type FileInfo, type FileType } from '../../src/core/ports/backend';
import { seededBytes } from '../support/memory-tree';

export interface ContractOptions {
  /**
   * Stores `data` (possibly empty) under (type, name) directly in the backing store, bypassing
   * the backend, the way a power loss or another program would leave it.
   */
  plant(backend: Backend, type: FileType, name: string, data: Uint8Array): Promise<void>;
}

const MiB = 1024 * 1024;

export function backendContract(
  label: string,
  make: () => Promise<Backend>,
  cleanup?: (backend: Backend) => Promise<void>,
  options?: ContractOptions,
): void {
  describe(`Backend contract: ${label}`, () => {
    let b: Backend;
    beforeEach(async () => {
      b = await make();
    });
    afterEach(async () => {
      await b.close?.();
      await cleanup?.(b);
    });

    describe('write and read', () => {
      it.each([1, 17, 65_537, 3 * MiB + 5])('round-trips %i bytes exactly', async (size) => {
        const data = seeded(size, size);
        await b.write('data', id(size), data);
        expectBytes(await b.read('data', id(size)), data);
      });

      it('round-trips every file type, each under its own namespace', async () => {
        for (const [i, type] of FILE_TYPES.entries()) await b.write(type, nameFor(type, 1), seeded(100 + i, i));
        for (const [i, type] of FILE_TYPES.entries()) expectBytes(await b.read(type, nameFor(type, 1)), seeded(100 + i, i));
      });

      it('keeps the same name apart across types', async () => {
        await b.write('index', id(1), seeded(10, 1));
        await b.write('snapshots', id(1), seeded(20, 2));
        expectBytes(await b.read('index', id(1)), seeded(10, 1));
        expectBytes(await b.read('snapshots', id(1)), seeded(20, 2));
      });

      it('shares no memory with its callers', async () => {
        const data = seeded(64, 3);
        await b.write('index', id(1), data);
        data.fill(0);
        const first = await b.read('index', id(1));
        first.fill(0);
        expectBytes(await b.read('index', id(1)), seeded(64, 3));
      });

      it('stores bytes from a view into a larger buffer, and only the view', async () => {
        const big = seeded(1000, 4);
        await b.write('index', id(1), big.subarray(100, 300));
        expectBytes(await b.read('index', id(1)), big.slice(100, 300));
      });

      it('rejects empty data (it would read as missing) and stores nothing', async () => {
        await expectCode(b.write('index', id(1), new Uint8Array(0)), 'invalid-input');
        await expectCode(b.read('index', id(1)), 'not-found');
        expect(await names(b, 'index')).toEqual([]);
      });

      it('publishes concurrent writes of distinct files whole', async () => {
        const n = 12;
        await Promise.all(range(n).map((i) => b.write('data', id(i), seeded(1000 + i, i))));
        for (const i of range(n)) expectBytes(await b.read('data', id(i)), seeded(1000 + i, i));
        expect((await all(b, 'data')).length).toBe(n);
      });
    });

    describe('immutability', () => {
      it('refuses to overwrite an existing file and keeps its bytes', async () => {
        await b.write('snapshots', id(1), seeded(50, 1));
        await expectCode(b.write('snapshots', id(1), seeded(60, 2)), 'already-exists', id(1));
        expectBytes(await b.read('snapshots', id(1)), seeded(50, 1));
      });

      it('refuses to overwrite even with identical bytes, for every type but locks', async () => {
        for (const type of FILE_TYPES.filter((t) => t !== 'locks')) {
          await b.write(type, nameFor(type, 2), seeded(30, 5));
          await expectCode(b.write(type, nameFor(type, 2), seeded(30, 5)), 'already-exists');
        }
      });

      it('lets a lock file be replaced', async () => {
        await b.write('locks', id(1), seeded(40, 1));
        await b.write('locks', id(1), seeded(25, 2));
        expectBytes(await b.read('locks', id(1)), seeded(25, 2));
        expect(await all(b, 'locks')).toEqual([{ name: id(1), size: 25 }]);
      });

      it('allows writing a name again after it was removed', async () => {
        await b.write('index', id(1), seeded(10, 1));
        await b.remove('index', id(1));
        await b.write('index', id(1), seeded(12, 2));
        expectBytes(await b.read('index', id(1)), seeded(12, 2));
      });
    });

    describe('readRange', () => {
      const size = 2 * MiB + 3;
      const data = seeded(size, 9);
      beforeEach(async () => {
        await b.write('data', id(7), data);
      });

      it('returns exactly the requested bytes', async () => {
        expectBytes(await b.readRange('data', id(7), 0, size), data);
        expectBytes(await b.readRange('data', id(7), 12_345, 70_000), data.slice(12_345, 82_345));
        expectBytes(await b.readRange('data', id(7), size - 1000, 1000), data.slice(size - 1000));
        expectBytes(await b.readRange('data', id(7), size - 1, 1), data.slice(size - 1));
      });

      it('reports a range past the end as corrupted, never a short result', async () => {
        await expectCode(b.readRange('data', id(7), size - 10, 11), 'corrupted', id(7));
        await expectCode(b.readRange('data', id(7), 0, size + 1), 'corrupted');
        await expectCode(b.readRange('data', id(7), size + 5, 1), 'corrupted');
      });

      it('reports a missing file as not-found', async () => {
        await expectCode(b.readRange('data', id(8), 0, 1), 'not-found', id(8));
        await expectCode(b.readRange('index', id(7), 0, 1), 'not-found');
      });

      it('rejects negative or fractional offsets and lengths', async () => {
        await expectCode(b.readRange('data', id(7), -1, 10), 'invalid-input');
        await expectCode(b.readRange('data', id(7), 0, -1), 'invalid-input');
        await expectCode(b.readRange('data', id(7), 0.5, 10), 'invalid-input');
      });
    });

    describe('missing files', () => {
      it('reports read, readRange and stat of a never-written file as not-found, naming it', async () => {
        await expectCode(b.read('index', id(3)), 'not-found', id(3));
        await expectCode(b.readRange('index', id(3), 0, 1), 'not-found', id(3));
        await expectCode(b.stat('index', id(3)), 'not-found', id(3));
        await expectCode(b.read('data', id(3)), 'not-found', id(3));
        await expectCode(b.read('config', 'config'), 'not-found', 'config');
      });

      it.runIf(options !== undefined)('treats a zero-length file as missing', async () => {
        for (const type of ['data', 'index', 'locks', 'config'] as const) {
          const name = nameFor(type, 4);
          await options!.plant(b, type, name, new Uint8Array(0));
          await expectCode(b.read(type, name), 'not-found', name);
          await expectCode(b.readRange(type, name, 0, 1), 'not-found', name);
          await expectCode(b.stat(type, name), 'not-found', name);
          expect(await names(b, type)).toEqual([]);
          // A write over such a leftover is allowed: it counts as missing.
          await b.write(type, name, seeded(33, 4));
          expectBytes(await b.read(type, name), seeded(33, 4));
        }
      });

      it.runIf(options !== undefined)('reports a truncated file as corrupted in readRange', async () => {
        await options!.plant(b, 'data', id(5), seeded(100, 5));
        await expectCode(b.readRange('data', id(5), 50, 51), 'corrupted', id(5));
        expectBytes(await b.readRange('data', id(5), 50, 50), seeded(100, 5).slice(50));
      });
    });

    describe('list', () => {
      it('lists nothing in an empty repository', async () => {
        for (const type of FILE_TYPES) expect(await all(b, type)).toEqual([]);
      });

      it('lists every file of a type once, with its size, and nothing of other types', async () => {
        // Data names chosen to fall into several sub-folders, some sharing one.
        const dataNames = ['00', '00', '7f', 'a5', 'ff', 'ff', 'ff'].map((p, i) => p + id(i).slice(2));
        for (const [i, name] of dataNames.entries()) await b.write('data', name, seeded(10 + i, i));
        for (const i of range(3)) await b.write('index', id(100 + i), seeded(200 + i, i));
        await b.write('snapshots', id(200), seeded(5, 1));
        await b.write('config', 'config', seeded(7, 1));

        expect(sorted(await all(b, 'data'))).toEqual(
          sorted(dataNames.map((name, i) => ({ name, size: 10 + i }))),
        );
        expect(sorted(await all(b, 'index'))).toEqual(
          sorted(range(3).map((i) => ({ name: id(100 + i), size: 200 + i }))),
        );
        expect(await all(b, 'snapshots')).toEqual([{ name: id(200), size: 5 }]);
        expect(await all(b, 'config')).toEqual([{ name: 'config', size: 7 }]);
        expect(await all(b, 'keys')).toEqual([]);
        expect(await all(b, 'locks')).toEqual([]);
      });

      it('reports sizes of multi-MiB files', async () => {
        await b.write('data', id(1), seeded(4 * MiB + 1, 1));
        expect(await all(b, 'data')).toEqual([{ name: id(1), size: 4 * MiB + 1 }]);
      });

      it('no longer lists a removed file', async () => {
        await b.write('data', id(1), seeded(10, 1));
        await b.write('data', id(2), seeded(11, 2));
        await b.remove('data', id(1));
        expect(await all(b, 'data')).toEqual([{ name: id(2), size: 11 }]);
      });
    });

    describe('remove', () => {
      it('deletes the file', async () => {
        await b.write('snapshots', id(1), seeded(10, 1));
        await b.remove('snapshots', id(1));
        await expectCode(b.read('snapshots', id(1)), 'not-found');
        await expectCode(b.stat('snapshots', id(1)), 'not-found');
      });

      it('is idempotent, and removing a never-written file is not an error', async () => {
        await b.write('data', id(1), seeded(10, 1));
        await b.remove('data', id(1));
        await b.remove('data', id(1));
        await b.remove('data', id(2));
        await b.remove('config', 'config');
        for (const type of FILE_TYPES) await b.remove(type, nameFor(type, 9));
      });

      it('removes only the named file', async () => {
        await b.write('index', id(1), seeded(10, 1));
        await b.write('index', id(2), seeded(10, 2));
        await b.write('snapshots', id(1), seeded(10, 3));
        await b.remove('index', id(1));
        expectBytes(await b.read('index', id(2)), seeded(10, 2));
        expectBytes(await b.read('snapshots', id(1)), seeded(10, 3));
      });
    });

    describe('stat', () => {
      it('returns name and size without changing the file', async () => {
        await b.write('data', id(1), seeded(1234, 1));
        await b.write('config', 'config', seeded(3, 1));
        expect(await b.stat('data', id(1))).toEqual({ name: id(1), size: 1234 });
        expect(await b.stat('config', 'config')).toEqual({ name: 'config', size: 3 });
        expectBytes(await b.read('data', id(1)), seeded(1234, 1));
      });

      it('follows a replaced lock file', async () => {
        await b.write('locks', id(1), seeded(10, 1));
        await b.write('locks', id(1), seeded(20, 1));
        expect(await b.stat('locks', id(1))).toEqual({ name: id(1), size: 20 });
      });
    });

    describe('names', () => {
      it.each(['../escape', id(1).toUpperCase(), id(1).slice(1), `${id(1)}/x`, '', 'config'])(
        'rejects the hostile or malformed name %j',
        async (name) => {
          await expectCode(b.write('data', name, seeded(4, 1)), 'invalid-input');
          await expectCode(b.read('index', name), 'invalid-input');
          await expectCode(b.remove('snapshots', name), 'invalid-input');
        },
      );

      it("accepts only 'config' as the name of the config file", async () => {
        await expectCode(b.write('config', id(1), seeded(4, 1)), 'invalid-input');
        await expectCode(b.read('config', '../config'), 'invalid-input');
      });
    });

    it('names a human-readable location', () => {
      expect(b.location.length).toBeGreaterThan(0);
    });
  });
}

/** A 64-hex name derived from a number; different numbers give names in different sub-folders. */
export function id(n: number): string {
  const hex = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return (hex + n.toString(16).padStart(8, '0')).repeat(4);
}

function nameFor(type: FileType, n: number): string {
  return type === 'config' ? 'config' : id(n);
}

/** Deterministic pseudo-random bytes (the shared test generator). */
export const seeded = (length: number, seed: number): Uint8Array<ArrayBuffer> => seededBytes(length, seed);

/** Compares bytes without vitest's element-wise diff (too slow for MiBs). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.length).toBe(expected.length);
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  expect(first, 'offset of the first differing byte').toBe(-1);
}

export async function expectCode(p: Promise<unknown>, code: CairnErrorCode, mentions?: string): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected CairnError('${code}')`).toBeDefined();
  expect(isCairnError(error), `expected a CairnError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  if (mentions !== undefined) expect((error as Error).message).toContain(mentions);
}

async function all(b: Backend, type: FileType): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for await (const info of b.list(type)) out.push({ name: info.name, size: info.size });
  return out;
}

async function names(b: Backend, type: FileType): Promise<string[]> {
  return (await all(b, type)).map((f) => f.name);
}

function sorted(infos: FileInfo[]): FileInfo[] {
  return [...infos].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
