import { createUniqueId, Match, Switch, type JSX } from 'solid-js';
import { formatBytes, plural } from '../../lib/format';
import type { DownloadState } from './create-downloader';
import { ProgressBar } from './ProgressBar';

/** The state of the current download: progress with Cancel, saved, cancelled or failed. */
export function DownloadStatus(props: { state: DownloadState; onCancel: () => void }): JSX.Element {
  const barId = `download-progress-${createUniqueId()}`;
  return (
    <div class="hr-download" data-testid="download-status" aria-live="polite">
      <Switch>
        <Match when={props.state.kind === 'running' && props.state}>
          {(s) => (
            <div class="hr-download__row">
              <label for={barId}>Preparing “{s().name}”…</label>
              <ProgressBar id={barId} value={s().progress && s().progress!.bytesTotal > 0 ? s().progress!.bytesDone / s().progress!.bytesTotal : undefined} />
              <button type="button" class="button" onClick={() => props.onCancel()}>
                Cancel download
              </button>
            </div>
          )}
        </Match>
        <Match when={props.state.kind === 'saved' && props.state}>
          {(s) => (
            <p role="status">
              Saved “{s().name}” ({plural(s().result.files, 'file')}, {formatBytes(s().result.blob.size)}) to your downloads.
              {s().result.skipped.length > 0 ? ` ${plural(s().result.skipped.length, 'item')} with names that cannot be saved were left out.` : ''}
            </p>
          )}
        </Match>
        <Match when={props.state.kind === 'cancelled' && props.state}>{(s) => <p role="status">Download of “{s().name}” cancelled.</p>}</Match>
        <Match when={props.state.kind === 'failed' && props.state}>
          {(s) => (
            <p role="alert">
              Could not download “{s().name}”: {s().message}
            </p>
          )}
        </Match>
      </Switch>
    </div>
  );
}
