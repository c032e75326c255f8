/** The engine's public surface, for the worker and the CLI. */
export * from './errors';
export * from './version';
export type { Backend, FileType, FileInfo } from './ports/backend';
export type { Host, CryptoHost, KdfParams } from './ports/host';
export type { SourceDir, SourceFile, SourceEntry } from './ports/source';
export type { TargetDir, TargetFileInfo, TargetDirInfo } from './ports/target';
export { Repository, type InitOptions, type BlobReader, type BlobStore } from './repository/repository';
export type { RepoConfig } from './repository/repo-config';
export type { Snapshot, SnapshotRef, SnapshotSummary } from './model/snapshot';
export type { Tree, TreeNode, FileNode, DirNode } from './model/tree';
export { shortId, type Id } from './format/ids';
export { backup, type BackupSource, type BackupOptions, type BackupProgress, type BackupResult } from './operations/backup';
export { restore, sideBySide, type RestoreOptions, type RestoreReport, type RestoreDecision, type RestoreProgress, type ConflictMode } from './operations/restore';
export { check, type CheckReport, type CheckOptions, type CheckProgress } from './operations/check';
export { listFolder, walkFolder, findVersions, lookup, splitPath, type FileVersion } from './operations/browse';
export type { EntryError, JobOptions } from './operations/progress';
export { listLocks, RepoLock, type LockInfo } from './repository/repo-lock';
