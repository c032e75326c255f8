/**
 * Typed errors of the engine. Every error a user can meet carries a stable `code` so the UI and
 * the CLI can word it, and a message that already reads well on its own.
 */
export type CairnErrorCode =
  | 'not-found' // a stored object is missing (also: zero-length or short files)
  | 'corrupted' // authentication, hash or structure check failed: corrupted or tampered
  | 'wrong-passphrase'
  | 'key-damaged' // a key file fails its own checksum or carries parameters out of bounds
  | 'unsupported-version' // written by a newer format version or needs an unknown mandatory feature
  | 'not-a-repository'
  | 'already-exists'
  | 'storage-full'
  | 'disconnected' // drive removed, handle no longer valid
  | 'permission' // permission to the folder or drive was revoked or never granted
  | 'locked' // another writer or an exclusive lock holds the repository
  | 'lock-stale' // our own lock went stale (sleep, clock jump) before commit
  | 'aborted'
  | 'invalid-input' // bad arguments, hostile names, bad source entries
  | 'too-large' // hostile sizes, counts or nesting beyond the format's limits
  | 'io'; // any other storage failure

export class CairnError extends Error {
  readonly code: CairnErrorCode;
  constructor(code: CairnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CairnError';
    this.code = code;
  }
}

/** True when `e` is a CairnError with the given code. */
export function isCairnError(e: unknown, code?: CairnErrorCode): e is CairnError {
  return e instanceof CairnError && (code === undefined || e.code === code);
}

/** Throws `aborted` when the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new CairnError('aborted', 'The operation was cancelled.');
}

/** The part of AbortSignal the engine needs (core has no DOM lib). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}
