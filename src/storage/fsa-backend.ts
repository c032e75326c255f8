import { CairnError, type CairnErrorCode } from '../core/errors';
import { checkFileName, checkRange, describeFile, filePath, STORED_NAME, type Backend, type FileInfo, type FileType } from '../core/ports/backend';

/**
 * A `Backend` over a folder reached through the File System Access API: a folder on a USB drive
 * the user picked, or an OPFS directory. Layout by `filePath()` (data/xx/<name>).
 *
 * Guarantees beyond the port: a failed write leaves no file (or a zero-length one, which reads
 * as missing and may be written over). When the picked folder itself is gone (drive removed,
 * folder deleted) every call fails with 'disconnected'; a revoked permission is 'permission'.
 * Not guaranteed: 'already-exists' between two tabs writing the same name at the same moment
 * (the last one published wins; for content-addressed files both carry the same bytes).
 * Zero-length files, browser swap files (`*.crswap`) and foreign names are never listed.
 */
export class FsaBackend implements Backend {
  readonly location: string;
  readonly #root: FileSystemDirectoryHandle;

  constructor(root: FileSystemDirectoryHandle, location = `folder "${root.name}"`) {
    this.#root = root;
    this.location = location;
  }

  async read(type: FileType, name: string): Promise<Uint8Array> {
    return this.#run(`read ${describeFile(type, name)}`, async () => {
      const file = await this.#file(type, name);
      return new Uint8Array(await file.arrayBuffer());
    });
  }

  async readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    return this.#run(`read ${describeFile(type, name)}`, async () => {
      const file = await this.#file(type, name);
      if (offset + length > file.size) {
        throw new CairnError(
          'corrupted',
          `${describeFile(type, name)} in ${this.location} is too short: ${file.size} bytes, ` +
            `wanted ${length} bytes at offset ${offset}.`,
        );
      }
      return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    });
  }

  async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
    const path = pathOf(type, name);
    if (data.length === 0) {
      throw new CairnError('invalid-input', `Refusing to write an empty ${describeFile(type, name)} to ${this.location}.`);
    }
    const leaf = path[path.length - 1]!;
    return this.#run(`write ${describeFile(type, name)}`, async () => {
      const dir = await this.#dir(path.slice(0, -1), true);
      const existing = await sizeIn(dir, leaf);
      if (existing > 0 && type !== 'locks') {
        throw new CairnError('already-exists', `${describeFile(type, name)} already exists in ${this.location}.`);
      }
      const handle = await dir.getFileHandle(leaf, { create: true });
      const writable = await handle.createWritable();
      try {
        await writable.write(ownBytes(data));
        await writable.close();
      } catch (e) {
        await writable.abort().catch(() => undefined);
        // getFileHandle({ create: true }) already made an empty file; drop it (it reads as missing anyway).
        if (existing === 0) await dir.removeEntry(leaf).catch(() => undefined);
        throw e;
      }
    });
  }

  async *list(type: FileType): AsyncIterable<FileInfo> {
    const found = await this.#run(`list the ${type} files`, () => this.#collect(type));
    yield* found;
  }

  async remove(type: FileType, name: string): Promise<void> {
    const path = pathOf(type, name);
    return this.#run(`remove ${describeFile(type, name)}`, async () => {
      try {
        const dir = await this.#dir(path.slice(0, -1), false);
        await dir.removeEntry(path[path.length - 1]!);
      } catch (e) {
        if (nameOf(e) === 'NotFoundError' && (await this.#rootExists())) return;
        throw e;
      }
    });
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    return this.#run(`read ${describeFile(type, name)}`, async () => {
      const file = await this.#file(type, name);
      return { name, size: file.size };
    });
  }

  /** The file's current snapshot; a missing or zero-length file is 'not-found'. */
  async #file(type: FileType, name: string): Promise<File> {
    const path = pathOf(type, name);
    const dir = await this.#dir(path.slice(0, -1), false);
    const file = await (await dir.getFileHandle(path[path.length - 1]!)).getFile();
    if (file.size === 0) throw new CairnError('not-found', `${describeFile(type, name)} not found in ${this.location}.`);
    return file;
  }

  async #dir(parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = this.#root;
    for (const part of parts) dir = await dir.getDirectoryHandle(part, { create });
    return dir;
  }

  async #collect(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') {
      const size = await sizeIn(this.#root, 'config');
      if (size === 0 && !(await this.#rootExists())) throw new DOMException('The folder is gone.', 'NotFoundError');
      return size > 0 ? [{ name: 'config', size }] : [];
    }
    const top = await this.#dirOrNothing(type);
    if (top === undefined) return [];
    if (type !== 'data') return filesIn(top, '');
    const out: FileInfo[] = [];
    for await (const [sub, handle] of top.entries()) {
      if (handle.kind === 'directory' && SUBFOLDER.test(sub)) {
        out.push(...(await filesIn(handle as FileSystemDirectoryHandle, sub)));
      }
    }
    return out;
  }

  async #dirOrNothing(name: string): Promise<FileSystemDirectoryHandle | undefined> {
    try {
      return await this.#root.getDirectoryHandle(name);
    } catch (e) {
      if (nameOf(e) === 'NotFoundError' && (await this.#rootExists())) return undefined;
      throw e;
    }
  }

  async #rootExists(): Promise<boolean> {
    try {
      await this.#root.keys().next();
      return true;
    } catch {
      return false;
    }
  }

  async #run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CairnError) throw e;
      throw await this.#map(e, what);
    }
  }

  /** Turns a DOMException into a CairnError naming the operation and the folder. */
  async #map(e: unknown, what: string): Promise<CairnError> {
    const name = nameOf(e);
    const detail = e instanceof Error ? e.message : String(e);
    let code: CairnErrorCode = DOM_CODES[name ?? ''] ?? 'io';
    if (code === 'not-found' && !(await this.#rootExists())) code = 'disconnected';
    const message =
      code === 'not-found'
        ? `Could not ${what}: it does not exist in ${this.location}.`
        : code === 'disconnected' && name === 'NotFoundError'
          ? `Could not ${what}: ${this.location} is gone (drive removed or folder deleted?).`
          : `Could not ${what} in ${this.location}: ${REASONS[code] ?? ''}${detail}.`;
    return new CairnError(code, message, { cause: e });
  }
}

