import { CairnError } from '../errors';
import { bytesEqual, concatBytes, fromBase64, toBase64, toHex, utf8 } from '../format/bytes';
import type { CryptoHost, KdfParams } from '../ports/host';
import { MASTER_KEY_LENGTH } from '../format/sealer';
import { field, parseJsonObject } from './json';

/**
 * Key files: the master key wrapped by a passphrase-derived key, one file per passphrase
 * (keys/<random id>). An unencrypted repository has one key file holding the key in clear.
 * See docs/format.md §keys.
 */
export type KdfSpec = KdfParams | { readonly name: 'none' };

/** Defaults for new passphrases: Argon2id, 64 MiB, 3 passes (RFC 9106 second recommendation). */
export const DEFAULT_KDF = { name: 'argon2id', m: 64 * 1024, t: 3, p: 1 } as const;

/** Parameters read from a key file must lie within these caps before the KDF runs. */
export const KDF_CAPS = { maxM: 2 * 1024 * 1024, maxT: 64, maxP: 16, minSalt: 16, maxSalt: 64 } as const;

const KEY_FILE_MAX_BYTES = 16 * 1024;
const IV_LENGTH = 12;

export interface KeyFile {
  readonly version: 1;
  readonly created: string;
  readonly hostname: string;
  readonly kdf: KdfSpec;
  /** base64: nonce ‖ AES-256-GCM(master) for argon2id; the master key itself for 'none'. */
  readonly key: string;
  /** Optional description shown in key listings ("recovery key", "laptop"). */
  readonly label?: string;
}

function wrapAd(repoId: string): Uint8Array {
  return utf8(`cairn/v1/key/${repoId}`);
}

/** Makes a key file for `master`, wrapping it under `passphrase` (null: unencrypted repository). */
export async function createKeyFile(
  host: CryptoHost,
  master: Uint8Array,
  repoId: string,
  passphrase: string | null,
  opts: { created: string; hostname: string; kdf?: Omit<KdfParams, 'salt' | 'name'>; label?: string },
): Promise<Uint8Array> {
  let kdf: KdfSpec;
  let key: string;
  if (passphrase === null) {
    kdf = { name: 'none' };
    key = toBase64(master);
  } else {
    if (passphrase.length === 0) throw new CairnError('invalid-input', 'the passphrase is empty');
    const p = opts.kdf ?? DEFAULT_KDF;
    kdf = { name: 'argon2id', m: p.m, t: p.t, p: p.p, salt: toBase64(host.randomBytes(32)) };
    validateKdf(kdf);
    const kek = await host.importAesKey(await host.deriveKey(passphrase, kdf));
    const iv = host.randomBytes(IV_LENGTH);
    key = toBase64(concatBytes([iv, await host.aesGcmEncrypt(kek, iv, master, wrapAd(repoId))]));
  }
  const body = { version: 1, created: opts.created, hostname: opts.hostname, kdf, key, ...(opts.label ? { label: opts.label } : {}) };
  const check = toHex(await host.sha256(utf8(JSON.stringify(body))));
  return utf8(JSON.stringify({ ...body, check }, null, 1) + '\n');
}

/**
 * Parses and self-checks a key file. A failed checksum or parameters outside the caps throw
 * CairnError('key-damaged') before any KDF work is done.
 */
export async function decodeKeyFile(host: CryptoHost, bytes: Uint8Array, name: string): Promise<KeyFile> {
  const what = `key file ${name.slice(0, 8)}`;
  let obj: Record<string, unknown>;
  try {
    obj = parseJsonObject(bytes, what, KEY_FILE_MAX_BYTES);
  } catch (e) {
    throw new CairnError('key-damaged', `${what} is damaged (${(e as Error).message})`, { cause: e });
  }
  const { check, ...body } = obj;
  const sum = toHex(await host.sha256(utf8(JSON.stringify(body)))); // depth bounded by parseJsonObject
  if (typeof check !== 'string' || !bytesEqual(utf8(sum), utf8(check))) {
    throw new CairnError('key-damaged', `${what} is corrupted or tampered (checksum mismatch)`);
  }
  try {
    const f = field(body, what);
    if (f.int('version', 1, 1) !== 1) throw new CairnError('key-damaged', `${what} has an unknown version`);
    const k = f.obj('kdf');
    let kdf: KdfSpec;
    if (k.name === 'none') kdf = { name: 'none' };
    else if (k.name === 'argon2id') {
      const kf = field(k, what + ' kdf');
      kdf = { name: 'argon2id', m: kf.int('m', 1), t: kf.int('t', 1), p: kf.int('p', 1), salt: kf.str('salt') };
      validateKdf(kdf, what);
    } else throw new CairnError('key-damaged', `${what} uses an unknown key derivation`);
    const label = f.optStr('label');
    return { version: 1, created: f.str('created'), hostname: f.str('hostname'), kdf, key: f.str('key'), ...(label ? { label } : {}) };
  } catch (e) {
    if (e instanceof CairnError && e.code === 'key-damaged') throw e;
    throw new CairnError('key-damaged', `${what} is damaged (${(e as Error).message})`, { cause: e });
  }
}

function validateKdf(k: KdfParams, what?: string): void {
  const salt = fromBase64(k.salt).length;
  if (
    k.m > KDF_CAPS.maxM || k.t > KDF_CAPS.maxT || k.p > KDF_CAPS.maxP || k.m < 8 * k.p ||
    salt < KDF_CAPS.minSalt || salt > KDF_CAPS.maxSalt
  ) {
    const params = `key derivation parameters out of bounds (m=${k.m} KiB, t=${k.t}, p=${k.p}, salt ${salt} bytes)`;
    throw new CairnError('key-damaged', what ? `${what} is corrupted or tampered: ${params}` : params);
  }
}

/**
 * Unwraps the master key. Returns null when the passphrase does not open this key file
 * (the caller tries the others, then reports 'wrong-passphrase').
 */
export async function unwrapMaster(
  host: CryptoHost,
  file: KeyFile,
  repoId: string,
  passphrase: string | null,
): Promise<Uint8Array | null> {
  if (file.kdf.name === 'none') {
    const master = fromBase64(file.key);
    if (master.length !== MASTER_KEY_LENGTH) throw new CairnError('key-damaged', 'key file holds a key of the wrong length');
    return master;
  }
  if (passphrase === null) return null;
  const wrapped = fromBase64(file.key);
  if (wrapped.length !== IV_LENGTH + MASTER_KEY_LENGTH + 16) throw new CairnError('key-damaged', 'key file holds a key of the wrong length');
  const kek = await host.importAesKey(await host.deriveKey(passphrase, file.kdf));
  try {
    return await host.aesGcmDecrypt(kek, wrapped.subarray(0, IV_LENGTH), wrapped.subarray(IV_LENGTH), wrapAd(repoId));
  } catch {
    return null;
  }
}

/** Key file names are random ids (64 hex digits). */
export function newKeyName(host: CryptoHost): string {
  return toHex(host.randomBytes(32));
}
