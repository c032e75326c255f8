import { CairnError } from '../errors';
import type { CryptoHost, KeyHandle } from '../ports/host';
import { bytesEqual, concatBytes, utf8 } from './bytes';

/**
 * What a stored object is. Bound into every seal as associated data together with the object's
 * id, so an object moved to another type or name fails authentication.
 */
export type ObjectKind = 'data' | 'tree' | 'pack-header' | 'index' | 'snapshot' | 'lock' | 'config' | 'local';

/** Seals and opens stored objects. Opening anything altered throws CairnError('corrupted'). */
export interface Sealer {
  readonly encrypted: boolean;
  /** Bytes added by sealing (nonce + tag). */
  readonly overhead: number;
  seal(kind: ObjectKind, id: string, plain: Uint8Array): Promise<Uint8Array>;
  open(kind: ObjectKind, id: string, sealed: Uint8Array): Promise<Uint8Array>;
  /** Keyed object id: HMAC-SHA-256 of the plaintext with the repository's id key (32 bytes). */
  idOf(plain: Uint8Array): Promise<Uint8Array>;
  /** The host key handles (non-extractable), e.g. for "remember on this device". */
  readonly keys: SealerKeys;
}

export interface SealerKeys {
  readonly aes?: KeyHandle;
  readonly mac: KeyHandle;
}

/** 64 bytes of random master key material: 32 for AES-256-GCM, 32 for HMAC (ids and MACs). */
export const MASTER_KEY_LENGTH = 64;

function associatedData(kind: ObjectKind, id: string): Uint8Array<ArrayBuffer> {
  return utf8(`cairn/v1/${kind}/${id}`);
}

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/**
 * Creates the sealer for a repository from its master key material.
 * - encrypted: AES-256-GCM, stored = nonce(12) ‖ ciphertext ‖ tag(16), AD = "cairn/v1/<kind>/<id>".
 * - unencrypted: stored = plaintext ‖ HMAC-SHA-256(idKey, AD ‖ plaintext)[0..16]: integrity
 *   against accidental damage, no secrecy (the key is stored in clear).
 */
export async function makeSealer(host: CryptoHost, master: Uint8Array, encrypted: boolean): Promise<Sealer> {
  if (master.length !== MASTER_KEY_LENGTH) throw new CairnError('corrupted', 'master key has the wrong length');
  const mac = await host.importHmacKey(master.subarray(32, 64));
  const aes = encrypted ? await host.importAesKey(master.subarray(0, 32)) : undefined;
  return sealerFromKeys(host, aes ? { aes, mac } : { mac });
}

/** A sealer from key handles imported earlier (encrypted when an AES key is given). */
export function sealerFromKeys(host: CryptoHost, keys: SealerKeys): Sealer {
  const idOf = (plain: Uint8Array) => host.hmacSha256(keys.mac, plain);
  if (keys.aes) return { encrypted: true, overhead: IV_LENGTH + TAG_LENGTH, idOf, keys, ...gcm(host, keys.aes) };
  return { encrypted: false, overhead: TAG_LENGTH, idOf, keys, ...maced(host, keys.mac) };
}

function gcm(host: CryptoHost, key: KeyHandle): Pick<Sealer, 'seal' | 'open'> {
  return {
    async seal(kind, id, plain) {
      const iv = host.randomBytes(IV_LENGTH);
      const ct = await host.aesGcmEncrypt(key, iv, plain, associatedData(kind, id));
      return concatBytes([iv, ct]);
    },
    async open(kind, id, sealed) {
      if (sealed.length < IV_LENGTH + TAG_LENGTH) throw tampered(kind, id);
      try {
        return await host.aesGcmDecrypt(
          key,
          sealed.subarray(0, IV_LENGTH),
          sealed.subarray(IV_LENGTH),
          associatedData(kind, id),
        );
      } catch (e) {
        throw tampered(kind, id, e);
      }
    },
  };
}

function maced(host: CryptoHost, key: KeyHandle): Pick<Sealer, 'seal' | 'open'> {
  const tag = async (kind: ObjectKind, id: string, plain: Uint8Array) =>
    (await host.hmacSha256(key, concatBytes([associatedData(kind, id), plain]))).subarray(0, TAG_LENGTH);
  return {
    async seal(kind, id, plain) {
      return concatBytes([plain, await tag(kind, id, plain)]);
    },
    async open(kind, id, sealed) {
      if (sealed.length < TAG_LENGTH) throw tampered(kind, id);
      const plain = sealed.subarray(0, sealed.length - TAG_LENGTH);
      if (!bytesEqual(await tag(kind, id, plain), sealed.subarray(sealed.length - TAG_LENGTH))) {
        throw tampered(kind, id);
      }
      return plain;
    },
  };
}

function tampered(kind: ObjectKind, id: string, cause?: unknown): CairnError {
  const name = id ? `${kind} ${id.slice(0, 8)}` : kind;
  return new CairnError('corrupted', `${name} is corrupted or tampered (authentication failed)`, { cause });
}
