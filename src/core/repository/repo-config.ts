import { CairnError } from '../errors';
import { toHex, utf8, bytesEqual, fromHex } from '../format/bytes';
import { assertId, type Id } from '../format/ids';
import { FORMAT_VERSION } from '../version';
import { validateChunkerParams, type ChunkerParams } from '../format/chunker';
import { field, parseJsonObject } from './json';
import type { CryptoHost, KeyHandle } from '../ports/host';

/**
 * The repository config: the one file readable before unlocking (it says which format version
 * wrote the repository and whether a passphrase is needed). Its `mac` binds it to the master key,
 * checked right after unlocking. See docs/format.md §config.
 */
export interface RepoConfig {
  readonly version: number;
  readonly id: Id;
  readonly created: string;
  readonly encryption: 'aes-256-gcm' | 'none';
  readonly chunker: ChunkerParams;
  /** Target size of a pack file in bytes. */
  readonly packSize: number;
  /** Features a reader must understand to read this repository at all. */
  readonly mandatoryFeatures: readonly string[];
  /** Features a writer must understand to write; readers may ignore them. */
  readonly writeFeatures: readonly string[];
  /** The name the user gave the repository ("Blue USB drive"); shown to recognise a drive. */
  readonly name?: string;
}

/** Features this version understands. Format v1 defines none. */
const KNOWN_FEATURES: ReadonlySet<string> = new Set();

export const CONFIG_MAX_BYTES = 64 * 1024;
export const MIN_PACK_SIZE = 1024 * 1024;
export const MAX_PACK_SIZE = 128 * 1024 * 1024;

/** Serializes the config with its mac over the compact JSON of the other members. */
export async function encodeConfig(config: RepoConfig, host: CryptoHost, macKey: KeyHandle): Promise<Uint8Array> {
  const body = {
    format: 'cairn-repository',
    version: config.version,
    id: config.id,
    created: config.created,
    encryption: config.encryption,
    chunker: { min: config.chunker.min, avg: config.chunker.avg, max: config.chunker.max },
    packSize: config.packSize,
    mandatoryFeatures: [...config.mandatoryFeatures],
    writeFeatures: [...config.writeFeatures],
    ...(config.name ? { name: config.name } : {}),
  };
  const mac = toHex(await host.hmacSha256(macKey, utf8('cairn/v1/config/' + JSON.stringify(body))));
  return utf8(JSON.stringify({ ...body, mac }, null, 1) + '\n');
}

/**
 * Parses the config. Refuses (CairnError 'unsupported-version') a repository this version cannot
 * read; `forWriting` also refuses one it may read but must not write. The mac is returned for
 * `verifyConfigMac` after unlocking.
 */
export function decodeConfig(bytes: Uint8Array, forWriting: boolean): { config: RepoConfig; mac: string; body: string } {
  const obj = parseJsonObject(bytes, 'repository config', CONFIG_MAX_BYTES);
  const f = field(obj, 'repository config');
  if (obj.format !== 'cairn-repository') {
    throw new CairnError('not-a-repository', 'this folder does not hold a Cairn repository (config has no Cairn format marker)');
  }
  const version = f.int('version', 1);
  if (version > FORMAT_VERSION) {
    throw new CairnError(
      'unsupported-version',
      `this repository uses format version ${version}, written by a newer Cairn; this version reads format ${FORMAT_VERSION}. Update Cairn to use it (nothing was changed).`,
    );
  }
  const mandatoryFeatures = f.strArray('mandatoryFeatures', 64);
  const writeFeatures = f.strArray('writeFeatures', 64);
  const unknown = mandatoryFeatures.filter((x) => !KNOWN_FEATURES.has(x));
  if (unknown.length) {
    throw new CairnError('unsupported-version', `this repository needs features this version of Cairn lacks (${unknown.join(', ')}); update Cairn.`);
  }
  const unknownWrite = writeFeatures.filter((x) => !KNOWN_FEATURES.has(x));
  if (forWriting && unknownWrite.length) {
    throw new CairnError('unsupported-version', `this repository can be read but not written by this version of Cairn (needs ${unknownWrite.join(', ')}); nothing was written.`);
  }
  const encryption = f.str('encryption');
  if (encryption !== 'aes-256-gcm' && encryption !== 'none') {
    throw new CairnError('corrupted', `repository config: unknown encryption "${encryption}"`);
  }
  const config: RepoConfig = {
    version,
    id: assertId(obj.id, 'repository config id'),
    created: f.str('created'),
    encryption,
    chunker: validateChunkerParams(obj.chunker, 'corrupted'),
    packSize: f.int('packSize', MIN_PACK_SIZE, MAX_PACK_SIZE),
    mandatoryFeatures,
    writeFeatures,
    ...(typeof obj.name === 'string' && obj.name.length <= 200 ? { name: obj.name } : {}),
  };
  const { mac, ...rest } = obj;
  if (typeof mac !== 'string') throw new CairnError('corrupted', 'repository config has no mac');
  return { config, mac, body: JSON.stringify(rest) };
}

/** Checks the config's mac with the unlocked master key; a mismatch means corrupted or tampered. */
export async function verifyConfigMac(body: string, mac: string, host: CryptoHost, macKey: KeyHandle): Promise<void> {
  const expect = await host.hmacSha256(macKey, utf8('cairn/v1/config/' + body));
  let given: Uint8Array;
  try {
    given = fromHex(mac);
  } catch {
    given = new Uint8Array(0);
  }
  if (!bytesEqual(expect, given)) {
    throw new CairnError('corrupted', 'repository config is corrupted or tampered (its mac does not match the key)');
  }
}
