import { CairnError, isCairnError } from '../errors';
import type { Id } from '../format/ids';
import type { KdfParams } from '../ports/host';
import { decodeKeyFile } from '../repository/key-file';
import { Repository } from '../repository/repository';
import { encodeRecoveryWords, looksLikeRecoveryWords, normalizeRecoveryWords, RECOVERY_KEY_BYTES } from '../format/recovery-words';

/** What a key listing shows: never the key itself. */
export interface KeyInfo {
  readonly name: Id;
  readonly created: string;
  readonly hostname: string;
  readonly label?: string;
  readonly kdf: string;
  /** This session was unlocked with it. */
  readonly current: boolean;
  /** Unreadable or failing its checksum. */
  readonly damaged?: string;
}

export async function listKeys(repo: Repository): Promise<KeyInfo[]> {
  const out: KeyInfo[] = [];
  for await (const { name } of repo.backend.list('keys')) {
    try {
      const f = await decodeKeyFile(repo.host.crypto, await repo.backend.read('keys', name), name);
      const kdf = f.kdf.name === 'none' ? 'none (unencrypted)' : `argon2id m=${f.kdf.m} KiB t=${f.kdf.t} p=${f.kdf.p}`;
      out.push({ name, created: f.created, hostname: f.hostname, kdf, current: name === repo.keyName, ...(f.label ? { label: f.label } : {}) });
    } catch (e) {
      if (!isCairnError(e)) throw e;
      out.push({ name, created: '', hostname: '', kdf: '', current: false, damaged: e.message });
    }
  }
  return out.sort((a, b) => a.created.localeCompare(b.created));
}

/**
 * Adds a key file for another passphrase and proves it opens the repository (by unlocking with
 * that key file alone) before returning its name. Removes it again if the proof fails.
 */
export async function addPassphrase(repo: Repository, passphrase: string, opts: { kdf?: Omit<KdfParams, 'salt' | 'name'>; label?: string } = {}): Promise<Id> {
  const name = await repo.addKey(passphrase, opts.kdf, opts.label);
  try {
    await Repository.open(repo.backend, repo.host, passphrase, { loadIndex: false, onlyKey: name });
  } catch (e) {
    await repo.backend.remove('keys', name).catch(() => undefined);
    throw new CairnError('io', `the new key could not be verified, so it was removed; the old passphrase still works (${(e as Error).message})`, { cause: e });
  }
  return name;
}

/**
 * Changes the passphrase of the key this session was unlocked with: adds the new key file,
 * verifies it opens the repository, then removes the old one. Interrupted at any point, the old
 * or the new passphrase (or both) opens the repository.
 */
export async function changePassphrase(repo: Repository, passphrase: string, opts: { kdf?: Omit<KdfParams, 'salt' | 'name'> } = {}): Promise<Id> {
  const old = (await listKeys(repo)).find((k) => k.current);
  const name = await addPassphrase(repo, passphrase, { ...opts, ...(old?.label ? { label: old.label } : {}) });
  await repo.backend.remove('keys', repo.keyName);
  return name;
}

/**
 * Adds a recovery key: 128 random bits shown once as 17 words, stored as one more key file
 * (label "recovery key") whose passphrase is the normalized words. Returns the words; they are
 * not kept anywhere. Unlocking with them works wherever a passphrase does (browser, CLI).
 */
export async function addRecoveryKey(repo: Repository, opts: { kdf?: Omit<KdfParams, 'salt' | 'name'> } = {}): Promise<{ name: Id; words: string[] }> {
  const words = encodeRecoveryWords(repo.host.crypto.randomBytes(RECOVERY_KEY_BYTES));
  const name = await addPassphrase(repo, words.join(' '), { ...opts, label: 'recovery key' });
  return { name, words };
}

/** The passphrase to try for what a person typed: recovery words are normalized, anything else kept. */
export function passphraseFromInput(text: string): string {
  return looksLikeRecoveryWords(text) ? normalizeRecoveryWords(text) : text;
}

/** Removes a key file; refuses to remove the one in use or the last one that works. */
export async function removeKey(repo: Repository, name: Id): Promise<void> {
  const keys = await listKeys(repo);
  const target = keys.find((k) => k.name === name || (name.length >= 4 && k.name.startsWith(name)));
  if (!target) throw new CairnError('not-found', `no key ${name}`);
  if (target.current) throw new CairnError('invalid-input', 'this is the key you unlocked with; unlock with another one to remove it');
  if (keys.filter((k) => !k.damaged && k.name !== target.name).length === 0) throw new CairnError('invalid-input', 'refusing to remove the last working key');
  await repo.backend.remove('keys', target.name);
}
