import { For, Show, type JSX } from 'solid-js';
import type { SnapshotInfo } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';
import { formatFullTime, formatPointInTime } from './when';

/**
 * The points in time, newest first as given: when, what changed (new and changed files, bytes
 * added) and the total size. A list of buttons; the chosen one is marked with aria-current.
 */
export function Timeline(props: {
  snapshots: readonly SnapshotInfo[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** Pins or unpins a point in time (a pin button per item when given). */
  onPin?: (s: SnapshotInfo, pinned: boolean) => void;
  /** Disables the pin buttons (a job runs). */
  pinDisabled?: boolean;
}): JSX.Element {
  return (
    <nav class="hr-timeline" aria-label="Points in time">
      <ol class="hr-timeline__list">
        <For each={props.snapshots}>
          {(s) => (
            <li>
              <button
                type="button"
                class="hr-timeline__item"
                aria-current={props.selected === s.id ? 'true' : undefined}
                title={formatFullTime(s.time)}
                data-testid="timeline-item"
                onClick={() => props.onSelect(s.id)}
              >
                <span class="hr-timeline__when">
                  {formatPointInTime(s.time)}
                  <Show when={s.tags.includes('pinned')}>
                    {' '}
                    <span class="hr-tag">Pinned</span>
                  </Show>
                </span>
                <Show when={s.stats} fallback={<span class="muted">No summary recorded</span>}>
                  {(st) => (
                    <>
                      <span class="hr-timeline__change">{changeText(st())}</span>
                      <span class="muted">
                        {plural(st().files, 'file')}, {formatBytes(st().bytes)} in total
                      </span>
                    </>
                  )}
                </Show>
              </button>
              <Show when={props.onPin}>
                {(pin) => (
                  <button
                    type="button"
                    class="link hr-timeline__pin"
                    aria-label={`${s.tags.includes('pinned') ? 'Unpin' : 'Pin'} the backup of ${formatFullTime(s.time)}`}
                    disabled={props.pinDisabled}
                    data-testid="pin-button"
                    onClick={() => pin()(s, !s.tags.includes('pinned'))}
                  >
                    {s.tags.includes('pinned') ? 'Unpin' : 'Pin'}
                  </button>
                )}
              </Show>
            </li>
          )}
        </For>
      </ol>
    </nav>
  );
}

function changeText(st: NonNullable<SnapshotInfo['stats']>): string {
  const parts: string[] = [];
  if (st.newFiles > 0) parts.push(`${st.newFiles.toLocaleString('en')} new`);
  if (st.changedFiles > 0) parts.push(`${st.changedFiles.toLocaleString('en')} changed`);
  if (parts.length === 0) return 'No files changed';
  return `${parts.join(', ')} · ${formatBytes(st.addedBytes)} added`;
}
