import { Match, Show, Switch, type JSX } from 'solid-js';
import type { PruneInfo, PruneProgressEvent } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { formatBytes } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { createUpkeepJob, pruneStepText } from './create-upkeep-job';
import { UpkeepProgress } from './UpkeepProgress';

/** "Free up space": prune with progress and the space freed. */
export function PruneSection(): JSX.Element {
  const engine = useEngine();
  const job = createUpkeepJob<PruneInfo, PruneProgressEvent>();
  const s = job.state;
  return (
    <section class="card up-section" aria-labelledby="prune-title" data-testid="prune-section">
      <h3 id="prune-title">Free up space</h3>
      <p>
        Removes only stored data that no kept version needs any more: for example what was left by points in time you removed, or by a backup that was interrupted. Every version you keep still restores completely.
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={engine.busy()} onClick={() => void job.run((session, onP) => engine.client.prune(session, onP))}>
          Free up space now
        </button>
        <Show when={s().kind === 'running'}>
          <button type="button" class="button button--quiet" onClick={() => job.cancel()}>
            Stop
          </button>
        </Show>
      </div>
      <div aria-live="polite">
        <Switch>
          <Match when={s().kind === 'running' && s()}>
            {(r) => {
              const p = () => (r() as { progress: PruneProgressEvent | null }).progress;
              return (
                <UpkeepProgress label="Freeing up space" done={p()?.done ?? 0} total={p()?.total ?? 1} text={pruneStepText(p())} />
              );
            }}
          </Match>
          <Match when={s().kind === 'done' && s()}>
            {(d) => <PruneResult info={(d() as { result: PruneInfo }).result} />}
          </Match>
          <Match when={s().kind === 'failed' && s()}>{(f) => <p role="alert">{(f() as { message: string }).message}</p>}</Match>
          <Match when={s().kind === 'cancelled'}>
            <p>Stopped. Nothing was deleted that any version needs.</p>
          </Match>
        </Switch>
      </div>
    </section>
  );
}

/** The space freed by a prune, in words. */
export function PruneResult(props: { info: PruneInfo }): JSX.Element {
  return (
    <Notice tone="success" testId="prune-result">
      <p>
        <strong data-testid="bytes-freed">{formatBytes(props.info.bytesFreed)}</strong> freed.
        <Show when={props.info.bytesUnusedKept > 0}> {formatBytes(props.info.bytesUnusedKept)} of unused data stays inside storage files still mostly in use (not worth rewriting yet).</Show>
      </p>
    </Notice>
  );
}
