import { For, Show, type JSX } from 'solid-js';
import { formatBytes } from '../../lib/format';

/** One row of a folder listing or of search results. */
export interface ListRow {
  /** Path inside the version, e.g. "home/docs/a.txt". */
  readonly path: string;
  readonly name: string;
  readonly kind: 'file' | 'dir';
  readonly size?: number;
  readonly mtime: number;
}

/**
 * A table of files and folders with a checkbox per row and one for all rows. Activating a name
 * opens a folder or shows a file's versions (`onOpen`). With `showFolder`, each row also says
 * which folder it is in (search results). Presents only: selection lives with the caller.
 */
export function FolderList(props: {
  rows: readonly ListRow[];
  caption: string;
  showFolder?: boolean;
  isSelected: (path: string) => boolean;
  onToggle: (path: string, selected: boolean) => void;
  onToggleAll: (selected: boolean) => void;
  onOpen: (row: ListRow) => void;
  openFile?: string | null;
}): JSX.Element {
  const allSelected = () => props.rows.length > 0 && props.rows.every((r) => props.isSelected(r.path));
  return (
    <table class="hr-list" data-testid="folder-list">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col" class="hr-list__check">
            <input
              type="checkbox"
              aria-label="Select all items shown"
              checked={allSelected()}
              disabled={props.rows.length === 0}
              onChange={(e) => props.onToggleAll(e.currentTarget.checked)}
            />
          </th>
          <th scope="col">Name</th>
          <th scope="col" class="hr-list__num">Size</th>
          <th scope="col" class="hr-list__date">Modified</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(row) => (
            <tr aria-selected={props.isSelected(row.path)} classList={{ 'hr-list__row--open': props.openFile === row.path }}>
              <td class="hr-list__check">
                <input
                  type="checkbox"
                  aria-label={`Select ${row.name}`}
                  checked={props.isSelected(row.path)}
                  onChange={(e) => props.onToggle(row.path, e.currentTarget.checked)}
                />
              </td>
              <td>
                <button
                  type="button"
                  class="link"
                  aria-label={row.kind === 'dir' ? `Open folder ${row.name}` : `Show versions of ${row.name}`}
                  onClick={() => props.onOpen(row)}
                >
                  <KindIcon kind={row.kind} />
                  {row.name}
                </button>
                <Show when={props.showFolder}>
                  <span class="hr-list__folder">in {folderOf(row.path)}</span>
                </Show>
              </td>
              <td class="hr-list__num">{row.kind === 'file' ? formatBytes(row.size ?? 0) : ''}</td>
              <td class="hr-list__date">{row.mtime > 0 ? new Date(row.mtime).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : ''}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? 'the top folder' : path.slice(0, i);
}

/** A small folder or page outline (decorative: the button's label names the kind). */
function KindIcon(props: { kind: 'file' | 'dir' }): JSX.Element {
  return (
    <svg class="hr-list__icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.4">
      {props.kind === 'dir' ? <path d="M1.5 3.5h5l1.5 2h6.5v8h-13z" /> : <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" />}
    </svg>
  );
}
