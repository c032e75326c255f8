import { createContext, createSignal, useContext, type Accessor, type JSX } from 'solid-js';
import { isEngineError } from '../../worker/client';
import type { BackupProgressEvent, BackupReport } from '../../worker/protocol';
import { ensureAccess } from '../lib/folder-access';
import { useEngine } from './engine-context';
import { deleteSetting, getSetting, setSetting } from './settings-store';
import { useSources } from './sources-context';

export type BackupStatus = 'idle' | 'preparing' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

/** How a finished (or stopped) backup went, for the summary. */
export interface BackupOutcome {
  readonly status: 'done' | 'cancelled' | 'failed';
  readonly report?: BackupReport;
  /** Plain-language reason when it failed. */
  readonly error?: string;
  /** The previous backup was stopped before it finished (tab closed); its saved data was reused. */
  readonly resumedAfterInterruption: boolean;
  /** The last progress seen (bytes already stored = bytesDone − newBytes). */
  readonly last?: BackupProgressEvent;
  readonly durationMs: number;
}

/** A measurement for throughput and time left: bytes done at a moment. */
interface Sample {
  readonly t: number;
  readonly bytes: number;
}

/**
 * The backup domain: runs "Back up now" for the open repository and the chosen folders, and
 * keeps its progress while the user moves between tabs.
 *
 * - `start()` must be called from a click: it asks again for read access to folders that lost it.
 *   It sets the engine's `busy` for the whole job and refreshes the version list at the end.
 * - `progress()` is the latest event; `rate()` bytes per second over the last seconds (null
 *   until known); `remainingMs()` null while "estimating…".
 * - A marker in the settings store notes a running backup; when the tab closes mid-backup, the
 *   next outcome says so (`resumedAfterInterruption`).
 */
export interface BackupContextValue {
  readonly status: Accessor<BackupStatus>;
  readonly progress: Accessor<BackupProgressEvent | null>;
  readonly rate: Accessor<number | null>;
  readonly remainingMs: Accessor<number | null>;
  readonly outcome: Accessor<BackupOutcome | null>;
  /**
   * `only`: back up just these source folders (by name), as the scheduler does; it calls start
   * without a click, so folders that lost read access make the backup fail instead of asking.
   */
  start(options?: { readonly only?: readonly string[] }): Promise<void>;
  cancel(): Promise<void>;
  /** Clears the last outcome (back to idle). */
  dismiss(): void;
}

const BackupContext = createContext<BackupContextValue>();
const RUNNING_KEY = 'backup-running';
const WINDOW_MS = 5_000;
const MIN_ESTIMATE_MS = 1_500;

/** Turns an engine failure into words for the summary. */
function explain(e: unknown): string {
  if (isEngineError(e, 'permission')) return 'Cairn was not allowed to read one of your folders. Choose “Back up now” again and allow access.';
  if (isEngineError(e, 'disconnected')) return 'The drive or folder was disconnected. Connect it again, then back up again.';
  if (isEngineError(e, 'storage-full')) return `There is no space left for the backup. ${e instanceof Error ? e.message : ''}`;
  if (isEngineError(e, 'locked')) return 'Another backup or restore is already running for these backups. Wait for it to finish.';
  return `The backup stopped: ${e instanceof Error ? e.message : String(e)}`;
}

export function BackupProvider(props: { children: JSX.Element }): JSX.Element {
  const engine = useEngine();
  const sources = useSources();
  const [status, setStatus] = createSignal<BackupStatus>('idle');
  const [progress, setProgress] = createSignal<BackupProgressEvent | null>(null);
  const [rate, setRate] = createSignal<number | null>(null);
  const [remainingMs, setRemaining] = createSignal<number | null>(null);
  const [outcome, setOutcome] = createSignal<BackupOutcome | null>(null);
  let cancelJob: (() => Promise<boolean>) | undefined;
  let samples: Sample[] = [];
  let backingUpSince = 0;

  const onProgress = (p: BackupProgressEvent): void => {
    setProgress(p);
    const now = performance.now();
    if (p.phase !== 'backing-up') {
      samples = [];
      setRate(null);
      setRemaining(null);
      return;
    }
    if (!backingUpSince) backingUpSince = now;
    samples.push({ t: now, bytes: p.bytesDone });
    samples = samples.filter((s) => now - s.t <= WINDOW_MS);
    const first = samples[0];
    if (!first || now - first.t < 500 || now - backingUpSince < MIN_ESTIMATE_MS) return;
    const r = ((p.bytesDone - first.bytes) * 1000) / (now - first.t);
    setRate(r > 0 ? r : null);
    setRemaining(r > 0 ? ((p.bytesTotal - p.bytesDone) * 1000) / r : null);
  };

  const start = async (options: { readonly only?: readonly string[] } = {}): Promise<void> => {
    const repo = engine.repo();
    if (!repo || engine.busy()) return;
    const folders = sources.state.folders.filter((f) => !options.only || options.only.includes(f.name));
    if (folders.length === 0) return;
    setStatus('preparing');
    setOutcome(null);
    setProgress(null);
    setRate(null);
    setRemaining(null);
    samples = [];
    backingUpSince = 0;
    engine.setBusy(true);
    const started = performance.now();
    let resumed = false;
    try {
      // Asking for access must happen while the click still counts as a user gesture.
      for (const f of folders) {
        if (!(await ensureAccess(f.handle, 'read'))) {
          throw new Error(`Cairn needs your permission to read the folder “${f.name}”. Choose “Back up now” again and allow it.`);
        }
      }
      resumed = (await getSetting<unknown>(RUNNING_KEY).catch(() => undefined)) !== undefined;
      await setSetting(RUNNING_KEY, { repository: repo.id, started: new Date().toISOString() }).catch(() => undefined);
      const job = engine.client.backup(
        repo.session,
        folders.map((f) => ({ name: f.name, handle: f.handle })),
        { exclude: sources.patterns() },
        onProgress,
      );
      cancelJob = job.cancel;
      setStatus('running');
      const report = await job.result;
      const last = progress();
      setOutcome({ status: 'done', report, resumedAfterInterruption: resumed, ...(last ? { last } : {}), durationMs: performance.now() - started });
      setStatus('done');
    } catch (e) {
      const cancelled = isEngineError(e, 'aborted');
      setOutcome({
        status: cancelled ? 'cancelled' : 'failed',
        ...(cancelled ? {} : { error: e instanceof Error && !isEngineError(e) ? e.message : explain(e) }),
        resumedAfterInterruption: resumed,
        ...(progress() ? { last: progress() as BackupProgressEvent } : {}),
        durationMs: performance.now() - started,
      });
      setStatus(cancelled ? 'cancelled' : 'failed');
    } finally {
      cancelJob = undefined;
      await deleteSetting(RUNNING_KEY).catch(() => undefined);
      engine.setBusy(false);
      await engine.refreshSnapshots();
    }
  };

  const value: BackupContextValue = {
    status,
    progress,
    rate,
    remainingMs,
    outcome,
    start,
    async cancel() {
      if (!cancelJob) return;
      setStatus('cancelling');
      await cancelJob().catch(() => false);
    },
    dismiss() {
      if (status() === 'running' || status() === 'preparing' || status() === 'cancelling') return;
      setOutcome(null);
      setStatus('idle');
    },
  };
  return <BackupContext.Provider value={value}>{props.children}</BackupContext.Provider>;
}

/** The backup context; throws outside a BackupProvider. */
export function useBackup(): BackupContextValue {
  const value = useContext(BackupContext);
  if (!value) throw new Error('useBackup() must be used inside <BackupProvider>');
  return value;
}
