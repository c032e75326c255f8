import { createResource, For, Show, type JSX } from 'solid-js';
import { formatWhen } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { driveName, loadKnownRepositories, newestCopies } from '../../state/health-drives';

/** Every repository used here (drives in rotation) and which holds the newest copy of each folder. */
export function DrivesPanel(props: { now: number }): JSX.Element {
  const engine = useEngine();
  const [known] = createResource(() => `${engine.repo()?.id}:${engine.snapshots().length}`, () => loadKnownRepositories().catch(() => []));
  const copies = () => newestCopies(known() ?? []);
  return (
    <section class="card" aria-labelledby="drives-title" data-testid="drives-panel">
      <h3 id="drives-title">Where your copies are</h3>
      <Show when={(known() ?? []).length > 0} fallback={<p class="muted">No backups opened yet.</p>}>
        <ul class="drives" aria-label="Backup places used on this device">
          <For each={known()}>
            {(r) => (
              <li data-testid="known-drive">
                <strong>{driveName(r)}</strong> — {r.kind === 'browser' ? 'in this browser' : `a folder or drive (last seen as “${r.place}”)`}
                {r.id === engine.repo()?.id ? ' · open now' : ` · last opened ${formatWhen(new Date(r.lastOpened).toISOString(), props.now)}`}
              </li>
            )}
          </For>
        </ul>
        <Show when={copies().length > 0}>
          <table class="table" data-testid="newest-copies">
            <caption class="visually-hidden">The newest copy of each folder</caption>
            <thead>
              <tr>
                <th scope="col">Folder</th>
                <th scope="col">Newest copy on</th>
                <th scope="col">Made</th>
              </tr>
            </thead>
            <tbody>
              <For each={copies()}>
                {(c) => (
                  <tr>
                    <td>{c.source}</td>
                    <td>{driveName(c.repository)}</td>
                    <td>{formatWhen(new Date(c.at).toISOString(), props.now)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <p class="fine">What other drives hold is remembered from the last time each was opened here.</p>
        </Show>
      </Show>
    </section>
  );
}
