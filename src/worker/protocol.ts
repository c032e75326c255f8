/**
 * The types and constants shared by the UI and the worker. The UI may import this module and
 * `client.ts` from the worker layer, nothing else (see test/unit/architecture.test.ts).
 *
 * Everything here is plain, structured-cloneable data: it crosses `postMessage`. The only host
 * objects are `FileSystemDirectoryHandle`s going INTO the worker. Engine objects never cross:
 * the worker converts them into these shapes, which are the contract the UI codes against.
 */
import type { CairnErrorCode } from '../core/errors';

export { ENGINE_VERSION, FORMAT_VERSION } from '../core/version';

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Why a call failed: the engine's CairnError code and message, unchanged. 'internal' is a bug or
 * an unexpected host failure (its message names the original error).
 */
export type EngineErrorCode = CairnErrorCode | 'internal';

export interface EngineErrorData {
  readonly code: EngineErrorCode;
  readonly message: string;
}

/** What every worker method resolves to: the worker never rejects a call on purpose. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: EngineErrorData };

// ---------------------------------------------------------------------------------------------
// Repositories

/**
 * Where a repository lives: an IndexedDB database "cairn-<name>" of this origin (the embedded
 * default, name 'default'), or a folder reached through the File System Access API (a drive or
 * OPFS; the handle needs read-write permission, which only the page can request).
 */
export type RepositoryTarget =
  | { readonly kind: 'browser'; readonly name: string }
  | { readonly kind: 'folder'; readonly handle: FileSystemDirectoryHandle };

export const DEFAULT_BROWSER_REPOSITORY = 'default';

export interface ProbeResult {
  readonly exists: boolean;
  /** Meaningful only when `exists`. */
  readonly encrypted: boolean;
  /** The repository id (64 hex digits) when it exists. */
  readonly id?: string;
  readonly location: string;
}

/** Creation: a passphrase, or an explicit choice of no encryption. */
export type CreateOptions = ({ readonly passphrase: string } | { readonly unencrypted: true }) & {
  readonly tuning?: RepositoryTuning;
  /** A name to recognise the repository by ("Blue USB drive"), stored in its config. */
  readonly name?: string;
};

/** Advanced parameters fixed at creation (tests use small ones); defaults suit real use. */
export interface RepositoryTuning {
  /** Argon2id cost: memory in KiB, iterations, parallelism. */
  readonly kdf?: { readonly m: number; readonly t: number; readonly p: number };
  /** Chunk sizes in bytes: 64 KiB <= min < avg (a power of two) < max <= 16 MiB. */
  readonly chunker?: { readonly min: number; readonly avg: number; readonly max: number };
  readonly packSize?: number;
}

/** An unlocked repository in the worker. `session` names it in every later call. */
export interface OpenRepository {
  readonly session: string;
  readonly id: string;
  readonly encrypted: boolean;
  readonly location: string;
  readonly kind: 'browser' | 'folder';
  /** The browser repository's name, or the folder's name. */
  readonly name: string;
  /** The name the user gave the repository at creation (config `name`), when it has one. */
  readonly label?: string;
  /** How this session was opened: only a 'passphrase' session can manage keys. */
  readonly unlockedWith?: 'passphrase' | 'remembered' | 'none';
}

// ---------------------------------------------------------------------------------------------
// Snapshots and listings

export interface SnapshotStats {
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly newFiles: number;
  readonly changedFiles: number;
  readonly unchangedFiles: number;
  readonly addedBytes: number;
  readonly storedBytes: number;
  readonly errors: number;
  readonly durationMs: number;
}

export interface SnapshotInfo {
  readonly id: string;
  /** First 8 hex digits, for display. */
  readonly shortId: string;
  /** ISO 8601 time the backup started. */
  readonly time: string;
  /** The source folders' names (the snapshot's top-level folders). */
  readonly paths: readonly string[];
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly parent?: string;
  readonly stats?: SnapshotStats;
}

export interface FolderEntry {
  readonly name: string;
  readonly kind: 'file' | 'dir';
  /** Files only. */
  readonly size?: number;
  /** ms since the epoch; 0 for folders. */
  readonly mtime: number;
}

/** One distinct version of a path, oldest first; consecutive identical versions are merged. */
export interface FileVersionInfo {
  /** The oldest snapshot holding this version. */
  readonly firstSnapshot: string;
  readonly firstTime: string;
  /** Every snapshot holding this exact version, oldest first. */
  readonly snapshots: readonly string[];
  readonly entry: FolderEntry;
}

