import { CairnError } from '../core/errors';
import type { Backend, FileInfo, FileType } from '../core/ports/backend';

/**
 * A Backend decorator that injects faults, for tests of every "fails halfway" path.
 * Calls are numbered from 0 in the order they start (list counts once, when it starts).
 *
 * - `crashAt: k`: call k and every later call fail with `error` (default 'io'): the job is
 *   dead from that point, as if the tab closed; nothing the crashed call would have written
 *   becomes visible.
 * - `only`: count only these methods (e.g. ['write', 'remove'] for "after each write").
 * - `flipOnRead`: flips one bit of what `read`/`readRange` return for matching files.
 */
export type BackendMethod = 'read' | 'readRange' | 'write' | 'list' | 'remove' | 'stat';

export interface FaultPlan {
  crashAt?: number;
  only?: readonly BackendMethod[];
  error?: () => Error;
  flipOnRead?: (type: FileType, name: string) => boolean;
}

export class FaultyBackend implements Backend {
  /** Number of counted calls so far. */
  calls = 0;
  crashed = false;

  constructor(
    private readonly inner: Backend,
    public plan: FaultPlan = {},
  ) {}

  get location(): string {
    return this.inner.location;
  }

  private gate(method: BackendMethod): void {
    if (this.plan.only && !this.plan.only.includes(method)) {
      if (this.crashed) throw this.error();
      return;
    }
    const n = this.calls++;
    if (this.plan.crashAt !== undefined && n >= this.plan.crashAt) {
      this.crashed = true;
      throw this.error();
    }
  }

  private error(): Error {
    return this.plan.error?.() ?? new CairnError('io', 'injected fault: storage failed');
  }

  private flip(type: FileType, name: string, data: Uint8Array): Uint8Array {
    if (!this.plan.flipOnRead?.(type, name) || data.length === 0) return data;
    const copy = new Uint8Array(data);
    copy[copy.length >> 1]! ^= 0x10;
    return copy;
  }

  async read(type: FileType, name: string): Promise<Uint8Array> {
    this.gate('read');
    return this.flip(type, name, await this.inner.read(type, name));
  }

  async readRange(type: FileType, name: string, offset: number, length: number): Promise<Uint8Array> {
    this.gate('readRange');
    return this.flip(type, name, await this.inner.readRange(type, name, offset, length));
  }

  async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
    this.gate('write');
    return this.inner.write(type, name, data);
  }

  async *list(type: FileType): AsyncIterable<FileInfo> {
    this.gate('list');
    yield* this.inner.list(type);
  }

  async remove(type: FileType, name: string): Promise<void> {
    this.gate('remove');
    return this.inner.remove(type, name);
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    this.gate('stat');
    return this.inner.stat(type, name);
  }
}
