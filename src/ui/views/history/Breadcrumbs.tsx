import { For, type JSX } from 'solid-js';

/** Where the browser is inside a version: "All folders › home › docs"; every level can be opened. */
export function Breadcrumbs(props: { path: string; onOpen: (path: string) => void; label?: string }): JSX.Element {
  const levels = () => {
    const parts = props.path.split('/').filter(Boolean);
    return parts.map((name, i) => ({ name, path: parts.slice(0, i + 1).join('/') }));
  };
  return (
    <nav aria-label={props.label ?? 'Folder path'} class="hr-crumbs">
      <ol>
        <li>
          <button type="button" class="link" aria-current={props.path === '' ? 'location' : undefined} onClick={() => props.onOpen('')}>
            All folders
          </button>
        </li>
        <For each={levels()}>
          {(level) => (
            <li>
              <span aria-hidden="true" class="hr-crumbs__sep">›</span>
              <button type="button" class="link" aria-current={props.path === level.path ? 'location' : undefined} onClick={() => props.onOpen(level.path)}>
                {level.name}
              </button>
            </li>
          )}
        </For>
      </ol>
    </nav>
  );
}
