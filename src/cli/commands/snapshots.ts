import { shortId } from '../../core';
import type { CliContext } from '../cli-context';
import { formatBytes, formatTime } from '../terminal';

/** `cairn snapshots [--json]`: every snapshot, oldest first. Unreadable ones are named on stderr. */
export async function snapshotsCommand(ctx: CliContext): Promise<number> {
  const repo = await ctx.open(false);
  let damaged = 0;
  const list = await repo.listSnapshots((id, e) => {
    damaged++;
    ctx.term.err(`snapshot ${shortId(id)} cannot be read: ${e.message}`);
  });
  if (ctx.json) {
    ctx.term.out(JSON.stringify(list.map(({ id, snapshot }) => ({ id, short_id: shortId(id), ...snapshot }))));
    return damaged ? 1 : 0;
  }
  const rows = list.map(({ id, snapshot: s }) => [
    shortId(id),
    formatTime(s.time),
    s.hostname,
    s.paths.join(', '),
    String(s.summary?.files ?? ''),
    s.summary ? formatBytes(s.summary.bytes) : '',
    s.summary ? formatBytes(s.summary.addedBytes) : '',
  ]);
  printTable(ctx, ['ID', 'Time', 'Host', 'Folders', 'Files', 'Size', 'Added'], rows);
  ctx.term.out(`${list.length} snapshot${list.length === 1 ? '' : 's'}`);
  return damaged ? 1 : 0;
}

export function printTable(ctx: CliContext, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  ctx.term.out(line(head));
  ctx.term.out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) ctx.term.out(line(r));
}
