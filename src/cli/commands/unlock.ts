import { listLocks, removeLocks } from '../../core';
import type { CliContext } from '../cli-context';

/** `cairn unlock [--all]`: removes stale locks; with --all every lock (only when no job runs). */
export async function unlockCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(false);
  const removed = await removeLocks(repo, Boolean(opts.get('all')));
  for (const l of removed) ctx.term.out(`removed ${l.stale ? 'stale ' : ''}lock ${l.name.slice(0, 8)} held by ${l.hostname}`);
  const left = await listLocks(repo);
  for (const l of left) ctx.term.out(`kept active lock ${l.name.slice(0, 8)} held by ${l.hostname} (use --all only if no job is running)`);
  ctx.term.out(`${removed.length} lock(s) removed`);
  return 0;
}
