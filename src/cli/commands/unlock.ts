import { listLocks } from '../../core';
import type { CliContext } from '../cli-context';

/** `cairn unlock [--all]`: removes stale locks; with --all every lock (only when no job runs). */
export async function unlockCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(false);
  const all = Boolean(opts.get('all'));
  let removed = 0;
  for (const l of await listLocks(repo)) {
    if (!all && !l.stale) {
      ctx.term.out(`kept active lock ${l.name.slice(0, 8)} held by ${l.hostname}`);
      continue;
    }
    await repo.backend.remove('locks', l.name);
    removed++;
    ctx.term.out(`removed ${l.stale ? 'stale ' : ''}lock ${l.name.slice(0, 8)} held by ${l.hostname}`);
  }
  ctx.term.out(`${removed} lock(s) removed`);
  return 0;
}
