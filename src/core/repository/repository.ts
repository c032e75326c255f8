import { CairnError, isCairnError } from '../errors';
import { toHex } from '../format/bytes';
import { decodeBlobWith, encodeBlobWith } from '../format/codec';
import type { Id } from '../format/ids';
import { makeSealer, MASTER_KEY_LENGTH, sealerFromKeys, type Sealer, type SealerKeys } from '../format/sealer';
import { DEFAULT_CHUNKER_PARAMS, validateChunkerParams, type ChunkerParams } from '../format/chunker';
import { decodeSnapshot, encodeSnapshot, type Snapshot, type SnapshotRef } from '../model/snapshot';
import { decodeTree, type Tree } from '../model/tree';
import type { Backend } from '../ports/backend';
import type { Host, KdfParams, KeyHandle } from '../ports/host';
import { FORMAT_VERSION } from '../version';
import { decodeIndex, encodeIndex, type IndexContent, type IndexedBlob } from './index-file';
import { createKeyFile, decodeKeyFile, newKeyName, unwrapMaster } from './key-file';
import { MasterIndex } from './master-index';
import { MAX_BLOB_LENGTH, PackWriter, type BlobType, type PackEntry } from './pack';
import { decodeConfig, encodeConfig, MAX_PACK_SIZE, MIN_PACK_SIZE, verifyConfigMac, type RepoConfig } from './repo-config';

/** Reads blobs and trees: what restore, check and listings need. */
export interface BlobReader {
  readonly config: RepoConfig;
  readonly index: MasterIndex;
  readBlob(type: BlobType, id: Id): Promise<Uint8Array>;
  readTree(id: Id): Promise<Tree>;
  blobId(raw: Uint8Array): Promise<Id>;
}

/** Stores blobs: what backup needs besides reading. */
export interface BlobStore extends BlobReader {
  /** True when the blob is stored or queued in this session. */
  hasBlob(type: BlobType, id: Id): boolean;
  /** Queues a blob; returns the bytes it will occupy in storage (0 when already known). */
  storeBlob(type: BlobType, id: Id, raw: Uint8Array): Promise<number>;
  /** Writes every queued pack, then an index for them. */
  flush(): Promise<void>;
}

export interface InitOptions {
  /** null: an unencrypted repository (integrity-checked, not secret). */
  readonly passphrase: string | null;
  readonly kdf?: Omit<KdfParams, 'salt' | 'name'>;
  readonly chunker?: ChunkerParams;
  readonly packSize?: number;
  /** A name to recognise the repository by ("Blue USB drive"), stored in its config. */
  readonly name?: string;
}

export interface RememberedKeys {
  readonly repositoryId: Id;
  readonly keyName: Id;
  readonly keys: SealerKeys;
}

export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
/** Bytes read at once from a pack when a small blob is wanted, and how many such windows are kept. */
const READ_WINDOW = 4 * 1024 * 1024;
const READ_WINDOWS = 6;
/** An index file is written after this many packs, so an interrupted backup keeps its work. */
const PACKS_PER_INDEX = 8;

/**
 * An unlocked repository: config, keys, the master index, pack writing and snapshot storage.
 * Write order is packs → index → snapshot; nothing stored is ever rewritten.
 */
export class Repository implements BlobStore {
  readonly index = new MasterIndex();
  private writers = new Map<BlobType, PackWriter>();
  private queued = new Set<string>();
  private unindexed: { pack: Id; size: number; entries: PackEntry[] }[] = [];
  private indexFiles = new Map<Id, IndexContent>();
  /**
   * Index files that could not be read when the repository was opened. Opening still succeeds
   * (backups store again what those files listed; check names them; repair rebuilds them).
   */
  readonly indexProblems: { name: Id; message: string }[] = [];
  /** When false, written packs wait in `takeUnindexed()` instead of getting index files (prune). */
  autoIndex = true;
  private superseded = new Set<Id>();
  /** Blobs being encoded and sealed right now, by type + id. */
  private storing = new Map<string, Promise<number>>();
  /** The pack writes in progress, in order (see writePack). */
  private packChain: Promise<void> = Promise.resolve();
  private packsPending = 0;
  /** Recently read stretches of packs (see readSealed). */
  private windows: { pack: Id; start: number; end: number; bytes: Promise<Uint8Array> }[] = [];

