import { For, Show, type JSX } from 'solid-js';
import type { FileVersionInfo } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';
import { formatFullTime, formatPointInTime } from './when';

/**
 * The distinct versions of one file across all points in time, newest first, each with when it
 * first appeared, its size and how many backups hold it; each can be restored or downloaded.
 */
export function VersionsPanel(props: {
  path: string;
  versions: readonly FileVersionInfo[] | undefined;
  error?: string | null;
  disabled?: boolean;
  onRestore: (v: FileVersionInfo) => void;
  onDownload: (v: FileVersionInfo) => void;
  onClose: () => void;
}): JSX.Element {
  const newestFirst = () => [...(props.versions ?? [])].reverse();
  const name = () => props.path.slice(props.path.lastIndexOf('/') + 1);
  return (
    <section class="card hr-panel" aria-labelledby="versions-title" data-testid="versions-panel">
      <div class="hr-panel__head">
        <h3 id="versions-title">Versions of {name()}</h3>
        <button type="button" class="button button--quiet" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <p class="muted hr-path">{props.path}</p>
      <Show when={!props.error} fallback={<p role="alert">{props.error}</p>}>
        <Show when={props.versions} fallback={<p aria-live="polite">Looking through every point in time…</p>}>
          <p>{plural(props.versions?.length ?? 0, 'different version')} kept.</p>
          <ol class="hr-versions">
            <For each={newestFirst()}>
              {(v, i) => (
                <li class="hr-versions__item" data-testid="version-item">
                  <div>
                    <span class="hr-versions__when" title={formatFullTime(v.firstTime)}>
                      {formatPointInTime(v.firstTime)}
                    </span>
                    <Show when={i() === 0}>
                      <span class="hr-tag">Newest</span>
                    </Show>
                    <span class="muted">
                      {' '}
                      {v.entry.kind === 'file' ? formatBytes(v.entry.size ?? 0) : 'Folder'} · in {plural(v.snapshots.length, 'backup')}
                    </span>
                  </div>
                  <div class="actions">
                    <button type="button" class="button" disabled={props.disabled} onClick={() => props.onRestore(v)}>
                      Restore this version…
                    </button>
                    <Show when={v.entry.kind === 'file'}>
                      <button type="button" class="button button--quiet" disabled={props.disabled} onClick={() => props.onDownload(v)}>
                        Download
                      </button>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
    </section>
  );
}
