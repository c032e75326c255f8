import type { JSX } from 'solid-js';
import { DevicePanel } from './DevicePanel';
import { KeysPanel } from './KeysPanel';
import { NotificationsPanel } from './NotificationsPanel';
import { SchedulesPanel } from './SchedulesPanel';
import { useSessionGuard } from './SessionGuard';
import '../home/health.css';

/** Settings: schedules, notifications, passphrase and recovery, this device. */
export function SettingsView(): JSX.Element {
  const guard = useSessionGuard();
  return (
    <div class="stack" data-testid="settings-view">
      <SchedulesPanel />
      <NotificationsPanel />
      <KeysPanel />
      <DevicePanel idleMinutes={guard.idleMinutes()} onIdleMinutes={guard.setIdleMinutes} />
    </div>
  );
}
