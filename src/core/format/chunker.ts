/**
 * Content-defined chunking: FastCDC (Xia et al., "The Design of Fast Content-Defined Chunking for
 * Data Deduplication Based Storage Systems", IEEE TPDS 2020) with normalized chunking level 2.
 *
 * Part of repository format v1. Given the same parameters, the chunk boundaries are a function of
 * the byte content alone (never of how it was read or split into pieces), so an edit changes only
 * the chunk or two around it and the rest deduplicates.
 *
 * Algorithm, exactly (another implementation must reproduce it bit for bit):
 * - Gear hash on unsigned 32-bit words: `h = (h << 1) + GEAR[byte]` (mod 2^32), `GEAR` from
 *   `gear-table.ts`. `h` starts at 0 at the first hashed byte of each chunk.
 * - With `bits = log2(avg)`, `maskS = spreadMask(bits + 2)` and `maskL = spreadMask(bits - 2)`,
 *   where `spreadMask(n)` sets the n bit positions `31 - floor(k * 28 / n)` for k = 0 … n-1
 *   (spread over the top 28 bits, so every tested bit depends on at least 5 bytes and the widest
 *   on 32). For avg = 1 MiB: maskS = 0xf7bbdee0 (22 bits), maskL = 0xdb6b6da0 (18 bits); the unit
 *   test pins these.
 * - For a chunk starting at `s` with `n = min(remaining, max)` bytes available: if n <= min the
 *   chunk is n bytes. Otherwise, with `normal = min(avg, n)`, hash bytes at offsets i = min, min+1, …
 *   and cut after the first byte i where `(h & maskS) == 0` while i < normal, or `(h & maskL) == 0`
 *   while i >= normal; the chunk length is then i + 1. With no such byte the chunk is n bytes.
 * So every chunk but the last of a stream has a length in [min + 1, max].
 */
import { CairnError, type CairnErrorCode } from '../errors';
import { GEAR } from './gear-table';

