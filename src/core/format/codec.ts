import { deflateSync, Inflate } from 'fflate';
import { CairnError } from '../errors';
import type { DeflateHost } from '../ports/deflate';

/**
 * Per-blob compression. The codec is recorded with every blob (pack header and index), so a
 * later version can add codecs without rewriting old data.
 *   0 = stored as is, 1 = raw DEFLATE (RFC 1951). Other values are unknown to format v1.
 */
export const CODEC_NONE = 0;
export const CODEC_DEFLATE = 1;
export type Codec = typeof CODEC_NONE | typeof CODEC_DEFLATE;

const SAMPLE = 16 * 1024;
/** A sample must shrink at least this much for the whole blob to be tried. */
const SAMPLE_RATIO = 0.92;
/** The whole blob must shrink at least this much to be stored compressed. */
const KEEP_RATIO = 0.97;

export interface Encoded {
  readonly codec: Codec;
  readonly data: Uint8Array;
}

/**
 * Compresses when it pays. Incompressible data (media, archives, encrypted files) is detected by
 * compressing a small sample from the middle first, so it costs little.
 */
export function encodeBlob(raw: Uint8Array, level: 1 | 2 | 3 | 4 | 5 | 6 = 1): Encoded {
  if (raw.length < 64) return { codec: CODEC_NONE, data: raw };
  if (raw.length > SAMPLE * 2) {
    const start = Math.floor(raw.length / 2) - SAMPLE / 2;
    const sample = raw.subarray(start, start + SAMPLE);
    if (deflateSync(sample, { level: 1 }).length > sample.length * SAMPLE_RATIO) {
      return { codec: CODEC_NONE, data: raw };
    }
  }
  const packed = deflateSync(raw, { level });
  if (packed.length > raw.length * KEEP_RATIO) return { codec: CODEC_NONE, data: raw };
  return { codec: CODEC_DEFLATE, data: packed };
}

/**
 * `encodeBlob` with the same decisions, compressing through the host's native deflate when given
 * (the output is codec 1 either way).
 */
export async function encodeBlobWith(native: DeflateHost | undefined, raw: Uint8Array, level: 1 | 2 | 3 | 4 | 5 | 6 = 1): Promise<Encoded> {
  const deflate = native?.deflateRaw?.bind(native);
  if (!deflate) return encodeBlob(raw, level);
  if (raw.length < 64) return { codec: CODEC_NONE, data: raw };
  if (raw.length > SAMPLE * 2) {
    const start = Math.floor(raw.length / 2) - SAMPLE / 2;
    const sample = raw.subarray(start, start + SAMPLE);
    if ((await deflate(sample, 1)).length > sample.length * SAMPLE_RATIO) {
      return { codec: CODEC_NONE, data: raw };
    }
  }
  const packed = await deflate(raw, level);
  if (packed.length > raw.length * KEEP_RATIO) return { codec: CODEC_NONE, data: raw };
  return { codec: CODEC_DEFLATE, data: packed };
}

/** `decodeBlob` through the host's native inflate when given; the same guarantees. */
export async function decodeBlobWith(native: DeflateHost | undefined, codec: number, data: Uint8Array, rawLength: number): Promise<Uint8Array> {
  if (!native || codec !== CODEC_DEFLATE) return decodeBlob(codec, data, rawLength);
  let result: Uint8Array;
  try {
    // One spare byte, as in decodeBlob: a stream longer than recorded fails.
    result = await native.inflateRaw(data, rawLength + 1);
  } catch (e) {
    throw new CairnError('corrupted', 'compressed blob does not decompress', { cause: e });
  }
  if (result.length !== rawLength) {
    throw new CairnError('corrupted', `compressed blob decompresses to ${result.length} bytes, ${rawLength} recorded`);
  }
  return result;
}

/**
 * Decodes a blob whose uncompressed length is known from the header or index. Produces exactly
 * `rawLength` bytes or throws CairnError('corrupted'): a decompression bomb cannot allocate more
 * than `rawLength`, which callers bound before calling.
 */
export function decodeBlob(codec: number, data: Uint8Array, rawLength: number): Uint8Array {
  if (codec === CODEC_NONE) {
    if (data.length !== rawLength) throw new CairnError('corrupted', 'stored blob has the wrong length');
    return data;
  }
  if (codec !== CODEC_DEFLATE) throw new CairnError('corrupted', `unknown compression codec ${codec}`);
  return inflateBounded(data, rawLength);
}

/** Input fed to the inflater per step: one step of a bomb expands to at most ~4 MiB. */
const INFLATE_STEP = 4 * 1024;

/**
 * Raw DEFLATE, stopped as soon as the output would pass `rawLength`: a decompression bomb costs
 * time and memory bounded by its recorded length (plus one step), not by its expansion.
 */
function inflateBounded(data: Uint8Array, rawLength: number): Uint8Array {
  const out = new Uint8Array(rawLength);
  let length = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    if (over) return;
    if (length + chunk.length > rawLength) {
      over = true;
      return;
    }
    out.set(chunk, length);
    length += chunk.length;
  });
  try {
    for (let at = 0; at < data.length && !over; at += INFLATE_STEP) {
      const end = Math.min(data.length, at + INFLATE_STEP);
      inflater.push(data.subarray(at, end), end === data.length);
    }
  } catch (e) {
    throw new CairnError('corrupted', 'compressed blob does not decompress', { cause: e });
  }
  if (over) throw new CairnError('corrupted', `compressed blob decompresses to more than the ${rawLength} bytes recorded`);
  if (length !== rawLength) throw new CairnError('corrupted', `compressed blob decompresses to ${length} bytes, ${rawLength} recorded`);
  return out;
}
