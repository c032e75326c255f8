import { releaseProxy, transfer } from 'comlink';
import { CairnError } from '../core/errors';
import { validateChunkerParams } from '../core/format/chunker';
import { backup, check, findVersions, listFolder, passphraseFromInput, restore, type Host } from '../core/index';
import { compileExcludes } from '../core/operations/exclude';
import { Repository, type InitOptions } from '../core/repository/repository';
import { ENGINE_VERSION, FORMAT_VERSION } from '../core/version';
import { fsaSource } from '../platform/fsa-source';
import { fsaTarget } from '../platform/fsa-target';
import { webHost } from '../platform/webcrypto-host';
import { requirePermission } from './handle-permission';
import { previewExcludes } from './exclude-preview';
import { besideTarget } from './beside-target';
import { locateDroppedItem } from './dropped-item-locator';
import { exportFile, exportZip } from './file-export';
import { searchNames } from './name-search';
import { JobRegistry } from './job-registry';
import { HealthMethods } from './health-methods';
import { KeysMethods } from './keys-methods';
import { OpenRepositories, type RepositorySession } from './open-repositories';
import { settle } from './outcome';
import { checkReportInfo, fileVersionInfo, folderEntry, restoreReportInfo, snapshotInfo } from './plain-data';
import { DEFAULT_PROGRESS_INTERVAL_MS, throttleProgress } from './progress-throttle';
import { tabLockModeFor, withTabLock } from './tab-locks';
import { UpkeepMethods } from './upkeep-methods';
import { opfsScratch } from './opfs-scratch';
import { settingsDatabaseRecords } from './upkeep-records';
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
  DroppedItem,
  EntryProblem,
  ExcludePreview,
  FileVersionInfo,
  FolderEntry,
  JobInfo,
  KeyInfoData,
  RecoveryKeyData,
  RepositoryHealthInfo,
  KeepRequest,
  KeepProgressEvent,
  PruneProgressEvent,
  RepairProgressEvent,
  ScrubProgressEvent,
  DrillProgressEvent,
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
import { browserDatabaseExists, browserDatabaseNames, folderHandle, openTarget } from './repository-target';

/** A progress callback: a comlink proxy from the page, or a plain function in-page. */
export type ProgressSink<P> = (progress: P) => unknown;

export interface EngineApiOptions {
  readonly host?: Host;
  /** Minimum time between progress events sent to the page; default 100 ms. */
  readonly progressIntervalMs?: number;
}

const CONFLICT_MODES = new Set(['keep-both', 'overwrite', 'skip']);

/**
 * The one object the worker exposes: every operation the UI can ask for, over plain data.
 *
 * Contract:
 * - Every method resolves to an `Outcome` and never rejects on purpose (see outcome.ts); the
 *   error keeps the engine's CairnError code and message.
 * - Results are plain data from protocol.ts: no class instances, no handles.
 * - Passphrases are used to unlock and forgotten; the worker keeps only the unlocked key.
 * - backup, restore and check are jobs (job-registry.ts): the caller names them with `jobId`,
 *   `cancel(jobId)` makes them fail with 'aborted', one runs per repository at a time (a second
 *   fails at once with 'locked'). Their progress is throttled (progress-throttle.ts) and the
 *   final progress event is delivered before the result.
 */
