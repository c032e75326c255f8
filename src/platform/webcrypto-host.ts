import { argon2id } from 'hash-wasm';
import type { DeflateHost } from '../core/ports/deflate';
import type { CryptoHost, Host, KdfParams, KeyHandle } from '../core/ports/host';
import { fromBase64 } from '../core/format/bytes';

/**
 * The crypto host over WebCrypto (`globalThis.crypto`), identical in browser, worker and Node ≥ 20,
 * plus Argon2id from hash-wasm (WebCrypto has no memory-hard KDF).
 */
type Bytes = Uint8Array<ArrayBuffer>;

interface Subtle {
  importKey(format: 'raw', key: Bytes, alg: object, extractable: boolean, usages: string[]): Promise<unknown>;
  sign(alg: string, key: unknown, data: Bytes): Promise<ArrayBuffer>;
  digest(alg: string, data: Bytes): Promise<ArrayBuffer>;
  encrypt(alg: object, key: unknown, data: Bytes): Promise<ArrayBuffer>;
  decrypt(alg: object, key: unknown, data: Bytes): Promise<ArrayBuffer>;
}
interface WebCrypto {
  subtle: Subtle;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/** WebCrypto rejects views over SharedArrayBuffer or typed as ArrayBufferLike: hand it a plain one. */
function plain(data: Uint8Array): Bytes {
  return data.buffer instanceof ArrayBuffer ? (data as Bytes) : new Uint8Array(data);
}

export function webCryptoHost(): CryptoHost {
  const wc = (globalThis as unknown as { crypto: WebCrypto }).crypto;
  const subtle = wc.subtle;
  return {
    randomBytes(length) {
      const out = new Uint8Array(length);
      // getRandomValues fills at most 65536 bytes per call.
      for (let i = 0; i < length; i += 65536) wc.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
      return out;
    },
    async sha256(data) {
      return new Uint8Array(await subtle.digest('SHA-256', plain(data)));
    },
    async importHmacKey(raw) {
      return (await subtle.importKey('raw', plain(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])) as KeyHandle;
    },
    async hmacSha256(key, data) {
      return new Uint8Array(await subtle.sign('HMAC', key, plain(data)));
    },
    async importAesKey(raw) {
      return (await subtle.importKey('raw', plain(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])) as KeyHandle;
    },
    async aesGcmEncrypt(key, iv, data, ad) {
      const alg = { name: 'AES-GCM', iv: plain(iv), additionalData: plain(ad), tagLength: 128 };
      return new Uint8Array(await subtle.encrypt(alg, key, plain(data)));
    },
    async aesGcmDecrypt(key, iv, data, ad) {
      const alg = { name: 'AES-GCM', iv: plain(iv), additionalData: plain(ad), tagLength: 128 };
      return new Uint8Array(await subtle.decrypt(alg, key, plain(data)));
    },
    async deriveKey(passphrase: string, params: KdfParams) {
      return argon2id({
        password: passphrase.normalize('NFC'),
        salt: fromBase64(params.salt),
        iterations: params.t,
        parallelism: params.p,
        memorySize: params.m,
        hashLength: 32,
        outputType: 'binary',
      });
    },
  };
}

/** A Host for the real world: WebCrypto, the system clock, a host name and native deflate when present. */
export function webHost(hostname: string): Host {
  const deflate = streamDeflate();
  return { crypto: webCryptoHost(), now: () => Date.now(), hostname, ...(deflate ? { deflate } : {}) };
}

interface StreamCtor {
  new (format: string): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
}

/**
 * Raw inflate through the Compression Streams API (native zlib in browsers), or undefined where
 * 'deflate-raw' is not supported. Inflating stops reading and fails as soon as the output would
 * pass `maxLength`, so a decompression bomb never allocates more.
 */
export function streamDeflate(): DeflateHost | undefined {
  const g = globalThis as unknown as { DecompressionStream?: StreamCtor };
  const D = g.DecompressionStream;
  if (!D) return undefined;
  try {
    new D('deflate-raw');
  } catch {
    return undefined;
  }
  const run = async (stream: InstanceType<StreamCtor>, data: Uint8Array, maxLength: number): Promise<Uint8Array> => {
    const writer = stream.writable.getWriter();
    const written = writer.write(plain(data)).then(() => writer.close());
    written.catch(() => undefined); // the reader sees the same failure
    const reader = stream.readable.getReader();
    const parts: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxLength) {
        await reader.cancel().catch(() => undefined);
        throw new Error(`output longer than ${maxLength} bytes`);
      }
      parts.push(value);
    }
    await written;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  // Inflating only: CompressionStream has no level and runs zlib's default (level 6), measured
  // slower than fflate at level 1 in Chromium (27 vs 41 MB/s on text, docs/performance.md), while
  // DecompressionStream inflates faster than fflate (130 vs 90 MB/s).
  return { inflateRaw: (data, maxLength) => run(new D('deflate-raw'), data, maxLength) };
}