/** A problem with one entry that did not stop the operation. */
export interface EntryProblem {
  readonly path: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Jobs

export type JobKind = 'backup' | 'restore' | 'check' | 'download' | 'locate' | UpkeepJobKind;

export interface JobInfo {
  readonly id: string;
  readonly kind: JobKind;
  readonly repositoryId: string;
  readonly session: string;
  /** ms since the epoch. */
  readonly started: number;
  readonly cancelling: boolean;
}

/** A folder to back up; its name becomes the top-level folder in the snapshot. */
export interface BackupSourceSpec {
  readonly name: string;
  readonly handle: FileSystemDirectoryHandle;
}

export interface BackupRequest {
  /** Globs: 'node_modules', '*.tmp', '.cache/' (folders only), 'build/out' (below the source). */
  readonly exclude?: readonly string[];
  readonly tags?: readonly string[];
  /** Snapshot to compare against; null reads every file again; default: the newest matching one. */
  readonly parent?: string | null;
}

/** One entry a backup would leave out (see `EngineClient.previewExcludes`). */
export interface ExcludedEntryInfo {
  /** Path below the source folder ("a/node_modules"). */
  readonly path: string;
  readonly kind: 'file' | 'dir';
  /** Files only. */
  readonly size?: number;
  /** The first pattern that matched it, as written (trimmed). */
  readonly pattern: string;
}

/** What a backup of one folder would leave out, and what it would keep. */
export interface ExcludePreview {
  /** Up to 200 excluded entries, in listing order; the counts cover all. */
  readonly excluded: readonly ExcludedEntryInfo[];
  /** Excluded folders are not entered: their contents are in none of the counts. */
  readonly excludedFolders: number;
  readonly excludedFiles: number;
  readonly excludedBytes: number;
  readonly includedFiles: number;
  readonly includedBytes: number;
  /** Entries matched per pattern (patterns that matched nothing are absent). */
  readonly byPattern: readonly { readonly pattern: string; readonly entries: number }[];
  /** False when the folder was too large to walk completely (the counts are a lower bound). */
  readonly complete: boolean;
}

export interface BackupProgressEvent {
  readonly phase: 'scanning' | 'backing-up' | 'finishing';
  readonly filesDone: number;
  readonly bytesDone: number;
  readonly filesTotal: number;
  readonly bytesTotal: number;
  readonly newBytes: number;
  readonly storedBytes: number;
  readonly currentPath: string;
}

export interface BackupReport {
  readonly snapshot: SnapshotInfo;
  /** Entries left out (unreadable, vanished, changed while read); the rest was backed up. */
  readonly problems: readonly EntryProblem[];
}

export type ConflictMode = 'keep-both' | 'overwrite' | 'skip';

export interface RestoreRequest {
  /** Default 'keep-both': nothing existing is ever overwritten or deleted. */
  readonly mode?: ConflictMode;
  /** Decide every file, write nothing. */
  readonly dryRun?: boolean;
  /** Read every written file back and compare. */
  readonly verify?: boolean;
  /**
   * Restore the one selected item straight into the target folder, without the folders above it
   * in the snapshot (putting an old version beside the current file). Needs exactly one path.
   */
  readonly withoutParentFolders?: boolean;
}

export interface RestoreProgressEvent {
  readonly phase: 'planning' | 'restoring';
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly currentPath: string;
}

export type RestoreAction = 'restored' | 'identical' | 'kept-both' | 'replaced' | 'skipped' | 'failed';

export interface RestoreDecisionInfo {
  readonly path: string;
  readonly action: RestoreAction;
  readonly writtenAs?: string;
  readonly preservedAs?: string;
  readonly reason?: string;
}

export interface RestoreReportInfo {
  readonly decisions: readonly RestoreDecisionInfo[];
  readonly counts: Readonly<Record<RestoreAction, number>>;
  readonly bytesWritten: number;
}

export interface CheckRequest {
  /** Read and authenticate every stored blob (slow: reads the whole repository). */
  readonly readData?: boolean;
}

export interface CheckProgressEvent {
  readonly phase: 'index' | 'packs' | 'snapshots';
  readonly done: number;
  readonly total: number;
}

export interface CheckReportInfo {
  /** True when every snapshot can be restored completely. */
  readonly ok: boolean;
  readonly problems: readonly { readonly kind: 'index' | 'pack' | 'snapshot' | 'tree' | 'blob'; readonly id?: string; readonly message: string }[];
  readonly damagedPacks: readonly string[];
  readonly damagedSnapshots: readonly string[];
  readonly damagedFiles: readonly { readonly snapshot: string; readonly path: string; readonly reason: string }[];
  readonly unreferencedPacks: readonly string[];
  readonly stats: { readonly snapshots: number; readonly trees: number; readonly packs: number; readonly blobsRead: number; readonly bytesRead: number };
}

// ---------------------------------------------------------------------------------------------
// Storage

export interface StorageUsage {
  /** Bytes this origin uses (all repositories in the browser, OPFS, caches), when known. */
  readonly usage?: number;
  readonly quota?: number;
  /** Whether the browser promised not to evict this origin's storage. */
  readonly persisted: boolean;
}

// ---------------------------------------------------------------------------------------------
// History: search, downloads, dropped items (src/worker/name-search.ts, file-export.ts,
// dropped-item-locator.ts)

/** A file or folder found by a name search, with its path inside the snapshot. */
export interface NameMatch {
  readonly path: string;
  readonly entry: FolderEntry;
}

export interface NameSearchResult {
  readonly matches: readonly NameMatch[];
  /** True when more entries matched than were returned. */
  readonly truncated: boolean;
}

/** 'file': the bytes of one file; 'zip': a .zip archive of the selection (paths kept). */
export type DownloadFormat = 'file' | 'zip';

export interface DownloadProgressEvent {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly currentPath: string;
}

/** A finished download, assembled in the page from the pieces the worker sent. */
export interface DownloadResult {
  readonly blob: Blob;
  readonly files: number;
  readonly bytes: number;
  /** Entries left out of a .zip (names unsafe to write). */
  readonly skipped: readonly EntryProblem[];
}

/**
 * A file or folder dropped onto the app. `parents`: the folders above it, outermost first, when
 * the page knows them (items inside a dropped folder); they rank matches with the same folders.
 */
export type DroppedItem =
  | { readonly kind: 'file'; readonly name: string; readonly file: File; readonly parents?: readonly string[] }
  | { readonly kind: 'dir'; readonly name: string; readonly parents?: readonly string[] };

export interface LocateProgressEvent {
  /** 'reading': the dropped file is being read and fingerprinted; 'searching': versions are compared. */
  readonly phase: 'reading' | 'searching';
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly snapshotsDone: number;
  readonly snapshotsTotal: number;
}

/** A version of a found path; `identical` when its content equals the dropped file's. */
export interface LocatedVersion extends FileVersionInfo {
  readonly identical: boolean;
}

export interface LocatedPath {
  readonly path: string;
  /** Whether some version holds the dropped content exactly, much of it, or only the name matched. */
  readonly reason: 'identical' | 'similar' | 'name';
  readonly sameName: boolean;
  readonly versions: readonly LocatedVersion[];
}

export interface LocateResult {
  readonly name: string;
  readonly kind: 'file' | 'dir';
  /** Best first (see dropped-item-locator.ts). */
  readonly found: readonly LocatedPath[];
  readonly truncated: boolean;
}

// ---------------------------------------------------------------------------------------------
// History and upkeep: comparing versions, keeping versions (retention, pinning), prune, repair,
// scrub and restore drills (src/worker/upkeep-methods.ts, upkeep-records.ts)

/** The upkeep operations that run as jobs (one per repository at a time, like backup). */
export type UpkeepJobKind = 'retention' | 'prune' | 'repair' | 'scrub' | 'drill';

/** A restore drill is due this long after the last one (weekly). */
export const DEFAULT_DRILL_INTERVAL_MS = 7 * 86_400_000;
/** The first drill is due this long after the first backup. */
export const FIRST_DRILL_AFTER_MS = 3_600_000;
/** A drill is overdue (a warning on the home screen) this long after it became due. */
export const DRILL_OVERDUE_AFTER_MS = 86_400_000;
/** Scrub reads every stored byte at least once per this period (30 days). */
export const DEFAULT_SCRUB_PERIOD_MS = 30 * 86_400_000;
/** Scrub runs (one slice) at most this often when scheduled: daily. */
export const SCRUB_INTERVAL_MS = 86_400_000;

/** One file a restore drill restored and read back (or failed to). */
export interface DrillFileResult {
  readonly snapshot: string;
  /** ISO time of that snapshot. */
  readonly snapshotTime: string;
  /** Path inside the snapshot ('' when the snapshot's listing itself could not be read). */
  readonly path: string;
  readonly size: number;
  readonly ok: boolean;
  readonly reason?: string;
}

/** The result of one restore drill, as remembered in the app settings. */
export interface DrillRecord {
  /** ms since the epoch. */
  readonly time: number;
  /** True when every sampled file restored and matched its backup exactly. */
  readonly ok: boolean;
  readonly files: number;
  readonly filesOk: number;
  /** Bytes restored and verified. */
  readonly bytes: number;
  /** The snapshots sampled: the newest and the one drilled least recently. */
  readonly snapshots: readonly { readonly id: string; readonly time: string }[];
  /** Every sampled file with its outcome (failures first), at most 50. */
  readonly sample: readonly DrillFileResult[];
  /** The engine error when the drill could not run at all (the drill counts as failed). */
  readonly error?: string;
}

/**
 * "Last proven restore" for a repository (`EngineClient.lastDrill`): plain data for the home
 * screen. Show `last` as "last proven restore: <when>, <what>"; make it the top warning when
 * `last.ok` is false or `overdue` is true.
 */
export interface DrillStatus {
  readonly repositoryId: string;
  /** The latest drill, or null when none ever ran on this device. */
  readonly last: DrillRecord | null;
  /** ms of the latest drill that succeeded, or null. */
  readonly lastSuccess: number | null;
  readonly intervalMs: number;
  /**
   * ms when the next scheduled drill is due: `intervalMs` after the last one; before the first,
   * FIRST_DRILL_AFTER_MS after the oldest backup. Null when there is no backup to test.
   */
  readonly nextDue: number | null;
  /** A drill should run now (the app's timer runs it while the repository is open). */
  readonly due: boolean;
  /** More than DRILL_OVERDUE_AFTER_MS past due. */
  readonly overdue: boolean;
}

/** A file whose stored data lies in damaged data (`ScrubStatus`, `ScrubRunInfo`). */
export interface AffectedFile {
  readonly snapshot: string;
  readonly snapshotTime: string;
  readonly path: string;
}

/** Scrub coverage for a repository (`EngineClient.scrubStatus`): plain data for the home screen. */
export interface ScrubStatus {
  readonly repositoryId: string;
  /** 0–1: the share of stored bytes read and verified within `periodMs` (now). */
  readonly coverage: number;
  readonly verifiedBytes: number;
  readonly totalBytes: number;
  readonly periodMs: number;
  /** ms of the last scrub run on this device, or null. */
  readonly lastRun: number | null;
  /** ms when every stored byte had last been verified within the period, or null (never). */
  readonly lastFullPass: number | null;
  /** Damage the last run found (empty when it found none). */
  readonly damagedPacks: readonly { readonly pack: string; readonly reason: string }[];
  /** Files of every snapshot whose data lies in the damaged places (at most 200). */
  readonly affectedFiles: readonly AffectedFile[];
  /** A scrub slice should run now (the last run is older than SCRUB_INTERVAL_MS). */
  readonly due: boolean;
}

export interface ScrubProgressEvent {
  readonly packsDone: number;
  readonly packsTotal: number;
  readonly bytesRead: number;
}

/** What one scrub run did; the status after it is in `status`. */
export interface ScrubRunInfo {
  readonly packsChecked: number;
  readonly bytesRead: number;
  readonly status: ScrubStatus;
}

export interface DrillProgressEvent {
  readonly done: number;
  readonly total: number;
}

/** The bytes of one version of a file, for comparing and previewing (`EngineClient.readFile`). */
export interface FileBytes {
  /** The file's size in the snapshot. */
  readonly size: number;
  /** The whole file, or null when it is larger than the limit asked for. */
  readonly bytes: Uint8Array | null;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One difference between two points in time. A folder added or removed is one change. */
export interface ChangeInfo {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly type: 'file' | 'dir';
  readonly before?: number;
  readonly after?: number;
}

export interface SnapshotDiffInfo {
  /** In path order; at most 2000 (see `truncated`); the counts cover all. */
  readonly changes: readonly ChangeInfo[];
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Bytes of files added or grown, minus removed or shrunk. */
  readonly sizeDelta: number;
  readonly truncated: boolean;
}

/**
 * Which versions to keep (the engine's retention policy). Counts keep the newest backup of each
 * of the last N hours/days/weeks/months/years that have backups; `withinMs` keeps everything
 * newer; pinned backups are always kept.
 */
export interface KeepPolicy {
  readonly last?: number;
  readonly hourly?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
  readonly yearly?: number;
  readonly withinMs?: number;
}

export type KeepPresetName = 'time-machine' | 'standard' | 'minimal';

/** The engine's presets, by name (the same as the CLI's `--preset`). */
export const KEEP_PRESETS: Readonly<Record<KeepPresetName, KeepPolicy>> = {
  'time-machine': { hourly: 24, daily: 30, weekly: 104 },
  standard: { last: 10, daily: 14, weekly: 8, monthly: 24, yearly: 10 },
  minimal: { last: 5, daily: 7 },
};

/** Deleted files' last copies are kept this long by default (30 days). */
export const DEFAULT_GRACE_MS = 30 * 86_400_000;

export interface KeepRequest {
  readonly policy: KeepPolicy;
  /** Keep the last copy of a file deleted less than this long ago (default DEFAULT_GRACE_MS; 0: none). */
  readonly graceMs?: number;
}

export interface KeepDecisionInfo {
  readonly snapshot: SnapshotInfo;
  readonly keep: boolean;
  /** Why it is kept, in the engine's words ("daily 2026-11-20", "tag pinned", …). */
  readonly reasons: readonly string[];
}

/** A version of a file that would no longer be restorable. */
export interface LostVersionInfo {
  readonly path: string;
  /** The newest removed snapshot that holds it, and its time. */
  readonly snapshot: string;
  readonly time: string;
  readonly size: number;
}

/** What a keep policy would do (`EngineClient.previewKeep`); nothing is removed. */
export interface KeepPreview {
  /** Every snapshot, oldest first. */
  readonly decisions: readonly KeepDecisionInfo[];
  /** Ids of the snapshots that would be removed (pass them to `applyKeep`). */
  readonly remove: readonly string[];
  /** Newest first; at most 1000 (see `lostTotal`). */
  readonly lostVersions: readonly LostVersionInfo[];
  readonly lostTotal: number;
}

export interface PruneProgressEvent {
  readonly phase: 'marking' | 'repacking' | 'writing-index' | 'deleting';
  readonly done: number;
  readonly total: number;
}

/** `applyKeep` progress: removing snapshots ('forget'), then the prune phases. */
export type KeepProgressEvent = { readonly phase: 'forget'; readonly done: number; readonly total: number } | PruneProgressEvent;

export interface PruneInfo {
  readonly bytesFreed: number;
  readonly packsDeleted: number;
  readonly packsRepacked: number;
  readonly packsKept: number;
  /** Unused data left in packs not worth rewriting. */
  readonly bytesUnusedKept: number;
}

export interface KeepResult {
  readonly removed: readonly string[];
  readonly prune: PruneInfo;
}

export interface RepairProgressEvent {
  readonly done: number;
  readonly total: number;
}

export interface RepairInfo {
  readonly packsRead: number;
  readonly unreadablePacks: readonly { readonly pack: string; readonly reason: string }[];
  readonly damagedBlobs: number;
  /** Exactly the files the snapshots cannot restore any more. */
  readonly lostFiles: readonly AffectedFile[];
  readonly unreadableSnapshots: readonly { readonly id: string; readonly reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Keys, this device and repository health (keys-methods.ts, health-methods.ts)

/** One key file of a repository; never the key itself. */
export interface KeyInfoData {
  readonly name: string;
  readonly shortId: string;
  /** ISO 8601; '' when the key file is damaged. */
  readonly created: string;
  readonly hostname: string;
  /** 'recovery key' for recovery keys. */
  readonly label?: string;
  readonly kdf: string;
  /** This session was unlocked with it. */
  readonly current: boolean;
  readonly damaged?: string;
}

/** A new recovery key: shown once, kept nowhere. */
export interface RecoveryKeyData {
  readonly name: string;
  readonly words: readonly string[];
}

/** Size and identity of an open repository, for the health screen. */
export interface RepositoryHealthInfo {
  readonly id: string;
  readonly shortId: string;
  /** The name given at creation, when there is one. */
  readonly label?: string;
  /** ISO 8601 creation time. */
  readonly created: string;
  /** Bytes of every file the repository holds (packs, indexes, snapshots, keys, config). */
  readonly storedBytes: number;
  readonly files: number;
  /**
   * What the backend can say about its storage: for a browser repository the origin's use and
   * remaining quota. Absent for a folder: a web app cannot read a drive's free space.
   */
  readonly usage?: { readonly used: number; readonly available?: number };
}
