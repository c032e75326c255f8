import { withTimeout } from './with-timeout';

/**
 * The page's side of folder permissions and pickers (Chromium's File System Access API; its
 * permission methods are not in TypeScript's DOM types yet).
 */
type Mode = 'read' | 'readwrite';
interface PermissionedHandle {
  queryPermission?(d: { mode: Mode }): Promise<PermissionState>;
  requestPermission?(d: { mode: Mode }): Promise<PermissionState>;
}
type Picker = (options?: { mode?: Mode; id?: string }) => Promise<FileSystemDirectoryHandle>;

/** How long a permission prompt may stay unanswered before we give up and say so. */
export const PERMISSION_TIMEOUT_MS = 60_000;

/** Whether this browser can pick folders at all. */
export function canPickFolders(): boolean {
  return typeof (window as unknown as { showDirectoryPicker?: Picker }).showDirectoryPicker === 'function';
}

/** Opens the folder picker; null when the user closed it. Other failures are thrown. */
export async function pickFolder(mode: Mode, id: string): Promise<FileSystemDirectoryHandle | null> {
  const picker = (window as unknown as { showDirectoryPicker?: Picker }).showDirectoryPicker;
  if (!picker) throw new Error('This browser cannot open folders. Try a recent Chrome or Edge.');
  try {
    return await picker.call(window, { mode, id });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return null;
    throw e;
  }
}

/** The current permission state without asking ('granted' where the host has no such API). */
export async function queryAccess(handle: FileSystemHandle, mode: Mode): Promise<PermissionState> {
  const h = handle as FileSystemHandle & PermissionedHandle;
  if (typeof h.queryPermission !== 'function') return 'granted';
  return h.queryPermission({ mode });
}

/**
 * Makes sure the handle has `mode` access, asking the user when needed. Must run inside a click
 * handler (the browser only prompts on a user gesture); gives up after PERMISSION_TIMEOUT_MS.
 * Resolves true when access is granted.
 */
export async function ensureAccess(handle: FileSystemHandle, mode: Mode): Promise<boolean> {
  const h = handle as FileSystemHandle & PermissionedHandle;
  if ((await queryAccess(handle, mode)) === 'granted') return true;
  if (typeof h.requestPermission !== 'function') return false;
  try {
    return (await withTimeout(h.requestPermission({ mode }), PERMISSION_TIMEOUT_MS, 'The permission request')) === 'granted';
  } catch {
    return false;
  }
}

/**
 * The folder handles of a drop. Calls `getAsFileSystemHandle()` on every item synchronously,
 * before any await (the item list empties after the first one); non-folders are left out.
 */
export function droppedFolders(event: DragEvent): Promise<FileSystemDirectoryHandle[]> {
  const items = [...(event.dataTransfer?.items ?? [])].filter((i) => i.kind === 'file');
  const pending = items.map((item) => {
    const get = (item as DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> }).getAsFileSystemHandle;
    return typeof get === 'function' ? get.call(item) : Promise.resolve(null);
  });
  return Promise.all(pending.map((p) => p.catch(() => null))).then((handles) =>
    handles.filter((h): h is FileSystemDirectoryHandle => h?.kind === 'directory'),
  );
}
