import { CairnError } from '../core/errors';
import { addRecoveryKey, changePassphrase, listKeys, passphraseFromInput, removeKey } from '../core/operations/keys';
import type { Host } from '../core/ports/host';
import { Repository } from '../core/repository/repository';
import { forgetDeviceKeys, loadDeviceKeys, saveDeviceKeys } from './device-key-store';
import type { OpenRepositories, RepositorySession } from './open-repositories';
import type { KeyInfoData, OpenRepository, RecoveryKeyData, RepositoryTarget } from './protocol';
import { openTarget } from './repository-target';

/**
 * Keys and "remember on this device", the worker side of the "Passphrase and recovery" settings.
 * Behaves like the CLI's `cairn key list | recovery | remove | passwd`.
 *
 * Contract:
 * - Key changes need a session unlocked with a passphrase (or recovery key): a session opened
 *   from remembered key handles has no master key and fails 'invalid-input' (the engine's words).
 * - `changePassphrase` first proves `current` opens the key this session used ('wrong-passphrase'
 *   otherwise), so an unattended unlocked app cannot have its passphrase changed; then the engine
 *   adds the new key, verifies it and removes the old one (interruption-safe).
 * - Recovery words are returned once and kept nowhere.
 * - Remembered keys are stored by repository id; `unlockRemembered` fails 'not-found' when this
 *   device remembers none, 'wrong-passphrase' when they no longer open the repository (they are
 *   then forgotten).
 */
export class KeysMethods {
  constructor(
    private readonly open: OpenRepositories,
    private readonly host: Host,
  ) {}

  async listKeys(session: string): Promise<KeyInfoData[]> {
    const { repo } = this.open.get(session);
    return (await listKeys(repo)).map((k) => ({
      name: k.name,
      shortId: k.name.slice(0, 8),
      created: k.created,
      hostname: k.hostname,
      kdf: k.kdf,
      current: k.current,
      ...(k.label ? { label: k.label } : {}),
      ...(k.damaged ? { damaged: k.damaged } : {}),
    }));
  }

  async changePassphrase(session: string, current: string, next: string): Promise<void> {
    const { repo } = this.encrypted(session);
    if (typeof next !== 'string' || next.length === 0) throw new CairnError('invalid-input', 'the new passphrase is empty');
    await Repository.open(repo.backend, this.host, passphraseFromInput(String(current)), { loadIndex: false, onlyKey: repo.keyName }).catch((e: unknown) => {
      if (e instanceof CairnError && e.code === 'wrong-passphrase') throw new CairnError('wrong-passphrase', 'the current passphrase is not right');
      throw e;
    });
    const name = await changePassphrase(repo, next);
    // The session was unlocked with the key file just removed; the master key is unchanged, so
    // it now stands for the new one (listKeys marks it current, a second change removes it).
    (repo as { keyName: string }).keyName = name;
  }

  async addRecoveryKey(session: string): Promise<RecoveryKeyData> {
    const { repo } = this.encrypted(session);
    const { name, words } = await addRecoveryKey(repo);
    return { name, words: [...words] };
  }

  async removeKey(session: string, name: string): Promise<void> {
    const { repo } = this.encrypted(session);
    await removeKey(repo, String(name));
  }

  /** Keeps this session's key handles on this device (see device-key-store.ts). */
  async rememberDevice(session: string): Promise<void> {
    const { repo } = this.open.get(session);
    await saveDeviceKeys(repo.rememberable());
  }

  async forgetDevice(repositoryId: string): Promise<void> {
    await forgetDeviceKeys(String(repositoryId));
  }

  async isRemembered(repositoryId: string): Promise<boolean> {
    return (await loadDeviceKeys(String(repositoryId))) !== undefined;
  }

  /** Opens `target` with the key handles this device remembers for it. */
  async unlockRemembered(target: RepositoryTarget): Promise<OpenRepository> {
    const opened = await openTarget(target);
    try {
      const probe = await Repository.probe(opened.backend);
      if (!probe.exists || probe.id === undefined) throw new CairnError('not-a-repository', `no Cairn repository at ${opened.backend.location}`);
      const keys = await loadDeviceKeys(probe.id);
      if (!keys) throw new CairnError('not-found', 'this device remembers no key for these backups');
      try {
        return this.open.add(await Repository.openRemembered(opened.backend, this.host, keys), opened, 'remembered');
      } catch (e) {
        if (e instanceof CairnError && e.code === 'wrong-passphrase') await forgetDeviceKeys(probe.id);
        throw e;
      }
    } catch (e) {
      await opened.backend.close?.();
      throw e;
    }
  }

  private encrypted(session: string): RepositorySession {
    const s = this.open.get(session);
    if (s.repo.config.encryption === 'none') throw new CairnError('invalid-input', 'these backups are not encrypted: they have no passphrases');
    return s;
  }
}
