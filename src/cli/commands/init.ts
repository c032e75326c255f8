import { mkdir } from 'node:fs/promises';
import { Repository, shortId } from '../../core';
import type { CliContext } from '../cli-context';

/** `cairn init [dir]`: creates a repository (folder created when missing). */
export async function initCommand(ctx: CliContext, args: string[]): Promise<number> {
  const path = args[0] ? (await import('node:path')).resolve(args[0]) : ctx.repoPath();
  await mkdir(path, { recursive: true });
  const pass = ctx.noPassword ? null : await ctx.passphrase(true);
  const repo = await Repository.init(ctx.backend(path), ctx.host, { passphrase: pass });
  if (ctx.json) ctx.term.out(JSON.stringify({ id: repo.config.id, path, encrypted: pass !== null }));
  else {
    ctx.term.out(`created ${pass === null ? 'UNENCRYPTED ' : ''}repository ${shortId(repo.config.id)} at ${path}`);
    if (pass !== null) ctx.term.out('Keep the passphrase safe: without it the backups cannot be read by anyone, including you.');
  }
  return 0;
}
