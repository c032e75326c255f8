import { Zip, ZipPassThrough } from 'fflate';
import { CairnError, throwIfAborted } from '../core/errors';
import type { Id } from '../core/format/ids';
import { unsafeNameReason } from '../core/model/names';
import type { FileNode, TreeNode } from '../core/model/tree';
import { lookup, splitPath } from '../core/operations/browse';
import type { BlobReader } from '../core/repository/repository';
import type { DownloadProgressEvent, EntryProblem } from './protocol';

/** Receives the output in order; the next piece is not produced before the promise settles. */
export type ByteSink = (piece: Uint8Array) => Promise<unknown> | unknown;

export interface ExportOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DownloadProgressEvent) => void;
  /** Pieces handed to the sink are gathered up to about this size; default 1 MiB. */
  readonly pieceSize?: number;
}

export interface ExportOutcome {
  readonly files: number;
  readonly bytes: number;
  readonly skipped: EntryProblem[];
}

/** The .zip format without ZIP64 extensions (which fflate does not write) ends at 4 GiB. */
const ZIP_MAX_BYTES = 0xffff_ffff - 64 * 1024 * 1024;
const ZIP_MAX_ENTRIES = 0xffff;

interface Entry {
  readonly path: string;
  readonly node: TreeNode;
}

/**
 * Streams the bytes of one file of a snapshot to `sink`. Memory: one stored chunk at a time.
 * 'not-found' when `path` is not a file in the snapshot.
 */
export async function exportFile(repo: BlobReader, root: Id, path: string, sink: ByteSink, opts: ExportOptions = {}): Promise<ExportOutcome> {
  const { node } = await lookup(repo, root, path);
  if (node?.type !== 'file') throw new CairnError('not-found', `"${path}" is not a file in this version`);
  const progress = new Progress(1, node.size, opts.onProgress);
  const out = new Gatherer(sink, opts.pieceSize);
  for (const id of node.content) {
    throwIfAborted(opts.signal);
    const data = await repo.readBlob('data', id);
    await out.push(data);
    progress.bytes(data.length, path);
  }
  await out.flush();
  progress.file(path);
  return { files: 1, bytes: node.size, skipped: [] };
}

/**
 * Streams a .zip archive of `paths` of a snapshot (everything when empty) to `sink`, each entry
 * under its path from the snapshot root, files stored uncompressed (backups are mostly
 * compressed formats already, and storing keeps the worker's memory and time bounded: one stored
 * chunk plus one gathered piece). Entries whose names are unsafe are left out and listed in
 * `skipped`. Selections past the .zip format's 4 GiB or 65 535 entries fail with 'invalid-input'
 * before anything is produced.
 */
export async function exportZip(repo: BlobReader, root: Id, paths: readonly string[], sink: ByteSink, opts: ExportOptions = {}): Promise<ExportOutcome> {
  const skipped: EntryProblem[] = [];
  const entries = await collect(repo, root, paths, skipped, opts.signal);
  const files = entries.filter((e): e is { path: string; node: FileNode } => e.node.type === 'file');
  const total = files.reduce((n, e) => n + e.node.size, 0);
  if (total > ZIP_MAX_BYTES || entries.length > ZIP_MAX_ENTRIES) {
    throw new CairnError('invalid-input', 'this selection is too large for a .zip file (4 GB or 65,535 items at most): restore it into a folder instead');
  }
  const progress = new Progress(files.length, total, opts.onProgress);
  const out = new Gatherer(sink, opts.pieceSize);
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.queue(data);
  });
  const check = () => {
    if (failure) throw new CairnError('io', `the .zip file could not be made: ${String(failure)}`);
  };
  for (const e of entries) {
    throwIfAborted(opts.signal);
    const item = new ZipPassThrough(e.node.type === 'dir' ? `${e.path}/` : e.path);
    item.mtime = zipTime(e.node.mtime);
    zip.add(item);
    if (e.node.type === 'dir') {
      item.push(new Uint8Array(0), true);
    } else {
      const content = e.node.content;
      if (content.length === 0) item.push(new Uint8Array(0), true);
      for (let i = 0; i < content.length; i++) {
        throwIfAborted(opts.signal);
        const data = await repo.readBlob('data', content[i]!);
        item.push(data, i === content.length - 1);
        check();
        await out.drain();
        progress.bytes(data.length, e.path);
      }
      progress.file(e.path);
    }
    check();
    await out.drain();
  }
  zip.end();
  check();
  await out.flush();
  return { files: files.length, bytes: total, skipped };
}

