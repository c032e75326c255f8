/**
 * The rows of RELIABILITY.md that need the real browser, through the real engine worker
 * (`createEngineClient()`: a module Worker per client, i.e. per tab) in headless Chromium:
 *
 * a. the worker terminated mid-backup: nothing lost, the next backup reuses what was uploaded;
 * b. two tabs backing up the same repository at once; a prune in one tab while another backs up
 *    is refused by Web Locks (tab-locks.ts) and deletes nothing;
 * c. the real IndexedDB quota error (quota lowered through the DevTools protocol);
 * d. a drive repository whose folder disappears mid-backup;
 * e. nothing secret left in browser storage or consoles after an encrypted backup.
 *
 * "Another tab" that prunes is a second worker (its prune and repair jobs), or the test page
 * itself: it opens the same repository with the engine and takes the same Web Lock as a worker's
 * deleting job (withTabLock(id, 'exclusive', …), what EngineApi's job runner does for every job
 * kind that deletes). Web Locks are per origin, shared by the page, its frames and its workers.
 */
import { unzipSync } from 'fflate';
import { wrap } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdp } from 'vitest/browser';
import { CairnError, prune, removeSnapshots, Repository, type Backend, type FileType } from '../../src/core';
import { webHost } from '../../src/platform/webcrypto-host';
import { IdbBackend } from '../../src/storage/idb-backend';
import { engineClient, createEngineClient, isEngineError, type EngineClient } from '../../src/worker/client';
import type { EngineApi } from '../../src/worker/engine-api';
import type { BackupProgressEvent, OpenRepository, RepositoryTarget, RepositoryTuning } from '../../src/worker/protocol';
import { withTabLock } from '../../src/worker/tab-locks';
import { digestOpfs, freshOpfsFolder, reopenOpfsFolder, type DigestTree, type OpfsFolder } from '../support/opfs-tree';

const MiB = 1024 * 1024;
/** Cheap Argon2id, small chunks and packs: many storage operations in a few MiB. */
const TUNING: RepositoryTuning = {
  kdf: { m: 1024, t: 1, p: 1 },
  chunker: { min: 64 * 1024, avg: 128 * 1024, max: 256 * 1024 },
  packSize: 1024 * 1024, // the smallest a repository config accepts
};
const PASSPHRASE = 'reliability test passphrase';
const RUN = Math.random().toString(36).slice(2, 8);

// ---------------------------------------------------------------------------------------------
// Consoles: every console call of the page during this file (the workers' come by message).

const pageConsole: string[] = [];
const restoreConsole: (() => void)[] = [];
beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      pageConsole.push(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
      original.apply(console, args);
    };
    restoreConsole.push(() => (console[level] = original));
  }
});

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Clients, folders, clean-up

const clients: EngineClient[] = [];
const folders: OpfsFolder[] = [];
const databases: string[] = [];

function client(): EngineClient {
  const c = createEngineClient();
  clients.push(c);
  return c;
}

async function folder(label: string): Promise<OpfsFolder> {
  const f = await freshOpfsFolder(`rel-${label}-${RUN}`);
  folders.push(f);
  return f;
}

function browserRepo(label: string): RepositoryTarget {
  const name = `rel-${label}-${RUN}`;
  databases.push(`cairn-${name}`);
  return { kind: 'browser', name };
}

