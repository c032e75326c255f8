/**
 * Helpers for the History and Restore specs: a browser repository with backups made through the
 * UI, deterministic bytes, a file drop (the shared `dropFolder` drops folders only), accessibility
 * checks and page-wide overflow checks. Builds on app-fixtures.ts.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { pickFolder } from './app-fixtures';

export const PASSPHRASE = 'maple river candle orbit';

/** Deterministic bytes (xorshift32). */
export function seeded(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Creates an encrypted browser repository and adds `folder` (an OPFS folder) as a source. */
export async function createRepositoryWithSource(page: Page, folder: string): Promise<void> {
  await page.getByRole('button', { name: 'Keep backups in this browser' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type it again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted backups' }).click();
  await expect(page.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
  await pickFolder(page, folder);
  await page.getByRole('button', { name: 'Add a folder…' }).click();
  await expect(page.getByRole('list', { name: 'Folders to back up' })).toContainText(folder);
}

/** Runs "Back up now" on the Back up tab and waits for its summary. */
export async function backUpNow(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Back up' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-summary')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

/** Writes `count` small files of seeded bytes into an OPFS folder, in the page (fast). */
export async function writeManyFiles(page: Page, folder: string, count: number, size: number): Promise<void> {
  await page.evaluate(
    async ({ folder, count, size }) => {
      let dir = await navigator.storage.getDirectory();
      for (const part of folder.split('/')) dir = await dir.getDirectoryHandle(part, { create: true });
      for (let i = 0; i < count; i++) {
        const bytes = new Uint8Array(size);
        for (let j = 0; j < size; j++) bytes[j] = (i * 31 + j * 7) & 0xff;
        const w = await (await dir.getFileHandle(`file-${String(i).padStart(4, '0')}.bin`, { create: true })).createWritable();
        await w.write(bytes);
        await w.close();
      }
    },
    { folder, count, size },
  );
}

/**
 * Drops a file with these bytes onto `target` (dragenter, dragover, drop). Headless drops carry
 * no handles, and the shared stub answers every item with a folder: here the item answers with a
 * file handle of its name, as a real file drop does.
 */
export async function dropFile(page: Page, target: Locator, name: string, bytes: Uint8Array): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const proto = DataTransferItem.prototype as DataTransferItem & { getAsFileSystemHandle?: () => Promise<unknown> };
      proto.getAsFileSystemHandle = function (this: DataTransferItem) {
        const file = this.getAsFile();
        return Promise.resolve(file ? { kind: 'file', name: file.name } : null);
      };
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name));
      return dt;
    },
    { name, data: [...bytes] },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer: transfer });
}

/** Fails with every axe violation on the page, named by `screen`. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const summary = result.violations.map((v) => `${screen}: ${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** How far the page is wider than the window (0 when nothing overflows sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
