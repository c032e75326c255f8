import { Match, Switch, type JSX } from 'solid-js';
import { useSchedule } from '../../state/schedule-context';

/** Asking for notifications (on a click) and saying what they are for. */
export function NotificationsPanel(): JSX.Element {
  const schedule = useSchedule();
  return (
    <section class="card" aria-labelledby="notifications-title" data-testid="notifications-panel">
      <h2 id="notifications-title">Notifications</h2>
      <p class="muted">Cairn can tell you when a backup fails, finishes with problems, or is overdue — even while its tab is in the background. The app icon also shows how many folders are overdue, where the system supports it.</p>
      <Switch>
        <Match when={schedule.permission() === 'granted'}>
          <p data-testid="notifications-state">Notifications are on.</p>
        </Match>
        <Match when={schedule.permission() === 'denied'}>
          <p data-testid="notifications-state">Notifications are blocked for this site. To turn them on, allow them in the browser’s site settings.</p>
        </Match>
        <Match when={schedule.permission() === 'unsupported'}>
          <p data-testid="notifications-state">This browser cannot show notifications.</p>
        </Match>
        <Match when={schedule.permission() === 'default'}>
          <p data-testid="notifications-state">Notifications are off.</p>
          <button type="button" class="button" onClick={() => void schedule.enableNotifications()}>
            Turn on notifications
          </button>
        </Match>
      </Switch>
    </section>
  );
}
