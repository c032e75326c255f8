/**
 * The Backend contract in real Chromium: IdbBackend over real IndexedDB, FsaBackend over an OPFS
 * folder (a real FileSystemDirectoryHandle), plus failures that only a real host produces.
 */
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { filePath, type Backend, type FileType } from '../../src/core/ports/backend';
import { FsaBackend } from '../../src/storage/fsa-backend';
import { IdbBackend } from '../../src/storage/idb-backend';
import { backendContract, expectBytes, expectCode, id, seeded } from '../contract/backend-contract';

let counter = 0;
const folders = new WeakMap<Backend, string>();

async function opfs(): Promise<FileSystemDirectoryHandle> {
  return navigator.storage.getDirectory();
}

async function freshFolder(): Promise<{ name: string; dir: FileSystemDirectoryHandle }> {
  const name = `cairn-backends-test-${++counter}`;
  return { name, dir: await (await opfs()).getDirectoryHandle(name, { create: true }) };
}

/** Puts bytes at the backend's path for (type, name) with plain OPFS calls. */
async function plantFile(root: FileSystemDirectoryHandle, type: FileType, name: string, data: Uint8Array) {
  const parts = filePath(type, name);
  let dir = root;
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
  const handle = await dir.getFileHandle(parts[parts.length - 1]!, { create: true });
  const w = await handle.createWritable();
  await w.write(data.slice());
  await w.close();
}

backendContract(
  'IdbBackend (Chromium IndexedDB)',
  async () => IdbBackend.open(`cairn-backends-test-${++counter}`),
  async (b) => IdbBackend.destroy((b as IdbBackend).dbName),
  {
    async plant(b, type, name, data) {
      const db = await openDB((b as IdbBackend).dbName);
      const tx = db.transaction(['meta', 'blobs'], 'readwrite');
      void tx.objectStore('meta').put({ size: data.length }, [type, name]);
      void tx.objectStore('blobs').put(new Blob([data.slice()]), [type, name]);
      await tx.done;
      db.close();
    },
  },
);

const fsaRoots = new WeakMap<Backend, FileSystemDirectoryHandle>();

backendContract(
  'FsaBackend (Chromium OPFS folder)',
  async () => {
    const { name, dir } = await freshFolder();
    const b = new FsaBackend(dir);
    folders.set(b, name);
    fsaRoots.set(b, dir);
    return b;
  },
  async (b) => (await opfs()).removeEntry(folders.get(b)!, { recursive: true }),
  { plant: async (b, type, name, data) => plantFile(fsaRoots.get(b)!, type, name, data) },
);

describe('FsaBackend on a real folder', () => {
  it('reads a zero-length file left in the folder as not-found, lists it not, and writes over it', async () => {
    const { name: folder, dir } = await freshFolder();
    const b = new FsaBackend(dir);
    const sub = await (await dir.getDirectoryHandle('data', { create: true })).getDirectoryHandle(id(1).slice(0, 2), {
      create: true,
    });
    await sub.getFileHandle(id(1), { create: true });
    expect((await (await sub.getFileHandle(id(1))).getFile()).size).toBe(0);

    await expectCode(b.read('data', id(1)), 'not-found', id(1));
    await expectCode(b.readRange('data', id(1), 0, 4), 'not-found', id(1));
    await expectCode(b.stat('data', id(1)), 'not-found', id(1));
    for await (const f of b.list('data')) expect.unreachable(`listed ${f.name}`);
    await b.write('data', id(1), seeded(100, 1));
    expectBytes(await b.read('data', id(1)), seeded(100, 1));
    await (await opfs()).removeEntry(folder, { recursive: true });
  });

  it("reports the folder removed from under it as 'disconnected', naming the folder", async () => {
    const { name: folder, dir } = await freshFolder();
    const b = new FsaBackend(dir);
    await b.write('data', id(1), seeded(100, 1));
    await b.write('config', 'config', seeded(10, 1));
    await (await opfs()).removeEntry(folder, { recursive: true });

    await expectCode(b.read('data', id(1)), 'disconnected', folder);
    await expectCode(b.readRange('config', 'config', 0, 1), 'disconnected', folder);
    await expectCode(b.stat('data', id(1)), 'disconnected', folder);
    await expectCode(b.write('index', id(2), seeded(10, 2)), 'disconnected', folder);
    await expectCode(b.remove('data', id(1)), 'disconnected', folder);
    for (const type of ['data', 'index', 'config'] as const) {
      await expectCode(
        (async () => {
          for await (const _ of b.list(type)) void _;
        })(),
        'disconnected',
      );
    }
  });

  it('leaves no swap or temporary files next to published files', async () => {
    const { name: folder, dir } = await freshFolder();
    const b = new FsaBackend(dir);
    await b.write('index', id(1), seeded(3_000_000, 1));
    await b.write('locks', id(2), seeded(10, 1));
    await b.write('locks', id(2), seeded(20, 2));
    const index: string[] = [];
    for await (const k of (await dir.getDirectoryHandle('index')).keys()) index.push(k);
    const locks: string[] = [];
    for await (const k of (await dir.getDirectoryHandle('locks')).keys()) locks.push(k);
    expect(index).toEqual([id(1)]);
    expect(locks).toEqual([id(2)]);
    await (await opfs()).removeEntry(folder, { recursive: true });
  });
});

