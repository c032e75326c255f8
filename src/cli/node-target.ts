import { randomBytes } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CairnError } from '../core/errors';
import type { TargetDir, TargetDirInfo, TargetFileInfo } from '../core/ports/target';
import { errnoCode, nodeError, streamRegularFile } from './node-source';

/**
 * A folder restored into on a Node file system; `nodeTarget` creates it (and its parents) when
 * missing.
 *
 * Guarantees, on top of the restore-target port's contract:
 * - `writeFile` writes and fsyncs a ".cairn-partial-<random>" sibling, sets its modification
 *   time, then publishes it under `name` with a hard link, which fails when `name` exists: an
 *   existing file is never replaced, not even by a concurrent writer, and nothing is visible
 *   under `name` before the file is complete. On file systems without hard links (FAT, exFAT)
 *   the name is first reserved by creating it exclusively, then the complete file is renamed
 *   over the reservation: existing files are still never replaced, but an empty file is
 *   visible under `name` for that moment and stays behind if the process dies in it.
 * - On failure the partial sibling is removed and nothing is left under `name`.
 * - Modification times are set to the millisecond when the file system can store them; a time
 *   it rejects is left unset rather than failing the write.
 * - `rename` moves files only and never replaces an existing name (same mechanism).
 * - Symbolic links in the target are never followed: `dir()` over a link fails
 *   'already-exists', `get()` describes a link or special file as a file whose `read()` fails
 *   'invalid-input'.
 * - Errors are CairnErrors naming the path (see `nodeError`); errors thrown by the `data`
 *   stream itself pass through unchanged.
 */
export async function nodeTarget(path: string): Promise<TargetDir> {
  try {
    await fsp.mkdir(path, { recursive: true });
  } catch (e) {
    throw nodeError(e, path, 'create the folder');
  }
  const stats = await statOrNull(path, fsp.stat);
  if (!stats?.isDirectory()) throw new CairnError('already-exists', `"${path}" exists and is not a folder.`);
  return new NodeTarget(path, basename(path));
}

class NodeTarget implements TargetDir {
  constructor(
    private readonly path: string,
    readonly name: string,
  ) {}

  async get(name: string): Promise<TargetFileInfo | TargetDirInfo | null> {
    const path = this.childPath(name);
    const stats = await statOrNull(path);
    if (stats === null) return null;
    if (stats.isDirectory()) return { kind: 'dir' };
    return { kind: 'file', size: stats.size, mtime: Math.round(stats.mtimeMs), read: () => streamRegularFile(path) };
  }

  async dir(name: string): Promise<TargetDir> {
    const path = this.childPath(name);
    try {
      await fsp.mkdir(path);
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw nodeError(e, path, 'create the folder');
      if (!(await statOrNull(path))?.isDirectory()) {
        throw new CairnError('already-exists', `Could not create the folder "${path}": a file exists under that name.`);
      }
    }
    return new NodeTarget(path, name);
  }

  async writeFile(name: string, data: AsyncIterable<Uint8Array>, mtime: number): Promise<void> {
    const path = this.childPath(name);
    if ((await statOrNull(path)) !== null) throw alreadyExists(path);
    const partial = join(this.path, `.cairn-partial-${randomBytes(8).toString('hex')}`);
    let handle: FileHandle | undefined;
    try {
      handle = await attempt(fsp.open(partial, 'wx'), path, 'create the file');
      for await (const chunk of data) await writeChunk(handle, chunk, path);
      await setMtime(handle, mtime, path);
      await attempt(handle.sync(), path, 'write the file');
      await attempt(handle.close(), path, 'write the file');
      handle = undefined;
      await publish(partial, path);
    } catch (e) {
      await handle?.close().catch(() => {});
      await fsp.rm(partial, { force: true }).catch(() => {});
      throw e;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const fromPath = this.childPath(from);
    const toPath = this.childPath(to);
    const stats = await statOrNull(fromPath);
    if (stats === null) throw new CairnError('not-found', `Could not rename "${fromPath}": it does not exist.`);
    if (!stats.isFile()) throw new CairnError('invalid-input', `Could not rename "${fromPath}": only files can be renamed.`);
    if ((await statOrNull(toPath)) !== null) throw alreadyExists(toPath);
    await publish(fromPath, toPath);
  }

  private childPath(name: string): string {
    const separators = process.platform === 'win32' ? /[/\\\0]/ : /[/\0]/;
    if (name === '' || name === '.' || name === '..' || separators.test(name)) {
      throw new CairnError('invalid-input', `"${name}" is not a valid file name in "${this.path}".`);
    }
    return join(this.path, name);
  }
}

/** Errors of `link()` meaning "this file system has no hard links" (EISDIR: FAT on Windows). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EISDIR']);

/** Moves the file `from` to `to` unless `to` exists; `from` is gone afterwards. */
async function publish(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (e) {
    const errno = errnoCode(e);
    if (errno === 'EEXIST') throw alreadyExists(to);
    if (errno === undefined || !NO_HARD_LINKS.has(errno)) throw nodeError(e, to, 'publish the file');
    return publishByReservation(from, to);
  }
  try {
    await fsp.unlink(from);
  } catch (e) {
    await fsp.unlink(to).catch(() => {});
    throw nodeError(e, to, 'publish the file');
  }
}

async function publishByReservation(from: string, to: string): Promise<void> {
  try {
    await (await fsp.open(to, 'wx')).close();
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') throw alreadyExists(to);
    throw nodeError(e, to, 'publish the file');
  }
  try {
    await fsp.rename(from, to);
  } catch (e) {
    await fsp.unlink(to).catch(() => {});
    throw nodeError(e, to, 'publish the file');
  }
}

async function writeChunk(handle: FileHandle, chunk: Uint8Array, path: string): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await attempt(handle.write(chunk, offset, chunk.length - offset, null), path, 'write the file');
    offset += bytesWritten;
  }
}

/** Errors of `utimes()` meaning "this file system cannot store that time". */
const UNREPRESENTABLE_TIME = new Set(['EINVAL', 'EOVERFLOW', 'ERANGE']);

async function setMtime(handle: FileHandle, mtime: number, path: string): Promise<void> {
  const time = new Date(mtime);
  if (Number.isNaN(time.getTime())) return;
  try {
    await handle.utimes(new Date(), time);
  } catch (e) {
    const errno = errnoCode(e);
    if (errno === undefined || !UNREPRESENTABLE_TIME.has(errno)) throw nodeError(e, path, 'set the time of');
  }
}

/** lstat (or `how`), or null when nothing exists at `path`. */
async function statOrNull(path: string, how: (p: string) => Promise<Stats> = fsp.lstat): Promise<Stats | null> {
  try {
    return await how(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw nodeError(e, path, 'look up');
  }
}

function alreadyExists(path: string): CairnError {
  return new CairnError('already-exists', `"${path}" already exists; it was left untouched.`);
}

async function attempt<T>(promise: Promise<T>, path: string, action: string): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    throw nodeError(e, path, action);
  }
}
