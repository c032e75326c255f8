import { Match, Show, Switch, type JSX } from 'solid-js';
import { useBackup } from '../state/backup-context';
import { useEngine } from '../state/engine-context';
import { useSources } from '../state/sources-context';
import { BackupProgress } from './backup/BackupProgress';
import { BackupSummary } from './backup/BackupSummary';
import { SourcesPanel } from './backup/SourcesPanel';
import { StatusCard } from './backup/StatusCard';

/** Home: the backups' status, the folders to back up, "Back up now" with progress and summary. */
export function BackupView(): JSX.Element {
  const engine = useEngine();
  const sources = useSources();
  const backup = useBackup();
  const running = () => ['preparing', 'running', 'cancelling'].includes(backup.status());
  return (
    <div class="stack">
      <StatusCard />
      <SourcesPanel />
      <Switch>
        <Match when={running()}>
          <BackupProgress
            progress={backup.progress()}
            rate={backup.rate()}
            remainingMs={backup.remainingMs()}
            cancelling={backup.status() === 'cancelling'}
            onCancel={() => void backup.cancel()}
          />
        </Match>
        <Match when={backup.outcome()}>{(o) => <BackupSummary outcome={o()} onDismiss={() => backup.dismiss()} />}</Match>
      </Switch>
      <Show when={!running()}>
        <div class="card backup-now">
          <button
            type="button"
            class="button button--primary button--large"
            disabled={sources.state.folders.length === 0 || engine.busy()}
            onClick={() => void backup.start()}
          >
            Back up now
          </button>
          <p class="muted">
            {sources.state.folders.length === 0
              ? 'Add a folder first.'
              : 'Only what changed since the last backup is copied, so this is quick after the first time.'}
          </p>
        </div>
      </Show>
    </div>
  );
}
