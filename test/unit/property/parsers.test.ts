import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors';
import { ByteReader, fromBase64, fromHex, toBase64, toHex, utf8 } from '../../../src/core/format/bytes';
import { isId } from '../../../src/core/format/ids';
import { makeSealer, type Sealer } from '../../../src/core/format/sealer';
import type { CryptoHost, Host, KdfParams } from '../../../src/core/ports/host';
import { decodeIndex, encodeIndex, type IndexContent, type IndexedBlob } from '../../../src/core/repository/index-file';
import { createKeyFile, decodeKeyFile, KDF_CAPS, unwrapMaster, type KeyFile } from '../../../src/core/repository/key-file';
import {
  MAX_BLOB_LENGTH,
  MAX_PACK_ENTRIES,
  MAX_SEALED_LENGTH,
  PACK_MAGIC,
  PACK_TRAILER,
  PackWriter,
  parsePackHeader,
  parsePackTrailer,
  type BlobType,
  type PackEntry,
} from '../../../src/core/repository/pack';
import { decodeConfig, encodeConfig, MAX_PACK_SIZE, MIN_PACK_SIZE, verifyConfigMac, type RepoConfig } from '../../../src/core/repository/repo-config';
import { listLocks, RepoLock, STALE_MS, type LockInfo } from '../../../src/core/repository/repo-lock';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../../../src/core/model/snapshot';
import { compareNames, decodeTree, encodeTree, MAX_NAME_LENGTH, type Tree, type TreeNode } from '../../../src/core/model/tree';
import { webCryptoHost } from '../../../src/platform/webcrypto-host';
import { MemoryBackend } from '../../../src/storage/memory-backend';
import {
  anyStringArb,
  byteMutationsArb,
  deepArrayText,
  deepObjectText,
  enc,
  dec,
  hexIdArb,
  jsonEditsArb,
  mutateBytes,
  mutateJson,
  outcome,
  outcomeAsync,
  RawJson,
  stringifyWithRaw,
} from './support';

/**
 * Property tests of every repository parser: (a) encode → decode gives the value back, with the
 * real encoders; (b) on arbitrary bytes, byte-level mutations of valid encodings and JSON-level
 * mutations (wrong types, huge numbers, negative counts, deep nesting) the parser returns a valid
 * value or throws a CairnError — never a TypeError/RangeError — quickly, and counts claimed in
 * headers never make it allocate.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const RUNS = 400;
const ASYNC_RUNS = 150;

const crypto: CryptoHost = webCryptoHost();
const master = crypto.randomBytes(64);
const macKey = await crypto.importHmacKey(master.subarray(32));
/** Named, so fast-check prints counterexamples as "gcm sealer" rather than as source code. */
const named = (s: Sealer, name: string): Sealer => Object.assign(s, { [fc.toStringMethod]: () => name });
const sealers: Record<'gcm' | 'mac', Sealer> = {
  gcm: named(await makeSealer(crypto, master, true), 'gcm sealer'),
  mac: named(await makeSealer(crypto, master, false), 'mac sealer'),
};
const sealerArb = fc.constantFrom<Sealer>(sealers.gcm, sealers.mac);

const NAME = 'f'.repeat(64);

