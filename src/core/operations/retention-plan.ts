import type { Id } from '../format/ids';
import type { SnapshotRef } from '../model/snapshot';
import type { BlobReader } from '../repository/repository';
import { joinPath } from './progress';
import { applyRetention, type RetentionDecision, type RetentionPolicy } from './retention';

/** A version of a file that no kept snapshot holds: removing the snapshots loses it. */
export interface LostVersion {
  readonly path: string;
  /** The newest snapshot being removed that holds this version. */
  readonly snapshot: Id;
  readonly time: string;
  readonly size: number;
}

export interface RetentionPlan {
  readonly decisions: readonly RetentionDecision[];
  /** Versions of files that would no longer be restorable, newest first. */
  readonly lostVersions: readonly LostVersion[];
}

export interface PlanOptions {
  /**
   * Grace for deleted files: a snapshot holding the last stored copy of a file that disappeared
   * from the source less than this long ago is always kept.
   */
  readonly graceMs?: number;
}

type Files = ReadonlyMap<string, { key: string; size: number }>;

/**
 * What a retention policy would do, before anything is removed: every snapshot's decision (with
 * the grace rule for recently deleted files applied) and, per file, the versions that would no
 * longer be restorable. Reads folder listings only, never file data.
 */
export async function planRetention(repo: BlobReader, snapshots: readonly SnapshotRef[], policy: RetentionPolicy, now: number, opts: PlanOptions = {}): Promise<RetentionPlan> {
  let decisions = applyRetention(snapshots, policy, now);
  const memo = new Map<Id, [string, string, number][]>();
  const files = new Map<Id, Files>();
  for (const s of snapshots) files.set(s.id, await flatten(repo, s.snapshot.tree, memo));

  if (opts.graceMs !== undefined && opts.graceMs > 0) {
    const keepForGrace = new Map<Id, string>();
    const groups = new Map<string, SnapshotRef[]>();
    for (const s of snapshots) {
      const key = `${s.snapshot.hostname}\0${[...s.snapshot.paths].sort().join('\0')}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const group of groups.values()) {
      const byTime = [...group].sort((a, b) => Date.parse(a.snapshot.time) - Date.parse(b.snapshot.time));
      for (let i = 0; i + 1 < byTime.length; i++) {
        const gone = byTime[i + 1]!;
        if (now - Date.parse(gone.snapshot.time) >= opts.graceMs) continue;
        const before = files.get(byTime[i]!.id)!;
        const after = files.get(gone.id)!;
        for (const path of before.keys()) {
          if (!after.has(path)) {
            keepForGrace.set(byTime[i]!.id, path);
            break;
          }
        }
      }
    }
    decisions = decisions.map((d) => {
      const path = keepForGrace.get(d.snapshot.id);
      return path && !d.keep ? { ...d, keep: true, reasons: [`last copy of deleted file ${path}`] } : d;
    });
  }

  const kept = new Set<string>();
  for (const d of decisions) if (d.keep) for (const [path, f] of files.get(d.snapshot.id)!) kept.add(`${path}\0${f.key}`);
  const lost = new Map<string, LostVersion>();
  const removedNewestFirst = decisions.filter((d) => !d.keep).sort((a, b) => Date.parse(b.snapshot.snapshot.time) - Date.parse(a.snapshot.snapshot.time));
  for (const d of removedNewestFirst) {
    for (const [path, f] of files.get(d.snapshot.id)!) {
      const k = `${path}\0${f.key}`;
      if (kept.has(k) || lost.has(k)) continue;
      lost.set(k, { path, snapshot: d.snapshot.id, time: d.snapshot.snapshot.time, size: f.size });
    }
  }
  return { decisions, lostVersions: [...lost.values()] };
}

/** Every file below a tree as path → content key (memoized per tree; listings read once). */
async function flatten(repo: BlobReader, tree: Id, memo: Map<Id, [string, string, number][]>): Promise<Files> {
  const walk = async (id: Id): Promise<[string, string, number][]> => {
    const known = memo.get(id);
    if (known) return known;
    const out: [string, string, number][] = [];
    let nodes;
    try {
      nodes = (await repo.readTree(id)).nodes;
    } catch {
      nodes = [];
    }
    for (const n of nodes) {
      if (n.type === 'file') out.push([n.name, n.content.join(','), n.size]);
      else for (const [p, k, s] of await walk(n.subtree)) out.push([joinPath(n.name, p), k, s]);
    }
    memo.set(id, out);
    return out;
  };
  return new Map((await walk(tree)).map(([p, key, size]) => [p, { key, size }]));
}
