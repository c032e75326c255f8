/**
 * Two writers on one repository folder, as when the CLI and a browser tab (or two machines) use
 * the same drive: each has its own Repository instance over the same NodeFsBackend folder, so only
 * the repository's lock files (repo-lock.ts) coordinate them. Backups are shared writers and both
 * commit valid snapshots; a prune (exclusive) is refused while a backup holds its lock and deletes
 * nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backup, check, forget, prune, Repository, restore,
  type Host, type SourceDir, type SourceEntry,
} from '../../src/core';
import { main } from '../../src/cli/main';
import { NodeFsBackend } from '../../src/cli/node-fs-backend';
import { webCryptoHost } from '../../src/platform/webcrypto-host';
import { memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../support/memory-tree';
import { PASSPHRASE, TEST_CHUNKER, TEST_KDF } from '../support/engine';
import { captureTerminal } from '../support/cli-harness';

/** A real clock: the CLI uses one too, and lock ages are compared across both. */
function realHost(hostname: string): Host {
  return { crypto: webCryptoHost(), hostname, now: () => Date.now() };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cairn-concurrency-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
async function newRepoFolder(): Promise<string> {
  const path = join(root, `repo-${++counter}`);
  await mkdir(path);
  await Repository.init(new NodeFsBackend(path), realHost('setup'), { passphrase: PASSPHRASE, kdf: TEST_KDF, chunker: TEST_CHUNKER, packSize: 1024 * 1024 });
  return path;
}

/** A second "device": its own Repository instance over the same folder. */
async function openAs(path: string, hostname: string): Promise<Repository> {
  return Repository.open(new NodeFsBackend(path), realHost(hostname), PASSPHRASE);
}

/** A tree with each file as the SHA-256 of its bytes (strings as UTF-8), keys sorted. */
type Digest = { [name: string]: string | Digest };
function digest(t: LiteralTree): Digest {
  return Object.fromEntries(
    Object.keys(t)
      .sort()
      .map((k) => {
        const v = t[k]!;
        if (typeof v === 'string' || v instanceof Uint8Array) return [k, createHash('sha256').update(typeof v === 'string' ? Buffer.from(v) : v).digest('hex')];
        return [k, digest(v as LiteralTree)];
      }),
  );
}

async function restoredTree(repo: Repository, tree: string): Promise<Digest> {
  const target = new MemoryTarget();
  const report = await restore(repo, tree, target);
  expect(report.decisions.filter((d) => d.action === 'failed')).toEqual([]);
  return digest(target.toLiteral());
}

/** Every stored file of the folder but lock files, as relative paths. */
async function storedFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await storedFiles(dir, rel)));
    else if (!rel.startsWith('locks/')) out.push(rel);
  }
  return out.sort();
}

/** A source whose first file read waits until `open()` is called: holds a backup mid-job. */
function gatedSource(tree: LiteralTree) {
  let open: () => void = () => undefined;
  let reached: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const wrap = (dir: SourceDir): SourceDir => ({
    kind: 'dir',
    name: dir.name,
    async *entries(): AsyncGenerator<SourceEntry> {
      for await (const e of dir.entries()) {
        if (e.kind === 'dir') {
          yield wrap(e);
          continue;
        }
        yield {
          ...e,
          async *read() {
            reached();
            await gate;
            yield* e.read();
          },
        };
      }
    },
  });
  return { source: wrap(memorySource(tree)), waiting, open: () => open() };
}

const terminal = captureTerminal;

const shared = seededBytes(600 * 1024, 99); // in both sources: both writers store its chunks
const treeA: LiteralTree = { 'a.bin': seededBytes(1_500_000, 1), 'shared.bin': shared, notes: { 'a.txt': 'from A' } };
const treeB: LiteralTree = { 'b.bin': seededBytes(1_200_000, 2), 'shared.bin': shared, 'empty.txt': '' };

