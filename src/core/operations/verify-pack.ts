import { CairnError } from '../errors';
import { toHex } from '../format/bytes';
import type { Id } from '../format/ids';
import { PACK_TRAILER, parsePackHeader, parsePackTrailer } from '../repository/pack';
import type { Repository } from '../repository/repository';

export interface PackVerification {
  /** Why nothing in the pack can be read (missing, short, header unreadable); undefined if readable. */
  readonly unreadable?: string;
  readonly hashMismatch: boolean;
  /** Blob id → why it failed authentication or decoding. */
  readonly badBlobs: ReadonlyMap<Id, string>;
  readonly blobsRead: number;
  readonly bytesRead: number;
}

/**
 * Reads a whole pack and authenticates everything in it: its hash against its name, its header,
 * and every blob (decrypt, decompress, id). Storage that cannot be reached at all (disconnected,
 * permission) throws; damage is reported, never thrown.
 */
export async function verifyPack(repo: Repository, pack: Id, size: number): Promise<PackVerification> {
  const badBlobs = new Map<Id, string>();
  let bytes: Uint8Array;
  try {
    bytes = await repo.backend.read('data', pack);
  } catch (e) {
    if (e instanceof CairnError && (e.code === 'not-found' || e.code === 'corrupted')) {
      return { unreadable: 'cannot be read: ' + e.message, hashMismatch: false, badBlobs, blobsRead: 0, bytesRead: 0 };
    }
    throw e;
  }
  const hashMismatch = toHex(await repo.host.crypto.sha256(bytes)) !== pack;
  let entries;
  try {
    const headerLength = parsePackTrailer(bytes.subarray(bytes.length - PACK_TRAILER), size, pack);
    entries = await parsePackHeader(repo.sealer, bytes.subarray(bytes.length - PACK_TRAILER - headerLength, bytes.length - PACK_TRAILER), size, pack);
  } catch (e) {
    if (!(e instanceof CairnError)) throw e;
    return { unreadable: `header unreadable: ${e.message}`, hashMismatch, badBlobs, blobsRead: 0, bytesRead: bytes.length };
  }
  for (const entry of entries) {
    try {
      await repo.openBlob(entry, bytes.subarray(entry.offset, entry.offset + entry.length));
    } catch (e) {
      if (!(e instanceof CairnError)) throw e;
      badBlobs.set(entry.id, e.message);
    }
  }
  return { hashMismatch, badBlobs, blobsRead: entries.length, bytesRead: bytes.length };
}
