/**
 * A tiny persistent key → value map in one IndexedDB object store, for what the worker keeps on
 * this device (raw IndexedDB: the worker layer does not import `idb`).
 *
 * Contract: values are structured clones (CryptoKeys included); `put` resolves once committed.
 * The database is opened without a version unless one is given, so another module (the page)
 * may own its upgrades; the connection closes itself on `versionchange` and reopens on next use.
 * A new database gets the store; an existing one must already have it (its owner creates it).
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export function keyValueStore(dbName: string, storeName: string): KeyValueStore {
  let opening: Promise<IDBDatabase> | undefined;
  const database = (): Promise<IDBDatabase> => {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(storeName)) req.result.createObjectStore(storeName);
      };
      req.onsuccess = () => {
        const db = req.result;
        resolve(watch(db));
      };
      req.onerror = () => reject(req.error ?? new Error(`could not open ${dbName}`));
      req.onblocked = () => reject(new Error(`${dbName} is blocked by another tab`));
    }).catch((e: unknown) => {
      opening = undefined;
      throw e;
    });
    return opening;
  };
  const watch = (db: IDBDatabase) => {
    db.onversionchange = () => {
      db.close();
      opening = undefined;
    };
    return db;
  };
  const run = async <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const req = op(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  };
  return {
    get: <T>(key: string) => run('readonly', (s) => s.get(key)) as Promise<T | undefined>,
    put: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
  };
}
