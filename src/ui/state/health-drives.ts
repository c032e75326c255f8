import type { OpenRepository, RepositoryTarget, SnapshotInfo } from '../../worker/protocol';
import { lastBackupOf } from './health-logic';
import { getSetting, setSetting } from './settings-store';

/**
 * Every repository this browser has opened ("drives in rotation"), remembered in the settings
 * store (key 'known-repositories') by repository id, so a drive is recognised whatever path or
 * folder name it has today. For each, the newest backup of every source folder as seen the last
 * time it was unlocked. Holds handles and names only: never a passphrase or key.
 */
export interface KnownRepository {
  readonly id: string;
  /** The name chosen at creation (config `name`), when it has one. */
  readonly label?: string;
  readonly kind: 'browser' | 'folder';
  /** The browser repository's name, or the folder's name when last seen. */
  readonly place: string;
  readonly handle?: FileSystemDirectoryHandle;
  /** ms when last opened here. */
  readonly lastOpened: number;
  /** Source folder name → ms of its newest completed backup in this repository. */
  readonly newest: Readonly<Record<string, number>>;
}

const KEY = 'known-repositories';

export async function loadKnownRepositories(): Promise<KnownRepository[]> {
  return (await getSetting<KnownRepository[]>(KEY)) ?? [];
}

/** "Blue drive · 1a2b3c4d": how the app names a repository to the user. */
export function driveName(r: { readonly id: string; readonly label?: string | undefined; readonly place?: string }): string {
  return `${r.label ?? r.place ?? 'Cairn backup'} · ${r.id.slice(0, 8)}`;
}

/** Records that `repo` was opened from `target` at `now` (replacing an older handle or path). */
export async function recordOpened(repo: OpenRepository, target: RepositoryTarget, now: number): Promise<void> {
  const all = await loadKnownRepositories();
  const prev = all.find((r) => r.id === repo.id);
  const entry: KnownRepository = {
    id: repo.id,
    ...(repo.label !== undefined ? { label: repo.label } : prev?.label !== undefined ? { label: prev.label } : {}),
    kind: repo.kind,
    place: repo.name,
    ...(target.kind === 'folder' ? { handle: target.handle } : {}),
    lastOpened: now,
    newest: prev?.newest ?? {},
  };
  await setSetting(KEY, [...all.filter((r) => r.id !== repo.id), entry]);
}

/** Records the newest backup per source folder of an open repository's versions. */
export async function recordNewest(repositoryId: string, snapshots: readonly SnapshotInfo[]): Promise<void> {
  const all = await loadKnownRepositories();
  const i = all.findIndex((r) => r.id === repositoryId);
  const r = all[i];
  if (!r) return;
  const newest: Record<string, number> = {};
  for (const name of new Set(snapshots.flatMap((s) => s.paths))) {
    const t = lastBackupOf(snapshots, name);
    if (t !== null) newest[name] = t;
  }
  const next = [...all];
  next[i] = { ...r, newest };
  await setSetting(KEY, next);
}

/** The known repository whose folder handle is the same entry as `handle`, if any. */
export async function knownByHandle(handle: FileSystemDirectoryHandle): Promise<KnownRepository | undefined> {
  for (const r of await loadKnownRepositories()) {
    if (r.handle && (await r.handle.isSameEntry(handle).catch(() => false))) return r;
  }
  return undefined;
}

/** For each source folder: which repository holds its newest copy, and when it was made. */
export function newestCopies(known: readonly KnownRepository[]): { source: string; repository: KnownRepository; at: number }[] {
  const best = new Map<string, { repository: KnownRepository; at: number }>();
  for (const r of known) {
    for (const [source, at] of Object.entries(r.newest)) {
      const b = best.get(source);
      if (!b || at > b.at) best.set(source, { repository: r, at });
    }
  }
  return [...best].map(([source, v]) => ({ source, ...v })).sort((a, b) => a.source.localeCompare(b.source));
}
