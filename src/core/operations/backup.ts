import { CairnError, isCairnError, throwIfAborted } from '../errors';
import { chunkStream } from '../format/chunker';
import type { Id } from '../format/ids';
import { encodeTree, findNode, type FileNode, type Tree, type TreeNode } from '../model/tree';
import type { Snapshot, SnapshotRef, SnapshotSummary } from '../model/snapshot';
import type { SourceDir, SourceEntry, SourceFile } from '../ports/source';
import { RepoLock } from '../repository/repo-lock';
import type { Repository } from '../repository/repository';
import { joinPath, type EntryError, type JobOptions } from './progress';

export interface BackupSource {
  /** The folder's name in the snapshot's root (made unique when two sources share one). */
  readonly name: string;
  readonly dir: SourceDir;
}

export interface BackupProgress {
  readonly phase: 'scanning' | 'backing-up' | 'finishing';
  readonly filesDone: number;
  readonly bytesDone: number;
  /** Known after scanning; until then the counts found so far. */
  readonly filesTotal: number;
  readonly bytesTotal: number;
  readonly newBytes: number;
  readonly storedBytes: number;
  readonly currentPath: string;
}

export interface BackupOptions extends JobOptions<BackupProgress> {
  readonly tags?: readonly string[];
  /** The snapshot to compare against; default: the newest one with the same sources and host. */
  readonly parent?: Id | null;
  /** Entries to leave out, by path inside the snapshot ("docs/node_modules"). */
  readonly exclude?: (path: string, entry: SourceEntry) => boolean;
  /** Skip the counting pass (no totals in progress). */
  readonly skipScan?: boolean;
}

export interface BackupResult {
  readonly id: Id;
  readonly snapshot: Snapshot;
  readonly summary: SnapshotSummary;
  readonly errors: readonly EntryError[];
}

/**
 * Backs up folders into a new snapshot.
 *
 * Guarantees: incremental (a file whose size and mtime match the parent snapshot is not read);
 * deduplicated (a chunk already stored anywhere is not stored again); streaming (memory is bounded
 * by the chunk and pack sizes, whatever the file sizes); the snapshot is written last, only after
 * every pack and index it needs, and only while our repository lock is fresh. A file that cannot
 * be read is reported in `errors` and left out; everything else completes. Cancelling leaves only
 * unreferenced or already-indexed data, which the next backup reuses.
 */
