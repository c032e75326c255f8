import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { IdbBackend } from '../../src/storage/idb-backend';
import { backendContract, expectBytes, expectCode, id, seeded } from './backend-contract';

let counter = 0;

backendContract(
  'IdbBackend (fake-indexeddb)',
  async () => IdbBackend.open(`cairn-contract-${++counter}`),
  async (b) => IdbBackend.destroy((b as IdbBackend).dbName),
  {
    async plant(b, type, name, data) {
      const db = await openDB((b as IdbBackend).dbName);
      const tx = db.transaction(['meta', 'blobs'], 'readwrite');
      tx.objectStore('meta').put({ size: data.length }, [type, name]);
      tx.objectStore('blobs').put(new Blob([data.slice()]), [type, name]);
      await tx.done;
      db.close();
    },
  },
);

describe('IdbBackend specifics (fake-indexeddb)', () => {
  it('keeps one database per repository', async () => {
    const a = await IdbBackend.open('cairn-repo-a');
    const b = await IdbBackend.open('cairn-repo-b');
    await a.write('index', id(1), seeded(10, 1));
    await expectCode(b.read('index', id(1)), 'not-found');
    expect(a.location).toBe('IndexedDB cairn-repo-a');
    await a.close();
    await b.close();
    await IdbBackend.destroy('cairn-repo-a');
    await IdbBackend.destroy('cairn-repo-b');
  });

  it('keeps files across connections', async () => {
    const a = await IdbBackend.open('cairn-reopen');
    await a.write('data', id(1), seeded(70_000, 1));
    await a.close();
    const b = await IdbBackend.open('cairn-reopen');
    expectBytes(await b.readRange('data', id(1), 69_000, 1000), seeded(70_000, 1).slice(69_000));
    await b.close();
    await IdbBackend.destroy('cairn-reopen');
  });

  it("gives way when the database is deleted elsewhere, then reports 'disconnected'", async () => {
    const a = await IdbBackend.open('cairn-deleted');
    await a.write('index', id(1), seeded(10, 1));
    await IdbBackend.destroy('cairn-deleted');
    await expectCode(a.read('index', id(1)), 'disconnected', 'IndexedDB cairn-deleted');
    await expectCode(a.write('index', id(2), seeded(10, 1)), 'disconnected');
  });

  it("is unusable after close(), with 'disconnected'", async () => {
    const a = await IdbBackend.open('cairn-closed');
    await a.close();
    await expectCode(a.stat('index', id(1)), 'disconnected');
    await IdbBackend.destroy('cairn-closed');
  });
});
