import { CairnError, throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import type { SnapshotRef } from '../model/snapshot';
import type { TargetDir } from '../ports/target';
import type { Repository } from '../repository/repository';
import { walkFolder } from './browse';
import type { JobOptions } from './progress';
import { restore } from './restore';

/** Which snapshots earlier drills covered (kept by the caller), so every snapshot gets its turn. */
export interface DrillState {
  readonly version: 1;
  readonly repositoryId: Id;
  /** Snapshot id → ms of its last drill. */
  readonly drilled: Readonly<Record<Id, number>>;
}

export interface DrillOptions extends JobOptions<{ done: number; total: number }> {
  /** Files restored per snapshot (default 12). */
  readonly sampleSize?: number;
  readonly now?: number;
}

export interface DrillFile {
  readonly snapshot: Id;
  readonly path: string;
  readonly size: number;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface DrillReport {
  readonly ok: boolean;
  readonly time: number;
  readonly snapshots: readonly Id[];
  readonly files: readonly DrillFile[];
  readonly bytes: number;
  readonly state: DrillState;
}

/**
 * A restore drill: restores a sample of files from the newest snapshot and from the snapshot
 * drilled least recently into `scratch` (an empty folder the caller provides and removes
 * afterwards), reading every restored file back and comparing it with the snapshot. A backup
 * nobody has test-restored is not a backup: this proves it on a schedule.
 */
export async function drill(repo: Repository, scratch: TargetDir, previous: DrillState | null, opts: DrillOptions = {}): Promise<DrillReport> {
  const now = opts.now ?? repo.host.now();
  const snapshots = await repo.listSnapshots();
  if (snapshots.length === 0) throw new CairnError('not-found', 'there is no backup to test yet');
  const old = previous && previous.repositoryId === repo.config.id ? previous.drilled : {};
  const newest = snapshots[snapshots.length - 1]!;
  const others = snapshots.slice(0, -1).sort((a, b) => (old[a.id] ?? -1) - (old[b.id] ?? -1));
  const chosen: SnapshotRef[] = [newest, ...others.slice(0, 1)];
  const files: DrillFile[] = [];
  let bytes = 0;
  const drilled: Record<Id, number> = { ...old };
  for (const [i, s] of chosen.entries()) {
    throwIfAborted(opts.signal);
    opts.onProgress?.({ done: i, total: chosen.length });
    let sample: { path: string; size: number }[];
    let report;
    try {
      sample = await sampleFiles(repo, s, opts.sampleSize ?? 12, now);
      if (sample.length === 0) {
        drilled[s.id] = now;
        continue;
      }
      const into = await scratch.dir(`drill-${i + 1}`);
      report = await restore(repo, s.snapshot.tree, into, { paths: sample.map((f) => f.path), verify: true, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      if (!(e instanceof CairnError) || ['aborted', 'disconnected', 'permission', 'storage-full'].includes(e.code)) throw e;
      files.push({ snapshot: s.id, path: '', size: 0, ok: false, reason: `the backup's folder listing cannot be read: ${e.message}` });
      drilled[s.id] = now;
      continue;
    }
    for (const f of sample) {
      const d = report.decisions.find((x) => x.path === f.path);
      const ok = d?.action === 'restored';
      files.push({ snapshot: s.id, path: f.path, size: f.size, ok, ...(ok ? {} : { reason: d?.reason ?? d?.action ?? 'not restored' }) });
      if (ok) bytes += f.size;
    }
    drilled[s.id] = now;
  }
  for (const id of Object.keys(drilled)) if (!snapshots.some((s) => s.id === id)) delete drilled[id];
  return {
    ok: files.every((f) => f.ok),
    time: now,
    snapshots: chosen.map((s) => s.id),
    files,
    bytes,
    state: { version: 1, repositoryId: repo.config.id, drilled },
  };
}

/** Up to n files spread over the snapshot (largest included), chosen from the first 20 000 found. */
async function sampleFiles(repo: Repository, s: SnapshotRef, n: number, seed: number): Promise<{ path: string; size: number }[]> {
  const all: { path: string; size: number }[] = [];
  for await (const e of walkFolder(repo, s.snapshot.tree)) {
    if (e.node.type === 'file') all.push({ path: e.path, size: e.node.size });
    if (all.length >= 20_000) break;
  }
  if (all.length <= n) return all;
  const picked = new Set<number>();
  let largest = 0;
  all.forEach((f, i) => {
    if (f.size > all[largest]!.size) largest = i;
  });
  picked.add(largest);
  let x = (seed % 2147483647) || 1;
  while (picked.size < n) {
    x = (x * 48271) % 2147483647;
    picked.add(x % all.length);
  }
  return [...picked].map((i) => all[i]!);
}
