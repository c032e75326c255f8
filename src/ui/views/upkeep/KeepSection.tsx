import { createEffect, createResource, createSignal, For, Match, on, Show, Switch, type JSX } from 'solid-js';
import type { KeepPolicy, KeepPreview, KeepProgressEvent, KeepResult } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { formatBytes, plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { DEFAULT_KEEP_CHOICE, keepRequest, loadKeepChoice, saveKeepChoice, type KeepChoice } from '../../state/keep-policy';
import { errorText } from '../history/error-text';
import { formatPointInTime } from '../history/when';
import { createUpkeepJob, pruneStepText } from './create-upkeep-job';
import { PruneResult } from './PruneSection';
import { UpkeepProgress } from './UpkeepProgress';

const PRESETS = [
  { id: 'time-machine', label: 'Like Time Machine', hint: 'Every hour for a day, every day for a month, every week after that (about two years).' },
  { id: 'standard', label: 'Standard', hint: 'The last 10, then one a day for two weeks, a week for two months, a month for two years, a year for ten years.' },
  { id: 'minimal', label: 'Minimal', hint: 'The last 5, and one a day for a week.' },
  { id: 'custom', label: 'Choose my own', hint: 'Say how many of each to keep.' },
] as const;

const COUNTS = [
  ['last', 'The last backups'],
  ['hourly', 'Hours (one each)'],
  ['daily', 'Days (one each)'],
  ['weekly', 'Weeks (one each)'],
  ['monthly', 'Months (one each)'],
  ['yearly', 'Years (one each)'],
] as const;

/**
 * "Keep versions": which points in time to keep (a preset or custom counts, everything newer than
 * a number of days, pinned ones always, the last copy of deleted files for a grace period), saved
 * per repository. Nothing is removed before a preview lists the points in time that would go and
 * the file versions that would no longer be restorable, and the user confirms.
 */
export function KeepSection(): JSX.Element {
  const engine = useEngine();
  const [choice, setChoice] = createSignal<KeepChoice>(DEFAULT_KEEP_CHOICE);
  const [loaded] = createResource(() => engine.repo()?.id, async (id) => setChoice(await loadKeepChoice(id)));
  const [preview, setPreview] = createSignal<KeepPreview | null>(null);
  const [previewError, setPreviewError] = createSignal<string | null>(null);
  const [previewing, setPreviewing] = createSignal(false);
  const [understood, setUnderstood] = createSignal(false);
  const job = createUpkeepJob<KeepResult, KeepProgressEvent>();

  const update = (next: KeepChoice) => {
    setChoice(next);
    setPreview(null);
    setUnderstood(false);
    const id = engine.repo()?.id;
    if (id) void saveKeepChoice(id, next).catch(() => undefined);
  };
  const setCount = (k: keyof KeepPolicy, raw: string) => {
    const n = raw.trim() === '' ? undefined : Math.max(0, Math.floor(Number(raw)));
    const custom: Record<string, number | undefined> = { ...choice().custom, [k]: n !== undefined && Number.isFinite(n) ? n : undefined };
    update({ ...choice(), custom: Object.fromEntries(Object.entries(custom).filter(([, v]) => v !== undefined)) as KeepPolicy });
  };
  createEffect(on(() => engine.snapshots(), () => job.state().kind !== 'running' && setPreview(null), { defer: true }));

  const showPreview = async () => {
    const repo = engine.repo();
    if (!repo) return;
    setPreviewing(true);
    setPreviewError(null);
    setUnderstood(false);
    try {
      setPreview(await engine.client.previewKeep(repo.session, keepRequest(choice())));
    } catch (e) {
      setPreview(null);
      setPreviewError(errorText(e));
    } finally {
      setPreviewing(false);
    }
  };
  const apply = async () => {
    const p = preview();
    if (!p) return;
    const result = await job.run((session, onP) => engine.client.applyKeep(session, keepRequest(choice()), p.remove, onP));
    setPreview(null);
    setUnderstood(false);
    if (result) await engine.refreshSnapshots();
  };
  const removed = () => preview()?.decisions.filter((d) => !d.keep) ?? [];

  return (
    <section class="card up-section" aria-labelledby="keep-title" data-testid="keep-section">
      <h3 id="keep-title">Keep versions</h3>
      <p>Choose which points in time to keep. Pinned ones are always kept. Nothing is removed until you have seen what would go and confirmed it.</p>
      <Show when={!loaded.loading}>
        <fieldset class="up-presets">
          <legend>How long to keep versions</legend>
          <For each={PRESETS}>
            {(p) => (
              <label class="choice-row">
                <input type="radio" name="keep-preset" value={p.id} checked={choice().preset === p.id} onChange={() => update({ ...choice(), preset: p.id })} />
                <span>
                  <strong>{p.label}</strong>
                  <span class="muted up-hint">{p.hint}</span>
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <Show when={choice().preset === 'custom'}>
          <fieldset class="up-counts">
            <legend>Keep one version for each of the last…</legend>
            <For each={COUNTS}>
              {([k, label]) => (
                <label class="up-count">
                  <span>{label}</span>
                  <input type="number" min="0" step="1" inputmode="numeric" value={choice().custom[k] ?? ''} onChange={(e) => setCount(k, e.currentTarget.value)} />
                </label>
              )}
            </For>
            <label class="up-count">
              <span>Keep everything newer than (days)</span>
              <input
                type="number"
                min="0"
                step="1"
                value={choice().custom.withinMs !== undefined ? Math.round(choice().custom.withinMs! / 86_400_000) : ''}
                onChange={(e) => {
                  const days = e.currentTarget.value.trim() === '' ? undefined : Math.max(0, Number(e.currentTarget.value));
                  const { withinMs: _drop, ...rest } = choice().custom;
                  update({ ...choice(), custom: days !== undefined && Number.isFinite(days) ? { ...rest, withinMs: days * 86_400_000 } : rest });
                }}
              />
            </label>
          </fieldset>
        </Show>
        <label class="up-count up-grace">
          <span>Keep the last copy of a deleted file for (days)</span>
          <input
            type="number"
            min="0"
            step="1"
            value={choice().graceDays}
            onChange={(e) => update({ ...choice(), graceDays: Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)) })}
          />
        </label>
        <p class="muted fine">Your choice is saved for this backup location.</p>
        <div class="actions">
          <button type="button" class="button" disabled={previewing() || engine.busy()} onClick={() => void showPreview()}>
            Preview what would be removed
          </button>
        </div>
      </Show>
      <div aria-live="polite">
        <Show when={previewing()}>
          <p>Working out what would be removed…</p>
        </Show>
        <Show when={previewError()}>{(m) => <p role="alert">{m()}</p>}</Show>
        <Show when={preview()}>{(p) => <KeepPreviewList preview={p()} removed={removed()} />}</Show>
        <Show when={preview() && removed().length > 0}>
          <div class="up-confirm">
            <label class="check">
              <input type="checkbox" checked={understood()} onChange={(e) => setUnderstood(e.currentTarget.checked)} />
              <span>I understand that the versions listed above can no longer be restored afterwards.</span>
            </label>
            <div class="actions">
              <button type="button" class="button button--danger" disabled={!understood() || engine.busy()} onClick={() => void apply()}>
                Remove {plural(removed().length, 'point in time', 'points in time')} and free up space
              </button>
            </div>
          </div>
        </Show>
        <Switch>
          <Match when={job.state().kind === 'running' && job.state()}>
            {(r) => {
              const p = () => (r() as { progress: KeepProgressEvent | null }).progress;
              return <UpkeepProgress label="Removing versions" done={p()?.done ?? 0} total={p()?.total ?? 1} text={pruneStepText(p())} />;
            }}
          </Match>
          <Match when={job.state().kind === 'done' && job.state()}>
            {(d) => {
              const r = () => (d() as { result: KeepResult }).result;
              return (
                <div data-testid="keep-done">
                  <p>Removed {plural(r().removed.length, 'point in time', 'points in time')}.</p>
                  <PruneResult info={r().prune} />
                </div>
              );
            }}
          </Match>
          <Match when={job.state().kind === 'failed' && job.state()}>{(f) => <p role="alert">{(f() as { message: string }).message}</p>}</Match>
        </Switch>
      </div>
    </section>
  );
}

/** The preview: the points in time that would go, and the file versions lost with them. */
function KeepPreviewList(props: { preview: KeepPreview; removed: KeepPreview['decisions'] }): JSX.Element {
  return (
    <div class="up-preview" data-testid="keep-preview">
      <Show
        when={props.removed.length > 0}
        fallback={
          <Notice tone="success" testId="keep-nothing">
            <p>Nothing would be removed: every point in time is kept by these rules.</p>
          </Notice>
        }
      >
        <h4>
          {plural(props.removed.length, 'point in time', 'points in time')} would be removed, {plural(props.preview.decisions.length - props.removed.length, 'is', 'are')} kept
        </h4>
        <ul class="up-list" aria-label="Points in time that would be removed">
          <For each={props.removed}>
            {(d) => (
              <li data-testid="remove-item" data-id={d.snapshot.id}>
                {formatPointInTime(d.snapshot.time)} <span class="muted">({d.snapshot.paths.join(', ')})</span>
              </li>
            )}
          </For>
        </ul>
        <Show
          when={props.preview.lostTotal > 0}
          fallback={<p data-testid="lost-none">No version of any file would be lost: every one of them is also in a point in time that is kept.</p>}
        >
          <h4>{plural(props.preview.lostTotal, 'file version')} would no longer be restorable</h4>
          <table class="up-table" data-testid="lost-table">
            <caption class="visually-hidden">File versions that would no longer be restorable</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Version from</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.preview.lostVersions}>
                {(l) => (
                  <tr data-testid="lost-item">
                    <td class="up-path">{l.path}</td>
                    <td>{formatPointInTime(l.time)}</td>
                    <td>{formatBytes(l.size)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={props.preview.lostTotal > props.preview.lostVersions.length}>
            <p class="muted">The first {props.preview.lostVersions.length.toLocaleString('en')} are listed.</p>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
