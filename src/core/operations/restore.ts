import { CairnError, throwIfAborted } from '../errors';
import { chunkStream } from '../format/chunker';
import type { Id } from '../format/ids';
import { unsafeNameReason } from '../model/names';
import { findNode, type FileNode, type Tree, type TreeNode } from '../model/tree';
import type { TargetDir, TargetDirInfo, TargetFileInfo } from '../ports/target';
import type { BlobReader } from '../repository/repository';
import { joinPath, type JobOptions } from './progress';

/**
 * What restore does when a file of the same name exists in the target:
 * - 'keep-both' (default): identical files are left alone; a differing one stays untouched and
 *   the restored copy is written beside it as "name (restored YYYY-MM-DD HH.MM).ext".
 * - 'overwrite': a differing file is first renamed to "name (before restore …).ext", then the
 *   restored copy takes its name. Nothing is ever deleted.
 * - 'skip': differing files are left alone and the restored copy is not written.
 */
export type ConflictMode = 'keep-both' | 'overwrite' | 'skip';

export type RestoreAction =
  | 'restored' // written under its own name, nothing was there
  | 'identical' // an identical file was already there: left alone
  | 'kept-both' // a different file was there: left alone, the restored copy written as `writtenAs`
  | 'replaced' // overwrite mode: the existing file was renamed to `preservedAs`, then restored
  | 'skipped' // not written (skip mode, or a name unsafe to use)
  | 'failed';

export interface RestoreDecision {
  /** Path inside the snapshot. */
  readonly path: string;
  readonly action: RestoreAction;
  /** Name written in the target folder when it differs from the snapshot's name. */
  readonly writtenAs?: string;
  readonly preservedAs?: string;
  readonly reason?: string;
}

export interface RestoreProgress {
  readonly phase: 'planning' | 'restoring';
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly currentPath: string;
}

export interface RestoreOptions extends JobOptions<RestoreProgress> {
  /** Paths inside the snapshot to restore ("docs/a.txt", "docs"); all when empty or missing. */
  readonly paths?: readonly string[];
  readonly mode?: ConflictMode;
  /** Read every written file back and compare it with the snapshot. */
  readonly verify?: boolean;
  /** Time shown in side-by-side names ("restored 2026-11-21 10.30"), normally the snapshot's; without it just "restored". */
  readonly label?: Date;
  /** When restore started, for "before restore …" names; without it just "before restore". */
  readonly now?: Date;
  /** Plan only: decide every file, write nothing. */
  readonly dryRun?: boolean;
}

export interface RestoreReport {
  readonly decisions: readonly RestoreDecision[];
  readonly counts: Readonly<Record<RestoreAction, number>>;
  readonly bytesWritten: number;
}

/**
 * Restores a tree (a snapshot's root) or selected paths of it into `target`, keeping each
 * selected item's path from the snapshot root. Guarantees: every name from the repository is
 * validated as one path component before use; nothing is written outside `target`; nothing
 * existing is overwritten or deleted (see ConflictMode); files are published whole, never
 * half-written under their final name; re-running after an interruption skips files already
 * restored (they are identical). Every file gets a decision in the report.
 */
export async function restore(repo: BlobReader, rootTree: Id, target: TargetDir, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const job = new RestoreJob(repo, opts);
  const root = await repo.readTree(rootTree);
  const selection = await job.select(root, opts.paths ?? []);
  for (const item of selection) await job.plan(item.node);
  job.phase = 'restoring';
  try {
    for (const item of selection) {
      const dir = await job.ensureDirs(target, item.parents);
      if (dir) await job.restoreNode(dir, item.node, item.parents.join('/'));
    }
  } finally {
    // Nothing is written after restore returns or throws.
    await job.drain();
  }
  job.throwIfFatal();
  return job.finish();
}

/**
 * Files written at the same time. Decisions (what exists, which name to use) are still taken one
 * file at a time in tree order; only writing the content overlaps, so I/O waits, decryption and
 * the target's fsyncs of several files proceed together.
 */
const WRITERS = 6;
/** Blobs of one file read ahead of the one being written. */
const READ_AHEAD = 3;

interface Selected {
  readonly parents: string[];
  readonly node: TreeNode;
}

