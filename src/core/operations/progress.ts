import type { AbortSignalLike } from '../errors';

/** What every long operation accepts. Progress may be called often; consumers throttle. */
export interface JobOptions<P> {
  readonly signal?: AbortSignalLike;
  readonly onProgress?: (progress: P) => void;
}

/** A problem with one entry that did not stop the operation. */
export interface EntryError {
  readonly path: string;
  readonly message: string;
}

/** Joins snapshot paths with "/" (the separator inside snapshots, whatever the host). */
export function joinPath(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}
