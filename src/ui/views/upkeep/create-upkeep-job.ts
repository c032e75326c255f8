import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Job } from '../../../worker/client';
import { useEngine } from '../../state/engine-context';
import { errorText, wasCancelled } from '../history/error-text';

export type UpkeepJobState<T, P> =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: P | null }
  | { readonly kind: 'done'; readonly result: T }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

export interface UpkeepJob<T, P> {
  readonly state: Accessor<UpkeepJobState<T, P>>;
  /** Starts the job (one at a time; ignored while one runs); marks the app busy meanwhile. */
  run(start: (session: string, onProgress: (p: P) => void) => Job<T>): Promise<T | null>;
  cancel(): void;
}

/** One upkeep job of a screen section with its progress, result and cancel (needs the engine). */
export function createUpkeepJob<T, P>(): UpkeepJob<T, P> {
  const engine = useEngine();
  const [state, setState] = createSignal<UpkeepJobState<T, P>>({ kind: 'idle' });
  let job: Job<T> | null = null;
  onCleanup(() => void job?.cancel().catch(() => undefined));
  return {
    state,
    async run(start) {
      const repo = engine.repo();
      if (!repo || job) return null;
      setState({ kind: 'running', progress: null });
      engine.setBusy(true);
      try {
        job = start(repo.session, (progress) => setState({ kind: 'running', progress }));
        const result = await job.result;
        setState({ kind: 'done', result });
        return result;
      } catch (e) {
        setState(wasCancelled(e) ? { kind: 'cancelled' } : { kind: 'failed', message: errorText(e) });
        return null;
      } finally {
        job = null;
        engine.setBusy(false);
      }
    },
    cancel: () => void job?.cancel().catch(() => undefined),
  };
}

/** "Step 2 of 4: removing data no kept version needs" for prune progress. */
export function pruneStepText(p: { phase: string; done: number; total: number } | null): string {
  if (!p) return 'Starting…';
  const words: Record<string, string> = {
    forget: 'Removing the chosen points in time',
    marking: 'Finding the data the kept versions need',
    repacking: 'Copying still-needed data out of mostly unused storage',
    'writing-index': 'Writing the new table of contents',
    deleting: 'Deleting data no kept version needs',
  };
  return `${words[p.phase] ?? 'Working'}: ${p.done} of ${p.total}`;
}
