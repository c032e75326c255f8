/**
 * The restore-target port: a folder restored into (FileSystemDirectoryHandle, Node fs, memory).
 * Core validates every name before it reaches a target; targets only see single, safe path
 * components.
 *
 * Contract:
 * - `get(name)` describes an existing child or returns null.
 * - `dir(name)` returns the child folder, creating it when missing; fails 'already-exists' if a
 *   file stands there.
 * - `writeFile(name, data, mtime)` publishes the file atomically: until the stream ends and the
 *   file is complete, nothing is visible under `name` (a temporary sibling whose name starts with
 *   ".cairn-partial-" may exist and is removed on failure). Fails 'already-exists' when `name`
 *   exists: callers decide conflicts before writing. Sets the modification time when the host
 *   can.
 * - `rename(from, to)` renames a child file within this folder; fails 'already-exists' if `to`
 *   exists.
 */
export interface TargetFileInfo {
  readonly kind: 'file';
  readonly size: number;
  readonly mtime: number;
  read(): AsyncIterable<Uint8Array>;
}

export interface TargetDirInfo {
  readonly kind: 'dir';
}

export interface TargetDir {
  readonly name: string;
  get(name: string): Promise<TargetFileInfo | TargetDirInfo | null>;
  dir(name: string): Promise<TargetDir>;
  writeFile(name: string, data: AsyncIterable<Uint8Array>, mtime: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}
