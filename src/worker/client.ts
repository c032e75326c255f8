/**
 * The UI's way to the engine: creates the engine worker and returns a typed client for it.
 * Together with protocol.ts, the only worker-layer module the UI may import. Everything heavy
 * (chunking, hashing, compression, crypto, storage) happens in the worker; this module only
 * forwards plain data and handles, and imports the worker API as a type (nothing of the engine
 * reaches the page's bundle).
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi } from './engine-api';
import type {
  BackupProgressEvent,
  BackupReport,
  BackupRequest,
  BackupSourceSpec,
  CheckProgressEvent,
  CheckReportInfo,
  CheckRequest,
  CreateOptions,
  DownloadFormat,
  DownloadProgressEvent,
  DownloadResult,
  DroppedItem,
  EngineErrorCode,
  EngineErrorData,
  ExcludePreview,
  FileVersionInfo,
  FolderEntry,
  JobInfo,
  KeyInfoData,
  RecoveryKeyData,
  RepositoryHealthInfo,
  DrillProgressEvent,
  DrillStatus,
  FileBytes,
  KeepPreview,
  KeepProgressEvent,
  KeepRequest,
  KeepResult,
  PruneInfo,
  PruneProgressEvent,
  RepairInfo,
  RepairProgressEvent,
  ScrubProgressEvent,
  ScrubRunInfo,
  ScrubStatus,
  SnapshotDiffInfo,
  LocateProgressEvent,
  LocateResult,
  NameSearchResult,
  OpenRepository,
  Outcome,
  ProbeResult,
  RepositoryTarget,
  RestoreProgressEvent,
  RestoreReportInfo,
  RestoreRequest,
  SnapshotInfo,
  StorageUsage,
} from './protocol';

/** A failed engine call: the engine's error code and message, as thrown by every client method. */
export class EngineError extends Error implements EngineErrorData {
  readonly code: EngineErrorCode;
  constructor(data: EngineErrorData) {
    super(data.message);
    this.name = 'EngineError';
    this.code = data.code;
  }
}

/** True when `e` is an EngineError (with the given code). */
export function isEngineError(e: unknown, code?: EngineErrorCode): e is EngineError {
  return e instanceof EngineError && (code === undefined || e.code === code);
}

/**
 * A running backup, restore or check. `result` settles when the job ends (an EngineError
 * 'aborted' after a successful cancel); every progress event has been delivered by then.
 */
export interface Job<T> {
  readonly id: string;
  readonly result: Promise<T>;
  /** Requests cancellation; false when the job had already ended. */
  cancel(): Promise<boolean>;
}

/**
 * The engine as the UI sees it. Every method rejects with an EngineError; after `terminate()`
 * (or a fatal worker error) every call fails with code 'internal'.
 */
