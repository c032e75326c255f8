/**
 * Damaged repositories (RELIABILITY.md, "Corrupted or tampered repository" and "Keys"), through
 * the real CLI entry point: for every case of test/fixtures/damaged/recipes.ts, a copy of the
 * committed repo-v1 is damaged, then `check --read-data --json` must give exactly the committed
 * report (test/fixtures/damaged/expected/<case>.json, the same one the browser gives) and name the
 * right packs, snapshots and files; `restore` of each snapshot must bring back every intact file
 * byte for byte and report the others failed; `repair --read-data` must list exactly what is
 * lost; and a restore after the repair must recover the same intact files. Refused repositories
 * (damaged key file, newer format) must stay byte for byte unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSPHRASE, FIXTURE_V1, FIXTURE_V2, type Tree } from '../fixtures/fixture-trees';
import { materialize } from '../fixtures/damaged/materialize-node';
import { runCairn } from '../support/cli-harness';
import {
  CASES,
  normalizeCheckReport,
  PASSPHRASE,
  problemIds,
  SNAP_NEW,
  SNAP_OLD,
  sortFiles,
  type CheckReportJson,
  type DamageCase,
  type ExpectedReport,
  type RestoreExpectation,
} from '../fixtures/damaged/recipes';

const EXPECTED = import.meta.glob<ExpectedReport>('../fixtures/damaged/expected/*.json', { eager: true, import: 'default' });
const expectedFor = (c: DamageCase): ExpectedReport => {
  const e = EXPECTED[`../fixtures/damaged/expected/${c.name}.json`];
  if (!e) throw new Error(`no expected/${c.name}.json: run npx tsx test/fixtures/damaged/make-expected.ts`);
  return e;
};
const TREES: Record<string, Tree> = { [SNAP_OLD]: FIXTURE_V1, [SNAP_NEW]: FIXTURE_V2 };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cairn-damaged-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the CLI in-process on a fixture copy. */
function cairn(repo: string, ...argv: string[]) {
  return runCairn({ CAIRN_PASSWORD: FIXTURE_PASSPHRASE, CAIRN_REPOSITORY: repo }, ...argv);
}

/** Every file and folder below `dir`: path → sha256 of the bytes, folders as "<dir>". */
async function digestDir(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, { [rel]: '<dir>' }, await digestDir(dir, rel));
    else out[rel] = createHash('sha256').update(await readFile(join(dir, rel))).digest('hex');
  }
  return out;
}

/** A fixture tree as the same digest, below `prefix`. */
function digestTree(tree: Tree, prefix: string, out: Record<string, string> = {}): Record<string, string> {
  for (const [name, node] of Object.entries(tree)) {
    const path = `${prefix}/${name}`;
    if (typeof node === 'string' || node instanceof Uint8Array) out[path] = createHash('sha256').update(node).digest('hex');
    else {
      out[path] = '<dir>';
      digestTree(node, path, out);
    }
  }
  return out;
}

const stripSlash = (p: string) => p.replace(/\/$/, '');
const sorted = (xs: readonly string[]) => [...xs].sort();

interface RestoreJson {
  snapshot: string;
  decisions: { path: string; action: string; reason?: string }[];
  counts: Record<string, number>;
}

/** Restores `snapshot` into a fresh folder beside `repo` through the CLI and checks it against `exp`. */
async function restoreAndVerify(repo: string, snapshot: string, exp: RestoreExpectation | undefined, label: string): Promise<void> {
  if (!exp) throw new Error(`no restore expectation for ${snapshot.slice(0, 8)}`);
  const into = join(dirname(repo), `${label}-${snapshot.slice(0, 8)}`);
  const r = await cairn(repo, 'restore', snapshot, '--to', into, '--json');
  if ('refused' in exp) {
    expect(r.code, r.out).toBe(1);
    expect(r.err).toMatch(new RegExp(exp.refused));
    expect(r.err).not.toMatch(/wrong passphrase/i);
    return;
  }
  expect(r.err.split('\n').filter((l) => l && !l.startsWith('warning: ')), 'restore should run').toEqual([]);
  const report = JSON.parse(r.out) as RestoreJson;
  expect(report.snapshot).toBe(snapshot);
  const failedExpected = exp.failed.map(stripSlash);
  // Exactly the expected files are reported failed, each with a reason.
  const failed = report.decisions.filter((d) => d.action === 'failed');
  expect(sorted(failed.map((d) => stripSlash(d.path)))).toEqual(sorted(failedExpected));
  for (const d of failed) expect(d.reason).toBeTruthy();
  expect(r.code).toBe(failedExpected.length ? 1 : 0);
  // Every other file comes back byte for byte; nothing lost is written under its name.
  const lost = (p: string) => failedExpected.some((f) => p === f || p.startsWith(`${f}/`));
  const want = Object.fromEntries(Object.entries({ home: '<dir>', ...digestTree(TREES[snapshot]!, 'home') }).filter(([p]) => !lost(p)));
  const got = Object.fromEntries(Object.entries(await digestDir(into)).filter(([p]) => !lost(p)));
  expect(got).toEqual(want);
  for (const p of Object.keys(await digestDir(into))) if (lost(p) && !failedExpected.includes(p)) throw new Error(`${p} was written although lost`);
}

it('the recipes use repo-v1\'s passphrase', () => expect(PASSPHRASE).toBe(FIXTURE_PASSPHRASE));

