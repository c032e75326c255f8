import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { FileVersionInfo } from '../../../worker/protocol';
import { formatBytes, plural } from '../../lib/format';
import { imageType } from '../../lib/line-diff';
import { createBesideRestorer } from './create-beside-restorer';
import { ImagePreview } from './ImagePreview';
import { VersionCompare } from './VersionCompare';
import { formatFullTime, formatPointInTime } from './when';

/**
 * The distinct versions of one file across all points in time, newest first, each with when it
 * first appeared, its size and how many backups hold it. Each can be restored (into a chosen
 * folder, or beside the current file in two clicks), downloaded, previewed (pictures) and two can
 * be compared line by line (text).
 */
export function VersionsPanel(props: {
  path: string;
  versions: readonly FileVersionInfo[] | undefined;
  error?: string | null;
  disabled?: boolean;
  onRestore: (v: FileVersionInfo) => void;
  onDownload: (v: FileVersionInfo) => void;
  onClose: () => void;
}): JSX.Element {
  const newestFirst = () => [...(props.versions ?? [])].reverse();
  const name = () => props.path.slice(props.path.lastIndexOf('/') + 1);
  const beside = createBesideRestorer();
  const [compare, setCompare] = createSignal<string[]>([]);
  const [preview, setPreview] = createSignal<string | null>(null);
  createEffect(on(() => props.path, () => (setCompare([]), setPreview(null), beside.reset()), { defer: true }));

  const toggleCompare = (id: string, on: boolean) => setCompare((c) => (on ? [...c.filter((x) => x !== id), id].slice(-2) : c.filter((x) => x !== id)));
  const pair = () => {
    const chosen = (props.versions ?? []).filter((v) => compare().includes(v.firstSnapshot));
    return chosen.length === 2 ? { older: chosen[0]!, newer: chosen[1]! } : null;
  };
  const isFile = () => props.versions?.[0]?.entry.kind === 'file';

  return (
    <section class="card hr-panel" aria-labelledby="versions-title" data-testid="versions-panel">
      <div class="hr-panel__head">
        <h3 id="versions-title">Versions of {name()}</h3>
        <button type="button" class="button button--quiet" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <p class="muted hr-path">{props.path}</p>
      <Show when={!props.error} fallback={<p role="alert">{props.error}</p>}>
        <Show when={props.versions} fallback={<p aria-live="polite">Looking through every point in time…</p>}>
          <p>
            {plural(props.versions?.length ?? 0, 'different version')} kept.
            <Show when={isFile() && (props.versions?.length ?? 0) > 1}> Tick two versions to compare them.</Show>
          </p>
          <ol class="hr-versions">
            <For each={newestFirst()}>
              {(v, i) => (
                <li class="hr-versions__item" data-testid="version-item">
                  <div class="hr-versions__info">
                    <Show when={v.entry.kind === 'file' && (props.versions?.length ?? 0) > 1}>
                      <label class="check hr-versions__compare">
                        <input type="checkbox" checked={compare().includes(v.firstSnapshot)} onChange={(e) => toggleCompare(v.firstSnapshot, e.currentTarget.checked)} />
                        <span class="visually-hidden">Compare the version from {formatPointInTime(v.firstTime)}</span>
                      </label>
                    </Show>
                    <span class="hr-versions__when" title={formatFullTime(v.firstTime)}>
                      {formatPointInTime(v.firstTime)}
                    </span>
                    <Show when={i() === 0}>
                      <span class="hr-tag">Newest</span>
                    </Show>
                    <span class="muted">
                      {' '}
                      {v.entry.kind === 'file' ? formatBytes(v.entry.size ?? 0) : 'Folder'} · in {plural(v.snapshots.length, 'backup')}
                    </span>
                  </div>
                  <div class="actions">
                    <Show when={v.entry.kind === 'file' && beside.canRestoreBeside(props.path)}>
                      <button type="button" class="button" disabled={props.disabled} onClick={() => beside.ask(props.path, v)}>
                        Restore beside current
                      </button>
                    </Show>
                    <button type="button" class="button button--quiet" disabled={props.disabled} onClick={() => props.onRestore(v)}>
                      Restore this version…
                    </button>
                    <Show when={v.entry.kind === 'file'}>
                      <button type="button" class="button button--quiet" disabled={props.disabled} onClick={() => props.onDownload(v)}>
                        Download
                      </button>
                    </Show>
                    <Show when={v.entry.kind === 'file' && imageType(props.path)}>
                      <button
                        type="button"
                        class="button button--quiet"
                        aria-expanded={preview() === v.firstSnapshot}
                        onClick={() => setPreview((p) => (p === v.firstSnapshot ? null : v.firstSnapshot))}
                      >
                        {preview() === v.firstSnapshot ? 'Hide picture' : 'Show picture'}
                      </button>
                    </Show>
                  </div>
                  <BesideStatus restorer={beside} version={v} path={props.path} />
                  <Show when={preview() === v.firstSnapshot}>
                    <ImagePreview path={props.path} version={v} />
                  </Show>
                </li>
              )}
            </For>
          </ol>
          <Show when={pair()}>{(p) => <VersionCompare path={props.path} older={p().older} newer={p().newer} />}</Show>
        </Show>
      </Show>
    </section>
  );
}

/** The confirmation and outcome of "Restore beside current" for one version. */
function BesideStatus(props: { restorer: ReturnType<typeof createBesideRestorer>; version: FileVersionInfo; path: string }): JSX.Element {
  const s = () => props.restorer.state();
  const mine = () => {
    const st = s();
    return 'version' in st && st.version.firstSnapshot === props.version.firstSnapshot;
  };
  const name = () => props.path.slice(props.path.lastIndexOf('/') + 1);
  return (
    <div aria-live="polite" class="hr-beside">
      <Show when={mine() && s().kind === 'confirm'}>
        <div class="hr-beside__ask">
          <p>
            Put this version of “{name()}” next to the current file in “{(s() as { folder: string }).folder}”? It gets a name of its own; the current file is not changed.
          </p>
          <div class="actions">
            <button type="button" class="button button--primary" onClick={() => void props.restorer.confirm(props.path)}>
              Restore beside it
            </button>
            <button type="button" class="button button--quiet" onClick={() => props.restorer.reset()}>
              Cancel
            </button>
          </div>
        </div>
      </Show>
      <Show when={mine() && s().kind === 'running'}>
        <p>Restoring…</p>
      </Show>
      <Show when={mine() && s().kind === 'done'}>
        <p class="notice notice--success" data-testid="beside-done">
          {(s() as { identical: boolean }).identical
            ? 'The current file is already exactly this version: nothing was written.'
            : `Restored as “${(s() as { writtenAs: string }).writtenAs}” beside the current file.`}
        </p>
      </Show>
      <Show when={mine() && s().kind === 'failed'}>
        <p role="alert">{(s() as { message: string }).message}</p>
      </Show>
    </div>
  );
}