export interface EngineClient {
  version(): Promise<{ engine: string; format: number }>;
  listBrowserRepositories(): Promise<string[]>;
  probe(target: RepositoryTarget): Promise<ProbeResult>;
  create(target: RepositoryTarget, options: CreateOptions): Promise<OpenRepository>;
  unlock(target: RepositoryTarget, passphrase: string | null): Promise<OpenRepository>;
  lock(session: string): Promise<void>;
  listSnapshots(session: string): Promise<SnapshotInfo[]>;
  listFolder(session: string, snapshotId: string, path: string): Promise<FolderEntry[]>;
  findVersions(session: string, path: string): Promise<FileVersionInfo[]>;
  backup(
    session: string,
    sources: readonly BackupSourceSpec[],
    request?: BackupRequest,
    onProgress?: (p: BackupProgressEvent) => void,
  ): Job<BackupReport>;
  restore(
    session: string,
    snapshotId: string,
    paths: readonly string[],
    target: FileSystemDirectoryHandle,
    request?: RestoreRequest,
    onProgress?: (p: RestoreProgressEvent) => void,
  ): Job<RestoreReportInfo>;
  check(session: string, request?: CheckRequest, onProgress?: (p: CheckProgressEvent) => void): Job<CheckReportInfo>;
  cancel(jobId: string): Promise<boolean>;
  /** Files and folders of a version whose names contain `query` (ignoring case and accents). */
  searchNames(session: string, snapshotId: string, query: string, limit?: number): Promise<NameSearchResult>;
  /**
   * Downloads one file ('file') or a .zip of the paths ('zip'; everything when empty). The worker
   * streams pieces; the page gathers them into a Blob (which the browser may keep on disk), so
   * neither side holds the whole selection in its own memory.
   */
  download(
    session: string,
    snapshotId: string,
    paths: readonly string[],
    format: DownloadFormat,
    onProgress?: (p: DownloadProgressEvent) => void,
  ): Job<DownloadResult>;
  /** Finds a dropped file or folder across every version, by name and by content. */
  locate(session: string, item: DroppedItem, onProgress?: (p: LocateProgressEvent) => void): Job<LocateResult>;
  /** What a backup of one folder with these exclude patterns would leave out; reads no file contents. */
  previewExcludes(source: BackupSourceSpec, patterns: readonly string[]): Promise<ExcludePreview>;
  jobs(): Promise<JobInfo[]>;
  storageUsage(): Promise<StorageUsage>;
  /** The repository's key files, oldest first (keys-methods.ts). */
  listKeys(session: string): Promise<KeyInfoData[]>;
  /** Needs the current passphrase; 'wrong-passphrase' when it is not right. Interruption-safe. */
  changePassphrase(session: string, current: string, next: string): Promise<void>;
  /** A new recovery key: its words are returned once and kept nowhere. */
  addRecoveryKey(session: string): Promise<RecoveryKeyData>;
  /** Refuses the key in use and the last working one. */
  removeKey(session: string, name: string): Promise<void>;
  /** Keeps the session's non-extractable key handles on this device (never the passphrase). */
  rememberDevice(session: string): Promise<void>;
  forgetDevice(repositoryId: string): Promise<void>;
  isRemembered(repositoryId: string): Promise<boolean>;
  /** Opens a repository with the keys this device remembers ('not-found' when none). */
  unlockRemembered(target: RepositoryTarget): Promise<OpenRepository>;
  /** Stored size and identity of an open repository (health-methods.ts). */
  repositoryHealth(session: string): Promise<RepositoryHealthInfo>;
  // History and upkeep (upkeep-methods.ts). Jobs: applyKeep, prune, repair, scrub, drill.
  /**
   * The last restore drill on this device and whether one is due or overdue (for the home
   * screen: "last proven restore"; warn when `last.ok` is false or `overdue`).
   */
  lastDrill(session: string): Promise<DrillStatus>;
  /** Share of stored data verified within the scrub period, last full pass, damage found. */
  scrubStatus(session: string): Promise<ScrubStatus>;
  /** A version's bytes for comparing or previewing; `bytes: null` above `maxBytes` (≤ 16 MiB). */
  readFile(session: string, snapshotId: string, path: string, maxBytes: number): Promise<FileBytes>;
  /** Added, removed and changed between two points in time, for everything ('') or a folder. */
  diffSnapshots(session: string, fromId: string, toId: string, path?: string): Promise<SnapshotDiffInfo>;
  /** Pins (always kept) or unpins a point in time; returns it under its new id. */
  setPinned(session: string, snapshotId: string, pinned: boolean): Promise<SnapshotInfo>;
  /** What a keep policy would remove, and the file versions lost with it. Removes nothing. */
  previewKeep(session: string, request: KeepRequest): Promise<KeepPreview>;
  /** Removes exactly the previewed snapshots (`preview.remove`), then prunes. */
  applyKeep(session: string, request: KeepRequest, confirmed: readonly string[], onProgress?: (p: KeepProgressEvent) => void): Job<KeepResult>;
  prune(session: string, onProgress?: (p: PruneProgressEvent) => void): Job<PruneInfo>;
  repair(session: string, onProgress?: (p: RepairProgressEvent) => void): Job<RepairInfo>;
  /** Verifies one slice of the stored data and remembers where it stopped. */
  scrub(session: string, onProgress?: (p: ScrubProgressEvent) => void): Job<ScrubRunInfo>;
  /** Runs a restore drill now and records it; resolves with the status after it. */
  drill(session: string, onProgress?: (p: DrillProgressEvent) => void): Job<DrillStatus>;
  /**
   * Asks the browser not to evict this origin's storage; true when granted. Runs in the page:
   * `navigator.storage.persist()` exists only in windows, not in workers.
   */
  requestPersistence(): Promise<boolean>;
  /** Stops the worker at once: running jobs die with it (their data stays unreferenced). */
  terminate(): void;
}

/** Starts a new engine worker. Each client has its own worker, sessions and jobs. */
export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'cairn-engine' });
  return engineClient(wrap<EngineApi>(worker), worker);
}

/**
 * A client over an already wrapped API; `worker` is terminated by `terminate()` and watched for
 * fatal errors. Exported for tests that run the API elsewhere than in a Worker.
 */
