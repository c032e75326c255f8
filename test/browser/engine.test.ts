/**
 * The engine end to end in real Chromium, on real browser storage and no fakes: folders in the
 * Origin Private File System read through fsaSource and restored through fsaTarget, repositories
 * in IndexedDB (IdbBackend) and in an OPFS folder (FsaBackend, the code path of a USB drive),
 * WebCrypto + hash-wasm Argon2id from webHost.
 */
import { openDB } from 'idb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, check, CairnError, listFolder, Repository, restore, type Backend, type BackupResult } from '../../src/core';
import { filePath, FILE_TYPES } from '../../src/core/ports/backend';
import { fsaSource } from '../../src/platform/fsa-source';
import { fsaTarget } from '../../src/platform/fsa-target';
import { webHost } from '../../src/platform/webcrypto-host';
import { FsaBackend } from '../../src/storage/fsa-backend';
import { IdbBackend } from '../../src/storage/idb-backend';
import { PASSPHRASE, TEST_CHUNKER, TEST_KDF } from '../support/engine';
import { seededBytes, type LiteralTree } from '../support/memory-tree';
import {
  countingSource,
  digestOpfs,
  digestTree,
  flipOpfsByte,
  freshOpfsFolder,
  opfsFileAt,
  opfsListing,
  reopenOpfsFolder,
  writeOpfsFile,
  writeOpfsTree,
  type OpfsFolder,
} from '../support/opfs-tree';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOSTNAME = 'browser-engine-test';
const host = () => webHost(HOSTNAME);
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Small chunks and 1 MiB packs (as in test/support/engine.ts) so a few MiB make many chunks and
 * packs; the cheap test KDF unless `kdf` is null (the engine's default parameters).
 */
async function initRepo(backend: Backend, kdf: typeof TEST_KDF | null = TEST_KDF): Promise<Repository> {
  return Repository.init(backend, host(), { passphrase: PASSPHRASE, ...(kdf ? { kdf } : {}), chunker: TEST_CHUNKER, packSize: MiB });
}

// ---------------------------------------------------------------------------------------------
// The folder backed up

const BIG = seededBytes(3 * MiB + 12_345, 11);
const PHOTO = seededBytes(600 * KiB, 7);
const NOTES_V1 = 'version one of the notes\n';
const NOTES_V2 = 'version two of the notes, edited after the first backup\n';
const ADDED = 'added after the first backup\n';

/** The folder as first backed up: 11 files, one of them a duplicate of another, one empty. */
function originalTree(): LiteralTree {
  return {
    'readme.txt': 'hello from cairn\n',
    'emoji 🪨 cairn.md': '# stones\n',
    'café ünïcødé 日本.txt': 'unicode names\n',
    'empty.txt': '',
    'empty folder': {},
    'with space': { 'nested deeper': { 'leaf.txt': 'leaf', deepest: { 'x.json': '{"deep":true}' } } },
    photos: { 'a.jpg': PHOTO, 'copy of a.jpg': PHOTO },
    'big.bin': BIG,
    'notes.txt': NOTES_V1,
    'delete me.txt': 'soon gone',
  };
}
const ORIGINAL_FILES = 11;
/** Bytes of distinct content in originalTree(): everything but the duplicate photo. */
const ORIGINAL_UNIQUE_BYTES = (() => {
  let n = 0;
  const walk = (t: LiteralTree) => {
    for (const v of Object.values(t)) {
      if (typeof v === 'string') n += utf8(v).length;
      else if (v instanceof Uint8Array) n += v.length;
      else walk(v as LiteralTree);
    }
  };
  walk(originalTree());
  return n - PHOTO.length;
})();

/** The folder after `changeFolder`: notes.txt edited, a file added, a file deleted. */
function changedTree(): LiteralTree {
  const { 'delete me.txt': _gone, ...rest } = originalTree();
  const withSpace = rest['with space'] as LiteralTree;
  return { ...rest, 'notes.txt': NOTES_V2, 'with space': { ...withSpace, 'new 🆕.txt': ADDED } };
}

async function changeFolder(dir: FileSystemDirectoryHandle): Promise<void> {
  await writeOpfsFile(dir, 'notes.txt', NOTES_V2);
  await writeOpfsFile(await dir.getDirectoryHandle('with space'), 'new 🆕.txt', ADDED);
  await dir.removeEntry('delete me.txt');
}

// ---------------------------------------------------------------------------------------------
// Where repositories live

interface Place {
  readonly backend: Backend;
  /** A new backend instance over the same storage, as a page reload would make it. */
  reopen(): Promise<Backend>;
  /** Everything in the storage, read below the backend (keys → sizes). */
  rawListing(): Promise<Record<string, number>>;
  dispose(): Promise<void>;
}

let dbCounter = 0;

async function idbPlace(): Promise<Place> {
  const dbName = `cairn-engine-test-${Date.now()}-${++dbCounter}`;
  const opened = [await IdbBackend.open(dbName)];
  return {
    backend: opened[0]!,
    async reopen() {
      const b = await IdbBackend.open(dbName);
      opened.push(b);
      return b;
    },
    async rawListing() {
      const db = await openDB(dbName);
      try {
        const out: Record<string, number> = {};
        const tx = db.transaction(['meta', 'blobs'], 'readonly');
        const metaKeys = await tx.objectStore('meta').getAllKeys();
        const metas = (await tx.objectStore('meta').getAll()) as { size: number }[];
        metaKeys.forEach((k, i) => (out[`meta:${String(k)}`] = metas[i]!.size));
        const blobKeys = await tx.objectStore('blobs').getAllKeys();
        const blobs = (await tx.objectStore('blobs').getAll()) as Blob[];
        blobKeys.forEach((k, i) => (out[`blob:${String(k)}`] = blobs[i]!.size));
        return out;
      } finally {
        db.close();
      }
    },
    async dispose() {
      for (const b of opened) await b.close();
      await IdbBackend.destroy(dbName);
    },
  };
}

async function fsaPlace(): Promise<Place> {
  const folder = await freshOpfsFolder('cairn-engine-repo');
  return {
    backend: new FsaBackend(folder.dir),
    reopen: async () => new FsaBackend(await reopenOpfsFolder(folder.name)),
    rawListing: () => opfsListing(folder.dir),
    dispose: () => folder.remove(),
  };
}

/** Every stored file as the backend lists it: "type/name" → size. */
async function backendListing(backend: Backend): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const type of FILE_TYPES) for await (const f of backend.list(type)) out[`${type}/${f.name}`] = f.size;
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection, but it resolved'),
    (e: unknown) => e,
  );
}

