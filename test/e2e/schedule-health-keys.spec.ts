/**
 * Schedules, health at a glance and keys, end to end in the built app (folder pickers stubbed with
 * OPFS folders, support/app-fixtures.ts). Time is driven with Playwright's clock (`page.clock`):
 * it fakes the page's timers and Date, not the worker's, so snapshot times are real while the
 * scheduler's "now" is the test's.
 *
 * "Fresh browser profile" for the recovery key: a second browser context has its own IndexedDB and
 * OPFS (nothing remembered, no settings). The drive repository's files are read out of the first
 * context's OPFS folder and written into a folder of the new context, as if the drive were plugged
 * into another computer; the recovery words are then the only way in.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { collectProblems, installFolderPicker, pickFolder, readTree, screenshot, writeTree } from './support/app-fixtures';

const PASSPHRASE = 'maple river candle orbit';
const NEW_PASSPHRASE = 'harbour lantern quiet meadow';

declare global {
  interface Window {
    __notifications?: { title: string; body: string }[];
    __badges?: (number | 'cleared')[];
    __printed?: number;
  }
}

/** Spies on notifications, the app badge and window.print (before navigation). */
async function installSpies(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.__notifications = [];
    window.__badges = [];
    window.__printed = 0;
    const Real = window.Notification;
    class Spy extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.__notifications?.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Spy, configurable: true, writable: true });
    const nav = navigator as Navigator & { setAppBadge?: unknown; clearAppBadge?: unknown };
    nav.setAppBadge = async (n?: number) => void window.__badges?.push(n ?? 0);
    nav.clearAppBadge = async () => void window.__badges?.push('cleared');
    window.print = () => void (window.__printed = (window.__printed ?? 0) + 1);
  });
}

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${screen}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function create(page: Page, where: 'browser' | string, name: string): Promise<void> {
  if (where === 'browser') await page.getByRole('button', { name: 'Keep backups in this browser' }).click();
  else {
    await pickFolder(page, where);
    await page.getByRole('button', { name: /folder or drive/i }).first().click();
  }
  await expect(page.getByTestId('create-screen')).toBeVisible();
  await page.getByLabel('A name for these backups').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type it again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted backups' }).click();
  await expect(page.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
}

async function unlock(page: Page, passphrase: string, remember = false): Promise<void> {
  await expect(page.getByTestId('unlock-screen')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  if (remember) await page.getByLabel(/Remember on this device/).check();
  await page.getByRole('button', { name: 'Open backups' }).click();
}

async function addSource(page: Page, folder: string): Promise<void> {
  await pickFolder(page, folder);
  await page.getByRole('button', { name: 'Add a folder…' }).click();
  await expect(page.getByRole('list', { name: 'Folders to back up' })).toContainText(folder);
}

const versions = (page: Page) => page.getByTestId('status-last-backup');
const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

async function shoot(page: Page, name: string): Promise<void> {
  await screenshot(page, `shk-${name}`);
}

/** Light and dark at 1024 and 800 px wide. */
async function shootAll(page: Page, name: string): Promise<void> {
  for (const width of [1024, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await shoot(page, `${name}-${width}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, `${name}-${width}-dark`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1024, height: 900 });
}

test.describe.configure({ timeout: 240_000 });

test('a schedule backs up on time, an overdue backup catches up after reopening, with notifications, badge and health charts', async ({ context, page }) => {
  const origin = new URL(test.info().project.use.baseURL ?? 'http://127.0.0.1:4174').origin;
  await context.grantPermissions(['notifications'], { origin });
  await installSpies(context);
  await installFolderPicker(page);
  await page.clock.install();
  const problems = collectProblems(page);
  await page.goto('/');
  await create(page, 'browser', 'Laptop backups');
  await writeTree(page, 'Documents', { 'a.txt': 'first', 'b.bin': 'x'.repeat(200_000) });
  await addSource(page, 'Documents');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-summary')).toBeVisible({ timeout: 45_000 });
  await expect(versions(page)).toContainText('1 version');

  // Settings: an hourly schedule, notifications on.
  await tab(page, 'Settings');
  await expect(page.getByTestId('notifications-state')).toHaveText('Notifications are on.');
  await page.getByLabel('How often').selectOption('hourly');
  await expect(page.getByLabel('I can afford to lose at most')).toHaveValue('2');
  // Locked backups pause schedules: this test leaves the app untouched for an hour, so no idle lock.
  await page.getByLabel('Lock the backups after').selectOption('0');
  await expect(page.getByTestId('web-app-honesty')).toContainText('no backup runs');
  await expectNoAxeViolations(page, 'settings');
  await shootAll(page, 'settings-schedules');

  // On time: nothing before the hour, a backup at the hour.
  await tab(page, 'Health');
  await expect(page.getByTestId('source-schedule')).toContainText('Every hour · next');
  await writeTree(page, 'Documents', { 'a.txt': 'second' });
  await page.clock.fastForward('50:00');
  await tab(page, 'Back up');
  await expect(versions(page)).toContainText('1 version');
  await page.clock.fastForward('10:30');
  await expect(versions(page)).toContainText('2 versions', { timeout: 45_000 });

  // Closed for three hours: reopening starts the overdue backup within a minute of unlocking.
  await page.close();
  await context.clock.fastForward('03:00:00');
  const reopened = await context.newPage();
  const problems2 = collectProblems(reopened);
  await reopened.goto('/');
  await writeTree(reopened, 'Documents', { 'c.txt': 'third' });
  await unlock(reopened, PASSPHRASE);
  const openedAt = await reopened.evaluate(() => Date.now());
  await tab(reopened, 'Health');
  await expect(reopened.getByTestId('overdue-warning')).toBeVisible();
  await shoot(reopened, 'health-overdue');
  await tab(reopened, 'Back up');
  await expect(versions(reopened)).toContainText('3 versions', { timeout: 60_000 });
  expect((await reopened.evaluate(() => Date.now())) - openedAt).toBeLessThan(60_000);

  // Overdue was notified and put on the badge, then cleared by the catch-up.
  const notes = await reopened.evaluate(() => window.__notifications ?? []);
  expect(notes.map((n) => n.title)).toContain('Backup overdue');
  expect(notes.find((n) => n.title === 'Backup overdue')?.body).toContain('Documents');
  const badges = await reopened.evaluate(() => window.__badges ?? []);
  expect(badges).toContain(1);
  await expect.poll(() => reopened.evaluate(() => window.__badges?.at(-1))).toBe('cleared');

  // Health at a glance with real data.
  await tab(reopened, 'Health');
  await expect(reopened.getByTestId('home-headline')).toHaveText('Yes: every folder has a recent backup.');
  await expect(reopened.getByTestId('source-health')).toHaveAttribute('data-level', 'green');
  await expect(reopened.getByTestId('source-health-words')).toHaveText('Safe');
  await expect(reopened.getByTestId('home-repository')).toContainText('Laptop backups');
  await expect(reopened.locator('[data-testid="chart-size"] svg path.chart__line')).toHaveCount(1);
  await expect(reopened.locator('[data-testid="chart-size"] svg circle')).toHaveCount(3);
  await expect(reopened.locator('[data-testid="chart-added"] svg rect')).toHaveCount(3);
  await expect(reopened.getByTestId('chart-size').locator('figcaption')).toContainText('over 3 backups');
  await expect(reopened.getByTestId('chart-added').locator('figcaption')).toContainText('new data in 3 backups');
  await expect(reopened.getByTestId('chart-added').locator('table tbody tr')).toHaveCount(3);
  await expect(reopened.getByTestId('storage-size')).toContainText('files');
  await expect(reopened.getByTestId('storage-free')).toContainText('left for Cairn');
  await expect(reopened.getByTestId('storage-forecast')).toContainText('Not enough history yet');
  await expect(reopened.getByTestId('known-drive')).toContainText('Laptop backups');
  await expect(reopened.getByTestId('newest-copies')).toContainText('Documents');
  await expect(reopened.getByTestId('proof-drill')).not.toBeEmpty();
  await expect(reopened.getByTestId('proof-scrub')).not.toBeEmpty();
  await expectNoAxeViolations(reopened, 'health');
  await shootAll(reopened, 'health');
  await tab(reopened, 'Settings');
  await shoot(reopened, 'notifications-on');
  expect([...problems, ...problems2]).toEqual([]);
});

test('passphrase change, recovery key typed back and used on a fresh profile, remember on this device, idle lock', async ({ browser, context, page }) => {
  await installSpies(context);
  await installFolderPicker(page);
  await page.clock.install();
  const problems = collectProblems(page);
  await page.goto('/');
  await create(page, 'drives/usb', 'Blue USB drive');
  await writeTree(page, 'Photos', { 'cat.txt': 'meow' });
  await addSource(page, 'Photos');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-summary')).toBeVisible({ timeout: 45_000 });

  // Change the passphrase (a wrong current one changes nothing).
  await tab(page, 'Settings');
  const change = page.getByTestId('change-passphrase');
  await change.getByLabel('Current passphrase').fill('not it at all');
  await change.getByLabel('New passphrase').fill(NEW_PASSPHRASE);
  await change.getByLabel('Type the new one again').fill(NEW_PASSPHRASE);
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByTestId('change-error')).toContainText('not right');
  await change.getByLabel('Current passphrase').fill(PASSPHRASE);
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByTestId('change-done')).toBeVisible({ timeout: 30_000 });

  // Recovery key: shown once, printable, three words typed back.
  await page.getByRole('button', { name: 'Create a recovery key' }).click();
  const list = page.getByTestId('recovery-words');
  await expect(list.locator('li')).toHaveCount(17, { timeout: 30_000 });
  const words = await list.locator('li').allTextContents();
  await expectNoAxeViolations(page, 'keys');
  await shootAll(page, 'recovery-words');
  await page.getByRole('button', { name: 'Printable page…' }).click();
  await expect(page.getByTestId('printable-recovery')).toContainText('Blue USB drive');
  await page.getByTestId('printable-recovery').getByRole('button', { name: 'Print' }).click();
  expect(await page.evaluate(() => window.__printed)).toBe(1);
  await shoot(page, 'recovery-printable');
  await page.emulateMedia({ media: 'print' });
  await shoot(page, 'recovery-printable-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'I have written them down' }).click();
  const labels = await page.getByTestId('recovery-confirm').locator('label').allTextContents();
  expect(labels).toHaveLength(3);
  for (const label of labels) await page.getByLabel(label, { exact: true }).fill('wrong');
  await page.getByRole('button', { name: 'Check the words' }).click();
  await expect(page.getByTestId('recovery-error')).toContainText('not match');
  for (const label of labels) {
    const n = Number(label.replace('Word ', ''));
    await page.getByLabel(label, { exact: true }).fill(words[n - 1]!.slice(0, 4).toUpperCase());
  }
  await shoot(page, 'recovery-confirm');
  await page.getByRole('button', { name: 'Check the words' }).click();
  await expect(page.getByTestId('recovery-saved')).toBeVisible();
  await expect(page.getByTestId('key-list')).toContainText('Recovery key');
  await expect(page.getByTestId('key-list')).not.toContainText('not confirmed');
  await shootAll(page, 'keys');

  // Lock: the old passphrase is refused, the new one opens.
  await tab(page, 'Back up');
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByTestId('unlock-drive')).toContainText('Blue USB drive');
  await unlock(page, PASSPHRASE);
  await expect(page.getByTestId('unlock-error')).toContainText('not right');
  await unlock(page, NEW_PASSPHRASE, true);
  await expect(page.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });

  // Remembered on this device: a reload opens without a passphrase.
  await page.reload();
  await expect(page.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
  await tab(page, 'Settings');
  await expect(page.getByTestId('keys-need-passphrase')).toBeVisible();
  await expect(page.getByTestId('device-remembered')).toContainText('remembers the key');
  await shootAll(page, 'device-remembered');

  await page.getByLabel('How often').selectOption('hourly');

  // Idle lock after 15 minutes: the session locks; the remembered key is offered, not used.
  await page.clock.fastForward('15:30');
  await expect(page.getByTestId('unlock-screen')).toBeVisible({ timeout: 15_000 });
  await shoot(page, 'idle-locked');
  // Still locked an hour later: the scheduled backup runs with the remembered key, the app stays locked.
  await writeTree(page, 'Photos', { 'dog.txt': 'woof' });
  await page.clock.fastForward('01:00:00');
  await page.getByRole('button', { name: 'Open with the key remembered here' }).click();
  await expect(page.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('status-last-backup')).toContainText('2 versions', { timeout: 30_000 });

  // Forget this device: the passphrase is asked again.
  await tab(page, 'Settings');
  await page.getByRole('button', { name: 'Forget this device' }).click();
  await expect(page.getByTestId('device-remembered')).toContainText('does not remember');
  await page.reload();
  await expect(page.getByTestId('unlock-screen')).toBeVisible({ timeout: 30_000 });
  expect(problems).toEqual([]);

  // A fresh profile: the drive's files copied into a new context; only the recovery words open it.
  const files = await readTree(page, 'drives/usb');
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await installFolderPicker(other);
  await other.goto('/');
  await writeTree(other, 'elsewhere/usb-copy', Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)])));
  await pickFolder(other, 'elsewhere/usb-copy');
  await other.getByRole('button', { name: /folder or drive/i }).first().click();
  await expect(other.getByTestId('unlock-screen')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByText('passphrase or recovery key')).toBeVisible();
  await shoot(other, 'unlock-recovery');
  await unlock(other, `  ${words.join('   ').toUpperCase()} `);
  await expect(other.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('status-last-backup')).toContainText('2 versions');
  await fresh.close();
});