export function engineClient(remote: Remote<EngineApi>, worker?: Worker): EngineClient {
  let dead: EngineErrorData | undefined;
  const pending = new Set<(e: EngineErrorData) => void>();
  const die = (error: EngineErrorData): void => {
    if (dead) return;
    dead = error;
    worker?.terminate();
    for (const reject of pending) reject(error);
    pending.clear();
  };
  worker?.addEventListener('error', (event) => {
    event.preventDefault();
    die({ code: 'internal', message: `the engine worker failed: ${event.message || 'it could not be started'}` });
  });

  /** Unwraps an outcome; rejects at once when the worker is (or becomes) unusable. */
  const call = <T>(invoke: () => Promise<Outcome<T>>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const fail = (e: EngineErrorData) => reject(new EngineError(e));
      if (dead) return fail(dead);
      pending.add(fail);
      invoke().then(
        (outcome) => (outcome.ok ? resolve(outcome.value) : fail(outcome.error)),
        (e: unknown) => fail({ code: 'internal', message: `the engine worker could not be reached: ${String(e)}` }),
      ).finally(() => pending.delete(fail));
    });

  const job = <T, P>(
    onProgress: ((p: P) => void) | undefined,
    start: (id: string, sink: ((p: P) => void) | undefined) => Promise<Outcome<T>>,
  ): Job<T> => {
    const id = crypto.randomUUID();
    return {
      id,
      result: call(() => start(id, onProgress ? proxy(onProgress) : undefined)),
      cancel: () => call(() => remote.cancel(id)),
    };
  };

  return {
    version: () => call(() => remote.version()),
    listBrowserRepositories: () => call(() => remote.listBrowserRepositories()),
    probe: (target) => call(() => remote.probe(target)),
    create: (target, options) => call(() => remote.create(target, options)),
    unlock: (target, passphrase) => call(() => remote.unlock(target, passphrase)),
    lock: (session) => call(() => remote.lock(session)),
    listSnapshots: (session) => call(() => remote.listSnapshots(session)),
    listFolder: (session, snapshotId, path) => call(() => remote.listFolder(session, snapshotId, path)),
    findVersions: (session, path) => call(() => remote.findVersions(session, path)),
    backup: (session, sources, request = {}, onProgress) =>
      job(onProgress, (id, sink) => remote.backup(id, session, sources, request, sink)),
    restore: (session, snapshotId, paths, target, request = {}, onProgress) =>
      job(onProgress, (id, sink) => remote.restore(id, session, snapshotId, paths, target, request, sink)),
    check: (session, request = {}, onProgress) => job(onProgress, (id, sink) => remote.check(id, session, request, sink)),
    cancel: (jobId) => call(() => remote.cancel(jobId)),
    searchNames: (session, snapshotId, query, limit) => call(() => remote.searchNames(session, snapshotId, query, limit)),
    download: (session, snapshotId, paths, format, onProgress) => {
      const parts: Blob[] = [];
      const sink = proxy((piece: Uint8Array) => void parts.push(new Blob([piece as Uint8Array<ArrayBuffer>])));
      const type = format === 'zip' ? 'application/zip' : 'application/octet-stream';
      const started = job(onProgress, (id, progress) => remote.download(id, session, snapshotId, paths, format, sink, progress));
      return { ...started, result: started.result.then((r) => ({ ...r, blob: new Blob(parts, { type }) })) };
    },
    locate: (session, item, onProgress) => job(onProgress, (id, sink) => remote.locate(id, session, item, sink)),
    previewExcludes: (source, patterns) => call(() => remote.previewExcludes(source, patterns)),
    jobs: () => call(() => remote.jobs()),
    storageUsage: () => call(() => remote.storageUsage()),
    listKeys: (session) => call(() => remote.listKeys(session)),
    changePassphrase: (session, current, next) => call(() => remote.changePassphrase(session, current, next)),
    addRecoveryKey: (session) => call(() => remote.addRecoveryKey(session)),
    removeKey: (session, name) => call(() => remote.removeKey(session, name)),
    rememberDevice: (session) => call(() => remote.rememberDevice(session)),
    forgetDevice: (repositoryId) => call(() => remote.forgetDevice(repositoryId)),
    isRemembered: (repositoryId) => call(() => remote.isRemembered(repositoryId)),
    unlockRemembered: (target) => call(() => remote.unlockRemembered(target)),
    repositoryHealth: (session) => call(() => remote.repositoryHealth(session)),
    lastDrill: (session) => call(() => remote.lastDrill(session)),
    scrubStatus: (session) => call(() => remote.scrubStatus(session)),
    readFile: (session, snapshotId, path, maxBytes) => call(() => remote.readFile(session, snapshotId, path, maxBytes)),
    diffSnapshots: (session, fromId, toId, path = '') => call(() => remote.diffSnapshots(session, fromId, toId, path)),
    setPinned: (session, snapshotId, pinned) => call(() => remote.setPinned(session, snapshotId, pinned)),
    previewKeep: (session, request) => call(() => remote.previewKeep(session, request)),
    applyKeep: (session, request, confirmed, onProgress) => job(onProgress, (id, sink) => remote.applyKeep(id, session, request, confirmed, sink)),
    prune: (session, onProgress) => job(onProgress, (id, sink) => remote.prune(id, session, sink)),
    repair: (session, onProgress) => job(onProgress, (id, sink) => remote.repair(id, session, sink)),
    scrub: (session, onProgress) => job(onProgress, (id, sink) => remote.scrub(id, session, sink)),
    drill: (session, onProgress) => job(onProgress, (id, sink) => remote.drill(id, session, sink)),
    requestPersistence: async () => {
      const storage = navigator.storage;
      if (await storage.persisted()) return true;
      return storage.persist();
    },
    terminate: () => die({ code: 'internal', message: 'the engine worker was stopped' }),
  };
}