/** OPFS folders made by a describe block, removed after it. */
function folderPool() {
  const made: OpfsFolder[] = [];
  return {
    async fresh(prefix: string) {
      const f = await freshOpfsFolder(prefix);
      made.push(f);
      return f;
    },
    async removeAll() {
      for (const f of made.splice(0)) await f.remove();
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe.each([
  { label: 'IndexedDB repository (IdbBackend)', makePlace: idbPlace },
  { label: 'folder repository (FsaBackend over OPFS)', makePlace: fsaPlace },
])('$label: a real OPFS folder, backed up twice and restored', ({ makePlace }) => {
  const folders = folderPool();
  let place: Place;
  let repo: Repository;
  let first: BackupResult;
  let second: BackupResult;
  const firstReads: string[] = [];
  const secondReads: string[] = [];

  beforeAll(async () => {
    place = await makePlace();
    const source = await folders.fresh('cairn-engine-source');
    await writeOpfsTree(source.dir, originalTree());
    repo = await initRepo(place.backend);
    let t = performance.now();
    first = await backup(repo, [{ name: 'home', dir: countingSource(fsaSource(source.dir), firstReads) }]);
    const firstMs = performance.now() - t;
    await changeFolder(source.dir);
    t = performance.now();
    second = await backup(repo, [{ name: 'home', dir: countingSource(fsaSource(source.dir), secondReads) }]);
    console.info(`[timing] ${place.backend.location}: first backup ${firstMs.toFixed(0)} ms, second ${(performance.now() - t).toFixed(0)} ms`);
  });

  afterAll(async () => {
    await place?.dispose();
    await folders.removeAll();
  });

  it('the first backup reads every file once and stores the duplicate once', () => {
    expect(first.errors).toEqual([]);
    expect([...firstReads].sort()).toEqual(
      [
        'readme.txt', 'emoji 🪨 cairn.md', 'café ünïcødé 日本.txt', 'empty.txt', 'with space/nested deeper/leaf.txt',
        'with space/nested deeper/deepest/x.json', 'photos/a.jpg', 'photos/copy of a.jpg', 'big.bin', 'notes.txt', 'delete me.txt',
      ].sort(),
    );
    expect(first.summary).toMatchObject({ files: ORIGINAL_FILES, newFiles: ORIGINAL_FILES, unchangedFiles: 0, errors: 0 });
    expect(first.summary.addedBytes).toBe(ORIGINAL_UNIQUE_BYTES);
  });

  it('the second backup is incremental: it reads only the edited and the added file', () => {
    expect(second.errors).toEqual([]);
    expect(second.snapshot.parent).toBe(first.id);
    expect([...secondReads].sort()).toEqual(['notes.txt', 'with space/new 🆕.txt']);
    expect(second.summary).toMatchObject({ files: ORIGINAL_FILES, unchangedFiles: 9, changedFiles: 1, newFiles: 1, errors: 0 });
    expect(second.summary.addedBytes).toBe(utf8(NOTES_V2).length + utf8(ADDED).length);
  });

  it('restores the FIRST snapshot into a fresh OPFS folder, byte for byte', async () => {
    const out = await folders.fresh('cairn-engine-restore');
    const report = await restore(repo, first.snapshot.tree, fsaTarget(out.dir));
    expect(report.counts).toEqual({ restored: ORIGINAL_FILES, identical: 0, 'kept-both': 0, replaced: 0, skipped: 0, failed: 0 });
    expect(report.bytesWritten).toBe(first.summary.bytes);
    // includes the empty folder and the empty file, and no leftover ".cairn-partial-*" files
    expect(await digestOpfs(out.dir)).toEqual(await digestTree({ home: originalTree() }));
  });

  it('restoring over existing files changes none of them and writes the differing one side by side', async () => {
    const out = await folders.fresh('cairn-engine-existing');
    const LOCAL = 'edited locally, in no backup\n';
    await writeOpfsTree(out.dir, { home: { 'readme.txt': originalTree()['readme.txt']!, 'notes.txt': LOCAL } });
    const readmeBefore = await opfsFileAt(out.dir, 'home/readme.txt');
    const notesBefore = await opfsFileAt(out.dir, 'home/notes.txt');
    const label = new Date(Date.UTC(2026, 10, 21, 10, 30));
    const sideName = 'notes (restored 2026-11-21 10.30).txt';

    const report = await restore(repo, first.snapshot.tree, fsaTarget(out.dir), { label });

    expect(report.counts).toEqual({ restored: ORIGINAL_FILES - 2, identical: 1, 'kept-both': 1, replaced: 0, skipped: 0, failed: 0 });
    expect(report.decisions.find((d) => d.path === 'home/readme.txt')).toMatchObject({ action: 'identical' });
    expect(report.decisions.find((d) => d.path === 'home/notes.txt')).toMatchObject({ action: 'kept-both', writtenAs: sideName });
    // the existing files are untouched: same bytes, same modification time
    const readmeAfter = await opfsFileAt(out.dir, 'home/readme.txt');
    const notesAfter = await opfsFileAt(out.dir, 'home/notes.txt');
    expect(readmeAfter.lastModified).toBe(readmeBefore.lastModified);
    expect(notesAfter.lastModified).toBe(notesBefore.lastModified);
    expect(await notesAfter.text()).toBe(LOCAL);
    const expected = { home: { ...originalTree(), 'notes.txt': LOCAL, [sideName]: NOTES_V1 } };
    expect(await digestOpfs(out.dir)).toEqual(await digestTree(expected));

    // running it again writes nothing and changes nothing
    const again = await restore(repo, first.snapshot.tree, fsaTarget(out.dir), { label });
    expect(again.bytesWritten).toBe(0);
    expect(again.counts).toMatchObject({ identical: ORIGINAL_FILES - 1, 'kept-both': 1, restored: 0, failed: 0 });
    expect(await digestOpfs(out.dir)).toEqual(await digestTree(expected));
  });

  it('reopens from a new backend instance with the passphrase alone, and restores both snapshots', async () => {
    const backend = await place.reopen();
    expect(backend).not.toBe(place.backend);
    const reopened = await Repository.open(backend, host(), PASSPHRASE);
    expect(reopened.config.id).toBe(repo.config.id);
    expect((await reopened.listSnapshots()).map((s) => s.id).sort()).toEqual([first.id, second.id].sort());

    const old = await folders.fresh('cairn-engine-reopen-first');
    const oldRef = await reopened.resolveSnapshot(first.id);
    expect((await restore(reopened, oldRef.snapshot.tree, fsaTarget(old.dir))).counts.failed).toBe(0);
    expect(await digestOpfs(old.dir)).toEqual(await digestTree({ home: originalTree() }));

    const latest = await folders.fresh('cairn-engine-reopen-latest');
    const latestRef = await reopened.resolveSnapshot('latest');
    expect(latestRef.id).toBe(second.id);
    expect((await restore(reopened, latestRef.snapshot.tree, fsaTarget(latest.dir))).counts.failed).toBe(0);
    expect(await digestOpfs(latest.dir)).toEqual(await digestTree({ home: changedTree() }));
  });

  it('a wrong passphrase is refused with wrong-passphrase and writes nothing', async () => {
    const before = { listed: await backendListing(place.backend), raw: await place.rawListing() };
    expect(Object.keys(before.listed).filter((k) => k.startsWith('data/')).length).toBeGreaterThan(1);

    const error = await rejection(Repository.open(await place.reopen(), host(), 'not the passphrase'));
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('wrong-passphrase');

    expect({ listed: await backendListing(place.backend), raw: await place.rawListing() }).toEqual(before);
  });

  it('check --read-data finds the repository healthy', async () => {
    const report = await check(await Repository.open(await place.reopen(), host(), PASSPHRASE), { readData: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.stats.snapshots).toBe(2);
    expect(report.stats.packs).toBeGreaterThan(3); // > 3.5 MiB of data in 1 MiB packs
    expect(report.stats.bytesRead).toBeGreaterThan(ORIGINAL_UNIQUE_BYTES);
  });
});

describe('folder repository (FsaBackend over OPFS): a flipped byte in a pack', () => {
  const folders = folderPool();
  afterAll(() => folders.removeAll());

  it('check names the damaged pack and the file; restore fails that file only and writes no bad data', async () => {
    const repoFolder = await folders.fresh('cairn-engine-damage-repo');
    const source = await folders.fresh('cairn-engine-damage-source');
    await writeOpfsTree(source.dir, { 'a.txt': 'alpha', sub: { 'big.bin': seededBytes(600 * KiB, 4) } });
    const repo = await initRepo(new FsaBackend(repoFolder.dir));
    const { id, snapshot } = await backup(repo, [{ name: 'home', dir: fsaSource(source.dir) }]);
    expect((await check(repo, { readData: true })).ok).toBe(true);

    const bigNode = (await listFolder(repo, snapshot.tree, 'home/sub')).find((n) => n.name === 'big.bin');
    if (bigNode?.type !== 'file') throw new Error('big.bin is not in the snapshot');
    const blob = repo.index.get('data', bigNode.content[0]!)!;
    await flipOpfsByte(repoFolder.dir, filePath('data', blob.pack).join('/'), blob.offset + 40);

    const reopened = await Repository.open(new FsaBackend(await reopenOpfsFolder(repoFolder.name)), host(), PASSPHRASE);
    const report = await check(reopened, { readData: true });
    expect(report.ok).toBe(false);
    expect(report.damagedPacks).toEqual([blob.pack]);
    expect(report.damagedSnapshots).toEqual([id]);
    expect(report.damagedFiles.map((f) => f.path)).toEqual(['home/sub/big.bin']);

    const out = await folders.fresh('cairn-engine-damage-restore');
    const restored = await restore(reopened, snapshot.tree, fsaTarget(out.dir));
    expect(restored.counts).toMatchObject({ restored: 1, failed: 1 });
    expect(restored.decisions.find((d) => d.action === 'failed')?.path).toBe('home/sub/big.bin');
    expect(await digestOpfs(out.dir)).toEqual(await digestTree({ home: { 'a.txt': 'alpha', sub: {} } }));
  });
});

describe('the default key derivation (Argon2id, 64 MiB, 3 passes) in the browser', () => {
  let dbName = '';
  afterAll(async () => {
    if (dbName) await IdbBackend.destroy(dbName);
  });

  it('creates, opens and refuses a wrong passphrase with the real defaults', async () => {
    dbName = `cairn-engine-default-kdf-${Date.now()}`;
    const backend = await IdbBackend.open(dbName);
    try {
      let t = performance.now();
      const repo = await initRepo(backend, null);
      const initMs = performance.now() - t;

      const keys: { kdf: Record<string, unknown> }[] = [];
      for await (const f of backend.list('keys')) keys.push(JSON.parse(new TextDecoder().decode(await backend.read('keys', f.name))));
      expect(keys.map((k) => k.kdf)).toEqual([expect.objectContaining({ name: 'argon2id', m: 64 * 1024, t: 3, p: 1 })]);

      t = performance.now();
      const reopened = await Repository.open(backend, host(), PASSPHRASE);
      const openMs = performance.now() - t;
      expect(reopened.config.id).toBe(repo.config.id);

      t = performance.now();
      const error = await rejection(Repository.open(backend, host(), 'not the passphrase'));
      const wrongMs = performance.now() - t;
      expect((error as CairnError).code).toBe('wrong-passphrase');
      console.info(
        `[timing] default Argon2id in Chromium: init ${initMs.toFixed(0)} ms, open ${openMs.toFixed(0)} ms, wrong passphrase ${wrongMs.toFixed(0)} ms`,
      );
    } finally {
      await backend.close();
    }
  });
});