describe('two writers on one repository folder', () => {
  it('two concurrent backups from two Repository instances: both snapshots valid, check passes', async () => {
    const path = await newRepoFolder();
    const [laptop, browser] = [await openAs(path, 'laptop'), await openAs(path, 'browser')];
    const [a, b] = await Promise.all([
      backup(laptop, [{ name: 'a', dir: memorySource(treeA) }]),
      backup(browser, [{ name: 'b', dir: memorySource(treeB) }]),
    ]);
    const third = await openAs(path, 'checker');
    expect((await third.listSnapshots()).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(await restoredTree(third, a.snapshot.tree)).toEqual(digest({ a: treeA }));
    expect(await restoredTree(third, b.snapshot.tree)).toEqual(digest({ b: treeB }));
    const c = await check(third, { readData: true });
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);
    expect(await readdir(join(path, 'locks')).catch(() => [])).toEqual([]); // both released their locks
  });

  it('a prune started while a backup holds its lock is refused with "locked" and deletes nothing', async () => {
    const path = await newRepoFolder();
    const writer = await openAs(path, 'laptop');
    const old = await backup(writer, [{ name: 'a', dir: memorySource(treeA) }]);
    await backup(writer, [{ name: 'a', dir: memorySource(treeB) }]);
    const other = await openAs(path, 'desktop');
    await forget(other, { last: 1 }); // leaves data only `old` needed: a prune would delete it

    const gated = gatedSource({ ...treeA, 'c.bin': seededBytes(300_000, 3) });
    const running = backup(writer, [{ name: 'a', dir: gated.source }]);
    await gated.waiting; // the backup holds its (shared) lock now
    const before = await storedFiles(path);
    await expect(prune(other)).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/locked: a lock held by laptop/) });
    expect(await storedFiles(path)).toEqual(before);
    gated.open();
    const done = await running;

    const r = await prune(other);
    expect(r.packsDeleted + r.packsRepacked).toBeGreaterThan(0);
    const final = await openAs(path, 'checker');
    expect((await final.listSnapshots()).map((s) => s.id)).not.toContain(old.id);
    expect(await restoredTree(final, done.snapshot.tree)).toEqual(digest({ a: { ...treeA, 'c.bin': seededBytes(300_000, 3) } }));
    const c = await check(final, { readData: true });
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);
  });

  it('the CLI backs up while another Repository instance backs up the same folder; the CLI prune is refused meanwhile', async () => {
    const path = await newRepoFolder();
    const src = join(root, `cli-src-${counter}`);
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'big.bin'), seededBytes(2_000_000, 7));
    await writeFile(join(src, 'sub', 'note.txt'), 'written by the CLI test');
    await writeFile(join(src, 'shared.bin'), shared);
    const env = { CAIRN_REPOSITORY: path, CAIRN_PASSWORD: PASSPHRASE, XDG_STATE_HOME: join(root, 'state'), HOME: root };

    const browser = await openAs(path, 'browser');
    const cli = terminal();
    const [code, b] = await Promise.all([main(['backup', src], cli.term, env), backup(browser, [{ name: 'b', dir: memorySource(treeB) }])]);
    expect(code, cli.err.join('\n')).toBe(0);

    const checker = await openAs(path, 'checker');
    const snapshots = await checker.listSnapshots();
    expect(snapshots).toHaveLength(2);
    const fromCli = snapshots.find((s) => s.id !== b.id)!;
    const name = fromCli.snapshot.paths[0]!;
    expect(await restoredTree(checker, fromCli.snapshot.tree)).toEqual(
      digest({ [name]: { 'big.bin': seededBytes(2_000_000, 7), 'shared.bin': shared, sub: { 'note.txt': 'written by the CLI test' } } }),
    );
    expect(await restoredTree(checker, b.snapshot.tree)).toEqual(digest({ b: treeB }));
    const c = await check(checker, { readData: true });
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);

    // The CLI's prune while the browser's backup holds its lock: refused, exit code non-zero, nothing deleted.
    const gated = gatedSource(treeA);
    const running = backup(browser, [{ name: 'a', dir: gated.source }]);
    await gated.waiting;
    const before = await storedFiles(path);
    const refused = terminal();
    const pruneCode = await main(['prune'], refused.term, env);
    expect(pruneCode).not.toBe(0);
    expect(refused.err.join('\n')).toMatch(/locked: a lock held by browser/);
    expect(await storedFiles(path)).toEqual(before);
    gated.open();
    await running;
    const after = terminal();
    expect(await main(['prune'], after.term, env), after.err.join('\n')).toBe(0);
  });
});
