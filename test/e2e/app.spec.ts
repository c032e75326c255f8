import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ENGINE_VERSION, FORMAT_VERSION } from '../../src/core/version';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

test('the app shell loads cleanly and shows its versions', async ({ page }) => {
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

  await page.goto('/');

  await expect(page).toHaveTitle('Cairn');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Cairn' })).toBeVisible();
  await expect(page.getByTestId('engine-version')).toHaveText(ENGINE_VERSION);
  await expect(page.getByTestId('format-version')).toHaveText(String(FORMAT_VERSION));
  await expect(page.getByTestId('default-repository')).toContainText('IndexedDB');

  // The CSP is delivered by a meta tag; make sure the build kept it.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");

  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${SCREENSHOTS}home.png`, fullPage: true });

  expect(problems).toEqual([]);
});

test('the shell is readable in dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Cairn' })).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).toBe('rgb(21, 25, 28)');
  await page.screenshot({ path: `${SCREENSHOTS}home-dark.png`, fullPage: true });
});
