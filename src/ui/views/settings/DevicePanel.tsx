import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';
import { useEngine } from '../../state/engine-context';
import { IDLE_CHOICES } from './idle-lock';

/** "This device": remember the key here (or forget it) and the idle lock time. */
export function DevicePanel(props: { idleMinutes: number; onIdleMinutes: (m: number) => void }): JSX.Element {
  const engine = useEngine();
  const [version, setVersion] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);
  const [remembered] = createResource(
    () => engine.repo()?.encrypted && `${engine.repo()?.id}:${version()}`,
    () => engine.client.isRemembered(engine.repo()?.id ?? ''),
  );
  const act = async (what: () => Promise<void>): Promise<void> => {
    try {
      await what();
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setVersion(version() + 1);
  };
  return (
    <section class="card" aria-labelledby="device-title" data-testid="device-panel">
      <h2 id="device-title">This device</h2>
      <Show when={engine.repo()?.encrypted}>
        <p data-testid="device-remembered">
          {remembered() ? 'This device remembers the key: the backups open without the passphrase in this browser.' : 'This device does not remember the key: the passphrase is asked every time.'}
        </p>
        <p class="fine">Only a key that cannot be copied out of this browser is kept, never the passphrase. Anyone who can use this browser profile can open the backups while it is remembered.</p>
        <div class="actions">
          <Show
            when={remembered()}
            fallback={<button type="button" class="button" onClick={() => void act(() => engine.client.rememberDevice(engine.repo()?.session ?? ''))}>Remember on this device</button>}
          >
            <button type="button" class="button" onClick={() => void act(() => engine.client.forgetDevice(engine.repo()?.id ?? ''))}>Forget this device</button>
          </Show>
        </div>
      </Show>
      <div class="field">
        <label for="idle-lock">Lock the backups after</label>
        <select id="idle-lock" value={String(props.idleMinutes)} onChange={(e) => props.onIdleMinutes(Number(e.currentTarget.value))}>
          <For each={IDLE_CHOICES}>{(m) => <option value={String(m)}>{m === 0 ? 'Never' : `${m} minutes without use`}</option>}</For>
        </select>
      </div>
      <p class="fine">Locked backups need the passphrase (or the remembered key) again. While they are locked, scheduled backups run only if this device remembers the key; otherwise they wait until you open the backups.</p>
      <Show when={error()}>
        <Notice tone="error">{error()}</Notice>
      </Show>
    </section>
  );
}
