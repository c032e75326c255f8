/**
 * The benchmark's engine worker: the same core engine, storage backends and platform adapters
 * the app's worker uses, driven by plain messages from bench-page.ts. Backs up a dropped on-disk
 * folder (read-only handle) into an OPFS folder repository or an IndexedDB repository, restores
 * into an empty OPFS folder and digests what it wrote so the driver can compare it with the
 * original. Not part of the app.
 */
import { backup } from '../../../src/core/operations/backup';
import { restore } from '../../../src/core/operations/restore';
import { Repository } from '../../../src/core/repository/repository';
import type { Backend } from '../../../src/core/ports/backend';
import { FsaBackend } from '../../../src/storage/fsa-backend';
import { IdbBackend } from '../../../src/storage/idb-backend';
import { fsaSource } from '../../../src/platform/fsa-source';
import { fsaTarget } from '../../../src/platform/fsa-target';
import { webHost } from '../../../src/platform/webcrypto-host';

type Kind = 'opfs' | 'idb';
interface Msg {
  id: number;
  op: 'init' | 'backup' | 'restore' | 'size' | 'digest' | 'clear';
  kind: Kind;
  source?: FileSystemDirectoryHandle;
  name?: string;
}

const host = webHost('browser');
const PASS = 'bench';

async function opfsDir(name: string, create = true): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create });
}

async function backendFor(kind: Kind): Promise<Backend & { close?(): Promise<void> }> {
  return kind === 'idb' ? IdbBackend.open('cairn-bench') : new FsaBackend(await opfsDir('bench-repo'));
}

async function withRepo<T>(kind: Kind, forWriting: boolean, f: (r: Repository) => Promise<T>): Promise<T> {
  const b = await backendFor(kind);
  try {
    return await f(await Repository.open(b, host, PASS, { forWriting }));
  } finally {
    await b.close?.();
  }
}

async function clear(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const r = indexedDB.deleteDatabase('cairn-bench');
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    r.onblocked = () => resolve();
  });
}

async function dirSize(dir: FileSystemDirectoryHandle): Promise<number> {
  let total = 0;
  for await (const h of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
    if (h.kind === 'directory') total += await dirSize(h as FileSystemDirectoryHandle);
    else total += (await (h as FileSystemFileHandle).getFile()).size;
  }
  return total;
}

async function repoSize(kind: Kind): Promise<number> {
  if (kind === 'opfs') return dirSize(await opfsDir('bench-repo'));
  const b = await backendFor(kind);
  let total = 0;
  try {
    for (const t of ['config', 'keys', 'data', 'index', 'snapshots'] as const) for await (const f of b.list(t)) total += f.size;
  } finally {
    await b.close?.();
  }
  return total;
}

/** "path\tsha256" for every file under the folder, sorted: compared with the original's. */
async function digest(dir: FileSystemDirectoryHandle, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const h of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
    const p = prefix ? `${prefix}/${h.name}` : h.name;
    if (h.kind === 'directory') out.push(...(await digest(h as FileSystemDirectoryHandle, p)));
    else {
      const bytes = new Uint8Array(await (await (h as FileSystemFileHandle).getFile()).arrayBuffer());
      const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      out.push(`${p}\t${Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')}`);
    }
  }
  return out;
}

async function handle(m: Msg): Promise<unknown> {
  switch (m.op) {
    case 'clear':
      return clear();
    case 'init': {
      const b = await backendFor(m.kind);
      try {
        await Repository.init(b, host, { passphrase: PASS });
      } finally {
        await b.close?.();
      }
      return null;
    }
    case 'backup':
      return withRepo(m.kind, true, async (repo) => {
        const r = await backup(repo, [{ name: m.source!.name, dir: fsaSource(m.source!) }]);
        return { addedBytes: r.summary.addedBytes, errors: r.errors.length };
      });
    case 'restore':
      return withRepo(m.kind, false, async (repo) => {
        const snaps = await repo.listSnapshots();
        const into = await opfsDir(m.name!);
        const report = await restore(repo, snaps[0]!.snapshot.tree, fsaTarget(into));
        return report.counts;
      });
    case 'size':
      return repoSize(m.kind);
    case 'digest':
      return (await digest(await opfsDir(m.name!, false))).sort();
  }
}

self.onmessage = async (e: MessageEvent<Msg>) => {
  const m = e.data;
  const started = performance.now();
  try {
    const result = await handle(m);
    postMessage({ id: m.id, ok: true, result, ms: performance.now() - started });
  } catch (err) {
    postMessage({ id: m.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err) });
  }
};
