import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isCairnError } from '../../../../src/core/errors';
import {
  chunkerMasks,
  chunkStream,
  DEFAULT_CHUNKER_PARAMS,
  findCut,
  validateChunkerParams,
  type ChunkerParams,
} from '../../../../src/core/format/chunker';
import { GEAR, GEAR_SEED } from '../../../../src/core/format/gear-table';
import { fnv1a32, gearBytes, GOLDEN_STREAM_LENGTH, seededBytes, SMALL_PARAMS } from './make-chunker-golden';

const KiB = 1024;
const MiB = 1024 * KiB;
const P = DEFAULT_CHUNKER_PARAMS;
/** The smallest sane parameters: keeps the byte-by-byte tests fast. */
const TINY: ChunkerParams = { min: 64 * KiB, avg: 128 * KiB, max: 256 * KiB };

interface Golden {
  gear: { seed: string; pinned: Record<string, string>; fnv1a32OfLittleEndianTable: string };
  masks: Record<string, { maskS: string; maskL: string }>;
  stream: { length: number };
  vectors: { params: ChunkerParams; lengths: number[] }[];
}
const golden = JSON.parse(readFileSync(new URL('./chunker-golden.json', import.meta.url), 'utf8')) as Golden;

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** Deterministic piece sizes from 0 to `limit` (xorshift32 from `seed`). */
function seededSizes(seed: number, limit: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % (limit + 1);
  };
}

/** `data` as an async stream of pieces whose sizes come from `nextSize`. */
async function* piecesOf(data: Uint8Array, nextSize: () => number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < data.length; ) {
    const n = Math.min(nextSize(), data.length - off);
    yield data.subarray(off, off + n);
    off += n;
  }
}

async function collect(data: Uint8Array, p: ChunkerParams, nextSize: () => number = () => data.length): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const c of chunkStream(piecesOf(data, nextSize), p)) chunks.push(c);
  return chunks;
}

const lengthsOf = (chunks: Uint8Array[]): number[] => chunks.map((c) => c.length);

/** Byte equality (vitest's deep equality is slow on megabytes). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of parts) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Random bytes with long zero runs and a short-period region, to exercise max and odd cuts. */
function mixedBytes(length: number, seed: number): Uint8Array {
  const data = seededBytes(length, seed);
  data.fill(0, Math.floor(length * 0.3), Math.floor(length * 0.55));
  for (let i = Math.floor(length * 0.7); i < Math.floor(length * 0.8); i++) data[i] = i % 13;
  return data;
}

describe('gear table', () => {
  test('matches the golden entries and checksum', () => {
    expect(GEAR.length).toBe(256);
    expect('0x' + GEAR_SEED.toString(16)).toBe(golden.gear.seed);
    for (const [i, v] of Object.entries(golden.gear.pinned)) expect(hex(GEAR[Number(i)]!)).toBe(v);
    expect(hex(fnv1a32(gearBytes()))).toBe(golden.gear.fnv1a32OfLittleEndianTable);
  });

  test('masks match the golden values and have log2(avg) ± 2 bits', () => {
    const popcount = (m: number): number => m.toString(2).replace(/0/g, '').length;
    for (const [avg, m] of Object.entries(golden.masks)) {
      const got = chunkerMasks(Number(avg));
      expect({ maskS: hex(got.maskS), maskL: hex(got.maskL) }).toEqual(m);
      const bits = Math.log2(Number(avg));
      expect(popcount(got.maskS)).toBe(bits + 2);
      expect(popcount(got.maskL)).toBe(bits - 2);
    }
  });
});