/** Heap and array-buffer growth while `run` executes (bytes; noisy, for coarse bounds only). */
async function allocatedDuring(run: () => unknown): Promise<number> {
  const before = process.memoryUsage();
  await run();
  const after = process.memoryUsage();
  return after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Hostile u32 counts for binary headers. */
const hostileCountArb = fc.oneof(
  fc.constantFrom(0, 1, 2 ** 16, MAX_PACK_ENTRIES, MAX_PACK_ENTRIES + 1, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 31, 2 ** 32 - 1),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
);

// =============================================================================================
// config

const chunkerArb = fc.integer({ min: 17, max: 23 }).chain((bits) => {
  const avg = 2 ** bits;
  return fc.record({ min: fc.integer({ min: 64 * KiB, max: avg - 1 }), avg: fc.constant(avg), max: fc.integer({ min: avg + 1, max: 16 * MiB }) });
});

const configArb: fc.Arbitrary<RepoConfig> = fc.record({
  version: fc.constant(1),
  id: hexIdArb,
  created: anyStringArb(),
  encryption: fc.constantFrom('aes-256-gcm' as const, 'none' as const),
  chunker: chunkerArb,
  packSize: fc.integer({ min: MIN_PACK_SIZE, max: MAX_PACK_SIZE }),
  mandatoryFeatures: fc.constant([] as string[]),
  writeFeatures: fc.array(anyStringArb(12), { maxLength: 4 }),
});

function checkDecodedConfig(r: ReturnType<typeof decodeConfig>): void {
  const c = r.config;
  expect(c.version).toBe(1);
  expect(isId(c.id)).toBe(true);
  expect(['aes-256-gcm', 'none']).toContain(c.encryption);
  expect(typeof c.created).toBe('string');
  const { min, avg, max } = c.chunker;
  expect(Number.isSafeInteger(min) && Number.isSafeInteger(avg) && Number.isSafeInteger(max)).toBe(true);
  expect(64 * KiB <= min && min < avg && avg < max && max <= 16 * MiB).toBe(true);
  expect(Math.log2(avg) % 1).toBe(0);
  expect(Number.isSafeInteger(c.packSize) && c.packSize >= MIN_PACK_SIZE && c.packSize <= MAX_PACK_SIZE).toBe(true);
  expect(c.mandatoryFeatures).toEqual([]);
  expect(c.writeFeatures.length).toBeLessThanOrEqual(64);
  expect(c.writeFeatures.every((x) => typeof x === 'string')).toBe(true);
  expect(typeof r.mac).toBe('string');
  expect(typeof r.body).toBe('string');
}

/** decodeConfig for reading and for writing; each call must be clean. */
function decodeConfigBoth(bytes: Uint8Array): void {
  for (const forWriting of [false, true]) {
    const r = outcome(() => decodeConfig(bytes, forWriting));
    if (!(r instanceof CairnError)) checkDecodedConfig(r);
  }
}

describe('config (decodeConfig)', () => {
  it('round trip: encodeConfig then decodeConfig gives the config back, and its mac verifies', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, async (config) => {
        const bytes = await encodeConfig(config, crypto, macKey);
        const r = decodeConfig(bytes, false);
        expect(r.config).toEqual(config);
        await verifyConfigMac(r.body, r.mac, crypto, macKey);
        if (config.writeFeatures.length === 0) expect(decodeConfig(bytes, true).config).toEqual(config);
        else expect(() => decodeConfig(bytes, true)).toThrow(expect.objectContaining({ code: 'unsupported-version' }));
      }),
      { numRuns: ASYNC_RUNS },
    );
  });

  it('refuses newer versions and unknown mandatory features with unsupported-version', async () => {
    await fc.assert(
      fc.asyncProperty(
        configArb,
        fc.integer({ min: 2, max: Number.MAX_SAFE_INTEGER }),
        fc.array(anyStringArb(10), { minLength: 1, maxLength: 64 }),
        async (config, version, features) => {
          for (const bad of [{ ...config, version }, { ...config, mandatoryFeatures: features }]) {
            const bytes = await encodeConfig(bad, crypto, macKey);
            for (const forWriting of [false, true]) {
              expect(() => decodeConfig(bytes, forWriting)).toThrow(expect.objectContaining({ code: 'unsupported-version' }));
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('arbitrary bytes and arbitrary JSON: a valid config or a CairnError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.json().map(enc),
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map((o) => enc(JSON.stringify({ format: 'cairn-repository', ...o }))),
        ),
        (bytes) => decodeConfigBoth(bytes),
      ),
      { numRuns: RUNS },
    );
  });

  it('byte-level mutations of a valid config: a valid config or a CairnError', async () => {
    const valid = await encodeConfig(fc.sample(configArb, 1)[0]!, crypto, macKey);
    fc.assert(
      fc.property(byteMutationsArb, (mutations) => decodeConfigBoth(mutateBytes(valid, mutations))),
      { numRuns: RUNS },
    );
  });

  it('JSON-level mutations (wrong types, huge numbers, removed or added members): a valid config or a CairnError', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, jsonEditsArb, async (config, edits) => {
        const valid = dec(await encodeConfig(config, crypto, macKey));
        decodeConfigBoth(enc(mutateJson(valid, edits, 1)));
      }),
      { numRuns: RUNS },
    );
  });

  it('deep nesting in place of a member (10 000 nested arrays or objects): a CairnError', async () => {
    const valid = dec(await encodeConfig(fc.sample(configArb, 1)[0]!, crypto, macKey));
    const keys = Object.keys(JSON.parse(valid) as object);
    for (const key of keys) {
      for (const deep of [deepArrayText(10_000), deepObjectText(5_000)]) {
        const doc = JSON.parse(valid) as Record<string, unknown>;
        doc[key] = new RawJson(deep);
        const r = outcome(() => decodeConfig(enc(stringifyWithRaw(doc, 1)), false));
        expect(r, key).toBeInstanceOf(CairnError);
      }
    }
  });

  it('deep nesting in an unknown member (10 000 nested arrays): a valid config or a CairnError, never a RangeError', async () => {
    // The reader re-serializes unknown members for the mac body (JSON.stringify), which is
    // recursive: a config of 20 KB holding 10 000 nested arrays must not escape as a RangeError.
    const valid = dec(await encodeConfig(fc.sample(configArb, 1)[0]!, crypto, macKey));
    for (const deep of [deepArrayText(10_000), deepObjectText(5_000)]) {
      const doc = JSON.parse(valid) as Record<string, unknown>;
      doc.extra = new RawJson(deep);
      const bytes = enc(stringifyWithRaw(doc, 1));
      expect(bytes.length).toBeLessThan(64 * KiB);
      decodeConfigBoth(bytes);
    }
  });

  it('a config over 64 KiB is refused as too-large without being parsed', () => {
    const big = enc(JSON.stringify({ format: 'cairn-repository', pad: ' '.repeat(64 * KiB) }));
    expect(() => decodeConfig(big, false)).toThrow(expect.objectContaining({ code: 'too-large' }));
    const huge = new Uint8Array(64 * MiB).fill(0x5b); // 64 MiB of "["
    const r = outcome(() => decodeConfig(huge, false), 50);
    expect(r).toMatchObject({ code: 'too-large' });
  });
});

// =============================================================================================
// key files

/** A crypto host that refuses to run the KDF with parameters outside the caps (and counts runs). */
function guardedHost(): CryptoHost & { kdfRuns: number } {
  const h = {
    ...crypto,
    kdfRuns: 0,
    async deriveKey(passphrase: string, params: KdfParams) {
      const salt = fromBase64(params.salt).length;
      if (
        !(params.m >= 1 && params.m <= KDF_CAPS.maxM && params.t >= 1 && params.t <= KDF_CAPS.maxT && params.p >= 1 && params.p <= KDF_CAPS.maxP) ||
        params.m < 8 * params.p || salt < KDF_CAPS.minSalt || salt > KDF_CAPS.maxSalt
      ) {
        throw new Error(`KDF run with parameters outside the caps: ${JSON.stringify(params)}`);
      }
      h.kdfRuns++;
      return crypto.deriveKey(passphrase, params);
    },
  };
  return h;
}

const keyOptsArb = fc.record({
  created: anyStringArb(),
  hostname: anyStringArb(),
  label: fc.option(anyStringArb(20), { nil: undefined }),
  kdf: fc.integer({ min: 1, max: 2 }).chain((p) => fc.record({ m: fc.integer({ min: 8 * p, max: 1024 }), t: fc.constant(1), p: fc.constant(p) })),
});

function checkDecodedKeyFile(f: KeyFile): void {
  expect(f.version).toBe(1);
  expect(typeof f.created).toBe('string');
  expect(typeof f.hostname).toBe('string');
  expect(typeof f.key).toBe('string');
  if (f.label !== undefined) expect(typeof f.label).toBe('string');
  if (f.kdf.name === 'none') return;
  expect(f.kdf.name).toBe('argon2id');
  const { m, t, p, salt } = f.kdf;
  for (const v of [m, t, p]) expect(Number.isSafeInteger(v)).toBe(true);
  expect(m >= 8 * p && m <= KDF_CAPS.maxM && t >= 1 && t <= KDF_CAPS.maxT && p >= 1 && p <= KDF_CAPS.maxP).toBe(true);
  const saltBytes = fromBase64(salt).length;
  expect(saltBytes >= KDF_CAPS.minSalt && saltBytes <= KDF_CAPS.maxSalt).toBe(true);
}

