import { throwIfAborted } from '../core/errors';
import { chunkStream } from '../core/format/chunker';
import type { Id } from '../core/format/ids';
import type { SnapshotRef } from '../core/model/snapshot';
import type { TreeNode } from '../core/model/tree';
import type { BlobReader } from '../core/repository/repository';
import { foldName } from './name-search';
import { fileVersionInfo } from './plain-data';
import type { DroppedItem, LocatedPath, LocateProgressEvent, LocateResult } from './protocol';

export interface LocateOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LocateProgressEvent) => void;
  /** At most this many paths are returned (best first); default 50. */
  readonly limit?: number;
}

/** A node below some tree that matched, with its path relative to that tree. */
interface Hit {
  readonly rel: string;
  readonly node: TreeNode;
  readonly sameName: boolean;
  /** Fraction of the dropped file's chunks this node shares (1 and equal length: identical). */
  readonly identical: boolean;
  readonly shared: number;
}

/** A file counts as "similar" (moved and edited) when it shares at least this much content. */
const SIMILAR = 0.5;

/**
 * Finds a dropped file or folder in every snapshot: by name (the same name, ignoring case and
 * accents, of the same kind), and for a file also by content — the dropped bytes are cut with the
 * repository's chunker and their keyed chunk ids compared with every file's content list, so a
 * renamed or moved copy is found too. Each distinct folder is read once per call (trees are
 * content-addressed: a folder unchanged between snapshots is matched once). Memory: one chunk of
 * the dropped file plus its chunk id list, and the matches.
 *
 * Paths come back best first: those holding the dropped content exactly, then similar content,
 * then same name; among equals, the one whose folders match `item.parents` best, then the most
 * recently seen. Each path lists its distinct versions oldest first, as findVersions does.
 */
export async function locateDroppedItem(
  repo: BlobReader,
  snapshots: readonly SnapshotRef[],
  item: DroppedItem,
  opts: LocateOptions = {},
): Promise<LocateResult> {
  const report = (p: Omit<LocateProgressEvent, 'snapshotsTotal'>) => opts.onProgress?.({ ...p, snapshotsTotal: snapshots.length });
  const ids = item.kind === 'file' ? await chunkIds(repo, item.file, (bytesDone) => report({ phase: 'reading', bytesDone, bytesTotal: item.file.size, snapshotsDone: 0 }), opts.signal) : null;
  const wanted = new Set(ids ?? []);
  const name = foldName(item.name);
  const memo = new Map<Id, Promise<Hit[]>>();

  const match = (node: TreeNode): Omit<Hit, 'rel' | 'node'> | null => {
    const sameName = node.type === (item.kind === 'file' ? 'file' : 'dir') && foldName(node.name) === name;
    if (node.type !== 'file' || ids === null) return sameName ? { sameName, identical: false, shared: 0 } : null;
    const identical = node.size === (item.kind === 'file' ? item.file.size : -1) && sameList(node.content, ids);
    let shared = identical ? 1 : 0;
    if (!identical && wanted.size > 0 && node.content.length > 0) {
      let n = 0;
      for (const id of new Set(node.content)) if (wanted.has(id)) n++;
      shared = n / Math.max(wanted.size, new Set(node.content).size);
    }
    return sameName || identical || shared >= SIMILAR ? { sameName, identical, shared } : null;
  };

  const walk = (tree: Id): Promise<Hit[]> => {
    let hits = memo.get(tree);
    if (!hits) memo.set(tree, (hits = walkTree(tree)));
    return hits;
  };
  const walkTree = async (tree: Id): Promise<Hit[]> => {
    throwIfAborted(opts.signal);
    const hits: Hit[] = [];
    for (const node of (await repo.readTree(tree)).nodes) {
      const m = match(node);
      if (m) hits.push({ rel: node.name, node, ...m });
      if (node.type === 'dir') for (const h of await walk(node.subtree)) hits.push({ ...h, rel: `${node.name}/${h.rel}` });
    }
    return hits;
  };

  const byPath = new Map<string, { snapshot: SnapshotRef; hit: Hit }[]>();
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i]!;
    report({ phase: 'searching', bytesDone: item.kind === 'file' ? item.file.size : 0, bytesTotal: item.kind === 'file' ? item.file.size : 0, snapshotsDone: i });
    for (const hit of await walk(s.snapshot.tree)) {
      let list = byPath.get(hit.rel);
      if (!list) byPath.set(hit.rel, (list = []));
      list.push({ snapshot: s, hit });
    }
  }

  const found = [...byPath.entries()].map(([path, seen]) => located(path, seen, item));
  found.sort((a, b) => rank(b) - rank(a) || b.parentsMatched - a.parentsMatched || b.lastSeen - a.lastSeen || a.path.localeCompare(b.path));
  const limit = opts.limit ?? 50;
  return {
    name: item.name,
    kind: item.kind,
    found: found.slice(0, limit).map(({ parentsMatched: _p, lastSeen: _l, ...rest }) => rest),
    truncated: found.length > limit,
  };
}

/** The dropped file's chunk ids, in order, read in pieces. */
async function chunkIds(repo: BlobReader, file: Blob, onBytes: (n: number) => void, signal?: AbortSignal): Promise<Id[]> {
  const ids: Id[] = [];
  let done = 0;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    const reader = file.stream().getReader();
    try {
      for (;;) {
        throwIfAborted(signal);
        const { value, done: end } = await reader.read();
        if (end) return;
        done += value.length;
        onBytes(done);
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of chunkStream(pieces(), repo.config.chunker)) ids.push(await repo.blobId(chunk));
  return ids;
}

function sameList(a: readonly Id[], b: readonly Id[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

type Ranked = LocatedPath & { parentsMatched: number; lastSeen: number };

function rank(p: LocatedPath): number {
  return p.reason === 'identical' ? 3 : p.reason === 'similar' ? 2 : 1;
}

/** One path's occurrences (oldest snapshot first) grouped into distinct versions. */
function located(path: string, seen: { snapshot: SnapshotRef; hit: Hit }[], item: DroppedItem): Ranked {
  const versions: { first: SnapshotRef; snapshots: SnapshotRef[]; node: TreeNode; key: string; identical: boolean }[] = [];
  for (const { snapshot, hit } of seen) {
    const n = hit.node;
    const key = n.type === 'dir' ? `d:${n.subtree}` : `f:${n.size}:${n.content.join(',')}`;
    const last = versions[versions.length - 1];
    if (last && last.key === key) last.snapshots.push(snapshot);
    else versions.push({ first: snapshot, snapshots: [snapshot], node: n, key, identical: hit.identical });
  }
  const identical = seen.some((s) => s.hit.identical);
  const similar = seen.some((s) => s.hit.shared >= SIMILAR);
  const folders = path.split('/').slice(0, -1).map(foldName).reverse();
  const parents = [...(item.parents ?? [])].map(foldName).reverse();
  let parentsMatched = 0;
  while (parentsMatched < parents.length && folders[parentsMatched] === parents[parentsMatched]) parentsMatched++;
  const lastSeen = Date.parse(seen[seen.length - 1]!.snapshot.snapshot.time) || 0;
  return {
    path,
    sameName: seen.some((s) => s.hit.sameName),
    reason: identical ? 'identical' : similar ? 'similar' : 'name',
    versions: versions.map((v) => ({ ...fileVersionInfo(v), identical: v.identical })),
    parentsMatched,
    lastSeen,
  };
}
