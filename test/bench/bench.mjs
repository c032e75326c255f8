#!/usr/bin/env node
/**
 * Benchmark (not a test): Cairn's CLI against restic on the same generated data, in one run.
 *
 *   npm run bench -- [--size-mb 1024] [--runs 3] [--keep] [--no-restic] [--no-browser]
 *                    [--browser-only] [--write docs/performance.md]
 *
 * Generates a dataset with ../shared/bench/gen-dataset.mjs in a temporary folder outside the
 * repository, then for each tool and run: first backup, unchanged re-backup, backup after
 * `--mutate`, full restore of the first snapshot (checked with `diff -r` against a copy of the
 * original). Prints medians: seconds, MB/s, bytes added, repository size, peak memory (RSS of
 * the process tree, from /usr/bin/time), and the ratio Cairn/restic. restic is Debian's package
 * (installed with apt-get when missing and running as root), repository version 2, compression auto.
 *
 * Cairn runs twice: the Node CLI, and the engine in headless Chromium's worker writing to an
 * OPFS folder repository and to an IndexedDB repository (browser-bench.mjs). `--write FILE`
 * replaces the part of FILE between the bench markers with the table and the machine it ran on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { runBrowser } from './browser-bench.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizeMb = Number(opt('size-mb', '1024'));
const runs = Number(opt('runs', '3'));
const browserOnly = args.includes('--browser-only');
const withRestic = !args.includes('--no-restic') && !browserOnly;
const withBrowser = !args.includes('--no-browser');
const writeTo = opt('write', null);
const generator = resolve(root, '../shared/bench/gen-dataset.mjs');
if (!existsSync(generator)) throw new Error(`dataset generator not found at ${generator}`);

function ensureRestic() {
  if (spawnSync('restic', ['version']).status === 0) return true;
  if (process.getuid?.() === 0) {
    spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic'], { stdio: 'inherit' });
    return spawnSync('restic', ['version']).status === 0;
  }
  console.error('restic is missing: sudo apt-get install -y restic');
  return false;
}

/** Runs a command under /usr/bin/time; returns seconds and peak RSS (MiB). */
function timed(cmd, argv, env) {
  const hasTime = existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, argv, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const lines = (r.stderr || '').trim().split('\n');
  const peakMiB = hasTime ? Number(lines[lines.length - 1]) / 1024 : NaN;
  return { seconds, peakMiB, stdout: r.stdout };
}