for (const c of CASES) {
  describe(`damaged repository: ${c.name}`, () => {
    const e = c.expect;
    let repo: string;
    let pristine: Record<string, string>;
    beforeAll(async () => {
      repo = join(root, c.name, 'repo');
      await materialize(c, repo);
      pristine = await digestDir(repo);
    });

    if (e.refused) {
      const refused = e.refused;
      it(`every command refuses it: ${refused.code}, "${refused.message}", never "wrong passphrase"; nothing is written`, async () => {
        const expected = expectedFor(c);
        expect('error' in expected && expected.error.code).toBe(refused.code);
        const src = join(root, c.name, 'source');
        await mkdir(src, { recursive: true });
        await writeFile(join(src, 'a.txt'), 'a file to back up\n');
        const commands = [
          ['check', '--read-data', '--json'],
          ['snapshots', '--json'],
          ['restore', SNAP_OLD, '--to', join(root, c.name, 'into')],
          ['restore', 'latest', '--to', join(root, c.name, 'into')],
          ['repair', '--read-data'],
          ['backup', src],
        ];
        for (const argv of commands) {
          const r = await cairn(repo, ...argv);
          expect(r.code, argv.join(' ')).toBe(1);
          expect(r.out, argv.join(' ')).toBe('');
          expect(r.err, argv.join(' ')).toMatch(new RegExp(refused.message.replace(/^\^/, '^cairn: ')));
          expect(r.err).not.toMatch(/wrong passphrase/i);
          // The same message the browser gets (expected/<case>.json).
          if ('error' in expected) expect(r.err).toBe(`cairn: ${expected.error.message}`);
        }
        expect(await digestDir(repo)).toEqual(pristine);
      });
      return;
    }

    it('check --read-data --json names exactly the damaged packs, snapshots and files (the committed report)', async () => {
      const x = e.check!;
      const r = await cairn(repo, 'check', '--read-data', '--json');
      expect(r.err.split('\n').filter((l) => l && !l.startsWith('warning: ')), 'check must report, not fail').toEqual([]);
      const raw = JSON.parse(r.out) as CheckReportJson;
      const report = normalizeCheckReport(raw, repo);
      expect(r.code).toBe(x.ok ? 0 : 1);
      expect(report.ok).toBe(x.ok);
      expect(problemIds(report)).toEqual([...x.problems].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1)));
      expect(report.damagedPacks).toEqual(sorted(x.damagedPacks));
      expect(report.damagedSnapshots).toEqual(sorted(x.damagedSnapshots));
      expect(sortFiles(report.damagedFiles)).toEqual(sortFiles(x.damagedFiles));
      expect(report.unreferencedPacks).toEqual(sorted(x.unreferencedPacks));
      for (const p of report.problems) {
        if (x.wording) expect(p.message).toMatch(new RegExp(x.wording));
        expect(p.message).not.toMatch(/passphrase/i);
      }
      const expected = expectedFor(c);
      expect('report' in expected && expected.report).toEqual(report);
      expect(await digestDir(repo), 'check writes nothing').toEqual(pristine);
    });

    it(`snapshots lists ${e.snapshots!.map((s) => s.slice(0, 8)).join(', ')}`, async () => {
      const r = await cairn(repo, 'snapshots', '--json');
      expect(r.out, r.err).not.toBe('');
      expect((JSON.parse(r.out) as { id: string }[]).map((s) => s.id)).toEqual(e.snapshots);
    });

    it('restore of each snapshot recovers every intact file byte for byte and reports the others failed', async () => {
      for (const s of [SNAP_OLD, SNAP_NEW]) await restoreAndVerify(repo, s, e.restore?.[s], 'before');
      expect(await digestDir(repo), 'restore writes nothing to the repository').toEqual(pristine);
    });

    it('repair --read-data rebuilds the index from the packs and lists exactly the lost files', async () => {
      const x = e.repair!;
      const r = await cairn(repo, 'repair', '--read-data', '--json');
      expect(r.err.split('\n').filter((l) => l && !l.startsWith('warning: ')), 'repair must run').toEqual([]);
      const report = JSON.parse(r.out) as { lostFiles: { snapshot: string; path: string }[]; unreadablePacks: { pack: string }[] };
      expect(sortFiles(report.lostFiles)).toEqual(sortFiles(x.lostFiles));
      expect(sorted(report.unreadablePacks.map((p) => p.pack))).toEqual(sorted(x.unreadablePacks));
      // A snapshot that cannot be read at all is lost too: the report must say so.
      for (const s of x.lostSnapshots ?? []) expect(r.out, `repair must name the unreadable snapshot ${s.slice(0, 8)}`).toContain(s);
      expect(r.code).toBe(x.lostFiles.length || x.lostSnapshots?.length ? 1 : 0);
      // Only the index was rewritten: every pack and snapshot is as it was, no lock is left.
      const after = await digestDir(repo);
      const keep = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([p]) => !p.startsWith('index/')));
      expect(keep(after)).toEqual(keep(pristine));
      expect(Object.keys(after).filter((p) => p.startsWith('index/'))).toHaveLength(1);
    });

    it('after the repair, restore recovers the same intact files', async () => {
      for (const s of [SNAP_OLD, SNAP_NEW]) await restoreAndVerify(repo, s, e.afterRepair?.[s], 'after');
    });
  });
}
