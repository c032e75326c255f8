import { For, Show, type JSX } from 'solid-js';
import { formatWhen } from '../../lib/format';
import { nextRun, rpoStatus } from '../../state/schedule-logic';
import { useSchedule } from '../../state/schedule-context';
import { useSources } from '../../state/sources-context';
import { age, scheduleWords } from './health-words';

const ICON = { green: '✓', amber: '!', red: '✕' } as const;

/** Per source folder: its newest backup's age against the recovery point objective, and its schedule. */
export function SourceHealthList(): JSX.Element {
  const sources = useSources();
  const schedule = useSchedule();
  return (
    <Show when={sources.state.folders.length > 0} fallback={<p class="muted">No folders to back up yet: add one on the “Back up” tab.</p>}>
      <ul class="health-list" aria-label="Folders and how safe they are">
        <For each={sources.state.folders}>
          {(f) => {
            const s = () => schedule.scheduleOf(f.name);
            const runs = () => schedule.runsOf(f.name);
            const status = () => rpoStatus(s().rpoHours, runs().lastCompleted, schedule.now());
            return (
              <li class={`health-item health-item--${status().level}`} data-testid="source-health" data-level={status().level}>
                <span class="health-item__icon" aria-hidden="true">{ICON[status().level]}</span>
                <div class="health-item__body">
                  <p class="health-item__title">
                    <strong>{f.name}</strong> — <span data-testid="source-health-words">{status().words}</span>
                  </p>
                  <p class="muted">
                    <Show when={runs().lastCompleted} fallback="Never backed up.">
                      {(t) => {
                        const when = () => formatWhen(new Date(t()).toISOString(), schedule.now());
                        return <>Last backup {when()}{when() === 'just now' || when().endsWith(' ago') ? '' : ` (${age(schedule.now() - t())} ago)`}.</>;
                      }}
                    </Show>{' '}
                    You accept losing at most {s().rpoHours} hours of work.
                  </p>
                  <p class="fine" data-testid="source-schedule">{scheduleWords(s(), nextRun(s(), runs()), schedule.now())}</p>
                  <Show when={runs().lastAttemptFailed}>
                    <p class="fine health-item__warn">The last scheduled try failed; Cairn tries again soon.</p>
                  </Show>
                </div>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
