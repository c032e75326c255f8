import type { RememberedKeys } from '../core/repository/repository';
import { keyValueStore } from './key-value-store';

/**
 * "Remember on this device": the non-extractable key handles of unlocked repositories, kept in
 * this origin's IndexedDB (database "cairn.device-keys", one record per repository id).
 *
 * Contract: only what `Repository.rememberable()` returns is stored — ids and CryptoKey objects
 * created non-extractable, which structured-clone into IndexedDB and can be used again but never
 * read out as bytes. Never a passphrase, never raw key material. Anyone who can use this browser
 * profile can open the repository while the record exists; `forget` removes it.
 */
const store = keyValueStore('cairn.device-keys', 'keys');

/** The remembered keys of a repository, or undefined. */
export function loadDeviceKeys(repositoryId: string): Promise<RememberedKeys | undefined> {
  return store.get<RememberedKeys>(repositoryId);
}

/** Stores (or replaces) the remembered keys of `keys.repositoryId`. */
export async function saveDeviceKeys(keys: RememberedKeys): Promise<void> {
  await store.put(keys.repositoryId, keys);
}

/** Removes the remembered keys of a repository; removing none is not an error. */
export async function forgetDeviceKeys(repositoryId: string): Promise<void> {
  await store.delete(repositoryId);
}