function dirSize(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

function dropCaches() {
  // Best effort: only possible as root on a real kernel.
  spawnSync('bash', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
}

const tools = {
  cairn: {
    env: (repo) => ({ CAIRN_REPOSITORY: repo, CAIRN_PASSWORD: 'bench' }),
    init: (repo) => timed('node', [join(root, 'src/cli/cairn.mjs'), 'init', repo], tools.cairn.env(repo)),
    backup: (repo, src) => timed('node', [join(root, 'src/cli/cairn.mjs'), 'backup', src], tools.cairn.env(repo)),
    firstId: (repo) => JSON.parse(timed('node', [join(root, 'src/cli/cairn.mjs'), 'snapshots', '--json'], tools.cairn.env(repo)).stdout)[0].id,
    restore: (repo, id, to) => timed('node', [join(root, 'src/cli/cairn.mjs'), 'restore', id, '--to', to], tools.cairn.env(repo)),
  },
  restic: {
    env: (repo) => ({ RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: 'bench' }),
    init: (repo) => timed('restic', ['init', '--repository-version', '2'], tools.restic.env(repo)),
    backup: (repo, src) => timed('restic', ['backup', '--compression', 'auto', src], tools.restic.env(repo)),
    firstId: (repo) => JSON.parse(timed('restic', ['snapshots', '--json'], tools.restic.env(repo)).stdout)[0].id,
    restore: (repo, id, to) => timed('restic', ['restore', id, '--target', to], tools.restic.env(repo)),
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
try {
  const pristine = join(work, 'pristine', 'home');
  console.log(`generating ${sizeMb} MB dataset in ${work} …`);
  execFileSync('node', [generator, pristine, '--size-mb', String(sizeMb), '--seed', '1', '--quiet'], { stdio: 'inherit' });
  const datasetBytes = dirSize(pristine);
  // Build (and cache) the bundled CLI before anything is timed.
  execFileSync('node', [join(root, 'src/cli/cairn.mjs'), '--version'], { stdio: 'ignore' });
  const names = [...(browserOnly ? [] : ['cairn']), ...(withRestic && ensureRestic() ? ['restic'] : [])];
  const results = {};
  const summarize = (rows) => {
    const m = (f) => median(rows.map(f));
    return {
      first: m((r) => r.first.seconds),
      unchanged: m((r) => r.unchanged.seconds),
      mutated: m((r) => r.mutated.seconds),
      added: m((r) => r.added),
      restore: m((r) => r.restored.seconds),
      size: m((r) => r.size),
      peak: Math.max(...rows.map((r) => r.peak)),
    };
  };
  for (const name of names) {
    const t = tools[name];
    const rows = [];
    for (let run = 0; run < runs; run++) {
      const src = join(work, 'src', 'home');
      rmSync(join(work, 'src'), { recursive: true, force: true });
      cpSync(pristine, src, { recursive: true, preserveTimestamps: true });
      const repo = join(work, `repo-${name}`);
      rmSync(repo, { recursive: true, force: true });
      t.init(repo);
      dropCaches();
      const first = t.backup(repo, src);
      const sizeAfterFirst = dirSize(repo);
      dropCaches();
      const unchanged = t.backup(repo, src);
      execFileSync('node', [generator, '--mutate', src, '--seed', '7', '--quiet'], { stdio: 'ignore' });
      dropCaches();
      const mutated = t.backup(repo, src);
      const added = dirSize(repo) - sizeAfterFirst;
      const to = join(work, `restore-${name}`);
      rmSync(to, { recursive: true, force: true });
      dropCaches();
      const restored = t.restore(repo, t.firstId(repo), to);
      const diff = spawnSync('diff', ['-r', pristine, join(to, name === 'cairn' ? 'home' : src.slice(1))], { encoding: 'utf8' });
      if (diff.status !== 0) throw new Error(`${name}: restore differs from the original:\n${diff.stdout.slice(0, 2000)}`);
      rmSync(to, { recursive: true, force: true });
      const peak = Math.max(first.peakMiB, unchanged.peakMiB, mutated.peakMiB, restored.peakMiB);
      rows.push({ first, unchanged, mutated, added, restored, size: sizeAfterFirst, peak });
      console.log(`${name} run ${run + 1}: first ${first.seconds.toFixed(1)} s, unchanged ${unchanged.seconds.toFixed(1)} s, mutated ${mutated.seconds.toFixed(1)} s (+${(added / 2 ** 20).toFixed(1)} MiB), restore ${restored.seconds.toFixed(1)} s, repo ${(sizeAfterFirst / 2 ** 20).toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
    }
    results[name] = summarize(rows);
  }
  if (withBrowser) {
    const browser = await runBrowser({ root, work, pristine, generator, runs });
    for (const [kind, rows] of Object.entries(browser)) results[`browser-${kind}`] = summarize(rows);
  }
  const mb = datasetBytes / 1e6;
  const lines = [
    ['first backup (s)', (r) => r.first.toFixed(2), 'first'],
    ['unchanged backup (s)', (r) => r.unchanged.toFixed(2), 'unchanged'],
    ['backup after --mutate (s)', (r) => r.mutated.toFixed(2), 'mutated'],
    ['bytes added by --mutate (MiB)', (r) => (r.added / 2 ** 20).toFixed(1), 'added'],
    ['full restore (s)', (r) => r.restore.toFixed(2), 'restore'],
    ['repository size after first backup (MiB)', (r) => (r.size / 2 ** 20).toFixed(1), 'size'],
    ['peak memory (MiB)', (r) => r.peak.toFixed(0), 'peak'],
  ];
  const label = { cairn: 'Cairn CLI', restic: 'restic', 'browser-opfs': 'Cairn browser, OPFS', 'browser-idb': 'Cairn browser, IndexedDB' };
  const shown = Object.keys(results);
  const ratios = results.restic ? shown.filter((n) => n !== 'restic') : [];
  const header = ['metric', ...shown.map((n) => label[n] ?? n), ...ratios.map((n) => `${label[n] ?? n} / restic`)];
  const rowsOut = lines.map(([name, fmt, key]) => [
    name,
    ...shown.map((n) => fmt(results[n])),
    ...ratios.map((n) => (results[n][key] / results.restic[key]).toFixed(2)),
  ]);
  rowsOut.push(['first backup rate (MB/s)', ...shown.map((n) => (mb / results[n].first).toFixed(0)), ...ratios.map(() => '')]);
  rowsOut.push(['restore rate (MB/s)', ...shown.map((n) => (mb / results[n].restore).toFixed(0)), ...ratios.map(() => '')]);
  const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${spawnSync('uname', ['-sr']).stdout?.toString().trim()}, node ${process.version}, ${spawnSync('restic', ['version']).stdout?.toString().trim() || 'restic not run'}, ${spawnSync('/usr/bin/chromium', ['--version']).stdout?.toString().trim() || ''}`;
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const title = `dataset ${(datasetBytes / 2 ** 20).toFixed(0)} MiB (gen-dataset.mjs --size-mb ${sizeMb} --seed 1, mutate --seed 7), ${runs} run(s), medians (peak memory: maximum)`;
  console.log(`\n${title}\nmachine: ${machine}; load average at the end ${loadavg}`);
  const widths = header.map((h, i) => Math.max(h.length, ...rowsOut.map((r) => String(r[i]).length)) + 2);
  console.log(header.map((h, i) => h.padEnd(widths[i])).join(''));
  for (const r of rowsOut) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join(''));
  if (writeTo) {
    const md = [
      '<!-- bench:start -->',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${args.join(' ')}\`: ${title}.`,
      '',
      `Machine: ${machine}. Load average when the run ended: ${loadavg}.`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rowsOut.map((r) => `| ${r.join(' | ')} |`),
      '<!-- bench:end -->',
    ].join('\n');
    const file = resolve(root, writeTo);
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const next = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/.test(old) ? old.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, md) : `${old}\n${md}\n`;
    writeFileSync(file, next);
    console.log(`table written into ${file}`);
  }
} finally {
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
