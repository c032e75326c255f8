import { describe, expect, it } from 'vitest';
import { addPassphrase, addRecoveryKey, changePassphrase, listKeys, normalizeRecoveryWords, passphraseFromInput, removeKey, Repository } from '../../src/core';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { newRepo, PASSPHRASE, TEST_KDF, testHost } from '../support/engine';

const opens = async (backend: MemoryBackend, host: Parameters<typeof Repository.open>[1], pass: string) =>
  Repository.open(backend, host, pass, { loadIndex: false }).then(
    () => true,
    () => false,
  );

describe('keys', () => {
  it('adds, lists and removes passphrases; never the last or the current one', async () => {
    const { repo, backend, host } = await newRepo();
    const second = await addPassphrase(repo, 'second', { kdf: TEST_KDF, label: 'laptop' });
    const keys = await listKeys(repo);
    expect(keys).toHaveLength(2);
    expect(keys.find((k) => k.name === second)).toMatchObject({ label: 'laptop', current: false });
    expect(JSON.stringify(keys)).not.toMatch(/"key"/);
    await expect(removeKey(repo, repo.keyName)).rejects.toMatchObject({ code: 'invalid-input' });
    await removeKey(repo, second.slice(0, 8));
    expect(await opens(backend as MemoryBackend, host, 'second')).toBe(false);
    expect(await opens(backend as MemoryBackend, host, PASSPHRASE)).toBe(true);
  });

  it('a recovery key shown as words opens the repository on a fresh host, typed loosely', async () => {
    const { repo, backend } = await newRepo();
    const { words } = await addRecoveryKey(repo, { kdf: TEST_KDF });
    expect(words).toHaveLength(17);
    const typed = words.map((w, i) => (i % 2 ? w.slice(0, 4).toUpperCase() : w)).join('  ');
    const fresh = testHost(Date.UTC(2030, 0, 1));
    const opened = await Repository.open(backend, fresh, passphraseFromInput(typed), { loadIndex: false });
    expect(opened.config.id).toBe(repo.config.id);
    expect((await listKeys(opened)).find((k) => k.current)?.label).toBe('recovery key');
    const swapped = [...words];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(() => normalizeRecoveryWords(swapped.join(' '))).toThrow(/swapped|not a recovery word/);
    expect(() => normalizeRecoveryWords('apple banana')).toThrow(/17 words/);
  });

  it('remembered key handles reopen the repository without the passphrase, but cannot manage keys', async () => {
    const { repo, backend, host } = await newRepo();
    const remembered = repo.rememberable();
    expect(JSON.stringify(remembered)).not.toMatch(/[0-9a-f]{64}.*[0-9a-f]{64}.*[0-9a-f]{64}/);
    const again = await Repository.openRemembered(backend, host, remembered);
    expect(again.config.id).toBe(repo.config.id);
    await expect(again.addKey('x', TEST_KDF)).rejects.toMatchObject({ code: 'invalid-input' });
    const other = await newRepo();
    await expect(Repository.openRemembered(other.backend, host, remembered)).rejects.toMatchObject({ code: 'wrong-passphrase' });
  });

  it('changing the passphrase: the new one opens, the old one no longer does', async () => {
    const { repo, backend, host } = await newRepo();
    await changePassphrase(repo, 'new passphrase', { kdf: TEST_KDF });
    expect(await opens(backend as MemoryBackend, host, 'new passphrase')).toBe(true);
    expect(await opens(backend as MemoryBackend, host, PASSPHRASE)).toBe(false);
  });

  it('a passphrase change interrupted after any storage operation leaves the old or the new passphrase working', async () => {
    const { backend, host } = await newRepo();
    const mem = backend as MemoryBackend;
    const probe = new FaultyBackend(mem.clone());
    await changePassphrase(await Repository.open(probe, host, PASSPHRASE, { loadIndex: false }), 'new', { kdf: TEST_KDF });
    const total = probe.calls;
    for (let k = 0; k <= total; k++) {
      const world = mem.clone();
      const faulty = new FaultyBackend(world, { crashAt: k });
      await (async () => changePassphrase(await Repository.open(faulty, host, PASSPHRASE, { loadIndex: false }), 'new', { kdf: TEST_KDF }))().catch(() => undefined);
      const oldWorks = await opens(world, host, PASSPHRASE);
      const newWorks = await opens(world, host, 'new');
      expect(oldWorks || newWorks, `k=${k}`).toBe(true);
    }
  });
});