/** The selected entries and everything below them, parents before children. */
async function collect(repo: BlobReader, root: Id, paths: readonly string[], skipped: EntryProblem[], signal?: AbortSignal): Promise<Entry[]> {
  const out: Entry[] = [];
  const add = async (path: string, node: TreeNode): Promise<void> => {
    throwIfAborted(signal);
    const unsafe = unsafeNameReason(node.name);
    if (unsafe) {
      skipped.push({ path, message: `left out: ${unsafe}` });
      return;
    }
    out.push({ path, node });
    if (node.type === 'dir') for (const child of (await repo.readTree(node.subtree)).nodes) await add(`${path}/${child.name}`, child);
  };
  if (paths.length === 0) {
    for (const node of (await repo.readTree(root)).nodes) await add(node.name, node);
    return out;
  }
  const seenParents = new Set<string>();
  for (const raw of paths) {
    const parts = splitPath(raw);
    const { node } = await lookup(repo, root, raw);
    if (!node || parts.length === 0) throw new CairnError('not-found', `"${raw}" is not in this version`);
    // Folder entries above a selected item, so the archive opens with the same folders.
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const name = parts[i - 1]!;
      if (seenParents.has(parent)) continue;
      seenParents.add(parent);
      const unsafe = unsafeNameReason(name);
      if (unsafe) throw new CairnError('invalid-input', `"${raw}" cannot be saved: ${unsafe}`);
      out.push({ path: parent, node: { name, type: 'dir', mtime: 0, subtree: '' } });
    }
    await add(parts.join('/'), node);
  }
  return out;
}

/** A date .zip can hold (1980–2099; fflate throws outside it). */
function zipTime(ms: number): Date {
  const min = Date.UTC(1980, 0, 2);
  const max = Date.UTC(2099, 11, 31);
  return new Date(Math.min(max, Math.max(min, Number.isFinite(ms) ? ms : min)));
}

/** Gathers small pieces into ~pieceSize ones and hands them to the sink, one at a time. */
class Gatherer {
  #pending: Uint8Array[] = [];
  #size = 0;
  readonly #limit: number;

  constructor(
    private readonly sink: ByteSink,
    pieceSize = 1024 * 1024,
  ) {
    this.#limit = pieceSize;
  }

  queue(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.#pending.push(piece);
    this.#size += piece.length;
  }

  async push(piece: Uint8Array): Promise<void> {
    this.queue(piece);
    await this.drain();
  }

  /** Sends what is gathered once it reaches the piece size. */
  async drain(): Promise<void> {
    if (this.#size >= this.#limit) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const piece = new Uint8Array(this.#size);
    let off = 0;
    for (const p of this.#pending) {
      piece.set(p, off);
      off += p.length;
    }
    this.#pending = [];
    this.#size = 0;
    await this.sink(piece);
  }
}

class Progress {
  #files = 0;
  #bytes = 0;

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly onProgress?: (p: DownloadProgressEvent) => void,
  ) {
    this.#emit('');
  }

  bytes(n: number, path: string): void {
    this.#bytes += n;
    this.#emit(path);
  }

  file(path: string): void {
    this.#files++;
    this.#emit(path);
  }

  #emit(currentPath: string): void {
    this.onProgress?.({ filesDone: this.#files, filesTotal: this.filesTotal, bytesDone: this.#bytes, bytesTotal: this.bytesTotal, currentPath });
  }
}
