import { CairnError } from '../core/errors';
import type { Backend, FileInfo, FileType } from '../core/ports/backend';

/**
 * A Backend decorator that injects faults, for tests of every "fails halfway" path. It never
 * changes how the wrapped backend behaves otherwise (faults are a wrapper, never a flag inside a
 * backend). Calls are numbered from 0 in the order they start (a listing counts once).
 *
 * - `crashAt: k` — call k and every later call fail: the job is dead from that point, as if the
 *   tab closed; nothing the failed call would have written becomes visible.
 * - `failAt: k` — only call k fails (a transient fault), with `error`.
 * - `only` — count only these methods (e.g. ['write', 'remove'] for "after each write").
 * - `error` — what failing calls throw: a kind ('io', 'storage-full', 'not-found',
 *   'disconnected', 'permission') or a factory; 'hang' makes the call never settle.
 * - `flipOnRead` — flips one bit of what read/readRange return for matching files.
 * - `listFailsAfter` — a listing of that type yields n entries, then throws 'io'.
 * - `onCall` — called before every call (e.g. to advance an injected clock).
 * `powerLoss(n, mode)` models a power cut: the last n files written are dropped, cut short or
 * left zero-length in the wrapped backend (which must support `plant`, like MemoryBackend).
 */
export type BackendMethod = 'read' | 'readRange' | 'write' | 'list' | 'remove' | 'stat';
export type FaultKind = 'io' | 'storage-full' | 'not-found' | 'disconnected' | 'permission' | 'hang';

export interface FaultPlan {
  crashAt?: number;
  failAt?: number;
  only?: readonly BackendMethod[];
  error?: FaultKind | (() => Error);
  flipOnRead?: (type: FileType, name: string) => boolean;
  listFailsAfter?: Partial<Record<FileType, number>>;
  onCall?: (method: BackendMethod, n: number) => void;
}

interface Plantable {
  plant(type: FileType, name: string, bytes: Uint8Array): void;
}

const MESSAGES: Record<Exclude<FaultKind, 'hang'>, string> = {
  io: 'injected fault: storage failed',
  'storage-full': 'injected fault: storage is full (0 bytes free of 10 MB)',
  'not-found': 'injected fault: file not found',
  disconnected: 'injected fault: the drive was disconnected',
  permission: 'injected fault: permission to the folder was revoked',
};

export class FaultyBackend implements Backend {
  /** Number of counted calls so far. */
  calls = 0;
  crashed = false;
  /** Files written through this wrapper, oldest first. */
  readonly written: { type: FileType; name: string; size: number }[] = [];

  constructor(
    private readonly inner: Backend,
    public plan: FaultPlan = {},
  ) {}

  get location(): string {
    return this.inner.location;
  }

  private async gate(method: BackendMethod): Promise<void> {
    const counted = !this.plan.only || this.plan.only.includes(method);
    const n = counted ? this.calls++ : -1;
    this.plan.onCall?.(method, n);
    if (this.crashed) return this.fail();
    if (!counted) return;
    if (this.plan.crashAt !== undefined && n >= this.plan.crashAt) {
      this.crashed = true;
      return this.fail();
    }
    if (this.plan.failAt === n) return this.fail();
  }

  private fail(): Promise<never> {
    const e = this.plan.error ?? 'io';
    if (e === 'hang') return new Promise<never>(() => undefined);
    throw typeof e === 'function' ? e() : new CairnError(e, MESSAGES[e]);
  }

  private flip(type: FileType, name: string, data: Uint8Array): Uint8Array {
    if (!this.plan.flipOnRead?.(type, name) || data.length === 0) return data;
    const copy = new Uint8Array(data);
    copy[copy.length >> 1]! ^= 0x10;
    return copy;
  }

  async read(type: FileType, name: string): Promise<Uint8Array> {
    await this.gate('read');
    return this.flip(type, name, await this.inner.read(type, name));
  }

  async readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array> {
    await this.gate('readRange');
    return this.flip(type, name, await this.inner.readRange(type, name, offset, length));
  }

  async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
    await this.gate('write');
    await this.inner.write(type, name, data);
    this.written.push({ type, name, size: data.length });
  }

  async *list(type: FileType): AsyncIterable<FileInfo> {
    await this.gate('list');
    const limit = this.plan.listFailsAfter?.[type];
    let n = 0;
    for await (const f of this.inner.list(type)) {
      if (limit !== undefined && n++ >= limit) throw new CairnError('io', `injected fault: listing ${type} failed halfway`);
      yield f;
    }
  }

  async remove(type: FileType, name: string): Promise<void> {
    await this.gate('remove');
    return this.inner.remove(type, name);
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    await this.gate('stat');
    return this.inner.stat(type, name);
  }

  /**
   * A power cut: the last `n` repository files written (locks aside: they are released anyway)
   * are dropped, cut to half, or left empty.
   */
  async powerLoss(n: number, mode: 'drop' | 'truncate' | 'zero'): Promise<{ type: FileType; name: string }[]> {
    const inner = this.inner as Backend & Partial<Plantable>;
    const victims = this.written.filter((w) => w.type !== 'locks').slice(-n);
    for (const v of victims) {
      if (mode === 'drop') await this.inner.remove(v.type, v.name);
      else {
        if (!inner.plant) throw new Error('powerLoss needs a backend with plant()');
        const data = mode === 'zero' ? new Uint8Array(0) : (await this.inner.read(v.type, v.name)).subarray(0, v.size >> 1);
        inner.plant(v.type, v.name, data);
      }
    }
    return victims;
  }
}
