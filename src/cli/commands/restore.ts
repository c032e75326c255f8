import { resolve } from 'node:path';
import { CairnError, restore, shortId, type ConflictMode, type RestoreDecision } from '../../core';
import type { CliContext } from '../cli-context';
import { nodeTarget } from '../node-target';
import { formatBytes } from '../terminal';

/**
 * `cairn restore <snapshot|latest> [path…] --to <dir> [--overwrite|--skip-existing] [--dry-run] [--verify]`.
 * Restores the snapshot's top folders (or the given paths, with their folders) into <dir>. Never
 * overwrites by default. Exit 1 when any file failed.
 */
export async function restoreCommand(ctx: CliContext, args: string[], opts: Map<string, string[]>): Promise<number> {
  const [ref, ...paths] = args;
  const to = opts.get('to')?.[0];
  if (!ref) throw new CairnError('invalid-input', 'give a snapshot id (or "latest")');
  if (!to) throw new CairnError('invalid-input', 'give the folder to restore into with --to <dir>');
  if (opts.get('overwrite') && opts.get('skip-existing')) throw new CairnError('invalid-input', '--overwrite and --skip-existing exclude each other');
  const mode: ConflictMode = opts.get('overwrite') ? 'overwrite' : opts.get('skip-existing') ? 'skip' : 'keep-both';
  const repo = await ctx.open(false);
  const snap = await repo.resolveSnapshot(ref);
  const target = await nodeTarget(resolve(to));
  const report = await restore(repo, snap.snapshot.tree, target, {
    paths,
    mode,
    dryRun: Boolean(opts.get('dry-run')),
    verify: Boolean(opts.get('verify')),
    label: new Date(snap.snapshot.time),
    now: new Date(ctx.host.now()),
    onProgress: (p) => ctx.term.status(`[restoring] ${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}  ${p.currentPath}`),
  });
  ctx.term.clearStatus();
  if (ctx.json) {
    ctx.term.out(JSON.stringify({ snapshot: snap.id, ...report }));
  } else {
    for (const d of report.decisions) if (d.action !== 'restored' && d.action !== 'identical') ctx.term.out(describe(d));
    const c = report.counts;
    const verb = opts.get('dry-run') ? 'would restore' : 'restored';
    ctx.term.out(
      `${verb} snapshot ${shortId(snap.id)} into ${resolve(to)}: ${c.restored} new, ${c.identical} already identical, ${c['kept-both']} kept side by side, ${c.replaced} replaced (old copy kept), ${c.skipped} skipped, ${c.failed} failed; ${formatBytes(report.bytesWritten)} written`,
    );
  }
  return report.counts.failed ? 1 : 0;
}

function describe(d: RestoreDecision): string {
  switch (d.action) {
    case 'kept-both':
      return `kept both: ${d.path} -> restored as "${d.writtenAs}" (${d.reason ?? 'a different file exists'})`;
    case 'replaced':
      return `replaced: ${d.path} (the previous file was kept as "${d.preservedAs}")`;
    case 'skipped':
      return `skipped: ${d.path} (${d.reason ?? ''})`;
    default:
      return `FAILED: ${d.path}: ${d.reason ?? ''}`;
  }
}