class RestoreJob {
  phase: RestoreProgress['phase'] = 'planning';
  private decisions: RestoreDecision[] = [];
  private trees = new Map<Id, Tree>();
  private filesTotal = 0;
  private bytesTotal = 0;
  private filesDone = 0;
  private bytesDone = 0;
  private bytesWritten = 0;
  private readonly mode: ConflictMode;
  private readonly label: string;
  private readonly nowLabel: string;
  /** Writes in flight. */
  private inflight = new Set<Promise<void>>();
  /** Names being written (any folder): a decision about such a name waits for its write. */
  private writing = new Map<string, Promise<void>>();
  /** The first error that must stop the restore, raised by a write in flight. */
  private fatal: { error: unknown } | null = null;

  constructor(
    private readonly repo: BlobReader,
    private readonly opts: RestoreOptions,
  ) {
    this.mode = opts.mode ?? 'keep-both';
    this.label = opts.label ? `restored ${stamp(opts.label)}` : 'restored';
    this.nowLabel = opts.now ? `before restore ${stamp(opts.now)}` : 'before restore';
  }

  private async tree(id: Id): Promise<Tree> {
    let t = this.trees.get(id);
    if (!t) this.trees.set(id, (t = await this.repo.readTree(id)));
    return t;
  }

  /** Resolves selected paths to nodes; a path that does not exist fails the whole restore. */
  async select(root: Tree, paths: readonly string[]): Promise<Selected[]> {
    if (paths.length === 0) return root.nodes.map((node) => ({ parents: [], node }));
    const out: Selected[] = [];
    for (const raw of paths) {
      const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
      let tree = root;
      let node: TreeNode | undefined;
      for (let i = 0; i < parts.length; i++) {
        node = findNode(tree, parts[i]!);
        if (!node) throw new CairnError('not-found', `"${raw}" is not in this snapshot`);
        if (i < parts.length - 1) {
          if (node.type !== 'dir') throw new CairnError('not-found', `"${raw}" is not in this snapshot`);
          tree = await this.tree(node.subtree);
        }
      }
      if (!node) return root.nodes.map((n) => ({ parents: [], node: n }));
      out.push({ parents: parts.slice(0, -1), node });
    }
    return out;
  }

  async plan(node: TreeNode): Promise<void> {
    throwIfAborted(this.opts.signal);
    if (node.type === 'file') {
      this.filesTotal++;
      this.bytesTotal += node.size;
      return;
    }
    const tree = await this.treeOrNull(node.subtree);
    if (tree) for (const child of tree.nodes) await this.plan(child);
    this.report('');
  }

  /** A folder listing, or null when it is lost (reported once by the caller, restore goes on). */
  private async treeOrNull(id: Id): Promise<Tree | null> {
    try {
      return await this.tree(id);
    } catch (e) {
      if (!(e instanceof CairnError) || ['aborted', 'disconnected', 'permission', 'storage-full'].includes(e.code)) throw e;
      return null;
    }
  }

  private report(currentPath: string): void {
    this.opts.onProgress?.({
      phase: this.phase,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      currentPath,
    });
  }

  private decide(d: RestoreDecision, node?: FileNode): void {
    this.decisions.push(d);
    if (node) {
      this.filesDone++;
      this.bytesDone += node.size;
    }
    this.report(d.path);
  }

  /** Creates (or finds) the folders above a selected item. */
  async ensureDirs(target: TargetDir, parents: string[]): Promise<TargetDir | null> {
    let dir = target;
    let path = '';
    for (const name of parents) {
      path = joinPath(path, name);
      const next = await this.enterDir(dir, name, path);
      if (!next) return null;
      dir = next;
    }
    return dir;
  }

  /** The target folder for a snapshot folder; a file standing there means a side-by-side folder. */
  private async enterDir(dir: TargetDir, name: string, path: string): Promise<TargetDir | null> {
    const unsafe = unsafeNameReason(name);
    if (unsafe) {
      this.decisions.push({ path, action: 'skipped', reason: `unsafe name: ${unsafe}; its contents were not restored` });
      return null;
    }
    const existing = await this.get(dir, name);
    if (!existing && this.opts.dryRun) return absentDir(name);
    if (!existing || existing.kind === 'dir') return dir.dir(name);
    const alt = await this.freeName(dir, name, this.label);
    this.decisions.push({ path, action: 'kept-both', writtenAs: alt, reason: 'a file of that name exists where the folder goes' });
    return this.opts.dryRun ? absentDir(alt) : dir.dir(alt);
  }

