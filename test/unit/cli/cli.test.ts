import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn } from '../../support/cli-harness';

const run = promisify(execFile);

/** Runs the CLI in-process with captured output. */
const cairn = runCairn;

/** Every file below `dir` as relative path → contents (folders as "<dir>"). */
async function snapshotOf(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out[rel] = '<dir>';
      Object.assign(out, await snapshotOf(dir, rel));
    } else out[rel] = (await readFile(join(dir, rel))).toString('base64');
  }
  return out;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cairn-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cairn CLI', () => {
  it('init → backup → change → backup → restore the first snapshot equals the original; restoring over files changes none', async () => {
    const repo = join(root, 'repo');
    const src = join(root, 'photos');
    const env = { CAIRN_PASSWORD: 'secret pass', CAIRN_REPOSITORY: repo };
    await mkdir(join(src, 'trip 🏔️', 'empty'), { recursive: true });
    await writeFile(join(src, 'notes.txt'), 'first version\n');
    await writeFile(join(src, 'trip 🏔️', 'img.raw'), Buffer.alloc(2_500_000, 7));
    await writeFile(join(src, 'zero'), '');
    const original = await snapshotOf(src);
    const originalCopy = join(root, 'original');
    await cp(src, originalCopy, { recursive: true });

    expect((await cairn(env, 'init')).code).toBe(0);
    expect((await cairn(env, 'init')).err).toMatch(/already holds a repository/);
    expect((await cairn(env, 'backup', src)).code).toBe(0);
    await appendFile(join(src, 'notes.txt'), 'second version\n');
    await writeFile(join(src, 'new.txt'), 'new');
    await rm(join(src, 'zero'));
    const second = await cairn(env, 'backup', src);
    expect(second.out).toMatch(/1 new, 1 changed, 1 unchanged/);

    const list = JSON.parse((await cairn(env, 'snapshots', '--json')).out) as { id: string }[];
    expect(list).toHaveLength(2);
    const into = join(root, 'restored');
    const restored = await cairn(env, 'restore', list[0]!.id.slice(0, 8), '--to', into);
    expect(restored.code).toBe(0);
    expect(await snapshotOf(join(into, 'photos'))).toEqual(original);

    // restoring the newest snapshot over the first: the differing file is kept, nothing changes
    const before = await snapshotOf(into);
    const over = await cairn(env, 'restore', 'latest', '--to', into);
    expect(over.code).toBe(0);
    expect(over.out).toMatch(/kept both: photos\/notes.txt/);
    const after = await snapshotOf(into);
    for (const [path, content] of Object.entries(before)) expect(after[path], path).toBe(content);
    expect(Object.keys(after).some((p) => /notes \(restored .*\)\.txt$/.test(p))).toBe(true);

    const checked = await cairn(env, 'check', '--read-data');
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/no errors/);
    const ls = await cairn(env, 'ls', 'latest', 'photos', '-R');
    expect(ls.out).toMatch(/photos\/trip 🏔️\/img.raw/);
    const versions = await cairn(env, 'versions', 'photos/notes.txt');
    expect(versions.out.split('\n')).toHaveLength(2);
    await rm(originalCopy, { recursive: true });
  });

  it('says "wrong passphrase" and exits 1; usage errors exit 2; a missing repository is named', async () => {
    const repo = join(root, 'repo2');
    expect((await cairn({ CAIRN_PASSWORD: 'right' }, 'init', repo)).code).toBe(0);
    const wrong = await cairn({ CAIRN_PASSWORD: 'wrong', CAIRN_REPOSITORY: repo }, 'snapshots');
    expect(wrong).toMatchObject({ code: 1, err: 'cairn: wrong passphrase' });
    expect((await cairn({}, 'frobnicate')).code).toBe(2);
    expect((await cairn({ CAIRN_REPOSITORY: repo }, 'snapshots', '--to', 'x')).code).toBe(2);
    expect((await cairn({}, 'snapshots')).err).toMatch(/no repository given/);
    const missing = await cairn({ CAIRN_PASSWORD: 'x' }, '-r', join(root, 'nope'), 'snapshots');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no Cairn repository/);
    expect((await cairn({ CAIRN_REPOSITORY: repo }, 'snapshots')).err).toMatch(/CAIRN_PASSWORD/);
  });

  it('an unencrypted repository needs --insecure-no-password and then no passphrase', async () => {
    const repo = join(root, 'plain');
    expect((await cairn({}, 'init', repo, '--insecure-no-password')).out).toMatch(/UNENCRYPTED/);
    const src = join(root, 'plain-src');
    await mkdir(src);
    await writeFile(join(src, 'a'), 'a');
    expect((await cairn({}, '-r', repo, 'backup', src)).code).toBe(0);
    expect((await cairn({}, '-r', repo, 'snapshots')).out).toMatch(/1 snapshot/);
  });

  it('forget with a policy, prune and repair keep what the policy keeps', async () => {
    const repo = join(root, 'upkeep');
    const src = join(root, 'upkeep-src');
    const env = { CAIRN_PASSWORD: 'p', CAIRN_REPOSITORY: repo };
    await mkdir(src);
    expect((await cairn(env, 'init')).code).toBe(0);
    for (const v of ['one', 'two', 'three']) {
      await writeFile(join(src, 'f.txt'), v.repeat(100_000));
      expect((await cairn(env, 'backup', src)).code).toBe(0);
    }
    const dry = await cairn(env, 'forget', '--keep-last', '1', '--dry-run');
    expect(dry.out).toMatch(/would remove 2 snapshot/);
    expect(JSON.parse((await cairn(env, 'snapshots', '--json')).out)).toHaveLength(3);
    expect((await cairn(env, 'forget', '--keep-last', '0')).err).toMatch(/keeps nothing/);
    const f = await cairn(env, 'forget', '--keep-last', '1', '--prune');
    expect(f.out).toMatch(/removed 2 snapshot/);
    expect(f.out).toMatch(/freed/);
    expect((await cairn(env, 'repair')).out).toMatch(/every snapshot has all its data/);
    expect((await cairn(env, 'check', '--read-data')).code).toBe(0);
    const into = join(root, 'upkeep-out');
    expect((await cairn(env, 'restore', 'latest', '--to', into)).code).toBe(0);
    expect((await readFile(join(into, 'upkeep-src', 'f.txt'), 'utf8')).startsWith('three')).toBe(true);
  });

  it('diff, scrub and drill', async () => {
    const repo = join(root, 'verify');
    const src = join(root, 'verify-src');
    const env = { CAIRN_PASSWORD: 'p', CAIRN_REPOSITORY: repo, XDG_STATE_HOME: join(root, 'state') };
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'a');
    await writeFile(join(src, 'b.txt'), 'b');
    expect((await cairn(env, 'init')).code).toBe(0);
    expect((await cairn(env, 'backup', src)).code).toBe(0);
    await rm(join(src, 'a.txt'));
    await writeFile(join(src, 'b.txt'), 'bb');
    await writeFile(join(src, 'c.txt'), 'c');
    expect((await cairn(env, 'backup', src)).code).toBe(0);
    const [first] = JSON.parse((await cairn(env, 'snapshots', '--json')).out) as { id: string }[];
    const d = await cairn(env, 'diff', first!.id.slice(0, 8), 'latest');
    expect(d.out.split('\n').slice(0, 3).sort()).toEqual(['+ verify-src/c.txt', '- verify-src/a.txt', 'M verify-src/b.txt']);
    const s = await cairn(env, 'scrub', '--period-days', '1');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/100% of/);
    const dr = await cairn(env, 'drill');
    expect(dr.code).toBe(0);
    expect(dr.out).toMatch(/restore proven/);
  });

  it('key add, list, passwd and remove', async () => {
    const repo = join(root, 'keys');
    const env = { CAIRN_PASSWORD: 'first', CAIRN_REPOSITORY: repo };
    expect((await cairn(env, 'init')).code).toBe(0);
    expect((await cairn({ ...env, CAIRN_NEW_PASSWORD: 'second' }, 'key', 'add', '--label', 'spare')).out).toMatch(/verified/);
    const list = JSON.parse((await cairn(env, 'key', 'list', '--json')).out) as { name: string; label?: string; current: boolean }[];
    expect(list).toHaveLength(2);
    expect((await cairn({ ...env, CAIRN_NEW_PASSWORD: 'third' }, 'key', 'passwd')).code).toBe(0);
    expect((await cairn(env, 'snapshots')).err).toMatch(/wrong passphrase/);
    expect((await cairn({ ...env, CAIRN_PASSWORD: 'third' }, 'snapshots')).code).toBe(0);
    const spare = list.find((k) => k.label === 'spare')!;
    expect((await cairn({ ...env, CAIRN_PASSWORD: 'third' }, 'key', 'remove', spare.name.slice(0, 8))).code).toBe(0);
    expect((await cairn({ ...env, CAIRN_PASSWORD: 'second' }, 'snapshots')).err).toMatch(/wrong passphrase/);
    const rec = JSON.parse((await cairn({ ...env, CAIRN_PASSWORD: 'third' }, 'key', 'recovery', '--json')).out) as { words: string[] };
    expect((await cairn({ ...env, CAIRN_PASSWORD: rec.words.join(' ').toUpperCase() }, 'snapshots')).code).toBe(0);
  });

  it('runs as a real command (node src/cli/cairn.mjs)', async () => {
    const repo = join(root, 'repo3');
    const env = { ...process.env, CAIRN_PASSWORD: 'p', CAIRN_REPOSITORY: repo };
    const { stdout } = await run('node', ['src/cli/cairn.mjs', 'init'], { env });
    expect(stdout).toMatch(/created repository/);
    const failed = await run('node', ['src/cli/cairn.mjs', 'restore', 'latest', '--to', join(root, 'x')], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/no snapshots yet/) });
    expect((await stat(repo)).isDirectory()).toBe(true);
  });
});
