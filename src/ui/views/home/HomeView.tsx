import { createResource, For, Show, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';
import { useEngine } from '../../state/engine-context';
import { rpoStatus } from '../../state/schedule-logic';
import { useSchedule } from '../../state/schedule-context';
import { useSources } from '../../state/sources-context';
import { DrivesPanel } from './DrivesPanel';
import { loadProof, ProofPanel } from './ProofPanel';
import { SourceHealthList } from './SourceHealthList';
import { StoragePanel } from './StoragePanel';
import './health.css';

/**
 * Health at a glance: answers "am I safe?" per folder (newest backup against the recovery point
 * objective, in words and colour), with the proof of restores, space, charts and drives.
 */
export function HomeView(): JSX.Element {
  const engine = useEngine();
  const sources = useSources();
  const schedule = useSchedule();
  const [health] = createResource(
    () => engine.repo() && `${engine.repo()?.session}:${engine.snapshots().length}`,
    () => engine.client.repositoryHealth(engine.repo()?.session ?? '').catch(() => undefined),
  );
  const [proof] = createResource(
    () => engine.repo() && `${engine.repo()?.session}:${engine.snapshots().length}`,
    () => loadProof(engine.client, engine.repo()?.session ?? ''),
  );
  const levels = () => sources.state.folders.map((f) => rpoStatus(schedule.scheduleOf(f.name).rpoHours, schedule.runsOf(f.name).lastCompleted, schedule.now()).level);
  const unscheduled = () => sources.state.folders.filter((f) => !schedule.scheduleOf(f.name).interval).map((f) => f.name);
  const headline = () => {
    const l = levels();
    if (l.length === 0) return 'Nothing is backed up yet.';
    if (l.every((x) => x === 'green')) return 'Yes: every folder has a recent backup.';
    if (l.includes('red')) return 'Not quite: some folders are at risk.';
    return 'Mostly: some folders are due a backup soon.';
  };
  const drillWarning = () => {
    const d = proof()?.drill;
    if (!d || d === 'unavailable' || !d.last) return null;
    if (!d.last.ok) return 'The last restore drill failed: some backed-up files could not be restored exactly. Open History to check the backups.';
    if (d.overdue) return 'A restore drill is overdue: it has been a while since Cairn proved your backups can be restored.';
    return null;
  };
  return (
    <div class="stack" data-testid="home-view">
      <Show when={drillWarning()}>{(w) => <Notice tone="error" testId="drill-warning">{w()}</Notice>}</Show>
      <Show when={schedule.overdue().length > 0}>
        <Notice tone="warning" title="Backups overdue" testId="overdue-warning">
          <p>
            <For each={schedule.overdue()}>{(n, i) => <>{i() > 0 ? ', ' : ''}<strong>{n}</strong></>}</For> missed {schedule.overdue().length === 1 ? 'its' : 'their'} scheduled backup.
            {engine.busy() ? ' A catch-up backup is running now.' : ' Cairn starts a catch-up backup within a minute while the app is open.'}
          </p>
        </Notice>
      </Show>
      <section class="card" aria-labelledby="home-title">
        <h2 id="home-title">Am I safe?</h2>
        <p class="lead" data-testid="home-headline">{headline()}</p>
        <Show when={engine.repo()}>
          {(r) => (
            <p class="muted" data-testid="home-repository">
              Backups in <strong>{r().label ?? (r().kind === 'browser' ? 'this browser' : r().name)}</strong> (id {r().id.slice(0, 8)}).
            </p>
          )}
        </Show>
        <SourceHealthList />
        <Show when={unscheduled().length > 0 && sources.state.folders.length > 0}>
          <p class="fine" data-testid="unscheduled-note">
            {unscheduled().join(', ')} {unscheduled().length === 1 ? 'has' : 'have'} no schedule: a backup that depends on remembering to click is not a backup plan. Set one in Settings.
          </p>
        </Show>
      </section>
      <ProofPanel proof={proof()} now={schedule.now()} />
      <StoragePanel health={health()} snapshots={engine.snapshots()} now={schedule.now()} />
      <DrivesPanel now={schedule.now()} />
      <p class="fine" data-testid="web-app-limits">
        Scheduled backups run only while Cairn is open in a tab or as an installed app. When it is closed, nothing runs; the next time you open it, missed backups catch up within a minute.
      </p>
    </div>
  );
}