/**
 * Decodes a (hostile) key file; if accepted, also tries to unwrap it when that is cheap (the
 * guarded host fails the test if the KDF ever runs outside the caps).
 */
async function decodeKeyFileClean(bytes: Uint8Array, repoId: string, passphrase: string | null): Promise<void> {
  const host = guardedHost();
  const r = await outcomeAsync(() => decodeKeyFile(host, bytes, NAME));
  if (r instanceof CairnError) {
    expect(r.code).toBe('key-damaged');
    return;
  }
  checkDecodedKeyFile(r);
  if (r.kdf.name === 'argon2id' && (r.kdf.m > 4096 || r.kdf.t > 2)) return; // valid, but too slow to run here
  const m = await outcomeAsync(() => unwrapMaster(host, r, repoId, passphrase), 2000);
  if (m instanceof CairnError || m === null) return;
  expect(m.length).toBe(64);
}

/** Recomputes the unkeyed checksum of a (mutated) key file, as a hostile writer would. */
async function withValidChecksum(text: string): Promise<string> {
  let sum: string;
  try {
    const { check: _check, ...body } = JSON.parse(text) as Record<string, unknown>;
    sum = toHex(await crypto.sha256(utf8(JSON.stringify(body))));
  } catch {
    return text; // not JSON, or too deep for this harness to re-serialize
  }
  return text.replace(/\n "check": "[0-9a-f]*"/, `\n "check": "${sum}"`);
}

describe('key files (decodeKeyFile, unwrapMaster)', () => {
  it('round trip: createKeyFile then decodeKeyFile gives the fields back, and only the passphrase unwraps the master key', async () => {
    await fc.assert(
      fc.asyncProperty(keyOptsArb, hexIdArb, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }), async (opts, repoId, passphrase) => {
        const host = guardedHost();
        const key = crypto.randomBytes(64);
        const bytes = await createKeyFile(host, key, repoId, passphrase, opts);
        const file = await decodeKeyFile(host, bytes, NAME);
        expect(file).toMatchObject({ version: 1, created: opts.created, hostname: opts.hostname });
        expect(file.label).toBe(opts.label === '' ? undefined : opts.label);
        if (passphrase === null) {
          expect(file.kdf).toEqual({ name: 'none' });
          expect(await unwrapMaster(host, file, repoId, null)).toEqual(key);
          return;
        }
        expect(file.kdf).toMatchObject({ name: 'argon2id', ...opts.kdf });
        expect(fromBase64((file.kdf as KdfParams).salt).length).toBe(32);
        expect(await unwrapMaster(host, file, repoId, passphrase)).toEqual(key);
        expect(await unwrapMaster(host, file, repoId, passphrase + 'x')).toBeNull();
        expect(await unwrapMaster(host, file, 'a'.repeat(64) === repoId ? 'b'.repeat(64) : 'a'.repeat(64), passphrase)).toBeNull();
        expect(await unwrapMaster(host, file, repoId, null)).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  const sampleKeyFile = async (passphrase: string | null) =>
    dec(await createKeyFile(crypto, master, 'c'.repeat(64), passphrase, { created: '2026-01-01T00:00:00.000Z', hostname: 'h', kdf: { m: 1024, t: 1, p: 1 } }));

  it('arbitrary bytes and arbitrary JSON: key-damaged, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map(enc)), async (bytes) => {
        await decodeKeyFileClean(bytes, 'c'.repeat(64), 'pw');
      }),
      { numRuns: RUNS },
    );
  });

  it('byte-level mutations of a valid key file: a valid key file or key-damaged', async () => {
    const files = [await sampleKeyFile('pw'), await sampleKeyFile(null)].map(enc);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), byteMutationsArb, async (valid, mutations) => {
        await decodeKeyFileClean(mutateBytes(valid, mutations), 'c'.repeat(64), 'pw');
      }),
      { numRuns: RUNS },
    );
  });

  it('JSON-level mutations with a recomputed (valid) checksum: parameters are checked against the caps before any KDF run', async () => {
    const files = [await sampleKeyFile('pw'), await sampleKeyFile(null)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), jsonEditsArb, async (valid, edits) => {
        const text = await withValidChecksum(mutateJson(valid, edits, 1));
        await decodeKeyFileClean(enc(text), 'c'.repeat(64), 'pw');
      }),
      { numRuns: RUNS },
    );
  });

  it('hostile KDF parameters with a valid checksum are refused before the KDF runs', async () => {
    const valid = JSON.parse(await sampleKeyFile('pw')) as { kdf: Record<string, unknown> };
    const hostile = [
      { m: 2 ** 32 }, { m: KDF_CAPS.maxM + 1 }, { m: 0 }, { m: -1 }, { m: 1.5 }, { m: 1e308 }, { m: '1024' }, { m: null },
      { t: 0 }, { t: 65 }, { t: 2 ** 31 }, { p: 0 }, { p: 17 }, { m: 64, p: 9 }, { salt: 'AAAA' }, { salt: 'A'.repeat(88) + '==' },
      { salt: '!!!!' }, { salt: 'AAA' }, { name: 'scrypt' }, { name: 'ARGON2ID' },
    ];
    for (const patch of hostile) {
      const host = guardedHost();
      const doc = { ...valid, kdf: { ...valid.kdf, ...patch } } as Record<string, unknown>;
      const text = await withValidChecksum(JSON.stringify(doc, null, 1));
      await expect(decodeKeyFile(host, enc(text), NAME), JSON.stringify(patch)).rejects.toMatchObject({ code: 'key-damaged' });
      expect(host.kdfRuns).toBe(0);
    }
  });

  it('deep nesting in any member (5 000 nested arrays, 10 KB): key-damaged, never a RangeError', async () => {
    // decodeKeyFile re-serializes the parsed file to verify its checksum (JSON.stringify,
    // recursive) before its try block: a 10 KB key file must not escape as a RangeError, or one
    // planted key file stops every other key from opening the repository.
    const valid = await sampleKeyFile('pw');
    for (const key of ['created', 'kdf', 'extra']) {
      const doc = JSON.parse(valid) as Record<string, unknown>;
      doc[key] = new RawJson(deepArrayText(5_000));
      const r = await outcomeAsync(() => decodeKeyFile(guardedHost(), enc(stringifyWithRaw(doc, 1)), NAME));
      expect(r, key).toMatchObject({ code: 'key-damaged' });
    }
  });

  it('a key file over 16 KiB is key-damaged', async () => {
    const big = enc(JSON.stringify({ version: 1, pad: ' '.repeat(16 * KiB) }));
    await expect(decodeKeyFile(crypto, big, NAME)).rejects.toMatchObject({ code: 'key-damaged' });
  });
});

