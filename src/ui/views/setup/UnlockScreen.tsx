import { createSignal, Show, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';
import { PassphraseInput } from '../../components/PassphraseInput';

/**
 * Opening existing backups with their passphrase or recovery key (the worker normalizes typed
 * recovery words). `onUnlock` rejects with a message to show (for a wrong passphrase: one that
 * says so); `null` asks to open with the key remembered on this device (offered when
 * `remembered`). `drive` says which repository this is ("Recognised: Blue drive · 1a2b3c4d").
 */
export function UnlockScreen(props: {
  place: string;
  drive?: string | undefined;
  remembered?: boolean;
  onUnlock: (passphrase: string | null, remember: boolean) => Promise<void>;
  onChooseOther: () => void;
}): JSX.Element {
  const [passphrase, setPassphrase] = createSignal('');
  const [remember, setRemember] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);

  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (passphrase() === '') return void setError('Type your passphrase or recovery key first.');
    await run(passphrase());
  };

  const run = async (value: string | null): Promise<void> => {
    setWorking(true);
    setError(null);
    try {
      await props.onUnlock(value, remember());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setWorking(false);
      // After the error renders: put the user back in the field, text selected, to retype.
      setTimeout(() => {
        const field = document.getElementById('unlock-passphrase') as HTMLInputElement | null;
        field?.focus();
        field?.select();
      });
    }
  };

  return (
    <section class="screen" aria-labelledby="unlock-title" data-testid="unlock-screen">
      <h2 id="unlock-title">Welcome back</h2>
      <p class="lead">
        Your backups in <strong>{props.place}</strong> are locked. Type your passphrase or recovery key to open them.
      </p>
      <Show when={props.drive}>
        <p class="muted" data-testid="unlock-drive">{props.drive}</p>
      </Show>
      <form class="form" onSubmit={(e) => void submit(e)} novalidate>
        <PassphraseInput id="unlock-passphrase" label="Passphrase" value={passphrase()} onInput={setPassphrase} autocomplete="current-password" describedBy={error() ? 'unlock-hint unlock-error' : 'unlock-hint'} invalid={error() !== null} autofocus />
        <p class="fine" id="unlock-hint">Lost it? Type your recovery key here instead: its 17 words (or their first four letters), separated by spaces.</p>
        <label class="check">
          <input type="checkbox" checked={remember()} onChange={(e) => setRemember(e.currentTarget.checked)} />
          Remember on this device (keeps a key that cannot be copied out of this browser, never the passphrase)
        </label>
        <Show when={error()}>
          <div id="unlock-error">
            <Notice tone="error" testId="unlock-error">{error()}</Notice>
          </div>
        </Show>
        <Show when={working()}>
          <p class="muted" role="status">Opening your backups…</p>
        </Show>
        <div class="actions">
          <button type="submit" class="button button--primary" disabled={working()}>
            Open backups
          </button>
          <Show when={props.remembered}>
            <button type="button" class="button" disabled={working()} onClick={() => void run(null)}>
              Open with the key remembered here
            </button>
          </Show>
          <button type="button" class="button button--quiet" disabled={working()} onClick={() => props.onChooseOther()}>
            Use a different place…
          </button>
        </div>
      </form>
    </section>
  );
}
