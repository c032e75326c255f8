import { createMemo, For, Match, Show, Switch, type JSX } from 'solid-js';
import type { FileVersionInfo } from '../../../worker/protocol';
import { lineDiff, looksLikeText } from '../../lib/line-diff';
import { plural } from '../../lib/format';
import { createFileBytes } from './create-file-bytes';
import { errorText } from './error-text';
import { formatPointInTime } from './when';

/** Files above this size are not compared ("too large to compare"). */
export const MAX_COMPARE_BYTES = 1024 * 1024;

/**
 * Two versions of a text file side by side, older on the left: changed lines marked, line numbers
 * on both sides. Binary files and files over 1 MiB are refused with a plain explanation.
 */
export function VersionCompare(props: { path: string; older: FileVersionInfo; newer: FileVersionInfo }): JSX.Element {
  const a = createFileBytes(() => props.path, () => props.older.firstSnapshot, MAX_COMPARE_BYTES);
  const b = createFileBytes(() => props.path, () => props.newer.firstSnapshot, MAX_COMPARE_BYTES);
  const result = createMemo(() => {
    const x = a.latest;
    const y = b.latest;
    if (!x || !y) return { kind: 'loading' as const };
    if (!x.bytes || !y.bytes) return { kind: 'too-large' as const };
    if (!looksLikeText(x.bytes) || !looksLikeText(y.bytes)) return { kind: 'binary' as const };
    const rows = lineDiff(new TextDecoder().decode(x.bytes), new TextDecoder().decode(y.bytes));
    return rows ? { kind: 'rows' as const, rows } : { kind: 'too-large' as const };
  });
  const changed = () => {
    const r = result();
    return r.kind === 'rows' ? r.rows.filter((row) => row.kind !== 'same').length : 0;
  };
  return (
    <section class="hr-compare" aria-label="Comparison of two versions" data-testid="version-compare">
      <Show when={!a.error && !b.error} fallback={<p role="alert">{errorText(a.error ?? b.error)}</p>}>
        <Switch>
          <Match when={result().kind === 'loading'}>
            <p aria-live="polite">Reading both versions…</p>
          </Match>
          <Match when={result().kind === 'too-large'}>
            <p data-testid="compare-note">These versions are too large to compare here (more than 1 MB): download them to compare.</p>
          </Match>
          <Match when={result().kind === 'binary'}>
            <p data-testid="compare-note">This is not a text file, so its lines cannot be compared.</p>
          </Match>
          <Match when={result().kind === 'rows'}>
            <p class="muted" data-testid="compare-note">{changed() === 0 ? 'No lines differ.' : `${plural(changed(), 'line')} differ.`}</p>
            <div class="hr-compare__scroll">
              <table class="hr-compare__table">
                <caption class="visually-hidden">Lines of the version from {formatPointInTime(props.older.firstTime)} beside the version from {formatPointInTime(props.newer.firstTime)}</caption>
                <colgroup>
                  <col class="hr-compare__ncol" />
                  <col />
                  <col class="hr-compare__ncol" />
                  <col />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col" colspan="2">{formatPointInTime(props.older.firstTime)}</th>
                    <th scope="col" colspan="2">{formatPointInTime(props.newer.firstTime)}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={(result() as { rows: ReturnType<typeof lineDiff> & object }).rows}>
                    {(row) => (
                      <tr class={`hr-compare__row hr-compare__row--${row.kind}`} data-kind={row.kind}>
                        <td class="hr-compare__n">{row.left?.n ?? ''}</td>
                        <td class="hr-compare__line hr-compare__line--old">
                          <Show when={row.kind === 'removed' || row.kind === 'changed'}>
                            <span class="visually-hidden">Removed: </span>
                          </Show>
                          {row.left?.text ?? ''}
                        </td>
                        <td class="hr-compare__n">{row.right?.n ?? ''}</td>
                        <td class="hr-compare__line hr-compare__line--new">
                          <Show when={row.kind === 'added' || row.kind === 'changed'}>
                            <span class="visually-hidden">Added: </span>
                          </Show>
                          {row.right?.text ?? ''}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Match>
        </Switch>
      </Show>
    </section>
  );
}
