import { createContext, createEffect, createSignal, on, onCleanup, onMount, useContext, type Accessor, type JSX } from 'solid-js';
import { useBackup } from './backup-context';
import { backupWhileLocked } from './schedule-background';
import { useEngine } from './engine-context';
import { recordNewest } from './health-drives';
import { lastBackupOf } from './health-logic';
import { dueSources, isOverdue, NO_RUNS, type SourceRuns, type SourceSchedule } from './schedule-logic';
import { notificationPermission, notify, requestNotificationPermission, setBadge, type NotifyPermission } from './schedule-notify';
import { later, loadRuns, loadSchedules, recordRun, saveRuns, saveSchedules, type RunRecords, type Schedules } from './schedule-store';
import { useSources } from './sources-context';

/** How often the scheduler looks at the clock, and how soon after opening it first looks. */
export const TICK_MS = 30_000;
export const FIRST_TICK_MS = 5_000;

/**
 * The schedule domain: per-source schedules, when each source was last backed up, and the
 * scheduler that starts due backups while the app is open.
 *
 * Contract:
 * - Only one tab schedules: the one holding the Web Lock 'cairn-scheduler' (`leader()`); the
 *   others show the same state and start nothing. Where Web Locks are missing, every tab may
 *   schedule (the worker refuses a second job on the same repository).
 * - The leader looks every TICK_MS (and FIRST_TICK_MS after the backups open): due sources
 *   (schedule-logic.ts) are backed up together through the backup domain, never while another
 *   job runs. An overdue source is thus backed up within about half a minute of opening the app.
 * - While the backups are locked, due sources are backed up only when this device remembers the
 *   key (schedule-background.ts: a separate session, locked again after); otherwise they wait
 *   for the next unlock.
 * - `runsOf(name)` merges what this browser recorded with the open repository's versions.
 * - Notifications (when allowed) when a backup fails, finishes with problems, or a source becomes
 *   overdue; the app badge shows the number of overdue sources.
 * - Nothing here runs when the app is closed: a web app has no background timer.
 */
export interface ScheduleContextValue {
  readonly now: Accessor<number>;
  scheduleOf(name: string): SourceSchedule;
  setSchedule(name: string, schedule: SourceSchedule): void;
  runsOf(name: string): SourceRuns;
  /** Source folder names that are overdue now. */
  readonly overdue: Accessor<string[]>;
  /** True in the tab that schedules; null until known. */
  readonly leader: Accessor<boolean | null>;
  readonly permission: Accessor<NotifyPermission>;
  /** Asks for notification permission (call from a click). */
  enableNotifications(): Promise<void>;
}

const ScheduleContext = createContext<ScheduleContextValue>();
const OFF: SourceSchedule = { interval: null, rpoHours: 48 };

