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
                <span class="hr-timeline__when">{formatPointInTime(s.time)}</span>
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
