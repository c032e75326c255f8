import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CairnError } from '../../../src/core/errors';
import { CODEC_DEFLATE, CODEC_NONE, decodeBlob, encodeBlob } from '../../../src/core/format/codec';
import { byteMutationsArb, digest, mutateBytes, outcome } from './support';

/**
 * decodeBlob against hostile input: decompression bombs, random streams, unknown codecs, wrong
 * lengths. Every inflate is observed (fflate is wrapped) to prove that no output buffer larger
 * than rawLength + 1 bytes is ever allocated.
 */

const spy = vi.hoisted(() => ({ calls: [] as { out: number | undefined; result: number | undefined; resultBuffer: number | undefined }[] }));

vi.mock('fflate', async (importOriginal) => {
  const real = await importOriginal<typeof import('fflate')>();
  return {
    ...real,
    inflateSync(data: Uint8Array, opts?: { out?: Uint8Array }) {
      const call = { out: opts?.out?.length, result: undefined as number | undefined, resultBuffer: undefined as number | undefined };
      spy.calls.push(call);
      const r = real.inflateSync(data, opts);
      call.result = r.length;
      call.resultBuffer = r.buffer.byteLength;
      return r;
    },
  };
});

afterEach(() => {
  spy.calls.length = 0;
});

const KiB = 1024;
const MiB = 1024 * KiB;

/** Every inflate since the last reset used a buffer of exactly rawLength + 1 and produced nothing larger. */
function expectBoundedInflates(rawLength: number): void {
  for (const c of spy.calls) {
    expect(c.out).toBe(rawLength + 1);
    if (c.result !== undefined) expect(c.result).toBeLessThanOrEqual(rawLength + 1);
    if (c.resultBuffer !== undefined) expect(c.resultBuffer).toBeLessThanOrEqual(rawLength + 1);
  }
  spy.calls.length = 0;
}

/**
 * A raw DEFLATE stream of zeros that expands to at least `bytes` bytes, built without ever
 * holding the expansion: zlib's level-9 encoding of a long zero run is a short prefix, one 0x00
 * byte per 1 032 output bytes (four length-258 matches), and a 2-byte end.
 */
function bomb(bytes: number): Uint8Array {
  const sample = deflateRawSync(Buffer.alloc(MiB), { level: 9 });
  const head = sample.subarray(0, 16);
  const tail = sample.subarray(sample.length - 2);
  const body = Math.max(0, Math.ceil((bytes - BOMB_BASE) / BOMB_STEP));
  const out = new Uint8Array(head.length + body + tail.length);
  out.set(head);
  out.set(tail, head.length + body);
  return out;
}
const BOMB_BASE = 1096;
const BOMB_STEP = 1032;
const bombSize = (b: Uint8Array) => BOMB_BASE + BOMB_STEP * (b.length - 18);

async function heapGrowth(run: () => unknown): Promise<number> {
  const before = process.memoryUsage();
  await run();
  const after = process.memoryUsage();
  return after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
}

describe('decodeBlob: decompression bombs', () => {
  it('the bomb builder makes what it says (checked on a small one with the real inflater)', async () => {
    const { inflateSync } = await vi.importActual<typeof import('fflate')>('fflate');
    for (const size of [0, 5000, 200 * KiB]) {
      const b = bomb(size);
      const out = inflateSync(b);
      expect(out.length).toBe(bombSize(b));
      expect(out.length).toBeGreaterThanOrEqual(size);
      expect(out.every((x) => x === 0)).toBe(true);
    }
  });

  it('a 100 KB stream expanding to 100 MiB with a small recorded rawLength is corrupted; output never exceeds rawLength + 1', async () => {
    const b = bomb(100 * MiB);
    expect(b.length).toBeLessThan(110 * KiB);
    expect(bombSize(b)).toBeGreaterThanOrEqual(100 * MiB);
    for (const rawLength of [0, 1000]) {
      let r: unknown;
      const grew = await heapGrowth(() => {
        r = outcome(() => decodeBlob(CODEC_DEFLATE, b, rawLength), 5000);
      });
      expect(r).toBeInstanceOf(CairnError);
      expect(r).toMatchObject({ code: 'corrupted' });
      expectBoundedInflates(rawLength);
      expect(grew).toBeLessThan(32 * MiB);
    }
  });

  it('a bomb recorded one byte short of its size is corrupted; recorded exactly it decodes', () => {
    const b = bomb(3 * MiB);
    const size = bombSize(b);
    expect(() => decodeBlob(CODEC_DEFLATE, b, size - 1)).toThrow(expect.objectContaining({ code: 'corrupted' }));
    expectBoundedInflates(size - 1);
    expect(() => decodeBlob(CODEC_DEFLATE, b, size + 1)).toThrow(expect.objectContaining({ code: 'corrupted' }));
    expectBoundedInflates(size + 1);
    expect(decodeBlob(CODEC_DEFLATE, b, size).length).toBe(size);
    expectBoundedInflates(size);
  });

  it('the work a bomb causes is bounded by its recorded rawLength, not by its expansion', () => {
    // decodeBlob stops allocating at rawLength + 1 but fflate keeps inflating the whole stream
    // into the void: a 256 KB bomb (256 MiB) costs seconds, a 64 MiB sealed blob (the largest an
    // index allows, ~66 GB expanded) keeps the worker busy for minutes. A decoder that stops once
    // the output passes rawLength answers in well under a millisecond here.
    const small = bomb(8 * MiB);
    const large = bomb(256 * MiB);
    const time = (b: Uint8Array) => {
      const t = performance.now();
      expect(outcome(() => decodeBlob(CODEC_DEFLATE, b, 1000), 60_000)).toMatchObject({ code: 'corrupted' });
      return performance.now() - t;
    };
    time(small); // warm up
    const tSmall = time(small);
    const tLarge = time(large);
    expect(tLarge, `8 MiB bomb: ${tSmall.toFixed(0)} ms, 256 MiB bomb: ${tLarge.toFixed(0)} ms`).toBeLessThan(500);
  });
});