/** Chunk size bounds in bytes. Only use values returned by `validateChunkerParams`. */
export interface ChunkerParams {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** The format-v1 defaults: 256 KiB / 1 MiB / 4 MiB. */
export const DEFAULT_CHUNKER_PARAMS: ChunkerParams = Object.freeze({ min: 256 * KiB, avg: 1 * MiB, max: 4 * MiB });

/** Hard bounds any repository's parameters must respect (hostile configs are refused). */
export const CHUNKER_LIMITS = Object.freeze({ minMin: 64 * KiB, maxMax: 16 * MiB });

/**
 * Returns a clean, frozen copy of `p` when it is sane chunker parameters: an object whose `min`,
 * `avg`, `max` are integers, `avg` a power of two, and 64 KiB <= min < avg < max <= 16 MiB.
 * Otherwise throws a `CairnError` with `code` (default `invalid-input`; pass `corrupted` when the
 * parameters were read from a repository).
 */
export function validateChunkerParams(p: unknown, code: Extract<CairnErrorCode, 'corrupted' | 'invalid-input'> = 'invalid-input'): ChunkerParams {
  const fail = (why: string): never => {
    throw new CairnError(code, `Invalid chunker parameters: ${why}.`);
  };
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return fail('not an object');
  const { min, avg, max } = p as Record<string, unknown>;
  for (const [name, v] of [['min', min], ['avg', avg], ['max', max]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail(`${name} is not an integer`);
  }
  const [mn, av, mx] = [min as number, avg as number, max as number];
  if (mn < CHUNKER_LIMITS.minMin) fail('min is below 64 KiB');
  if (mx > CHUNKER_LIMITS.maxMax) fail('max is above 16 MiB');
  if (!(mn < av && av < mx)) fail('sizes must satisfy min < avg < max');
  if ((av & (av - 1)) !== 0) fail('avg is not a power of two');
  return Object.freeze({ min: mn, avg: av, max: mx });
}

/** `n` bits spread over bit positions 31 … 4 (see the module comment). Result as a signed int32. */
function spreadMask(n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) m |= 1 << (31 - Math.floor((k * 28) / n));
  return m;
}

/** The FastCDC masks for `avg` (a power of two) as unsigned 32-bit values. */
export function chunkerMasks(avg: number): { readonly maskS: number; readonly maskL: number } {
  const bits = Math.round(Math.log2(avg));
  return { maskS: spreadMask(bits + 2) >>> 0, maskL: spreadMask(bits - 2) >>> 0 };
}

/** The gear table as int32, so the hot loop stays in small-integer arithmetic (same bits). */
const G = new Int32Array(GEAR.buffer, GEAR.byteOffset, 256);

let cachedAvg = -1;
let cachedS = 0;
let cachedL = 0;

/**
 * Cut point in `data[start..end)`: returns the length of the next chunk (1 … max; 0 only when
 * start >= end). Precondition: `p` validated, and `data[start..end)` holds at least
 * `min(max, end - start)` bytes of the stream, i.e. `end - start >= max` or `end` is the end of the
 * stream; the result then depends only on the bytes `data[start .. start + max)`.
 */
export function findCut(data: Uint8Array, start: number, end: number, p: ChunkerParams): number {
  let n = end - start;
  if (n <= p.min) return n > 0 ? n : 0;
  if (n > p.max) n = p.max;
  if (p.avg !== cachedAvg) {
    const m = chunkerMasks(p.avg);
    cachedS = m.maskS | 0;
    cachedL = m.maskL | 0;
    cachedAvg = p.avg;
  }
  const maskS = cachedS;
  const maskL = cachedL;
  const normal = start + (n < p.avg ? n : p.avg);
  const stop = start + n;
  let i = start + p.min;
  let h = 0;
  // Indexing is safe: start + min <= i < stop <= end <= data.length, and G has 256 entries.
  for (; i < normal; i++) {
    h = ((h << 1) + G[data[i]!]!) | 0;
    if ((h & maskS) === 0) return i + 1 - start;
  }
  for (; i < stop; i++) {
    h = ((h << 1) + G[data[i]!]!) | 0;
    if ((h & maskL) === 0) return i + 1 - start;
  }
  return n;
}

/**
 * Splits an async stream of byte pieces of any sizes into chunks, in order. The boundaries are
 * those of `findCut` applied to the concatenated stream: they never depend on the piece sizes.
 * Each yielded chunk is a fresh copy the caller may keep; pieces are never retained or modified.
 * Memory stays bounded by a 2 * max buffer whatever the stream length. An empty stream yields
 * nothing. Throws `invalid-input` when `p` is not sane.
 */
export async function* chunkStream(source: AsyncIterable<Uint8Array>, p: ChunkerParams): AsyncGenerator<Uint8Array> {
  const params = validateChunkerParams(p);
  const { max } = params;
  // Grown on demand up to 2 * max: most files are small, and zeroing a 2 * max buffer per file
  // dominated backups of many small files.
  let buf = new Uint8Array(0);
  let pos = 0; // start of the unconsumed bytes in buf
  let len = 0; // end of the valid bytes in buf
  for await (const piece of source) {
    let off = 0;
    while (off < piece.length) {
      if (pos === len) {
        // Nothing buffered: cut straight from the piece, buffer only its tail.
        pos = len = 0;
        while (piece.length - off >= max) {
          const cut = findCut(piece, off, piece.length, params);
          yield piece.slice(off, off + cut);
          off += cut;
        }
        if (off === piece.length) break;
      }
      const need = len - pos + (piece.length - off);
      if (need > buf.length - pos && buf.length < 2 * max) {
        const next = new Uint8Array(Math.min(2 * max, Math.max(need, buf.length * 2, 64 * 1024)));
        next.set(buf.subarray(pos, len));
        len -= pos;
        pos = 0;
        buf = next;
      }
      if (buf.length - len < piece.length - off && pos > 0) {
        // Compact: moves fewer than max bytes and frees at least max, so this stays rare.
        buf.copyWithin(0, pos, len);
        len -= pos;
        pos = 0;
      }
      const take = Math.min(buf.length - len, piece.length - off);
      buf.set(piece.subarray(off, off + take), len);
      len += take;
      off += take;
      while (len - pos >= max) {
        const cut = findCut(buf, pos, len, params);
        yield buf.slice(pos, pos + cut);
        pos += cut;
      }
    }
  }
  while (pos < len) {
    const cut = findCut(buf, pos, len, params);
    yield buf.slice(pos, pos + cut);
    pos += cut;
  }
}
