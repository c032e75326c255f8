import { throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import { RepoLock } from '../repository/repo-lock';
import type { Repository } from '../repository/repository';
import type { JobOptions } from './progress';
import { applyRetention, type RetentionDecision, type RetentionPolicy } from './retention';
import { planRetention } from './retention-plan';

export interface ForgetOptions extends JobOptions<{ done: number; total: number }> {
  readonly dryRun?: boolean;
  /** Time the policy is evaluated at (ms); default: the host's now. */
  readonly now?: number;
  /** Keep the last copy of files deleted from the source less than this long ago. */
  readonly graceMs?: number;
}

export interface ForgetReport {
  readonly decisions: readonly RetentionDecision[];
  readonly removed: readonly Id[];
  readonly dryRun: boolean;
}

/**
 * Removes the snapshot files a retention policy does not keep (their data stays until prune).
 * Under an exclusive lock; refuses an empty policy; stops, having removed nothing, if any snapshot
 * cannot be read (it might be one the policy should keep).
 */
export async function forget(repo: Repository, policy: RetentionPolicy, opts: ForgetOptions = {}): Promise<ForgetReport> {
  const decide = async () => {
    const now = opts.now ?? repo.host.now();
    const snapshots = await repo.listSnapshots();
    const decisions = opts.graceMs ? (await planRetention(repo, snapshots, policy, now, { graceMs: opts.graceMs })).decisions : applyRetention(snapshots, policy, now);
    return { decisions, doomed: decisions.filter((d) => !d.keep).map((d) => d.snapshot.id) };
  };
  if (opts.dryRun) {
    const { decisions, doomed } = await decide();
    return { decisions, removed: doomed, dryRun: true };
  }
  const lock = await RepoLock.acquire(repo, true);
  try {
    const { decisions, doomed } = await decide();
    await lock.assertFresh();
    let done = 0;
    for (const id of doomed) {
      throwIfAborted(opts.signal);
      await repo.backend.remove('snapshots', id);
      opts.onProgress?.({ done: ++done, total: doomed.length });
    }
    return { decisions, removed: doomed, dryRun: false };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Removes the given snapshots (explicit choice by the user), under an exclusive lock. */
export async function removeSnapshots(repo: Repository, ids: readonly Id[]): Promise<void> {
  const lock = await RepoLock.acquire(repo, true);
  try {
    await lock.assertFresh();
    for (const id of ids) await repo.backend.remove('snapshots', id);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/**
 * Replaces a snapshot's tags (e.g. adds "pinned", which retention never removes). Snapshots are
 * immutable, so this writes a new snapshot file with the same tree and time, then removes the
 * old one, under an exclusive lock; the snapshot's id changes. Returns the new id.
 */
export async function setSnapshotTags(repo: Repository, id: Id, tags: readonly string[]): Promise<Id> {
  const lock = await RepoLock.acquire(repo, true);
  try {
    const ref = await repo.resolveSnapshot(id);
    const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();
    const next = await repo.writeSnapshot({ ...ref.snapshot, tags: clean });
    await lock.assertFresh();
    if (next !== ref.id) await repo.backend.remove('snapshots', ref.id);
    return next;
  } finally {
    await lock.release().catch(() => undefined);
  }
}
