import { createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import type { DroppedItem, SnapshotInfo } from '../../worker/protocol';
import { formatBytes } from '../lib/format';
import { useEngine } from '../state/engine-context';
import { createDownloader } from './history/create-downloader';
import { createLocator } from './history/create-locator';
import { DownloadStatus } from './history/DownloadStatus';
import { DropResults } from './history/DropResults';
import { createDropTarget, DropZone } from './history/DropZone';
import { PointInTimeBrowser } from './history/PointInTimeBrowser';
import { SnapshotDiffPanel } from './history/SnapshotDiffPanel';
import { TimeSlider } from './history/TimeSlider';
import { baseName } from './history/save-blob';
import './history/history.css';
import { RestoreFlow } from './restore/RestoreFlow';

/**
 * The History screen: every point in time, newest first; any of them as a folder tree with
 * search, file versions, restore and download; and dropping a file or folder onto the screen to
 * find its earlier versions (also when it was renamed or moved) and restore one beside it.
 */
export function HistoryView(): JSX.Element {
  const engine = useEngine();
  const locator = createLocator();
  const dropDownloads = createDownloader();
  const [beside, setBeside] = createSignal<{ snapshot: SnapshotInfo; path: string } | null>(null);
  const find = (item: DroppedItem) => {
    setBeside(null);
    void locator.find(item);
  };
  const drop = createDropTarget(find);

  return (
    <section class="hr" aria-labelledby="history-title" {...drop.handlers}>
      <h2 id="history-title">History</h2>
      <Show when={engine.repo()} fallback={<p>Open your backup first to see its history.</p>}>
        <Show when={engine.snapshots().length > 0} fallback={<p data-testid="history-empty">No backups yet. After your first backup, every point in time you can go back to is listed here.</p>}>
          <DropZone active={drop.active()} onItem={find} />
          <div class="hr-drop-result" aria-live="polite">
            <Switch>
              <Match when={locator.state().kind === 'looking' && locator.state()}>
                {(s) => (
                  <div class="card hr-panel" data-testid="drop-looking">
                    <p>
                      Looking for “{(s() as { name: string }).name}” in your backups…{' '}
                      {progressText((s() as { progress: Parameters<typeof progressText>[0] }).progress)}
                    </p>
                    <button type="button" class="button" onClick={() => locator.cancel()}>
                      Stop looking
                    </button>
                  </div>
                )}
              </Match>
              <Match when={locator.state().kind === 'failed' && locator.state()}>
                {(s) => <p role="alert">Could not look for “{(s() as { name: string }).name}”: {(s() as { message: string }).message}</p>}
              </Match>
              <Match when={locator.state().kind === 'found' && locator.state()}>
                {(s) => {
                  const result = (s() as Extract<ReturnType<typeof locator.state>, { kind: 'found' }>).result;
                  return (
                    <section class="card hr-panel" aria-labelledby="drop-title">
                      <div class="hr-panel__head">
                        <h3 id="drop-title">Versions of “{result.name}”</h3>
                        <button type="button" class="button button--quiet" onClick={() => (setBeside(null), locator.clear())}>
                          Close
                        </button>
                      </div>
                      <Show
                        when={beside()}
                        fallback={
                          <DropResults
                            result={result}
                            disabled={engine.busy()}
                            onRestore={(path, v) => {
                              const snapshot = engine.snapshots().find((x) => x.id === v.firstSnapshot);
                              if (snapshot) setBeside({ snapshot, path });
                            }}
                            onDownload={(path, v) => void dropDownloads.start(v.firstSnapshot, [path], 'file', baseName(path))}
                          />
                        }
                      >
                        {(b) => (
                          <RestoreFlow snapshot={b().snapshot} paths={[b().path]} what={`“${baseName(b().path)}”`} beside onClose={() => setBeside(null)} />
                        )}
                      </Show>
                      <DownloadStatus state={dropDownloads.state()} onCancel={() => dropDownloads.cancel()} />
                    </section>
                  );
                }}
              </Match>
            </Switch>
          </div>
          <PointInTimeBrowser />
          <SnapshotDiffPanel />
          <TimeSlider />
        </Show>
      </Show>
    </section>
  );
}

function progressText(p: { phase: 'reading' | 'searching'; bytesDone: number; bytesTotal: number; snapshotsDone: number; snapshotsTotal: number } | null): string {
  if (!p) return '';
  if (p.phase === 'reading') return `Reading your file: ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}.`;
  return `Comparing with backup ${Math.min(p.snapshotsDone + 1, p.snapshotsTotal)} of ${p.snapshotsTotal}.`;
}
