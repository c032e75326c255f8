import { CairnError } from '../core/errors';
import type { Backend } from '../core/ports/backend';
import { FsaBackend } from '../storage/fsa-backend';
import { IdbBackend } from '../storage/idb-backend';
import { requirePermission } from './handle-permission';
import type { RepositoryTarget } from './protocol';

/** IndexedDB database names of browser repositories: "cairn-<name>". */
export const BROWSER_DB_PREFIX = 'cairn-';

const BROWSER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A target resolved to a storage backend, plus how to describe it. */
export interface OpenedTarget {
  readonly backend: Backend;
  readonly kind: RepositoryTarget['kind'];
  readonly name: string;
}

/**
 * Opens the backend a target names. A browser target's name must be 1–64 letters, digits, '.',
 * '_' or '-' (starting with a letter or digit), else 'invalid-input'. A folder target must have
 * read-write permission already ('permission' otherwise: only the page can ask the user).
 * The caller closes the backend.
 */
export async function openTarget(target: RepositoryTarget): Promise<OpenedTarget> {
  if (target.kind === 'browser') {
    const name = browserName(target.name);
    return { backend: await IdbBackend.open(BROWSER_DB_PREFIX + name), kind: 'browser', name };
  }
  if (target.kind === 'folder') {
    const handle = folderHandle(target.handle);
    await requirePermission(handle, 'readwrite', `the repository folder "${handle.name}"`);
    return { backend: new FsaBackend(handle), kind: 'folder', name: handle.name };
  }
  throw new CairnError('invalid-input', `unknown repository kind ${JSON.stringify((target as { kind?: unknown }).kind)}`);
}

/**
 * Whether a browser repository's database exists, without creating it (opening a missing
 * IndexedDB database creates an empty one). True when the host cannot tell.
 */
export async function browserDatabaseExists(name: string): Promise<boolean> {
  const dbName = BROWSER_DB_PREFIX + browserName(name);
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === dbName);
}

/** Names of the browser repositories' databases of this origin (some may hold no repository). */
export async function browserDatabaseNames(): Promise<string[]> {
  if (typeof indexedDB.databases !== 'function') return [];
  return (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(BROWSER_DB_PREFIX) && BROWSER_NAME.test(n.slice(BROWSER_DB_PREFIX.length)))
    .map((n) => n.slice(BROWSER_DB_PREFIX.length))
    .sort();
}

export function browserName(name: unknown): string {
  if (typeof name !== 'string' || !BROWSER_NAME.test(name)) {
    throw new CairnError(
      'invalid-input',
      `${JSON.stringify(name)} is not a valid repository name: use 1–64 letters, digits, ".", "_" or "-"`,
    );
  }
  return name;
}

/** The value as a directory handle, or 'invalid-input' (a handle is the only way to a folder). */
export function folderHandle(value: unknown): FileSystemDirectoryHandle {
  if (typeof FileSystemDirectoryHandle === 'undefined' || !(value instanceof FileSystemDirectoryHandle)) {
    throw new CairnError('invalid-input', 'a folder must be given as a FileSystemDirectoryHandle');
  }
  return value;
}