// =============================================================================================
// locks

const NOW = Date.UTC(2026, 5, 1);
const fixedHost: Host = { crypto, hostname: 'prop-host', now: () => NOW };
const UNREADABLE = 'unknown (unreadable lock file)';
/** The largest time a Date holds (ms since the epoch). */
const MAX_DATE = 8.64e15;

const lockArb = fc.record({
  version: fc.constant(1),
  exclusive: fc.boolean(),
  hostname: anyStringArb(),
  created: fc.integer({ min: 0, max: MAX_DATE }),
  refreshed: fc.integer({ min: 0, max: MAX_DATE }),
});

async function plantedLocks(sealer: Sealer, plains: Uint8Array[], tamper?: (sealed: Uint8Array) => Uint8Array): Promise<{ deps: Parameters<typeof listLocks>[0]; names: string[] }> {
  const backend = new MemoryBackend();
  const names: string[] = [];
  for (const plain of plains) {
    const name = toHex(crypto.randomBytes(32));
    const sealed = await sealer.seal('lock', name, plain);
    backend.plant('locks', name, tamper ? tamper(sealed) : sealed);
    names.push(name);
  }
  return { deps: { backend, host: fixedHost, sealer }, names };
}

function checkLock(l: LockInfo): void {
  expect(isId(l.name)).toBe(true);
  expect(typeof l.exclusive).toBe('boolean');
  expect(typeof l.hostname).toBe('string');
  expect(Number.isSafeInteger(l.created) && l.created >= 0).toBe(true);
  expect(Number.isSafeInteger(l.refreshed) && l.refreshed >= 0).toBe(true);
  expect(l.stale).toBe(NOW - l.refreshed >= STALE_MS);
}

describe('locks (listLocks)', () => {
  it('round trip: a lock file written by RepoLock, or planted with any valid content, lists exactly', async () => {
    await fc.assert(
      fc.asyncProperty(sealerArb, fc.array(lockArb, { maxLength: 3 }), async (sealer, locks) => {
        const { deps, names } = await plantedLocks(sealer, locks.map((l) => enc(JSON.stringify(l))));
        const listed = await listLocks(deps);
        expect(listed).toHaveLength(locks.length);
        for (const [i, l] of locks.entries()) {
          const got = listed.find((x) => x.name === names[i]);
          expect(got).toEqual({ name: names[i], exclusive: l.exclusive, hostname: l.hostname, created: l.created, refreshed: l.refreshed, stale: NOW - l.refreshed >= STALE_MS });
        }
        const held = await RepoLock.acquire(deps, false).catch((e: unknown) => e);
        if (locks.some((l) => l.exclusive)) expect(held).toMatchObject({ code: 'locked' });
        else {
          expect(held).toBeInstanceOf(RepoLock);
          const mine = (await listLocks(deps)).find((x) => x.name === (held as RepoLock).name);
          expect(mine).toMatchObject({ exclusive: false, hostname: 'prop-host', created: NOW, refreshed: NOW, stale: false });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('arbitrary, mutated or deeply nested lock plaintext: listed as a valid lock or as an unreadable (exclusive, stale) one', async () => {
    const valid = JSON.stringify({ version: 1, exclusive: false, hostname: 'h', created: NOW, refreshed: NOW });
    const plainArb = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.json().map(enc),
      byteMutationsArb.map((m) => mutateBytes(enc(valid), m)),
      jsonEditsArb.map((e) => enc(mutateJson(valid, e))),
      fc.integer({ min: 1000, max: 2000 }).map((d) => enc(valid.replace('"h"', deepArrayText(d)))),
      fc.constant(enc(valid.slice(0, -1) + `,"x":${deepArrayText(2000)}}`)),
      fc.constant(enc(' '.repeat(5000) + valid)),
    );
    await fc.assert(
      fc.asyncProperty(sealerArb, plainArb, async (sealer, plain) => {
        const { deps, names } = await plantedLocks(sealer, [plain]);
        const listed = await outcomeAsync(() => listLocks(deps));
        expect(listed).not.toBeInstanceOf(CairnError);
        const [l] = listed as LockInfo[];
        expect(l!.name).toBe(names[0]);
        checkLock(l!);
        if (l!.hostname === UNREADABLE) expect(l).toMatchObject({ exclusive: true, stale: true });
      }),
      { numRuns: ASYNC_RUNS },
    );
  });

  it('acquiring against any authentic lock content fails cleanly (locked) or succeeds, never with another error', async () => {
    // A lock's created/refreshed are read as any safe integer; the "locked" message must not
    // crash on values a Date cannot hold (8.64e15 < created <= 2^53 - 1).
    const hostileLockArb = fc.record({
      version: fc.constant(1),
      exclusive: fc.constant(true),
      hostname: anyStringArb(),
      created: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(MAX_DATE, MAX_DATE + 1, Number.MAX_SAFE_INTEGER)),
      refreshed: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    });
    await fc.assert(
      fc.asyncProperty(sealerArb, hostileLockArb, fc.boolean(), async (sealer, lock, exclusive) => {
        const { deps } = await plantedLocks(sealer, [enc(JSON.stringify(lock))]);
        const r = await outcomeAsync(() => RepoLock.acquire(deps, exclusive));
        expect(r).toMatchObject({ code: 'locked' });
      }),
      { numRuns: ASYNC_RUNS },
    );
  });

  it('a tampered lock file (any byte-level change) is an unreadable lock: exclusive and stale', async () => {
    const valid = enc(JSON.stringify({ version: 1, exclusive: false, hostname: 'h', created: NOW, refreshed: NOW }));
    await fc.assert(
      fc.asyncProperty(sealerArb, byteMutationsArb, async (sealer, mutations) => {
        let changed = true;
        const { deps } = await plantedLocks(sealer, [valid], (sealed) => {
          const m = mutateBytes(sealed, mutations);
          changed = m.length !== sealed.length || m.some((b, i) => b !== sealed[i]);
          return m.length ? m : new Uint8Array([0]);
        });
        const [l] = await listLocks(deps);
        if (changed) expect(l).toMatchObject({ hostname: UNREADABLE, exclusive: true, stale: true });
      }),
      { numRuns: ASYNC_RUNS },
    );
  });
});

// =============================================================================================
// packs

const packEntryArb = fc.record({
  type: fc.constantFrom<BlobType>('data', 'tree'),
  id: hexIdArb,
  codec: fc.integer({ min: 0, max: 255 }),
  rawLength: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: MAX_BLOB_LENGTH })),
  sealed: fc.uint8Array({ minLength: 0, maxLength: 64 }),
});

const ENTRY_SIZE = 44;

function checkPackEntries(entries: PackEntry[], sealedHeaderLength: number, packSize: number): void {
  expect(entries.length).toBeLessThanOrEqual(MAX_PACK_ENTRIES);
  let offset = 0;
  for (const e of entries) {
    expect(['data', 'tree']).toContain(e.type);
    expect(isId(e.id)).toBe(true);
    expect(e.offset).toBe(offset);
    expect(e.rawLength).toBeLessThanOrEqual(MAX_BLOB_LENGTH);
    expect(e.length).toBeLessThanOrEqual(MAX_SEALED_LENGTH);
    expect(Number.isInteger(e.codec) && e.codec >= 0 && e.codec <= 255).toBe(true);
    offset += e.length;
  }
  expect(offset + sealedHeaderLength + PACK_TRAILER).toBe(packSize);
}

/** Header plaintext as PackWriter lays it out. */
function headerPlain(entries: { type: number; codec: number; length: number; rawLength: number; id: Uint8Array }[], count = entries.length): Uint8Array {
  const parts = [u32le(count)];
  for (const e of entries) {
    const b = new Uint8Array(ENTRY_SIZE);
    const v = new DataView(b.buffer);
    v.setUint8(0, e.type);
    v.setUint8(1, e.codec);
    v.setUint32(4, e.length, true);
    v.setUint32(8, e.rawLength, true);
    b.set(e.id, 12);
    parts.push(b);
  }
  return concat(...parts);
}

const headerEntryArb = fc.record({
  type: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 255 })),
  codec: fc.integer({ min: 0, max: 255 }),
  length: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(MAX_SEALED_LENGTH, MAX_SEALED_LENGTH + 1, 2 ** 32 - 1)),
  rawLength: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(MAX_BLOB_LENGTH, MAX_BLOB_LENGTH + 1, 2 ** 32 - 1)),
  id: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

