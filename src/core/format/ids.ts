import { CairnError } from '../errors';

/**
 * Object ids: 32 bytes written as 64 lowercase hex digits. Blob, tree, index and snapshot ids are
 * keyed (HMAC-SHA-256 with the repository's id key) so they reveal nothing about content; pack
 * ids are the SHA-256 of the pack file's bytes.
 */
export type Id = string;

const ID_PATTERN = /^[0-9a-f]{64}$/;

export function isId(value: unknown): value is Id {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Returns `value` as an Id or throws CairnError('corrupted') naming `what`. */
export function assertId(value: unknown, what: string): Id {
  if (!isId(value)) throw new CairnError('corrupted', `${what} is not a valid object id`);
  return value;
}

/** The short form shown to people (like git and restic): the first 8 hex digits. */
export function shortId(id: Id): string {
  return id.slice(0, 8);
}
