import { CairnError, type CairnErrorCode } from '../core/errors';
import type { SourceDir, SourceEntry, SourceFile } from '../core/ports/source';

/** Why an entry was left out of a listing. */
export type FsaSkipReason = 'vanished';

export interface FsaSourceOptions {
  /** Called for each entry left out of a listing (it vanished between listing and stat). */
  onSkip?(path: string, reason: FsaSkipReason): void;
}

/**
 * A folder to back up, read through the File System Access API (a picked folder, a dropped
 * folder, or OPFS).
 *
 * Guarantees, on top of the source port's contract:
 * - `size` and `mtime` come from the `File` snapshot taken when the entry was listed, and
 *   `read()` streams that snapshot: a file modified after listing fails instead of yielding a
 *   mix of old and new bytes.
 * - Errors are CairnErrors naming the path (relative to the picked folder, which is its first
 *   component): 'not-found' when the file or folder vanished, 'io' when a file changed after it
 *   was listed, 'permission' when access was revoked, 'disconnected' when the handle no longer
 *   works (drive removed), 'io' otherwise.
 * - An entry that vanishes between the folder listing and its stat is skipped and reported
 *   through `onSkip`.
 * - Memory stays bounded: files are streamed, never loaded whole.
 */
export function fsaSource(handle: FileSystemDirectoryHandle, options: FsaSourceOptions = {}): SourceDir {
  return dirEntry(handle, handle.name, options);
}

function dirEntry(handle: FileSystemDirectoryHandle, path: string, options: FsaSourceOptions): SourceDir {
  return {
    kind: 'dir',
    name: handle.name,
    entries: () => listDir(handle, path, options),
  };
}

async function* listDir(
  dir: FileSystemDirectoryHandle,
  path: string,
  options: FsaSourceOptions,
): AsyncGenerator<SourceEntry> {
  const iterator = dir.values();
  for (;;) {
    let step: IteratorResult<FileSystemHandle>;
    try {
      step = await iterator.next();
    } catch (e) {
      throw fsaError(e, path, 'list the folder');
    }
    if (step.done) return;
    const child = step.value;
    const childPath = `${path}/${child.name}`;
    if (isDirHandle(child)) {
      yield dirEntry(child, childPath, options);
      continue;
    }
    let file: File;
    try {
      file = await (child as FileSystemFileHandle).getFile();
    } catch (e) {
      if (domName(e) === 'NotFoundError') {
        options.onSkip?.(childPath, 'vanished');
        continue;
      }
      throw fsaError(e, childPath, 'read the file');
    }
    yield fileEntry(child as FileSystemFileHandle, file, childPath);
  }
}

function fileEntry(handle: FileSystemFileHandle, file: File, path: string): SourceFile {
  return {
    kind: 'file',
    name: handle.name,
    size: file.size,
    mtime: file.lastModified,
    read: () => streamFile(handle, file, path),
  };
}

/**
 * Streams a `File` snapshot, turning stream failures into CairnErrors. Chromium reports a
 * removed file as a bare `TypeError: network error` from the stream, and a modified one as
 * `NotReadableError`, so the handle is probed again to tell the cases apart.
 */
export async function* streamFile(
  handle: FileSystemFileHandle,
  file: File,
  path: string,
): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (e) {
        finished = true;
        throw await explainReadFailure(e, handle, file, path);
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // The consumer stopped early: release the underlying file.
    if (!finished) await reader.cancel().catch(() => {});
  }
}

async function explainReadFailure(
  error: unknown,
  handle: FileSystemFileHandle,
  listed: File,
  path: string,
): Promise<CairnError> {
  let now: File;
  try {
    now = await handle.getFile();
  } catch (probeError) {
    return fsaError(probeError, path, 'read the file');
  }
  if (now.size !== listed.size || now.lastModified !== listed.lastModified) {
    return new CairnError('io', `"${path}" changed while it was being read.`, { cause: error });
  }
  return fsaError(error, path, 'read the file');
}

const CODES: Record<string, CairnErrorCode> = {
  NotFoundError: 'not-found',
  NotAllowedError: 'permission',
  SecurityError: 'permission',
  NotReadableError: 'disconnected',
  InvalidStateError: 'disconnected',
  QuotaExceededError: 'storage-full',
  TypeMismatchError: 'already-exists',
};

const EXPLANATIONS: Record<string, string> = {
  'not-found': 'it no longer exists',
  permission: 'permission was denied or revoked',
  disconnected: 'it changed or the drive is no longer available',
  'storage-full': 'the storage is full',
  'already-exists': 'something of another kind exists under that name',
  'invalid-input': 'the name is not allowed here',
};

/**
 * Converts an error thrown by a File System Access call on `path` into a CairnError (kept as
 * is when it already is one). `action` completes "Could not … ", e.g. "read the file".
 */
export function fsaError(e: unknown, path: string, action: string): CairnError {
  if (e instanceof CairnError) return e;
  const name = domName(e);
  const code: CairnErrorCode =
    (name !== undefined ? CODES[name] : undefined) ?? (e instanceof TypeError && /not allowed/i.test(e.message) ? 'invalid-input' : 'io');
  const why = EXPLANATIONS[code] ?? (e instanceof Error ? e.message : String(e));
  return new CairnError(code, `Could not ${action} "${path}": ${why}.`, { cause: e });
}

function domName(e: unknown): string | undefined {
  return e instanceof DOMException ? e.name : undefined;
}

function isDirHandle(h: FileSystemHandle): h is FileSystemDirectoryHandle {
  return h.kind === 'directory';
}
