import { CairnError, isCairnError } from '../errors';
import { toHex, utf8 } from '../format/bytes';
import type { Id } from '../format/ids';
import type { Backend } from '../ports/backend';
import type { Host } from '../ports/host';
import type { Sealer } from '../format/sealer';
import { field, parseJsonObject } from './json';

/**
 * Repository lock files (locks/<random id>), for writers in other browsers, machines and the CLI.
 * Shared locks (backup) coexist; an exclusive lock (prune) excludes every other lock.
 *
 * Contract:
 * - A holder refreshes its lock at least every REFRESH_MS; a lock not refreshed for STALE_MS is
 *   stale. Stale locks are never removed silently: they still block, and the message says so
 *   (the user removes them explicitly with `unlock`).
 * - `assertFresh()` throws 'lock-stale' when our own lock went stale (the machine slept) or was
 *   removed: a writer calls it right before committing.
 * - An unreadable lock file blocks every writer until the user confirms its removal.
 */
export const REFRESH_MS = 5 * 60 * 1000;
export const STALE_MS = 30 * 60 * 1000;
const MAX_TIME = 8.64e15;

export interface LockInfo {
  readonly name: Id;
  readonly exclusive: boolean;
  readonly hostname: string;
  readonly created: number;
  readonly refreshed: number;
  readonly stale: boolean;
}

interface LockDeps {
  readonly backend: Backend;
  readonly host: Host;
  readonly sealer: Sealer;
}

export class RepoLock {
  private refreshed: number;
  private released = false;

  private constructor(
    private readonly deps: LockDeps,
    readonly name: Id,
    readonly exclusive: boolean,
    private readonly created: number,
  ) {
    this.refreshed = created;
  }

  /** Takes a lock, or throws 'locked' describing who holds the conflicting one. */
  static async acquire(deps: LockDeps, exclusive: boolean): Promise<RepoLock> {
    const conflicts = (locks: LockInfo[]) => locks.filter((l) => exclusive || l.exclusive);
    const blocking = conflicts(await listLocks(deps));
    if (blocking.length) throw lockedError(blocking[0]!);
    const now = deps.host.now();
    const lock = new RepoLock(deps, toHex(deps.host.crypto.randomBytes(32)), exclusive, now);
    await lock.write(now);
    // Two writers may have raced past the first look: check again after publishing ours.
    const after = conflicts((await listLocks(deps)).filter((l) => l.name !== lock.name));
    if (after.length) {
      await lock.release();
      throw lockedError(after[0]!);
    }
    return lock;
  }

  private async write(now: number): Promise<void> {
    const plain = utf8(
      JSON.stringify({ version: 1, exclusive: this.exclusive, hostname: this.deps.host.hostname, created: this.created, refreshed: now }),
    );
    await this.deps.backend.write('locks', this.name, await this.deps.sealer.seal('lock', this.name, plain));
    this.refreshed = now;
  }

  /** Refreshes the lock file when due; call often during long jobs. */
  async refreshIfDue(): Promise<void> {
    const now = this.deps.host.now();
    if (now - this.refreshed < REFRESH_MS) return;
    await this.assertFresh();
    await this.write(now);
  }

  /** Throws 'lock-stale' when this lock went stale or was removed by someone else. */
  async assertFresh(): Promise<void> {
    const now = this.deps.host.now();
    if (now - this.refreshed >= STALE_MS) {
      throw new CairnError('lock-stale', `the repository lock went stale (not refreshed for ${Math.round((now - this.refreshed) / 60000)} minutes, e.g. the computer slept); nothing was committed — run the job again`);
    }
    try {
      await this.deps.backend.stat('locks', this.name);
    } catch (e) {
      if (isCairnError(e, 'not-found')) throw new CairnError('lock-stale', 'the repository lock was removed by someone else; nothing was committed');
      throw e;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.deps.backend.remove('locks', this.name);
  }
}

/** Every lock in the repository; an unreadable one is reported as an exclusive, stale lock. */
export async function listLocks(deps: LockDeps): Promise<LockInfo[]> {
  const out: LockInfo[] = [];
  const now = deps.host.now();
  for await (const { name } of deps.backend.list('locks')) {
    try {
      const plain = await deps.sealer.open('lock', name, await deps.backend.read('locks', name));
      const obj = parseJsonObject(plain, `lock ${name.slice(0, 8)}`, 4096);
      const f = field(obj, `lock ${name.slice(0, 8)}`);
      // Times past year 275760 cannot be Dates: such a lock is treated as unreadable.
      const refreshed = f.int('refreshed', 0, MAX_TIME);
      out.push({ name, exclusive: obj.exclusive === true, hostname: f.str('hostname'), created: f.int('created', 0, MAX_TIME), refreshed, stale: now - refreshed >= STALE_MS });
    } catch (e) {
      if (isCairnError(e, 'not-found')) continue; // released meanwhile
      out.push({ name, exclusive: true, hostname: 'unknown (unreadable lock file)', created: 0, refreshed: 0, stale: true });
    }
  }
  return out;
}

/**
 * Removes stale locks (or, with `all`, every lock): the user's explicit decision that no job holds
 * them any more. Returns what was removed.
 */
export async function removeLocks(deps: LockDeps, all = false): Promise<LockInfo[]> {
  const removed: LockInfo[] = [];
  for (const l of await listLocks(deps)) {
    if (!all && !l.stale) continue;
    await deps.backend.remove('locks', l.name);
    removed.push(l);
  }
  return removed;
}

function lockedError(l: LockInfo): CairnError {
  const kind = l.exclusive ? 'an exclusive lock' : 'a lock';
  const since = l.created ? ` since ${new Date(l.created).toISOString()}` : '';
  const stale = l.stale ? ' It looks stale (not refreshed recently); if no job is running, remove it with "unlock".' : '';
  return new CairnError('locked', `the repository is locked: ${kind} held by ${l.hostname}${since} (lock ${l.name.slice(0, 8)}).${stale}`);
}
