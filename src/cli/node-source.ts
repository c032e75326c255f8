import { constants, promises as fsp, type Dir, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CairnError, type CairnErrorCode } from '../core/errors';
import type { SourceDir, SourceEntry, SourceFile } from '../core/ports/source';

/** Why an entry was left out of a listing. */
export type NodeSkipReason = 'symlink' | 'special' | 'vanished';

export interface NodeSourceOptions {
  /**
   * Called for each entry left out of a listing: a symbolic link, a socket, FIFO or device
   * ('special'), or an entry that vanished between the listing and its stat.
   */
  onSkip?(path: string, reason: NodeSkipReason): void;
}

/** Size of the pieces `read()` yields (the last one may be shorter). */
export const NODE_READ_CHUNK = 1024 * 1024;

/**
 * A folder to back up on a Node file system.
 *
 * Guarantees, on top of the source port's contract:
 * - Only regular files and folders are listed; symbolic links are never followed (neither when
 *   listing nor when reading) and, like sockets, FIFOs and devices, are skipped and reported
 *   through `onSkip`. `path` itself may be a link to a folder.
 * - `mtime` is whole milliseconds, rounded to the nearest (so a time restored by `nodeTarget`
 *   reads back unchanged); `size` is the size at listing time.
 * - `read()` yields fresh pieces of at most 1 MiB that the consumer may keep; memory stays
 *   bounded whatever the file size.
 * - Errors are CairnErrors naming the path: 'not-found' (vanished), 'permission',
 *   'disconnected' (device gone), 'invalid-input' (not a folder, or replaced by a link), 'io'.
 */
export async function nodeSource(path: string, options: NodeSourceOptions = {}): Promise<SourceDir> {
  let stats: Stats;
  try {
    stats = await fsp.stat(path);
  } catch (e) {
    throw nodeError(e, path, 'open the folder');
  }
  if (!stats.isDirectory()) throw new CairnError('invalid-input', `"${path}" is not a folder.`);
  return dirEntry(path, basename(path), options);
}

function dirEntry(path: string, name: string, options: NodeSourceOptions): SourceDir {
  return { kind: 'dir', name, entries: () => listDir(path, options) };
}

async function* listDir(path: string, options: NodeSourceOptions): AsyncGenerator<SourceEntry> {
  let dir: Dir;
  try {
    dir = await fsp.opendir(path);
  } catch (e) {
    throw nodeError(e, path, 'list the folder');
  }
  try {
    for (;;) {
      let dirent: Dirent | null;
      try {
        dirent = await dir.read();
      } catch (e) {
        throw nodeError(e, path, 'list the folder');
      }
      if (dirent === null) return;
      const childPath = join(path, dirent.name);
      let stats: Stats;
      try {
        stats = await fsp.lstat(childPath);
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw nodeError(e, childPath, 'read the entry');
        options.onSkip?.(childPath, 'vanished');
        continue;
      }
      if (stats.isDirectory()) yield dirEntry(childPath, dirent.name, options);
      else if (stats.isFile()) yield fileEntry(childPath, dirent.name, stats);
      else options.onSkip?.(childPath, stats.isSymbolicLink() ? 'symlink' : 'special');
    }
  } finally {
    await dir.close().catch(() => {});
  }
}

function fileEntry(path: string, name: string, stats: Stats): SourceFile {
  return {
    kind: 'file',
    name,
    size: stats.size,
    mtime: Math.round(stats.mtimeMs),
    read: () => streamRegularFile(path),
  };
}

/**
 * Streams a regular file in fresh pieces of at most 1 MiB, refusing to follow a symbolic link
 * that replaced it.
 */
export async function* streamRegularFile(path: string): AsyncGenerator<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    throw nodeError(e, path, 'read the file');
  }
  try {
    let remaining: number;
    try {
      remaining = (await handle.stat()).size;
    } catch (e) {
      throw nodeError(e, path, 'read the file');
    }
    for (;;) {
      // Sized to what is left, so small files do not cost a 1 MiB buffer each.
      const piece = new Uint8Array(Math.min(NODE_READ_CHUNK, Math.max(remaining, 16 * 1024)));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(piece, 0, piece.length, null));
      } catch (e) {
        throw nodeError(e, path, 'read the file');
      }
      if (bytesRead === 0) return;
      remaining -= bytesRead;
      yield bytesRead === piece.length ? piece : piece.slice(0, bytesRead);
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

const CODES: Record<string, CairnErrorCode> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  EACCES: 'permission',
  EPERM: 'permission',
  EROFS: 'permission',
  EEXIST: 'already-exists',
  ENOTEMPTY: 'already-exists',
  ENOSPC: 'storage-full',
  EDQUOT: 'storage-full',
  EFBIG: 'too-large',
  EIO: 'disconnected',
  ENXIO: 'disconnected',
  ENODEV: 'disconnected',
  ESTALE: 'disconnected',
  ELOOP: 'invalid-input',
  EISDIR: 'invalid-input',
  ENAMETOOLONG: 'invalid-input',
  EINVAL: 'invalid-input',
};

const EXPLANATIONS: Partial<Record<CairnErrorCode, string>> = {
  'not-found': 'it does not exist',
  permission: 'permission denied',
  'already-exists': 'something already exists under that name',
  'storage-full': 'the disk is full',
  'too-large': 'the file is too large for this file system',
  disconnected: 'the device is not available',
  'invalid-input': 'it is a link, a folder, or a name this file system rejects',
};

/**
 * Converts an error thrown by a Node fs call on `path` into a CairnError. CairnErrors and
 * errors that do not come from the file system are returned unchanged. `action` completes
 * "Could not … ", e.g. "read the file".
 */
export function nodeError(e: unknown, path: string, action: string): unknown {
  const errno = errnoCode(e);
  if (errno === undefined) return e;
  const code = CODES[errno] ?? 'io';
  const why = EXPLANATIONS[code] ?? (e as Error).message;
  return new CairnError(code, `Could not ${action} "${path}": ${why} (${errno}).`, { cause: e });
}

/** The `code` of a Node system error ("ENOENT"), or undefined for any other value. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || e instanceof CairnError) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}
