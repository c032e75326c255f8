import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backup, listFolder, Repository, restore, type SourceDir, type TargetDir } from '../../src/core';
import { NodeFsBackend } from '../../src/cli/node-fs-backend';
import { webHost } from '../../src/platform/webcrypto-host';
import { MemoryBackend } from '../../src/storage/memory-backend';
import { memorySource, MemoryTarget } from '../support/memory-tree';
import { TEST_KDF } from '../support/engine';

/**
 * Big and many: a 5 GiB file streams through backup and restore in bounded memory; 100 000
 * files in one folder back up, list and restore. Run with `npm run test:big` (part of `npm test`).
 */
const GiB = 1024 ** 3;

/** A deterministic incompressible stream (AES-256-CTR keystream), never held whole. */
async function* keystream(length: number, seed: number): AsyncGenerator<Uint8Array> {
  const key = createHash('sha256').update(`cairn-big-${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let done = 0; done < length; done += zeros.length) {
    yield new Uint8Array(cipher.update(zeros.subarray(0, Math.min(zeros.length, length - done))));
  }
}

function bigSource(size: number): SourceDir {
  return {
    kind: 'dir',
    name: 'big',
    async *entries() {
      yield { kind: 'file', name: 'huge.bin', size, mtime: Date.UTC(2026, 0, 1), read: () => keystream(size, 1) };
    },
  };
}

/** A target that only hashes what it is given. */
function hashingTarget(results: Map<string, { size: number; sha: string }>): TargetDir {
  const self: TargetDir = {
    name: 'hash',
    get: async () => null,
    dir: async () => self,
    rename: async () => undefined,
    async writeFile(name, data) {
      const h = createHash('sha256');
      let size = 0;
      for await (const piece of data) {
        h.update(piece);
        size += piece.length;
      }
      results.set(name, { size, sha: h.digest('hex') });
    },
  };
  return self;
}

let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
afterAll(() => clearInterval(timer));

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('big and many', () => {
  it('a 5 GiB file backs up and restores with bounded memory', async () => {
    const size = 5 * GiB + 12345;
    const dir = await mkdtemp(join(tmpdir(), 'cairn-big-'));
    dirs.push(dir);
    const repo = await Repository.init(new NodeFsBackend(dir), webHost('big'), { passphrase: 'p', kdf: TEST_KDF });
    const before = process.memoryUsage().rss;
    peak = before;
    const { snapshot, summary } = await backup(repo, [{ name: 'big', dir: bigSource(size) }]);
    expect(summary.bytes).toBe(size);
    const results = new Map<string, { size: number; sha: string }>();
    await restore(repo, snapshot.tree, hashingTarget(results));
    const expected = createHash('sha256');
    for await (const piece of keystream(size, 1)) expected.update(piece);
    expect(results.get('huge.bin')).toEqual({ size, sha: expected.digest('hex') });
    const grewMiB = (peak - before) / 2 ** 20;
    console.log(`5 GiB: peak RSS grew by ${grewMiB.toFixed(0)} MiB`);
    expect(grewMiB).toBeLessThan(300);
  }, 1_200_000);

  it('100 000 files in one folder back up, list and restore', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) files[`file-${String(i).padStart(6, '0')}.txt`] = `content ${i % 5000}`;
    const repo = await Repository.init(new MemoryBackend(), webHost('many'), { passphrase: 'p', kdf: TEST_KDF });
    const t0 = performance.now();
    const { snapshot } = await backup(repo, [{ name: 'many', dir: memorySource(files) }]);
    const t1 = performance.now();
    const again = await backup(repo, [{ name: 'many', dir: memorySource(files) }]);
    const t2 = performance.now();
    expect(again.summary.unchangedFiles).toBe(100_000);
    const listed = await listFolder(repo, snapshot.tree, 'many');
    const t3 = performance.now();
    expect(listed).toHaveLength(100_000);
    const target = new MemoryTarget();
    const report = await restore(repo, snapshot.tree, target);
    const t4 = performance.now();
    expect(report.counts.restored).toBe(100_000);
    console.log(`100k files: backup ${((t1 - t0) / 1000).toFixed(1)} s, unchanged ${((t2 - t1) / 1000).toFixed(1)} s, list ${((t3 - t2) / 1000).toFixed(1)} s, restore ${((t4 - t3) / 1000).toFixed(1)} s`);
  }, 600_000);
});
