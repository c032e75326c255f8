import { For, Match, Show, Switch, type JSX } from 'solid-js';
import type { RepairInfo, RepairProgressEvent } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { AffectedFiles } from './AffectedFiles';
import { createUpkeepJob } from './create-upkeep-job';
import { UpkeepProgress } from './UpkeepProgress';

/**
 * "Repair": rebuilds the table of contents of the stored data from the data itself and says
 * exactly which files of which backups are lost; a new backup stores again what still exists.
 */
export function RepairSection(): JSX.Element {
  const engine = useEngine();
  const job = createUpkeepJob<RepairInfo, RepairProgressEvent>();
  const run = async () => {
    if ((await job.run((session, onP) => engine.client.repair(session, onP))) !== null) await engine.refreshSnapshots();
  };
  return (
    <section class="card up-section" aria-labelledby="repair-title" data-testid="repair-section">
      <h3 id="repair-title">Repair</h3>
      <p>
        If a check or a restore test reports damage, Repair rebuilds Cairn’s table of contents from the stored data itself, leaves out what can no longer be read, and tells you exactly which files of which backups are lost. It never deletes a
        backup. Afterwards, back up the same folders again: every file that still exists on your computer is stored again and its backups heal.
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={engine.busy()} onClick={() => void run()}>
          Repair now
        </button>
      </div>
      <div aria-live="polite">
        <Switch>
          <Match when={job.state().kind === 'running' && job.state()}>
            {(r) => {
              const p = () => (r() as { progress: RepairProgressEvent | null }).progress;
              return <UpkeepProgress label="Repairing" done={p()?.done ?? 0} total={p()?.total ?? 1} text={`Reading stored data: ${p()?.done ?? 0} of ${p()?.total ?? 1}`} />;
            }}
          </Match>
          <Match when={job.state().kind === 'done' && job.state()}>
            {(d) => {
              const r = () => (d() as { result: RepairInfo }).result;
              const lost = () => r().lostFiles.length + r().unreadableSnapshots.length;
              return (
                <Show
                  when={lost() > 0}
                  fallback={
                    <Notice tone="success" testId="repair-result">
                      <p>Repaired. Every backup has all its data listed again; nothing is lost.</p>
                    </Notice>
                  }
                >
                  <Notice tone="warning" title={`${plural(r().lostFiles.length, 'file')} cannot be restored any more`} testId="repair-result">
                    <For each={r().unreadableSnapshots}>{(u) => <p>A whole backup cannot be read: {u.reason}</p>}</For>
                    <AffectedFiles files={r().lostFiles} label="Files that are lost" testId="repair-lost" />
                    <p>Back up the same folders again now: whatever still exists on your computer is stored again and those backups heal.</p>
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
