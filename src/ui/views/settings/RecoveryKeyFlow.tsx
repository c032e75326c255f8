import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';
import { useEngine } from '../../state/engine-context';
import { setSetting } from '../../state/settings-store';
import { PrintableRecovery } from './PrintableRecovery';
import { cryptoRandom, pickPositions, wordMatches } from './recovery-check';

type Step =
  | { readonly kind: 'intro' }
  | { readonly kind: 'show'; readonly words: readonly string[]; readonly name: string }
  | { readonly kind: 'print'; readonly words: readonly string[]; readonly name: string }
  | { readonly kind: 'confirm'; readonly words: readonly string[]; readonly name: string; readonly positions: readonly number[] }
  | { readonly kind: 'saved' };

/**
 * Making a recovery key: 17 words shown once (and a printable sheet), then three of them typed
 * back before the key counts as saved (recorded in the settings store as 'recovery-confirmed',
 * the key's id only). Leaving halfway keeps the key file; the key list shows it unconfirmed.
 */
export function RecoveryKeyFlow(props: { onChanged: () => void }): JSX.Element {
  const engine = useEngine();
  const [step, setStep] = createSignal<Step>({ kind: 'intro' });
  const [error, setError] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);
  const [typed, setTyped] = createSignal<string[]>(['', '', '']);

  const create = async (): Promise<void> => {
    const repo = engine.repo();
    if (!repo) return;
    setWorking(true);
    setError(null);
    try {
      const key = await engine.client.addRecoveryKey(repo.session);
      setStep({ kind: 'show', words: key.words, name: key.name });
      props.onChanged();
    } catch (e) {
      setError(`No recovery key was made: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setWorking(false);
    }
  };

  const check = (e: SubmitEvent, s: Extract<Step, { kind: 'confirm' }>): void => {
    e.preventDefault();
    const wrong = s.positions.filter((p, i) => !wordMatches(typed()[i] ?? '', s.words[p] ?? ''));
    const n = wrong.map((p) => String(p + 1));
    const list = n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}` : n[0];
    if (wrong.length) return void setError(`${wrong.length === 1 ? 'Word' : 'Words'} ${list} ${wrong.length === 1 ? 'does' : 'do'} not match. Check what you wrote down.`);
    setError(null);
    void setSetting('recovery-confirmed', { repositoryId: engine.repo()?.id, key: s.name, at: Date.now() }).catch(() => undefined);
    setStep({ kind: 'saved' });
    props.onChanged();
  };

  const repoName = () => engine.repo()?.label ?? (engine.repo()?.kind === 'browser' ? 'This browser' : (engine.repo()?.name ?? ''));

  return (
    <div class="recovery" data-testid="recovery-flow">
      <h3 id="recovery-title">Recovery key</h3>
      <Switch>
        <Match when={step().kind === 'intro'}>
          <p class="muted">A recovery key is 17 words that open your backups if you forget the passphrase. Cairn shows them once; write them on paper or print them.</p>
          <button type="button" class="button" disabled={working()} onClick={() => void create()}>Create a recovery key</button>
        </Match>
        <Match when={step().kind === 'show' && (step() as Extract<Step, { kind: 'show' }>)}>
          {(s) => (
            <>
              <Notice tone="warning" title="Write these words down now">
                <p>They are shown only this once and are not stored anywhere. Anyone who has them can open your backups.</p>
              </Notice>
              <ol class="recovery-words" data-testid="recovery-words" aria-label="Recovery words">
                <For each={s().words}>{(w) => <li>{w}</li>}</For>
              </ol>
              <div class="actions">
                <button type="button" class="button" onClick={() => setStep({ kind: 'print', words: s().words, name: s().name })}>Printable page…</button>
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => {
                    setTyped(['', '', '']);
                    setStep({ kind: 'confirm', words: s().words, name: s().name, positions: pickPositions(s().words.length, cryptoRandom) });
                  }}
                >
                  I have written them down
                </button>
              </div>
            </>
          )}
        </Match>
        <Match when={step().kind === 'print' && (step() as Extract<Step, { kind: 'print' }>)}>
          {(s) => <PrintableRecovery words={s().words} repository={repoName()} id={engine.repo()?.id ?? ''} onClose={() => setStep({ kind: 'show', words: s().words, name: s().name })} />}
        </Match>
        <Match when={step().kind === 'confirm' && (step() as Extract<Step, { kind: 'confirm' }>)}>
          {(s) => (
            <form class="form" onSubmit={(e) => check(e, s())} novalidate data-testid="recovery-confirm">
              <p>To be sure they are written down correctly, type these three words from your list.</p>
              <For each={s().positions}>
                {(p, i) => (
                  <div class="field">
                    <label for={`recovery-word-${p + 1}`}>Word {p + 1}</label>
                    <input
                      id={`recovery-word-${p + 1}`}
                      type="text"
                      autocomplete="off"
                      autocapitalize="off"
                      spellcheck={false}
                      value={typed()[i()] ?? ''}
                      onInput={(e) => setTyped((t) => t.map((v, j) => (j === i() ? e.currentTarget.value : v)))}
                    />
                  </div>
                )}
              </For>
              <div class="actions">
                <button type="submit" class="button button--primary">Check the words</button>
                <button type="button" class="button button--quiet" onClick={() => setStep({ kind: 'show', words: s().words, name: s().name })}>Show the words again</button>
              </div>
            </form>
          )}
        </Match>
        <Match when={step().kind === 'saved'}>
          <Notice tone="success" testId="recovery-saved">Your recovery key is saved. Keep the paper safe: it opens your backups in any browser, even a new one.</Notice>
        </Match>
      </Switch>
      <Show when={error()}>
        <Notice tone="error" testId="recovery-error">{error()}</Notice>
      </Show>
    </div>
  );
}
