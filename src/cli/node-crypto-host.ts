import { createCipheriv, createDecipheriv, createHash, createHmac, randomFillSync } from 'node:crypto';
import type { CryptoHost, KeyHandle } from '../core/ports/host';

/** From this many bytes on, WebCrypto's thread-pool call (parallel to the main thread) pays. */
const OFF_THREAD = 256 * 1024;

/**
 * The crypto host over node:crypto (OpenSSL), for the CLI: the same algorithms and bytes as the
 * WebCrypto host, called synchronously. WebCrypto in Node costs a thread-pool round trip, a copy
 * of the input and several promise and job objects per call; a backup or restore makes two or
 * three calls per chunk, so for the many small blobs of ordinary folders that overhead, not the
 * hashing itself, dominated (docs/performance.md). Large inputs still go to `base` (WebCrypto),
 * whose work runs on the thread pool in parallel with the main thread. Argon2id is left to `base`.
 */
export function nodeCryptoHost(base: CryptoHost): CryptoHost {
  interface Both {
    raw: Buffer;
    web: KeyHandle;
  }
  const raw = (key: KeyHandle) => (key as unknown as Both).raw;
  const web = (key: KeyHandle) => (key as unknown as Both).web;
  const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);
  return {
    randomBytes(length) {
      return randomFillSync(new Uint8Array(length));
    },
    async sha256(data) {
      return view(createHash('sha256').update(data).digest());
    },
    async importHmacKey(bytes) {
      return { raw: Buffer.from(bytes), web: await base.importHmacKey(bytes) } as unknown as KeyHandle;
    },
    async hmacSha256(key, data) {
      if (data.length >= OFF_THREAD) return base.hmacSha256(web(key), data);
      return view(createHmac('sha256', raw(key)).update(data).digest());
    },
    async importAesKey(bytes) {
      return { raw: Buffer.from(bytes), web: await base.importAesKey(bytes) } as unknown as KeyHandle;
    },
    async aesGcmEncrypt(key, iv, data, ad) {
      if (data.length >= OFF_THREAD) return base.aesGcmEncrypt(web(key), iv, data, ad);
      const c = createCipheriv('aes-256-gcm', raw(key), iv, { authTagLength: 16 });
      c.setAAD(ad);
      const out = new Uint8Array(data.length + 16);
      const head = c.update(data);
      out.set(head, 0);
      const tail = c.final();
      out.set(tail, head.length);
      out.set(c.getAuthTag(), head.length + tail.length);
      return out;
    },
    async aesGcmDecrypt(key, iv, data, ad) {
      if (data.length >= OFF_THREAD) return base.aesGcmDecrypt(web(key), iv, data, ad);
      if (data.length < 16) throw new Error('ciphertext shorter than its tag');
      const d = createDecipheriv('aes-256-gcm', raw(key), iv, { authTagLength: 16 });
      d.setAAD(ad);
      d.setAuthTag(data.subarray(data.length - 16));
      const head = d.update(data.subarray(0, data.length - 16));
      const tail = d.final(); // throws when authentication fails
      return tail.length === 0 ? view(head) : view(Buffer.concat([head, tail]));
    },
    deriveKey: (passphrase, params) => base.deriveKey(passphrase, params),
  };
}