export class EngineApi {
  readonly #host: Host;
  readonly #interval: number;
  readonly #jobs: JobRegistry;
  readonly #open = new OpenRepositories();
  readonly #keys: KeysMethods;
  readonly #health = new HealthMethods(this.#open);
  readonly #upkeep = new UpkeepMethods({
    session: (id) => this.#open.get(id),
    job: (jobId, kind, s, onProgress, work) => this.#job(jobId, kind, s, onProgress, work),
    now: () => this.#host.now(),
    records: settingsDatabaseRecords,
    scratch: opfsScratch,
  });

  constructor(options: EngineApiOptions = {}) {
    this.#host = options.host ?? webHost('browser');
    this.#interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.#jobs = new JobRegistry(() => this.#host.now());
    this.#keys = new KeysMethods(this.#open, this.#host);
  }

  version(): Promise<Outcome<{ engine: string; format: number }>> {
    return settle(async () => ({ engine: ENGINE_VERSION, format: FORMAT_VERSION }));
  }

  /** Names of the browser repositories' databases of this origin, sorted. */
  listBrowserRepositories(): Promise<Outcome<string[]>> {
    return settle(() => browserDatabaseNames());
  }

  /** Whether a repository exists there and needs a passphrase. Creates nothing. */
  probe(target: RepositoryTarget): Promise<Outcome<ProbeResult>> {
    return settle(async () => {
      if (target.kind === 'browser' && !(await browserDatabaseExists(target.name))) {
        return { exists: false, encrypted: false, location: `IndexedDB cairn-${target.name}` };
      }
      const opened = await openTarget(target);
      try {
        const p = await Repository.probe(opened.backend);
        return { exists: p.exists, encrypted: p.encrypted, ...(p.id !== undefined ? { id: p.id } : {}), location: opened.backend.location };
      } finally {
        await opened.backend.close?.();
      }
    });
  }

  /** Creates a repository and returns it unlocked. 'already-exists' when one is there. */
  create(target: RepositoryTarget, options: CreateOptions): Promise<Outcome<OpenRepository>> {
    return settle(async () => {
      const init = initOptions(options);
      const opened = await openTarget(target);
      try {
        return this.#open.add(await Repository.init(opened.backend, this.#host, init), opened);
      } catch (e) {
        await opened.backend.close?.();
        throw e;
      }
    });
  }

  /**
   * Opens a repository. `passphrase` is ignored for an unencrypted one; a wrong (or missing)
   * one fails with 'wrong-passphrase'. Each call makes a new session.
   */
  unlock(target: RepositoryTarget, passphrase: string | null): Promise<Outcome<OpenRepository>> {
    return settle(async () => {
      if (target.kind === 'browser' && !(await browserDatabaseExists(target.name))) {
        throw new CairnError('not-a-repository', `there is no browser repository "${target.name}"`);
      }
      const opened = await openTarget(target);
      try {
        return this.#open.add(await Repository.open(opened.backend, this.#host, passphrase === null ? null : passphraseFromInput(passphrase)), opened);
      } catch (e) {
        await opened.backend.close?.();
        throw e;
      }
    });
  }

  /** Cancels the session's jobs, waits for them to stop, forgets the key and closes storage. */
  lock(session: string): Promise<Outcome<void>> {
    return settle(async () => {
      const s = this.#open.remove(session);
      if (!s) return;
      await this.#jobs.cancelAll(session);
      await s.target.backend.close?.();
    });
  }

  /** Readable snapshots, oldest first (unreadable ones are left out: check names them). */
  listSnapshots(session: string): Promise<Outcome<SnapshotInfo[]>> {
    return settle(async () => {
      const { repo } = this.#open.get(session);
      await repo.loadIndex(); // picks up index files written by other tabs or devices
      return (await repo.listSnapshots(() => undefined)).map(snapshotInfo);
    });
  }

  /** A folder's entries in a snapshot ("" is the root); 'not-found' when it is not a folder. */
  listFolder(session: string, snapshotId: string, path: string): Promise<Outcome<FolderEntry[]>> {
    return settle(async () => {
      const { repo } = this.#open.get(session);
      const ref = await repo.resolveSnapshot(snapshotId);
      await repo.loadIndex();
      return (await listFolder(repo, ref.snapshot.tree, path)).map(folderEntry);
    });
  }

  /** The distinct versions of a path across all snapshots, oldest first. */
  findVersions(session: string, path: string): Promise<Outcome<FileVersionInfo[]>> {
    return settle(async () => {
      const { repo } = this.#open.get(session);
      await repo.loadIndex();
      return (await findVersions(repo, await repo.listSnapshots(() => undefined), path)).map(fileVersionInfo);
    });
  }

  backup(
    jobId: string,
    session: string,
    sources: readonly BackupSourceSpec[],
    request: BackupRequest = {},
    onProgress?: ProgressSink<BackupProgressEvent>,
  ): Promise<Outcome<BackupReport>> {
    return settle(async () => {
      const s = this.#open.get(session);
      const specs = backupSources(sources);
      const exclude = compileExcludes(request.exclude ?? []);
      return this.#job(jobId, 'backup', s, onProgress, async (signal, push) => {
        for (const spec of specs) await requirePermission(spec.handle, 'read', `the folder "${spec.handle.name}"`);
        const skipped: EntryProblem[] = [];
        const onSkip = (path: string) => skipped.push({ path, message: 'vanished while the folder was read; left out' });
        const result = await backup(
          s.repo,
          specs.map((spec) => ({ name: spec.name, dir: fsaSource(spec.handle, { onSkip }) })),
          {
            signal,
            onProgress: push,
            exclude,
            ...(request.tags ? { tags: [...request.tags] } : {}),
            ...(request.parent !== undefined ? { parent: request.parent } : {}),
          },
        );
        return {
          snapshot: snapshotInfo({ id: result.id, snapshot: result.snapshot }),
          problems: [...result.errors.map((e) => ({ path: e.path, message: e.message })), ...skipped],
        };
      });
    });
  }

  /**
   * Restores `paths` of a snapshot (all when empty) into `target`, keeping each path below the
   * snapshot root. `snapshotId` may be a unique prefix or "latest".
   */
  restore(
    jobId: string,
    session: string,
    snapshotId: string,
    paths: readonly string[],
    target: FileSystemDirectoryHandle,
    request: RestoreRequest = {},
    onProgress?: ProgressSink<RestoreProgressEvent>,
  ): Promise<Outcome<RestoreReportInfo>> {
    return settle(async () => {
      const s = this.#open.get(session);
      const handle = folderHandle(target);
      const mode = request.mode ?? 'keep-both';
      if (!CONFLICT_MODES.has(mode)) throw new CairnError('invalid-input', `unknown conflict mode ${JSON.stringify(mode)}`);
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
        throw new CairnError('invalid-input', 'paths must be a list of snapshot paths');
      }
      return this.#job(jobId, 'restore', s, onProgress, async (signal, push) => {
        await requirePermission(handle, request.dryRun ? 'read' : 'readwrite', `the folder "${handle.name}"`);
        const ref = await s.repo.resolveSnapshot(snapshotId);
        await s.repo.loadIndex();
        const into = request.withoutParentFolders ? besideTarget(fsaTarget(handle), parentFolders(paths)) : fsaTarget(handle);
        const report = await restore(s.repo, ref.snapshot.tree, into, {
          paths: [...paths],
          mode,
          dryRun: request.dryRun ?? false,
          verify: request.verify ?? false,
          label: new Date(ref.snapshot.time),
          now: new Date(this.#host.now()),
          signal,
          onProgress: push,
        });
        return restoreReportInfo(report);
      });
    });
  }

  /** Checks the repository without changing it; problems are in the report, not thrown. */
  check(jobId: string, session: string, request: CheckRequest = {}, onProgress?: ProgressSink<CheckProgressEvent>): Promise<Outcome<CheckReportInfo>> {
    return settle(async () => {
      const s = this.#open.get(session);
      return this.#job(jobId, 'check', s, onProgress, async (signal, push) =>
        checkReportInfo(await check(s.repo, { readData: request.readData ?? false, signal, onProgress: push })),
      );
    });
  }

  /**
   * What a backup of `source` with these exclude patterns would leave out (exclude-preview.ts).
   * Not a job: reads names and sizes only.
   */
  previewExcludes(source: BackupSourceSpec, patterns: readonly string[]): Promise<Outcome<ExcludePreview>> {
    return settle(async () => {
      const [spec] = backupSources([source]);
      return previewExcludes(spec!, patterns);
    });
  }

  /**
   * Files and folders of a snapshot whose names contain `query` (ignoring case and accents), at
   * most `limit` (1–1000, default 200). Not a job: runs alongside one.
   */
  searchNames(session: string, snapshotId: string, query: string, limit = 200): Promise<Outcome<NameSearchResult>> {
    return settle(async () => {
      const { repo } = this.#open.get(session);
      if (typeof query !== 'string') throw new CairnError('invalid-input', 'the search must be text');
      const max = Number.isSafeInteger(limit) ? Math.min(1000, Math.max(1, limit)) : 200;
      const ref = await repo.resolveSnapshot(snapshotId);
      await repo.loadIndex();
      const found = await searchNames(repo, ref.snapshot.tree, query, max);
      return { matches: found.hits.map((h) => ({ path: h.path, entry: folderEntry(h.node) })), truncated: found.truncated };
    });
  }

  /**
   * A download job: one file's bytes ('file', exactly one path) or a .zip of the paths ('zip',
   * everything when empty), sent to `sink` in order in pieces of about 1 MiB (transferred, not
   * copied). The next piece is not made before `sink`'s promise settles, so worker memory stays
   * bounded by about one stored chunk plus one piece whatever the selection's size.
   */
  download(
    jobId: string,
    session: string,
    snapshotId: string,
    paths: readonly string[],
    format: DownloadFormat,
    sink: (piece: Uint8Array) => unknown,
    onProgress?: ProgressSink<DownloadProgressEvent>,
  ): Promise<Outcome<{ files: number; bytes: number; skipped: EntryProblem[] }>> {
    return settle(async () => {
      const s = this.#open.get(session);
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw new CairnError('invalid-input', 'paths must be a list of snapshot paths');
      if (format !== 'file' && format !== 'zip') throw new CairnError('invalid-input', `unknown download format ${JSON.stringify(format)}`);
      if (format === 'file' && paths.length !== 1) throw new CairnError('invalid-input', 'a file download needs exactly one file');
      try {
        return await this.#job(jobId, 'download', s, onProgress, async (signal, push) => {
          const ref = await s.repo.resolveSnapshot(snapshotId);
          await s.repo.loadIndex();
          const send = (piece: Uint8Array) => sink(transfer(piece, [piece.buffer as ArrayBuffer]));
          const opts = { signal, onProgress: push };
          return format === 'file' ? exportFile(s.repo, ref.snapshot.tree, paths[0]!, send, opts) : exportZip(s.repo, ref.snapshot.tree, paths, send, opts);
        });
      } finally {
        release(sink);
      }
    });
  }

  /**
   * A job that finds a dropped file or folder in every snapshot, by name and (files) by content,
   * so a renamed or moved copy is found too (dropped-item-locator.ts). Reads the repository only.
   */
  locate(jobId: string, session: string, item: DroppedItem, onProgress?: ProgressSink<LocateProgressEvent>): Promise<Outcome<LocateResult>> {
    return settle(async () => {
      const s = this.#open.get(session);
      const valid = item && typeof item.name === 'string' && item.name !== '' && (item.kind === 'dir' || (item.kind === 'file' && item.file instanceof Blob));
      if (!valid) throw new CairnError('invalid-input', 'a dropped item needs a name, and a file its contents');
      return this.#job(jobId, 'locate', s, onProgress, async (signal, push) => {
        await s.repo.loadIndex();
        const snapshots = await s.repo.listSnapshots(() => undefined);
        return locateDroppedItem(s.repo, snapshots, item, { signal, onProgress: push });
      });
    });
  }

  /** Requests cancellation of a running job; false when no such job runs. */
  cancel(jobId: string): Promise<Outcome<boolean>> {
    return settle(async () => this.#jobs.cancel(jobId));
  }

  jobs(): Promise<Outcome<JobInfo[]>> {
    return settle(async () => this.#jobs.list());
  }

  // Keys, this device and health (keys-methods.ts, health-methods.ts)
  listKeys(session: string): Promise<Outcome<KeyInfoData[]>> { return settle(() => this.#keys.listKeys(session)); }
  changePassphrase(session: string, current: string, next: string): Promise<Outcome<void>> { return settle(() => this.#keys.changePassphrase(session, current, next)); }
  addRecoveryKey(session: string): Promise<Outcome<RecoveryKeyData>> { return settle(() => this.#keys.addRecoveryKey(session)); }
  removeKey(session: string, name: string): Promise<Outcome<void>> { return settle(() => this.#keys.removeKey(session, name)); }
  rememberDevice(session: string): Promise<Outcome<void>> { return settle(() => this.#keys.rememberDevice(session)); }
  forgetDevice(repositoryId: string): Promise<Outcome<void>> { return settle(() => this.#keys.forgetDevice(repositoryId)); }
  isRemembered(repositoryId: string): Promise<Outcome<boolean>> { return settle(() => this.#keys.isRemembered(repositoryId)); }
  unlockRemembered(target: RepositoryTarget): Promise<Outcome<OpenRepository>> { return settle(() => this.#keys.unlockRemembered(target)); }
  repositoryHealth(session: string): Promise<Outcome<RepositoryHealthInfo>> { return settle(() => this.#health.repositoryHealth(session)); }

  // History and upkeep (upkeep-methods.ts; types in protocol.ts)
  readFile(session: string, snapshotId: string, path: string, maxBytes: number) { return this.#upkeep.readFile(session, snapshotId, path, maxBytes); }
  diffSnapshots(session: string, fromId: string, toId: string, path: string) { return this.#upkeep.diff(session, fromId, toId, path); }
  setPinned(session: string, snapshotId: string, pinned: boolean) { return this.#upkeep.setPinned(session, snapshotId, pinned); }
  previewKeep(session: string, request: KeepRequest) { return this.#upkeep.previewKeep(session, request); }
  applyKeep(jobId: string, session: string, request: KeepRequest, confirmed: readonly string[], onProgress?: ProgressSink<KeepProgressEvent>) { return this.#upkeep.applyKeep(jobId, session, request, confirmed, onProgress); }
  prune(jobId: string, session: string, onProgress?: ProgressSink<PruneProgressEvent>) { return this.#upkeep.prune(jobId, session, onProgress); }
  repair(jobId: string, session: string, onProgress?: ProgressSink<RepairProgressEvent>) { return this.#upkeep.repair(jobId, session, onProgress); }
  scrubStatus(session: string) { return this.#upkeep.scrubStatus(session); }
  scrub(jobId: string, session: string, onProgress?: ProgressSink<ScrubProgressEvent>) { return this.#upkeep.scrub(jobId, session, onProgress); }
  lastDrill(session: string) { return this.#upkeep.lastDrill(session); }
  drill(jobId: string, session: string, onProgress?: ProgressSink<DrillProgressEvent>) { return this.#upkeep.drill(jobId, session, onProgress); }

  /** The origin's storage figures (shared by every browser repository and OPFS). */
  storageUsage(): Promise<Outcome<StorageUsage>> {
    return settle(async () => {
      const storage = navigator.storage;
      const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted()]);
      return {
        ...(estimate.usage !== undefined ? { usage: estimate.usage } : {}),
        ...(estimate.quota !== undefined ? { quota: estimate.quota } : {}),
        persisted,
      };
    });
  }

  /** Runs `work` as a registered job with throttled progress, flushed before the result. */
  #job<P, T>(
    jobId: string,
    kind: JobInfo['kind'],
    s: RepositorySession,
    onProgress: ProgressSink<P> | undefined,
    work: (signal: AbortSignal, push: (p: P) => void) => Promise<T>,
  ): Promise<T> {
    // Web Locks between tabs (tab-locks.ts): shared for jobs that add or read, exclusive for deleting ones.
    return this.#jobs.run({ id: jobId, kind, repositoryId: s.info.id, session: s.info.session }, (signal) => withTabLock(s.info.id, tabLockModeFor(kind), async () => {
      const throttle = throttleProgress<P>(onProgress ?? (() => undefined), this.#interval);
      try {
        return await work(signal, (p) => throttle.push(p));
      } finally {
        await throttle.flush();
        release(onProgress);
      }
    }, kind));
  }
}

function initOptions(options: CreateOptions): InitOptions {
  const encrypted = 'passphrase' in options;
  if (encrypted && (typeof options.passphrase !== 'string' || options.passphrase.length === 0)) {
    throw new CairnError('invalid-input', 'an encrypted repository needs a non-empty passphrase');
  }
  if (!encrypted && (options as { unencrypted?: unknown }).unencrypted !== true) {
    throw new CairnError('invalid-input', 'give a passphrase, or choose an unencrypted repository explicitly');
  }
  const t = options.tuning ?? {};
  // Pack size and chunker limits are checked by Repository.init (the same limits opening applies).
  return {
    passphrase: encrypted ? options.passphrase : null,
    ...(t.kdf ? { kdf: { m: t.kdf.m, t: t.kdf.t, p: t.kdf.p } } : {}),
    ...(t.chunker ? { chunker: validateChunkerParams(t.chunker) } : {}),
    ...(t.packSize !== undefined ? { packSize: t.packSize } : {}),
    ...(typeof options.name === 'string' && options.name.trim() !== '' ? { name: options.name } : {}),
  };
}

function backupSources(sources: readonly BackupSourceSpec[]): BackupSourceSpec[] {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new CairnError('invalid-input', 'nothing to back up: no source folders given');
  }
  return sources.map((s) => {
    const bad = typeof s.name !== 'string' || s.name === '' || s.name === '.' || s.name === '..' || /[/\\\0]/.test(s.name);
    if (bad) throw new CairnError('invalid-input', `${JSON.stringify(s.name)} cannot name a folder in a snapshot`);
    return { name: s.name, handle: folderHandle(s.handle) };
  });
}

/** The folders above the one path of a restore without parent folders; 'invalid-input' otherwise. */
function parentFolders(paths: readonly string[]): string[] {
  const parts = paths.length === 1 ? paths[0]!.split('/').filter((p) => p !== '' && p !== '.') : [];
  if (parts.length === 0) throw new CairnError('invalid-input', 'restoring without parent folders needs exactly one file or folder');
  return parts.slice(0, -1);
}

/** Closes the message port of a comlink-proxied callback at once (not at garbage collection). */
function release(callback: unknown): void {
  const r = typeof callback === 'function' ? (callback as { [releaseProxy]?: unknown })[releaseProxy] : undefined;
  if (typeof r === 'function') r.call(callback);
}
