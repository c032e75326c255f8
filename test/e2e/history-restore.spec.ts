/**
 * History and Restore end to end, in the built app: two backups made through the UI, the
 * timeline, browsing and search, a changed file's versions, restoring the first version (preview,
 * run, byte comparison), restoring into a folder that has files (nothing existing changes),
 * cancelling, downloads (a file and a .zip, unzipped here), finding a renamed file by dropping it,
 * accessibility, light and dark, 1024 and 800 px wide.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { collectProblems, installFolderPicker, pickFolder, readTree, screenshot, writeTree, type Tree } from './support/app-fixtures';
import { backUpNow, createRepositoryWithSource, dropFile, expectNoAxeViolations, horizontalOverflow, seeded, writeManyFiles } from './support/history-fixtures';

test.describe.configure({ mode: 'serial' });

const CAT = seeded(300_000, 7);
const FIRST: Tree = {
  'letter.txt': 'Dear Ann,\nthank you for the lovely day.\n',
  'notes/todo.md': '- water the plants\n',
  'notes/recipes/soup.txt': 'leeks, potatoes, stock\n',
  'photos/cat.jpg': CAT,
};
const LETTER_2 = 'Dear Ann,\nthank you for the lovely day and the cake.\n';

let page: Page;
let problems: string[];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  problems = collectProblems(page);
  await installFolderPicker(page);
  await page.goto('/');
  await writeTree(page, 'Documents', FIRST);
  await writeManyFiles(page, 'Documents/many', 300, 2048);
  await createRepositoryWithSource(page, 'Documents');
  await backUpNow(page);
  // The second backup: the letter changed, the cat photo was renamed, a new file appeared.
  await writeTree(page, 'Documents', { 'letter.txt': LETTER_2, 'photos/kitty.jpg': CAT, 'new.txt': 'new\n' });
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const photos = await (await root.getDirectoryHandle('Documents')).getDirectoryHandle('photos');
    await photos.removeEntry('cat.jpg');
  });
  await backUpNow(page);
});

test.afterAll(async () => {
  expect(problems).toEqual([]);
  await page.context().close();
});

async function openHistory(): Promise<void> {
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 2 })).toBeVisible();
}

const timelineItems = () => page.getByTestId('timeline-item');

/** Ticks the row named `name` in the folder list. */
async function tick(name: string): Promise<void> {
  await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
}

async function openFolder(name: string): Promise<void> {
  await page.getByRole('button', { name: `Open folder ${name}`, exact: true }).click();
}

test('the timeline lists both backups newest first, with what changed', async () => {
  await openHistory();
  await expect(timelineItems()).toHaveCount(2);
  await expect(timelineItems().first()).toContainText(/^Today \d\d:\d\d/);
  await expect(timelineItems().first()).toContainText('2 new, 1 changed');
  await expect(timelineItems().first()).toHaveAttribute('aria-current', 'true');
  await expect(timelineItems().nth(1)).toContainText('304 new');
  await expect(timelineItems().nth(1)).toContainText('304 files');
  await expectNoAxeViolations(page, 'timeline');
  await screenshot(page, 'history-timeline');
});

test('browse folders and search by name', async () => {
  await openFolder('Documents');
  await openFolder('notes');
  await expect(page.getByRole('navigation', { name: 'Folder path', exact: true })).toContainText('All folders›Documents›notes');
  await expect(page.getByTestId('folder-list')).toContainText('todo.md');
  await page.getByRole('button', { name: 'Documents', exact: true }).click();
  await expect(page.getByTestId('folder-list')).toContainText('letter.txt');

  await page.getByLabel('Search by name').fill('SOUP');
  await expect(page.getByTestId('search-note')).toHaveText('1 match.');
  await expect(page.getByTestId('folder-list')).toContainText('soup.txt');
  await expect(page.getByTestId('folder-list')).toContainText('in Documents/notes/recipes');
  await expectNoAxeViolations(page, 'search');
  await screenshot(page, 'history-search');
  await page.getByLabel('Search by name').fill('nothing-like-this');
  await expect(page.getByTestId('search-note')).toContainText('Nothing named like');
  await page.getByLabel('Search by name').fill('');
});

test('a changed file shows its versions', async () => {
  await page.getByRole('button', { name: 'Show versions of letter.txt' }).click();
  const panel = page.getByTestId('versions-panel');
  await expect(panel).toContainText('2 different versions kept.');
  await expect(panel.getByTestId('version-item')).toHaveCount(2);
  await expect(panel.getByTestId('version-item').first()).toContainText('Newest');
  await expect(panel.getByTestId('version-item').first()).toContainText(`${LETTER_2.length} bytes`);
  await expectNoAxeViolations(page, 'versions');
  await screenshot(page, 'history-versions');
  await panel.getByRole('button', { name: 'Close' }).click();
});