describe('decodeBlob: hostile input', () => {
  it('random bytes as codec 1: exactly rawLength bytes or corrupted, never more than rawLength + 1 allocated', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 64 * KiB })), (data, rawLength) => {
        const r = outcome(() => decodeBlob(CODEC_DEFLATE, data, rawLength));
        if (r instanceof CairnError) expect(r.code).toBe('corrupted');
        else expect(r.length).toBe(rawLength);
        expectBoundedInflates(rawLength);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated and truncated valid deflate streams: exactly rawLength bytes or corrupted', () => {
    const raw = new TextEncoder().encode('the quick brown fox jumps over the lazy dog; '.repeat(200));
    const packed = encodeBlob(raw);
    expect(packed.codec).toBe(CODEC_DEFLATE);
    fc.assert(
      fc.property(byteMutationsArb, fc.integer({ min: -3, max: 3 }), (mutations, delta) => {
        const rawLength = raw.length + delta;
        const r = outcome(() => decodeBlob(CODEC_DEFLATE, mutateBytes(packed.data, mutations), rawLength));
        if (r instanceof CairnError) expect(r.code).toBe('corrupted');
        else expect(r.length).toBe(rawLength);
        expectBoundedInflates(rawLength);
      }),
      { numRuns: 500 },
    );
  });

  it('unknown codec ids are corrupted, whatever the data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 255 }), fc.uint8Array({ maxLength: 100 }), fc.nat(1000), (codec, data, rawLength) => {
        expect(outcome(() => decodeBlob(codec, data, rawLength))).toMatchObject({ code: 'corrupted' });
      }),
      { numRuns: 300 },
    );
    for (const codec of [-1, 0.5, 256, 2 ** 32, Number.NaN]) {
      expect(outcome(() => decodeBlob(codec, new Uint8Array(4), 4))).toMatchObject({ code: 'corrupted' });
    }
    expect(spy.calls).toEqual([]);
  });

  it('codec 0 with a wrong length is corrupted; with the right length it is the data itself', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 400 }), (data, rawLength) => {
        const r = outcome(() => decodeBlob(CODEC_NONE, data, rawLength));
        if (rawLength === data.length) expect(r).toEqual(data);
        else expect(r).toMatchObject({ code: 'corrupted' });
      }),
      { numRuns: 300 },
    );
  });
});

/** Data of random compressibility: random, zeros, short repeated patterns, text, or a mix. */
const blobArb = fc
  .record({
    size: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 40 * KiB }), fc.integer({ min: 0, max: 200 * KiB })),
    kind: fc.constantFrom('random', 'zeros', 'pattern', 'text', 'mixed', 'sparse'),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    period: fc.integer({ min: 1, max: 300 }),
    level: fc.constantFrom(1, 2, 3, 4, 5, 6) as fc.Arbitrary<1 | 2 | 3 | 4 | 5 | 6>,
  })
  .map(({ size, kind, seed, period, level }) => {
    const out = new Uint8Array(size);
    let x = seed;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    const words = ['cairn ', 'backup ', 'restore ', 'snapshot ', 'the ', 'a ', '\n'];
    let at = 0;
    while (at < size) {
      switch (kind) {
        case 'random':
          out[at++] = next() & 255;
          break;
        case 'zeros':
          at = size;
          break;
        case 'pattern':
          out[at] = (at % period) * 7;
          at++;
          break;
        case 'text':
          for (const c of words[next() % words.length]!) if (at < size) out[at++] = c.charCodeAt(0);
          break;
        case 'mixed':
          out[at] = at < size / 2 ? next() & 255 : 0;
          at++;
          break;
        case 'sparse':
          out[at++] = next() % 16 === 0 ? next() & 255 : 0;
          break;
      }
    }
    return { raw: out, level, kind };
  });

describe('encodeBlob / decodeBlob round trip', () => {
  it('gives back the exact bytes for data of any compressibility, compressing only when it pays', () => {
    fc.assert(
      fc.property(blobArb, ({ raw, level }) => {
        const e = encodeBlob(raw, level);
        expect([CODEC_NONE, CODEC_DEFLATE]).toContain(e.codec);
        if (raw.length < 64) expect(e.codec).toBe(CODEC_NONE);
        if (e.codec === CODEC_DEFLATE) expect(e.data.length).toBeLessThanOrEqual(raw.length * 0.97);
        else expect(digest(e.data)).toBe(digest(raw));
        const back = decodeBlob(e.codec, e.data, raw.length);
        expect(digest(back)).toBe(digest(raw));
        if (e.codec === CODEC_DEFLATE) expectBoundedInflates(raw.length);
        // the wrong length, either way, is refused
        for (const wrong of [raw.length - 1, raw.length + 1]) {
          if (wrong < 0) continue;
          expect(outcome(() => decodeBlob(e.codec, e.data, wrong))).toMatchObject({ code: 'corrupted' });
        }
        spy.calls.length = 0;
      }),
      { numRuns: 200 },
    );
  });
});