describe('packs (parsePackTrailer, parsePackHeader)', () => {
  it('round trip: PackWriter.finish, then the trailer and header give back every entry, and the blobs sit where they say', async () => {
    await fc.assert(
      fc.asyncProperty(sealerArb, fc.array(packEntryArb, { maxLength: 20 }), async (sealer, blobs) => {
        const w = new PackWriter();
        for (const b of blobs) w.add(b.type, b.id, b.codec, b.rawLength, b.sealed);
        const { bytes, entries: written } = await w.finish(sealer);
        const h = parsePackTrailer(bytes.subarray(bytes.length - PACK_TRAILER), bytes.length, NAME);
        const header = bytes.subarray(bytes.length - PACK_TRAILER - h, bytes.length - PACK_TRAILER);
        const entries = await parsePackHeader(sealer, header, bytes.length, NAME);
        expect(entries).toEqual(written);
        expect(entries.map(({ type, id, codec, rawLength }) => ({ type, id, codec, rawLength }))).toEqual(
          blobs.map(({ type, id, codec, rawLength }) => ({ type, id, codec, rawLength })),
        );
        entries.forEach((e, i) => expect(bytes.subarray(e.offset, e.offset + e.length)).toEqual(blobs[i]!.sealed));
        checkPackEntries(entries, header.length, bytes.length);
      }),
      { numRuns: ASYNC_RUNS },
    );
  });

  it('trailer: arbitrary bytes and pack sizes give a bounded header length or a CairnError', () => {
    const trailerArb = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((n) => concat(u32le(n), PACK_MAGIC)),
      fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([n, m]) => concat(u32le(n), m)),
    );
    const sizeArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constantFrom(0, 11, 12, 13, 2 ** 53 - 1));
    fc.assert(
      fc.property(trailerArb, sizeArb, (trailer, packSize) => {
        const r = outcome(() => parsePackTrailer(trailer, packSize, NAME));
        if (r instanceof CairnError) return;
        expect(Number.isInteger(r) && r >= 0).toBe(true);
        expect(r + PACK_TRAILER).toBeLessThanOrEqual(packSize);
        expect(r).toBeLessThanOrEqual(4 + MAX_PACK_ENTRIES * ENTRY_SIZE + 64);
      }),
      { numRuns: RUNS },
    );
  });

  it('header: hostile plaintext (sealed by a key holder) gives entries that tile the pack, or a CairnError', async () => {
    const plainArb = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(headerEntryArb, { maxLength: 6 }).map((e) => headerPlain(e)),
      fc.tuple(fc.array(headerEntryArb, { maxLength: 4 }), hostileCountArb).map(([e, n]) => headerPlain(e, n)),
      fc.tuple(fc.array(headerEntryArb, { minLength: 1, maxLength: 4 }), byteMutationsArb).map(([e, m]) => mutateBytes(headerPlain(e), m)),
    );
    await fc.assert(
      fc.asyncProperty(sealerArb, plainArb, fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 })), fc.boolean(), async (sealer, plain, randomSize, consistent) => {
        const sealed = await sealer.seal('pack-header', '', plain);
        // A consistent size makes the entries tile the pack when their lengths allow it.
        let total = 0;
        if (plain.length >= 4) for (let at = 4 + 4; at + 4 <= plain.length; at += ENTRY_SIZE) total += new DataView(plain.buffer, plain.byteOffset).getUint32(at, true);
        const packSize = consistent ? total + sealed.length + PACK_TRAILER : randomSize;
        const r = await outcomeAsync(() => parsePackHeader(sealer, sealed, packSize, NAME));
        if (!(r instanceof CairnError)) checkPackEntries(r, sealed.length, packSize);
      }),
      { numRuns: RUNS },
    );
  });

  it('header: any change to the sealed bytes is corrupted', async () => {
    const w = new PackWriter();
    w.add('data', 'a'.repeat(64), 0, 3, new Uint8Array(19));
    const sealed = await Promise.all([sealers.gcm, sealers.mac].map(async (s) => ({ s, bytes: (await w.finish(s)).bytes })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sealed), byteMutationsArb, async ({ s, bytes }, mutations) => {
        const header = bytes.subarray(19, bytes.length - PACK_TRAILER);
        const m = mutateBytes(header, mutations);
        if (m.length === header.length && m.every((b, i) => b === header[i])) return;
        const r = await outcomeAsync(() => parsePackHeader(s, m, bytes.length, NAME));
        expect(r).toMatchObject({ code: 'corrupted' });
      }),
      { numRuns: ASYNC_RUNS },
    );
  });

  it('header: a count of 2^20+1 or 2^32-1 entries in a few bytes fails fast without allocating', async () => {
    for (const count of [MAX_PACK_ENTRIES, MAX_PACK_ENTRIES + 1, 2 ** 31, 2 ** 32 - 1]) {
      const sealed = await sealers.mac.seal('pack-header', '', concat(u32le(count), new Uint8Array(96)));
      let r: unknown;
      const grew = await allocatedDuring(async () => {
        r = await outcomeAsync(() => parsePackHeader(sealers.mac, sealed, 10 * MiB, NAME), 200);
      });
      expect(r).toMatchObject({ code: 'corrupted' });
      expect(grew).toBeLessThan(16 * MiB);
    }
  });
});

