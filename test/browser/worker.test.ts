/**
 * The worker boundary in real Chromium: a real module Worker started by `createEngineClient()`
 * (vite serves `new URL('./worker.ts', import.meta.url)` under vitest browser mode), comlink,
 * IndexedDB and OPFS folders as real FileSystemDirectoryHandles crossing postMessage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineClient, isEngineError, type EngineClient } from '../../src/worker/client';
import { ENGINE_VERSION, FORMAT_VERSION, type BackupProgressEvent, type RepositoryTuning } from '../../src/worker/protocol';

/** Cheap Argon2id and small chunks: tests exercise the paths, not the cost. */
const FAST: RepositoryTuning = { kdf: { m: 1024, t: 1, p: 1 } };
const SMALL_CHUNKS: RepositoryTuning = { ...FAST, chunker: { min: 64 * 1024, avg: 128 * 1024, max: 256 * 1024 } };
const RUN = Math.random().toString(36).slice(2, 8); // keeps reruns in one profile apart

const clients: EngineClient[] = [];
const databases: string[] = [];

function client(): EngineClient {
  const c = createEngineClient();
  clients.push(c);
  return c;
}

function repoName(label: string): string {
  const name = `test-${label}-${RUN}`;
  databases.push(`cairn-${name}`);
  return name;
}

