import { createSignal, type Accessor } from 'solid-js';
import type { Job } from '../../../worker/client';
import type { DroppedItem, LocateProgressEvent, LocateResult } from '../../../worker/protocol';
import { useEngine } from '../../state/engine-context';
import { errorText, wasCancelled } from './error-text';

export type LocateState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'looking'; readonly name: string; readonly progress: LocateProgressEvent | null }
  | { readonly kind: 'found'; readonly result: LocateResult }
  | { readonly kind: 'failed'; readonly name: string; readonly message: string };

/** Finding a dropped (or chosen) file or folder across every point in time, with cancel. */
export function createLocator(): { state: Accessor<LocateState>; find(item: DroppedItem): Promise<void>; cancel(): void; clear(): void } {
  const engine = useEngine();
  const [state, setState] = createSignal<LocateState>({ kind: 'idle' });
  let job: Job<LocateResult> | null = null;
  return {
    state,
    async find(item) {
      const repo = engine.repo();
      if (!repo) return;
      if (job) await job.cancel().catch(() => undefined);
      setState({ kind: 'looking', name: item.name, progress: null });
      const mine = engine.client.locate(repo.session, item, (progress) => {
        if (job === mine) setState({ kind: 'looking', name: item.name, progress });
      });
      job = mine;
      try {
        const result = await mine.result;
        if (job === mine) setState({ kind: 'found', result });
      } catch (e) {
        if (job === mine) setState(wasCancelled(e) ? { kind: 'idle' } : { kind: 'failed', name: item.name, message: errorText(e) });
      } finally {
        if (job === mine) job = null;
      }
    },
    cancel() {
      void job?.cancel().catch(() => undefined);
    },
    clear() {
      setState({ kind: 'idle' });
    },
  };
}