const DOM_CODES: Record<string, CairnErrorCode> = {
  NotFoundError: 'not-found',
  QuotaExceededError: 'storage-full',
  NotAllowedError: 'permission',
  SecurityError: 'permission',
  InvalidStateError: 'disconnected',
  NotReadableError: 'disconnected',
};

const REASONS: Partial<Record<CairnErrorCode, string>> = {
  'storage-full': 'the drive is full: ',
  permission: 'permission to the folder was denied or revoked: ',
  disconnected: 'the drive is not responding: ',
};

const SUBFOLDER = /^[0-9a-f]{2}$/;

/** Stored files directly in `dir` whose names start with `prefix`, zero-length ones left out. */
async function filesIn(dir: FileSystemDirectoryHandle, prefix: string): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file' || !STORED_NAME.test(name) || !name.startsWith(prefix)) continue;
    const { size } = await (handle as FileSystemFileHandle).getFile();
    if (size > 0) out.push({ name, size });
  }
  return out;
}

/** Size of the file `name` in `dir`, 0 when missing (a missing and an empty file mean the same). */
async function sizeIn(dir: FileSystemDirectoryHandle, name: string): Promise<number> {
  try {
    return (await (await dir.getFileHandle(name)).getFile()).size;
  } catch (e) {
    if (nameOf(e) === 'NotFoundError') return 0;
    throw e;
  }
}

function nameOf(e: unknown): string | undefined {
  const name = (e as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

function pathOf(type: FileType, name: string): string[] {
  checkFileName(type, name);
  return filePath(type, name);
}



/** The bytes as a Uint8Array over a plain ArrayBuffer, as `FileSystemWritableFileStream` wants. */
function ownBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}