afterAll(async () => {
  for (const c of clients) c.terminate();
  for (const name of databases) {
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
  const root = await navigator.storage.getDirectory();
  for await (const name of root.keys()) {
    if (name.endsWith(RUN)) await root.removeEntry(name, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------
// OPFS worlds

type Tree = { [name: string]: Uint8Array | Tree };

/** Deterministic bytes (xorshift32). */
function seeded(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

async function folder(label: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(`${label}-${RUN}`, { create: true });
}

async function writeTree(dir: FileSystemDirectoryHandle, tree: Tree): Promise<void> {
  for (const [name, value] of Object.entries(tree)) {
    if (value instanceof Uint8Array) {
      const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await w.write(value.slice());
      await w.close();
    } else {
      await writeTree(await dir.getDirectoryHandle(name, { create: true }), value);
    }
  }
}

/** Every file below `dir` by relative path, with its bytes. */
async function readTree(dir: FileSystemDirectoryHandle, prefix = ''): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const [name, handle] of dir.entries()) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (handle.kind === 'file') out.set(path, new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()));
    else for (const [p, b] of await readTree(handle as FileSystemDirectoryHandle, path)) out.set(p, b);
  }
  return out;
}

function flatten(tree: Tree, prefix = ''): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (value instanceof Uint8Array) out.set(path, value);
    else for (const [p, b] of flatten(value, path)) out.set(p, b);
  }
  return out;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    expect(isEngineError(e), `an EngineError, got ${String(e)}`).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected an EngineError '${code}', but the call succeeded`);
}

const DOCS: Tree = {
  'readme.txt': text('hello, cairn\n'),
  'photo.bin': seeded(300_000, 7),
  empty: new Uint8Array(0),
  sub: { 'notes.md': text('# notes\n'), deeper: { 'data.bin': seeded(70_000, 9) } },
  node_modules: { 'lib.js': text('module.exports = 1;\n') },
  'scratch.tmp': text('temporary'),
  '.cache': { 'c.bin': seeded(1000, 3) },
};
const KEPT = ['readme.txt', 'photo.bin', 'empty', 'sub/notes.md', 'sub/deeper/data.bin'];

// ---------------------------------------------------------------------------------------------

describe('engine worker', () => {
  it('starts a real module worker and answers', async () => {
    expect(await client().version()).toEqual({ engine: ENGINE_VERSION, format: FORMAT_VERSION });
  });

  it('creates a browser repository, backs up, lists, browses, restores and checks', async () => {
    const engine = client();
    const name = repoName('main');
    const target = { kind: 'browser', name } as const;
    expect(await engine.probe(target)).toMatchObject({ exists: false });
    expect(await engine.listBrowserRepositories()).not.toContain(name); // probing created nothing

    const repo = await engine.create(target, { passphrase: 'correct horse', tuning: FAST });
    expect(repo).toMatchObject({ kind: 'browser', name, encrypted: true, location: `IndexedDB cairn-${name}` });
    expect(repo.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await engine.probe(target)).toEqual({ exists: true, encrypted: true, id: repo.id, location: repo.location });
    expect(await engine.listBrowserRepositories()).toContain(name);
    await expectCode(engine.create(target, { passphrase: 'x', tuning: FAST }), 'already-exists');

    const docs = await folder('docs');
    await writeTree(docs, DOCS);
    const events: BackupProgressEvent[] = [];
    const backup = engine.backup(repo.session, [{ name: 'docs', handle: docs }], { exclude: ['node_modules', '*.tmp', '.cache/'], tags: ['t1'] }, (p) => events.push(p));
    expect(backup.id).toMatch(/[0-9a-f-]{36}/);
    const report = await backup.result;
    expect(report.problems).toEqual([]);
    expect(report.snapshot).toMatchObject({ paths: ['docs'], tags: ['t1'], hostname: 'browser' });
    expect(report.snapshot.stats).toMatchObject({ files: KEPT.length, newFiles: KEPT.length, errors: 0 });
    expect(events.at(-1)).toMatchObject({ phase: 'finishing', filesDone: KEPT.length, filesTotal: KEPT.length });

    const snapshots = await engine.listSnapshots(repo.session);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toEqual(report.snapshot);
    const id = report.snapshot.id;

    expect(await engine.listFolder(repo.session, id, '')).toEqual([{ name: 'docs', kind: 'dir', mtime: 0 }]);
    const listing = await engine.listFolder(repo.session, id.slice(0, 8), 'docs');
    expect(listing.map((e) => `${e.kind}:${e.name}`)).toEqual(['file:empty', 'file:photo.bin', 'file:readme.txt', 'dir:sub']);
    expect(listing.find((e) => e.name === 'photo.bin')).toMatchObject({ size: 300_000 });
    expect((await engine.listFolder(repo.session, 'latest', 'docs/sub/deeper')).map((e) => e.name)).toEqual(['data.bin']);
    await expectCode(engine.listFolder(repo.session, id, 'docs/nope'), 'not-found');

    // A second, changed backup: two versions of readme.txt, one of photo.bin.
    await writeTree(docs, { 'readme.txt': text('hello again\n') });
    const second = await engine.backup(repo.session, [{ name: 'docs', handle: docs }], { exclude: ['node_modules', '*.tmp', '.cache/'] }).result;
    expect(second.snapshot.parent).toBe(id);
    expect(second.snapshot.stats).toMatchObject({ changedFiles: 1, unchangedFiles: KEPT.length - 1 });
    const readme = await engine.findVersions(repo.session, 'docs/readme.txt');
    expect(readme.map((v) => [v.firstSnapshot, v.snapshots.length, v.entry.size])).toEqual([
      [id, 1, 13],
      [second.snapshot.id, 1, 12],
    ]);
    expect((await engine.findVersions(repo.session, 'docs/photo.bin')).map((v) => v.snapshots)).toEqual([[id, second.snapshot.id]]);

    // Restore the first snapshot into another OPFS folder and compare bytes.
    const out = await folder('restored');
    const dry = await engine.restore(repo.session, id, [], out, { dryRun: true }).result;
    expect(dry.counts.restored).toBe(KEPT.length);
    expect((await readTree(out)).size).toBe(0);
    const restored = await engine.restore(repo.session, id, [], out, { verify: true }).result;
    expect(restored.counts).toMatchObject({ restored: KEPT.length, failed: 0 });
    const expected = flatten(DOCS);
    const got = await readTree(out);
    expect([...got.keys()].sort()).toEqual(KEPT.map((p) => `docs/${p}`).sort());
    for (const [path, bytes] of got) expect(bytes, path).toEqual(expected.get(path.slice('docs/'.length)));

    // Restoring one path again in keep-both mode over a changed file keeps both.
    await writeTree(await (await out.getDirectoryHandle('docs')).getDirectoryHandle('sub'), { 'notes.md': text('edited') });
    const again = await engine.restore(repo.session, id, ['docs/sub'], out, { mode: 'keep-both' }).result;
    expect(again.counts).toMatchObject({ 'kept-both': 1, identical: 1 });

    const checked = await engine.check(repo.session, { readData: true }).result;
    expect(checked).toMatchObject({ ok: true, problems: [], damagedPacks: [] });
    expect(checked.stats.snapshots).toBe(2);

    await engine.lock(repo.session);
    await expectCode(engine.listSnapshots(repo.session), 'not-found');
  });

  it('carries the engine error code across the boundary: a wrong passphrase', async () => {
    const engine = client();
    const target = { kind: 'browser', name: repoName('pass') } as const;
    const repo = await engine.create(target, { passphrase: 'right', tuning: FAST });
    await engine.lock(repo.session);
    const error = await expectCode(engine.unlock(target, 'wrong'), 'wrong-passphrase');
    expect(error.message).toBe('wrong passphrase');
    expect(error.name).toBe('EngineError');
    await expectCode(engine.unlock(target, null), 'wrong-passphrase');
    await expectCode(engine.unlock({ kind: 'browser', name: repoName('missing') }, 'x'), 'not-a-repository');
    await expectCode(engine.unlock({ kind: 'browser', name: '../evil' }, 'x'), 'invalid-input');
    await expectCode(engine.create(target, { passphrase: '' }), 'invalid-input');
    const again = await engine.unlock(target, 'right');
    expect(again.id).toBe(repo.id);
    expect(again.session).not.toBe(repo.session);
  });

  it('rejects a bad exclude pattern before starting', async () => {
    const engine = client();
    const repo = await engine.create({ kind: 'browser', name: repoName('excl') }, { unencrypted: true });
    expect(repo.encrypted).toBe(false);
    const src = await folder('excl-src');
    await expectCode(engine.backup(repo.session, [{ name: 's', handle: src }], { exclude: ['!keep'] }).result, 'invalid-input');
    expect(await engine.jobs()).toEqual([]);
  });

  it('cancels a running backup with aborted; a second job meanwhile is refused; a later backup succeeds', async () => {
    const engine = client();
    const repo = await engine.create({ kind: 'browser', name: repoName('cancel') }, { passphrase: 'p', tuning: SMALL_CHUNKS });
    const big = await folder('big');
    await writeTree(big, { 'a.bin': seeded(3 * 1024 * 1024, 11), 'b.bin': seeded(3 * 1024 * 1024, 12) });

    let events = 0;
    let refused: Promise<Error> | undefined;
    let cancelled: Promise<boolean> | undefined;
    const job = engine.backup(repo.session, [{ name: 'big', handle: big }], {}, () => {
      if (events++ > 0) return;
      cancelled = job.cancel();
      refused = expectCode(engine.check(repo.session).result, 'locked');
    });
    await expectCode(job.result, 'aborted');
    expect(await cancelled).toBe(true);
    expect((await refused)?.message).toContain('backup is already running');
    expect(await engine.cancel(job.id)).toBe(false); // already ended
    expect(await engine.jobs()).toEqual([]);
    expect(await engine.listSnapshots(repo.session)).toEqual([]);

    const later = await engine.backup(repo.session, [{ name: 'big', handle: big }]).result;
    expect(later.snapshot.stats).toMatchObject({ files: 2, bytes: 6 * 1024 * 1024 });
    expect(await engine.listSnapshots(repo.session)).toHaveLength(1);
    const checked = await engine.check(repo.session, { readData: true }).result;
    expect(checked.ok).toBe(true);
  });

  it('locking a repository cancels its running job first', async () => {
    const engine = client();
    const target = { kind: 'browser', name: repoName('lockjob') } as const;
    const repo = await engine.create(target, { passphrase: 'p', tuning: SMALL_CHUNKS });
    const src = await folder('lockjob-src');
    await writeTree(src, { 'a.bin': seeded(2 * 1024 * 1024, 4) });
    const job = engine.backup(repo.session, [{ name: 'src', handle: src }]);
    // Handle the result before it settles, so its rejection is never unhandled.
    const aborted = expectCode(job.result, 'aborted');
    await engine.lock(repo.session);
    await aborted;
    const reopened = await engine.unlock(target, 'p');
    expect(await engine.listSnapshots(reopened.session)).toEqual([]);
    expect((await engine.backup(reopened.session, [{ name: 'src', handle: src }]).result).snapshot.stats?.files).toBe(1);
  });

  it('throttles progress before it crosses to the page', async () => {
    const engine = client();
    const repo = await engine.create({ kind: 'browser', name: repoName('throttle') }, { unencrypted: true, tuning: SMALL_CHUNKS });
    const many = await folder('many');
    const tree: Tree = {};
    for (let i = 0; i < 300; i++) tree[`f${i}.txt`] = text(`file ${i}\n`);
    tree['big.bin'] = seeded(4 * 1024 * 1024, 5);
    await writeTree(many, tree);

    const events: BackupProgressEvent[] = [];
    const started = performance.now();
    const report = await engine.backup(repo.session, [{ name: 'many', handle: many }], {}, (p) => events.push(p)).result;
    const elapsed = performance.now() - started;
    // The engine reports at least once per file and per chunk (> 330 times); the page sees at
    // most one event per 100 ms, plus the first and the final one.
    expect(report.snapshot.stats?.files).toBe(301);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(events.length).toBeLessThan(100);
    expect(events.at(-1)).toMatchObject({ phase: 'finishing', filesDone: 301 });
    console.info(`throttle: ${events.length} progress events in ${Math.round(elapsed)} ms`);
  });

  it('opens a folder repository on an OPFS handle again from a new client', async () => {
    const first = client();
    const repoDir = await folder('folder-repo');
    const target = { kind: 'folder', handle: repoDir } as const;
    expect(await first.probe(target)).toMatchObject({ exists: false, location: `folder "${repoDir.name}"` });
    const repo = await first.create(target, { passphrase: 'usb', tuning: FAST });
    expect(repo).toMatchObject({ kind: 'folder', name: repoDir.name, encrypted: true });
    const src = await folder('folder-src');
    await writeTree(src, { 'a.txt': text('on the drive'), d: { 'b.bin': seeded(200_000, 2) } });
    const report = await first.backup(repo.session, [{ name: 'src', handle: src }]).result;
    first.terminate();
    await expectCode(first.listSnapshots(repo.session), 'internal');

    const second = client();
    const again = { kind: 'folder', handle: await folder('folder-repo') } as const;
    expect(await second.probe(again)).toEqual({ exists: true, encrypted: true, id: repo.id, location: repo.location });
    await expectCode(second.unlock(again, 'nope'), 'wrong-passphrase');
    const reopened = await second.unlock(again, 'usb');
    expect(reopened.id).toBe(repo.id);
    expect((await second.listSnapshots(reopened.session)).map((s) => s.id)).toEqual([report.snapshot.id]);
    const out = await folder('folder-out');
    await second.restore(reopened.session, 'latest', ['src/d/b.bin'], out).result;
    expect(await readTree(out)).toEqual(new Map([['src/d/b.bin', seeded(200_000, 2)]]));
  });

  it('reports storage usage and answers a persistence request', async () => {
    const engine = client();
    const usage = await engine.storageUsage();
    expect(typeof usage.persisted).toBe('boolean');
    expect(usage.quota).toBeGreaterThan(0);
    expect(typeof (await engine.requestPersistence())).toBe('boolean');
  });
});
