/**
 * Playwright helpers shared by every e2e spec of the app.
 *
 * - `installFolderPicker(page)` (call before `page.goto`): replaces `window.showDirectoryPicker`
 *   with a stub returning OPFS folders (real FileSystemDirectoryHandles). The next pick is named by
 *   `pickFolder(page, 'source')` (a queue: several calls queue several picks) or by setting
 *   `window.__nextPickedFolder = 'source'` in the page; paths may be nested ('drives/usb'). The
 *   folder is created when missing. With nothing queued the stub throws an AbortError, like a
 *   user who closes the picker. The stub also records every call's options in
 *   `window.__pickerCalls`.
 * - `dropFolder(page, target, 'drives/usb')`: drops OPFS folders onto an element, the way the OS
 *   drops a folder: `DataTransferItem.prototype.getAsFileSystemHandle` is stubbed (headless drops
 *   resolve undefined, see TOOLCHAIN.md) to return the OPFS folder named like the dropped item.
 * - `writeTree(page, folder, tree)` / `readTree(page, folder)`: write files into an OPFS folder
 *   and read them back as Buffers (byte comparison); `removeEntry` deletes a file or folder.
 * - `collectProblems(page)`: console errors, page errors, failed requests and HTTP ≥ 400 from now
 *   on; assert `expect(problems).toEqual([])` at the end.
 * - `screenshot(page, name)`: a full-page PNG in test-results/screenshots/<name>.png.
 *
 * OPFS and IndexedDB live as long as the browser context: they survive `page.reload()`, and every
 * test starts empty.
 */
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';

export const SCREENSHOTS_DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** File contents for writeTree: text (UTF-8) or bytes. */
export type TreeContent = string | Uint8Array;
/** Relative file paths ('a/b.txt') to contents; a path ending in '/' makes an empty folder. */
export type Tree = Readonly<Record<string, TreeContent>>;

declare global {
  interface Window {
    __nextPickedFolder?: string;
    __pickedFolders?: string[];
    __pickerCalls?: unknown[];
  }
}

/** Installs the OPFS-backed `showDirectoryPicker` stub (before navigation; survives reloads). */
export async function installFolderPicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const opfsFolder = async (path: string): Promise<FileSystemDirectoryHandle> => {
      let dir = await navigator.storage.getDirectory();
      for (const part of path.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(part, { create: true });
      return dir;
    };
    window.__pickedFolders = [];
    window.__pickerCalls = [];
    const stub = async (options?: unknown): Promise<FileSystemDirectoryHandle> => {
      window.__pickerCalls?.push(options ?? null);
      const next = window.__pickedFolders?.shift() ?? window.__nextPickedFolder;
      window.__nextPickedFolder = undefined;
      if (!next) throw new DOMException('The user aborted a request.', 'AbortError');
      return opfsFolder(next);
    };
    Object.defineProperty(window, 'showDirectoryPicker', { value: stub, configurable: true, writable: true });

    // Headless drops never carry handles: answer with the OPFS folder named like the item's file.
    const proto = DataTransferItem.prototype as DataTransferItem & { getAsFileSystemHandle?: () => Promise<unknown> };
    proto.getAsFileSystemHandle = function (this: DataTransferItem) {
      const file = this.getAsFile();
      const path = file?.name.replace(/\|/g, '/');
      return path ? opfsFolder(path) : Promise.resolve(null);
    };
  });
}

/** Queues the OPFS folder the next `showDirectoryPicker()` call returns. */
export async function pickFolder(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => window.__pickedFolders?.push(p), path);
}

/**
 * Drops OPFS folders (created when missing) onto `target`: dragenter, dragover, drop. Needs
 * `installFolderPicker` (which installs the handle stub).
 */
export async function dropFolder(page: Page, target: Locator, ...paths: string[]): Promise<void> {
  const transfer = await page.evaluateHandle((ps) => {
    const dt = new DataTransfer();
    // '/' is not allowed in a file name: encode nesting as '|' (the stub decodes it).
    for (const p of ps) dt.items.add(new File([''], p.replace(/\//g, '|')));
    return dt;
  }, paths);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer: transfer });
}

function toBase64(content: TreeContent): string {
  return Buffer.from(typeof content === 'string' ? Buffer.from(content, 'utf8') : content).toString('base64');
}

/** Writes `tree` into the OPFS folder `folder` (nested paths allowed), replacing same-named files. */
export async function writeTree(page: Page, folder: string, tree: Tree): Promise<void> {
  const entries = Object.entries(tree).map(([path, content]) => [path, toBase64(content)] as const);
  await page.evaluate(
    async ({ folder, entries }) => {
      const open = async (dir: FileSystemDirectoryHandle, parts: string[]) => {
        for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
        return dir;
      };
      const root = await open(await navigator.storage.getDirectory(), folder.split('/').filter(Boolean));
      for (const [path, b64] of entries) {
        const parts = path.split('/');
        const name = parts.pop() ?? '';
        const dir = await open(root, parts.filter(Boolean));
        if (name === '') continue; // 'empty/': the folder alone
        const bin = atob(b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(bytes);
        await writable.close();
      }
    },
    { folder, entries },
  );
}

/** Every file below the OPFS folder `folder`, by relative path ('a/b.txt'), as bytes. */
export async function readTree(page: Page, folder: string): Promise<Record<string, Buffer>> {
  const raw = await page.evaluate(async (folder) => {
    let root = await navigator.storage.getDirectory();
    for (const part of folder.split('/').filter(Boolean)) root = await root.getDirectoryHandle(part);
    const out: Record<string, string> = {};
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
      for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
        else {
          const bytes = new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer());
          let bin = '';
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          out[`${prefix}${name}`] = btoa(bin);
        }
      }
    };
    await walk(root, '');
    return out;
  }, folder);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

/** Deletes a file or folder (recursively) below OPFS; `path` like 'source/a.txt'. */
export async function removeEntry(page: Page, path: string): Promise<void> {
  await page.evaluate(async (path) => {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop();
    if (!name) return;
    let dir = await navigator.storage.getDirectory();
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    await dir.removeEntry(name, { recursive: true });
  }, path);
}

/**
 * Starts collecting problems: console errors, uncaught page errors, failed requests and HTTP
 * responses ≥ 400. The returned array fills as they happen.
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Saves a full-page screenshot to test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${SCREENSHOTS_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
