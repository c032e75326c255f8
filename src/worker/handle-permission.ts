import { CairnError } from '../core/errors';

/** Chromium's permission methods on handles, not in TypeScript's DOM types yet. */
interface PermissionedHandle {
  queryPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

/**
 * Fails with CairnError('permission') unless the handle already has `mode` access. Never
 * prompts: asking the user needs a click in the page (`requestPermission`), which the worker
 * cannot give; the UI asks first, then hands the handle over. Hosts without `queryPermission`
 * (and OPFS, always granted) pass.
 */
export async function requirePermission(handle: FileSystemHandle, mode: 'read' | 'readwrite', what: string): Promise<void> {
  const query = (handle as FileSystemHandle & PermissionedHandle).queryPermission;
  if (typeof query !== 'function') return;
  const state = await query.call(handle, { mode });
  if (state !== 'granted') {
    throw new CairnError(
      'permission',
      `Cairn has no ${mode === 'read' ? 'read' : 'write'} permission for ${what} (${state}); choose the folder again to grant it.`,
    );
  }
}
