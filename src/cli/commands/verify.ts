import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CairnError, diffSnapshots, drill, scrub, shortId, type DrillState, type ScrubState } from '../../core';
import type { CliContext } from '../cli-context';
import { loadState, saveState, stateDir } from '../cli-state';
import { nodeTarget } from '../node-target';
import { formatBytes, formatTime } from '../terminal';

/** `cairn diff <snapshot> <snapshot> [path]`: what was added, removed and changed. */
export async function diffCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [a, b, path = ''] = args;
  if (!a || !b) throw new CairnError('invalid-input', 'give two snapshots, e.g. "cairn diff 1a2b3c4d latest"');
  const repo = await ctx.open(false);
  const [from, to] = [await repo.resolveSnapshot(a), await repo.resolveSnapshot(b)];
  const d = await diffSnapshots(repo, from.snapshot.tree, to.snapshot.tree, path);
  if (ctx.json) ctx.term.out(JSON.stringify(d));
  else {
    const mark = { added: '+', removed: '-', changed: 'M' } as const;
    for (const c of d.changes) ctx.term.out(`${mark[c.kind]} ${c.path}${c.type === 'dir' ? '/' : ''}`);
    ctx.term.out(`${d.counts.added} added, ${d.counts.removed} removed, ${d.counts.changed} changed between ${shortId(from.id)} and ${shortId(to.id)}`);
  }
  return 0;
}

/** `cairn scrub [--period-days N]`: a rolling check of a slice of the packs; remembers where it stopped. */
export async function scrubCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(false);
  const days = Number(opts.get('period-days')?.[0] ?? 30);
  if (!(days >= 1)) throw new CairnError('invalid-input', '--period-days takes a number of days ≥ 1');
  const dir = stateDir(ctx.env, repo.config.id);
  const r = await scrub(repo, await loadState<ScrubState>(dir, 'scrub'), { periodMs: days * 86400e3, onProgress: (p) => ctx.term.status(`[scrub] ${formatBytes(p.bytes)} read`) });
  ctx.term.clearStatus();
  await saveState(dir, 'scrub', r.state);
  if (ctx.json) ctx.term.out(JSON.stringify({ ...r, state: undefined }));
  else {
    for (const d of r.damagedPacks) ctx.term.out(`damaged: pack ${shortId(d.pack)}: ${d.reason} (run "cairn check --read-data" for the files concerned)`);
    ctx.term.out(`verified ${r.packsChecked} pack(s), ${formatBytes(r.bytesRead)}; ${(r.coverage * 100).toFixed(0)}% of ${formatBytes(r.totalBytes)} verified in the last ${days} days${r.state.lastFullPass ? `; last full pass ${formatTime(r.state.lastFullPass)}` : ''}`);
  }
  return r.damagedPacks.length ? 1 : 0;
}

/** `cairn drill [--sample N]`: restores a sample into a temporary folder and proves it matches. */
export async function drillCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(false);
  const dir = stateDir(ctx.env, repo.config.id);
  const scratch = await mkdtemp(join(tmpdir(), 'cairn-drill-'));
  try {
    const r = await drill(repo, await nodeTarget(scratch), await loadState<DrillState>(dir, 'drill'), { sampleSize: Number(opts.get('sample')?.[0] ?? 12) });
    await saveState(dir, 'drill', r.state);
    await saveState(dir, 'last-drill', { ok: r.ok, time: r.time, files: r.files.length, bytes: r.bytes, snapshots: r.snapshots });
    if (ctx.json) ctx.term.out(JSON.stringify({ ...r, state: undefined }));
    else {
      for (const f of r.files) if (!f.ok) ctx.term.out(`FAILED: snapshot ${shortId(f.snapshot)}: ${f.path}: ${f.reason}`);
      ctx.term.out(`${r.ok ? 'restore proven' : 'RESTORE DRILL FAILED'}: ${r.files.filter((f) => f.ok).length} of ${r.files.length} files (${formatBytes(r.bytes)}) from ${r.snapshots.map(shortId).join(', ')} restored and verified`);
    }
    return r.ok ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
