import { For, Show, type JSX } from 'solid-js';
import type { ExcludePreview } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';

/** One folder's preview: what a backup leaves out, and what it keeps. */
export function ExclusionPreview(props: { folder: string; preview: ExcludePreview }): JSX.Element {
  const p = () => props.preview;
  const leftOut = () => p().excludedFiles + p().excludedFolders;
  return (
    <div class="preview" data-testid="exclusion-preview">
      <h3>{props.folder}</h3>
      <p>
        <Show when={leftOut() > 0} fallback="Nothing is left out. ">
          Left out: {p().excludedFolders > 0 && plural(p().excludedFolders, 'folder')}
          {p().excludedFolders > 0 && p().excludedFiles > 0 && ' and '}
          {p().excludedFiles > 0 && `${plural(p().excludedFiles, 'file')} (${formatBytes(p().excludedBytes)})`}.{' '}
        </Show>
        Backed up: {plural(p().includedFiles, 'file')} ({formatBytes(p().includedBytes)}).
        <Show when={!p().complete}> The folder is very large; these numbers are only a start.</Show>
      </p>
      <Show when={p().excluded.length > 0}>
        <ul class="preview__list">
          <For each={p().excluded}>
            {(e) => (
              <li>
                <span class="path">{e.path}{e.kind === 'dir' ? '/' : ''}</span>
                <span class="muted"> — {e.kind === 'dir' ? 'folder, with everything in it' : formatBytes(e.size ?? 0)}, by “{e.pattern}”</span>
              </li>
            )}
          </For>
        </ul>
        <Show when={p().excluded.length < leftOut()}>
          <p class="muted">…and {plural(leftOut() - p().excluded.length, 'more')}.</p>
        </Show>
      </Show>
    </div>
  );
}