test('restore the first version of chosen files into an empty folder: preview, then exact bytes', async () => {
  await timelineItems().nth(1).click();
  await openFolder('Documents');
  await tick('letter.txt');
  await tick('photos');
  await openFolder('notes');
  await tick('todo.md');
  await expect(page.getByTestId('selection-count')).toHaveText('3 items chosen');
  await screenshot(page, 'restore-selection');
  await page.getByRole('button', { name: 'Restore chosen…' }).click();

  const flow = page.getByTestId('restore-flow');
  await expect(flow.getByRole('heading', { level: 3 })).toContainText('Restore 3 items from Today');
  await expect(flow.getByRole('radio', { name: /Keep both/ })).toBeChecked();
  await expect(flow.getByRole('button', { name: 'Preview restore' })).toBeDisabled();
  await pickFolder(page, 'Restored');
  await flow.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(flow.getByTestId('restore-folder')).toHaveText('“Restored”');
  await expectNoAxeViolations(page, 'restore-setup');
  await screenshot(page, 'restore-setup');

  await flow.getByRole('button', { name: 'Preview restore' }).click();
  const preview = flow.getByTestId('restore-preview');
  await expect(preview).toContainText('3 filesWill be restored (nothing of that name is there)');
  expect(await readTree(page, 'Restored')).toEqual({}); // a preview writes nothing
  await preview.getByText('3 files').click(); // open the full list
  await expect(preview).toContainText('Documents/photos/cat.jpg');
  await expectNoAxeViolations(page, 'restore-preview');
  await screenshot(page, 'restore-preview');

  await flow.getByRole('button', { name: 'Restore 3 files' }).click();
  const report = flow.getByTestId('restore-report');
  await expect(report).toContainText('Restore finished: 3 files written');
  await expect(report).toContainText('Every restored file was read back and checked.');
  const restored = await readTree(page, 'Restored');
  expect(Object.keys(restored).sort()).toEqual(['Documents/letter.txt', 'Documents/notes/todo.md', 'Documents/photos/cat.jpg']);
  expect(restored['Documents/letter.txt']!.toString()).toBe(FIRST['letter.txt']);
  expect(restored['Documents/notes/todo.md']!.toString()).toBe(FIRST['notes/todo.md']);
  expect(Buffer.from(CAT).equals(restored['Documents/photos/cat.jpg']!)).toBe(true);
  await expectNoAxeViolations(page, 'restore-report');
  await screenshot(page, 'restore-report');
  await flow.getByRole('button', { name: 'Close' }).click();
});