  private constructor(
    readonly backend: Backend,
    readonly host: Host,
    readonly config: RepoConfig,
    readonly sealer: Sealer,
    /** Null for a session opened from remembered key handles: it cannot manage keys. */
    private readonly master: Uint8Array | null,
    /** The key file this session was unlocked with. */
    readonly keyName: Id,
  ) {}

  /** Creates a repository. Fails 'already-exists' when the backend already holds one. */
  static async init(backend: Backend, host: Host, opts: InitOptions): Promise<Repository> {
    const existing = await tryRead(backend, 'config');
    if (existing) throw new CairnError('already-exists', `${backend.location} already holds a repository`);
    // Refuse at creation what opening would refuse later.
    if (opts.chunker) validateChunkerParams(opts.chunker);
    const packSize = opts.packSize ?? DEFAULT_PACK_SIZE;
    if (!Number.isSafeInteger(packSize) || packSize < MIN_PACK_SIZE || packSize > MAX_PACK_SIZE) {
      throw new CairnError('invalid-input', `pack size must be between ${MIN_PACK_SIZE} and ${MAX_PACK_SIZE} bytes`);
    }
    const c = host.crypto;
    const master = c.randomBytes(MASTER_KEY_LENGTH);
    const config: RepoConfig = {
      version: FORMAT_VERSION,
      id: toHex(c.randomBytes(32)),
      created: new Date(host.now()).toISOString(),
      encryption: opts.passphrase === null ? 'none' : 'aes-256-gcm',
      chunker: opts.chunker ?? DEFAULT_CHUNKER_PARAMS,
      packSize,
      mandatoryFeatures: [],
      writeFeatures: [],
      ...(opts.name?.trim() ? { name: opts.name.trim().slice(0, 200) } : {}),
    };
    const keyFile = await createKeyFile(c, master, config.id, opts.passphrase, {
      created: config.created,
      hostname: host.hostname,
      ...(opts.kdf ? { kdf: opts.kdf } : {}),
    });
    // Key first, config last: a repository without a config does not exist yet.
    const keyName = newKeyName(c);
    await backend.write('keys', keyName, keyFile);
    const macKey = await c.importHmacKey(master.subarray(32));
    await backend.write('config', 'config', await encodeConfig(config, c, macKey));
    return new Repository(backend, host, config, await makeSealer(c, master, config.encryption === 'aes-256-gcm'), master, keyName);
  }

  /**
   * Opens and unlocks a repository, then loads its index. `passphrase` is ignored for an
   * unencrypted one. Throws 'not-a-repository', 'unsupported-version', 'wrong-passphrase',
   * 'key-damaged' or 'corrupted'; never writes anything.
   */
  static async open(
    backend: Backend,
    host: Host,
    passphrase: string | null,
    opts: { forWriting?: boolean; loadIndex?: boolean; /** Try only this key file. */ onlyKey?: Id } = {},
  ): Promise<Repository> {
    const bytes = await tryRead(backend, 'config');
    if (!bytes) throw new CairnError('not-a-repository', `no Cairn repository at ${backend.location} (no config file)`);
    const { config, mac, body } = decodeConfig(bytes, opts.forWriting ?? false);
    const { master, keyName } = await unlock(backend, host, config, passphrase, (m) => verifyConfigMac(body, mac, host.crypto, m), opts.onlyKey);
    const c = host.crypto;
    const repo = new Repository(backend, host, config, await makeSealer(c, master, config.encryption === 'aes-256-gcm'), master, keyName);
    if (opts.loadIndex ?? true) await repo.loadIndex((name, e) => repo.indexProblems.push({ name, message: e.message }));
    return repo;
  }

  /** Whether this repository needs a passphrase, read from its config alone. */
  static async probe(backend: Backend): Promise<{ exists: boolean; encrypted: boolean; id?: Id }> {
    const bytes = await tryRead(backend, 'config');
    if (!bytes) return { exists: false, encrypted: false };
    const { config } = decodeConfig(bytes, false);
    return { exists: true, encrypted: config.encryption !== 'none', id: config.id };
  }

