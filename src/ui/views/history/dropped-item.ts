import type { DroppedItem } from '../../../worker/protocol';

type HandleItem = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };

/**
 * The first file or folder of a drop, as the worker wants it. Reads every item handle
 * synchronously, before any await (the browser empties the item list after the first one, see
 * docs: TOOLCHAIN.md "Drops"). Folders are recognised by their handle or entry; a file's
 * contents travel as the File itself (read in the worker, never here). Null when nothing usable
 * was dropped.
 */
export function droppedItem(event: DragEvent): Promise<DroppedItem | null> {
  const item = [...(event.dataTransfer?.items ?? [])].find((i) => i.kind === 'file') as HandleItem | undefined;
  if (!item) return Promise.resolve(null);
  const file = item.getAsFile();
  const entry = item.webkitGetAsEntry?.() ?? null;
  const handle = typeof item.getAsFileSystemHandle === 'function' ? item.getAsFileSystemHandle().catch(() => null) : Promise.resolve(null);
  return handle.then((h) => {
    const name = h?.name ?? entry?.name ?? file?.name ?? '';
    if (name === '') return null;
    const isDir = h ? h.kind === 'directory' : entry ? entry.isDirectory : false;
    if (isDir) return { kind: 'dir', name };
    return file ? { kind: 'file', name, file } : null;
  });
}
