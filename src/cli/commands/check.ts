import { check, shortId } from '../../core';
import type { CliContext } from '../cli-context';
import { formatBytes } from '../terminal';

/** `cairn check [--read-data]`: exit 0 when every snapshot restores completely, 1 otherwise. */
export async function checkCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(false);
  const readData = Boolean(opts.get('read-data'));
  const report = await check(repo, {
    readData,
    onProgress: (p) => ctx.term.status(`[${p.phase}] ${p.done} of ${p.total}`),
  });
  ctx.term.clearStatus();
  if (ctx.json) {
    ctx.term.out(JSON.stringify(report));
    return report.ok ? 0 : 1;
  }
  for (const p of report.problems) ctx.term.out(`error: ${p.message}`);
  for (const f of report.damagedFiles) ctx.term.out(`damaged: snapshot ${shortId(f.snapshot)}: ${f.path || '(whole snapshot)'}: ${f.reason}`);
  if (report.unreferencedPacks.length) {
    ctx.term.out(`${report.unreferencedPacks.length} unreferenced pack(s) (left by an interrupted backup; harmless, removed by prune)`);
  }
  const s = report.stats;
  ctx.term.out(
    `checked ${s.snapshots} snapshots, ${s.trees} folders, ${s.packs} packs${readData ? `, read ${s.blobsRead} blobs (${formatBytes(s.bytesRead)})` : ''}: ` +
      (report.ok ? 'no errors' : `${report.damagedSnapshots.length} snapshot(s) damaged, ${report.damagedPacks.length} pack(s) damaged`),
  );
  return report.ok ? 0 : 1;
}
