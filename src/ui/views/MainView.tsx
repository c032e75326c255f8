import { createSignal, Match, Switch, type JSX } from 'solid-js';
import { Tabs } from '../components/Tabs';
import { BackupView } from './BackupView';
import { HistoryView } from './HistoryView';
import { RestoreView } from './RestoreView';
import { HomeView } from './home/HomeView';
import { SessionGuard } from './settings/SessionGuard';
import { SettingsView } from './settings/SettingsView';
import { UpkeepView } from './UpkeepView';
import { UpkeepTimer } from './upkeep/UpkeepTimer';

const TABS = [
  { id: 'backup', label: 'Back up' },
  { id: 'home', label: 'Health' },
  { id: 'history', label: 'History' },
  { id: 'restore', label: 'Restore' },
  { id: 'upkeep', label: 'Upkeep' },
  { id: 'settings', label: 'Settings' },
] as const;

/** The open app: tabs for backing up, browsing versions and restoring. A running backup keeps going across tabs. */
export function MainView(): JSX.Element {
  const [tab, setTab] = createSignal<string>('backup');
  return (
    <SessionGuard>
      <UpkeepTimer />
      <Tabs label="Cairn" items={TABS} selected={tab()} onSelect={setTab} />
      <div class="tab-panel" role="tabpanel" id={`panel-${tab()}`} aria-labelledby={`tab-${tab()}`} tabindex="-1">
        <Switch>
          <Match when={tab() === 'backup'}>
            <BackupView />
          </Match>
          <Match when={tab() === 'history'}>
            <HistoryView />
          </Match>
          <Match when={tab() === 'restore'}>
            <RestoreView />
          </Match>
          <Match when={tab() === 'home'}>
            <HomeView />
          </Match>
          <Match when={tab() === 'upkeep'}>
            <UpkeepView />
          </Match>
          <Match when={tab() === 'settings'}>
            <SettingsView />
          </Match>
        </Switch>
      </div>
    </SessionGuard>
  );
}
