import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filePath, type Backend } from '../../src/core/ports/backend';
import { NodeFsBackend } from '../../src/cli/node-fs-backend';
import { backendContract, expectBytes, expectCode, id, seeded } from './backend-contract';

async function freshRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cairn-nodefs-'));
}

async function plantAt(root: string, parts: string[], data: Uint8Array): Promise<void> {
  await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
  await writeFile(join(root, ...parts), data);
}

backendContract(
  'NodeFsBackend',
  async () => new NodeFsBackend(await freshRoot()),
  async (b: Backend) => rm((b as NodeFsBackend).root, { recursive: true, force: true }),
  {
    async plant(b, type, name, data) {
      await plantAt((b as NodeFsBackend).root, filePath(type, name), data);
    },
  },
);

describe('NodeFsBackend on disk', () => {
  let root: string;
  let b: NodeFsBackend;
  beforeEach(async () => {
    root = await freshRoot();
    b = new NodeFsBackend(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lays files out as data/xx/<name> and <type>/<name>, leaving no temporary files', async () => {
    await b.write('data', id(1), seeded(10, 1));
    await b.write('index', id(2), seeded(10, 2));
    await b.write('config', 'config', seeded(10, 3));
    expect((await readdir(root)).sort()).toEqual(['config', 'data', 'index']);
    expect(await readdir(join(root, 'data', id(1).slice(0, 2)))).toEqual([id(1)]);
    expect(await readdir(join(root, 'index'))).toEqual([id(2)]);
  });

  it('does not list temporary leftovers, foreign files, or packs in the wrong sub-folder', async () => {
    await b.write('data', id(1), seeded(10, 1));
    await plantAt(root, ['data', id(1).slice(0, 2), `${id(2)}.tmp-abcdef`], seeded(5, 1));
    await plantAt(root, ['data', id(1).slice(0, 2), '.DS_Store'], seeded(5, 1));
    await plantAt(root, ['data', 'zz', id(3)], seeded(5, 1));
    await plantAt(root, ['data', id(4).slice(0, 2) === '00' ? '01' : '00', id(4)], seeded(5, 1));
    await plantAt(root, ['index', `._${id(5)}`], seeded(5, 1));
    const listed: string[] = [];
    for await (const f of b.list('data')) listed.push(f.name);
    expect(listed).toEqual([id(1)]);
    for await (const f of b.list('index')) expect.unreachable(`listed ${f.name}`);
  });

  it("reports a vanished repository folder as 'disconnected' and does not recreate it", async () => {
    await b.write('data', id(1), seeded(10, 1));
    await rm(root, { recursive: true });
    await expectCode(b.read('data', id(1)), 'disconnected', root);
    await expectCode(b.readRange('data', id(1), 0, 1), 'disconnected', root);
    await expectCode(b.stat('data', id(1)), 'disconnected', root);
    await expectCode(b.remove('data', id(1)), 'disconnected', root);
    await expectCode(b.write('data', id(2), seeded(10, 2)), 'disconnected', root);
    await expectCode(b.write('config', 'config', seeded(10, 2)), 'disconnected', root);
    const drain = async (type: 'data' | 'index' | 'config') => {
      for await (const _ of b.list(type)) void _;
    };
    await expectCode(drain('data'), 'disconnected');
    await expectCode(drain('index'), 'disconnected');
    await expectCode(drain('config'), 'disconnected');
    await expect(readdir(root)).rejects.toThrow();
  });

  it("fails a listing it cannot read instead of returning a short one", async () => {
    await b.write('data', id(1), seeded(10, 1));
    // A file where the index folder should be: readdir fails with ENOTDIR.
    await plantAt(root, ['index'], seeded(3, 1));
    await expectCode(
      (async () => {
        for await (const _ of b.list('index')) void _;
      })(),
      'io',
    );
  });

  it('reports free space figures', async () => {
    const u = await b.usage();
    expect(u.used).toBeGreaterThan(0);
    expect(u.available).toBeGreaterThanOrEqual(0);
  });

  it('reads back the exact bytes of a written pack through a fresh instance', async () => {
    await b.write('data', id(9), seeded(100_000, 9));
    expectBytes(await new NodeFsBackend(root).readRange('data', id(9), 99_000, 1000), seeded(100_000, 9).slice(99_000));
  });
});
