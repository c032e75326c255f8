import { CairnError, throwIfAborted, type AbortSignalLike } from '../core/errors';
import type { Id } from '../core/format/ids';
import type { SnapshotRef } from '../core/model/snapshot';
import type { Repository } from '../core/repository/repository';
import { verifyPack } from '../core/operations/verify-pack';
import type { AffectedFile } from './protocol';

/**
 * The stored pieces (blob ids) that damaged packs can no longer give back: re-reads each pack
 * and names its blobs that fail authentication, or every blob the index places in it when the
 * pack cannot be read as a whole (missing, header lost).
 */
export async function damagedBlobs(repo: Repository, packs: readonly Id[]): Promise<Set<Id>> {
  const bad = new Set<Id>();
  for (const pack of packs) {
    const size = repo.index.packs.get(pack) ?? 0;
    const v = await verifyPack(repo, pack, size);
    if (v.unreadable !== undefined) {
      for (const b of repo.index.entries()) if (b.pack === pack) bad.add(b.id);
    } else for (const id of v.badBlobs.keys()) bad.add(id);
  }
  return bad;
}

/**
 * Every file (or folder, when its listing is a bad blob) of every snapshot whose data includes
 * one of `bad`, at most `limit`, in snapshot order. Listings are read once each (memoized by
 * tree id); a listing that cannot be read names its folder.
 */
export async function filesUsingBlobs(repo: Repository, snapshots: readonly SnapshotRef[], bad: ReadonlySet<Id>, limit = 200, signal?: AbortSignalLike): Promise<AffectedFile[]> {
  const out: AffectedFile[] = [];
  if (bad.size === 0) return out;
  const memo = new Map<Id, string[]>();
  const walk = async (tree: Id): Promise<string[]> => {
    const known = memo.get(tree);
    if (known) return known;
    const hits: string[] = [];
    let nodes;
    try {
      nodes = bad.has(tree) ? null : (await repo.readTree(tree)).nodes;
    } catch (e) {
      if (!(e instanceof CairnError) || e.code === 'disconnected' || e.code === 'permission') throw e;
      nodes = null;
    }
    if (nodes === null) hits.push('');
    else
      for (const n of nodes) {
        throwIfAborted(signal);
        if (n.type === 'file') {
          if (n.content.some((c) => bad.has(c))) hits.push(n.name);
        } else if (n.type === 'dir') for (const p of await walk(n.subtree)) hits.push(p === '' ? n.name : `${n.name}/${p}`);
      }
    memo.set(tree, hits);
    return hits;
  };
  for (const s of snapshots) {
    for (const path of await walk(s.snapshot.tree)) {
      if (out.length >= limit) return out;
      out.push({ snapshot: s.id, snapshotTime: s.snapshot.time, path });
    }
  }
  return out;
}
