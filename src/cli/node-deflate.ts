import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import type { DeflateHost } from '../core/ports/deflate';

/**
 * Below these input sizes the synchronous call costs the main thread less than dispatching to
 * the thread pool (measured on 2 cores: deflate ≈ 120 MB/s, inflate ≈ 350 MB/s, dispatch ≈ 50 µs).
 */
const DEFLATE_SYNC_BELOW = 16 * 1024;
const INFLATE_SYNC_BELOW = 32 * 1024;

/**
 * Raw DEFLATE through Node's zlib. Large inputs go through the asynchronous calls, which run on
 * libuv's thread pool, so several chunks compress in parallel with each other and with the main
 * thread; small ones are done in place. Inflating fails as soon as the output would pass
 * `maxLength` (zlib's `maxOutputLength`), so a decompression bomb never allocates more.
 */
export function nodeDeflate(): DeflateHost {
  const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);
  return {
    deflateRaw(data, level) {
      if (data.length < DEFLATE_SYNC_BELOW) {
        try {
          return Promise.resolve(view(deflateRawSync(data, { level })));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return new Promise((resolve, reject) => deflateRaw(data, { level }, (e, out) => (e ? reject(e) : resolve(view(out)))));
    },
    inflateRaw(data, maxLength) {
      if (data.length < INFLATE_SYNC_BELOW) {
        try {
          return Promise.resolve(view(inflateRawSync(data, { maxOutputLength: maxLength })));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return new Promise((resolve, reject) => inflateRaw(data, { maxOutputLength: maxLength }, (e, out) => (e ? reject(e) : resolve(view(out)))));
    },
  };
}
