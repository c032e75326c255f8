import { createUniqueId, For, type JSX } from 'solid-js';
import type { ConflictMode } from '../../../worker/protocol';

const CHOICES: readonly { mode: ConflictMode; title: string; text: string }[] = [
  {
    mode: 'keep-both',
    title: 'Keep both (recommended)',
    text: 'Files already in the folder stay exactly as they are. If one differs, the restored copy is saved beside it with “(restored …)” in its name.',
  },
  {
    mode: 'skip',
    title: 'Skip files that differ',
    text: 'Files already in the folder stay exactly as they are, and differing files are not restored.',
  },
  {
    mode: 'overwrite',
    title: 'Replace files that differ, after keeping a copy of the current file',
    text: 'The current file is renamed to “(before restore …)” first, then the restored copy takes its name. Nothing is deleted.',
  },
];

/** What to do when a file of the same name is already in the folder. */
export function ModeChoice(props: { mode: ConflictMode; onChange: (mode: ConflictMode) => void }): JSX.Element {
  const group = `restore-mode-${createUniqueId()}`;
  return (
    <fieldset class="rs-modes">
      <legend class="rs-label">When a file of the same name is already there</legend>
      <For each={CHOICES}>
        {(c) => (
          <label class="rs-mode">
            <input type="radio" name={group} value={c.mode} checked={props.mode === c.mode} onChange={() => props.onChange(c.mode)} />
            <span>
              <span class="rs-mode__title">{c.title}</span>
              <span class="rs-mode__text">{c.text}</span>
            </span>
          </label>
        )}
      </For>
    </fieldset>
  );
}
