import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { backup, CairnError, shortId, type BackupProgress, type BackupSource } from '../../core';
import type { CliContext } from '../cli-context';
import { nodeSource } from '../node-source';
import { formatBytes } from '../terminal';

/** `cairn backup <dir…> [--tag T]… [--parent ID|--force]`. Exit 3 when some files could not be read. */
export async function backupCommand(ctx: CliContext, args: string[], opts: Map<string, string[]>): Promise<number> {
  if (args.length === 0) throw new CairnError('invalid-input', 'give at least one folder to back up');
  const sources: BackupSource[] = [];
  const skipped: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory()) throw new CairnError('invalid-input', `${arg} is not a folder`);
    sources.push({ name: basename(path) || 'root', dir: await nodeSource(path, { onSkip: (p, why) => skipped.push(`${p} (${why})`) }) });
  }
  const repo = await ctx.open(true);
  const started = Date.now();
  const parent = opts.get('force') ? null : opts.get('parent')?.[0];
  const result = await backup(repo, sources, {
    tags: opts.get('tag') ?? [],
    ...(parent !== undefined ? { parent } : {}),
    onProgress: (p) => ctx.term.status(progressLine(p, started)),
  });
  ctx.term.clearStatus();
  const s = result.summary;
  if (ctx.json) {
    ctx.term.out(JSON.stringify({ id: result.id, summary: s, errors: result.errors, skipped }));
  } else {
    for (const e of result.errors) ctx.term.err(`error: ${e.path}: ${e.message}`);
    for (const p of skipped) ctx.term.err(`skipped: ${p}`);
    ctx.term.out(`Files: ${s.newFiles} new, ${s.changedFiles} changed, ${s.unchangedFiles} unchanged; folders: ${s.dirs}`);
    ctx.term.out(`Added to the repository: ${formatBytes(s.addedBytes)} (${formatBytes(s.storedBytes)} stored) of ${formatBytes(s.bytes)} processed in ${(s.durationMs / 1000).toFixed(1)} s`);
    ctx.term.out(`snapshot ${shortId(result.id)} saved`);
  }
  return result.errors.length ? 3 : 0;
}

function progressLine(p: BackupProgress, started: number): string {
  const secs = (Date.now() - started) / 1000;
  const rate = secs > 0 ? formatBytes(p.bytesDone / secs) + '/s' : '';
  const total = p.phase === 'scanning' ? '' : ` of ${p.filesTotal}`;
  return `[${p.phase}] ${p.filesDone}${total} files, ${formatBytes(p.bytesDone)}${p.phase === 'scanning' ? '' : ' of ' + formatBytes(p.bytesTotal)}, ${rate}, new ${formatBytes(p.newBytes)}  ${p.currentPath}`;
}
