import { CairnError } from '../errors';
import { ByteReader, ByteWriter, concatBytes, fromHex, toHex, utf8 } from '../format/bytes';
import type { Sealer } from '../format/sealer';
import type { Id } from '../format/ids';

/**
 * Pack files: many sealed blobs followed by a sealed header that lists them, so a pack describes
 * itself and a lost index can be rebuilt from packs alone. See docs/format.md §packs.
 *
 *   blob₀ ‖ … ‖ blobₙ₋₁ ‖ sealed header ‖ u32 LE header length ‖ "CAIRNPK1"
 */
export type BlobType = 'data' | 'tree';

export interface PackEntry {
  readonly type: BlobType;
  readonly id: Id;
  readonly codec: number;
  /** Offset of the sealed blob in the pack. */
  readonly offset: number;
  /** Length of the sealed blob. */
  readonly length: number;
  /** Length of the blob's plaintext after decompression. */
  readonly rawLength: number;
}

export const PACK_MAGIC = utf8('CAIRNPK1');
export const PACK_TRAILER = 12;
const ENTRY_SIZE = 44;
/** Largest blob plaintext a v1 repository holds (trees of very large folders included). */
export const MAX_BLOB_LENGTH = 64 * 1024 * 1024;
export const MAX_PACK_ENTRIES = 1 << 20;
/** Largest stored (compressed, sealed) blob: a blob stored raw plus the seal's overhead. */
export const MAX_SEALED_LENGTH = MAX_BLOB_LENGTH + 64;
const TYPE_CODE: Record<BlobType, number> = { data: 0, tree: 1 };

/** Collects sealed blobs in memory until `finish` lays out the pack file. */
export class PackWriter {
  private parts: Uint8Array[] = [];
  private entries: PackEntry[] = [];
  size = 0;

  get count(): number {
    return this.entries.length;
  }

  add(type: BlobType, id: Id, codec: number, rawLength: number, sealed: Uint8Array): void {
    this.entries.push({ type, id, codec, offset: this.size, length: sealed.length, rawLength });
    this.parts.push(sealed);
    this.size += sealed.length;
  }

  /** The pack's bytes and its entries; the writer must not be used afterwards. */
  async finish(sealer: Sealer): Promise<{ bytes: Uint8Array; entries: PackEntry[] }> {
    const w = new ByteWriter(4 + this.entries.length * ENTRY_SIZE);
    w.u32(this.entries.length);
    for (const e of this.entries) {
      w.u8(TYPE_CODE[e.type]).u8(e.codec).u16(0).u32(e.length).u32(e.rawLength).bytes(fromHex(e.id));
    }
    const header = await sealer.seal('pack-header', '', w.finish());
    const trailer = new ByteWriter(PACK_TRAILER).u32(header.length).bytes(PACK_MAGIC).finish();
    const bytes = concatBytes([...this.parts, header, trailer]);
    this.parts = [];
    return { bytes, entries: this.entries };
  }
}

/** Reads the header length from a pack's last 12 bytes; validates it against the pack size. */
export function parsePackTrailer(trailer: Uint8Array, packSize: number, name: string): number {
  const r = new ByteReader(trailer, `pack ${name.slice(0, 8)} trailer`);
  const headerLength = r.u32();
  const magic = r.take(8);
  if (!magic.every((b, i) => b === PACK_MAGIC[i])) throw new CairnError('corrupted', `pack ${name.slice(0, 8)} has no pack trailer`);
  if (headerLength + PACK_TRAILER > packSize || headerLength > 4 + MAX_PACK_ENTRIES * ENTRY_SIZE + 64) {
    throw new CairnError('corrupted', `pack ${name.slice(0, 8)} has an impossible header length`);
  }
  return headerLength;
}

/** Opens and parses a pack header; checks that the entries tile the pack exactly. */
export async function parsePackHeader(sealer: Sealer, sealed: Uint8Array, packSize: number, name: string): Promise<PackEntry[]> {
  const what = `pack ${name.slice(0, 8)} header`;
  const plain = await sealer.open('pack-header', '', sealed);
  const r = new ByteReader(plain, what);
  const count = r.u32();
  if (count > MAX_PACK_ENTRIES || count * ENTRY_SIZE !== r.remaining) throw new CairnError('corrupted', `${what} has a wrong entry count`);
  const entries: PackEntry[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const t = r.u8();
    const codec = r.u8();
    r.u16();
    const length = r.u32();
    const rawLength = r.u32();
    const id = toHex(r.take(32));
    if (t > 1 || rawLength > MAX_BLOB_LENGTH || length > MAX_SEALED_LENGTH) throw new CairnError('corrupted', `${what} has an invalid entry`);
    entries.push({ type: t === 0 ? 'data' : 'tree', id, codec, offset, length, rawLength });
    offset += length;
  }
  if (offset + sealed.length + PACK_TRAILER !== packSize) throw new CairnError('corrupted', `${what} does not match the pack's size`);
  return entries;
}
