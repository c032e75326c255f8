import { isEngineError, type EngineClient } from '../../worker/client';
import type { RepositoryTarget } from '../../worker/protocol';
import { loadRememberedRepository } from './remembered-repository';
import type { SourceFolder } from './sources-context';

export type BackgroundResult =
  | { readonly kind: 'done'; readonly paths: readonly string[]; readonly problems: number }
  | { readonly kind: 'failed'; readonly message: string }
  /** This device remembers no key (or no place): scheduled backups wait for an unlock. */
  | { readonly kind: 'needs-unlock' };

/**
 * A scheduled backup while the backups are locked, possible only when this device remembers the
 * key ("remember on this device"): opens a separate worker session from the remembered key
 * handles, backs up `folders`, and locks that session again whatever happens. The app stays
 * locked. Never asks for anything (no click): a folder or drive without permission fails.
 */
export async function backupWhileLocked(client: EngineClient, folders: readonly SourceFolder[], exclude: readonly string[]): Promise<BackgroundResult> {
  const place = await loadRememberedRepository().catch(() => undefined);
  if (!place) return { kind: 'needs-unlock' };
  const target: RepositoryTarget = place.kind === 'browser' ? { kind: 'browser', name: place.name } : { kind: 'folder', handle: place.handle };
  let session: string;
  try {
    session = (await client.unlockRemembered(target)).session;
  } catch (e) {
    if (isEngineError(e, 'not-found') || isEngineError(e, 'wrong-passphrase')) return { kind: 'needs-unlock' };
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
  try {
    const report = await client.backup(session, folders.map((f) => ({ name: f.name, handle: f.handle })), { exclude: [...exclude] }).result;
    return { kind: 'done', paths: report.snapshot.paths, problems: report.problems.length };
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  } finally {
    await client.lock(session).catch(() => undefined);
  }
}