afterAll(async () => {
  for (const undo of restoreConsole) undo();
  for (const c of clients) c.terminate();
  for (const name of databases) {
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
  for (const f of folders) await f.remove().catch(() => undefined);
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Writes a file of `size` random (incompressible, never deduplicated) bytes. */
async function randomFile(dir: FileSystemDirectoryHandle, name: string, size: number): Promise<void> {
  const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
  const piece = new Uint8Array(MiB);
  for (let done = 0; done < size; done += piece.length) {
    for (let i = 0; i < piece.length; i += 65536) crypto.getRandomValues(piece.subarray(i, i + 65536));
    await w.write(piece.subarray(0, Math.min(piece.length, size - done)));
  }
  await w.close();
}

async function textFile(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await w.write(new TextEncoder().encode(text));
  await w.close();
}

/** A small source folder: a few text files and a 300 KiB random file in a sub-folder. */
async function smallSource(label: string): Promise<OpfsFolder> {
  const f = await folder(label);
  await textFile(f.dir, 'readme.txt', `hello from ${label}\n`);
  await textFile(f.dir, 'empty.txt', '');
  const sub = await f.dir.getDirectoryHandle('sub', { create: true });
  await randomFile(sub, 'photo.bin', 300 * 1024);
  return f;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (e) {
    expect(isEngineError(e) || e instanceof CairnError, `an EngineError or CairnError, got ${String(e)}`).toBe(true);
    expect((e as { code: string }).code, (e as Error).message).toBe(code);
    return e as Error & { code: string };
  }
  throw new Error(`expected error '${code}', but the call succeeded`);
}

/** Restores a whole snapshot through the worker into a fresh OPFS folder and returns its digest tree. */
async function restoredDigest(engine: EngineClient, session: string, snapshotId: string): Promise<DigestTree> {
  const into = await folder('restore');
  const report = await engine.restore(session, snapshotId, [], into.dir).result;
  expect(report.counts.failed).toBe(0);
  return digestOpfs(into.dir);
}

/** Runs a backup; resolves the first progress event matching `when`, and the job. */
function backupWatching(engine: EngineClient, session: string, sources: { name: string; handle: FileSystemDirectoryHandle }[], when: (p: BackupProgressEvent) => boolean) {
  let seen: (p: BackupProgressEvent) => void = () => undefined;
  const reached = new Promise<BackupProgressEvent>((resolve) => (seen = resolve));
  const events: BackupProgressEvent[] = [];
  const job = engine.backup(session, sources, {}, (p) => {
    events.push(p);
    if (when(p)) seen(p);
  });
  return { job, reached, events };
}

/** The page as another tab: the same repository opened with the engine in this page. */
async function pageRepository(dbName: string): Promise<{ repo: Repository; backend: IdbBackend }> {
  const backend = await IdbBackend.open(dbName);
  return { repo: await Repository.open(backend, webHost('browser'), PASSPHRASE), backend };
}

/** Every stored file (but lock files) of a backend, as "type/name". */
async function storedFiles(backend: Backend): Promise<string[]> {
  const out: string[] = [];
  for (const type of ['config', 'keys', 'data', 'index', 'snapshots'] as FileType[]) {
    for await (const f of backend.list(type)) out.push(`${type}/${f.name}`);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------

describe('reliability in the real browser', () => {
  // c first: an overridden quota bites at once only while the origin's IndexedDB is not open yet.
  it('c: the real IndexedDB quota: storage-full with figures; earlier snapshots intact; forget and prune work while full; then a smaller backup succeeds', async () => {
    const session = cdp();
    const origin = location.origin;
    const target = browserRepo('full');
    const dbName = `cairn-${target.kind === 'browser' ? target.name : ''}`;
    // Sources first (OPFS counts against the same quota), then the quota, then the repository:
    // Chromium applies an overridden quota to IndexedDB databases opened after the override.
    const s1src = await smallSource('src-c1');
    const s2src = await smallSource('src-c2');
    const bigSrc = await folder('src-c-big');
    await randomFile(bigSrc.dir, 'big.bin', 16 * MiB);
    const smaller = await folder('src-c-small');
    await randomFile(smaller.dir, 'small.bin', 2 * MiB);
    const usage = (await navigator.storage.estimate()).usage ?? 0;
    const quota = usage + 8 * MiB;
    await session.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: quota });
    try {
      const waitedMs = await untilQuotaEnforced(12 * MiB);
      const engine = client();
      const repo = await engine.create(target, { passphrase: PASSPHRASE, tuning: TUNING });
      const s1 = (await engine.backup(repo.session, [{ name: 'one', handle: s1src.dir }]).result).snapshot;
      const s2 = (await engine.backup(repo.session, [{ name: 'two', handle: s2src.dir }]).result).snapshot;
      const expected1 = await opfsFiles(s1src.dir, 'one');
      const expected2 = await opfsFiles(s2src.dir, 'two');
      const full = await expectCode(engine.backup(repo.session, [{ name: 'big', handle: bigSrc.dir }]).result, 'storage-full');
      expect(full.message).toMatch(/storage for this site is full/);
      expect(full.message).toMatch(/\(\d+\.\d MB used, \d+\.\d MB left for this site\)/);
      console.info(`[reliability c] quota ${(quota / MiB).toFixed(1)} MiB (enforced after ${waitedMs.toFixed(0)} ms): ${full.message}`);

      // Earlier snapshots are intact, read while storage is still full (a download writes nothing).
      expect((await engine.listSnapshots(repo.session)).map((s) => s.id)).toEqual([s1.id, s2.id]);
      expect(await downloaded(engine, repo.session, s1.id)).toEqual(expected1);
      expect(await downloaded(engine, repo.session, s2.id)).toEqual(expected2);

      const left = quota - ((await navigator.storage.estimate()).usage ?? 0);
      expect(left).toBeLessThan(2 * MiB); // not even room for two packs
      // Still full: deleting a snapshot and pruning work (as another tab would run them).
      await engine.lock(repo.session); // the page plays the tab that deletes
      const other = await pageRepository(dbName);
      try {
        await withTabLock(repo.id, 'exclusive', () => removeSnapshots(other.repo, [s1.id]), 'forget');
        const pruned = await withTabLock(repo.id, 'exclusive', () => prune(other.repo), 'prune');
        expect(pruned.packsDeleted).toBeGreaterThan(0);
      } finally {
        await other.backend.close();
      }
      const reopened = await engine.unlock(target, PASSPHRASE);
      expect((await engine.listSnapshots(reopened.session)).map((s) => s.id)).toEqual([s2.id]);
      expect(await downloaded(engine, reopened.session, s2.id)).toEqual(expected2);

      // A smaller backup now fits under the same quota.
      const ok = await engine.backup(reopened.session, [{ name: 'small', handle: smaller.dir }]).result;
      expect(await downloaded(engine, reopened.session, ok.snapshot.id)).toEqual(await opfsFiles(smaller.dir, 'small'));
      const checked = await engine.check(reopened.session, { readData: true }).result;
      expect(checked.ok, JSON.stringify(checked.problems)).toBe(true);
    } finally {
      await session.send('Storage.overrideQuotaForOrigin', { origin });
    }
  });

  it('a: the worker terminated mid-backup: earlier snapshots restore, check passes, the next backup reuses the upload', async () => {
    const repoFolder = await folder('repo-a');
    const src = await smallSource('src-a');
    const engine1 = client();
    const repo1 = await engine1.create({ kind: 'folder', handle: repoFolder.dir }, { passphrase: PASSPHRASE, tuning: TUNING });
    const first = await engine1.backup(repo1.session, [{ name: 'docs', handle: src.dir }]).result;
    const firstDigest = await digestOpfs(src.dir);

    const big = await src.dir.getDirectoryHandle('big', { create: true });
    const BIG = 32 * MiB;
    for (let i = 0; i < 4; i++) await randomFile(big, `part-${i}.bin`, BIG / 4);
    const started = performance.now();
    const run = backupWatching(engine1, repo1.session, [{ name: 'docs', handle: src.dir }], (p) => p.phase === 'backing-up' && p.storedBytes >= 12 * MiB);
    const outcome = run.job.result.then(
      () => 'finished',
      (e: unknown) => e,
    );
    const event = await Promise.race([run.reached, outcome.then((o) => Promise.reject(new Error(`the backup ended before it could be killed: ${String(o)}`)))]);
    engine1.terminate();
    const killedAfterMs = performance.now() - started;
    const err = await outcome;
    expect(isEngineError(err, 'internal'), String(err)).toBe(true);
    expect(event.storedBytes).toBeLessThan(BIG);

    // A new tab: a new worker reopens the repository from the folder alone.
    const engine2 = client();
    const repo2 = await engine2.unlock({ kind: 'folder', handle: await reopenOpfsFolder(repoFolder.name) }, PASSPHRASE);
    const snapshots = await engine2.listSnapshots(repo2.session);
    expect(snapshots.map((s) => s.id)).toEqual([first.snapshot.id]);
    expect(await restoredDigest(engine2, repo2.session, first.snapshot.id)).toEqual({ docs: firstDigest });
    const checked = await engine2.check(repo2.session, { readData: true }).result;
    expect(checked.ok, JSON.stringify(checked.problems)).toBe(true);
    expect(checked.problems).toEqual([]);

    const next = await engine2.backup(repo2.session, [{ name: 'docs', handle: src.dir }]).result;
    const stats = next.snapshot.stats!;
    expect(stats.bytes).toBeGreaterThanOrEqual(BIG);
    // What the killed backup uploaded and indexed is reused: less than the whole is added.
    expect(stats.addedBytes).toBeLessThan(BIG);
    expect(await restoredDigest(engine2, repo2.session, next.snapshot.id)).toEqual({ docs: await digestOpfs(src.dir) });
    const after = await engine2.check(repo2.session, { readData: true }).result;
    expect(after.ok, JSON.stringify(after.problems)).toBe(true);
    console.info(
      `[reliability a] killed after ${Math.round(killedAfterMs)} ms at ${(event.storedBytes / MiB).toFixed(1)} MiB stored; ` +
        `next backup added ${(stats.addedBytes / MiB).toFixed(1)} of ${(stats.bytes / MiB).toFixed(1)} MiB; unreferenced packs: ${checked.unreferencedPacks.length}`,
    );
  });

  it('b: two tabs back up the same browser repository at once; a prune in another tab while one backs up is refused and deletes nothing', async () => {
    const target = browserRepo('two-tabs');
    const tab1 = client();
    const tab2 = client();
    const r1 = await tab1.create(target, { passphrase: PASSPHRASE, tuning: TUNING });
    const r2 = await tab2.unlock(target, PASSPHRASE);
    expect(r2.id).toBe(r1.id);
    const srcA = await smallSource('src-b1');
    const srcB = await smallSource('src-b2');
    await randomFile(srcA.dir, 'a.bin', 16 * MiB);
    await randomFile(srcB.dir, 'b.bin', 16 * MiB);

    const times: Record<string, number> = {};
    const firstEvent = (tab: string) => () => {
      times[`${tab}-first`] ??= performance.now();
    };
    const jobA = tab1.backup(r1.session, [{ name: 'a', handle: srcA.dir }], {}, firstEvent('a'));
    const jobB = tab2.backup(r2.session, [{ name: 'b', handle: srcB.dir }], {}, firstEvent('b'));
    const [a, b] = await Promise.all([
      jobA.result.then((r) => ((times['a-end'] = performance.now()), r)),
      jobB.result.then((r) => ((times['b-end'] = performance.now()), r)),
    ]);
    // They really ran at the same time: each had started before the other finished.
    expect(times['a-first']!).toBeLessThan(times['b-end']!);
    expect(times['b-first']!).toBeLessThan(times['a-end']!);

    const listed = await tab1.listSnapshots(r1.session);
    expect(listed.map((s) => s.id).sort()).toEqual([a.snapshot.id, b.snapshot.id].sort());
    expect(await restoredDigest(tab1, r1.session, a.snapshot.id)).toEqual({ a: await digestOpfs(srcA.dir) });
    expect(await restoredDigest(tab2, r2.session, b.snapshot.id)).toEqual({ b: await digestOpfs(srcB.dir) });
    const checked = await tab2.check(r2.session, { readData: true }).result;
    expect(checked.ok, JSON.stringify(checked.problems)).toBe(true);

    // A third tab prunes and deletes snapshots while tab 2 backs up: Web Locks refuse it at once.
    const other = await pageRepository(`cairn-${target.kind === 'browser' ? target.name : ''}`);
    try {
      await randomFile(srcB.dir, 'b2.bin', 48 * MiB);
      const run = backupWatching(tab2, r2.session, [{ name: 'b', handle: srcB.dir }], (p) => p.phase === 'backing-up');
      await run.reached;
      const before = await storedFiles(other.backend);
      const t0 = performance.now();
      const pruneRefused = await expectCode(withTabLock(r1.id, 'exclusive', () => prune(other.repo), 'prune'), 'locked');
      const forgetRefused = await expectCode(withTabLock(r1.id, 'exclusive', () => removeSnapshots(other.repo, [a.snapshot.id]), 'forget'), 'locked');
      // Tab 1's own prune and repair jobs (worker to worker) are refused the same way.
      const workerPrune = await expectCode(tab1.prune(r1.session).result, 'locked');
      expect(workerPrune.message).toMatch(/another tab is backing up to this repository; the prune cannot start/);
      await expectCode(tab1.repair(r1.session).result, 'locked');
      const refusedInMs = performance.now() - t0;
      expect(pruneRefused.message).toMatch(/another tab is backing up to this repository/);
      expect(pruneRefused.message).toMatch(/prune cannot start/);
      expect(forgetRefused.message).toMatch(/another tab is backing up/);
      const during = new Set(await storedFiles(other.backend));
      expect(before.filter((f) => !during.has(f))).toEqual([]); // nothing deleted
      const finished = await run.job.result;
      expect(refusedInMs).toBeLessThan(10_000);

      // And the other way round: a tab holding the exclusive lock (pruning) makes a backup fail fast.
      let releasePrune: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (releasePrune = resolve));
      let pruning: Promise<void> | undefined;
      const granted = new Promise<void>((ok) => {
        pruning = withTabLock(r1.id, 'exclusive', async () => (ok(), held), 'prune');
      });
      await granted;
      const backupRefused = await expectCode(tab1.backup(r1.session, [{ name: 'a', handle: srcA.dir }]).result, 'locked');
      expect(backupRefused.message).toMatch(/another tab is pruning this repository; the backup cannot start/);
      releasePrune();
      await pruning;

      const all = (await tab1.listSnapshots(r1.session)).map((s) => s.id).sort();
      expect(all).toEqual([a.snapshot.id, b.snapshot.id, finished.snapshot.id].sort());
      const final = await tab1.check(r1.session, { readData: true }).result;
      expect(final.ok, JSON.stringify(final.problems)).toBe(true);
      // With no other job running, the same prune in the page goes through.
      await withTabLock(r1.id, 'exclusive', () => prune(other.repo), 'prune');
      console.info(`[reliability b] prune and forget refused by Web Locks in ${refusedInMs.toFixed(1)} ms`);
    } finally {
      await other.backend.close();
    }
  });

  it('d: the drive repository folder removed mid-backup: the job ends promptly with "disconnected", never success, no other target', async () => {
    const repoFolder = await folder('repo-d');
    const src = await folder('src-d');
    for (let i = 0; i < 4; i++) await randomFile(src.dir, `part-${i}.bin`, 8 * MiB);
    const engine = client();
    const repo = await engine.create({ kind: 'folder', handle: repoFolder.dir }, { passphrase: PASSPHRASE, tuning: TUNING });
    const databasesBefore = (await indexedDB.databases()).map((d) => d.name).sort();

    const run = backupWatching(engine, repo.session, [{ name: 'src', handle: src.dir }], (p) => p.phase === 'backing-up' && p.storedBytes > 2 * MiB);
    const outcome = run.job.result.then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    await run.reached;
    const root = await navigator.storage.getDirectory();
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        await root.removeEntry(repoFolder.name, { recursive: true });
        break;
      } catch (e) {
        // A file being written is locked for a moment: try again (a drive pulled out does not wait).
        if (attempts > 500) throw e;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const removedAt = performance.now();
    const settled = await outcome;
    const endedInMs = performance.now() - removedAt;
    expect(settled.ok, 'the backup must not report success').toBe(false);
    const err = (settled as { e: unknown }).e;
    expect(isEngineError(err), String(err)).toBe(true);
    const { code, message } = err as { code: string; message: string };
    expect(code, message).toBe('disconnected');
    expect(message).toContain(`folder "${repoFolder.name}"`);
    expect(message).toMatch(/gone \(drive removed or folder deleted\?\)|not responding/);
    expect(endedInMs).toBeLessThan(10_000);

    // Nothing switched target: the folder was not recreated, no browser repository appeared, and
    // the session keeps failing the same way instead of writing elsewhere.
    await expect(root.getDirectoryHandle(repoFolder.name)).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((await indexedDB.databases()).map((d) => d.name).sort()).toEqual(databasesBefore);
    await expectCode(engine.listSnapshots(repo.session), 'disconnected');
    await expectCode(engine.backup(repo.session, [{ name: 'src', handle: src.dir }]).result, 'disconnected');
    expect(await engine.jobs()).toEqual([]);
    console.info(`[reliability d] folder removed after ${attempts} attempt(s); the job ended ${endedInMs.toFixed(0)} ms later: ${message}`);
  });

  it('e: no passphrase, file name or file content in any browser storage or console after an encrypted backup', async () => {
    const SECRET_PASSPHRASE = 'Quokka-Saffron-Lighthouse-93817';
    const NAMES = ['Quarterly-Zanzibar-Invoice-4471.pdf', 'Nightingale-Project-Plan-X9', 'Ümlaut-Geheimnis-ß-72.txt'];
    const CONTENTS = ['The vault combination is 31-41-59-26 (marzipan)', 'Dear Ophelia, the tulips bloom at dawn. 8812'];
    const worker = new Worker(new URL('../support/console-capture-worker.ts', import.meta.url), { type: 'module', name: 'cairn-engine' });
    const workerConsole: string[] = [];
    worker.addEventListener('message', (e: MessageEvent) => {
      const d = e.data as { cairnConsole?: string; text?: string } | null;
      if (d && typeof d.cairnConsole === 'string') workerConsole.push(`${d.cairnConsole}: ${d.text ?? ''}`);
    });
    const engine = engineClient(wrap<EngineApi>(worker), worker);
    clients.push(engine);

    const src = await folder('src-e');
    const sub = await src.dir.getDirectoryHandle(NAMES[1]!, { create: true });
    await textFile(src.dir, NAMES[0]!, CONTENTS[0]!.repeat(50));
    await textFile(sub, NAMES[2]!, CONTENTS[1]!);
    const target = browserRepo('secrets');
    const created = await engine.create(target, { passphrase: SECRET_PASSPHRASE, tuning: TUNING });
    const report = await engine.backup(created.session, [{ name: 'Private-Folder-Alpaca', handle: src.dir }]).result;
    await engine.lock(created.session);
    const opened: OpenRepository = await engine.unlock(target, SECRET_PASSPHRASE);
    await engine.listFolder(opened.session, report.snapshot.id, `Private-Folder-Alpaca/${NAMES[1]!}`);
    expect(await downloaded(engine, opened.session, report.snapshot.id)).toMatchObject({
      [`Private-Folder-Alpaca/${NAMES[0]!}`]: expect.any(String),
    });
    await expectCode(engine.unlock(target, `${SECRET_PASSPHRASE}-wrong`), 'wrong-passphrase');

    const dump = await dumpOriginStorage();
    expect(dump.databases).toContain(`cairn-${target.kind === 'browser' ? target.name : ''}`);
    const needles = [SECRET_PASSPHRASE, ...NAMES, 'Private-Folder-Alpaca', ...CONTENTS, CONTENTS[0]!.slice(0, 24), CONTENTS[1]!.slice(0, 24)];
    for (const needle of needles) {
      for (const [label, bytes] of [['UTF-8', utf8(needle)], ['UTF-16', utf16(needle)]] as const) {
        const where = dump.items.filter((item) => contains(item.bytes, bytes)).map((item) => item.where);
        expect(where, `${JSON.stringify(needle)} (${label}) found in browser storage`).toEqual([]);
      }
    }
    // No key file of the repository holds a clear key.
    const keyFiles = dump.items.filter((i) => i.where.startsWith(`indexedDB cairn-${target.kind === 'browser' ? target.name : ''}/blobs/keys,`) && !i.where.endsWith('(key)'));
    expect(keyFiles.length).toBeGreaterThan(0);
    for (const k of keyFiles) {
      const parsed = JSON.parse(new TextDecoder().decode(k.bytes)) as { kdf?: { name?: string } };
      expect(parsed.kdf?.name, k.where).toBe('argon2id');
    }
    // Consoles: the channel works, and no passphrase went through it.
    expect(workerConsole).toContain('info: cairn console capture ready');
    for (const [where, lines] of [['worker', workerConsole], ['page', pageConsole]] as const) {
      for (const needle of [SECRET_PASSPHRASE, PASSPHRASE]) {
        expect(lines.filter((l) => l.includes(needle)), `${where} console`).toEqual([]);
      }
    }
    console.info(`[reliability e] scanned ${dump.items.length} values in ${dump.databases.length} databases, web storage and ${dump.caches} caches; worker console lines: ${workerConsole.length}`);
  });
});

/**
 * Waits until IndexedDB enforces an overridden quota: Chromium caches a bucket's remaining space
 * for up to 30 s once the origin's IndexedDB is open (measured: an override set after the first
 * use bit only 30 s later), so a probe database tries a write of `bytes` (more than the headroom
 * left) every second until it is refused. Returns the time waited.
 */
async function untilQuotaEnforced(bytes: number): Promise<number> {
  const name = `rel-quota-probe-${RUN}`;
  databases.push(name);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = (write: (s: IDBObjectStore) => void) =>
    new Promise<void>((resolve, reject) => {
      const t = db.transaction('s', 'readwrite');
      write(t.objectStore('s'));
      t.oncomplete = () => resolve();
      t.onabort = () => reject(t.error);
    });
  const started = performance.now();
  try {
    for (;;) {
      try {
        await tx((s) => s.put(new Blob([new Uint8Array(bytes)]), 'probe'));
      } catch (e) {
        if ((e as { name?: unknown } | null)?.name === 'QuotaExceededError') return performance.now() - started;
        throw e;
      }
      await tx((s) => s.delete('probe'));
      if (performance.now() - started > 45_000) throw new Error('the overridden quota was not enforced within 45 s');
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading back

/** Every file below `dir` as "prefix/path" → text of its SHA-256. */
async function opfsFiles(dir: FileSystemDirectoryHandle, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const [name, handle] of dir.entries()) {
    const path = `${prefix}/${name}`;
    if (handle.kind === 'directory') Object.assign(out, await opfsFiles(handle as FileSystemDirectoryHandle, path));
    else out[path] = await sha256(new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()));
  }
  return out;
}

/** A whole snapshot downloaded as a .zip through the worker, as "path" → SHA-256 (files only). */
async function downloaded(engine: EngineClient, session: string, snapshotId: string): Promise<Record<string, string>> {
  const { blob } = await engine.download(session, snapshotId, [], 'zip').result;
  const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
  const out: Record<string, string> = {};
  for (const [path, bytes] of Object.entries(files)) if (!path.endsWith('/')) out[path] = await sha256(bytes);
  return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  return `${bytes.length}:${Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Dumping everything the origin keeps

interface DumpItem {
  readonly where: string;
  readonly bytes: Uint8Array;
}

/**
 * Every IndexedDB database of the origin (every store, every key and value; Blobs and buffers as
 * bytes, strings as UTF-8 and UTF-16, objects walked), localStorage, sessionStorage and every
 * Cache API entry (URL and body).
 */
async function dumpOriginStorage(): Promise<{ items: DumpItem[]; databases: string[]; caches: number }> {
  const items: DumpItem[] = [];
  const databases = (await indexedDB.databases()).map((d) => d.name ?? '').filter(Boolean);
  for (const name of databases) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const entries = await new Promise<[IDBValidKey, unknown][]>((resolve, reject) => {
          const out: [IDBValidKey, unknown][] = [];
          const req = db.transaction(store, 'readonly').objectStore(store).openCursor();
          req.onsuccess = () => {
            const c = req.result;
            if (!c) return resolve(out);
            out.push([c.primaryKey, c.value]);
            c.continue();
          };
          req.onerror = () => reject(req.error);
        });
        for (const [key, value] of entries) {
          const where = `indexedDB ${name}/${store}/${String(key)}`;
          await collect(key, `${where} (key)`, items);
          await collect(value, where, items);
        }
      }
    } finally {
      db.close();
    }
  }
  for (const [label, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]] as const) {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)!;
      await collect([key, storage.getItem(key)], `${label}/${key}`, items);
    }
  }
  const cacheNames = await caches.keys();
  for (const cacheName of cacheNames) {
    const cache = await caches.open(cacheName);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      await collect([request.url, response ? await response.blob() : null], `cache ${cacheName}/${request.url}`, items);
    }
  }
  return { items, databases, caches: cacheNames.length };
}

async function collect(value: unknown, where: string, out: DumpItem[], depth = 0): Promise<void> {
  if (depth > 64 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.push({ where, bytes: utf8(value) }, { where, bytes: utf16(value) });
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    out.push({ where, bytes: utf8(String(value)) });
  } else if (value instanceof Blob) {
    out.push({ where, bytes: new Uint8Array(await value.arrayBuffer()) });
  } else if (value instanceof ArrayBuffer) {
    out.push({ where, bytes: new Uint8Array(value) });
  } else if (ArrayBuffer.isView(value)) {
    out.push({ where, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) });
  } else if (value instanceof Date) {
    out.push({ where, bytes: utf8(value.toISOString()) });
  } else if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
    // A stored CryptoKey must never be extractable (remembered keys are non-extractable handles).
    out.push({ where, bytes: utf8(`CryptoKey extractable=${value.extractable}`) });
    expect(value.extractable, `${where}: a stored CryptoKey`).toBe(false);
  } else if (value instanceof Map) {
    for (const [k, v] of value) (await collect(k, where, out, depth + 1), await collect(v, where, out, depth + 1));
  } else if (value instanceof Set || Array.isArray(value)) {
    for (const v of value) await collect(v, where, out, depth + 1);
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (await collect(k, where, out, depth + 1), await collect(v, `${where}.${k}`, out, depth + 1));
  }
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0 || haystack.length < needle.length) return false;
  const first = needle[0]!;
  outer: for (let i = haystack.indexOf(first); i !== -1 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