// =============================================================================================
// index files

const indexArb: fc.Arbitrary<IndexContent> = fc
  .record({
    supersedes: fc.array(hexIdArb, { maxLength: 4 }),
    packs: fc.uniqueArray(fc.tuple(hexIdArb, fc.oneof(fc.integer({ min: 12, max: 5000 }), fc.integer({ min: 12, max: 2 ** 32 - 1 }))), {
      maxLength: 6,
      selector: ([id]) => id,
    }),
    blobs: fc.array(
      fc.record({
        id: hexIdArb,
        pack: fc.nat(),
        offset: fc.nat(),
        length: fc.nat(),
        rawLength: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: MAX_BLOB_LENGTH })),
        type: fc.constantFrom<BlobType>('data', 'tree'),
        codec: fc.integer({ min: 0, max: 255 }),
      }),
      { maxLength: 20 },
    ),
  })
  .map(({ supersedes, packs, blobs }) => {
    const blobsIn: IndexedBlob[] =
      packs.length === 0
        ? []
        : blobs.map((b) => {
            const [pack, size] = packs[b.pack % packs.length]!;
            const room = size - PACK_TRAILER;
            const length = Math.min(b.length % (room + 1), MAX_SEALED_LENGTH);
            const offset = b.offset % (room - length + 1);
            return { id: b.id, pack, offset, length, rawLength: b.rawLength, type: b.type, codec: b.codec };
          });
    return { supersedes, packs: new Map(packs), blobs: blobsIn };
  });

function checkIndex(x: IndexContent): void {
  for (const id of x.supersedes) expect(isId(id)).toBe(true);
  for (const [id, size] of x.packs) {
    expect(isId(id)).toBe(true);
    expect(Number.isInteger(size) && size >= 0 && size < 2 ** 32).toBe(true);
  }
  for (const b of x.blobs) {
    expect(isId(b.id)).toBe(true);
    expect(x.packs.has(b.pack)).toBe(true);
    expect(['data', 'tree']).toContain(b.type);
    expect(b.rawLength).toBeLessThanOrEqual(MAX_BLOB_LENGTH);
    expect(b.length).toBeLessThanOrEqual(MAX_SEALED_LENGTH);
    expect(b.offset + b.length + PACK_TRAILER).toBeLessThanOrEqual(x.packs.get(b.pack)!);
  }
}

/** Byte offsets of the three count fields of an encoded index. */
function countOffsets(plain: Uint8Array): number[] {
  const v = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const n = v.getUint32(4, true);
  const pAt = 8 + 32 * n;
  const p = v.getUint32(pAt, true);
  return [4, pAt, pAt + 4 + 36 * p];
}

describe('index files (decodeIndex)', () => {
  it('round trip: encodeIndex then decodeIndex gives the content back', () => {
    fc.assert(
      fc.property(indexArb, (content) => {
        const back = decodeIndex(encodeIndex(content), NAME);
        expect(back).toEqual(content);
        checkIndex(back);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary bytes (with and without the CIX1 marker): valid content or a CairnError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, marked) => {
        const plain = marked ? concat(enc('CIX1'), bytes) : bytes;
        const r = outcome(() => decodeIndex(plain, NAME));
        if (!(r instanceof CairnError)) checkIndex(r);
      }),
      { numRuns: RUNS },
    );
  });

  it('byte-level mutations and hostile counts in a valid index: valid content or a CairnError, fast', () => {
    fc.assert(
      fc.property(indexArb, byteMutationsArb, fc.option(fc.tuple(fc.integer({ min: 0, max: 2 }), hostileCountArb)), (content, mutations, count) => {
        let plain = encodeIndex(content);
        if (count) {
          const [which, n] = count;
          plain = plain.slice();
          new DataView(plain.buffer).setUint32(countOffsets(plain)[which]!, n, true);
        } else plain = mutateBytes(plain, mutations);
        const r = outcome(() => decodeIndex(plain, NAME));
        if (!(r instanceof CairnError)) checkIndex(r);
      }),
      { numRuns: RUNS },
    );
  });

  it('an index claiming 2^24 entries in 100 bytes fails fast without allocating', async () => {
    const cix = enc('CIX1');
    const cases = [
      concat(cix, u32le(2 ** 24), new Uint8Array(92)),
      concat(cix, u32le(0), u32le(2 ** 24), new Uint8Array(88)),
      concat(cix, u32le(0), u32le(0), u32le(2 ** 24), new Uint8Array(84)),
      concat(cix, u32le(0), u32le(0), u32le(2 ** 32 - 1), new Uint8Array(84)),
      concat(cix, u32le(0), u32le(0), u32le(3), new Uint8Array(100)), // 3 × 50 > 100
    ];
    for (const plain of cases) {
      let r: unknown;
      const grew = await allocatedDuring(() => {
        r = outcome(() => decodeIndex(plain, NAME), 100);
      });
      expect(r).toMatchObject({ code: 'corrupted' });
      expect(grew).toBeLessThan(16 * MiB);
    }
  });
});

