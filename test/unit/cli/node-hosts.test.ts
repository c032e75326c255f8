import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { decodeBlob, decodeBlobWith, encodeBlobWith } from '../../../src/core/format/codec';
import { nodeCryptoHost } from '../../../src/cli/node-crypto-host';
import { nodeDeflate } from '../../../src/cli/node-deflate';
import { webCryptoHost } from '../../../src/platform/webcrypto-host';

/** Seeded bytes: text-like (compressible) or noise. */
function bytes(n: number, seed: number, text = false): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? 97 + ((x >>> 0) % 8) : x & 255;
  }
  return out;
}

describe('the CLI hosts produce the same bytes as the web host', () => {
  const web = webCryptoHost();
  const node = nodeCryptoHost(web);
  const key = bytes(32, 7);
  const sizes = [0, 1, 100, 64 * 1024, 256 * 1024, 1024 * 1024 + 3];

  it('HMAC-SHA-256 and SHA-256 agree, small and large', async () => {
    const [wk, nk] = [await web.importHmacKey(key), await node.importHmacKey(key)];
    for (const n of sizes) {
      const data = bytes(n, n + 1);
      expect(await node.hmacSha256(nk, data)).toEqual(await web.hmacSha256(wk, data));
      expect(await node.sha256(data)).toEqual(await web.sha256(data));
    }
  });

  it('AES-256-GCM: each opens what the other sealed; tampering fails', async () => {
    const [wk, nk] = [await web.importAesKey(key), await node.importAesKey(key)];
    const iv = bytes(12, 3);
    const ad = bytes(20, 4);
    for (const n of sizes) {
      const data = bytes(n, n + 9);
      const a = await node.aesGcmEncrypt(nk, iv, data, ad);
      expect(a).toEqual(await web.aesGcmEncrypt(wk, iv, data, ad));
      expect(await web.aesGcmDecrypt(wk, iv, a, ad)).toEqual(data);
      expect(await node.aesGcmDecrypt(nk, iv, a, ad)).toEqual(data);
      const bad = a.slice();
      bad[bad.length - 1]! ^= 1;
      await expect(node.aesGcmDecrypt(nk, iv, bad, ad)).rejects.toThrow();
      await expect(node.aesGcmDecrypt(nk, iv, a, bytes(20, 5))).rejects.toThrow();
    }
  });

  it('native deflate: blobs decode with fflate and back; bombs and junk are corrupted', async () => {
    const z = nodeDeflate();
    for (const n of [100, 10_000, 200_000, 600_000]) {
      const raw = bytes(n, n, true);
      const enc = await encodeBlobWith(z, raw);
      expect(enc.codec).toBe(1);
      expect(decodeBlob(enc.codec, enc.data, n)).toEqual(raw);
      const viaFflate = deflateSync(raw, { level: 1 });
      expect(await decodeBlobWith(z, 1, viaFflate, n)).toEqual(raw);
      await expect(decodeBlobWith(z, 1, enc.data, n - 1)).rejects.toMatchObject({ code: 'corrupted' });
      await expect(decodeBlobWith(z, 1, enc.data, n + 1)).rejects.toMatchObject({ code: 'corrupted' });
    }
    await expect(decodeBlobWith(z, 1, bytes(5000, 1), 5000)).rejects.toMatchObject({ code: 'corrupted' });
    const noise = bytes(1 << 20, 2);
    expect((await encodeBlobWith(z, noise)).codec).toBe(0);
  });
});