describe('FsaBackend error mapping', () => {
  /** A folder whose every call fails with a DOMException of the given name. */
  function failingRoot(errorName: string, rootAlive = true): FileSystemDirectoryHandle {
    const fail = async () => {
      throw new DOMException(`simulated ${errorName}`, errorName);
    };
    return {
      kind: 'directory',
      name: 'USB-BACKUP',
      getDirectoryHandle: fail,
      getFileHandle: fail,
      removeEntry: fail,
      keys: () => ({ next: rootAlive ? async () => ({ done: true, value: undefined }) : fail }),
    } as unknown as FileSystemDirectoryHandle;
  }

  it.each([
    ['QuotaExceededError', 'storage-full'],
    ['NotAllowedError', 'permission'],
    ['SecurityError', 'permission'],
    ['InvalidStateError', 'disconnected'],
    ['NotReadableError', 'disconnected'],
    ['AbortError', 'io'],
    ['TypeMismatchError', 'io'],
  ] as const)('maps %s to %s, naming file and folder', async (errorName, code) => {
    const b = new FsaBackend(failingRoot(errorName));
    await expectCode(b.write('data', id(1), seeded(10, 1)), code, 'USB-BACKUP');
    await expectCode(b.read('index', id(2)), code, id(2));
  });

  it("maps NotFoundError to not-found while the folder exists, else to 'disconnected'", async () => {
    await expectCode(new FsaBackend(failingRoot('NotFoundError', true)).read('index', id(2)), 'not-found', id(2));
    await expectCode(new FsaBackend(failingRoot('NotFoundError', false)).read('index', id(2)), 'disconnected', 'USB-BACKUP');
  });
});

describe('IdbBackend in Chromium', () => {
  it("gives way when another connection deletes the database, then reports 'disconnected'", async () => {
    const name = `cairn-backends-test-${++counter}`;
    const b = await IdbBackend.open(name);
    await b.write('data', id(1), seeded(1000, 1));
    // deleteDatabase would stay blocked forever if the backend did not close its connection.
    await IdbBackend.destroy(name);
    await expectCode(b.read('data', id(1)), 'disconnected', name);
    await expectCode(b.write('data', id(2), seeded(10, 2)), 'disconnected', name);
  });

  it('serves ranges of a multi-MiB pack, and the bytes survive reopening', async () => {
    const name = `cairn-backends-test-${++counter}`;
    const pack = seeded(8 * 1024 * 1024, 3);
    const a = await IdbBackend.open(name);
    await a.write('data', id(1), pack);
    await a.close();
    const b = await IdbBackend.open(name);
    for (const offset of [0, 1_000_003, 8 * 1024 * 1024 - 65_536]) {
      expectBytes(await b.readRange('data', id(1), offset, 65_536), pack.slice(offset, offset + 65_536));
    }
    await b.close();
    await IdbBackend.destroy(name);
  });

  it('reports origin storage usage', async () => {
    const b = await IdbBackend.open(`cairn-backends-test-${++counter}`);
    const u = await b.usage();
    expect(u.used).toBeGreaterThanOrEqual(0);
    expect(u.available).toBeGreaterThan(0);
    await b.close();
    await IdbBackend.destroy(b.dbName);
  });
});
