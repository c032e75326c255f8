import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { check, Repository, restore } from '../../src/core';
import { NodeFsBackend } from '../../src/cli/node-fs-backend';
import { nodeTarget } from '../../src/cli/node-target';
import { webHost } from '../../src/platform/webcrypto-host';
import { FaultyBackend } from '../../src/storage/faulty-backend';
import { FIXTURE_PASSPHRASE, FIXTURE_V1, FIXTURE_V2, writeTree } from '../fixtures/fixture-trees';

/**
 * Compatibility promise: the committed format-v1 repository (test/fixtures/repo-v1, made once by
 * `npm run fixture`) opens and restores byte for byte in this and every later version.
 */
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtemp(join(tmpdir(), 'cairn-fixture-test-'));
afterAll(async () => rm(await work, { recursive: true, force: true }));

async function contents(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, { [rel]: '<dir>' }, await contents(dir, rel));
    else out[rel] = (await readFile(join(dir, rel))).toString('base64');
  }
  return out;
}

/** The fixture, opened so that any write or removal fails the test. */
async function openFixture() {
  const backend = new FaultyBackend(new NodeFsBackend(join(here, '../fixtures/repo-v1')), { only: ['write', 'remove'], crashAt: 0 });
  return Repository.open(backend, webHost('fixture-test'), FIXTURE_PASSPHRASE);
}

describe('format v1 fixture repository', () => {
  it('opens, lists both snapshots and restores each byte for byte', async () => {
    const repo = await openFixture();
    const snapshots = await repo.listSnapshots();
    expect(snapshots).toHaveLength(2);
    for (const [i, tree] of [FIXTURE_V1, FIXTURE_V2].entries()) {
      const expected = join(await work, `expected-${i}`);
      await writeTree(join(expected, 'home'), tree);
      const into = join(await work, `restored-${i}`);
      const report = await restore(repo, snapshots[i]!.snapshot.tree, await nodeTarget(into));
      expect(report.counts.failed).toBe(0);
      expect(await contents(into)).toEqual(await contents(expected));
    }
  });

  it('checks clean, reading every blob', async () => {
    const report = await check(await openFixture(), { readData: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.stats.blobsRead).toBeGreaterThan(5);
  });

  it('refuses a wrong passphrase', async () => {
    const backend = new NodeFsBackend(join(here, '../fixtures/repo-v1'));
    await expect(Repository.open(backend, webHost('x'), 'not it')).rejects.toMatchObject({ code: 'wrong-passphrase' });
  });
});
