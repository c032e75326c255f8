import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { formatBytes } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { Breadcrumbs } from './Breadcrumbs';
import { formatFullTime, formatPointInTime } from './when';

/**
 * A folder as it was at any moment: a slider over the points in time (oldest left, newest right;
 * arrow keys, Home and End move it) and the folder's listing at the chosen one. Folders in the
 * listing open; the folder stays chosen while the slider moves.
 */
export function TimeSlider(): JSX.Element {
  const engine = useEngine();
  const oldestFirst = () => [...engine.snapshots()].reverse();
  const [index, setIndex] = createSignal(0);
  const [folder, setFolder] = createSignal('');
  createEffect(on(() => oldestFirst().length, (n) => setIndex(Math.max(0, n - 1))));
  const at = () => oldestFirst()[Math.min(index(), oldestFirst().length - 1)];
  const [listing] = createResource(
    () => {
      const s = engine.repo()?.session;
      const snap = at();
      return s && snap ? { s, id: snap.id, path: folder() } : false;
    },
    async ({ s, id, path }) => {
      try {
        return await engine.client.listFolder(s, id, path);
      } catch {
        return null; // the folder did not exist at that point
      }
    },
  );
  return (
    <section class="card hr-panel hr-slider" aria-labelledby="slider-title" data-testid="time-slider">
      <h3 id="slider-title">A folder through time</h3>
      <Show when={at()}>
        {(snap) => (
          <>
            <label for="time-slider-input" class="hr-slider__label">
              Point in time: <strong data-testid="slider-when">{formatPointInTime(snap().time)}</strong>
            </label>
            <input
              id="time-slider-input"
              class="hr-slider__input"
              type="range"
              min="0"
              max={Math.max(0, oldestFirst().length - 1)}
              step="1"
              value={index()}
              aria-valuetext={formatFullTime(snap().time)}
              onInput={(e) => setIndex(Number(e.currentTarget.value))}
            />
            <div class="hr-slider__ends muted" aria-hidden="true">
              <span>{formatPointInTime(oldestFirst()[0]?.time ?? '')}</span>
              <span>{formatPointInTime(oldestFirst()[oldestFirst().length - 1]?.time ?? '')}</span>
            </div>
            <Breadcrumbs path={folder()} onOpen={setFolder} label="Folder path through time" />
            <Show when={listing.latest !== undefined}>
              <Show when={listing.latest} fallback={<p data-testid="slider-missing">This folder did not exist at that point in time.</p>}>
                {(entries) => (
                  <Show when={entries().length > 0} fallback={<p class="muted">This folder was empty.</p>}>
                    <ul class="hr-slider__list" data-testid="slider-list">
                      <For each={entries()}>
                        {(e) => (
                          <li>
                            <Show when={e.kind === 'dir'} fallback={<span data-testid="slider-file">{e.name}</span>}>
                              <button type="button" class="link" onClick={() => setFolder(folder() === '' ? e.name : `${folder()}/${e.name}`)}>
                                {e.name}/
                              </button>
                            </Show>
                            <span class="muted"> {e.kind === 'file' ? formatBytes(e.size ?? 0) : 'folder'}</span>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                )}
              </Show>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
