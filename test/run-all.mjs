#!/usr/bin/env node
/**
 * The whole suite in one command (`npm test`): layer typechecks, vitest (unit + browser projects),
 * Playwright end-to-end. Every stage runs even when an earlier one failed. The totals come from the
 * runners' JSON reports; the last line printed is `N passed, N failed[, N skipped]`, which CI
 * reads, and the exit code is non-zero on any failure or on a runner that wrote no report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);

const TYPECHECK_PROJECTS = ['src/core', 'src/storage', 'src/platform', 'src/worker', 'src/ui', 'src/cli', 'tsconfig.json'];
const VITEST_REPORT = 'test-results/vitest.json';
const E2E_REPORT = 'test-results/e2e.json';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;

const totals = { passed: 0, failed: 0, skipped: 0 };
/** Names of failed tests and stages, listed just before the summary. */
const failures = [];
const started = Date.now();

function heading(text) {
  console.log(`\n━━ ${text} ${'━'.repeat(Math.max(3, 72 - text.length))}`);
}

/** Runs a command with its output streamed; returns its exit code (127 when it could not start). */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) {
    console.error(`could not run ${command}: ${result.error.message}`);
    return 127;
  }
  return result.status ?? 1;
}

function fail(what) {
  totals.failed++;
  failures.push(what);
}

function readReport(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`${path} is not valid JSON: ${error.message}`);
    return undefined;
  }
}

// (a) Typecheck every layer with its own tsconfig, then the whole project.
function typecheck() {
  for (const project of TYPECHECK_PROJECTS) {
    heading(`typecheck ${project}`);
    const code = run('npx', ['tsc', '-p', project, '--noEmit']);
    if (code === 0) {
      totals.passed++;
      console.log(`✓ ${project}: no type errors`);
    } else {
      fail(`typecheck ${project}`);
    }
  }
}

/** True when chromium is there, installing Debian's package first if we are root. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  const installCommand = 'apt-get update && apt-get install -y chromium';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (CHROMIUM === DEFAULT_CHROMIUM && isRoot) {
    heading('installing Debian chromium (browser and end-to-end tests need it)');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const ok = run('apt-get', ['update'], env) === 0 && run('apt-get', ['install', '-y', 'chromium'], env) === 0;
    if (ok && existsSync(CHROMIUM)) return true;
    console.error(`installing chromium failed (${installCommand})`);
    return false;
  }
  console.error(`\n${CHROMIUM} is missing: the browser and end-to-end tests need it. Install it with:\n`);
  console.error(CHROMIUM === DEFAULT_CHROMIUM ? `  sudo apt-get install -y chromium\n` : `  (CHROMIUM_PATH points to ${CHROMIUM})\n`);
  return false;
}

// (b) Vitest: the unit project, and the browser project when chromium is available.
function vitest(haveChromium) {
  heading(haveChromium ? 'vitest (unit + browser)' : 'vitest (unit only: chromium is missing)');
  rmSync(VITEST_REPORT, { force: true });
  const projects = haveChromium ? [] : ['--project', 'unit'];
  const code = run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile=${VITEST_REPORT}`]);
  if (!haveChromium) fail('vitest browser project (chromium missing)');
  const report = readReport(VITEST_REPORT);
  if (!report) {
    fail(`vitest wrote no report (exit code ${code})`);
    return;
  }
  totals.passed += report.numPassedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  let failed = 0;
  for (const file of report.testResults ?? []) {
    const name = file.name?.startsWith(ROOT) ? file.name.slice(ROOT.length) : file.name;
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) failures.push(`vitest ${name} › ${t.fullName ?? t.title}`);
    failed += failedTests.length;
    // A file that fails to load or whose hooks throw has no failed test of its own: count it once.
    if (file.status === 'failed' && failedTests.length === 0) {
      failures.push(`vitest ${name} (${(file.message || 'file failed').split('\n')[0]})`);
      failed++;
    }
  }
  totals.failed += failed;
  if (code !== 0 && failed === 0) fail(`vitest exited with code ${code}`);
}

// (c) Playwright end-to-end against the production build.
function playwright(haveChromium) {
  heading('playwright end-to-end');
  if (!haveChromium) {
    fail('playwright end-to-end (chromium missing)');
    console.log('skipped: chromium is missing');
    return;
  }
  rmSync(E2E_REPORT, { force: true });
  const code = run('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts']);
  const report = readReport(E2E_REPORT);
  if (!report?.stats) {
    fail(`playwright wrote no report (exit code ${code})`);
    return;
  }
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  totals.passed += expected + flaky;
  totals.skipped += skipped;
  totals.failed += unexpected;
  if (unexpected > 0) failures.push(`playwright: ${unexpected} test(s) failed (see the list above)`);
  if (flaky > 0) console.log(`note: ${flaky} end-to-end test(s) passed only on retry`);
  const errors = report.errors ?? [];
  for (const error of errors) fail(`playwright: ${(error.message ?? String(error)).split('\n')[0]}`);
  if (code !== 0 && unexpected === 0 && errors.length === 0) fail(`playwright exited with code ${code}`);
}

mkdirSync('test-results', { recursive: true });
typecheck();
const haveChromium = ensureChromium();
vitest(haveChromium);
playwright(haveChromium);

heading('summary');
if (failures.length > 0) {
  console.log('failed:');
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(`took ${Math.round((Date.now() - started) / 1000)} s`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