  async restoreNode(dir: TargetDir, node: TreeNode, parentPath: string): Promise<void> {
    throwIfAborted(this.opts.signal);
    const path = joinPath(parentPath, node.name);
    if (node.type === 'dir') {
      let tree: Tree;
      try {
        tree = await this.tree(node.subtree);
      } catch (e) {
        if (!(e instanceof CairnError) || ['aborted', 'disconnected', 'permission', 'storage-full'].includes(e.code)) throw e;
        this.decisions.push({ path, action: 'failed', reason: `the folder's listing is lost from the backup (${e.message}); nothing in it could be restored` });
        return;
      }
      const sub = await this.enterDir(dir, node.name, path);
      for (const child of tree.nodes) {
        if (sub) await this.restoreNode(sub, child, path);
        else await this.skipAll(child, path);
      }
      return;
    }
    this.throwIfFatal();
    try {
      await this.restoreFile(dir, node, path);
    } catch (e) {
      if (isFatal(e)) throw e;
      this.decide({ path, action: 'failed', reason: (e as Error).message }, node);
    }
  }

  /** `dir.get(name)`, after any write of that name in flight has finished. */
  private async get(dir: TargetDir, name: string): Promise<TargetFileInfo | TargetDirInfo | null> {
    const pending = this.writing.get(name);
    if (pending) await pending;
    return dir.get(name);
  }

