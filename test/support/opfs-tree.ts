/**
 * Real folder trees in the Origin Private File System, for browser tests: write a literal tree
 * into OPFS, read one back, compare trees by digest, and observe what a backup reads.
 * Browser only (navigator.storage, crypto.subtle).
 */
import type { SourceDir, SourceEntry } from '../../src/core/ports/source';
import { isLiteralFile, literalFile, type LiteralTree } from './memory-tree';

let counter = 0;

export interface OpfsFolder {
  readonly name: string;
  readonly dir: FileSystemDirectoryHandle;
  /** Deletes the folder and everything in it (missing is fine). */
  remove(): Promise<void>;
}

/** A new, empty sub-folder of the OPFS root with a unique name starting with `prefix`. */
export async function freshOpfsFolder(prefix: string): Promise<OpfsFolder> {
  const root = await navigator.storage.getDirectory();
  const name = `${prefix}-${Date.now()}-${++counter}`;
  const dir = await root.getDirectoryHandle(name, { create: true });
  return {
    name,
    dir,
    remove: () => root.removeEntry(name, { recursive: true }).catch((e: unknown) => {
      if ((e as { name?: unknown }).name !== 'NotFoundError') throw e;
    }),
  };
}

/** A fresh handle to the OPFS root folder `name`, as a page reload would obtain it. */
export async function reopenOpfsFolder(name: string): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(name);
}

/** Writes `tree` into `parent` (folders created as needed, files created or replaced). */
export async function writeOpfsTree(parent: FileSystemDirectoryHandle, tree: LiteralTree): Promise<void> {
  for (const [name, node] of Object.entries(tree)) {
    if (isLiteralFile(node)) await writeOpfsFile(parent, name, literalFile(node).data);
    else await writeOpfsTree(await parent.getDirectoryHandle(name, { create: true }), node);
  }
}

/** Creates or replaces the file `name` in `parent` with `data`. */
export async function writeOpfsFile(parent: FileSystemDirectoryHandle, name: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
  const writable = await (await parent.getFileHandle(name, { create: true })).createWritable();
  await writable.write(bytes);
  await writable.close();
}

/** The folder at `path` ("a/b") below `root`; it must exist. */
export async function opfsDirAt(root: FileSystemDirectoryHandle, path: string): Promise<FileSystemDirectoryHandle> {
  let dir = root;
  for (const part of path.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(part);
  return dir;
}

/** The `File` at `path` ("a/b.txt") below `root`; it must exist. */
export async function opfsFileAt(root: FileSystemDirectoryHandle, path: string): Promise<File> {
  const parts = path.split('/');
  const dir = await opfsDirAt(root, parts.slice(0, -1).join('/'));
  return (await dir.getFileHandle(parts[parts.length - 1]!)).getFile();
}

/** Reads a whole OPFS folder into a literal tree (files as bytes; empty folders as {}). */
export async function readOpfsTree(dir: FileSystemDirectoryHandle): Promise<LiteralTree> {
  const out: Record<string, LiteralTree[string]> = {};
  for await (const [name, handle] of dir.entries()) {
    const value =
      handle.kind === 'directory'
        ? await readOpfsTree(handle as FileSystemDirectoryHandle)
        : new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer());
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Every file below `dir` as "path" → size in bytes (folders as "path/" → -1), sorted by path. */
export async function opfsListing(dir: FileSystemDirectoryHandle, prefix = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const [name, handle] of dir.entries()) {
    const path = prefix + name;
    if (handle.kind === 'directory') {
      out[`${path}/`] = -1;
      Object.assign(out, await opfsListing(handle as FileSystemDirectoryHandle, `${path}/`));
    } else {
      out[path] = (await (handle as FileSystemFileHandle).getFile()).size;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A folder as comparable values: each file "size:sha256", each folder an object (empty ones too). */
export type DigestTree = { [name: string]: string | DigestTree };

/**
 * The tree with every file replaced by "size:sha256-hex". Comparing digests compares the same
 * bytes as comparing arrays, and a failure prints readably instead of as megabytes of numbers.
 */
export async function digestTree(tree: LiteralTree): Promise<DigestTree> {
  const out: DigestTree = {};
  for (const [name, node] of Object.entries(tree)) {
    const value = isLiteralFile(node) ? await digest(literalFile(node).data) : await digestTree(node);
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Digest tree of what an OPFS folder holds now. */
export async function digestOpfs(dir: FileSystemDirectoryHandle): Promise<DigestTree> {
  return digestTree(await readOpfsTree(dir));
}

async function digest(data: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data)));
  return `${data.length}:${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Wraps a source so that every file whose `read()` is iterated is recorded in `reads`, by path
 * below the source root ("sub/a.txt"). Listing and stat are passed through untouched.
 */
export function countingSource(source: SourceDir, reads: string[], path = ''): SourceDir {
  return {
    kind: 'dir',
    name: source.name,
    async *entries(): AsyncGenerator<SourceEntry> {
      for await (const entry of source.entries()) {
        const childPath = path === '' ? entry.name : `${path}/${entry.name}`;
        if (entry.kind === 'dir') {
          yield countingSource(entry, reads, childPath);
          continue;
        }
        yield {
          kind: 'file',
          name: entry.name,
          size: entry.size,
          mtime: entry.mtime,
          read() {
            reads.push(childPath);
            return entry.read();
          },
        };
      }
    },
  };
}

/** Flips bit 0 of the byte at `offset` of the file `path` below `root`, rewriting it with createWritable. */
export async function flipOpfsByte(root: FileSystemDirectoryHandle, path: string, offset: number): Promise<void> {
  const parts = path.split('/');
  const dir = await opfsDirAt(root, parts.slice(0, -1).join('/'));
  const handle = await dir.getFileHandle(parts[parts.length - 1]!);
  const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
  if (offset < 0 || offset >= bytes.length) throw new RangeError(`offset ${offset} outside "${path}" (${bytes.length} bytes)`);
  bytes[offset]! ^= 1;
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
}
