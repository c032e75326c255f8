import { argon2id } from 'hash-wasm';
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

/** A Host for the real world: WebCrypto, the system clock and a host name. */
export function webHost(hostname: string): Host {
  return { crypto: webCryptoHost(), now: () => Date.now(), hostname };
}
