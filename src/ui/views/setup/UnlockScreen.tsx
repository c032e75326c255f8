import { createSignal, Show, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';
import { PassphraseInput } from '../../components/PassphraseInput';

/**
 * Opening existing backups with their passphrase. `onUnlock` rejects with a message to show (for
 * a wrong passphrase: one that says so).
 */
export function UnlockScreen(props: { place: string; onUnlock: (passphrase: string) => Promise<void>; onChooseOther: () => void }): JSX.Element {
  const [passphrase, setPassphrase] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);

  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (passphrase() === '') return void setError('Type your passphrase first.');
    setWorking(true);
    setError(null);
    try {
      await props.onUnlock(passphrase());
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
        Your backups in <strong>{props.place}</strong> are locked. Type your passphrase to open them.
      </p>
      <form class="form" onSubmit={(e) => void submit(e)} novalidate>
        <PassphraseInput id="unlock-passphrase" label="Passphrase" value={passphrase()} onInput={setPassphrase} autocomplete="current-password" describedBy={error() ? 'unlock-error' : undefined} invalid={error() !== null} autofocus />
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
          <button type="button" class="button button--quiet" disabled={working()} onClick={() => props.onChooseOther()}>
            Use a different place…
          </button>
        </div>
      </form>
    </section>
  );
}
