import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError, type CairnErrorCode } from '../core/errors';
import { checkFileName, checkRange, describeFile, filePath, STORED_NAME, type Backend, type FileInfo, type FileType } from '../core/ports/backend';

/**
 * A `Backend` over a repository folder on disk, laid out by `filePath()` (data/xx/<name>).
 *
 * Guarantees beyond the port: a write is durable when it resolves (file and folder fsynced where
 * the OS allows); the repository folder itself is never created by the backend, so an unmounted
 * drive reads as 'disconnected' instead of silently growing a new repository on the system disk.
 * Not guaranteed: 'already-exists' between two processes writing the same name at the same moment
 * (the last rename wins; for content-addressed files both carry the same bytes).
 * Leftover temporary files (`*.tmp-*`), zero-length files and foreign names are never listed.
 */
export class NodeFsBackend implements Backend {
  readonly location: string;

  /** `root` is an existing repository folder, or one whose parent exists (`init` creates it). */
  constructor(readonly root: string) {
    this.location = root;
  }

  async read(type: FileType, name: string): Promise<Uint8Array> {
    const path = this.#path(type, name);
    try {
      const data = await readFile(path);
      if (data.length === 0) throw this.#notFound(type, name);
      return new Uint8Array(data.buffer, data.byteOffset, data.length);
    } catch (e) {
      throw await this.#map(e, `read ${describeFile(type, name)}`);
    }
  }

