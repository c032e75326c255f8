import { createEffect, For, Show, type JSX } from 'solid-js';
import type { BackupProgressEvent } from '../../../worker/protocol';
import { formatBytes, formatRemaining, plural } from '../../lib/format';

const PHASES = [
  { id: 'scanning', label: 'Looking through your folders' },
  { id: 'backing-up', label: 'Backing up' },
  { id: 'finishing', label: 'Finishing' },
] as const;

/** A running backup: phase, files and bytes done of total, speed, time left, new vs already kept. */
export function BackupProgress(props: {
  progress: BackupProgressEvent | null;
  rate: number | null;
  remainingMs: number | null;
  cancelling: boolean;
  onCancel: () => void;
}): JSX.Element {
  const p = () => props.progress;
  const phase = () => p()?.phase ?? 'scanning';
  const phaseIndex = () => PHASES.findIndex((x) => x.id === phase());
  const fraction = () => {
    const q = p();
    if (!q || q.phase === 'scanning' || q.bytesTotal === 0) return undefined;
    return Math.min(1, q.bytesDone / q.bytesTotal);
  };
  let bar: HTMLProgressElement | undefined;
  // Without a value a progress bar is indeterminate; `value = undefined` would throw.
  createEffect(() => {
    const f = fraction();
    if (!bar) return;
    if (f === undefined) bar.removeAttribute('value');
    else bar.value = f;
  });
  return (
    <section class="card progress" aria-labelledby="progress-title" data-testid="backup-progress">
      <h2 id="progress-title">{props.cancelling ? 'Stopping the backup…' : 'Backing up your folders'}</h2>
      <ol class="phases" aria-label="Steps">
        <For each={PHASES}>
          {(x, i) => (
            <li classList={{ 'phases__item--done': i() < phaseIndex(), 'phases__item--current': i() === phaseIndex() }} aria-current={i() === phaseIndex() ? 'step' : undefined}>
              {x.label}
            </li>
          )}
        </For>
      </ol>
      <progress class="progress__bar" max="1" ref={bar} aria-label="Backup progress" aria-valuetext={fraction() === undefined ? 'Working out how much there is' : `${Math.round((fraction() ?? 0) * 100)} percent`} />
      <dl class="facts facts--compact" data-testid="progress-facts">
        <div class="facts__row">
          <dt>Files</dt>
          <dd>
            <Show when={phase() !== 'scanning'} fallback={`${plural(p()?.filesTotal ?? 0, 'file')} found so far`}>
              {(p()?.filesDone ?? 0).toLocaleString('en')} of {plural(p()?.filesTotal ?? 0, 'file')}
            </Show>
          </dd>
        </div>
        <div class="facts__row">
          <dt>Size</dt>
          <dd>
            <Show when={phase() !== 'scanning'} fallback={`${formatBytes(p()?.bytesTotal ?? 0)} found so far`}>
              {formatBytes(p()?.bytesDone ?? 0)} of {formatBytes(p()?.bytesTotal ?? 0)}
            </Show>
          </dd>
        </div>
        <div class="facts__row">
          <dt>Speed</dt>
          <dd data-testid="progress-rate">{props.rate === null ? 'estimating…' : `${formatBytes(props.rate)} per second`}</dd>
        </div>
        <div class="facts__row">
          <dt>Time left</dt>
          <dd data-testid="progress-eta">{props.remainingMs === null || phase() !== 'backing-up' ? 'estimating…' : formatRemaining(props.remainingMs)}</dd>
        </div>
        <div class="facts__row">
          <dt>New data</dt>
          <dd>
            {formatBytes(p()?.newBytes ?? 0)} saved new · {formatBytes(Math.max(0, (p()?.bytesDone ?? 0) - (p()?.newBytes ?? 0)))} already in your backups
          </dd>
        </div>
      </dl>
      <p class="muted current-file" title={p()?.currentPath}>
        {p()?.currentPath ? `Now: ${p()?.currentPath}` : '\u00a0'}
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={props.cancelling} onClick={() => props.onCancel()}>
          {props.cancelling ? 'Stopping…' : 'Cancel backup'}
        </button>
        <span class="fine">Cancelling is safe: your earlier backups stay as they are.</span>
      </div>
    </section>
  );
}