  /** Waits for every write in flight. */
  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.all(this.inflight);
  }

  throwIfFatal(): void {
    if (this.fatal) throw this.fatal.error;
  }

  private async skipAll(node: TreeNode, parentPath: string): Promise<void> {
    const path = joinPath(parentPath, node.name);
    if (node.type === 'file') return this.decide({ path, action: 'skipped', reason: 'its folder was not restored' }, node);
    for (const child of (await this.treeOrNull(node.subtree))?.nodes ?? []) await this.skipAll(child, path);
  }

  private async restoreFile(dir: TargetDir, node: FileNode, path: string): Promise<void> {
    const unsafe = unsafeNameReason(node.name);
    if (unsafe) return this.decide({ path, action: 'skipped', reason: `unsafe name: ${unsafe}` }, node);
    const existing = await this.get(dir, node.name);
    if (!existing) return this.write(dir, node.name, node, { path, action: 'restored' });
    if (existing.kind === 'file' && (await this.sameContent(existing, node))) {
      return this.decide({ path, action: 'identical' }, node);
    }
    if (this.mode === 'skip') return this.decide({ path, action: 'skipped', reason: 'a different file exists there' }, node);
    if (this.mode === 'overwrite' && existing.kind === 'file') {
      const preservedAs = await this.freeName(dir, node.name, this.nowLabel);
      if (!this.opts.dryRun) await dir.rename(node.name, preservedAs);
      return this.write(dir, node.name, node, { path, action: 'replaced', preservedAs });
    }
    // Keep both; a copy restored earlier under the side-by-side name counts as done.
    const sideName = sideBySide(node.name, this.label);
    const side = await this.get(dir, sideName);
    if (side?.kind === 'file' && (await this.sameContent(side, node))) {
      return this.decide({ path, action: 'kept-both', writtenAs: sideName, reason: 'restored earlier beside the existing file' }, node);
    }
    const writtenAs = await this.freeName(dir, node.name, this.label);
    return this.write(dir, writtenAs, node, { path, action: 'kept-both', writtenAs, reason: 'a different file exists there' });
  }

  /**
   * Starts writing a file in the background (at most WRITERS at a time). Its decision keeps its
   * place in the report; its name counts as taken until the write has finished.
   */
  private async write(dir: TargetDir, name: string, node: FileNode, d: RestoreDecision): Promise<void> {
    if (this.opts.dryRun) return this.decide(d, node);
    while (this.inflight.size >= WRITERS) await Promise.race(this.inflight);
    this.throwIfFatal();
    const slot = this.decisions.length;
    this.decisions.push(d);
    const task = this.writeNow(dir, name, node, d).then(
      () => this.settle(slot, d, node),
      (e: unknown) => {
        if (isFatal(e)) this.fatal ??= { error: e };
        else this.settle(slot, { path: d.path, action: 'failed', reason: (e as Error).message }, node);
      },
    );
    const previous = this.writing.get(name);
    const held = previous ? Promise.all([previous, task]).then(() => undefined) : task;
    this.writing.set(name, held);
    this.inflight.add(task);
    void task.finally(() => {
      this.inflight.delete(task);
      if (this.writing.get(name) === held) this.writing.delete(name);
    });
  }

  private async writeNow(dir: TargetDir, name: string, node: FileNode, d: RestoreDecision): Promise<void> {
    await dir.writeFile(name, this.content(node), node.mtime);
    this.bytesWritten += node.size;
    if (this.opts.verify) {
      const written = await dir.get(name);
      if (written?.kind !== 'file' || !(await this.sameContent(written, node))) {
        throw new CairnError('io', `verification failed: "${d.path}" reads back differently from the snapshot`);
      }
    }
  }

  private settle(slot: number, d: RestoreDecision, node: FileNode): void {
    this.decisions[slot] = d;
    this.filesDone++;
    this.bytesDone += node.size;
    this.report(d.path);
  }

  /**
   * The file's bytes in order, blob by blob, with a few blobs read ahead (memory bounded by
   * READ_AHEAD + 1 chunks per file being written).
   */
  private async *content(node: FileNode): AsyncGenerator<Uint8Array> {
    const ahead: Promise<Uint8Array>[] = [];
    let next = 0;
    const fill = () => {
      while (ahead.length <= READ_AHEAD && next < node.content.length) {
        const p = this.repo.readBlob('data', node.content[next++]!);
        p.catch(() => undefined); // observed when its turn comes
        ahead.push(p);
      }
    };
    for (let i = 0; i < node.content.length; i++) {
      throwIfAborted(this.opts.signal);
      fill();
      yield await ahead.shift()!;
    }
  }

  /** Exact comparison by keyed chunk ids: reads the existing file once, never writes. */
  private async sameContent(existing: TargetFileInfo, node: FileNode): Promise<boolean> {
    if (existing.size !== node.size) return false;
    let i = 0;
    for await (const chunk of chunkStream(existing.read(), this.repo.config.chunker)) {
      if (node.content[i++] !== (await this.repo.blobId(chunk))) return false;
    }
    return i === node.content.length;
  }

  /** "name (label).ext", then "name (label 2).ext", … — the first that does not exist. */
  private async freeName(dir: TargetDir, name: string, label: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = sideBySide(name, n === 1 ? label : `${label} ${n}`);
      if (!(await this.get(dir, candidate))) return candidate;
      if (n > 10_000) throw new CairnError('io', `no free name for "${name}"`);
    }
  }

  finish(): RestoreReport {
    const counts = { restored: 0, identical: 0, 'kept-both': 0, replaced: 0, skipped: 0, failed: 0 };
    for (const d of this.decisions) counts[d.action]++;
    return { decisions: this.decisions, counts, bytesWritten: this.bytesWritten };
  }
}

/** Errors that stop a whole restore rather than failing one file. */
function isFatal(e: unknown): boolean {
  return !(e instanceof CairnError) || e.code === 'aborted' || e.code === 'disconnected' || e.code === 'permission' || e.code === 'storage-full';
}

/** A folder that does not exist yet, seen by a dry run: empty, and never written. */
function absentDir(name: string): TargetDir {
  const refuse = () => Promise.reject(new Error('dry run writes nothing'));
  return { name, get: async () => null, dir: async (n) => absentDir(n), writeFile: refuse, rename: refuse };
}

/** "report.pdf" + "restored 2026-11-21 10.30" → "report (restored 2026-11-21 10.30).pdf". */
export function sideBySide(name: string, label: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return `${stem} (${label})${ext}`;
}

/** A local-time-free, file-system-safe stamp: "2026-11-21 10.30" (UTC). */
function stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}.${iso.slice(14, 16)}`;
}

