import { CairnError } from '../errors';
import { ByteReader, ByteWriter, fromHex, toHex, utf8 } from '../format/bytes';
import type { Id } from '../format/ids';
import { MAX_BLOB_LENGTH, MAX_SEALED_LENGTH, PACK_TRAILER, type BlobType } from './pack';

/**
 * Index files: which blob lives where. Sealed binary, see docs/format.md §index.
 *
 *   "CIX1" ‖ u32 n ‖ n × superseded index id(32)
 *          ‖ u32 p ‖ p × (pack id(32) ‖ u32 pack size)
 *          ‖ u32 e ‖ e × (blob id(32) ‖ u32 pack# ‖ u32 offset ‖ u32 length ‖ u32 rawLength ‖ u8 type ‖ u8 codec)
 */
export interface IndexedBlob {
  readonly id: Id;
  readonly type: BlobType;
  readonly pack: Id;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
  readonly codec: number;
}

export interface IndexContent {
  /** Index files this one replaces (written by prune and repair); empty for backups. */
  readonly supersedes: readonly Id[];
  readonly packs: ReadonlyMap<Id, number>;
  readonly blobs: readonly IndexedBlob[];
}

const MAGIC = utf8('CIX1');
const MAX_COUNT = 1 << 24;

export function encodeIndex(content: IndexContent): Uint8Array {
  const packNumber = new Map<Id, number>();
  const w = new ByteWriter(64 + content.packs.size * 36 + content.blobs.length * 50);
  w.bytes(MAGIC).u32(content.supersedes.length);
  for (const id of content.supersedes) w.bytes(fromHex(id));
  w.u32(content.packs.size);
  for (const [id, size] of content.packs) {
    packNumber.set(id, packNumber.size);
    w.bytes(fromHex(id)).u32(size);
  }
  w.u32(content.blobs.length);
  for (const b of content.blobs) {
    const n = packNumber.get(b.pack);
    if (n === undefined) throw new Error(`index entry refers to pack ${b.pack} not in the index`);
    w.bytes(fromHex(b.id)).u32(n).u32(b.offset).u32(b.length).u32(b.rawLength).u8(b.type === 'data' ? 0 : 1).u8(b.codec);
  }
  return w.finish();
}

/** Parses an index; every count and field is bounds-checked (CairnError 'corrupted'). */
export function decodeIndex(plain: Uint8Array, name: string): IndexContent {
  const what = `index ${name.slice(0, 8)}`;
  const r = new ByteReader(plain, what);
  const magic = r.take(4);
  if (!magic.every((b, i) => b === MAGIC[i])) throw new CairnError('corrupted', `${what} has no index marker`);
  const count = (unit: number) => {
    const n = r.u32();
    if (n > MAX_COUNT || n * unit > r.remaining) throw new CairnError('corrupted', `${what} has an impossible count`);
    return n;
  };
  const supersedes: Id[] = [];
  for (let i = count(32); i > 0; i--) supersedes.push(toHex(r.take(32)));
  const packs = new Map<Id, number>();
  const packIds: Id[] = [];
  for (let i = count(36); i > 0; i--) {
    const id = toHex(r.take(32));
    packs.set(id, r.u32());
    packIds.push(id);
  }
  const blobs: IndexedBlob[] = [];
  for (let i = count(50); i > 0; i--) {
    const id = toHex(r.take(32));
    const pack = packIds[r.u32()];
    const offset = r.u32();
    const length = r.u32();
    const rawLength = r.u32();
    const type = r.u8();
    const codec = r.u8();
    if (pack === undefined || type > 1 || rawLength > MAX_BLOB_LENGTH || length > MAX_SEALED_LENGTH || offset + length + PACK_TRAILER > (packs.get(pack) ?? 0)) {
      throw new CairnError('corrupted', `${what} has an invalid entry`);
    }
    blobs.push({ id, pack, offset, length, rawLength, type: type === 0 ? 'data' : 'tree', codec });
  }
  if (r.remaining !== 0) throw new CairnError('corrupted', `${what} has trailing bytes`);
  return { supersedes, packs, blobs };
}
