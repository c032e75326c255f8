/**
 * The source port: a folder to back up (FileSystemDirectoryHandle in the browser, a Node fs
 * directory in the CLI, a literal tree in tests).
 *
 * Contract: `entries()` yields each child once; names are returned exactly as the host reports
 * them (no normalization). `read()` streams the file's bytes in pieces of any size; it may throw
 * CairnError('not-found') if the file vanished, or 'io'. `size` and `mtime` are what the host
 * reported when the entry was listed; a file whose streamed length differs from `size` changed
 * while it was read.
 */
export interface SourceFile {
  readonly kind: 'file';
  readonly name: string;
  readonly size: number;
  /** Modification time, ms since the epoch. */
  readonly mtime: number;
  read(): AsyncIterable<Uint8Array>;
}

export interface SourceDir {
  readonly kind: 'dir';
  readonly name: string;
  entries(): AsyncIterable<SourceEntry>;
}

export type SourceEntry = SourceFile | SourceDir;
