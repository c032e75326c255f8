import { createSignal, For, Show, type JSX } from 'solid-js';
import type { ExcludePreview } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { droppedFolders, ensureAccess, pickFolder } from '../../lib/folder-access';
import { useBackup } from '../../state/backup-context';
import { useEngine } from '../../state/engine-context';
import { EXCLUSION_PRESETS } from '../../state/exclusion-presets';
import { useSources } from '../../state/sources-context';
import { ExclusionPreview } from './ExclusionPreview';

/** The folders to back up (add by picker or drop, remove) and what to leave out, with a preview. */
export function SourcesPanel(): JSX.Element {
  const sources = useSources();
  const engine = useEngine();
  const backup = useBackup();
  const [message, setMessage] = createSignal<string | null>(null);
  const [dragging, setDragging] = createSignal(false);
  const [previews, setPreviews] = createSignal<{ folder: string; preview: ExcludePreview }[] | null>(null);
  const [previewError, setPreviewError] = createSignal<string | null>(null);
  const [previewing, setPreviewing] = createSignal(false);
  const locked = () => engine.busy() || backup.status() === 'preparing';

  const add = async (handles: FileSystemDirectoryHandle[]): Promise<void> => {
    const added = await sources.add(handles);
    setPreviews(null);
    setMessage(added === 0 ? 'That folder is already in the list.' : null);
  };

  const preview = async (): Promise<void> => {
    setPreviewing(true);
    setPreviewError(null);
    try {
      const results = [];
      for (const f of sources.state.folders) {
        if (!(await ensureAccess(f.handle, 'read'))) throw new Error(`Cairn needs permission to read “${f.name}”. Try again and allow it.`);
        results.push({ folder: f.name, preview: await engine.client.previewExcludes({ name: f.name, handle: f.handle }, sources.patterns()) });
      }
      setPreviews(results);
    } catch (e) {
      setPreviews(null);
      setPreviewError(e instanceof Error ? e.message : String(e));
    } finally {
      setPreviewing(false);
    }
  };

  return (
    <section
      class="card"
      classList={{ 'card--dragging': dragging() }}
      aria-labelledby="sources-title"
      data-testid="sources-panel"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (!locked()) void droppedFolders(e).then(add);
      }}
    >
      <h2 id="sources-title">Folders to back up</h2>
      <Show when={sources.state.folders.length > 0} fallback={<p class="muted">No folders yet. Add the folders that hold your documents, photos or projects.</p>}>
        <ul class="folders" aria-label="Folders to back up">
          <For each={sources.state.folders}>
            {(f) => (
              <li class="folders__item">
                <span class="folders__name">{f.name}</span>
                <button type="button" class="button button--quiet" disabled={locked()} onClick={() => { sources.remove(f.id); setPreviews(null); }}>
                  Remove<span class="visually-hidden"> {f.name}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="actions">
        <button
          type="button"
          class="button"
          disabled={locked()}
          onClick={() =>
            void pickFolder('read', 'cairn-source').then(
              (h) => h && add([h]),
              (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)),
            )
          }
        >
          Add a folder…
        </button>
        <span class="muted drop-hint">or drop folders here</span>
      </div>
      <Show when={message()}>
        <p class="muted" role="status">{message()}</p>
      </Show>

      <details class="exclusions">
        <summary>What to leave out</summary>
        <fieldset>
          <legend>Leave out everywhere in these folders:</legend>
          <For each={EXCLUSION_PRESETS}>
            {(p) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={sources.state.presets[p.id] !== false}
                  disabled={locked()}
                  onChange={(e) => {
                    sources.setPreset(p.id, e.currentTarget.checked);
                    setPreviews(null);
                  }}
                />
                <span>
                  <strong>{p.label}</strong>
                  <span class="muted"> — {p.hint}</span>
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <div class="field">
          <label for="custom-excludes">Your own rules, one per line</label>
          <textarea
            id="custom-excludes"
            rows="3"
            aria-describedby="custom-excludes-help"
            value={sources.state.custom}
            disabled={locked()}
            onChange={(e) => {
              sources.setCustom(e.currentTarget.value);
              setPreviews(null);
            }}
            spellcheck={false}
          />
          <p id="custom-excludes-help" class="fine">
            A name leaves out every file or folder called that, anywhere: <code>Downloads</code>. <code>*</code> stands for any characters: <code>*.iso</code>. End with <code>/</code> for folders only: <code>build/</code>. A path starting below the chosen folder leaves out just that place: <code>Work/old</code>.
          </p>
        </div>
        <div class="actions">
          <button type="button" class="button" disabled={previewing() || sources.state.folders.length === 0} onClick={() => void preview()}>
            {previewing() ? 'Looking through your folders…' : 'Show what will be left out'}
          </button>
        </div>
        <Show when={previewError()}>
          <Notice tone="error">{previewError()}</Notice>
        </Show>
        <Show when={previews()}>
          {(list) => (
            <div aria-live="polite">
              <For each={list()}>{(item) => <ExclusionPreview folder={item.folder} preview={item.preview} />}</For>
            </div>
          )}
        </Show>
      </details>
    </section>
  );
}
