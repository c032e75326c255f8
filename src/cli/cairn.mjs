#!/usr/bin/env node
// The `cairn` command. Runs src/cli/main.ts as one bundled ES module built by esbuild and cached
// under node_modules/.cache/cairn-cli (rebuilt whenever a source file under src/ changes), which
// starts faster and uses less memory than transpiling every module through tsx's loader on each
// run. Falls back to tsx when esbuild is unavailable or the cache cannot be written.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Restores and backups keep many file operations and WebCrypto calls in flight; libuv's default of
// 4 threads would queue crypto behind fsyncs. Must be set before the first thread-pool request.
process.env.UV_THREADPOOL_SIZE ??= '12';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..');

/** A key over the names, sizes and times of every source the bundle may include. */
function sourceKey() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js|json)$/.test(e.name)) {
        const s = statSync(p);
        hash.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const layer of ['core', 'cli', 'platform']) walk(join(src, layer));
  return hash.digest('hex').slice(0, 16);
}

async function bundled() {
  if (process.env.CAIRN_NO_BUNDLE) return null;
  const cacheRoot = existsSync(resolve(src, '../node_modules')) ? resolve(src, '../node_modules/.cache/cairn-cli') : join(tmpdir(), 'cairn-cli');
  const out = join(cacheRoot, sourceKey());
  const entry = join(out, 'main.mjs');
  if (!existsSync(entry)) {
    let esbuild;
    try {
      esbuild = await import('esbuild');
    } catch {
      return null;
    }
    const temp = `${out}.tmp-${process.pid}`;
    mkdirSync(temp, { recursive: true });
    await esbuild.build({
      entryPoints: { main: join(here, 'main.ts') },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'error',
    });
    try {
      renameSync(temp, out);
    } catch {
      // Another process published the same build first.
    }
  }
  return import(pathToFileURL(entry).href);
}

let mod = null;
try {
  mod = await bundled();
} catch {
  mod = null;
}
if (!mod) {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('./main.ts');
}
process.exitCode = await mod.main(process.argv.slice(2));