test('restoring into a folder that has files changes nothing that exists, and keeps both side by side', async () => {
  const existing: Tree = { 'Documents/letter.txt': 'my newer letter\n', 'Documents/notes/todo.md': FIRST['notes/todo.md']!, 'Documents/other.txt': 'mine' };
  await writeTree(page, 'Busy', existing);
  const before = await readTree(page, 'Busy');
  await page.getByRole('navigation', { name: 'Folder path', exact: true }).getByRole('button', { name: 'All folders' }).click();
  await tick('Documents');
  await page.getByRole('button', { name: 'Restore chosen…' }).click();
  const flow = page.getByTestId('restore-flow');
  await pickFolder(page, 'Busy');
  await flow.getByRole('button', { name: 'Choose folder…' }).click();
  await flow.getByRole('button', { name: 'Preview restore' }).click();
  const preview = flow.getByTestId('restore-preview');
  await expect(preview.locator('[data-action="kept-both"]')).toContainText('1 file');
  await expect(preview.locator('[data-action="identical"]')).toContainText('1 file');
  await preview.locator('[data-action="kept-both"] summary').click();
  await expect(preview).toContainText(/will be saved as “letter \(restored \d{4}-\d\d-\d\d \d\d\.\d\d\)\.txt”/);
  await screenshot(page, 'restore-preview-conflicts');

  await flow.getByRole('button', { name: /^Restore \d+ files$/ }).click();
  const report = flow.getByTestId('restore-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  await report.locator('[data-action="kept-both"] summary').click();
  await expect(report).toContainText(/saved as “letter \(restored [^”]+\)\.txt”/);
  const after = await readTree(page, 'Busy');
  for (const [path, bytes] of Object.entries(before)) expect(after[path]?.equals(bytes), path).toBe(true);
  const side = Object.keys(after).find((p) => /^Documents\/letter \(restored .+\)\.txt$/.test(p));
  expect(side && after[side]!.toString()).toBe(FIRST['letter.txt']);
  expect(Object.keys(after).filter((p) => p.includes('.cairn-partial'))).toEqual([]);
  await screenshot(page, 'restore-report-conflicts');
  await flow.getByRole('button', { name: 'Close' }).click();
});

test('a restore can be cancelled; what was written is complete', async () => {
  const flowStart = async () => {
    await page.getByRole('button', { name: 'Restore chosen…' }).click();
    await pickFolder(page, 'Cancelled');
    await page.getByTestId('restore-flow').getByRole('button', { name: 'Choose folder…' }).click();
    await page.getByTestId('restore-flow').getByRole('button', { name: 'Preview restore' }).click();
  };
  await page.getByRole('checkbox', { name: 'Select Documents' }).uncheck();
  await openFolder('Documents');
  await tick('many');
  await flowStart();
  const flow = page.getByTestId('restore-flow');
  await flow.getByRole('button', { name: 'Restore 300 files' }).click();
  await expect(flow.getByTestId('restore-progress')).toBeVisible();
  await expect(flow.getByTestId('restore-progress')).toContainText(/of 300 files/);
  await screenshot(page, 'restore-progress');
  await flow.getByRole('button', { name: 'Cancel' }).click();
  await expect(flow.getByTestId('restore-cancelled')).toBeVisible();
  const written = await readTree(page, 'Cancelled');
  const names = Object.keys(written);
  expect(names.length).toBeLessThan(300);
  expect(names.filter((p) => p.includes('.cairn-partial'))).toEqual([]);
  for (const [path, bytes] of Object.entries(written)) expect(bytes.length, path).toBe(2048);
  await flow.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('checkbox', { name: 'Select many' }).uncheck();
});

test('download one file and a .zip of a selection', async () => {
  await tick('letter.txt');
  const fileDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  const file = await fileDownload;
  expect(file.suggestedFilename()).toBe('letter.txt');
  expect(readFileSync((await file.path())!).toString()).toBe(FIRST['letter.txt']);
  await expect(page.getByTestId('download-status')).toContainText('Saved “letter.txt”');

  await tick('notes');
  await tick('photos');
  const zipDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as .zip' }).click();
  const zip = await zipDownload;
  expect(zip.suggestedFilename()).toMatch(/^Cairn files \d{4}-\d\d-\d\d \d\d\.\d\d\.zip$/);
  const entries = unzipSync(new Uint8Array(readFileSync((await zip.path())!)));
  expect(Object.keys(entries).filter((k) => !k.endsWith('/')).sort()).toEqual([
    'Documents/letter.txt',
    'Documents/notes/recipes/soup.txt',
    'Documents/notes/todo.md',
    'Documents/photos/cat.jpg',
  ]);
  expect(Buffer.from(entries['Documents/photos/cat.jpg']!).equals(Buffer.from(CAT))).toBe(true);
  expect(new TextDecoder().decode(entries['Documents/notes/recipes/soup.txt'])).toBe(FIRST['notes/recipes/soup.txt']);
  await page.getByRole('button', { name: 'Clear choice' }).click();
});

test('dropping a renamed file finds it by content and restores it beside the current one', async () => {
  await dropFile(page, page.getByTestId('drop-zone'), 'kitty-renamed.jpg', CAT);
  const results = page.getByTestId('drop-results');
  await expect(results).toContainText('was found in 2 places');
  await expect(results.getByTestId('drop-place').first()).toContainText('Same content as your file');
  await expect(results).toContainText('Documents/photos/kitty.jpg');
  await expect(results).toContainText('Documents/photos/cat.jpg');
  await expectNoAxeViolations(page, 'drop-result');
  await screenshot(page, 'drop-result');

  await writeTree(page, 'Desk', { 'cat.jpg': 'a different picture' });
  const place = results.getByTestId('drop-place').filter({ hasText: 'Documents/photos/cat.jpg' });
  await place.getByRole('button', { name: 'Restore beside it…' }).click();
  const flow = page.getByTestId('restore-flow');
  await pickFolder(page, 'Desk');
  await flow.getByRole('button', { name: 'Choose folder…' }).click();
  await flow.getByRole('button', { name: 'Preview restore' }).click();
  await flow.getByRole('button', { name: 'Restore 1 file' }).click();
  await expect(flow.getByTestId('restore-report')).toContainText('Restore finished: 1 file written');
  const desk = await readTree(page, 'Desk');
  expect(desk['cat.jpg']!.toString()).toBe('a different picture');
  const side = Object.keys(desk).find((p) => /^cat \(restored .+\)\.jpg$/.test(p));
  expect(side && Buffer.from(CAT).equals(desk[side]!)).toBe(true);
  expect(Object.keys(desk)).toHaveLength(2);
});

test('light and dark, 1024 and 800 px wide, without sideways scrolling', async () => {
  await page.getByRole('tab', { name: 'Restore' }).click();
  await expect(page.getByRole('heading', { name: 'Restore', level: 2 })).toBeVisible();
  await expectNoAxeViolations(page, 'restore-tab');
  await screenshot(page, 'restore-tab');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1024, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await openHistory();
      expect(await horizontalOverflow(page), `overflow at ${width}px ${scheme}`).toBeLessThanOrEqual(0);
      await screenshot(page, `history-${scheme}-${width}`);
    }
  }
  await expectNoAxeViolations(page, 'history-dark');
  await openFolder('Documents');
  await page.getByRole('button', { name: 'Show versions of letter.txt' }).click();
  await expect(page.getByTestId('versions-panel')).toContainText('2 different versions kept.');
  await screenshot(page, 'history-versions-dark-800');
  await page.emulateMedia({ colorScheme: 'light' });
});
