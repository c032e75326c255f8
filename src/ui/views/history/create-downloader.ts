import { createSignal, type Accessor } from 'solid-js';
import type { Job } from '../../../worker/client';
import type { DownloadProgressEvent, DownloadResult } from '../../../worker/protocol';
import { useEngine } from '../../state/engine-context';
import { errorText, wasCancelled } from './error-text';
import { saveBlob } from './save-blob';

/** What the download area shows. */
export type DownloadState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly name: string; readonly progress: DownloadProgressEvent | null }
  | { readonly kind: 'saved'; readonly name: string; readonly result: DownloadResult }
  | { readonly kind: 'cancelled'; readonly name: string }
  | { readonly kind: 'failed'; readonly name: string; readonly message: string };

export interface Downloader {
  readonly state: Accessor<DownloadState>;
  /** Downloads one file, or a .zip of `paths`, and saves it as `name`. One at a time. */
  start(snapshotId: string, paths: readonly string[], format: 'file' | 'zip', name: string): Promise<void>;
  cancel(): void;
}

/** Downloads from the open repository, with progress and cancel (needs the engine context). */
export function createDownloader(): Downloader {
  const engine = useEngine();
  const [state, setState] = createSignal<DownloadState>({ kind: 'idle' });
  let job: Job<DownloadResult> | null = null;
  return {
    state,
    async start(snapshotId, paths, format, name) {
      const repo = engine.repo();
      if (!repo || job) return;
      setState({ kind: 'running', name, progress: null });
      engine.setBusy(true);
      job = engine.client.download(repo.session, snapshotId, paths, format, (progress) => setState({ kind: 'running', name, progress }));
      try {
        const result = await job.result;
        saveBlob(result.blob, name);
        setState({ kind: 'saved', name, result });
      } catch (e) {
        setState(wasCancelled(e) ? { kind: 'cancelled', name } : { kind: 'failed', name, message: errorText(e) });
      } finally {
        job = null;
        engine.setBusy(false);
      }
    },
    cancel() {
      void job?.cancel().catch(() => undefined);
    },
  };
}