// =============================================================================================
// trees

const mtimeArb = fc.oneof(
  fc.integer({ min: 0, max: Date.UTC(3000, 0, 1) }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
);
const nodeNameArb = fc.oneof(
  { weight: 10, arbitrary: anyStringArb(30).filter((s) => s.length > 0) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_NAME_LENGTH - 2, max: MAX_NAME_LENGTH }).map((n) => 'n'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', 'a/b', '\\', '\0', ' ', 'é', 'e\u0301', '😀', '\ud800', '\uffff', '\u{10000}') },
);
const treeNodeArb: fc.Arbitrary<TreeNode> = fc.oneof(
  fc.record({ name: nodeNameArb, type: fc.constant('file' as const), size: fc.maxSafeNat(), mtime: mtimeArb, content: fc.array(hexIdArb, { maxLength: 5 }) }),
  fc.record({ name: nodeNameArb, type: fc.constant('dir' as const), mtime: mtimeArb, subtree: hexIdArb }),
);
const nodesArb = fc.uniqueArray(treeNodeArb, { maxLength: 12, selector: (n) => n.name });

function checkTree(t: Tree): void {
  expect(Array.isArray(t.nodes)).toBe(true);
  let previous: string | undefined;
  for (const n of t.nodes) {
    expect(typeof n.name).toBe('string');
    expect(n.name.length >= 1 && n.name.length <= MAX_NAME_LENGTH).toBe(true);
    if (previous !== undefined) expect(compareNames(previous, n.name)).toBe(-1);
    previous = n.name;
    expect(Number.isFinite(n.mtime)).toBe(true);
    if (n.type === 'dir') expect(isId(n.subtree)).toBe(true);
    else {
      expect(n.type).toBe('file');
      expect(Number.isSafeInteger(n.size) && n.size >= 0).toBe(true);
      expect(Array.isArray(n.content) && n.content.every(isId)).toBe(true);
    }
  }
}

describe('trees (decodeTree)', () => {
  it('round trip: encodeTree then decodeTree gives the nodes back, sorted by UTF-16 code units', () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const back = decodeTree(encodeTree(nodes), NAME);
        expect(back.nodes).toEqual([...nodes].sort((a, b) => compareNames(a.name, b.name)));
        checkTree(back);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary bytes and arbitrary JSON: a valid tree or a CairnError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map(enc), fc.array(fc.jsonValue({ maxDepth: 2 })).map((nodes) => enc(JSON.stringify({ nodes })))),
        (bytes) => {
          const r = outcome(() => decodeTree(bytes, NAME));
          if (!(r instanceof CairnError)) checkTree(r);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('byte-level and JSON-level mutations of a valid tree: a valid tree or a CairnError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(nodesArb, byteMutationsArb).map(([nodes, m]) => mutateBytes(encodeTree(nodes), m)),
          fc.tuple(nodesArb, jsonEditsArb).map(([nodes, e]) => enc(mutateJson(dec(encodeTree(nodes)), e))),
        ),
        (plain) => {
          const r = outcome(() => decodeTree(plain, NAME));
          if (!(r instanceof CairnError)) checkTree(r);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('deep nesting (10 000 and 100 000 nested arrays or objects) anywhere in a tree: a valid tree or a CairnError', () => {
    const id = 'a'.repeat(64);
    const node = (extra: string) => `{"name":"x","type":"file","size":1,"mtime":0,"content":[]${extra}}`;
    for (const deep of [deepArrayText(10_000), deepArrayText(100_000), deepObjectText(10_000)]) {
      const texts = [
        deep,
        `{"nodes":${deep}}`,
        `{"nodes":[${deep}]}`,
        `{"nodes":[${node(`,"extra":${deep}`)}]}`,
        `{"nodes":[{"name":${deep},"type":"dir","mtime":0,"subtree":"${id}"}]}`,
        `{"nodes":[{"name":"x","type":"file","size":1,"mtime":0,"content":${deep}}]}`,
        `{"nodes":[],"x":${deep}}`,
      ];
      for (const text of texts) {
        const r = outcome(() => decodeTree(enc(text), NAME), 1000);
        if (!(r instanceof CairnError)) checkTree(r);
      }
    }
  });

  it('hostile sizes, names and order are corrupted', () => {
    const id = 'a'.repeat(64);
    const file = (patch: Record<string, unknown>) => ({ name: 'x', type: 'file', size: 1, mtime: 0, content: [id], ...patch });
    const bad = [
      [file({ size: -1 })], [file({ size: 2 ** 53 })], [file({ size: 1e308 })], [file({ size: 1.5 })], [file({ size: '1' })],
      [file({ mtime: new RawJson('1e999') })], [file({ mtime: null })], [file({ name: '' })], [file({ name: 'n'.repeat(MAX_NAME_LENGTH + 1) })],
      [file({ content: ['A'.repeat(64)] })], [file({ content: [id.slice(1)] })], [file({ content: {} })], [file({ type: 'symlink' })],
      [file({ name: 'b' }), file({ name: 'a' })], [file({ name: 'a' }), file({ name: 'a' })], [file({ name: '\uffff' }), file({ name: '\u{10000}' })],
      [{ name: 'd', type: 'dir', mtime: 0 }], [{ name: 'd', type: 'dir', mtime: 0, subtree: 'x' }], [null], [[]], ['x'],
    ];
    for (const nodes of bad) {
      expect(() => decodeTree(enc(stringifyWithRaw({ nodes })), NAME), JSON.stringify(nodes)).toThrow(expect.objectContaining({ code: 'corrupted' }));
    }
    expect(() => decodeTree(new Uint8Array(MAX_BLOB_LENGTH + 1), NAME)).toThrow(expect.objectContaining({ code: 'too-large' }));
  });
});

// =============================================================================================
// snapshots

const snapshotArb: fc.Arbitrary<Snapshot> = fc.record(
  {
    version: fc.constant(1 as const),
    time: fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString()),
    tree: hexIdArb,
    paths: fc.array(anyStringArb(20), { maxLength: 5 }),
    hostname: anyStringArb(),
    tags: fc.array(anyStringArb(10), { maxLength: 5 }),
    parent: hexIdArb,
    summary: fc.record({
      files: fc.nat(), dirs: fc.nat(), bytes: fc.maxSafeNat(), newFiles: fc.nat(), changedFiles: fc.nat(), unchangedFiles: fc.nat(),
      addedBytes: fc.maxSafeNat(), storedBytes: fc.maxSafeNat(), errors: fc.nat(), durationMs: fc.nat(),
    }),
  },
  { requiredKeys: ['version', 'time', 'tree', 'paths', 'hostname', 'tags'] },
);

function checkSnapshot(s: Snapshot): void {
  expect(s.version).toBe(1);
  expect(Number.isNaN(Date.parse(s.time))).toBe(false);
  expect(isId(s.tree)).toBe(true);
  if (s.parent !== undefined) expect(isId(s.parent)).toBe(true);
  for (const list of [s.paths, s.tags]) {
    expect(list.length).toBeLessThanOrEqual(10_000);
    expect(list.every((x) => typeof x === 'string')).toBe(true);
  }
  expect(typeof s.hostname).toBe('string');
  if (s.summary !== undefined) expect(typeof s.summary).toBe('object');
}

describe('snapshots (decodeSnapshot)', () => {
  it('round trip: encodeSnapshot then decodeSnapshot gives the snapshot back', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const back = decodeSnapshot(encodeSnapshot(s), NAME);
        expect(back).toEqual(s);
        checkSnapshot(back);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary bytes and JSON, byte-level and JSON-level mutations: a valid snapshot or a CairnError', () => {
    const inputArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.json().map(enc),
      fc.tuple(snapshotArb, byteMutationsArb).map(([s, m]) => mutateBytes(encodeSnapshot(s), m)),
      fc.tuple(snapshotArb, jsonEditsArb).map(([s, e]) => enc(mutateJson(dec(encodeSnapshot(s)), e))),
    );
    fc.assert(
      fc.property(inputArb, (bytes) => {
        const r = outcome(() => decodeSnapshot(bytes, NAME));
        if (!(r instanceof CairnError)) checkSnapshot(r);
      }),
      { numRuns: RUNS },
    );
  });

  it('deep nesting (10 000 nested arrays) and hostile sizes: a valid snapshot or a CairnError', () => {
    const s = fc.sample(snapshotArb, 1)[0]!;
    const base = JSON.parse(dec(encodeSnapshot(s))) as Record<string, unknown>;
    for (const key of ['version', 'time', 'tree', 'paths', 'hostname', 'tags', 'parent', 'summary', 'extra']) {
      for (const deep of [deepArrayText(10_000), deepObjectText(10_000)]) {
        const r = outcome(() => decodeSnapshot(enc(stringifyWithRaw({ ...base, [key]: new RawJson(deep) })), NAME), 1000);
        if (!(r instanceof CairnError)) checkSnapshot(r);
      }
    }
    const tooMany = { ...base, paths: Array.from({ length: 10_001 }, () => '') };
    expect(() => decodeSnapshot(enc(JSON.stringify(tooMany)), NAME)).toThrow(expect.objectContaining({ code: 'corrupted' }));
    expect(() => decodeSnapshot(new Uint8Array(MiB + 1), NAME)).toThrow(expect.objectContaining({ code: 'too-large' }));
  });
});

