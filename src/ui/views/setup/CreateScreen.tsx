import { createSignal, Show, type JSX } from 'solid-js';
import type { CreateOptions } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { PassphraseInput } from '../../components/PassphraseInput';
import { StrengthHint } from '../../components/StrengthHint';
import { passphraseStrength } from '../../lib/passphrase-strength';

/**
 * Setting up new backups: a passphrase (the default) or, behind a warning, no encryption.
 * `onCreate` resolves when done and rejects with a message to show.
 */
export function CreateScreen(props: { place: string; defaultName: string; onCreate: (options: CreateOptions) => Promise<void>; onBack: () => void }): JSX.Element {
  const [name, setName] = createSignal(props.defaultName);
  const [passphrase, setPassphrase] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);
  const [noEncryption, setNoEncryption] = createSignal(false);
  const [understood, setUnderstood] = createSignal(false);

  const run = async (options: CreateOptions): Promise<void> => {
    setWorking(true);
    setError(null);
    try {
      await props.onCreate(options);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setWorking(false);
    }
  };

  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    if (noEncryption()) {
      if (!understood()) return void setError('Tick the box to confirm you understand, or go back to using a passphrase.');
      return void run({ unencrypted: true, name: name().trim() || props.defaultName });
    }
    if (passphraseStrength(passphrase()).score === 0) return void setError('The passphrase is too short: use at least 8 characters.');
    if (passphrase() !== confirm()) return void setError('The two passphrases are not the same. Type them again.');
    void run({ passphrase: passphrase(), name: name().trim() || props.defaultName });
  };

  return (
    <section class="screen" aria-labelledby="create-title" data-testid="create-screen">
      <h2 id="create-title">Protect your backups with a passphrase</h2>
      <p class="lead">
        Your backups will be kept in <strong>{props.place}</strong>. They are encrypted: without the passphrase nobody can read them, not even someone who takes the drive.
      </p>
      <form class="form" onSubmit={submit} novalidate>
        <div class="field">
          <label for="repository-name">A name for these backups</label>
          <input id="repository-name" type="text" value={name()} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} aria-describedby="repository-name-hint" />
          <p class="fine" id="repository-name-hint">Cairn shows it to tell your drives apart, like “Blue USB drive”. It is stored unencrypted with the backups.</p>
        </div>
        <Show
          when={!noEncryption()}
          fallback={
            <Notice tone="warning" title="Backups without encryption">
              <p>Anyone who can open {props.place} can read every backed-up file. Only choose this if the backups never hold anything private.</p>
              <label class="check">
                <input type="checkbox" checked={understood()} onChange={(e) => setUnderstood(e.currentTarget.checked)} />
                I understand that anyone with access can read these backups.
              </label>
            </Notice>
          }
        >
          <PassphraseInput id="new-passphrase" label="Passphrase" value={passphrase()} onInput={setPassphrase} autocomplete="new-password" describedBy="passphrase-strength" autofocus />
          <StrengthHint id="passphrase-strength" passphrase={passphrase()} />
          <PassphraseInput id="confirm-passphrase" label="Type it again" value={confirm()} onInput={setConfirm} autocomplete="new-password" />
          <Notice tone="info">
            <p>Write it down and keep it somewhere safe. Cairn never stores your passphrase, so it cannot remind you: <strong>without it, the backups cannot be opened.</strong></p>
          </Notice>
        </Show>
        <Show when={error()}>
          <Notice tone="error" testId="create-error">{error()}</Notice>
        </Show>
        <Show when={working()}>
          <p class="muted" role="status">Setting up your backups… this can take a few seconds.</p>
        </Show>
        <div class="actions">
          <button type="submit" class="button button--primary" disabled={working()}>
            {noEncryption() ? 'Continue without encryption' : 'Create encrypted backups'}
          </button>
          <button type="button" class="button button--quiet" disabled={working()} onClick={() => props.onBack()}>
            Choose another place
          </button>
        </div>
        <p class="fine">
          <button
            type="button"
            class="link"
            disabled={working()}
            onClick={() => {
              setNoEncryption(!noEncryption());
              setError(null);
            }}
          >
            {noEncryption() ? 'Use a passphrase after all (recommended)' : 'I don’t want encryption…'}
          </button>
        </p>
      </form>
    </section>
  );
}
