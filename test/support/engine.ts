import { Repository, type Backend, type Host } from '../../src/core';
import { webCryptoHost } from '../../src/platform/webcrypto-host';
import { MemoryBackend } from '../../src/storage/memory-backend';

/** Small chunks and packs, and a cheap KDF, so engine tests exercise many chunks and packs fast. */
export const TEST_CHUNKER = { min: 64 * 1024, avg: 128 * 1024, max: 256 * 1024 } as const;
export const TEST_KDF = { m: 1024, t: 1, p: 1 } as const;
export const PASSPHRASE = 'correct horse battery staple';

/** A host with an injected clock that advances one second per call. */
export function testHost(start = Date.UTC(2026, 0, 1)): Host & { clock: { now: number } } {
  const clock = { now: start };
  return { crypto: webCryptoHost(), hostname: 'test-host', clock, now: () => (clock.now += 1000) };
}

export async function newRepo(backend: Backend = new MemoryBackend(), host = testHost(), passphrase: string | null = PASSPHRASE) {
  const repo = await Repository.init(backend, host, {
    passphrase,
    kdf: TEST_KDF,
    chunker: TEST_CHUNKER,
    packSize: 1024 * 1024,
  });
  return { repo, backend, host };
}
