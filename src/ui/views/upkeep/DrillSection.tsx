import { For, Match, Show, Switch, type JSX } from 'solid-js';
import type { DrillProgressEvent, DrillStatus } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { formatBytes, formatWhen, plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { noteUpkeepChange } from '../../state/upkeep-schedule';
import { formatPointInTime } from '../history/when';
import { createUpkeepJob } from './create-upkeep-job';
import type { createUpkeepStatus } from './create-upkeep-status';
import { UpkeepProgress } from './UpkeepProgress';

/** When the drill status is a warning: the last drill failed, or one is overdue. */
export function drillWarning(st: DrillStatus): string | null {
  if (st.last && !st.last.ok) return 'The last restore test failed: some files could not be restored from your backups.';
  if (st.overdue) return st.last ? 'The weekly restore test is overdue.' : 'Your backups have not been test-restored yet.';
  return null;
}

/**
 * "Test a restore": restores a sample of files from the newest backup and one older backup into
 * a private scratch folder, checks every byte and deletes the copies. Runs weekly on its own while
 * the app is open; shows the last result (the home screen shows it too).
 */
export function DrillSection(props: { status: ReturnType<typeof createUpkeepStatus>['drill'] }): JSX.Element {
  const engine = useEngine();
  const job = createUpkeepJob<DrillStatus, DrillProgressEvent>();
  const run = async () => {
    await job.run((session, onP) => engine.client.drill(session, onP));
    noteUpkeepChange();
  };
  const failures = (st: DrillStatus) => st.last?.sample.filter((f) => !f.ok) ?? [];
  return (
    <section class="card up-section" aria-labelledby="drill-title" data-testid="drill-section">
      <h3 id="drill-title">Test a restore</h3>
      <p>A backup is only as good as its restore. Once a week Cairn restores a few files from your backups into a private scratch folder, checks that every byte matches, and deletes the copies. Your folders are not touched.</p>
      <Show when={props.status.latest}>
        {(st) => (
          <>
            <Show when={drillWarning(st())}>
              {(w) => (
                <Notice tone={st().last && !st().last!.ok ? 'error' : 'warning'} title={w()} testId="drill-warning">
                  <Show when={st().last?.error}>{(e) => <p>{e()}</p>}</Show>
                  <Show when={failures(st()).length > 0}>
                    <ul class="up-list" aria-label="Files that could not be restored">
                      <For each={failures(st())}>
                        {(f) => (
                          <li data-testid="drill-failure">
                            <span class="up-path">{f.path || 'The whole backup'}</span> <span class="muted">from {formatPointInTime(f.snapshotTime)}: {f.reason}</span>
                          </li>
                        )}
                      </For>
                    </ul>
                    <p>Look under “Verify stored data” and “Repair” below.</p>
                  </Show>
                </Notice>
              )}
            </Show>
            <p data-testid="drill-last">
              <Show when={st().last} fallback={<>No restore test has run yet on this device.</>}>
                {(last) => (
                  <>
                    Last restore test: <strong>{formatWhen(new Date(last().time).toISOString())}</strong>, {last().ok ? 'passed' : 'failed'}: {last().filesOk} of {plural(last().files, 'file')} ({formatBytes(last().bytes)}) restored and
                    checked from {plural(last().snapshots.length, 'backup')}.
                  </>
                )}
              </Show>
              <Show when={st().nextDue !== null && !st().due}> Next test: {new Date(st().nextDue!).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}.</Show>
            </p>
          </>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="button" disabled={engine.busy() || engine.snapshots().length === 0} onClick={() => void run()}>
          Test a restore now
        </button>
      </div>
      <div aria-live="polite">
        <Switch>
          <Match when={job.state().kind === 'running' && job.state()}>
            {(r) => {
              const p = () => (r() as { progress: DrillProgressEvent | null }).progress;
              return <UpkeepProgress label="Testing a restore" done={p()?.done ?? 0} total={p()?.total ?? 1} text={`Backup ${Math.min((p()?.done ?? 0) + 1, p()?.total ?? 1)} of ${p()?.total ?? 1}`} />;
            }}
          </Match>
          <Match when={job.state().kind === 'done' && job.state()}>
            {(d) => {
              const last = () => (d() as { result: DrillStatus }).result.last;
              return (
                <Show when={last()?.ok}>
                  <Notice tone="success" testId="drill-passed">
                    <p>Restore proven: {plural(last()!.filesOk, 'file')} restored and matched exactly.</p>
                  </Notice>
                </Show>
              );
            }}
          </Match>
          <Match when={job.state().kind === 'failed' && job.state()}>{(f) => <p role="alert">{(f() as { message: string }).message}</p>}</Match>
        </Switch>
      </div>
    </section>
  );
}