  /**
   * Opens a repository with key handles remembered from an earlier unlock (non-extractable
   * CryptoKeys kept by the app, never the passphrase). Fails 'wrong-passphrase' when they do not
   * belong to this repository.
   */
  static async openRemembered(backend: Backend, host: Host, remembered: RememberedKeys, opts: { forWriting?: boolean } = {}): Promise<Repository> {
    const bytes = await tryRead(backend, 'config');
    if (!bytes) throw new CairnError('not-a-repository', `no Cairn repository at ${backend.location} (no config file)`);
    const { config, mac, body } = decodeConfig(bytes, opts.forWriting ?? false);
    if (config.id !== remembered.repositoryId || (config.encryption === 'aes-256-gcm') !== Boolean(remembered.keys.aes)) {
      throw new CairnError('wrong-passphrase', 'the key remembered on this device belongs to another repository');
    }
    try {
      await verifyConfigMac(body, mac, host.crypto, remembered.keys.mac);
    } catch {
      throw new CairnError('wrong-passphrase', 'the key remembered on this device no longer opens this repository');
    }
    const repo = new Repository(backend, host, config, sealerFromKeys(host.crypto, remembered.keys), null, remembered.keyName);
    await repo.loadIndex();
    return repo;
  }

  /** What "remember on this device" keeps: non-extractable key handles and ids, no secret bytes. */
  rememberable(): RememberedKeys {
    return { repositoryId: this.config.id, keyName: this.keyName, keys: this.sealer.keys };
  }

  /** Adds a key file for another passphrase (the master key stays the same). */
  async addKey(passphrase: string | null, kdf?: Omit<KdfParams, 'salt' | 'name'>, label?: string): Promise<Id> {
    if (!this.master) throw new CairnError('invalid-input', 'unlock with your passphrase to manage keys (this device only remembers a key that cannot be copied)');
    if ((passphrase === null) !== (this.config.encryption === 'none')) {
      throw new CairnError('invalid-input', passphrase === null ? 'an encrypted repository needs a passphrase for every key' : 'an unencrypted repository has no passphrases');
    }
    const name = newKeyName(this.host.crypto);
    const bytes = await createKeyFile(this.host.crypto, this.master, this.config.id, passphrase, {
      created: new Date(this.host.now()).toISOString(),
      hostname: this.host.hostname,
      ...(kdf ? { kdf } : {}),
      ...(label ? { label } : {}),
    });
    await this.backend.write('keys', name, bytes);
    return name;
  }

  /**
   * Loads every index file. A file that cannot be read or authenticated is reported through
   * `onError` when given (check uses this), otherwise it fails the load.
   */
  async loadIndex(onError?: (name: string, error: CairnError) => void): Promise<void> {
    const present = new Set<Id>();
    for await (const { name } of this.backend.list('index')) {
      present.add(name);
      if (this.indexFiles.has(name)) continue;
      try {
        this.indexFiles.set(name, await this.readIndexFile(name));
      } catch (e) {
        if (!onError || !(e instanceof CairnError)) throw e;
        onError(name, e);
      }
    }
    for (const name of this.indexFiles.keys()) if (!present.has(name)) this.indexFiles.delete(name);
    this.superseded = this.index.rebuild(this.indexFiles);
  }

  /** Index files ignored because a newer one replaces them (left by an interrupted prune). */
  supersededIndexFiles(): ReadonlySet<Id> {
    return this.superseded;
  }

  /** Every index file read, by id (immutable; cached). */
  indexFileIds(): Id[] {
    return [...this.indexFiles.keys()];
  }

  async readIndexFile(name: Id) {
    const plain = await this.sealer.open('index', name, await this.backend.read('index', name));
    return decodeIndex(plain, name);
  }

  async blobId(raw: Uint8Array): Promise<Id> {
    return toHex(await this.sealer.idOf(raw));
  }

  hasBlob(type: BlobType, id: Id): boolean {
    return this.index.has(type, id) || this.queued.has(type + id) || this.storing.has(type + id);
  }

