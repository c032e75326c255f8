import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { INTERVAL_LABEL, defaultRpoHours, type ScheduleInterval } from '../../state/schedule-logic';
import { useSchedule } from '../../state/schedule-context';
import { useSources } from '../../state/sources-context';

const INTERVALS = Object.keys(INTERVAL_LABEL) as ScheduleInterval[];
const RPO_CHOICES = [1, 2, 4, 8, 12, 24, 48, 72, 168, 336];

function hoursLabel(h: number): string {
  if (h % 24 === 0 && h >= 48) return `${h / 24} days`;
  return h === 1 ? '1 hour' : `${h} hours`;
}

/** Per source folder: how often it is backed up and how much work the user can afford to lose. */
export function SchedulesPanel(): JSX.Element {
  const sources = useSources();
  const schedule = useSchedule();
  return (
    <section class="card" aria-labelledby="schedules-title" data-testid="schedules-panel">
      <h2 id="schedules-title">Schedules</h2>
      <p class="muted">Cairn backs up each folder on its schedule while the app is open, counting from the last backup that finished.</p>
      <Show when={sources.state.folders.length > 0} fallback={<p class="muted">Add a folder on the “Back up” tab first.</p>}>
        <ul class="schedule-list">
          <For each={sources.state.folders}>
            {(f) => {
              const s = () => schedule.scheduleOf(f.name);
              const id = `schedule-${f.id}`;
              return (
                <li class="schedule-item" data-testid="schedule-item">
                  <p class="schedule-item__name"><strong>{f.name}</strong></p>
                  <div class="field__row">
                    <label class="field">
                      <span>How often</span>
                      <select
                        id={`${id}-interval`}
                        value={s().interval ?? 'off'}
                        onChange={(e) => {
                          const v = e.currentTarget.value;
                          const interval = v === 'off' ? null : (v as ScheduleInterval);
                          schedule.setSchedule(f.name, { interval, rpoHours: interval && !s().interval ? defaultRpoHours(interval) : s().rpoHours });
                        }}
                      >
                        <option value="off">Only when I click “Back up now”</option>
                        <For each={INTERVALS}>{(i) => <option value={i}>{INTERVAL_LABEL[i]}</option>}</For>
                      </select>
                    </label>
                    <label class="field">
                      <span>I can afford to lose at most</span>
                      <select
                        id={`${id}-rpo`}
                        value={String(s().rpoHours)}
                        onChange={(e) => schedule.setSchedule(f.name, { interval: s().interval, rpoHours: Number(e.currentTarget.value) })}
                      >
                        <For each={[...new Set([...RPO_CHOICES, s().rpoHours])].sort((a, b) => a - b)}>{(h) => <option value={String(h)}>{hoursLabel(h)} of work</option>}</For>
                      </select>
                    </label>
                  </div>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <Switch>
        <Match when={schedule.leader() === false}>
          <p class="fine" data-testid="scheduler-other-tab">Cairn is open in another tab too: that tab runs the schedules.</p>
        </Match>
      </Switch>
      <div class="notice notice--info" data-testid="web-app-honesty">
        <p class="notice__title">What a web app cannot do</p>
        <div class="notice__body">
          <p>
            Cairn runs in your browser. When the tab or installed app is closed (or the computer sleeps), <strong>no backup runs</strong>: browsers give web apps no background timer for this.
            The next time you open Cairn, a missed backup starts within a minute. Keep Cairn open, or install it and open it when you start the computer.
          </p>
          <p>A backup on a drive also needs the drive connected and, after the browser restarts, your permission to use its folder again.</p>
        </div>
      </div>
    </section>
  );
}
