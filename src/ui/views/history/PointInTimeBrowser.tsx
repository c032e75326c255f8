import { createEffect, createSignal, Show, type JSX } from 'solid-js';
import type { SnapshotInfo } from '../../../worker/protocol';
import { useEngine } from '../../state/engine-context';
import { RestoreFlow } from '../restore/RestoreFlow';
import { createDownloader } from './create-downloader';
import { createSelection } from './create-selection';
import { DownloadStatus } from './DownloadStatus';
import { errorText } from './error-text';
import { SnapshotBrowser } from './SnapshotBrowser';
import { Timeline } from './Timeline';

/** A restore asked for from the browser or a version list. */
interface RestoreAsk {
  readonly snapshot: SnapshotInfo;
  readonly paths: readonly string[];
  readonly what: string;
}

/**
 * The timeline beside the chosen point in time's files; choosing files leads to the restore flow
 * (in place of the files) or to a download. The newest point in time is shown first. Closing a
 * finished restore clears the choice; going back from an unfinished one keeps it.
 */
export function PointInTimeBrowser(): JSX.Element {
  const engine = useEngine();
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  const [restoring, setRestoring] = createSignal<RestoreAsk | null>(null);
  const downloader = createDownloader();
  const selection = createSelection();

  createEffect(() => {
    const list = engine.snapshots();
    if (!list.some((s) => s.id === selectedId())) setSelectedId(list[0]?.id ?? null);
  });
  const selected = () => engine.snapshots().find((s) => s.id === selectedId());
  const [pinning, setPinning] = createSignal(false);
  const [pinError, setPinError] = createSignal<string | null>(null);
  /** Pinning gives the point in time a new id: the choice follows it. */
  const pin = async (s: SnapshotInfo, pinned: boolean) => {
    const repo = engine.repo();
    if (!repo) return;
    setPinning(true);
    setPinError(null);
    try {
      const next = await engine.client.setPinned(repo.session, s.id, pinned);
      if (selectedId() === s.id) setSelectedId(next.id);
      await engine.refreshSnapshots();
    } catch (e) {
      setPinError(errorText(e));
    } finally {
      setPinning(false);
    }
  };

  return (
    <div class="hr-layout">
      <div class="hr-layout__side">
        <h3 class="hr-side-title">Points in time</h3>
        <p class="muted hr-pin-note">Pin a point in time to keep it forever, whatever the “Keep versions” rules say. Pinning rewrites that backup’s record; your files are not touched.</p>
        <Timeline
          snapshots={engine.snapshots()}
          selected={selectedId()}
          onSelect={(id) => (setRestoring(null), setSelectedId(id))}
          onPin={(s, pinned) => void pin(s, pinned)}
          pinDisabled={engine.busy() || pinning()}
        />
        <Show when={pinError()}>{(m) => <p role="alert">{m()}</p>}</Show>
      </div>
      <div class="hr-layout__main">
        <Show when={selected()}>
          {(snap) => (
            <>
              {/* Kept mounted while restoring, so Back returns to the same folder and choice. */}
              <div hidden={restoring() !== null}>
                <SnapshotBrowser snapshot={snap()} downloader={downloader} selection={selection} onRestore={(snapshot, paths, what) => setRestoring({ snapshot, paths, what })} />
              </div>
              <Show when={restoring()}>
                {(ask) => (
                  <RestoreFlow
                    snapshot={ask().snapshot}
                    paths={ask().paths}
                    what={ask().what}
                    onClose={(finished) => {
                      if (finished) selection.clear();
                      setRestoring(null);
                    }}
                  />
                )}
              </Show>
            </>
          )}
        </Show>
        <DownloadStatus state={downloader.state()} onCancel={() => downloader.cancel()} />
      </div>
    </div>
  );
}