  /** Reads, authenticates, decompresses and verifies a blob against its id. */
  async readBlob(type: BlobType, id: Id): Promise<Uint8Array> {
    const loc = this.index.get(type, id);
    if (!loc) throw new CairnError('not-found', `${type} blob ${id.slice(0, 8)} is not in the index`);
    return this.readBlobAt(loc);
  }

  async readBlobAt(loc: IndexedBlob): Promise<Uint8Array> {
    return this.openBlob(loc, await this.readSealed(loc));
  }

  /**
   * The sealed bytes of a blob. Small blobs are served from a few recently read pack windows, so
   * restoring many small files reads each stretch of a pack once instead of once per blob. A
   * window that cannot be read (a truncated pack) falls back to the blob's own range, so a damaged
   * pack costs exactly the blobs that are really damaged.
   */
  private async readSealed(loc: IndexedBlob): Promise<Uint8Array> {
    const packSize = this.index.packs.get(loc.pack);
    if (loc.length > READ_WINDOW / 4 || packSize === undefined || loc.offset + loc.length > packSize) {
      return this.backend.readRange('data', loc.pack, loc.offset, loc.length);
    }
    for (const w of this.windows) {
      if (w.pack === loc.pack && loc.offset >= w.start && loc.offset + loc.length <= w.end) {
        const bytes = await w.bytes.catch(() => null);
        if (!bytes) break;
        return bytes.subarray(loc.offset - w.start, loc.offset - w.start + loc.length);
      }
    }
    const start = loc.offset;
    const end = Math.min(packSize, start + READ_WINDOW);
    const bytes = this.backend.readRange('data', loc.pack, start, end - start);
    bytes.catch(() => undefined);
    this.windows.unshift({ pack: loc.pack, start, end, bytes });
    if (this.windows.length > READ_WINDOWS) this.windows.pop();
    try {
      const got = await bytes;
      return got.subarray(0, loc.length);
    } catch {
      this.windows = this.windows.filter((w) => w.bytes !== bytes);
      return this.backend.readRange('data', loc.pack, loc.offset, loc.length);
    }
  }

  /** Opens a sealed blob already read from its pack. */
  async openBlob(loc: Omit<IndexedBlob, 'pack' | 'offset'>, sealed: Uint8Array): Promise<Uint8Array> {
    const raw = await decodeBlobWith(this.host.deflate, loc.codec, await this.sealer.open(loc.type, loc.id, sealed), loc.rawLength);
    if ((await this.blobId(raw)) !== loc.id) {
      throw new CairnError('corrupted', `${loc.type} blob ${loc.id.slice(0, 8)} does not match its id (corrupted or tampered)`);
    }
    return raw;
  }

  async readTree(id: Id): Promise<Tree> {
    return decodeTree(await this.readBlob('tree', id), id);
  }

  /**
   * Safe to call concurrently: a blob is encoded and sealed once however many callers store it at
   * the same time (the others wait for it and get 0), and packs are written one at a time, in the
   * order they fill.
   */
  async storeBlob(type: BlobType, id: Id, raw: Uint8Array): Promise<number> {
    const key = type + id;
    const pending = this.storing.get(key);
    if (pending) {
      await pending;
      return 0;
    }
    if (this.hasBlob(type, id)) return 0;
    if (raw.length > MAX_BLOB_LENGTH) {
      throw new CairnError('too-large', `a ${type} blob of ${raw.length} bytes is over the format's limit of ${MAX_BLOB_LENGTH} (a folder with too many entries?)`);
    }
    const work = this.encodeAndQueue(type, id, raw);
    this.storing.set(key, work);
    try {
      return await work;
    } finally {
      this.storing.delete(key);
    }
  }

  private async encodeAndQueue(type: BlobType, id: Id, raw: Uint8Array): Promise<number> {
    const encoded = await encodeBlobWith(this.host.deflate, raw);
    const sealed = await this.sealer.seal(type, id, encoded.data);
    let writer = this.writers.get(type);
    if (!writer) this.writers.set(type, (writer = new PackWriter()));
    writer.add(type, id, encoded.codec, raw.length, sealed);
    this.queued.add(type + id);
    if (writer.size >= this.config.packSize) await this.writePack(type);
    // Backpressure: while finished packs wait to be written, callers wait too (memory bound).
    else if (this.packsPending > 1) await this.packChain;
    return sealed.length;
  }

