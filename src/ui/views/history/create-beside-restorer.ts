import { createSignal, type Accessor } from 'solid-js';
import type { FileVersionInfo } from '../../../worker/protocol';
import { ensureAccess } from '../../lib/folder-access';
import { useEngine } from '../../state/engine-context';
import { useSources } from '../../state/sources-context';
import { errorText } from './error-text';

export type BesideState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'confirm'; readonly version: FileVersionInfo; readonly folder: string }
  | { readonly kind: 'running'; readonly version: FileVersionInfo }
  | { readonly kind: 'done'; readonly version: FileVersionInfo; readonly writtenAs: string; readonly identical: boolean }
  | { readonly kind: 'failed'; readonly version: FileVersionInfo; readonly message: string };

export interface BesideRestorer {
  readonly state: Accessor<BesideState>;
  /** Whether `path` lies in a source folder this device backs up (so "beside" has a place). */
  canRestoreBeside(path: string): boolean;
  /** First click: asks to confirm, naming the folder. */
  ask(path: string, version: FileVersionInfo): void;
  /** Second click: restores the version next to the current file, never replacing it. */
  confirm(path: string): Promise<void>;
  reset(): void;
}

/**
 * Restoring an old version of a file beside the current one, in two clicks: the folder is the one
 * the file was backed up from (a source folder of this device), the old version gets a name of
 * its own ("letter (restored 2026-03-03 14.05).txt") and the current file is never touched.
 */
export function createBesideRestorer(): BesideRestorer {
  const engine = useEngine();
  const sources = useSources();
  const [state, setState] = createSignal<BesideState>({ kind: 'idle' });
  const sourceOf = (path: string) => sources.state.folders.find((f) => f.name === path.split('/')[0]);

  return {
    state,
    canRestoreBeside: (path) => sourceOf(path) !== undefined && path.includes('/'),
    ask(path, version) {
      const parts = path.split('/');
      setState({ kind: 'confirm', version, folder: parts.slice(0, -1).join('/') });
    },
    async confirm(path) {
      const s = state();
      const repo = engine.repo();
      const source = sourceOf(path);
      if (s.kind !== 'confirm' || !repo || !source) return;
      setState({ kind: 'running', version: s.version });
      engine.setBusy(true);
      try {
        if (!(await ensureAccess(source.handle, 'readwrite'))) throw new Error(`Cairn was not allowed to write into “${source.name}”.`);
        let folder = source.handle;
        for (const part of path.split('/').slice(1, -1)) folder = await folder.getDirectoryHandle(part);
        const report = await engine.client.restore(repo.session, s.version.firstSnapshot, [path], folder, { mode: 'keep-both', verify: true, withoutParentFolders: true }).result;
        const d = report.decisions.find((x) => x.path === path) ?? report.decisions[0];
        if (!d || d.action === 'failed') throw new Error(d?.reason ?? 'the version could not be restored');
        setState({ kind: 'done', version: s.version, writtenAs: d.writtenAs ?? path.slice(path.lastIndexOf('/') + 1), identical: d.action === 'identical' });
      } catch (e) {
        setState({ kind: 'failed', version: s.version, message: e instanceof DOMException && e.name === 'NotFoundError' ? 'The folder the file was in no longer exists: use “Restore this version…” to choose a folder.' : errorText(e) });
      } finally {
        engine.setBusy(false);
      }
    },
    reset: () => setState({ kind: 'idle' }),
  };
}
