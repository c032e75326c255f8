import type { DeflateHost } from './deflate';

/**
 * The host port: everything core needs from the platform that is not pure computation.
 * Implemented with WebCrypto (browser, worker and Node share it) in src/platform/webcrypto-host.ts;
 * tests may inject a fake clock.
 */
export interface KdfParams {
  readonly name: 'argon2id';
  /** Memory in KiB. */
  readonly m: number;
  /** Iterations. */
  readonly t: number;
  /** Parallelism. */
  readonly p: number;
  /** Salt, base64. */
  readonly salt: string;
}

/** An opaque key handle made by the host (a CryptoKey in WebCrypto). */
export type KeyHandle = { readonly __keyHandle: true };

export interface CryptoHost {
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Promise<Uint8Array>;
  importHmacKey(raw: Uint8Array): Promise<KeyHandle>;
  hmacSha256(key: KeyHandle, data: Uint8Array): Promise<Uint8Array>;
  importAesKey(raw: Uint8Array): Promise<KeyHandle>;
  /** AES-256-GCM; returns ciphertext with the 16-byte tag appended. */
  aesGcmEncrypt(key: KeyHandle, iv: Uint8Array, data: Uint8Array, ad: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM; throws any error when authentication fails. */
  aesGcmDecrypt(key: KeyHandle, iv: Uint8Array, data: Uint8Array, ad: Uint8Array): Promise<Uint8Array>;
  /** Derives 32 bytes from a passphrase. Callers validate params against caps first. */
  deriveKey(passphrase: string, params: KdfParams): Promise<Uint8Array>;
}

export interface Host {
  readonly crypto: CryptoHost;
  /** Native raw DEFLATE, when the host has one (faster than the built-in fflate). */
  readonly deflate?: DeflateHost;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Host name recorded in snapshots and locks ("browser" in the app). */
  readonly hostname: string;
}
