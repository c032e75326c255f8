/**
 * Damaged repositories in the browser: every case of test/fixtures/damaged/recipes.ts
 * materialized into an OPFS folder, opened with FsaBackend + webHost (the code path of a USB
 * drive) and checked with `check(repo, { readData: true })` must give exactly the report the CLI
 * gives (test/fixtures/damaged/expected/<case>.json; test/unit/damaged-fixtures.test.ts compares
 * the CLI's `check --read-data --json` with the same file), or be refused with the same error.
 *
 * The repository is opened with `loadIndex: false`, so that check loads the index itself and
 * reports unreadable index files: the default open (also what the app's worker does,
 * src/worker/engine-api.ts) refuses the whole repository when one index file is unreadable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CairnError, check, Repository } from '../../src/core';
import { webHost } from '../../src/platform/webcrypto-host';
import { FsaBackend } from '../../src/storage/fsa-backend';
import { loadRepoV1, materialize } from '../fixtures/damaged/materialize-browser';
import { CASES, normalizeCheckReport, PASSPHRASE, problemIds, sortFiles, type CheckReportJson, type ExpectedReport } from '../fixtures/damaged/recipes';
import { freshOpfsFolder, opfsListing, type OpfsFolder } from '../support/opfs-tree';

const EXPECTED = import.meta.glob<ExpectedReport>('../fixtures/damaged/expected/*.json', { eager: true, import: 'default' });
const folders: OpfsFolder[] = [];
afterAll(async () => {
  for (const f of folders) await f.remove();
});

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('damaged fixture repositories in the browser (OPFS + FsaBackend)', () => {
  it('loads repo-v1 into the browser: every file, byte lengths as committed', async () => {
    const files = await loadRepoV1();
    expect(files.size).toBe(10); // config, 4 packs, 2 index files, 1 key, 2 snapshots
    expect(files.get('data/59/598020688fdc10c4b7371fa0d8fc8153bfa2cdcb79331242f0381886f4a1800a')?.length).toBe(717_582);
    expect(new TextDecoder().decode(files.get('config')).startsWith('{\n "format": "cairn-repository"')).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.name}: check gives the same report as the CLI`, async () => {
      const expected = EXPECTED[`../fixtures/damaged/expected/${c.name}.json`];
      if (!expected) throw new Error(`no expected/${c.name}.json`);
      const folder = await freshOpfsFolder(`damaged-${c.name}`);
      folders.push(folder);
      await materialize(c, folder.dir);
      const before = await opfsListing(folder.dir);
      const backend = new FsaBackend(folder.dir);

      let repo: Repository;
      try {
        repo = await Repository.open(backend, webHost('damaged-fixtures'), PASSPHRASE, { loadIndex: false });
      } catch (e) {
        if (!(e instanceof CairnError)) throw e;
        expect({ error: { code: e.code, message: e.message } }).toEqual(expected);
        expect(e.code).toBe(c.expect.refused?.code);
        expect(e.message).toMatch(new RegExp(c.expect.refused!.message));
        expect(e.message).not.toMatch(/wrong passphrase/i);
        expect(await opfsListing(folder.dir), 'nothing written').toEqual(before);
        return;
      }
      expect(c.expect.refused, 'this repository should have been refused').toBeUndefined();
      const raw = JSON.parse(JSON.stringify(await check(repo, { readData: true }))) as CheckReportJson;
      const report = normalizeCheckReport(raw, backend.location);
      expect({ report }).toEqual(expected);
      // And what the report means (the same assertions as the Node test).
      const x = c.expect.check!;
      expect(report.ok).toBe(x.ok);
      expect(problemIds(report)).toEqual([...x.problems].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1)));
      expect(report.damagedPacks).toEqual(sorted(x.damagedPacks));
      expect(report.damagedSnapshots).toEqual(sorted(x.damagedSnapshots));
      expect(sortFiles(report.damagedFiles)).toEqual(sortFiles(x.damagedFiles));
      expect(report.unreferencedPacks).toEqual(sorted(x.unreferencedPacks));
      expect(await opfsListing(folder.dir), 'check writes nothing').toEqual(before);
    });
  }
});
