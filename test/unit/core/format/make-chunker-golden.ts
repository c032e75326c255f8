/**
 * Regenerates test/unit/core/format/chunker-golden.json, the golden vectors of the format-v1
 * chunker and gear table:
 *
 *     npx tsx test/unit/core/format/make-chunker-golden.ts
 *
 * Only do this on purpose: a changed golden file means a changed repository format (chunk
 * boundaries, hence deduplication against existing repositories). Review the diff.
 *
 * The stream: `seededBytes(24 MiB, 1)`, i.e. xorshift32 (shifts 13, 17, 5) from state 1, each step's
 * new 32-bit state appended little-endian. Chunk lengths are computed with `findCut` over the whole
 * buffer; the test recomputes them through `chunkStream` with odd piece sizes.
 * Also exports the small deterministic helpers the test shares.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chunkerMasks, DEFAULT_CHUNKER_PARAMS, findCut, type ChunkerParams } from '../../../../src/core/format/chunker';
import { GEAR, GEAR_SEED } from '../../../../src/core/format/gear-table';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Length of the golden stream. */
export const GOLDEN_STREAM_LENGTH = 24 * MiB;
/** Extra, smaller parameters, so the vectors also cover the mask formula for another avg. */
export const SMALL_PARAMS: ChunkerParams = { min: 64 * KiB, avg: 256 * KiB, max: 1 * MiB };
/** Gear entries pinned one by one. */
export const GEAR_PINNED_INDICES = [0, 1, 2, 3, 127, 128, 254, 255] as const;

/** `length` bytes of xorshift32 (13, 17, 5) output from state `seed` (non-zero), little-endian. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
    if (i + 1 < length) out[i + 1] = x >>> 8;
    if (i + 2 < length) out[i + 2] = x >>> 16;
    if (i + 3 < length) out[i + 3] = x >>> 24;
  }
  return out;
}

/** FNV-1a, 32-bit, as an unsigned number. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** The gear table as 1024 little-endian bytes. */
export function gearBytes(): Uint8Array {
  const out = new Uint8Array(1024);
  const view = new DataView(out.buffer);
  GEAR.forEach((v, i) => view.setUint32(4 * i, v, true));
  return out;
}

/** Chunk lengths of `data` cut with `findCut` over the whole buffer. */
export function cutLengths(data: Uint8Array, p: ChunkerParams): number[] {
  const lengths: number[] = [];
  for (let pos = 0; pos < data.length; ) {
    const n = findCut(data, pos, data.length, p);
    lengths.push(n);
    pos += n;
  }
  return lengths;
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** The whole golden document. */
export function computeGolden(): unknown {
  const data = seededBytes(GOLDEN_STREAM_LENGTH, 1);
  return {
    about: 'Golden vectors of the format-v1 chunker. Regenerate only on purpose: npx tsx test/unit/core/format/make-chunker-golden.ts',
    gear: {
      seed: '0x' + GEAR_SEED.toString(16),
      pinned: Object.fromEntries(GEAR_PINNED_INDICES.map((i) => [String(i), hex(GEAR[i]!)])),
      fnv1a32OfLittleEndianTable: hex(fnv1a32(gearBytes())),
    },
    masks: Object.fromEntries(
      [DEFAULT_CHUNKER_PARAMS.avg, SMALL_PARAMS.avg].map((avg) => {
        const m = chunkerMasks(avg);
        return [String(avg), { maskS: hex(m.maskS), maskL: hex(m.maskL) }];
      }),
    ),
    stream: { generator: 'xorshift32 (13, 17, 5), state 1, each new state appended little-endian', length: data.length },
    vectors: [DEFAULT_CHUNKER_PARAMS, SMALL_PARAMS].map((p) => ({
      params: { min: p.min, avg: p.avg, max: p.max },
      lengths: cutLengths(data, p),
    })),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = new URL('./chunker-golden.json', import.meta.url);
  writeFileSync(file, JSON.stringify(computeGolden(), null, 2) + '\n');
  console.log(`wrote ${file.pathname}`);
}