  /** Finishes the open pack of `type` and writes it after every pack started before it. */
  private writePack(type: BlobType): Promise<void> {
    const writer = this.writers.get(type);
    if (!writer || writer.count === 0) return this.packChain;
    this.writers.delete(type);
    this.packsPending++;
    const next = this.packChain.then(() => this.publishPack(writer)).finally(() => this.packsPending--);
    this.packChain = next.catch(() => undefined);
    return next;
  }

  private async publishPack(writer: PackWriter): Promise<void> {
    const { bytes, entries } = await writer.finish(this.sealer);
    const pack = toHex(await this.host.crypto.sha256(bytes));
    await this.backend.write('data', pack, bytes);
    this.unindexed.push({ pack, size: bytes.length, entries });
    if (this.autoIndex && this.unindexed.length >= PACKS_PER_INDEX) await this.writeIndex();
  }

  private async writeIndex(): Promise<void> {
    if (this.unindexed.length === 0) return;
    const batch = this.unindexed;
    this.unindexed = [];
    const packs = new Map<Id, number>();
    const blobs: IndexedBlob[] = [];
    for (const p of batch) {
      packs.set(p.pack, p.size);
      for (const e of p.entries) blobs.push({ ...e, pack: p.pack });
    }
    let id: Id;
    try {
      id = await this.writeIndexFile({ supersedes: [], packs, blobs });
    } catch (e) {
      this.unindexed = [...batch, ...this.unindexed];
      throw e;
    }
    this.index.merge(this.indexFiles.get(id)!, id);
    for (const b of blobs) this.queued.delete(b.type + b.id);
  }

  /** Queues an already sealed blob copied from another pack (prune's repacking). */
  async copySealedBlob(entry: { type: BlobType; id: Id; codec: number; rawLength: number }, sealed: Uint8Array): Promise<void> {
    if (this.queued.has(entry.type + entry.id)) return;
    let writer = this.writers.get(entry.type);
    if (!writer) this.writers.set(entry.type, (writer = new PackWriter()));
    writer.add(entry.type, entry.id, entry.codec, entry.rawLength, sealed);
    this.queued.add(entry.type + entry.id);
    if (writer.size >= this.config.packSize) await this.writePack(entry.type);
  }

  /** Writes one index file (immutable, content-addressed) and returns its id. */
  async writeIndexFile(content: IndexContent): Promise<Id> {
    const plain = encodeIndex(content);
    const id = await this.blobId(plain);
    await this.backend.write('index', id, await this.sealer.seal('index', id, plain));
    this.indexFiles.set(id, content);
    return id;
  }

  /** Writes the current pack of `type` now (prune and repair use this). */
  async flushPacks(): Promise<void> {
    await this.writePack('data');
    await this.writePack('tree');
  }

  /** Packs written but not yet in an index file, with their entries (taken by the caller). */
  takeUnindexed(): { pack: Id; size: number; entries: PackEntry[] }[] {
    const out = this.unindexed;
    this.unindexed = [];
    for (const p of out) for (const e of p.entries) this.queued.delete(e.type + e.id);
    return out;
  }

  async flush(): Promise<void> {
    await this.writePack('data');
    await this.writePack('tree');
    await this.writeIndex();
  }

  /** Writes an encoded snapshot: the commit point of a backup. Call `flush` first. */
  async writeSnapshot(snapshot: Snapshot): Promise<Id> {
    if (this.queued.size || this.unindexed.length) throw new Error('writeSnapshot before flush');
    const plain = encodeSnapshot(snapshot);
    const id = await this.blobId(plain);
    await this.backend.write('snapshots', id, await this.sealer.seal('snapshot', id, plain));
    return id;
  }

  async readSnapshot(id: Id): Promise<Snapshot> {
    const plain = await this.sealer.open('snapshot', id, await this.backend.read('snapshots', id));
    return decodeSnapshot(plain, id);
  }

