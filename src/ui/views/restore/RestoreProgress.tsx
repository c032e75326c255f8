import { createUniqueId, Show, type JSX } from 'solid-js';
import type { RestoreProgressEvent } from '../../../worker/protocol';
import { formatBytes } from '../../lib/format';
import { ProgressBar } from '../history/ProgressBar';

/** A running restore or preview: a progress bar, counts, the current file and Cancel. */
export function RestoreProgress(props: { progress: RestoreProgressEvent | null; label: string; onCancel: () => void }): JSX.Element {
  const p = () => props.progress;
  const barId = `restore-progress-${createUniqueId()}`;
  const fraction = () => {
    const q = p();
    if (!q || q.phase === 'planning') return undefined;
    return q.bytesTotal > 0 ? q.bytesDone / q.bytesTotal : q.filesTotal > 0 ? q.filesDone / q.filesTotal : 1;
  };
  return (
    <div class="rs-progress" data-testid="restore-progress">
      <label for={barId} class="rs-label">
        {props.label}…
      </label>
      <ProgressBar id={barId} value={fraction()} />
      <p class="muted" aria-live="polite">
        <Show when={p() && p()!.phase === 'restoring'} fallback="Looking at the files…">
          {p()!.filesDone.toLocaleString('en')} of {p()!.filesTotal.toLocaleString('en')} files · {formatBytes(p()!.bytesDone)} of{' '}
          {formatBytes(p()!.bytesTotal)}
        </Show>
      </p>
      <p class="muted hr-path">{p()?.currentPath ?? ''}</p>
      <div class="actions">
        <button type="button" class="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </div>
  );
}
