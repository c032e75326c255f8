/**
 * The benchmark page: starts bench-worker in a module worker, accepts a folder dropped on the
 * page (the driver fakes the drop of an on-disk folder through the DevTools protocol) and relays
 * calls to the worker. Not part of the app.
 */
const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
let next = 0;
const waiting = new Map<number, (v: unknown) => void>();
worker.onmessage = (e: MessageEvent<{ id: number }>) => {
  waiting.get(e.data.id)?.(e.data);
  waiting.delete(e.data.id);
};

let dropped: FileSystemDirectoryHandle | null = null;
let dropSeen: Promise<FileSystemDirectoryHandle | null> | null = null;
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  // getAsFileSystemHandle must be called before the first await.
  const item = e.dataTransfer?.items[0] as (DataTransferItem & { getAsFileSystemHandle(): Promise<FileSystemHandle | null> }) | undefined;
  dropSeen = (item ? item.getAsFileSystemHandle() : Promise.resolve(null)).then((h) => (dropped = h as FileSystemDirectoryHandle | null));
});

Object.assign(globalThis, {
  benchDropped: async () => (dropSeen ? (await dropSeen)?.name ?? null : null),
  benchCall: (msg: Record<string, unknown>) =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      worker.postMessage({ ...msg, id, ...(msg.op === 'backup' ? { source: dropped } : {}) });
    }),
});
document.title = 'ready';
