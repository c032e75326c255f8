import { createResource, Show, type JSX } from 'solid-js';
import { formatBytes, formatWhen, plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';

/** Home status: which backups are open, where they live, when the last one ran, space used. */
export function StatusCard(): JSX.Element {
  const engine = useEngine();
  const [usage] = createResource(
    () => engine.snapshots().length,
    () => engine.client.storageUsage().catch(() => undefined),
  );
  const last = () => engine.snapshots()[0];
  const stored = () => engine.snapshots().reduce((sum, s) => sum + (s.stats?.storedBytes ?? 0), 0);
  return (
    <Show when={engine.repo()}>
      {(repo) => (
        <section class="card status" aria-labelledby="status-title" data-testid="status-card">
          <div class="status__head">
            <h2 id="status-title">Your backups</h2>
            <button type="button" class="button button--quiet" disabled={engine.busy()} onClick={() => void engine.client.lock(repo().session).finally(() => engine.setRepo(null))}>
              Lock
            </button>
          </div>
          <dl class="facts">
            <div class="facts__row">
              <dt>Kept in</dt>
              <dd data-testid="status-place">{repo().kind === 'browser' ? 'This browser (on this computer only)' : `The folder “${repo().name}”`}</dd>
            </div>
            <div class="facts__row">
              <dt>Protection</dt>
              <dd data-testid="status-encryption">{repo().encrypted ? 'Encrypted with your passphrase' : 'Not encrypted'}</dd>
            </div>
            <div class="facts__row">
              <dt>Last backup</dt>
              <dd data-testid="status-last-backup">
                <Show when={last()} fallback="None yet">
                  {(s) => (
                    <>
                      {formatWhen(s().time)} · {plural(engine.snapshots().length, 'version')} kept
                    </>
                  )}
                </Show>
              </dd>
            </div>
            <div class="facts__row">
              <dt>Space used</dt>
              <dd data-testid="status-space">
                {formatBytes(stored())} by your backups
                <Show when={repo().kind === 'browser' && usage()?.quota !== undefined}>
                  {' '}· this browser has {formatBytes(Math.max(0, (usage()?.quota ?? 0) - (usage()?.usage ?? 0)))} free for Cairn
                </Show>
              </dd>
            </div>
          </dl>
          <Show when={repo().kind === 'browser'}>
            <p class="fine">
              Kept only in this browser: clearing browsing data deletes them, and they are not a copy on another device.
              <Show when={usage() && !usage()?.persisted}> The browser has not promised to keep them.</Show>
            </p>
          </Show>
        </section>
      )}
    </Show>
  );
}
