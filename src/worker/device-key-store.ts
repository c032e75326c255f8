import type { RememberedKeys } from '../core/repository/repository';

/**
 * "Remember on this device": the non-extractable key handles of unlocked repositories, kept in
 * this origin's IndexedDB (database "cairn.device-keys", one record per repository id).
 *
 * Contract: only what `Repository.rememberable()` returns is stored — ids and CryptoKey objects
 * created non-extractable, which structured-clone into IndexedDB and can be used again but never
 * read out as bytes. Never a passphrase, never raw key material. Anyone who can use this browser
 * profile can open the repository while the record exists; `forget` removes it.
 * Raw IndexedDB (the worker layer may not import `idb`).
 */
const DB_NAME = 'cairn.device-keys';
const STORE = 'keys';

let opening: Promise<IDBDatabase> | undefined;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('could not open the device key store'));
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = (await database()).transaction(STORE, mode);
  const result = request(op(tx.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  return result;
}

/** The remembered keys of a repository, or undefined. */
export function loadDeviceKeys(repositoryId: string): Promise<RememberedKeys | undefined> {
  return run('readonly', (s) => s.get(repositoryId) as IDBRequest<RememberedKeys | undefined>);
}

/** Stores (or replaces) the remembered keys of `keys.repositoryId`. */
export async function saveDeviceKeys(keys: RememberedKeys): Promise<void> {
  await run('readwrite', (s) => s.put(keys, keys.repositoryId));
}

/** Removes the remembered keys of a repository; removing none is not an error. */
export async function forgetDeviceKeys(repositoryId: string): Promise<void> {
  await run('readwrite', (s) => s.delete(repositoryId));
}
