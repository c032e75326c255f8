import { Match, Show, Switch, type JSX } from 'solid-js';
import type { ScrubProgressEvent, ScrubRunInfo } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { formatBytes, formatWhen } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { noteUpkeepChange } from '../../state/upkeep-schedule';
import { AffectedFiles } from './AffectedFiles';
import { createUpkeepJob } from './create-upkeep-job';
import type { createUpkeepStatus } from './create-upkeep-status';
import { UpkeepProgress } from './UpkeepProgress';

/**
 * "Verify stored data": reads back a share of the stored data each run, so that all of it is read
 * at least once every 30 days; shows how much was verified, the last full pass, and the files
 * concerned when damage is found.
 */
export function ScrubSection(props: { status: ReturnType<typeof createUpkeepStatus>['scrub'] }): JSX.Element {
  const engine = useEngine();
  const job = createUpkeepJob<ScrubRunInfo, ScrubProgressEvent>();
  const run = async () => {
    await job.run((session, onP) => engine.client.scrub(session, onP));
    noteUpkeepChange();
  };
  return (
    <section class="card up-section" aria-labelledby="scrub-title" data-testid="scrub-section">
      <h3 id="scrub-title">Verify stored data</h3>
      <p>Storage can decay silently. Cairn reads back a share of your stored backups each day and checks every byte, so that all of it is checked at least once a month.</p>
      <Show when={props.status.latest}>
        {(st) => (
          <>
            <p data-testid="scrub-coverage">
              <strong>{Math.floor(st().coverage * 100)}%</strong> of {formatBytes(st().totalBytes)} verified in the last {Math.round(st().periodMs / 86_400_000)} days.{' '}
              {st().lastFullPass ? `Last complete check: ${formatWhen(new Date(st().lastFullPass!).toISOString())}.` : 'No complete check yet.'}
            </p>
            <progress class="up-meter" aria-label="Share of stored data verified" max="1" value={st().coverage} />
            <Show when={st().damagedPacks.length > 0}>
              <Notice tone="error" title="Damaged data found" testId="scrub-damage">
                <p>
                  Part of the stored data no longer reads back as it was written. The files below cannot be restored from these backups. Run a backup of the same folders to store again what still exists, then use “Repair” below.
                </p>
                <AffectedFiles files={st().affectedFiles} label="Files whose stored data is damaged" testId="scrub-affected" />
              </Notice>
            </Show>
          </>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="button" disabled={engine.busy()} onClick={() => void run()}>
          Verify stored data now
        </button>
        <Show when={job.state().kind === 'running'}>
          <button type="button" class="button button--quiet" onClick={() => job.cancel()}>
            Stop
          </button>
        </Show>
      </div>
      <div aria-live="polite">
        <Switch>
          <Match when={job.state().kind === 'running' && job.state()}>
            {(r) => {
              const p = () => (r() as { progress: ScrubProgressEvent | null }).progress;
              return <UpkeepProgress label="Verifying stored data" done={p()?.packsDone ?? 0} total={p()?.packsTotal ?? 1} text={`${formatBytes(p()?.bytesRead ?? 0)} read and checked`} />;
            }}
          </Match>
          <Match when={job.state().kind === 'done' && job.state()}>
            {(d) => <p data-testid="scrub-done">Checked {formatBytes((d() as { result: ScrubRunInfo }).result.bytesRead)} just now.</p>}
          </Match>
          <Match when={job.state().kind === 'failed' && job.state()}>{(f) => <p role="alert">{(f() as { message: string }).message}</p>}</Match>
        </Switch>
      </div>
    </section>
  );
}
