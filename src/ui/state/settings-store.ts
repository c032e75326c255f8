/**
 * A tiny key-value store for the app's remembered settings, over the raw IndexedDB API (the UI
 * layer may not import `idb`). Values are structured-cloned, so FileSystemDirectoryHandles can be
 * stored and come back usable (their permission may need asking again).
 *
 * What is stored here, and nothing else: where the repository lives (a browser repository's name
 * or a folder handle), the source folders' handles and names, the exclusion settings and whether
 * a backup was running. Never a passphrase, a key or a file's contents.
 *
 * The database is named "cairn.app-settings": not "cairn-…", which names browser repositories.
 */
const DB_NAME = 'cairn.app-settings';
const STORE = 'settings';

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
    req.onerror = () => reject(req.error ?? new Error('could not open the settings database'));
    req.onblocked = () => reject(new Error('the settings database is blocked by another tab'));
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  const tx = db.transaction(STORE, mode);
  const result = request(run(tx.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  return result;
}

/** The stored value, or undefined when there is none. */
export function getSetting<T>(key: string): Promise<T | undefined> {
  return withStore('readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
}

/** Stores a structured-cloneable value under `key`; resolves once it is committed. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await withStore('readwrite', (s) => s.put(value, key));
}

export async function deleteSetting(key: string): Promise<void> {
  await withStore('readwrite', (s) => s.delete(key));
}
