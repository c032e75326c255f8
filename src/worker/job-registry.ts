import { CairnError } from '../core/errors';
import type { JobInfo, JobKind } from './protocol';

export interface JobSpec {
  /** Chosen by the caller (the client makes a random one), unique among running jobs. */
  readonly id: string;
  readonly kind: JobKind;
  readonly repositoryId: string;
  /** The session that started it: locking that session cancels it. */
  readonly session: string;
}

interface RunningJob {
  readonly info: JobInfo;
  readonly controller: AbortController;
  readonly settled: Promise<unknown>;
}

/**
 * The long operations running in this worker (backup, restore, check), each under its own id
 * with an AbortController.
 *
 * Contract:
 * - One job per repository at a time (by repository id, whichever session started it). Starting
 *   a second one fails at once with CairnError('locked') naming the running job; nothing is
 *   queued. Browsing (snapshots, folders, versions) is not a job and runs alongside.
 * - `cancel(id)` fires the job's signal and returns at once; the job then fails with
 *   CairnError('aborted') at the engine's next checkpoint. A job that reaches its commit point
 *   first still succeeds: cancelling is a request, not a guarantee.
 * - A job is registered synchronously when `run` is called, so a `cancel` that arrives right
 *   behind the start message finds it.
 */
export class JobRegistry {
  readonly #jobs = new Map<string, RunningJob>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  run<T>(spec: JobSpec, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (typeof spec.id !== 'string' || spec.id.length === 0 || spec.id.length > 128) {
      return Promise.reject(new CairnError('invalid-input', 'a job id must be a non-empty string of at most 128 characters'));
    }
    if (this.#jobs.has(spec.id)) return Promise.reject(new CairnError('invalid-input', `job ${spec.id} is already running`));
    const busy = [...this.#jobs.values()].find((j) => j.info.repositoryId === spec.repositoryId);
    if (busy) {
      return Promise.reject(
        new CairnError('locked', `a ${busy.info.kind} is already running on this repository; wait for it or cancel it first`),
      );
    }
    const controller = new AbortController();
    const result = Promise.resolve().then(() => work(controller.signal));
    const settled = result.finally(() => this.#jobs.delete(spec.id)).catch(() => undefined);
    this.#jobs.set(spec.id, {
      info: { id: spec.id, kind: spec.kind, repositoryId: spec.repositoryId, session: spec.session, started: this.now(), cancelling: false },
      controller,
      settled,
    });
    return result;
  }

  /** Requests cancellation; false when no such job is running. */
  cancel(id: string): boolean {
    const job = this.#jobs.get(id);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  list(): JobInfo[] {
    return [...this.#jobs.values()].map((j) => ({ ...j.info, cancelling: j.controller.signal.aborted }));
  }

  /** Cancels every job a session started and resolves when they have all settled. */
  async cancelAll(session: string): Promise<void> {
    const jobs = [...this.#jobs.values()].filter((j) => j.info.session === session);
    for (const j of jobs) j.controller.abort();
    await Promise.all(jobs.map((j) => j.settled));
  }
}