export function ScheduleProvider(props: { children: JSX.Element }): JSX.Element {
  const engine = useEngine();
  const sources = useSources();
  const backup = useBackup();
  const [now, setNow] = createSignal(Date.now());
  const [schedules, setSchedules] = createSignal<Schedules>({});
  const [runs, setRuns] = createSignal<RunRecords>({});
  const [leader, setLeader] = createSignal<boolean | null>(null);
  const [permission, setPermission] = createSignal<NotifyPermission>(notificationPermission());
  let loaded = false;
  let started: readonly string[] | null = null;

  const scheduleOf = (name: string): SourceSchedule => schedules()[name] ?? OFF;
  const runsOf = (name: string): SourceRuns => {
    const stored = runs()[name] ?? NO_RUNS;
    return { ...stored, lastCompleted: later(stored.lastCompleted, lastBackupOf(engine.snapshots(), name)) };
  };
  const names = (): string[] => sources.state.folders.map((f) => f.name);
  const overdue = (): string[] => names().filter((n) => isOverdue(scheduleOf(n), runsOf(n), now()));

  const updateRuns = (next: RunRecords): void => {
    setRuns(next);
    saveRuns(next).catch((e: unknown) => console.warn('Cairn could not save the schedule records', e));
  };

  /** Locked, no remembered key: stop trying until the backups are opened again. */
  let waitForUnlock = false;

  const tick = (): void => {
    setNow(Date.now());
    if (!loaded || leader() === false || engine.busy() || !sources.state.loaded) return;
    if (!engine.repo() && waitForUnlock) return;
    const due = dueSources(new Map(names().map((n) => [n, scheduleOf(n)])), new Map(names().map((n) => [n, runsOf(n)])), now());
    if (due.length === 0) return;
    if (engine.repo()) {
      started = due;
      void backup.start({ only: due });
    } else void runLocked(due);
  };

  /** Locked: back up with the key remembered on this device, if there is one (schedule-background.ts). */
  const runLocked = async (due: readonly string[]): Promise<void> => {
    engine.setBusy(true);
    try {
      const result = await backupWhileLocked(engine.client, sources.state.folders.filter((f) => due.includes(f.name)), sources.patterns());
      if (result.kind === 'needs-unlock') return void (waitForUnlock = true);
      updateRuns(recordRun(runs(), result.kind === 'done' ? result.paths : due, Date.now(), result.kind === 'done'));
      if (result.kind === 'failed') notify('Scheduled backup failed', result.message, 'cairn-backup');
      else if (result.problems > 0) notify('Backup finished with problems', `${result.problems} item(s) could not be backed up. Open Cairn to see which.`, 'cairn-backup');
    } finally {
      engine.setBusy(false);
      if (engine.repo()) await engine.refreshSnapshots();
    }
  };

  // A backup ended (scheduled or clicked): record it, say so when it went wrong.
  createEffect(on(backup.outcome, (o) => {
    if (!o) return;
    const attempted = started ?? o.report?.snapshot.paths ?? names();
    started = null;
    if (o.status === 'cancelled') return;
    updateRuns(recordRun(runs(), o.status === 'done' ? (o.report?.snapshot.paths ?? attempted) : attempted, Date.now(), o.status === 'done'));
    if (o.status === 'failed') notify('Backup failed', o.error ?? 'The backup stopped.', 'cairn-backup');
    else if (o.status === 'done' && (o.report?.problems.length ?? 0) > 0) {
      notify('Backup finished with problems', `${o.report?.problems.length} item(s) could not be backed up. Open Cairn to see which.`, 'cairn-backup');
    }
  }, { defer: true }));

  // Remember, per repository, the newest copy of each source (drives in rotation).
  createEffect(on(engine.snapshots, (list) => {
    const repo = engine.repo();
    if (repo && list.length) void recordNewest(repo.id, list).catch(() => undefined);
  }));

  // Overdue: badge always current, one notification each time a source becomes overdue.
  createEffect(on(overdue, (list, prev) => {
    setBadge(list.length);
    const fresh = list.filter((n) => !(prev ?? []).includes(n));
    if (fresh.length) notify('Backup overdue', `${fresh.join(', ')} ${fresh.length === 1 ? 'has' : 'have'} not been backed up on schedule. Open Cairn and connect the backup drive.`, 'cairn-overdue');
  }));

  createEffect(on(() => engine.repo()?.session, (session) => {
    waitForUnlock = false;
    if (session) setTimeout(tick, FIRST_TICK_MS);
  }));

  onMount(() => {
    void Promise.all([loadSchedules(), loadRuns()]).then(([s, r]) => {
      setSchedules(s);
      setRuns(r);
      loaded = true;
      tick();
    }).catch((e: unknown) => console.warn('Cairn could not load the schedules', e));
    const timer = setInterval(tick, TICK_MS);
    const onVisible = (): void => void (document.visibilityState === 'visible' && tick());
    document.addEventListener('visibilitychange', onVisible);
    let release: (() => void) | undefined;
    if (navigator.locks) {
      setLeader(false);
      void navigator.locks.request('cairn-scheduler', () => {
        setLeader(true);
        tick();
        return new Promise<void>((resolve) => (release = resolve));
      });
    } else setLeader(true);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      release?.();
    });
  });

  const value: ScheduleContextValue = {
    now,
    scheduleOf,
    setSchedule(name, schedule) {
      const next = { ...schedules(), [name]: schedule };
      setSchedules(next);
      saveSchedules(next).catch((e: unknown) => console.warn('Cairn could not save the schedules', e));
      tick();
    },
    runsOf,
    overdue,
    leader,
    permission,
    async enableNotifications() {
      setPermission(await requestNotificationPermission());
    },
  };
  return <ScheduleContext.Provider value={value}>{props.children}</ScheduleContext.Provider>;
}

/** The schedule context; throws outside a ScheduleProvider. */
export function useSchedule(): ScheduleContextValue {
  const value = useContext(ScheduleContext);
  if (!value) throw new Error('useSchedule() must be used inside <ScheduleProvider>');
  return value;
}
