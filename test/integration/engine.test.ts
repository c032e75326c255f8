import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backup, check, CairnError, findVersions, listFolder, Repository, restore, type Backend } from '../../src/core';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { isLiteralFile, literalFile, memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../support/memory-tree';
import { newRepo, PASSPHRASE, testHost } from '../support/engine';

const NFC = 'caf\u00e9.txt';
const NFD = 'cafe\u0301.txt';

function sampleTree(): LiteralTree {
  return {
    'empty.txt': '',
    'zeros.bin': new Uint8Array(700 * 1024),
    [NFC]: 'composed',
    [NFD]: 'decomposed',
    'emoji 📦 name.md': '# hello\n',
    'with space': { 'nested deeper': { 'leaf.txt': 'leaf', 'empty folder': {} } },
    'empty folder': {},
    photos: { 'a.jpg': seededBytes(900 * 1024, 7), 'copy of a.jpg': seededBytes(900 * 1024, 7) },
    'big.dat': seededBytes(3 * 1024 * 1024 + 123, 9),
  };
}

/**
 * The tree as comparable text: every file as "size:sha256", every folder as an object. (Deep
 * equality over megabytes of Uint8Array elements is very slow; digests compare the same bytes.)
 */
function asBytes(tree: LiteralTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const digest = (b: Uint8Array) => `${b.length}:${createHash('sha256').update(b).digest('hex')}`;
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') out[name] = digest(new TextEncoder().encode(node));
    else if (node instanceof Uint8Array) out[name] = digest(node);
    else if (isLiteralFile(node)) out[name] = digest(literalFile(node).data);
    else out[name] = asBytes(node);
  }
  return out;
}

async function roundTrip(repo: Repository, snapshotTree: string): Promise<Record<string, unknown>> {
  const target = new MemoryTarget();
  const report = await restore(repo, snapshotTree, target);
  expect(report.counts.failed).toBe(0);
  return asBytes(target.toLiteral());
}

describe('engine round trip', () => {
  it('restores exactly what was backed up, with empty files, empty folders, zeros and unicode names', async () => {
    const { repo } = await newRepo();
    const tree = sampleTree();
    const { snapshot, summary } = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    expect(summary.files).toBe(9);
    expect(await roundTrip(repo, snapshot.tree)).toEqual(asBytes({ home: tree }));
  });

  it('deduplicates identical files and identical chunks', async () => {
    const { repo } = await newRepo();
    const { summary } = await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    // the copy of a.jpg adds nothing; 700 KiB of zeros store one max-size chunk and the tail
    const unique = 900 * 1024 + 3 * 1024 * 1024 + 123 + 700 * 1024 - 256 * 1024;
    expect(summary.addedBytes).toBeLessThan(unique + 1024);
    expect(summary.addedBytes).toBeGreaterThan(unique);
  });

  it('reopens with the passphrase from storage alone', async () => {
    const { repo, backend, host } = await newRepo();
    const { id } = await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    const again = await Repository.open(backend, host, PASSPHRASE);
    const ref = await again.resolveSnapshot('latest');
    expect(ref.id).toBe(id);
    expect(await roundTrip(again, ref.snapshot.tree)).toEqual(asBytes({ home: sampleTree() }));
  });

  it('works unencrypted, still integrity-checked', async () => {
    const { repo, backend, host } = await newRepo(new MemoryBackend(), testHost(), null);
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    const again = await Repository.open(backend, host, null);
    expect(again.config.encryption).toBe('none');
    expect(await roundTrip(again, snapshot.tree)).toEqual(asBytes({ home: sampleTree() }));
  });

  it('a file whose bytes equal a folder listing is stored as data too (separate id spaces)', async () => {
    const { repo } = await newRepo();
    const tree = { 'listing.json': '{"nodes":[]}', empty: {} };
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(tree) }]);
    expect(await roundTrip(repo, snapshot.tree)).toEqual(asBytes({ home: tree }));
    expect((await check(repo, { readData: true })).ok).toBe(true);
  });

  it('backs up several sources, each a folder of the snapshot root', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [
      { name: 'docs', dir: memorySource({ 'a.txt': 'a' }) },
      { name: 'docs', dir: memorySource({ 'b.txt': 'b' }) },
    ]);
    const root = await listFolder(repo, snapshot.tree, '');
    expect(root.map((n) => n.name)).toEqual(['docs', 'docs (2)']);
  });
});

