import { CairnError } from '../core/errors';
import type { TargetDir, TargetDirInfo, TargetFileInfo } from '../core/ports/target';
import { fsaError, streamFile } from './fsa-source';

/**
 * A folder restored into, written through the File System Access API (a picked folder or OPFS).
 *
 * Guarantees, on top of the restore-target port's contract:
 * - `writeFile` writes a hidden ".cairn-partial-…" sibling, completes it, then renames it to
 *   `name`: nothing appears under `name` before the file is complete, and the sibling is removed
 *   when the write fails (a crash or a closed tab can leave it behind).
 * - The modification time cannot be set through this API: restored files carry the time they
 *   were written, and `mtime` is ignored.
 * - Existing names are never replaced on purpose. The API has no exclusive create or
 *   no-replace rename (Chromium's `move()` silently replaces an existing file), so the "does
 *   `name` exist" check and the rename are two steps: another program creating `name` in
 *   between would lose that file. Cairn itself never writes one name twice concurrently.
 * - `writeFile` and `rename` need `FileSystemHandle.move()` (Chromium, and OPFS in other
 *   engines); without it they fail with 'io' and write nothing.
 * - Errors are CairnErrors naming the path: 'already-exists', 'not-found', 'permission',
 *   'disconnected', 'storage-full', 'invalid-input' (a name the host rejects), 'io'. Errors
 *   thrown by the `data` stream itself pass through unchanged.
 */
export function fsaTarget(handle: FileSystemDirectoryHandle): TargetDir {
  return new FsaTarget(handle, handle.name);
}

/** Chromium's `FileSystemHandle.move(newName)`, not in TypeScript's DOM types yet. */
interface MovableHandle {
  move?(newName: string): Promise<void>;
}

type ChildHandle = FileSystemFileHandle | FileSystemDirectoryHandle;

class FsaTarget implements TargetDir {
  readonly name: string;

  constructor(
    private readonly handle: FileSystemDirectoryHandle,
    private readonly path: string,
  ) {
    this.name = handle.name;
  }

  async get(name: string): Promise<TargetFileInfo | TargetDirInfo | null> {
    const path = this.pathOf(name);
    const child = await this.lookup(name, path);
    if (child === null) return null;
    if (child.kind === 'directory') return { kind: 'dir' };
    const file = await attempt(child.getFile(), path, 'read the file');
    return { kind: 'file', size: file.size, mtime: file.lastModified, read: () => streamFile(child, file, path) };
  }

  async dir(name: string): Promise<TargetDir> {
    const path = this.pathOf(name);
    const child = await attempt(this.handle.getDirectoryHandle(name, { create: true }), path, 'create the folder');
    return new FsaTarget(child, path);
  }

  async writeFile(name: string, data: AsyncIterable<Uint8Array>, _mtime: number): Promise<void> {
    const path = this.pathOf(name);
    if ((await this.lookup(name, path)) !== null) throw alreadyExists(path);
    const partial = partialName(name);
    const file = await attempt(this.handle.getFileHandle(partial, { create: true }), path, 'create the file');
    try {
      const move = moveOf(file, path);
      await writeAll(file, data, path);
      if ((await this.lookup(name, path)) !== null) throw alreadyExists(path);
      await attempt(move(name), path, 'publish the file');
    } catch (e) {
      await this.handle.removeEntry(partial).catch(() => {});
      throw e;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const fromPath = this.pathOf(from);
    const toPath = this.pathOf(to);
    const source = await this.lookup(from, fromPath);
    if (source === null) throw new CairnError('not-found', `Could not rename "${fromPath}": it does not exist.`);
    if (source.kind !== 'file') {
      throw new CairnError('invalid-input', `Could not rename "${fromPath}": only files can be renamed.`);
    }
    const move = moveOf(source, fromPath);
    if ((await this.lookup(to, toPath)) !== null) throw alreadyExists(toPath);
    await attempt(move(to), fromPath, `rename the file to "${to}"`);
  }

  private pathOf(name: string): string {
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
      throw new CairnError('invalid-input', `"${name}" is not a valid file name in "${this.path}".`);
    }
    return `${this.path}/${name}`;
  }

  private async lookup(name: string, path: string): Promise<ChildHandle | null> {
    for (const kind of ['file', 'directory'] as const) {
      try {
        return kind === 'file' ? await this.handle.getFileHandle(name) : await this.handle.getDirectoryHandle(name);
      } catch (e) {
        const domName = e instanceof DOMException ? e.name : '';
        if (domName === 'NotFoundError') return null;
        if (domName !== 'TypeMismatchError') throw fsaError(e, path, 'look up');
      }
    }
    return null;
  }
}

/** Streams `data` into `file`; the content is published only by a successful `close()`. */
async function writeAll(file: FileSystemFileHandle, data: AsyncIterable<Uint8Array>, path: string): Promise<void> {
  const writable = await attempt(file.createWritable(), path, 'write the file');
  try {
    for await (const chunk of data) {
      // TS ≥ 5.7 types write() as taking ArrayBuffer-backed views only.
      const view = chunk.buffer instanceof ArrayBuffer ? (chunk as Uint8Array<ArrayBuffer>) : new Uint8Array(chunk);
      await attempt(writable.write(view), path, 'write the file');
    }
    await attempt(writable.close(), path, 'write the file');
  } catch (e) {
    await writable.abort().catch(() => {});
    throw e;
  }
}

function moveOf(handle: FileSystemFileHandle, path: string): (newName: string) => Promise<void> {
  const movable = handle as FileSystemFileHandle & MovableHandle;
  if (typeof movable.move !== 'function') {
    throw new CairnError(
      'io',
      `Could not write "${path}": this browser cannot rename files in a folder (FileSystemHandle.move() is missing).`,
    );
  }
  return (newName) => movable.move!(newName);
}

/**
 * A unique hidden sibling name. It keeps the final name's extension, because Chromium may run
 * extension-based safety checks when a rename changes it.
 */
function partialName(name: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  const extension = /\.[^.]{1,16}$/.exec(name)?.[0] ?? '';
  return `.cairn-partial-${hex}${extension}`;
}

function alreadyExists(path: string): CairnError {
  return new CairnError('already-exists', `"${path}" already exists; it was left untouched.`);
}

async function attempt<T>(promise: Promise<T>, path: string, action: string): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    throw fsaError(e, path, action);
  }
}