  async readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array> {
    const path = this.#path(type, name);
    checkRange(offset, length);
    try {
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        if (size === 0) throw this.#notFound(type, name);
        if (offset + length > size) throw this.#short(type, name, size, offset, length);
        const out = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(out, done, length - done, offset + done);
          if (bytesRead === 0) throw this.#short(type, name, offset + done, offset, length);
          done += bytesRead;
        }
        return out;
      } finally {
        await handle.close();
      }
    } catch (e) {
      throw await this.#map(e, `read ${describeFile(type, name)}`);
    }
  }

  async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
    const path = this.#path(type, name);
    if (data.length === 0) {
      throw new CairnError('invalid-input', `Refusing to write an empty ${describeFile(type, name)} to ${this.location}.`);
    }
    const what = `write ${describeFile(type, name)}`;
    try {
      if (type !== 'locks' && (await sizeOf(path)) > 0) {
        throw new CairnError('already-exists', `${describeFile(type, name)} already exists in ${this.location}.`);
      }
      const dir = await this.#ensureParent(type, name);
      const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        const handle = await open(temp, 'wx');
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, path);
      } catch (e) {
        await unlink(temp).catch(() => undefined);
        throw e;
      }
      await syncDir(dir);
    } catch (e) {
      throw await this.#map(e, what);
    }
  }

  async *list(type: FileType): AsyncIterable<FileInfo> {
    let found: FileInfo[];
    try {
      found = await this.#collect(type);
    } catch (e) {
      throw await this.#map(e, `list the ${type} files`);
    }
    yield* found;
  }

  async remove(type: FileType, name: string): Promise<void> {
    const path = this.#path(type, name);
    try {
      await unlink(path);
    } catch (e) {
      if (codeOf(e) === 'ENOENT' && (await this.#rootExists())) return;
      throw await this.#map(e, `remove ${describeFile(type, name)}`);
    }
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    const path = this.#path(type, name);
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size === 0) throw this.#notFound(type, name);
      return { name, size: st.size };
    } catch (e) {
      throw await this.#map(e, `read ${describeFile(type, name)}`);
    }
  }

  async usage(): Promise<{ used: number; available?: number }> {
    try {
      const fs = await statfs(this.root);
      return { used: (fs.blocks - fs.bfree) * fs.bsize, available: fs.bavail * fs.bsize };
    } catch (e) {
      throw await this.#map(e, 'measure free space');
    }
  }

  async #collect(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') {
      const size = await sizeOf(join(this.root, 'config'));
      if (size === 0 && !(await this.#rootExists())) throw enoent(this.root);
      return size > 0 ? [{ name: 'config', size }] : [];
    }
    const top = join(this.root, type);
    if (type !== 'data') return this.#filesIn(top, '');
    const out: FileInfo[] = [];
    for (const entry of await this.#entries(top)) {
      if (entry.isDirectory() && SUBFOLDER.test(entry.name)) {
        out.push(...(await this.#filesIn(join(top, entry.name), entry.name)));
      }
    }
    return out;
  }

  /** Stored files in `dir` whose names start with `prefix`; a missing folder holds none. */
  async #filesIn(dir: string, prefix: string): Promise<FileInfo[]> {
    const out: FileInfo[] = [];
    for (const entry of await this.#entries(dir)) {
      if (!entry.isFile() || !STORED_NAME.test(entry.name) || !entry.name.startsWith(prefix)) continue;
      const size = await sizeOf(join(dir, entry.name));
      if (size > 0) out.push({ name: entry.name, size });
    }
    return out;
  }

  async #entries(dir: string) {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (codeOf(e) === 'ENOENT' && (await this.#rootExists())) return [];
      throw e;
    }
  }

  /** Creates the folders below the root that hold (type, name); never the root itself. */
  async #ensureParent(type: FileType, name: string): Promise<string> {
    let dir = this.root;
    for (const part of filePath(type, name).slice(0, -1)) {
      dir = join(dir, part);
      await mkdir(dir).catch((e: unknown) => {
        if (codeOf(e) !== 'EEXIST') throw e;
      });
    }
    return dir;
  }

  async #rootExists(): Promise<boolean> {
    try {
      return (await stat(this.root)).isDirectory();
    } catch {
      return false;
    }
  }

  #path(type: FileType, name: string): string {
    checkFileName(type, name);
    return join(this.root, ...filePath(type, name));
  }

  #notFound(type: FileType, name: string): CairnError {
    return new CairnError('not-found', `${describeFile(type, name)} not found in ${this.location}.`);
  }

  #short(type: FileType, name: string, size: number, offset: number, length: number): CairnError {
    return new CairnError(
      'corrupted',
      `${describeFile(type, name)} in ${this.location} is too short: ${size} bytes, ` +
        `wanted ${length} bytes at offset ${offset}.`,
    );
  }

  /** Turns any failure into a CairnError that names the operation and the folder. */
  async #map(e: unknown, what: string): Promise<CairnError> {
    if (e instanceof CairnError) return e;
    const code = codeOf(e);
    const detail = e instanceof Error ? e.message : String(e);
    if (code === 'ENOENT') {
      if (!(await this.#rootExists())) {
        return new CairnError(
          'disconnected',
          `Could not ${what}: the repository folder ${this.location} is gone (drive removed or unmounted?).`,
          { cause: e },
        );
      }
      return new CairnError('not-found', `Could not ${what} in ${this.location}: it does not exist.`, { cause: e });
    }
    const mapped: CairnErrorCode = ERRNO_CODES[code ?? ''] ?? 'io';
    const reason = REASONS[mapped];
    const why = reason === undefined ? detail : `${reason} (${detail})`;
    return new CairnError(mapped, `Could not ${what} in ${this.location}: ${why}.`, { cause: e });
  }
}

const ERRNO_CODES: Record<string, CairnErrorCode> = {
  ENOSPC: 'storage-full',
  EDQUOT: 'storage-full',
  EACCES: 'permission',
  EPERM: 'permission',
  EROFS: 'permission',
  EIO: 'disconnected',
  ENODEV: 'disconnected',
  ENXIO: 'disconnected',
};

const REASONS: Partial<Record<CairnErrorCode, string>> = {
  'storage-full': 'the drive is full',
  permission: 'permission denied',
  disconnected: 'the drive is not responding',
};

const SUBFOLDER = /^[0-9a-f]{2}$/;




function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT' });
}

/** Size of a regular file, 0 when it is missing (a missing and an empty file mean the same). */
async function sizeOf(path: string): Promise<number> {
  try {
    const st = await stat(path);
    return st.isFile() ? st.size : 0;
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return 0;
    throw e;
  }
}

/** Makes a rename durable. Some systems (Windows, some FUSE drives) cannot fsync a folder. */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: the file's own data was already fsynced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