describe('chunkStream', () => {
  const stream = seededBytes(GOLDEN_STREAM_LENGTH, 1);

  test('golden vectors: chunk lengths of the 24 MiB seeded stream', async () => {
    expect(stream.length).toBe(golden.stream.length);
    for (const [k, v] of golden.vectors.entries()) {
      const p = validateChunkerParams(v.params);
      // Odd piece sizes, so the golden vectors also exercise the buffering.
      const chunks = await collect(stream, p, seededSizes(k + 7, 3 * MiB));
      expect(lengthsOf(chunks)).toEqual(v.lengths);
    }
    expect(golden.vectors.map((v) => v.params)).toEqual([{ ...P }, { ...SMALL_PARAMS }]);
  });

  test('boundaries do not depend on how the input is split into pieces', async () => {
    const data = mixedBytes(3 * MiB + 12345, 42);
    const whole = await collect(data, TINY);
    expect(whole.length).toBeGreaterThan(8);
    expect(sameBytes(concat(whole), data)).toBe(true);
    const splittings: [string, () => number][] = [
      ['7 bytes', () => 7],
      ['64 KiB', () => 64 * KiB],
      ['max + 1', () => TINY.max + 1],
      ['random 0..3*max', seededSizes(99, 3 * TINY.max)],
      ['random 0..1000', seededSizes(5, 1000)],
    ];
    for (const [name, sizes] of splittings) {
      expect(lengthsOf(await collect(data, TINY, sizes)), name).toEqual(lengthsOf(whole));
    }
    // Byte by byte on a smaller prefix (an async step per byte is slow).
    const small = data.subarray(0, 700 * KiB);
    expect(lengthsOf(await collect(small, TINY, () => 1))).toEqual(lengthsOf(await collect(small, TINY)));
  });

  test('chunks match findCut over the whole buffer and are kept intact by the caller', async () => {
    const data = mixedBytes(5 * MiB, 3);
    const chunks = await collect(data, TINY, () => 100 * KiB);
    const lengths: number[] = [];
    for (let pos = 0; pos < data.length; pos += lengths[lengths.length - 1]!) lengths.push(findCut(data, pos, data.length, TINY));
    expect(lengthsOf(chunks)).toEqual(lengths);
    // Chunks yielded earlier were not overwritten by later buffering.
    expect(sameBytes(concat(chunks), data)).toBe(true);
  });

  test('all chunks are within [min, max] except the last', async () => {
    for (const p of [P, SMALL_PARAMS, TINY]) {
      const lengths = lengthsOf(await collect(stream, p, () => 64 * KiB));
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(stream.length);
      for (const n of lengths.slice(0, -1)) {
        expect(n).toBeGreaterThanOrEqual(p.min);
        expect(n).toBeLessThanOrEqual(p.max);
      }
      expect(lengths[lengths.length - 1]!).toBeLessThanOrEqual(p.max);
    }
  });

  test('inserting a few bytes changes only the chunk or two around the edit', async () => {
    const base = seededBytes(32 * MiB, 2024);
    const key = (c: Uint8Array): string => `${c.length}:${fnv1a32(c)}`;
    const before = await collect(base, P, () => 256 * KiB);
    const known = new Set(before.map(key));
    for (const at of [0, 13 * MiB + 4321]) {
      for (const count of [1, 7, 100]) {
        const edited = new Uint8Array(base.length + count);
        edited.set(base.subarray(0, at));
        edited.set(seededBytes(count, 77 + count), at);
        edited.set(base.subarray(at), at + count);
        const after = await collect(edited, P, () => 256 * KiB);
        const changed = after.filter((c) => !known.has(key(c))).length;
        expect(changed, `insert ${count} at ${at}`).toBeGreaterThanOrEqual(1);
        expect(changed, `insert ${count} at ${at}`).toBeLessThanOrEqual(2);
      }
    }
  });

  test('all zeros cut at max size into identical chunks', async () => {
    const zeros = new Uint8Array(10 * MiB + 5);
    for (const p of [P, TINY]) {
      const chunks = await collect(zeros, p, () => 300 * KiB);
      const full = Math.floor(zeros.length / p.max);
      expect(lengthsOf(chunks)).toEqual([...Array<number>(full).fill(p.max), zeros.length - full * p.max]);
    }
  });

  test('empty stream yields nothing; data shorter than min is one chunk', async () => {
    expect(await collect(new Uint8Array(0), P)).toEqual([]);
    async function* emptyPieces(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(0);
      yield new Uint8Array(0);
    }
    const none: Uint8Array[] = [];
    for await (const c of chunkStream(emptyPieces(), P)) none.push(c);
    expect(none).toEqual([]);

    const short = seededBytes(1000, 9);
    const one = await collect(short, P, () => 333);
    expect(one).toEqual([short]);
    const exactlyMin = seededBytes(P.min, 10);
    expect(lengthsOf(await collect(exactlyMin, P))).toEqual([P.min]);
  });
});

