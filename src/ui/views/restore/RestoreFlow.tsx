import { createSignal, createUniqueId, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type { Job } from '../../../worker/client';
import type { ConflictMode, RestoreProgressEvent, RestoreReportInfo, SnapshotInfo } from '../../../worker/protocol';
import { ensureAccess, pickFolder } from '../../lib/folder-access';
import { formatBytes, plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { errorText, wasCancelled } from '../history/error-text';
import { formatPointInTime } from '../history/when';
import { DecisionSummary } from './DecisionSummary';
import { ModeChoice } from './ModeChoice';
import { RestoreProgress } from './RestoreProgress';
import './restore.css';

type Step =
  | { readonly kind: 'setup' }
  | { readonly kind: 'previewing' }
  | { readonly kind: 'preview'; readonly report: RestoreReportInfo }
  | { readonly kind: 'running' }
  | { readonly kind: 'done'; readonly report: RestoreReportInfo; readonly verified: boolean }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Restoring a selection of one point in time into a folder the user picks: choose the folder and
 * what happens when a file of the same name is there, see a preview (a dry run: nothing written),
 * then restore with progress and a cancel button, and read the report of every decision.
 *
 * Guarantees to the user, from the engine: by default nothing in the folder is overwritten or
 * deleted; "replace" renames the current file first and is only used when chosen explicitly.
 * `paths` empty means everything in that point in time. `beside`: the one item goes straight
 * into the chosen folder, without the folders above it (restoring next to a current file).
 */
export function RestoreFlow(props: {
  snapshot: SnapshotInfo;
  paths: readonly string[];
  /** What is being restored, in words: "3 items", "report.pdf". */
  what: string;
  beside?: boolean;
  /** `finished`: a restore ran to its end (its report is shown). */
  onClose: (finished: boolean) => void;
}): JSX.Element {
  const engine = useEngine();
  const titleId = `restore-flow-title-${createUniqueId()}`;
  const [folder, setFolder] = createSignal<FileSystemDirectoryHandle | null>(null);
  const [mode, setMode] = createSignal<ConflictMode>('keep-both');
  const [verify, setVerify] = createSignal(true);
  const [step, setStep] = createSignal<Step>({ kind: 'setup' });
  const [progress, setProgress] = createSignal<RestoreProgressEvent | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  let running: Job<RestoreReportInfo> | null = null;
  let headingRef: HTMLHeadingElement | undefined;
  onCleanup(() => void running?.cancel().catch(() => undefined));

  const choose = async () => {
    setProblem(null);
    try {
      const picked = await pickFolder('readwrite', 'cairn-restore');
      if (!picked) return;
      if (!(await ensureAccess(picked, 'readwrite'))) {
        setProblem(`Cairn was not allowed to write into “${picked.name}”. Choose the folder again and allow changes.`);
        return;
      }
      setFolder(picked);
      setStep({ kind: 'setup' });
    } catch (e) {
      setProblem(errorText(e));
    }
  };

  const start = async (dryRun: boolean) => {
    const target = folder();
    const repo = engine.repo();
    if (!target || !repo) return;
    setProgress(null);
    setStep(dryRun ? { kind: 'previewing' } : { kind: 'running' });
    engine.setBusy(true);
    const request = { mode: mode(), dryRun, verify: !dryRun && verify(), ...(props.beside ? { withoutParentFolders: true } : {}) };
    running = engine.client.restore(repo.session, props.snapshot.id, props.paths, target, request, (p) => setProgress(p));
    try {
      const report = await running.result;
      setStep(dryRun ? { kind: 'preview', report } : { kind: 'done', report, verified: request.verify });
    } catch (e) {
      setStep(wasCancelled(e) ? { kind: 'cancelled' } : { kind: 'failed', message: errorText(e) });
    } finally {
      running = null;
      engine.setBusy(false);
      headingRef?.focus();
    }
  };

  const cancel = () => void running?.cancel().catch(() => undefined);
  const when = () => formatPointInTime(props.snapshot.time);
  const working = () => step().kind === 'previewing' || step().kind === 'running';

  return (
    <section class="rs-flow card hr-panel" aria-labelledby={titleId} data-testid="restore-flow">
      <div class="hr-panel__head">
        <h3 id={titleId} tabindex="-1" ref={headingRef}>
          Restore {props.what} from {when()}
        </h3>
        <button type="button" class="button button--quiet" disabled={working()} onClick={() => props.onClose(step().kind === 'done')}>
          {step().kind === 'done' ? 'Close' : 'Back'}
        </button>
      </div>

      <Show when={step().kind === 'setup' || step().kind === 'preview'}>
        <div class="rs-field">
          <p class="rs-label">Restore into</p>
          <div class="rs-folder">
            <span data-testid="restore-folder">{folder() ? `“${folder()!.name}”` : 'No folder chosen yet'}</span>
            <button type="button" class="button" onClick={() => void choose()}>
              {folder() ? 'Choose another folder…' : 'Choose folder…'}
            </button>
          </div>
          <p class="muted">
            {props.beside ? 'The file goes straight into this folder.' : 'Files keep their folders from the backup inside this folder.'}
          </p>
        </div>
        <ModeChoice mode={mode()} onChange={(m) => (setMode(m), setStep({ kind: 'setup' }))} />
        <label class="rs-check">
          <input type="checkbox" checked={verify()} onChange={(e) => setVerify(e.currentTarget.checked)} />
          Check every restored file by reading it back
        </label>
      </Show>

      <Show when={problem()}>
        <p role="alert" class="rs-error">{problem()}</p>
      </Show>

      <Switch>
        <Match when={step().kind === 'setup'}>
          <div class="actions">
            <button type="button" class="button button--primary" disabled={!folder()} onClick={() => void start(true)}>
              Preview restore
            </button>
          </div>
          <p class="muted">The preview shows what will happen to every file. Nothing is written until you confirm.</p>
        </Match>
        <Match when={working()}>
          <RestoreProgress
            progress={progress()}
            label={step().kind === 'previewing' ? 'Preparing the preview' : 'Restoring'}
            onCancel={cancel}
          />
        </Match>
        <Match when={step().kind === 'preview' && (step() as Extract<Step, { kind: 'preview' }>)}>
          {(s) => (
            <div aria-live="polite">
              <h4>Preview: what will happen in “{folder()?.name}”</h4>
              <DecisionSummary report={s().report} preview testId="restore-preview" />
              <div class="actions">
                <button type="button" class="button button--primary" onClick={() => void start(false)}>
                  Restore {plural(fileCount(s().report), 'file')}
                </button>
              </div>
            </div>
          )}
        </Match>
        <Match when={step().kind === 'done' && (step() as Extract<Step, { kind: 'done' }>)}>
          {(s) => (
            <div data-testid="restore-report">
              <p class="rs-outcome" role="status">
                {outcomeText(s().report)} {s().verified && s().report.counts.failed === 0 ? 'Every restored file was read back and checked.' : ''}
              </p>
              <DecisionSummary report={s().report} preview={false} testId="restore-decisions" />
            </div>
          )}
        </Match>
        <Match when={step().kind === 'cancelled'}>
          <p role="status" data-testid="restore-cancelled">
            Restore cancelled. Files restored before you cancelled are in place and complete; nothing that was already in the folder was changed.
          </p>
          <div class="actions">
            <button type="button" class="button" onClick={() => setStep({ kind: 'setup' })}>
              Start again
            </button>
          </div>
        </Match>
        <Match when={step().kind === 'failed' && (step() as Extract<Step, { kind: 'failed' }>)}>
          {(s) => (
            <>
              <p role="alert" class="rs-error">
                The restore stopped: {s().message}
              </p>
              <div class="actions">
                <button type="button" class="button" onClick={() => setStep({ kind: 'setup' })}>
                  Try again
                </button>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function fileCount(r: RestoreReportInfo): number {
  return r.counts.restored + r.counts['kept-both'] + r.counts.replaced;
}

function outcomeText(r: RestoreReportInfo): string {
  const c = r.counts;
  const written = c.restored + c['kept-both'] + c.replaced;
  const base = `Restore finished: ${plural(written, 'file')} written (${formatBytes(r.bytesWritten)}).`;
  return c.failed > 0 ? `${base} ${plural(c.failed, 'file')} could not be restored: see below.` : base;
}
