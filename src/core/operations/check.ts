import { CairnError, throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import type { Repository } from '../repository/repository';
import { joinPath, type JobOptions } from './progress';
import { verifyPack } from './verify-pack';

export interface CheckProblem {
  readonly kind: 'index' | 'pack' | 'snapshot' | 'tree' | 'blob';
  /** The stored object concerned (pack, index, snapshot or blob id). */
  readonly id?: Id;
  readonly message: string;
}

export interface DamagedFile {
  readonly snapshot: Id;
  /** Path inside the snapshot; a folder when its listing itself is lost. */
  readonly path: string;
  readonly reason: string;
}

export interface CheckReport {
  /** True when every snapshot can be restored completely. */
  readonly ok: boolean;
  readonly problems: readonly CheckProblem[];
  readonly damagedPacks: readonly Id[];
  readonly damagedSnapshots: readonly Id[];
  readonly damagedFiles: readonly DamagedFile[];
  /** Packs no index refers to: left by an interrupted backup; harmless, removed by prune. */
  readonly unreferencedPacks: readonly Id[];
  /** Harmless inconsistencies (e.g. a missing pack no snapshot needs, left by an interrupted prune). */
  readonly notes: readonly string[];
  readonly stats: { snapshots: number; trees: number; packs: number; blobsRead: number; bytesRead: number };
}

export interface CheckProgress {
  readonly phase: 'index' | 'packs' | 'snapshots';
  readonly done: number;
  readonly total: number;
}

export interface CheckOptions extends JobOptions<CheckProgress> {
  /** Read and authenticate every blob of every pack (slow: reads the whole repository). */
  readonly readData?: boolean;
}

/**
 * Checks a repository without changing it: every index file and snapshot readable, every pack an
 * index names present with the right size, every tree readable, every blob a file needs indexed
 * (and with `readData`, every pack's hash, header and blobs authentic). Problems are named by
 * pack, snapshot and file path; the check itself only fails when storage cannot be read at all.
 */
export async function check(repo: Repository, opts: CheckOptions = {}): Promise<CheckReport> {
  const problems: CheckProblem[] = [];
  const damagedPacks = new Set<Id>();
  const badBlobs = new Map<Id, string>();
  const stats = { snapshots: 0, trees: 0, packs: 0, blobsRead: 0, bytesRead: 0 };
  const progress = (phase: CheckProgress['phase'], done: number, total: number) => opts.onProgress?.({ phase, done, total });

  progress('index', 0, 1);
  await repo.loadIndex((name, e) => problems.push({ kind: 'index', id: name, message: e.message }));
  const stored = new Map<Id, number>();
  for await (const f of repo.backend.list('data')) stored.set(f.name, f.size);
  stats.packs = stored.size;

  const packBlobs = new Map<Id, Id[]>();
  for (const b of repo.index.entries()) {
    let list = packBlobs.get(b.pack);
    if (!list) packBlobs.set(b.pack, (list = []));
    list.push(b.id);
  }
  /** Records a damaged pack; `allLost`: none of its blobs can be read (missing, unreadable header). */
  const markPack = (pack: Id, reason: string, allLost = true) => {
    damagedPacks.add(pack);
    problems.push({ kind: 'pack', id: pack, message: `pack ${pack.slice(0, 8)} ${reason}` });
    if (!allLost) return;
    for (const id of packBlobs.get(pack) ?? []) if (!badBlobs.has(id)) badBlobs.set(id, `its pack ${pack.slice(0, 8)} ${reason}`);
  };
  const missingPacks: Id[] = [];
  for (const [pack, size] of repo.index.packs) {
    const actual = stored.get(pack);
    if (actual === undefined) {
      missingPacks.push(pack);
      markPack(pack, 'is missing');
    }
    else if (actual !== size) markPack(pack, `has ${actual} bytes, the index says ${size}`);
  }
  const unreferencedPacks = [...stored.keys()].filter((p) => !repo.index.packs.has(p));

  if (opts.readData) {
    let done = 0;
    for (const [pack, size] of stored) {
      throwIfAborted(opts.signal);
      progress('packs', done++, stored.size);
      if (damagedPacks.has(pack)) continue;
      const v = await verifyPack(repo, pack, size);
      stats.bytesRead += v.bytesRead;
      stats.blobsRead += v.blobsRead;
      if (v.unreadable) markPack(pack, v.unreadable);
      else if (v.hashMismatch) markPack(pack, 'does not match its hash (damaged)', false);
      for (const [id, reason] of v.badBlobs) {
        if (!badBlobs.has(id)) badBlobs.set(id, reason);
        problems.push({ kind: 'blob', id, message: `blob ${id.slice(0, 8)} in pack ${pack.slice(0, 8)}: ${reason}` });
        damagedPacks.add(pack);
      }
    }
  }

  progress('snapshots', 0, 1);
  const damagedSnapshots = new Set<Id>();
  const snapshots = await repo.listSnapshots((id, e) => {
    damagedSnapshots.add(id);
    problems.push({ kind: 'snapshot', id, message: e.message });
  });
  stats.snapshots = snapshots.length + damagedSnapshots.size;
  const walker = new TreeWalker(repo, badBlobs, problems, stats);
  const damagedFiles: DamagedFile[] = [];
  let done = 0;
  for (const s of snapshots) {
    throwIfAborted(opts.signal);
    progress('snapshots', done++, snapshots.length);
    const lost = await walker.walk(s.snapshot.tree);
    if (lost.length) damagedSnapshots.add(s.id);
    for (const l of lost) damagedFiles.push({ snapshot: s.id, path: l.path, reason: l.reason });
  }
  // A missing pack whose blobs no snapshot needs is harmless (an interrupted prune): a note.
  const notes: string[] = [];
  for (const pack of missingPacks) {
    if ((packBlobs.get(pack) ?? []).some((id) => walker.badUsed.has(id))) continue;
    const i = problems.findIndex((p) => p.kind === 'pack' && p.id === pack);
    if (i >= 0) problems.splice(i, 1);
    damagedPacks.delete(pack);
    notes.push(`pack ${pack.slice(0, 8)} is missing but no snapshot needs its data (left by an interrupted prune; the next prune cleans up)`);
  }
  return {
    notes,
    ok: problems.length === 0 && damagedFiles.length === 0,
    problems,
    damagedPacks: [...damagedPacks],
    damagedSnapshots: [...damagedSnapshots],
    damagedFiles,
    unreferencedPacks,
    stats,
  };
}

interface Lost {
  readonly path: string;
  readonly reason: string;
}

/** Walks trees once each (snapshots share most of them), collecting what cannot be restored. */
class TreeWalker {
  private memo = new Map<Id, Lost[]>();
  /** Blobs (data or tree) some snapshot needs that are damaged or missing. */
  readonly badUsed = new Set<Id>();
  constructor(
    private readonly repo: Repository,
    private readonly badBlobs: ReadonlyMap<Id, string>,
    private readonly problems: CheckProblem[],
    private readonly stats: CheckReport['stats'],
  ) {}

  async walk(treeId: Id): Promise<Lost[]> {
    const memo = this.memo.get(treeId);
    if (memo) return memo;
    const lost: Lost[] = [];
    let tree;
    try {
      const known = this.badBlobs.get(treeId);
      if (known) throw new CairnError('corrupted', known);
      tree = await this.repo.readTree(treeId);
      this.stats.trees++;
    } catch (e) {
      if (!(e instanceof CairnError) || e.code === 'disconnected' || e.code === 'permission') throw e;
      this.problems.push({ kind: 'tree', id: treeId, message: `tree ${treeId.slice(0, 8)}: ${e.message}` });
      this.badUsed.add(treeId);
      lost.push({ path: '', reason: `folder listing lost: ${e.message}` });
      this.memo.set(treeId, lost);
      return lost;
    }
    for (const node of tree.nodes) {
      if (node.type === 'dir') {
        for (const l of await this.walk(node.subtree)) lost.push({ path: l.path ? joinPath(node.name, l.path) : node.name, reason: l.reason });
        continue;
      }
      for (const id of node.content) {
        const bad = this.badBlobs.get(id) ?? (this.repo.index.has('data', id) ? undefined : `data blob ${id.slice(0, 8)} is missing`);
        if (bad) {
          this.badUsed.add(id);
          lost.push({ path: node.name, reason: bad });
          break;
        }
      }
    }
    this.memo.set(treeId, lost);
    return lost;
  }
}