describe('incremental backups', () => {
  it('an unchanged re-backup reads no file and stores no data', async () => {
    const { repo, backend } = await newRepo();
    await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    const before = (backend as MemoryBackend).files().size;
    const reads: string[] = [];
    const second = await backup(repo, [{ name: 'home', dir: memorySource(sampleTree(), { onRead: (p) => reads.push(p) }) }]);
    expect(reads).toEqual([]);
    expect(second.summary.addedBytes).toBe(0);
    expect(second.summary.storedBytes).toBe(0);
    expect(second.summary.unchangedFiles).toBe(9);
    // only the snapshot file is new
    expect((backend as MemoryBackend).files().size).toBe(before + 1);
  });

  it('a small edit in a large file stores only the chunks around it', async () => {
    const { repo } = await newRepo();
    const big = seededBytes(4 * 1024 * 1024, 3);
    await backup(repo, [{ name: 'home', dir: memorySource({ 'big.dat': big }) }]);
    const edited = new Uint8Array(big.length + 5);
    edited.set(new Uint8Array([1, 2, 3, 4, 5]));
    edited.set(big, 5);
    const second = await backup(repo, [{ name: 'home', dir: memorySource({ 'big.dat': { data: edited, mtime: Date.UTC(2025, 0, 1) } }) }]);
    expect(second.summary.changedFiles).toBe(1);
    expect(second.summary.addedBytes).toBeLessThanOrEqual(2 * 256 * 1024);
    expect(second.summary.addedBytes).toBeGreaterThan(0);
  });

  it('keeps every version: the first snapshot still restores after changes, and versions are listed', async () => {
    const { repo } = await newRepo();
    const v1 = await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'one', 'b.txt': 'same' }) }]);
    await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': { data: 'two', mtime: 5 }, 'b.txt': 'same' }) }]);
    await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': { data: 'two', mtime: 5 }, 'b.txt': 'same' }) }]);
    expect(await roundTrip(repo, v1.snapshot.tree)).toEqual(asBytes({ home: { 'a.txt': 'one', 'b.txt': 'same' } }));
    const versions = await findVersions(repo, await repo.listSnapshots(), 'home/a.txt');
    expect(versions.map((v) => v.snapshots.length)).toEqual([1, 2]);
  });
});

describe('non-destructive restore', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('leaves identical files alone and keeps differing ones, writing the restored copy beside them', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource({ 'same.txt': 'same', 'diff.txt': 'from backup', 'new.txt': 'new' }) }]);
    const target = new MemoryTarget({ home: { 'same.txt': 'same', 'diff.txt': 'edited since', 'mine.txt': 'untouched' } });
    const report = await restore(repo, snapshot.tree, target, { label: new Date(Date.UTC(2026, 10, 21, 10, 30)) });
    const after = target.toLiteral() as { home: Record<string, Uint8Array> };
    expect(after.home['diff.txt']).toEqual(enc('edited since'));
    expect(after.home['mine.txt']).toEqual(enc('untouched'));
    expect(after.home['diff (restored 2026-11-21 10.30).txt']).toEqual(enc('from backup'));
    expect(after.home['new.txt']).toEqual(enc('new'));
    expect(report.counts).toMatchObject({ restored: 1, identical: 1, 'kept-both': 1, replaced: 0 });
    // running it again changes nothing and decides "done" for every file
    const again = await restore(repo, snapshot.tree, target, { label: new Date(Date.UTC(2026, 10, 21, 10, 30)) });
    expect(again.bytesWritten).toBe(0);
    expect(target.toLiteral()).toEqual(after);
  });

  it('overwrite mode preserves what it replaces under a clear name', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource({ 'diff.txt': 'from backup' }) }]);
    const target = new MemoryTarget({ home: { 'diff.txt': 'edited since' } });
    const report = await restore(repo, snapshot.tree, target, { mode: 'overwrite', now: new Date(Date.UTC(2026, 10, 21, 9, 0)) });
    const after = target.toLiteral() as { home: Record<string, Uint8Array> };
    expect(after.home['diff.txt']).toEqual(enc('from backup'));
    expect(after.home['diff (before restore 2026-11-21 09.00).txt']).toEqual(enc('edited since'));
    expect(report.decisions[0]).toMatchObject({ action: 'replaced', preservedAs: 'diff (before restore 2026-11-21 09.00).txt' });
  });

  it('restores selected paths only, keeping their folders', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    const target = new MemoryTarget();
    await restore(repo, snapshot.tree, target, { paths: ['home/with space/nested deeper/leaf.txt', 'home/empty.txt'] });
    expect(target.toLiteral()).toEqual({ home: { 'empty.txt': new Uint8Array(0), 'with space': { 'nested deeper': { 'leaf.txt': enc('leaf') } } } });
    await expect(restore(repo, snapshot.tree, new MemoryTarget(), { paths: ['home/nope'] })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a dry run decides everything and writes nothing', async () => {
    const { repo } = await newRepo();
    const { snapshot } = await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'a', sub: { 'b.txt': 'b' } }) }]);
    const target = new MemoryTarget({ home: { 'a.txt': 'different' } });
    const report = await restore(repo, snapshot.tree, target, { dryRun: true });
    expect(report.counts).toMatchObject({ 'kept-both': 1, restored: 1 });
    expect(target.toLiteral()).toEqual({ home: { 'a.txt': enc('different') } });
  });

  it('never uses an unsafe name from a (hostile) repository', async () => {
    const { repo } = await newRepo();
    const leafId = await repo.blobId(enc('evil'));
    await repo.storeBlob('data', leafId, enc('evil'));
    const nodes = ['..', 'a/b', 'ok.txt'].map((name) => ({ name, type: 'file' as const, size: 4, mtime: 0, content: [leafId] }));
    const bytes = enc(JSON.stringify({ nodes: nodes.sort((a, b) => (a.name < b.name ? -1 : 1)) }));
    const treeId = await repo.blobId(bytes);
    await repo.storeBlob('tree', treeId, bytes);
    await repo.flush();
    const target = new MemoryTarget();
    const report = await restore(repo, treeId, target);
    expect(target.toLiteral()).toEqual({ 'ok.txt': enc('evil') });
    expect(report.counts.skipped).toBe(2);
  });
});

