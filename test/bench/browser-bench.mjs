/**
 * The browser half of the benchmark: Cairn's engine inside headless Chromium (Debian's), in a
 * module worker, in a persistent profile (so IndexedDB and OPFS live on disk, not in memory).
 * The dataset folder is dropped on the page through the DevTools protocol (a real on-disk
 * folder handle, read-only, as a user's drop gives); repositories are an OPFS folder and an
 * IndexedDB database; restores go into an empty OPFS folder and are checked file by file against
 * SHA-256 digests of the original. Peak memory is the highest RSS of the renderer process that
 * runs the page and its worker, sampled every 100 ms.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative, resolve } from 'node:path';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function buildBundle(root, out) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'test/bench/browser/bench-page.ts'), join(root, 'test/bench/browser/bench-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: out,
    logLevel: 'error',
  });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><title>loading</title><body style="width:100vw;height:100vh;margin:0"><script type="module" src="bench-page.js"></script>');
}

export function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((req, res) => {
    const path = resolve(dir, '.' + new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'));
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

export function digestTree(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)}\t${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.sort();
}

export function rendererPids(profile) {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(profile) && cmd.includes('--type=renderer')) pids.push(pid);
    } catch {}
  }
  return pids;
}

export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the browser benchmark; returns one result object per storage kind. */
export async function runBrowser({ root, work, pristine, generator, runs, kinds = ['opfs', 'idb'], log = console.log }) {
  const { chromium } = await import('playwright');
  const site = join(work, 'browser-site');
  await buildBundle(root, site);
  const server = await serve(site);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const expected = digestTree(pristine).map((l) => `home/${l}`);
  const results = {};
  try {
    for (const kind of kinds) {
      const rows = [];
      for (let run = 0; run < runs; run++) {
        const profile = join(work, `chromium-profile-${kind}`);
        rmSync(profile, { recursive: true, force: true });
        const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
        try {
          const page = context.pages()[0] ?? (await context.newPage());
          await page.goto(url);
          await page.waitForFunction(() => document.title === 'ready');
          const cdp = await context.newCDPSession(page);
          let peak = 0;
          const sampler = setInterval(() => {
            for (const pid of rendererPids(profile)) peak = Math.max(peak, rssMiB(pid));
          }, 100);
          const call = async (msg) => {
            const r = await page.evaluate((m) => globalThis.benchCall(m), msg);
            if (!r.ok) throw new Error(`browser ${kind} ${msg.op} failed: ${r.error}`);
            return r;
          };
          const drop = async (path) => {
            const data = { items: [], files: [path], dragOperationsMask: 1 };
            for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, x: 20, y: 20, data });
            const name = await page.evaluate(() => globalThis.benchDropped());
            if (name !== 'home') throw new Error(`the dropped folder did not arrive (${name})`);
          };
          const timedCall = async (msg) => {
            const t = process.hrtime.bigint();
            const r = await call({ kind, ...msg });
            return { seconds: Number(process.hrtime.bigint() - t) / 1e9, result: r.result };
          };
          try {
            const src = join(work, 'src-browser', 'home');
            rmSync(join(work, 'src-browser'), { recursive: true, force: true });
            cpSync(pristine, src, { recursive: true, preserveTimestamps: true });
            await call({ op: 'clear', kind });
            await call({ op: 'init', kind });
            await drop(src);
            const first = await timedCall({ op: 'backup' });
            const size = (await call({ op: 'size', kind })).result;
            await drop(src);
            const unchanged = await timedCall({ op: 'backup' });
            execFileSync('node', [generator, '--mutate', src, '--seed', '7', '--quiet'], { stdio: 'ignore' });
            await drop(src);
            const mutated = await timedCall({ op: 'backup' });
            const added = (await call({ op: 'size', kind })).result - size;
            const restored = await timedCall({ op: 'restore', name: `restore-${run}` });
            const got = (await call({ op: 'digest', kind, name: `restore-${run}` })).result;
            if (got.join('\n') !== expected.join('\n')) {
              const missing = expected.filter((l) => !got.includes(l)).slice(0, 5);
              throw new Error(`browser ${kind}: restore differs from the original (${got.length} vs ${expected.length} files; e.g. ${missing.join(', ')})`);
            }
            rows.push({ first, unchanged, mutated, added, restored, size, peak });
            log(`browser-${kind} run ${run + 1}: first ${first.seconds.toFixed(1)} s, unchanged ${unchanged.seconds.toFixed(1)} s, mutated ${mutated.seconds.toFixed(1)} s (+${(added / 2 ** 20).toFixed(1)} MiB), restore ${restored.seconds.toFixed(1)} s, repo ${(size / 2 ** 20).toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
          } finally {
            clearInterval(sampler);
          }
        } finally {
          await context.close();
          rmSync(profile, { recursive: true, force: true });
        }
      }
      results[kind] = rows;
    }
  } finally {
    server.close();
  }
  return results;
}
