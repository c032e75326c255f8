/**
 * The worker's history helpers over a real engine in memory: name search, file and .zip
 * downloads (unzipped and compared byte for byte), finding a dropped file by name and by
 * content, and restoring one item beside the current file without its parent folders.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { backup, restore } from '../../../src/core';
import { besideTarget } from '../../../src/worker/beside-target';
import { locateDroppedItem } from '../../../src/worker/dropped-item-locator';
import { exportFile, exportZip } from '../../../src/worker/file-export';
import { searchNames } from '../../../src/worker/name-search';
import { newRepo } from '../../support/engine';
import { memorySource, MemoryTarget, seededBytes, type LiteralTree } from '../../support/memory-tree';

const photo = seededBytes(700 * 1024, 3);
const v1: LiteralTree = {
  'notes.txt': 'first version',
  docs: { 'Report Café.txt': 'report', deep: { 'photo.jpg': photo }, 'empty folder': {} },
};
const v2: LiteralTree = {
  'notes.txt': 'second version, longer',
  docs: { 'Report Café.txt': 'report', deep: {}, 'renamed.jpg': photo, 'empty folder': {} },
};

async function world() {
  const { repo } = await newRepo();
  const first = await backup(repo, [{ name: 'home', dir: memorySource(v1) }]);
  const second = await backup(repo, [{ name: 'home', dir: memorySource(v2) }]);
  const snapshots = await repo.listSnapshots(() => undefined);
  return { repo, first, second, snapshots };
}

async function collect(run: (sink: (p: Uint8Array) => void) => Promise<unknown>): Promise<{ bytes: Uint8Array; pieces: number }> {
  const parts: Uint8Array[] = [];
  await run((p) => void parts.push(p.slice()));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) (bytes.set(p, off), (off += p.length));
  return { bytes, pieces: parts.length };
}

describe('history helpers', () => {
  it('searches names ignoring case and accents, with a limit', async () => {
    const { repo, first } = await world();
    const found = await searchNames(repo, first.snapshot.tree, 'report cafe', 10);
    expect(found.hits.map((h) => h.path)).toEqual(['home/docs/Report Café.txt']);
    const all = await searchNames(repo, first.snapshot.tree, 'o', 2);
    expect(all.hits).toHaveLength(2);
    expect(all.truncated).toBe(true);
    expect((await searchNames(repo, first.snapshot.tree, '  ', 10)).hits).toEqual([]);
  });

  it('downloads one file and a .zip whose contents match the version', async () => {
    const { repo, first } = await world();
    const file = await collect((sink) => exportFile(repo, first.snapshot.tree, 'home/docs/deep/photo.jpg', sink, { pieceSize: 256 * 1024 }));
    expect(Buffer.from(file.bytes).equals(Buffer.from(photo))).toBe(true);
    expect(file.pieces).toBeGreaterThan(1);

    const progress: number[] = [];
    const zip = await collect((sink) =>
      exportZip(repo, first.snapshot.tree, ['home/docs', 'home/notes.txt'], sink, { onProgress: (p) => progress.push(p.bytesDone) }),
    );
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual([
      'home/',
      'home/docs/',
      'home/docs/Report Café.txt',
      'home/docs/deep/',
      'home/docs/deep/photo.jpg',
      'home/docs/empty folder/',
      'home/notes.txt',
    ]);
    expect(Buffer.from(entries['home/docs/deep/photo.jpg']!).equals(Buffer.from(photo))).toBe(true);
    expect(new TextDecoder().decode(entries['home/notes.txt'])).toBe('first version');
    expect(progress.at(-1)).toBe(photo.length + 'report'.length + 'first version'.length);
  });

  it('refuses a file download of a folder', async () => {
    const { repo, first } = await world();
    await expect(exportFile(repo, first.snapshot.tree, 'home/docs', () => undefined)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('finds a renamed file by content and a changed one by name', async () => {
    const { repo, snapshots } = await world();
    const dropped = new File([photo as Uint8Array<ArrayBuffer>], 'holiday.jpg');
    const byContent = await locateDroppedItem(repo, snapshots, { kind: 'file', name: dropped.name, file: dropped });
    expect(byContent.found.map((f) => [f.path, f.reason])).toEqual([
      ['home/docs/renamed.jpg', 'identical'],
      ['home/docs/deep/photo.jpg', 'identical'],
    ]);
    const notes = new File(['something else entirely'], 'NOTES.txt');
    const byName = await locateDroppedItem(repo, snapshots, { kind: 'file', name: notes.name, file: notes });
    expect(byName.found).toHaveLength(1);
    expect(byName.found[0]!.reason).toBe('name');
    expect(byName.found[0]!.versions).toHaveLength(2);
    const folder = await locateDroppedItem(repo, snapshots, { kind: 'dir', name: 'deep' });
    expect(folder.found.map((f) => [f.path, f.versions.length])).toEqual([['home/docs/deep', 2]]);
  });

  it('restores one item beside the current file, keeping the current one', async () => {
    const { repo, first } = await world();
    const target = new MemoryTarget({ 'notes.txt': 'today' });
    const report = await restore(repo, first.snapshot.tree, besideTarget(target, ['home']), { paths: ['home/notes.txt'], label: new Date(Date.UTC(2026, 0, 1, 10, 30)) });
    expect(report.decisions).toEqual([{ path: 'home/notes.txt', action: 'kept-both', writtenAs: 'notes (restored 2026-01-01 10.30).txt', reason: 'a different file exists there' }]);
    const after = target.toLiteral();
    expect(new TextDecoder().decode(after['notes.txt'] as Uint8Array)).toBe('today');
    expect(new TextDecoder().decode(after['notes (restored 2026-01-01 10.30).txt'] as Uint8Array)).toBe('first version');
    expect(Object.keys(after)).toHaveLength(2);
  });
});
