import { CairnError } from '../core/errors';

/**
 * Web Locks between tabs (DESIGN.md §2: "Web Locks between tabs, plus lock files in the
 * repository"). Every repository job of a worker holds the Web Lock `cairn-repo-<repository id>`
 * while it runs: jobs that add or only read ('shared': backup, restore, check, …) coexist, so two
 * tabs may back up at once; jobs that delete ('exclusive': prune, forget, repair, …) run alone.
 * A job that cannot get its lock at once fails fast with CairnError('locked') saying what the
 * other tab is doing; nothing waits in a queue. The repository's own lock files (repo-lock.ts)
 * still coordinate with other browsers, machines and the CLI: this is the cheap first line inside
 * one browser profile, and it is released by the browser itself when a tab or worker dies.
 *
 * Use: `withTabLock(repoId, tabLockModeFor(kind), () => work(), kind)`. EngineApi's job runner
 * does this for every job (by its kind); a method that deletes outside that runner calls it itself.
 * Nested calls for the same repository in one worker are fine when the mode held covers the mode
 * asked for (exclusive covers both); a shared holder asking for exclusive fails with 'locked'.
 * Without `navigator.locks` (Node, old browsers) `fn` simply runs: the lock files remain.
 */
export type TabLockMode = 'shared' | 'exclusive';

/** The Web Lock name of a repository (its id is the same in every tab and on every device). */
export function tabLockName(repoId: string): string {
  return `cairn-repo-${repoId}`;
}

/** Job kinds that never delete from the repository: they may run beside each other in many tabs. */
const SHARED_KINDS: ReadonlySet<string> = new Set(['backup', 'restore', 'check', 'download', 'locate', 'scrub', 'drill', 'verify', 'diff']);

/** The lock a job kind needs: 'shared' for the kinds above, 'exclusive' for everything else. */
export function tabLockModeFor(kind: string): TabLockMode {
  return SHARED_KINDS.has(kind) ? 'shared' : 'exclusive';
}

const ACTIVITIES: Readonly<Record<string, string>> = {
  backup: 'backing up to',
  restore: 'restoring from',
  check: 'checking',
  download: 'downloading from',
  locate: 'searching',
  scrub: 'verifying',
  drill: 'running a restore drill on',
  verify: 'verifying',
  diff: 'comparing snapshots of',
  prune: 'pruning',
  forget: 'deleting snapshots of',
  'remove-snapshots': 'deleting snapshots of',
  repair: 'repairing',
  tag: 'changing tags in',
  unlock: 'removing lock files of',
  retention: 'applying the retention policy to',
};

/** "backing up to" for 'backup'; unknown kinds read "running a <kind> on". */
export function describeActivity(kind: string): string {
  return ACTIVITIES[kind] ?? `running a ${kind} on`;
}

/** What this worker holds, per repository id: modes and activities of the calls inside. */
const heldHere = new Map<string, { mode: TabLockMode; activities: string[] }>();

/**
 * Runs `fn` while holding the repository's Web Lock in `mode`, or fails at once with
 * CairnError('locked') when another tab (or this one) holds a conflicting lock. `activity` is the
 * job kind ('backup', 'prune', …), shown to other tabs that are refused.
 */
export async function withTabLock<T>(repoId: string, mode: TabLockMode, fn: () => Promise<T>, activity = 'job'): Promise<T> {
  const own = heldHere.get(repoId);
  if (own) {
    if (own.mode === 'exclusive' || mode === 'shared') return nested(own, activity, fn);
    throw new CairnError('locked', `this tab is ${describeActivity(own.activities[0] ?? 'job')} this repository; ${refusal(activity)}`);
  }
  const locks = lockManager();
  if (!locks) return fn();
  const name = tabLockName(repoId);
  return locks.request(name, { mode, ifAvailable: true }, async (lock) => {
    if (!lock) throw new CairnError('locked', `${await otherTabs(locks, repoId)}; ${refusal(activity)}`);
    const entry = { mode, activities: [activity] };
    heldHere.set(repoId, entry);
    try {
      // A second, uniquely named lock tells refused tabs what this one is doing (see otherTabs).
      return await locks.request(`${name}:${activity}:${crypto.randomUUID()}`, { ifAvailable: true }, () => fn());
    } finally {
      heldHere.delete(repoId);
    }
  });
}

async function nested<T>(own: { activities: string[] }, activity: string, fn: () => Promise<T>): Promise<T> {
  own.activities.push(activity);
  try {
    return await fn();
  } finally {
    own.activities.splice(own.activities.lastIndexOf(activity), 1);
  }
}

function refusal(activity: string): string {
  return `the ${activity === 'job' ? 'job' : activity} cannot start until it has finished (nothing was changed)`;
}

/** "another tab is backing up to this repository", from the activity locks it holds. */
async function otherTabs(locks: LockManager, repoId: string): Promise<string> {
  const prefix = `${tabLockName(repoId)}:`;
  let kinds: string[] = [];
  try {
    const { held = [] } = await locks.query();
    kinds = [...new Set(held.flatMap((l) => (l.name?.startsWith(prefix) ? [l.name.slice(prefix.length).split(':')[0] ?? ''] : [])))];
  } catch {
    // query() is best effort: the refusal stands without the detail.
  }
  if (kinds.length === 0) return 'another tab is using this repository';
  return `another tab is ${kinds.map(describeActivity).join(' and ')} this repository`;
}

function lockManager(): LockManager | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManager } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : undefined;
}