export async function backup(repo: Repository, sources: BackupSource[], opts: BackupOptions = {}): Promise<BackupResult> {
  if (sources.length === 0) throw new CairnError('invalid-input', 'nothing to back up: no source folders given');
  const started = repo.host.now();
  const lock = await RepoLock.acquire(repo, false);
  try {
    sources = uniqueNames(sources);
    // Never trust a blob whose pack is gone (an interrupted prune, a file deleted by hand).
    const present = new Set<string>();
    for await (const f of repo.backend.list('data')) present.add(f.name);
    repo.index.dropMissingPacks(present);
    const parent = await findParent(repo, sources, opts.parent);
    const job = new BackupJob(repo, lock, opts, parent);
    if (!opts.skipScan) {
      for (const s of sources) await job.scan(s.dir, s.name);
    }
    job.phase = 'backing-up';
    const parentRoot = parent ? await job.tryReadTree(parent.snapshot.tree) : null;
    const rootNodes: TreeNode[] = [];
    for (const s of sources) {
      const prev = parentRoot && findNode(parentRoot, s.name);
      const prevTree = prev?.type === 'dir' ? await job.tryReadTree(prev.subtree) : null;
      rootNodes.push({ name: s.name, type: 'dir', mtime: 0, subtree: await job.saveDir(s.dir, s.name, prevTree) });
    }
    const rootId = await job.saveTree(rootNodes);
    job.phase = 'finishing';
    job.report('');
    await repo.flush();
    await lock.assertFresh();
    const summary: SnapshotSummary = { ...job.counts, durationMs: repo.host.now() - started };
    const snapshot: Snapshot = {
      version: 1,
      time: new Date(started).toISOString(),
      tree: rootId,
      paths: sources.map((s) => s.name),
      hostname: repo.host.hostname,
      tags: [...(opts.tags ?? [])],
      ...(parent ? { parent: parent.id } : {}),
      summary,
    };
    const id = await repo.writeSnapshot(snapshot);
    return { id, snapshot, summary, errors: job.errors };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Files read and stored at the same time. */
const FILES_IN_FLIGHT = 4;
/** Raw chunk bytes being hashed, compressed and sealed at the same time. */
const BYTES_IN_FLIGHT = 16 * 1024 * 1024;
/** Source entries the counting pass keeps for the real pass (beyond, folders are listed again). */
const LISTING_CACHE = 200_000;

/** A counting semaphore over bytes; one request larger than the whole budget still passes alone. */
class ByteBudget {
  private used = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(n: number): Promise<void> {
    while (this.used > 0 && this.used + n > this.limit) await new Promise<void>((r) => this.waiters.push(r));
    this.used += n;
  }

  release(n: number): void {
    this.used -= n;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

function uniqueNames(sources: readonly BackupSource[]): BackupSource[] {
  const seen = new Set<string>();
  return sources.map((s) => {
    const base = s.name || 'folder';
    let name = base;
    for (let i = 2; seen.has(name); i++) name = `${base} (${i})`;
    seen.add(name);
    return { name, dir: s.dir };
  });
}

async function findParent(repo: Repository, sources: readonly BackupSource[], parent: Id | null | undefined): Promise<SnapshotRef | null> {
  if (parent === null) return null;
  if (parent !== undefined) return repo.resolveSnapshot(parent);
  const key = sources.map((s) => s.name).sort().join('\0');
  const all = await repo.listSnapshots(() => undefined);
  for (let i = all.length - 1; i >= 0; i--) {
    const s = all[i]!;
    if (s.snapshot.hostname === repo.host.hostname && [...s.snapshot.paths].sort().join('\0') === key) return s;
  }
  return null;
}

class BackupJob {
  phase: BackupProgress['phase'] = 'scanning';
  readonly errors: EntryError[] = [];
  counts = { files: 0, dirs: 0, bytes: 0, newFiles: 0, changedFiles: 0, unchangedFiles: 0, addedBytes: 0, storedBytes: 0, errors: 0 };
  private filesTotal = 0;
  private bytesTotal = 0;
  /** Complete listings made by the counting pass, used once by the real pass. */
  private listings = new Map<SourceDir, SourceEntry[]>();
  private cachedEntries = 0;
  /** Files being backed up concurrently, and the raw bytes of chunks in flight. */
  private filesInFlight = new Set<Promise<unknown>>();
  private readonly budget = new ByteBudget(BYTES_IN_FLIGHT);
  private refreshing: Promise<void> | null = null;
  /** An error from a file in flight that must stop the backup. */
  private fatal: { error: unknown } | null = null;

  constructor(
    private readonly repo: Repository,
    private readonly lock: RepoLock,
    private readonly opts: BackupOptions,
    readonly parent: SnapshotRef | null,
  ) {}

  report(currentPath: string): void {
    this.opts.onProgress?.({
      phase: this.phase,
      filesDone: this.counts.files,
      bytesDone: this.counts.bytes,
      filesTotal: this.filesTotal,
      bytesTotal: this.bytesTotal,
      newBytes: this.counts.addedBytes,
      storedBytes: this.counts.storedBytes,
      currentPath,
    });
  }

  /**
   * Counts files and bytes so progress can show totals; errors are left for the real pass. The
   * listings are kept (up to LISTING_CACHE entries) so the real pass does not list every folder a
   * second time.
   */
  async scan(dir: SourceDir, path: string): Promise<void> {
    const listed: SourceEntry[] = [];
    try {
      for await (const e of dir.entries()) {
        throwIfAborted(this.opts.signal);
        listed.push(e);
        const p = joinPath(path, e.name);
        if (this.opts.exclude?.(p, e)) continue;
        if (e.kind === 'dir') await this.scan(e, p);
        else {
          this.filesTotal++;
          this.bytesTotal += e.size;
        }
      }
      if (this.cachedEntries + listed.length <= LISTING_CACHE) {
        this.listings.set(dir, listed);
        this.cachedEntries += listed.length;
      }
    } catch (e) {
      if (isCairnError(e, 'aborted')) throw e;
    }
    this.report(path);
  }

  async tryReadTree(id: Id): Promise<Tree | null> {
    try {
      return await this.repo.readTree(id);
    } catch (e) {
      if (e instanceof CairnError && e.code !== 'disconnected' && e.code !== 'permission') return null; // re-read everything below
      throw e;
    }
  }

  async saveTree(nodes: TreeNode[]): Promise<Id> {
    const bytes = encodeTree(nodes);
    const id = await this.repo.blobId(bytes);
    this.counts.storedBytes += await this.repo.storeBlob('tree', id, bytes);
    return id;
  }

  async saveDir(dir: SourceDir, path: string, prev: Tree | null): Promise<Id> {
    this.counts.dirs++;
    const entries = await this.listDir(dir, path);
    // Files are backed up a few at a time (see FILES_IN_FLIGHT); the tree keeps listing order.
    const nodes: (TreeNode | Promise<TreeNode | null>)[] = [];
    try {
      for (const entry of entries) {
        throwIfAborted(this.opts.signal);
        await this.refreshLock();
        const p = joinPath(path, entry.name);
        const before = prev ? findNode(prev, entry.name) : undefined;
        if (entry.kind === 'dir') {
          const prevTree = before?.type === 'dir' ? await this.tryReadTree(before.subtree) : null;
          nodes.push({ name: entry.name, type: 'dir', mtime: 0, subtree: await this.saveDir(entry, p, prevTree) });
          continue;
        }
        const unchanged = this.unchanged(entry, p, before?.type === 'file' ? before : undefined);
        if (unchanged) {
          nodes.push(unchanged);
          continue;
        }
        while (this.filesInFlight.size >= FILES_IN_FLIGHT) await Promise.race(this.filesInFlight);
        if (this.fatal) throw this.fatal.error;
        const task = this.saveFile(entry, p, before?.type === 'file' ? before : undefined);
        const tracked: Promise<void> = task.then(
          () => void this.filesInFlight.delete(tracked),
          (e: unknown) => {
            this.fatal ??= { error: e }; // saveFile handles per-file failures itself
            this.filesInFlight.delete(tracked);
          },
        );
        this.filesInFlight.add(tracked);
        nodes.push(task);
      }
    } finally {
      // Never leave work running behind a failure.
      await Promise.allSettled(nodes);
    }
    const done: TreeNode[] = [];
    for (const n of nodes) {
      const node = await n;
      if (node) done.push(node);
    }
    return this.saveTree(done);
  }

  /** One lock refresh at a time, however many files are in flight. */
  private refreshLock(): Promise<void> {
    return (this.refreshing ??= this.lock.refreshIfDue().finally(() => (this.refreshing = null)));
  }

  private async listDir(dir: SourceDir, path: string): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    const seen = new Set<string>();
    const cached = this.listings.get(dir);
    if (cached) this.listings.delete(dir);
    try {
      for await (const e of cached ?? dir.entries()) {
        throwIfAborted(this.opts.signal);
        if (this.opts.exclude?.(joinPath(path, e.name), e)) continue;
        if (seen.has(e.name)) {
          this.fail(joinPath(path, e.name), 'listed twice by the source; kept once');
          continue;
        }
        seen.add(e.name);
        entries.push(e);
      }
    } catch (e) {
      if (!(e instanceof CairnError) || e.code === 'aborted' || e.code === 'disconnected') throw e;
      this.fail(path || '/', `folder could not be listed completely: ${e.message}`);
    }
    return entries;
  }

  private fail(path: string, message: string): void {
    this.errors.push({ path, message });
    this.counts.errors++;
  }

  /** The parent's node when the file is unchanged (same size and mtime, every chunk still stored). */
  private unchanged(file: SourceFile, path: string, before: FileNode | undefined): FileNode | null {
    if (!(before && before.size === file.size && before.mtime === file.mtime && before.content.every((id) => this.repo.hasBlob('data', id)))) return null;
    this.counts.files++;
    this.counts.unchangedFiles++;
    this.counts.bytes += file.size;
    this.report(path);
    return before.name === file.name ? before : { ...before, name: file.name };
  }

  /** Hashes, compresses, seals and queues one chunk; resolves to its id. */
  private async storeChunk(chunk: Uint8Array, path: string): Promise<Id> {
    try {
      const id = await this.repo.blobId(chunk);
      const stored = await this.repo.storeBlob('data', id, chunk);
      if (stored > 0) {
        this.counts.addedBytes += chunk.length;
        this.counts.storedBytes += stored;
      }
      this.counts.bytes += chunk.length;
      this.report(path);
      return id;
    } finally {
      this.budget.release(chunk.length);
    }
  }

  private async saveFile(file: SourceFile, path: string, before: FileNode | undefined): Promise<FileNode | null> {
    // Chunks are stored concurrently (bounded by the byte budget); ids keep the file's order.
    const pending: Promise<Id>[] = [];
    let size = 0;
    try {
      try {
        for await (const chunk of chunkStream(file.read(), this.repo.config.chunker)) {
          throwIfAborted(this.opts.signal);
          await this.refreshLock();
          await this.budget.acquire(chunk.length);
          const p = this.storeChunk(chunk, path);
          p.catch(() => undefined); // awaited below
          pending.push(p);
          size += chunk.length;
        }
      } finally {
        await Promise.allSettled(pending);
      }
    } catch (e) {
      if (!(e instanceof CairnError) || e.code === 'aborted' || e.code === 'disconnected' || e.code === 'storage-full') throw e;
      this.fail(path, `not backed up: ${e.message}`);
      return null;
    }
    let content: Id[];
    try {
      content = await Promise.all(pending);
    } catch (e) {
      if (!(e instanceof CairnError) || e.code === 'aborted' || e.code === 'disconnected' || e.code === 'storage-full') throw e;
      this.fail(path, `not backed up: ${e.message}`);
      return null;
    }
    if (size !== file.size) this.fail(path, `changed while it was read (${file.size} bytes listed, ${size} read); the bytes read were kept`);
    this.counts.files++;
    if (before) this.counts.changedFiles++;
    else this.counts.newFiles++;
    return { name: file.name, type: 'file', size, mtime: file.mtime, content };
  }
}