describe('keys and versions', () => {
  it('a wrong passphrase is refused clearly and writes nothing', async () => {
    const { backend, host } = await newRepo();
    const before = (backend as MemoryBackend).files();
    await expect(Repository.open(backend, host, 'wrong')).rejects.toMatchObject({ code: 'wrong-passphrase', message: 'wrong passphrase' });
    expect((backend as MemoryBackend).files()).toEqual(before);
  });

  it('refuses to write a repository of a newer format version', async () => {
    const { backend, host } = await newRepo();
    const mem = backend as MemoryBackend;
    const config = JSON.parse(new TextDecoder().decode(await mem.read('config', 'config')));
    config.version = 2;
    mem.plant('config', 'config', new TextEncoder().encode(JSON.stringify(config)));
    await expect(Repository.open(mem, host, PASSPHRASE, { forWriting: true })).rejects.toMatchObject({ code: 'unsupported-version' });
  });

  it('never writes the master key in clear for an encrypted repository', async () => {
    const { repo } = await newRepo();
    await expect(repo.addKey(null)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('a damaged key file does not stop another key from opening the repository', async () => {
    const { repo, backend, host } = await newRepo();
    await repo.addKey(PASSPHRASE, { m: 1024, t: 1, p: 1 });
    const mem = backend as MemoryBackend;
    const first = [...mem.files().keys()].find((k) => k.startsWith('keys/'))!.slice(5);
    const damaged = JSON.parse(new TextDecoder().decode(await mem.read('keys', first)));
    damaged.key = damaged.key.slice(0, 10);
    mem.plant('keys', first, new TextEncoder().encode(JSON.stringify(damaged)));
    expect((await Repository.open(mem, host, PASSPHRASE)).config.id).toBe(repo.config.id);
  });

  it('a second passphrase opens the same repository', async () => {
    const { repo, backend, host } = await newRepo();
    await repo.addKey('second passphrase', { m: 1024, t: 1, p: 1 });
    const again = await Repository.open(backend, host, 'second passphrase');
    expect(again.config.id).toBe(repo.config.id);
  });
});

describe('damage', () => {
  async function damagedRepo() {
    const { repo, backend, host } = await newRepo();
    const mem = backend as MemoryBackend;
    const { id, snapshot } = await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'alpha', 'big.dat': seededBytes(600 * 1024, 4) }) }]);
    const bigNode = (await listFolder(repo, snapshot.tree, 'home')).find((n) => n.name === 'big.dat');
    if (bigNode?.type !== 'file') throw new Error('setup');
    const pack = repo.index.get('data', bigNode.content[0]!)!.pack;
    const bytes = await mem.read('data', pack);
    bytes[repo.index.get('data', bigNode.content[0]!)!.offset + 40]! ^= 1;
    mem.plant('data', pack, bytes);
    return { repo: await Repository.open(mem, host, PASSPHRASE), id, snapshot, pack };
  }

  it('check --read-data names the damaged pack, file and snapshot', async () => {
    const { repo, id, pack } = await damagedRepo();
    const report = await check(repo, { readData: true });
    expect(report.ok).toBe(false);
    expect(report.damagedPacks).toContain(pack);
    expect(report.damagedSnapshots).toEqual([id]);
    expect(report.damagedFiles.map((f) => f.path)).toEqual(['home/big.dat']);
  });

  it('restore fails the damaged file, never writes it as bad data, and restores the rest', async () => {
    const { repo, snapshot } = await damagedRepo();
    const target = new MemoryTarget();
    const report = await restore(repo, snapshot.tree, target);
    expect(report.counts.failed).toBe(1);
    expect(report.decisions.find((d) => d.action === 'failed')?.reason).toMatch(/corrupted or tampered/);
    expect(target.toLiteral()).toEqual({ home: { 'a.txt': new TextEncoder().encode('alpha') } });
  });

  it('a healthy repository checks clean', async () => {
    const { repo } = await newRepo();
    await backup(repo, [{ name: 'home', dir: memorySource(sampleTree()) }]);
    const report = await check(repo, { readData: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('objects moved between types fail authentication as corrupted, not as a wrong passphrase', async () => {
    const { repo, backend, host } = await newRepo();
    const { id } = await backup(repo, [{ name: 'home', dir: memorySource({ 'a.txt': 'a' }) }]);
    const mem = backend as MemoryBackend;
    const [indexName] = [...mem.files().keys()].filter((k) => k.startsWith('index/')).map((k) => k.slice(6));
    mem.plant('snapshots', indexName!, await mem.read('index', indexName!));
    const again = await Repository.open(mem, host, PASSPHRASE);
    await expect(again.readSnapshot(indexName!)).rejects.toMatchObject({ code: 'corrupted' });
    expect((await again.resolveSnapshot(id)).id).toBe(id);
  });
});

describe('crash after every storage operation of a backup', () => {
  it('leaves the earlier snapshot restorable and the next backup completes', async () => {
    const { repo: first, backend, host } = await newRepo();
    const base = { 'keep.txt': 'kept', 'old.bin': seededBytes(300 * 1024, 1) };
    const v1 = await backup(first, [{ name: 'home', dir: memorySource(base) }]);
    const changed = { ...base, 'new.bin': seededBytes(1500 * 1024, 2), 'more.txt': 'more' };

    // count the operations of the second backup
    const probe = new FaultyBackend((backend as MemoryBackend).clone());
    await backup(await Repository.open(probe, host, PASSPHRASE), [{ name: 'home', dir: memorySource(changed) }]);
    const total = probe.calls;
    expect(total).toBeGreaterThan(10);

    for (let k = 0; k < total; k++) {
      const world = (backend as MemoryBackend).clone();
      const faulty = new FaultyBackend(world, { crashAt: k });
      const outcome = await (async () => backup(await Repository.open(faulty, host, PASSPHRASE), [{ name: 'home', dir: memorySource(changed) }]))().then(
        (r) => r,
        (e: unknown) => e,
      );
      // Only a crash in the very last step (releasing the lock) may still commit the snapshot.
      if (!(outcome instanceof CairnError)) expect(k, 'backup succeeded despite a crash').toBe(total - 1);
      const after = await Repository.open(world as Backend, host, PASSPHRASE);
      const snaps = await after.listSnapshots();
      expect(snaps.map((s) => s.id)).toContain(v1.id);
      expect(await roundTrip(after, v1.snapshot.tree), `k=${k}`).toEqual(asBytes({ home: base }));
      const report = await check(after, { readData: true });
      expect(report.ok, `k=${k}: ${JSON.stringify(report.problems)}`).toBe(true);
      const next = await backup(after, [{ name: 'home', dir: memorySource(changed) }], { parent: v1.id });
      expect(await roundTrip(after, next.snapshot.tree)).toEqual(asBytes({ home: changed }));
    }
  }, 300_000);
});
