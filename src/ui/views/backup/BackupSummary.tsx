import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { formatBytes, formatDuration, plural } from '../../lib/format';
import type { BackupOutcome } from '../../state/backup-context';

/** The end of a backup: what changed, what was added, how long it took, and any file problems. */
export function BackupSummary(props: { outcome: BackupOutcome; onDismiss: () => void }): JSX.Element {
  const o = () => props.outcome;
  const stats = () => o().report?.snapshot.stats;
  const reused = () => {
    const s = stats();
    return s ? Math.max(0, s.bytes - s.addedBytes) : 0;
  };
  let heading: HTMLHeadingElement | undefined;
  queueMicrotask(() => heading?.focus());
  return (
    <section class="card summary" aria-labelledby="summary-title" data-testid="backup-summary" data-status={o().status}>
      <Switch>
        <Match when={o().status === 'done'}>
          <h2 id="summary-title" tabindex="-1" ref={heading}>
            {(o().report?.problems.length ?? 0) > 0 ? 'Backup finished, with some files left out' : 'Backup finished'}
          </h2>
        </Match>
        <Match when={o().status === 'cancelled'}>
          <h2 id="summary-title" tabindex="-1" ref={heading}>Backup cancelled</h2>
          <p>No new version was saved; your earlier backups are unchanged. What was already copied is kept, so the next backup goes faster.</p>
        </Match>
        <Match when={o().status === 'failed'}>
          <h2 id="summary-title" tabindex="-1" ref={heading}>The backup did not finish</h2>
          <p role="alert">{o().error}</p>
          <p>Your earlier backups are unchanged.</p>
        </Match>
      </Switch>
      <Show when={o().resumedAfterInterruption && o().status === 'done'}>
        <p class="notice notice--info" data-testid="summary-resumed">
          The previous backup was stopped before it finished. Cairn picked up where it left off: what it had already copied was not copied again.
        </p>
      </Show>
      <Show when={stats()}>
        {(s) => (
          <dl class="facts" data-testid="summary-facts">
            <div class="facts__row">
              <dt>New files</dt>
              <dd data-testid="summary-new">{plural(s().newFiles, 'file')}</dd>
            </div>
            <div class="facts__row">
              <dt>Changed files</dt>
              <dd data-testid="summary-changed">{plural(s().changedFiles, 'file')}</dd>
            </div>
            <div class="facts__row">
              <dt>Unchanged files</dt>
              <dd data-testid="summary-unchanged">{plural(s().unchangedFiles, 'file')}</dd>
            </div>
            <div class="facts__row">
              <dt>Added to your backups</dt>
              <dd data-testid="summary-added">
                {formatBytes(s().addedBytes)}
                <Show when={reused() > 0}> ({formatBytes(reused())} was already there and not stored again)</Show>
              </dd>
            </div>
            <div class="facts__row">
              <dt>Took</dt>
              <dd data-testid="summary-duration">{formatDuration(s().durationMs)}</dd>
            </div>
          </dl>
        )}
      </Show>
      <Show when={(o().report?.problems.length ?? 0) > 0}>
        <h3>Files that could not be backed up</h3>
        <ul class="problems" data-testid="summary-problems">
          <For each={o().report?.problems ?? []}>
            {(p) => (
              <li>
                <span class="path">{p.path}</span>: {p.message}
              </li>
            )}
          </For>
        </ul>
        <p class="fine">Everything else was backed up. Close the programs using these files, then back up again.</p>
      </Show>
      <div class="actions">
        <button type="button" class="button button--quiet" onClick={() => props.onDismiss()}>
          Close summary
        </button>
      </div>
    </section>
  );
}
