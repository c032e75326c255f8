import { For, Show, type JSX } from 'solid-js';
import type { LocatedPath, LocatedVersion, LocateResult } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';
import { formatFullTime, formatPointInTime } from './when';

const REASON: Record<LocatedPath['reason'], string> = {
  identical: 'Same content as your file',
  similar: 'Much of the same content as your file',
  name: 'Same name',
};

/**
 * Where a dropped file or folder was found in the backups: each place (path) with its versions,
 * newest first, each restorable beside the current one or downloadable.
 */
export function DropResults(props: {
  result: LocateResult;
  disabled?: boolean;
  onRestore: (path: string, v: LocatedVersion) => void;
  onDownload: (path: string, v: LocatedVersion) => void;
}): JSX.Element {
  return (
    <div data-testid="drop-results">
      <Show
        when={props.result.found.length > 0}
        fallback={<p role="status">“{props.result.name}” was not found in any backup, by name or by content.</p>}
      >
        <p role="status">
          “{props.result.name}” was found in {plural(props.result.found.length, 'place')}
          {props.result.truncated ? ' (the best matches are shown)' : ''}.
        </p>
        <ul class="hr-found">
          <For each={props.result.found}>
            {(place) => (
              <li class="hr-found__place" data-testid="drop-place">
                <p class="hr-found__path">
                  <span class="hr-path">{place.path}</span>
                  <span class={`hr-tag hr-tag--${place.reason}`}>{REASON[place.reason]}</span>
                  <Show when={place.reason !== 'name' && !place.sameName}>
                    <span class="muted"> (renamed or moved)</span>
                  </Show>
                </p>
                <ol class="hr-versions">
                  <For each={[...place.versions].reverse()}>
                    {(v) => (
                      <li class="hr-versions__item">
                        <div>
                          <span class="hr-versions__when" title={formatFullTime(v.firstTime)}>
                            {formatPointInTime(v.firstTime)}
                          </span>
                          <span class="muted">
                            {' '}
                            {v.entry.kind === 'file' ? formatBytes(v.entry.size ?? 0) : 'Folder'}
                            {v.identical ? ' · identical to your file' : ''}
                          </span>
                        </div>
                        <div class="actions">
                          <button type="button" class="button" disabled={props.disabled} onClick={() => props.onRestore(place.path, v)}>
                            Restore beside it…
                          </button>
                          <Show when={v.entry.kind === 'file'}>
                            <button type="button" class="button button--quiet" disabled={props.disabled} onClick={() => props.onDownload(place.path, v)}>
                              Download
                            </button>
                          </Show>
                        </div>
                      </li>
                    )}
                  </For>
                </ol>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