  /**
   * All snapshots, oldest first. Unreadable ones are reported through `onError` when given,
   * otherwise the listing fails.
   */
  async listSnapshots(onError?: (id: Id, error: CairnError) => void): Promise<SnapshotRef[]> {
    const out: SnapshotRef[] = [];
    for await (const { name } of this.backend.list('snapshots')) {
      try {
        out.push({ id: name, snapshot: await this.readSnapshot(name) });
      } catch (e) {
        if (!onError || !(e instanceof CairnError)) throw e;
        onError(name, e);
      }
    }
    return out.sort((a, b) => Date.parse(a.snapshot.time) - Date.parse(b.snapshot.time) || (a.id < b.id ? -1 : 1));
  }

  /**
   * Resolves "latest", a full id or a unique prefix of at least 4 hex digits among the readable
   * snapshots (an unreadable one is reported by check, and never chosen as "latest").
   */
  async resolveSnapshot(ref: string): Promise<SnapshotRef> {
    const unreadable = new Map<Id, CairnError>();
    const all = await this.listSnapshots((id, e) => unreadable.set(id, e));
    if (ref === 'latest') {
      const last = all[all.length - 1];
      if (!last) throw new CairnError('not-found', 'the repository has no snapshots yet');
      return last;
    }
    if (!/^[0-9a-f]{4,64}$/.test(ref)) throw new CairnError('invalid-input', `"${ref}" is not a snapshot id`);
    const matches = all.filter((s) => s.id.startsWith(ref));
    if (matches.length === 0) {
      for (const [id, e] of unreadable) if (id.startsWith(ref)) throw e;
      throw new CairnError('not-found', `no snapshot ${ref}`);
    }
    if (matches.length > 1) throw new CairnError('invalid-input', `snapshot id ${ref} is ambiguous; give more digits`);
    return matches[0]!;
  }
}

async function tryRead(backend: Backend, name: 'config'): Promise<Uint8Array | null> {
  try {
    return await backend.read('config', name);
  } catch (e) {
    if (isCairnError(e, 'not-found')) return null;
    throw e;
  }
}

/**
 * Finds a key file the passphrase opens and whose master key authenticates the config. Damaged
 * key files are skipped (reported only when no key opens the repository).
 */
async function unlock(
  backend: Backend,
  host: Host,
  config: RepoConfig,
  passphrase: string | null,
  verifyConfig: (macKey: KeyHandle) => Promise<void>,
  onlyKey?: Id,
): Promise<{ master: Uint8Array; keyName: Id }> {
  const damaged: CairnError[] = [];
  let configMismatch: CairnError | null = null;
  let tried = 0;
  for await (const { name } of backend.list('keys')) {
    if (onlyKey && name !== onlyKey) continue;
    let file;
    try {
      file = await decodeKeyFile(host.crypto, await backend.read('keys', name), name);
    } catch (e) {
      if (e instanceof CairnError) {
        damaged.push(e);
        continue;
      }
      throw e;
    }
    if ((file.kdf.name === 'none') !== (config.encryption === 'none')) {
      damaged.push(new CairnError('key-damaged', `key file ${name.slice(0, 8)} does not match the repository's encryption`));
      continue;
    }
    tried++;
    let master: Uint8Array | null;
    try {
      master = await unwrapMaster(host.crypto, file, config.id, passphrase);
    } catch (e) {
      if (!(e instanceof CairnError)) throw e;
      damaged.push(new CairnError('key-damaged', `key file ${name.slice(0, 8)}: ${e.message}`));
      continue;
    }
    if (!master) continue;
    try {
      await verifyConfig(await host.crypto.importHmacKey(master.subarray(32)));
      return { master, keyName: name };
    } catch (e) {
      if (!(e instanceof CairnError)) throw e;
      configMismatch = e; // a key of another repository, or a tampered config
    }
  }
  if (configMismatch) throw configMismatch;
  if (tried > 0) {
    throw new CairnError(
      'wrong-passphrase',
      passphrase === null ? 'this repository is encrypted: a passphrase is needed' : 'wrong passphrase',
    );
  }
  if (damaged.length) throw new CairnError('key-damaged', damaged.map((d) => d.message).join('; '));
  throw new CairnError('key-damaged', 'the repository has no key files');
}
