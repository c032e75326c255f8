import { CairnError } from '../errors';
import { utf8 } from '../format/bytes';
import { assertId, isId, type Id } from '../format/ids';
import { field, parseJsonObject } from '../repository/json';

/**
 * A snapshot: one immutable point in time. Writing it is the commit point of a backup.
 * Stored sealed under snapshots/<id> as compact JSON. See docs/format.md §snapshots.
 */
export interface SnapshotSummary {
  readonly files: number;
  readonly dirs: number;
  /** Total size of all files in the snapshot. */
  readonly bytes: number;
  readonly newFiles: number;
  readonly changedFiles: number;
  readonly unchangedFiles: number;
  /** Plaintext bytes of blobs this backup stored for the first time. */
  readonly addedBytes: number;
  /** Bytes written to storage for those blobs (compressed, sealed). */
  readonly storedBytes: number;
  readonly errors: number;
  readonly durationMs: number;
}

export interface Snapshot {
  readonly version: 1;
  /** ISO 8601 time the backup started. */
  readonly time: string;
  readonly tree: Id;
  /** The source folders, as given (names in the root tree). */
  readonly paths: readonly string[];
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly parent?: Id;
  readonly summary?: SnapshotSummary;
}

/** A snapshot together with its id. */
export interface SnapshotRef {
  readonly id: Id;
  readonly snapshot: Snapshot;
}

const MAX_SNAPSHOT_BYTES = 1024 * 1024;

export function encodeSnapshot(s: Snapshot): Uint8Array {
  return utf8(JSON.stringify(s));
}

export function decodeSnapshot(plain: Uint8Array, id: Id): Snapshot {
  const what = `snapshot ${id.slice(0, 8)}`;
  const obj = parseJsonObject(plain, what, MAX_SNAPSHOT_BYTES);
  const f = field(obj, what);
  if (obj.version !== 1) throw new CairnError('corrupted', `${what} has an unknown version`);
  const time = f.str('time');
  if (Number.isNaN(Date.parse(time))) throw new CairnError('corrupted', `${what} has an invalid time`);
  const parent = obj.parent;
  if (parent !== undefined && !isId(parent)) throw new CairnError('corrupted', `${what} has an invalid parent`);
  return {
    version: 1,
    time,
    tree: assertId(obj.tree, `${what} tree`),
    paths: f.strArray('paths'),
    hostname: f.str('hostname'),
    tags: f.strArray('tags'),
    ...(parent !== undefined ? { parent } : {}),
    ...(typeof obj.summary === 'object' && obj.summary !== null ? { summary: obj.summary as SnapshotSummary } : {}),
  };
}
