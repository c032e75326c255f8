import { For, Show, type JSX } from 'solid-js';
import type { AffectedFile } from '../../../worker/protocol';
import { formatPointInTime } from '../history/when';

/** Files named by snapshot time and path ("the whole folder" when its listing is lost). */
export function AffectedFiles(props: { files: readonly AffectedFile[]; label: string; testId?: string }): JSX.Element {
  return (
    <Show when={props.files.length > 0}>
      <table class="up-table" data-testid={props.testId}>
        <caption class="visually-hidden">{props.label}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">In the backup of</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.files}>
            {(f) => (
              <tr>
                <td class="up-path">{f.path === '' ? 'Everything in this backup' : f.path}</td>
                <td>{f.snapshotTime ? formatPointInTime(f.snapshotTime) : f.snapshot.slice(0, 8)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
