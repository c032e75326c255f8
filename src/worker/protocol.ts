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

export type JobKind = 'backup' | 'restore' | 'check' | 'download' | 'locate';

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
