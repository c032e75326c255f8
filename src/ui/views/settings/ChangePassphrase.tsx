import { createSignal, Show, type JSX } from 'solid-js';
import { isEngineError } from '../../../worker/client';
import { Notice } from '../../components/Notice';
import { PassphraseInput } from '../../components/PassphraseInput';
import { StrengthHint } from '../../components/StrengthHint';
import { passphraseStrength } from '../../lib/passphrase-strength';
import { useEngine } from '../../state/engine-context';

/**
 * Changing the passphrase: the current one (proved by the worker), the new one twice. The worker
 * adds the new key, verifies it, then removes the old one, so an interruption never locks out.
 */
export function ChangePassphrase(props: { onChanged: () => void }): JSX.Element {
  const engine = useEngine();
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal(false);
  const [working, setWorking] = createSignal(false);

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setDone(false);
    if (current() === '') return void setError('Type your current passphrase first.');
    if (passphraseStrength(next()).score === 0) return void setError('The new passphrase is too short: use at least 8 characters.');
    if (next() !== confirm()) return void setError('The two new passphrases are not the same. Type them again.');
    const repo = engine.repo();
    if (!repo) return;
    setWorking(true);
    setError(null);
    try {
      await engine.client.changePassphrase(repo.session, current(), next());
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      props.onChanged();
    } catch (err) {
      setError(isEngineError(err, 'wrong-passphrase') ? 'The current passphrase is not right. Nothing was changed.' : `The passphrase was not changed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setWorking(false);
    }
  };

  return (
    <form class="form" onSubmit={(e) => void submit(e)} novalidate aria-labelledby="change-title" data-testid="change-passphrase">
      <h3 id="change-title">Change the passphrase</h3>
      <PassphraseInput id="current-passphrase" label="Current passphrase" value={current()} onInput={setCurrent} autocomplete="current-password" />
      <PassphraseInput id="changed-passphrase" label="New passphrase" value={next()} onInput={setNext} autocomplete="new-password" describedBy="changed-strength" />
      <StrengthHint id="changed-strength" passphrase={next()} />
      <PassphraseInput id="changed-confirm" label="Type the new one again" value={confirm()} onInput={setConfirm} autocomplete="new-password" />
      <Show when={error()}>
        <Notice tone="error" testId="change-error">{error()}</Notice>
      </Show>
      <Show when={done()}>
        <Notice tone="success" testId="change-done">The passphrase was changed. The old one no longer opens these backups; your recovery key (if you made one) still does.</Notice>
      </Show>
      <Show when={working()}>
        <p class="muted" role="status">Changing the passphrase… this takes a few seconds.</p>
      </Show>
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={working()}>Change passphrase</button>
      </div>
    </form>
  );
}
