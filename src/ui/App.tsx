import type { JSX } from 'solid-js';
import { ENGINE_VERSION, FORMAT_VERSION } from '../worker/protocol';
import { PwaUpdatePrompt } from './pwa/UpdateBanner';
import { BackupProvider } from './state/backup-context';
import { EngineProvider, useEngine } from './state/engine-context';
import { ScheduleProvider } from './state/schedule-context';
import { SourcesProvider } from './state/sources-context';
import { MainView } from './views/MainView';
import { RepositoryGate } from './views/RepositoryGate';

/** The app's update prompt, told when a job runs (an update never activates mid-job). */
function UpdatePrompt(): JSX.Element {
  const engine = useEngine();
  return <PwaUpdatePrompt isBusy={() => engine.busy()} />;
}

/** The application shell: providers, header, and the gate that leads to the open backups. */
export function App(): JSX.Element {
  return (
    <EngineProvider>
      <SourcesProvider>
        <BackupProvider>
          <ScheduleProvider>
          <UpdatePrompt />
          <main class="shell" aria-labelledby="app-title">
            <header class="shell__header">
              <img class="shell__logo" src="/icon.svg" alt="" width="40" height="40" />
              <div>
                <h1 id="app-title">Cairn</h1>
                <p class="shell__tagline">Backups of your folders, kept safe and private.</p>
              </div>
            </header>
            <RepositoryGate>
              <MainView />
            </RepositoryGate>
            <footer class="shell__footer fine">
              <p>
                Cairn <span data-testid="engine-version">{ENGINE_VERSION}</span> · backup format <span data-testid="format-version">{FORMAT_VERSION}</span>.{' '}
                <span data-testid="default-repository">Backups kept in this browser live in its IndexedDB storage; nothing leaves this device unless you choose a folder for it.</span>
              </p>
            </footer>
          </main>
          </ScheduleProvider>
        </BackupProvider>
      </SourcesProvider>
    </EngineProvider>
  );
}
