import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import type { KeyInfoData } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { useEngine } from '../../state/engine-context';
import { getSetting } from '../../state/settings-store';
import { ChangePassphrase } from './ChangePassphrase';
import { KeyList } from './KeyList';
import { RecoveryKeyFlow } from './RecoveryKeyFlow';

/** "Passphrase and recovery": change the passphrase, make a recovery key, see and remove keys. */
export function KeysPanel(): JSX.Element {
  const engine = useEngine();
  const [version, setVersion] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);
  const [keys, { refetch }] = createResource(
    () => engine.repo()?.encrypted && `${engine.repo()?.session}:${version()}`,
    () => engine.client.listKeys(engine.repo()?.session ?? ''),
  );
  const [confirmed] = createResource(version, async () => (await getSetting<{ key?: string }>('recovery-confirmed').catch(() => undefined))?.key);
  const changed = (): void => void setVersion(version() + 1);

  const remove = async (k: KeyInfoData): Promise<void> => {
    const repo = engine.repo();
    if (!repo || !window.confirm(`Remove this key (${k.shortId})? It will no longer open the backups.`)) return;
    try {
      await engine.client.removeKey(repo.session, k.name);
      setError(null);
      void refetch();
    } catch (e) {
      setError(`The key was not removed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section class="card" aria-labelledby="keys-title" data-testid="keys-panel">
      <h2 id="keys-title">Passphrase and recovery</h2>
      <Switch>
        <Match when={engine.repo()?.unlockedWith === 'none'}>
          <p>These backups are not encrypted: they have no passphrase.</p>
        </Match>
        <Match when={engine.repo()?.unlockedWith === 'remembered'}>
          <Notice tone="info" testId="keys-need-passphrase">
            <p>You opened the backups with the key remembered on this device. To change the passphrase or make a recovery key, lock the backups and open them with your passphrase.</p>
          </Notice>
        </Match>
        <Match when={engine.repo()?.encrypted}>
          <ChangePassphrase onChanged={changed} />
          <RecoveryKeyFlow onChanged={changed} />
          <h3>Keys that open these backups</h3>
          <Show when={keys()} fallback={<p class="muted">Loading…</p>}>
            {(list) => <KeyList keys={list()} confirmedRecovery={confirmed()} busy={engine.busy()} onRemove={(k) => void remove(k)} />}
          </Show>
          <Show when={error()}>
            <Notice tone="error">{error()}</Notice>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
