import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { SnapshotDiffInfo } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { errorText } from './error-text';
import { formatPointInTime } from './when';

const MARK = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

/**
 * What changed between two points in time, for everything or one folder: files and folders
 * added, removed and changed (a folder added or removed counts once), with sizes.
 */
export function SnapshotDiffPanel(): JSX.Element {
  const engine = useEngine();
  const list = () => engine.snapshots(); // newest first
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [folder, setFolder] = createSignal('');
  const [result, setResult] = createSignal<SnapshotDiffInfo | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  createEffect(
    on(list, (l) => {
      if (!l.some((s) => s.id === to())) setTo(l[0]?.id ?? '');
      if (!l.some((s) => s.id === from())) setFrom(l[1]?.id ?? l[0]?.id ?? '');
    }),
  );
  const compare = async (e: Event) => {
    e.preventDefault();
    const repo = engine.repo();
    if (!repo) return;
    setLoading(true);
    setError(null);
    try {
      setResult(await engine.client.diffSnapshots(repo.session, from(), to(), folder().trim().replace(/^\/+|\/+$/g, '')));
    } catch (err) {
      setResult(null);
      setError(errorText(err));
    } finally {
      setLoading(false);
    }
  };
  return (
    <section class="card hr-panel hr-diff" aria-labelledby="diff-title" data-testid="snapshot-diff">
      <h3 id="diff-title">What changed between two points in time</h3>
      <form class="hr-diff__form" onSubmit={compare}>
        <div class="field">
          <label for="diff-from">From</label>
          <select id="diff-from" value={from()} onChange={(e) => setFrom(e.currentTarget.value)}>
            <For each={list()}>{(s) => <option value={s.id}>{formatPointInTime(s.time)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="diff-to">To</label>
          <select id="diff-to" value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
            <For each={list()}>{(s) => <option value={s.id}>{formatPointInTime(s.time)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="diff-folder">In one folder only (optional)</label>
          <input id="diff-folder" type="text" placeholder="For example: Documents/notes" value={folder()} onInput={(e) => setFolder(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={loading() || !from() || !to()}>
            Show changes
          </button>
        </div>
      </form>
      <div aria-live="polite">
        <Show when={loading()}>
          <p>Comparing…</p>
        </Show>
        <Show when={error()}>{(m) => <p role="alert">{m()}</p>}</Show>
        <Show when={!loading() && result()}>
          {(r) => (
            <>
              <p data-testid="diff-summary">
                {plural(r().counts.added, 'item')} added, {plural(r().counts.removed, 'item')} removed, {plural(r().counts.changed, 'file')} changed
                {r().sizeDelta !== 0 ? ` (${r().sizeDelta > 0 ? '+' : '−'}${formatBytes(Math.abs(r().sizeDelta))})` : ''}.
                <Show when={r().truncated}> The first 2,000 are listed.</Show>
              </p>
              <Show when={r().changes.length > 0}>
                <ul class="hr-diff__list">
                  <For each={r().changes}>
                    {(c) => (
                      <li class={`hr-diff__item hr-diff__item--${c.kind}`} data-testid="diff-item" data-kind={c.kind}>
                        <span class="hr-diff__kind">{MARK[c.kind]}</span>
                        <span class="hr-diff__path">
                          {c.path}
                          {c.type === 'dir' ? '/' : ''}
                        </span>
                        <span class="muted">
                          {c.kind === 'changed' ? `${formatBytes(c.before ?? 0)} → ${formatBytes(c.after ?? 0)}` : c.type === 'dir' ? 'folder' : formatBytes(c.after ?? c.before ?? 0)}
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </div>
    </section>
  );
}
