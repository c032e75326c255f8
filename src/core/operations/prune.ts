import { CairnError, throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import type { IndexedBlob } from '../repository/index-file';
import { RepoLock } from '../repository/repo-lock';
import type { Repository } from '../repository/repository';
import type { JobOptions } from './progress';

export interface PruneProgress {
  readonly phase: 'marking' | 'repacking' | 'writing-index' | 'deleting';
  readonly done: number;
  readonly total: number;
}

export interface PruneOptions extends JobOptions<PruneProgress> {
  /** Repack a pack when at least this fraction of its bytes is unused (default 0.3). */
  readonly repackThreshold?: number;
  /** Plan only: report what would be deleted and freed, delete nothing. */
  readonly dryRun?: boolean;
}

export interface PruneReport {
  readonly packsDeleted: number;
  readonly packsRepacked: number;
  readonly packsKept: number;
  readonly indexFilesReplaced: number;
  readonly bytesFreed: number;
  /** Bytes of unused blobs left in packs not worth repacking. */
  readonly bytesUnusedKept: number;
  readonly blobsUsed: number;
  readonly dryRun: boolean;
}

/**
 * Removes data no snapshot needs. Mark and sweep under an exclusive lock.
 *
 * Guarantees: aborts and deletes nothing when any snapshot, index file, tree or listing cannot be
 * read; copies still-used blobs out of mostly-unused packs (authenticating each) before anything
 * is deleted; writes the replacement index (which names every index file it supersedes) before
 * deleting any file; deletes old index files before the packs they list, so a crash at any point
 * leaves a repository in which every snapshot still restores. Re-checks its lock before deleting.
 * Packs no index lists (left by interrupted backups) are deleted too.
 */
export async function prune(repo: Repository, opts: PruneOptions = {}): Promise<PruneReport> {
  const lock = await RepoLock.acquire(repo, true);
  try {
    return await runPrune(repo, lock, opts);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

async function runPrune(repo: Repository, lock: RepoLock, opts: PruneOptions): Promise<PruneReport> {
  const progress = (phase: PruneProgress['phase'], done: number, total: number) => opts.onProgress?.({ phase, done, total });
  const refuse = (what: string, e: CairnError) => {
    throw new CairnError(e.code === 'aborted' ? 'aborted' : 'corrupted', `prune stopped and deleted nothing: ${what} cannot be read (${e.message}); run check`, { cause: e });
  };

  progress('marking', 0, 1);
  await repo.loadIndex((name, e) => refuse(`index file ${name.slice(0, 8)}`, e));
  const stored = new Map<Id, number>();
  for await (const f of repo.backend.list('data')) stored.set(f.name, f.size);
  const snapshots = await repo.listSnapshots((id, e) => refuse(`snapshot ${id.slice(0, 8)}`, e));
  const used = new Set<string>();
  const seenTrees = new Set<Id>();
  let done = 0;
  for (const s of snapshots) {
    throwIfAborted(opts.signal);
    progress('marking', done++, snapshots.length);
    await markTree(repo, s.snapshot.tree, used, seenTrees, opts);
  }
  for (const key of used) {
    const [type, id] = key.startsWith('t') ? (['tree', key.slice(1)] as const) : (['data', key] as const);
    if (!repo.index.has(type, id)) {
      throw new CairnError('corrupted', `prune stopped and deleted nothing: a ${type} blob ${id.slice(0, 8)} that a snapshot needs is missing from the index; run check and repair`);
    }
  }

  // Sort packs: fully used, partly used (repack when worth it), unused.
  const byPack = new Map<Id, { used: IndexedBlob[]; unusedBytes: number; usedBytes: number }>();
  for (const b of repo.index.entries()) {
    let p = byPack.get(b.pack);
    if (!p) byPack.set(b.pack, (p = { used: [], unusedBytes: 0, usedBytes: 0 }));
    if (used.has(b.type === 'tree' ? 't' + b.id : b.id)) {
      p.used.push(b);
      p.usedBytes += b.length;
    } else p.unusedBytes += b.length;
  }
  const threshold = opts.repackThreshold ?? 0.3;
  const remove = new Set<Id>();
  const repack: Id[] = [];
  let bytesFreed = 0;
  let bytesUnusedKept = 0;
  for (const [pack, p] of byPack) {
    if (!stored.has(pack)) throw new CairnError('corrupted', `prune stopped and deleted nothing: pack ${pack.slice(0, 8)} listed in the index is missing; run check and repair`);
    if (p.used.length === 0) remove.add(pack);
    else if (p.unusedBytes > 0 && p.unusedBytes >= threshold * (p.unusedBytes + p.usedBytes)) repack.push(pack);
    else bytesUnusedKept += p.unusedBytes;
  }
  for (const [pack, size] of stored) if (!byPack.has(pack)) remove.add(pack); // unreferenced
  for (const pack of [...remove, ...repack]) bytesFreed += stored.get(pack) ?? 0;

  const staleIndexFiles = repo.indexFileIds();
  const report = (repacked: number): PruneReport => ({
    packsDeleted: remove.size,
    packsRepacked: repacked,
    packsKept: byPack.size - repack.length - [...remove].filter((p) => byPack.has(p)).length,
    indexFilesReplaced: staleIndexFiles.length,
    bytesFreed,
    bytesUnusedKept,
    blobsUsed: used.size,
    dryRun: Boolean(opts.dryRun),
  });
  if (opts.dryRun || (remove.size === 0 && repack.length === 0 && repo.supersededIndexFiles().size === 0)) {
    return { ...report(0), packsDeleted: opts.dryRun ? remove.size : 0, dryRun: Boolean(opts.dryRun) };
  }

  // Repack: copy used blobs (still sealed, authenticated on the way) into new packs.
  repo.autoIndex = false;
  let repacked = 0;
  for (const pack of repack) {
    throwIfAborted(opts.signal);
    progress('repacking', repacked, repack.length);
    const bytes = await repo.backend.read('data', pack);
    const blobs = byPack.get(pack)!.used;
    const sealed = blobs.map((b) => bytes.subarray(b.offset, b.offset + b.length));
    try {
      for (const [i, b] of blobs.entries()) await repo.openBlob(b, sealed[i]!);
    } catch (e) {
      if (!(e instanceof CairnError)) throw e;
      // A damaged blob is never copied: keep the whole pack as it is.
      bytesFreed -= stored.get(pack) ?? 0;
      continue;
    }
    for (const [i, b] of blobs.entries()) await repo.copySealedBlob(b, sealed[i]!);
    remove.add(pack);
    repacked++;
  }
  await repo.flushPacks();
  const fresh = repo.takeUnindexed();
  repo.autoIndex = true;

  // One index for everything that stays, superseding every index file read.
  progress('writing-index', 0, 1);
  const packs = new Map<Id, number>();
  const blobs: IndexedBlob[] = [];
  for (const b of repo.index.entries()) {
    if (remove.has(b.pack) || !used.has(b.type === 'tree' ? 't' + b.id : b.id)) continue;
    packs.set(b.pack, repo.index.packs.get(b.pack)!);
    blobs.push(b);
  }
  for (const p of fresh) {
    packs.set(p.pack, p.size);
    for (const e of p.entries) blobs.push({ ...e, pack: p.pack });
  }
  // Unused blobs in kept packs stay indexed too, so the dedup never trusts a blob it cannot find.
  for (const b of repo.index.entries()) {
    if (!remove.has(b.pack) && !used.has(b.type === 'tree' ? 't' + b.id : b.id)) blobs.push(b);
  }
  await lock.assertFresh();
  let deleted = 0;
  const unusedPacks = [...remove].filter((p) => !byPack.has(p) || byPack.get(p)!.used.length === 0);
  try {
    await repo.writeIndexFile({ supersedes: staleIndexFiles, packs, blobs });
  } catch (e) {
    if (!(e instanceof CairnError) || e.code !== 'storage-full') throw e;
    // Storage is full: make room by deleting packs no snapshot uses (a backup never trusts index
    // entries whose pack is gone, and check reports them as harmless), then write the index.
    for (const pack of unusedPacks) {
      await repo.backend.remove('data', pack);
      remove.delete(pack);
      deleted++;
    }
    await repo.writeIndexFile({ supersedes: staleIndexFiles, packs, blobs });
  }

  progress('deleting', 0, staleIndexFiles.length + remove.size);
  await lock.assertFresh();
  for (const id of staleIndexFiles) {
    await repo.backend.remove('index', id);
    progress('deleting', ++deleted, staleIndexFiles.length + remove.size);
  }
  for (const pack of remove) {
    await repo.backend.remove('data', pack);
    progress('deleting', ++deleted, staleIndexFiles.length + remove.size);
  }
  await repo.loadIndex();
  return report(repacked);
}

async function markTree(repo: Repository, id: Id, used: Set<string>, seen: Set<Id>, opts: PruneOptions): Promise<void> {
  if (seen.has(id)) return;
  seen.add(id);
  used.add('t' + id);
  throwIfAborted(opts.signal);
  let tree;
  try {
    tree = await repo.readTree(id);
  } catch (e) {
    if (!(e instanceof CairnError)) throw e;
    throw new CairnError('corrupted', `prune stopped and deleted nothing: folder listing ${id.slice(0, 8)} cannot be read (${e.message}); run check`, { cause: e });
  }
  for (const node of tree.nodes) {
    if (node.type === 'dir') await markTree(repo, node.subtree, used, seen, opts);
    else for (const c of node.content) used.add(c);
  }
}