describe('findCut', () => {
  test('returns the remaining length at the end of the stream and never more than max', () => {
    const data = new Uint8Array(P.max * 2);
    expect(findCut(data, 5, 5, P)).toBe(0);
    expect(findCut(data, 0, 10, P)).toBe(10);
    expect(findCut(data, 0, P.min, P)).toBe(P.min);
    expect(findCut(data, 0, data.length, P)).toBe(P.max);
    expect(findCut(data, 100, P.max + 50, P)).toBe(P.max - 50);
  });

  test('depends only on the bytes from start to start + max', () => {
    const data = seededBytes(12 * MiB, 11);
    const copy = data.slice(3 * MiB + 7, 3 * MiB + 7 + P.max);
    expect(findCut(copy, 0, copy.length, P)).toBe(findCut(data, 3 * MiB + 7, data.length, P));
  });
});

describe('validateChunkerParams', () => {
  test('accepts sane params and returns a clean frozen copy', () => {
    const p = validateChunkerParams({ min: 64 * KiB, avg: 1 * MiB, max: 16 * MiB, extra: 'x' });
    expect(p).toEqual({ min: 64 * KiB, avg: 1 * MiB, max: 16 * MiB });
    expect(Object.isFrozen(p)).toBe(true);
    expect(validateChunkerParams(P)).toEqual(P);
  });

  const hostile: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 1048576],
    ['an array', [P.min, P.avg, P.max]],
    ['missing max', { min: P.min, avg: P.avg }],
    ['string sizes', { min: '262144', avg: '1048576', max: '4194304' }],
    ['NaN', { ...P, avg: Number.NaN }],
    ['Infinity', { ...P, max: Number.POSITIVE_INFINITY }],
    ['fractional', { ...P, min: 262144.5 }],
    ['negative', { min: -1, avg: P.avg, max: P.max }],
    ['zero', { min: 0, avg: 0, max: 0 }],
    ['min below 64 KiB', { min: 1, avg: 2, max: 4 }],
    ['max above 16 MiB', { min: P.min, avg: P.avg, max: 16 * MiB + 1 }],
    ['huge', { min: P.min, avg: 2 ** 40, max: 2 ** 53 }],
    ['avg not a power of two', { min: P.min, avg: 1_000_000, max: P.max }],
    ['min == avg', { min: P.avg, avg: P.avg, max: P.max }],
    ['avg == max', { min: P.min, avg: P.max, max: P.max }],
    ['min > max', { min: P.max, avg: P.avg, max: P.min }],
    ['bigint', { min: BigInt(P.min), avg: BigInt(P.avg), max: BigInt(P.max) }],
  ];
  test.each(hostile)('rejects %s', (_name, p) => {
    expect(() => validateChunkerParams(p)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });

  test('uses the given error code, and chunkStream refuses bad params', async () => {
    try {
      validateChunkerParams({ min: 1, avg: 2, max: 3 }, 'corrupted');
      expect.unreachable();
    } catch (e) {
      expect(isCairnError(e, 'corrupted')).toBe(true);
    }
    const it = chunkStream(piecesOf(new Uint8Array(10), () => 10), { min: 1, avg: 3, max: 2 });
    await expect(it.next()).rejects.toSatisfy((e) => isCairnError(e, 'invalid-input'));
  });
});
