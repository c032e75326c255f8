import { CairnError } from '../errors';

/**
 * The storage port: where a repository's files live (IndexedDB, a folder on a drive, Node fs,
 * memory). Backends store opaque bytes under (type, name); they know nothing of the format.
 *
 * Contract (proved by test/contract/backend-contract.ts against every implementation):
 * - `write` publishes a file whole and atomically: a reader sees either no file or all of it,
 *   never a partial one. Writing a name that exists fails with CairnError('already-exists')
 *   (files are immutable), except for type 'locks', which may be replaced.
 * - `read` returns exactly the bytes written, or throws CairnError('not-found'). A backend
 *   that finds a zero-length file reports 'not-found' (power loss leaves such files).
 * - `readRange(type, name, offset, length)` returns exactly `length` bytes or throws
 *   'not-found' / 'corrupted' (short file) — never fewer bytes silently.
 * - `list(type)` yields every stored name of that type with its size, once each, in any order;
 *   a listing that fails halfway throws (it never ends early as if complete).
 * - `remove` deletes a file; removing a missing file is not an error.
 * - Errors are CairnErrors: 'storage-full', 'disconnected', 'permission', 'not-found', 'io'.
 * - Names are [0-9a-f]{64} for every type but 'config' (the single name 'config').
 */
export type FileType = 'config' | 'keys' | 'data' | 'index' | 'snapshots' | 'locks';

export const FILE_TYPES: readonly FileType[] = ['config', 'keys', 'data', 'index', 'snapshots', 'locks'];

export interface FileInfo {
  readonly name: string;
  readonly size: number;
}

export interface Backend {
  /** A human-readable place, e.g. "IndexedDB cairn-default" or "/media/usb/backup". */
  readonly location: string;
  read(type: FileType, name: string): Promise<Uint8Array>;
  readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array>;
  write(type: FileType, name: string, data: Uint8Array): Promise<void>;
  list(type: FileType): AsyncIterable<FileInfo>;
  remove(type: FileType, name: string): Promise<void>;
  /** Size of a stored file, or throws 'not-found'. */
  stat(type: FileType, name: string): Promise<FileInfo>;
  /** Optional storage usage figures, when the host can tell. */
  usage?(): Promise<{ used: number; available?: number }>;
  /** Releases host resources (database connections). The backend is unusable afterwards. */
  close?(): Promise<void>;
}

/**
 * Relative path of a stored file inside a folder repository (drive, OPFS, Node fs).
 * Packs are spread over 256 sub-folders so no folder exceeds FAT32/exFAT entry limits.
 */
export function filePath(type: FileType, name: string): string[] {
  if (type === 'config') return ['config'];
  if (type === 'data') return ['data', name.slice(0, 2), name];
  return [type, name];
}

/** Names of stored files: 64 lowercase hex digits (and "config" for the config). */
export const STORED_NAME = /^[0-9a-f]{64}$/;

/** Throws 'invalid-input' unless `name` is a valid stored name for `type` (never a path). */
export function checkFileName(type: FileType, name: string): void {
  const ok = type === 'config' ? name === 'config' : STORED_NAME.test(name);
  if (!ok) throw new CairnError('invalid-input', `Invalid name for a ${type} file: ${JSON.stringify(name)}.`);
}

/** Throws 'invalid-input' unless offset and length are whole numbers ≥ 0. */
export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new CairnError('invalid-input', `Invalid byte range: offset ${offset}, length ${length}.`);
  }
}

/** How backends name a stored file in messages: "config file", "data file 1a2b…". */
export function describeFile(type: FileType, name: string): string {
  return type === 'config' ? 'config file' : `${type} file ${name}`;
}
