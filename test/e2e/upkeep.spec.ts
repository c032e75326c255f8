/**
 * History and upkeep end to end, in the built app: comparing two versions of a text file, a
 * picture's preview, restoring a version beside the current file, what changed between two
 * points in time, the time slider, pinning, "Keep versions" (preview of the points in time and
 * file versions that would go, confirmation, removal and prune), freeing space, a restore test
 * that passes and is recorded, stored-data verification coverage, and a restore test on a drive
 * whose stored data was damaged (the failure is the top warning). Accessibility, light and dark,
 * 1024 and 800 px wide.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectProblems, installFolderPicker, pickFolder, readTree, screenshot, writeTree } from './support/app-fixtures';
import { backUpNow, createRepositoryWithSource, expectNoAxeViolations, horizontalOverflow, PASSPHRASE } from './support/history-fixtures';
import { damageEveryPack, solidPng } from './support/upkeep-fixtures';

test.describe.configure({ mode: 'serial' });

const RED = solidPng(24, [200, 30, 30]);
const BLUE = solidPng(24, [30, 60, 200]);
const LETTER = ['Dear Ann,', 'thank you for the lovely day.', 'See you soon,', 'Bob'];
const letter = (lines: string[]) => `${lines.join('\n')}\n`;

let page: Page;
let problems: string[];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);
  await installFolderPicker(page);
  await page.goto('/');
  await writeTree(page, 'Docs', { 'letter.txt': letter(LETTER), 'pic.png': RED, 'notes/old.txt': 'an old note\n' });
  await createRepositoryWithSource(page, 'Docs');
  await backUpNow(page);
  await writeTree(page, 'Docs', { 'letter.txt': letter([LETTER[0]!, 'thank you for the lovely day and the cake.', ...LETTER.slice(2)]), 'pic.png': BLUE, 'new.txt': 'new\n' });
  await backUpNow(page);
  await writeTree(page, 'Docs', { 'letter.txt': letter([LETTER[0]!, 'thank you for the lovely day and the cake.', ...LETTER.slice(2), 'PS: the plants are fine.']) });
  await backUpNow(page);
});

test.afterAll(async () => {
  expect(problems).toEqual([]);
  await page.context().close();
});

async function openTab(name: string, heading: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
}

async function openVersions(file: string): Promise<void> {
  await openTab('History', 'History');
  await page.getByTestId('timeline-item').first().click();
  await page.getByRole('button', { name: 'Open folder Docs', exact: true }).click();
  await page.getByRole('button', { name: `Show versions of ${file}` }).click();
  await expect(page.getByTestId('versions-panel')).toContainText('3 different versions kept.');
}

test('two versions of a text file side by side', async () => {
  await openVersions('letter.txt');
  const boxes = page.getByTestId('versions-panel').getByRole('checkbox');
  await boxes.nth(2).check(); // the oldest
  await boxes.nth(1).check(); // the middle one
  const compare = page.getByTestId('version-compare');
  await expect(compare.getByTestId('compare-note')).toHaveText('1 line differ.');
  await expect(compare.locator('tr[data-kind="changed"]')).toHaveCount(1);
  await expect(compare.locator('tr[data-kind="changed"]')).toContainText('thank you for the lovely day.');
  await expect(compare.locator('tr[data-kind="changed"]')).toContainText('and the cake.');
  await boxes.nth(0).check(); // newest and middle: one line added
  await expect(compare.locator('tr[data-kind="added"]')).toContainText('PS: the plants are fine.');
  await expectNoAxeViolations(page, 'version compare');
  await screenshot(page, 'upkeep-history-compare');
});

test('a version restored beside the current file in two clicks', async () => {
  const oldest = page.getByTestId('version-item').nth(2);
  await oldest.getByRole('button', { name: 'Restore beside current' }).click();
  await oldest.getByRole('button', { name: 'Restore beside it' }).click();
  await expect(oldest.getByTestId('beside-done')).toContainText('beside the current file');
  const files = await readTree(page, 'Docs');
  const restored = Object.keys(files).find((n) => n.startsWith('letter (restored'));
  expect(restored).toBeTruthy();
  expect(files[restored!]!.toString()).toBe(letter(LETTER));
  expect(files['letter.txt']!.toString()).toContain('PS: the plants are fine.');
});

test('a picture version is shown', async () => {
  await page.getByTestId('versions-panel').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Show versions of pic.png' }).click();
  await expect(page.getByTestId('versions-panel')).toContainText('2 different versions kept.');
  await page.getByTestId('version-item').nth(1).getByRole('button', { name: 'Show picture' }).click();
  const img = page.getByTestId('image-preview').locator('img');
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(24);
  const colour = await img.evaluate((i: HTMLImageElement) => {
    const c = document.createElement('canvas');
    c.width = c.height = 24;
    const g = c.getContext('2d')!;
    g.drawImage(i, 0, 0);
    return [...g.getImageData(5, 5, 1, 1).data.slice(0, 3)];
  });
  expect(colour).toEqual([200, 30, 30]);
  await screenshot(page, 'upkeep-history-picture');
  await page.getByTestId('versions-panel').getByRole('button', { name: 'Close' }).click();
});

test('what changed between two points in time, everything and one folder', async () => {
  const diff = page.getByTestId('snapshot-diff');
  const times = await page.getByTestId('timeline-item').allInnerTexts();
  expect(times).toHaveLength(3);
  await diff.getByLabel('From').selectOption({ index: 2 }); // oldest
  await diff.getByLabel('To').selectOption({ index: 1 }); // middle
  await diff.getByRole('button', { name: 'Show changes' }).click();
  await expect(diff.getByTestId('diff-summary')).toContainText('1 item added, 0 items removed, 2 files changed');
  await expect(diff.locator('[data-kind="added"]')).toContainText('Docs/new.txt');
  await expect(diff.locator('[data-kind="changed"]')).toHaveCount(2);
  await diff.getByLabel('In one folder only (optional)').fill('Docs/notes');
  await diff.getByRole('button', { name: 'Show changes' }).click();
  await expect(diff.getByTestId('diff-summary')).toContainText('0 items added, 0 items removed, 0 files changed');
  await expectNoAxeViolations(page, 'snapshot diff');
  await diff.scrollIntoViewIfNeeded();
  await screenshot(page, 'upkeep-history-diff');
});

test('the time slider shows a folder as it was, by keyboard', async () => {
  const slider = page.getByTestId('time-slider');
  await slider.getByRole('button', { name: 'Docs/' }).click();
  await expect(slider.getByTestId('slider-list')).toContainText('new.txt');
  const input = slider.getByRole('slider');
  await input.focus();
  await page.keyboard.press('Home');
  await expect(slider.getByTestId('slider-list')).not.toContainText('new.txt');
  await expect(slider.getByTestId('slider-list')).toContainText('notes/');
  await page.keyboard.press('ArrowRight');
  await expect(slider.getByTestId('slider-list')).toContainText('new.txt');
  await expect(input).toHaveAttribute('aria-valuetext', /\d\d:\d\d/);
  await expectNoAxeViolations(page, 'time slider');
  await screenshot(page, 'upkeep-history-slider');
});

test('pinning, then a keep preview listing exactly what goes, then removal', async () => {
  // Pin the oldest point in time.
  await page.getByTestId('pin-button').nth(2).click();
  await expect(page.getByTestId('timeline-item').nth(2)).toContainText('Pinned');
  await openTab('Upkeep', 'Upkeep');
  const keep = page.getByTestId('keep-section');
  await keep.getByLabel(/Choose my own/).check();
  for (const label of ['Hours (one each)', 'Days (one each)', 'Weeks (one each)', 'Months (one each)', 'Years (one each)']) await keep.getByLabel(label).fill('');
  await keep.getByLabel('The last backups').fill('1');
  await keep.getByLabel('The last backups').blur();
  await keep.getByLabel('Keep the last copy of a deleted file for (days)').fill('0');
  await keep.getByLabel('Keep the last copy of a deleted file for (days)').blur();
  await keep.getByRole('button', { name: 'Preview what would be removed' }).click();
  const preview = keep.getByTestId('keep-preview');
  await expect(preview).toContainText('1 point in time would be removed, 2 are kept');
  await expect(preview.getByTestId('remove-item')).toHaveCount(1);
  // The middle backup goes: only its letter is in no kept point in time (its blue picture and
  // new.txt are in the newest one too).
  await expect(preview.getByTestId('lost-item')).toHaveCount(1);
  await expect(preview.getByTestId('lost-item')).toContainText('Docs/letter.txt');
  await expect(preview.getByTestId('lost-item')).toContainText('71 bytes');
  await expectNoAxeViolations(page, 'keep preview');
  await screenshot(page, 'upkeep-keep-preview');

  const remove = keep.getByRole('button', { name: /Remove 1 point in time/ });
  await expect(remove).toBeDisabled();
  await keep.getByLabel(/I understand/).check();
  await remove.click();
  await expect(keep.getByTestId('keep-done')).toContainText('Removed 1 point in time', { timeout: 60_000 });
  await expect(keep.getByTestId('bytes-freed')).not.toHaveText('0 bytes');
  await screenshot(page, 'upkeep-keep-done');

  // The pinned oldest and the newest remain, and both restore (the restore test proves it below).
  await openTab('History', 'History');
  await expect(page.getByTestId('timeline-item')).toHaveCount(2);
  await expect(page.getByTestId('timeline-item').nth(1)).toContainText('Pinned');

  // The choice was saved for this repository.
  await openTab('Upkeep', 'Upkeep');
  await expect(page.getByTestId('keep-section').getByLabel('The last backups')).toHaveValue('1');
});

test('free up space runs with progress and reports what it freed', async () => {
  const prune = page.getByTestId('prune-section');
  await prune.getByRole('button', { name: 'Free up space now' }).click();
  await expect(prune.getByTestId('prune-result')).toContainText('freed', { timeout: 60_000 });
});

test('a restore test passes and is recorded', async () => {
  const drill = page.getByTestId('drill-section');
  await expect(drill.getByTestId('drill-last')).toContainText('No restore test has run yet');
  await drill.getByRole('button', { name: 'Test a restore now' }).click();
  await expect(drill.getByTestId('drill-passed')).toContainText('restored and matched exactly', { timeout: 60_000 });
  await expect(drill.getByTestId('drill-last')).toContainText(/Last restore test: just now, passed: (\d+) of \1 files/);
  await expect(drill.getByTestId('drill-last')).toContainText('from 2 backups');
  // The scratch folder is gone.
  const left = await page.evaluate(async () => {
    const names: string[] = [];
    for await (const n of (await navigator.storage.getDirectory() as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(n);
    return names.filter((n) => n.startsWith('cairn-drill-'));
  });
  expect(left).toEqual([]);
});

test('verifying stored data shows its coverage', async () => {
  const scrub = page.getByTestId('scrub-section');
  await scrub.getByRole('button', { name: 'Verify stored data now' }).click();
  await expect(scrub.getByTestId('scrub-done')).toBeVisible({ timeout: 60_000 });
  // One run reads a day's share (a thirtieth, in whole storage files) of the stored data.
  await expect(scrub.getByTestId('scrub-coverage')).toContainText(/^[1-9]\d?% of [\d.]+ KB verified in the last 30 days\. No complete check yet\./);
  const meter = scrub.getByRole('progressbar', { name: 'Share of stored data verified' });
  expect(Number(await meter.getAttribute('value'))).toBeGreaterThan(0);
  await expectNoAxeViolations(page, 'upkeep');
  await screenshot(page, 'upkeep-light-1024');
  await page.setViewportSize({ width: 800, height: 900 });
  expect(await horizontalOverflow(page)).toBe(0);
  await screenshot(page, 'upkeep-light-800');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoAxeViolations(page, 'upkeep dark');
  await screenshot(page, 'upkeep-dark-800');
  await page.setViewportSize({ width: 1024, height: 900 });
  await screenshot(page, 'upkeep-dark-1024');
  await openTab('History', 'History');
  await page.getByRole('button', { name: 'Open folder Docs', exact: true }).click();
  await page.getByRole('button', { name: 'Show versions of letter.txt' }).click();
  await page.getByTestId('versions-panel').getByRole('checkbox').nth(0).check();
  await page.getByTestId('versions-panel').getByRole('checkbox').nth(1).check();
  await expect(page.getByTestId('version-compare')).toBeVisible();
  await expectNoAxeViolations(page, 'history dark');
  await screenshot(page, 'upkeep-history-dark-1024');
  await page.setViewportSize({ width: 800, height: 900 });
  expect(await horizontalOverflow(page)).toBe(0);
  await screenshot(page, 'upkeep-history-dark-800');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'upkeep-history-light-800');
  await page.setViewportSize({ width: 1024, height: 900 });
});

test('a restore test on a drive with damaged stored data fails and becomes the top warning', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const drive = await context.newPage();
  const driveProblems = collectProblems(drive);
  await installFolderPicker(drive);
  await drive.goto('/');
  await writeTree(drive, 'Photos', { 'a.txt': 'apples\n'.repeat(2000), 'b.txt': 'bananas\n'.repeat(3000), 'c/d.txt': 'dates\n'.repeat(1000) });
  await pickFolder(drive, 'drives/usb');
  await drive.getByRole('button', { name: 'Choose a folder or drive…' }).click();
  await drive.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await drive.getByLabel('Type it again').fill(PASSPHRASE);
  await drive.getByRole('button', { name: 'Create encrypted backups' }).click();
  await expect(drive.getByTestId('status-card')).toBeVisible({ timeout: 30_000 });
  await pickFolder(drive, 'Photos');
  await drive.getByRole('button', { name: 'Add a folder…' }).click();
  await backUpNow(drive);
  expect(await damageEveryPack(drive, 'drives/usb')).toBeGreaterThan(0);

  await drive.getByRole('tab', { name: 'Upkeep' }).click();
  await drive.getByTestId('drill-section').getByRole('button', { name: 'Test a restore now' }).click();
  const warning = drive.getByTestId('drill-warning');
  await expect(warning).toContainText('The last restore test failed', { timeout: 60_000 });
  await expect(warning.getByTestId('drill-failure').first()).toBeVisible();
  // The top warning of the screen: the first notice in it.
  await expect(drive.locator('.up .notice').first()).toHaveAttribute('data-testid', 'drill-warning');
  await expect(drive.getByTestId('drill-last')).toContainText('failed');

  // Verifying the stored data names the damaged files.
  await drive.getByTestId('scrub-section').getByRole('button', { name: 'Verify stored data now' }).click();
  await expect(drive.getByTestId('scrub-damage')).toBeVisible({ timeout: 60_000 });
  await expect(drive.getByTestId('scrub-affected')).toContainText('Photos');

  // Repair names exactly what is lost.
  await drive.getByTestId('repair-section').getByRole('button', { name: 'Repair now' }).click();
  await expect(drive.getByTestId('repair-result')).toBeVisible({ timeout: 60_000 });
  await expectNoAxeViolations(drive, 'upkeep with damage');
  await screenshot(drive, 'upkeep-damaged');
  expect(driveProblems.filter((p) => !p.includes('console error'))).toEqual([]);
  await context.close();
});