// =============================================================================================
// byte helpers

const B64_CANONICAL_OR_NOT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

describe('byte helpers (fromBase64, fromHex, ByteReader)', () => {
  it('fromBase64: round trip, and on any string exactly the padded standard alphabet is accepted (else corrupted)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromBase64(toBase64(b))).toEqual(b);
      }),
      { numRuns: RUNS },
    );
    const b64Arb = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), maxLength: 16 }).map((x) => x + '='.repeat(x.length % 4 === 0 ? 0 : 4 - (x.length % 4))),
      fc.string({ unit: fc.constantFrom('A', 'Q', 'z', '+', '/', '=', '-', '_', ' ', '\n', 'é', '\0'), maxLength: 16 }),
      fc.string({ maxLength: 16 }),
    );
    fc.assert(
      fc.property(b64Arb, (text) => {
        const r = outcome(() => fromBase64(text));
        if (B64_CANONICAL_OR_NOT.test(text)) expect(r).toEqual(new Uint8Array(Buffer.from(text, 'base64')));
        else expect(r, JSON.stringify(text)).toMatchObject({ code: 'corrupted' });
      }),
      { numRuns: RUNS },
    );
  });

  it('fromHex: round trip, and on any string exactly even-length hex is accepted (else corrupted)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
      { numRuns: RUNS },
    );
    const hexArb = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 20 }), fc.string({ unit: fc.constantFrom('0', 'f', 'F', 'g', ' ', 'x', '-', '٣'), maxLength: 8 }), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(hexArb, (text) => {
        const r = outcome(() => fromHex(text));
        if (/^(?:[0-9a-fA-F]{2})*$/.test(text)) expect(r).toEqual(new Uint8Array(Buffer.from(text, 'hex')));
        else expect(r, JSON.stringify(text)).toMatchObject({ code: 'corrupted' });
      }),
      { numRuns: RUNS },
    );
  });

  it('ByteReader: every read returns the little-endian value or fails corrupted exactly when it would pass the end, without moving', () => {
    const opArb = fc.oneof(
      fc.constant({ op: 'u8' as const, n: 1 }),
      fc.constant({ op: 'u16' as const, n: 2 }),
      fc.constant({ op: 'u32' as const, n: 4 }),
      fc.integer({ min: 0, max: 40 }).map((n) => ({ op: 'take' as const, n })),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(8), fc.array(opArb, { maxLength: 12 }), (raw, skip, ops) => {
        // a view into a larger buffer, as readers get from subarray()
        const backing = new Uint8Array(raw.length + skip + 3);
        backing.set(raw, skip);
        const bytes = backing.subarray(skip, skip + raw.length);
        const r = new ByteReader(bytes, 'thing');
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        let at = 0;
        for (const { op, n } of ops) {
          const got = outcome(() => (op === 'take' ? r.take(n) : r[op]()));
          if (at + n > raw.length) {
            expect(got).toMatchObject({ code: 'corrupted' });
            expect(r.at).toBe(at);
            continue;
          }
          const want = op === 'u8' ? view.getUint8(at) : op === 'u16' ? view.getUint16(at, true) : op === 'u32' ? view.getUint32(at, true) : raw.subarray(at, at + n);
          expect(got).toEqual(want);
          at += n;
          expect(r.at).toBe(at);
          expect(r.remaining).toBe(raw.length - at);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
