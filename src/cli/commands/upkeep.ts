import { CairnError, forget, prune, repairIndex, RETENTION_PRESETS, setSnapshotTags, shortId, type RetentionPolicy } from '../../core';
import type { CliContext } from '../cli-context';
import { formatBytes, formatTime } from '../terminal';

const UNITS: Record<string, number> = { h: 3600e3, d: 86400e3, w: 7 * 86400e3, m: 30 * 86400e3, y: 365 * 86400e3 };

/** The duration given with `--<option>` ("36h", "14d", "8w", "6m", "2y") in ms, if given. */
function durationOption(opts: Map<string, string[]>, option: string): number | undefined {
  const value = opts.get(option)?.[0];
  if (value === undefined) return undefined;
  const m = /^(\d+)([hdwmy])$/.exec(value);
  if (!m) throw new CairnError('invalid-input', `--${option} takes a duration like 36h, 14d, 8w, 6m, 2y`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** The policy from --keep-* options or --preset. */
function policyFrom(opts: Map<string, string[]>): RetentionPolicy {
  const preset = opts.get('preset')?.[0];
  const count = (name: string) => {
    const v = opts.get(`keep-${name}`)?.[0];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new CairnError('invalid-input', `--keep-${name} takes a whole number`);
    return Number(v);
  };
  const within = durationOption(opts, 'keep-within');
  const base = preset ? RETENTION_PRESETS[preset] : {};
  if (!base) throw new CairnError('invalid-input', `unknown preset "${preset}" (known: ${Object.keys(RETENTION_PRESETS).join(', ')})`);
  const tz = opts.get('time-zone')?.[0] ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const pick = (k: string) => count(k);
  return {
    ...base,
    ...Object.fromEntries(
      (['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const).flatMap((k) => (pick(k) !== undefined ? [[k, pick(k)]] : [])),
    ),
    ...(within !== undefined ? { withinMs: within } : {}),
    timeZone: tz,
    keepTags: [...(opts.get('keep-tag') ?? []), 'pinned'],
  };
}

/** `cairn forget --keep-last N … | --preset NAME [--dry-run] [--prune]`. */
export async function forgetCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const policy = policyFrom(opts);
  const dryRun = Boolean(opts.get('dry-run'));
  const repo = await ctx.open(!dryRun);
  const graceMs = durationOption(opts, 'grace');
  const report = await forget(repo, policy, { dryRun, ...(graceMs ? { graceMs } : {}) });
  if (ctx.json) ctx.term.out(JSON.stringify(report.decisions.map((d) => ({ id: d.snapshot.id, time: d.snapshot.snapshot.time, keep: d.keep, reasons: d.reasons }))));
  else {
    for (const d of report.decisions) {
      ctx.term.out(`${d.keep ? 'keep  ' : 'remove'}  ${shortId(d.snapshot.id)}  ${formatTime(d.snapshot.snapshot.time)}  ${d.snapshot.snapshot.paths.join(', ')}  ${d.reasons.join(', ')}`);
    }
    ctx.term.out(`${dryRun ? 'would remove' : 'removed'} ${report.removed.length} snapshot(s), kept ${report.decisions.length - report.removed.length}`);
  }
  if (opts.get('prune') && !dryRun) return pruneCommand(ctx, [], new Map());
  return 0;
}

/** `cairn tag <snapshot> [--add T]… [--remove T]…`: e.g. `--add pinned` keeps it forever. */
export async function tagCommand(ctx: CliContext, args: string[], opts: Map<string, string[]>): Promise<number> {
  const [ref] = args;
  if (!ref) throw new CairnError('invalid-input', 'give a snapshot id (or "latest")');
  const repo = await ctx.open(true);
  const snap = await repo.resolveSnapshot(ref);
  const tags = new Set(snap.snapshot.tags);
  for (const t of opts.get('add') ?? []) tags.add(t);
  for (const t of opts.get('remove') ?? []) tags.delete(t);
  const id = await setSnapshotTags(repo, snap.id, [...tags]);
  ctx.term.out(`snapshot ${shortId(snap.id)} is now ${shortId(id)} with tags: ${[...tags].sort().join(', ') || '(none)'}`);
  return 0;
}

/** `cairn prune [--dry-run]`: frees data no snapshot needs. */
export async function pruneCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const dryRun = Boolean(opts.get('dry-run'));
  const repo = await ctx.open(!dryRun);
  const r = await prune(repo, { dryRun, onProgress: (p) => ctx.term.status(`[${p.phase}] ${p.done} of ${p.total}`) });
  ctx.term.clearStatus();
  if (ctx.json) ctx.term.out(JSON.stringify(r));
  else ctx.term.out(`${dryRun ? 'would free' : 'freed'} ${formatBytes(r.bytesFreed)}: ${r.packsDeleted} pack(s) deleted, ${r.packsRepacked} repacked, ${r.packsKept} kept (${formatBytes(r.bytesUnusedKept)} unused data left in packs not worth repacking)`);
  return 0;
}

/** `cairn repair [--read-data]`: rebuilds the index from the packs and lists what is lost. */
export async function repairCommand(ctx: CliContext, _args: string[], opts: Map<string, string[]>): Promise<number> {
  const repo = await ctx.open(true);
  const r = await repairIndex(repo, { readData: Boolean(opts.get('read-data')), onProgress: (p) => ctx.term.status(`[reading packs] ${p.done} of ${p.total}`) });
  ctx.term.clearStatus();
  const lost = r.lostFiles.length + r.unreadableSnapshots.length;
  if (ctx.json) {
    ctx.term.out(JSON.stringify(r));
    return lost ? 1 : 0;
  }
  for (const p of r.unreadablePacks) ctx.term.out(`unreadable pack ${shortId(p.pack)}: ${p.reason}`);
  for (const s of r.unreadableSnapshots) ctx.term.out(`lost: snapshot ${shortId(s.id)} cannot be read: ${s.reason}`);
  for (const f of r.lostFiles) ctx.term.out(`lost: snapshot ${shortId(f.snapshot)}: ${f.path}`);
  ctx.term.out(`rebuilt the index from ${r.packsRead} pack(s) (${r.blobsIndexed} blobs${r.damagedBlobs ? `, ${r.damagedBlobs} damaged left out` : ''}), replacing ${r.indexFilesReplaced} index file(s)`);
  ctx.term.out(
    lost
      ? `${r.lostFiles.length} file(s) and ${r.unreadableSnapshots.length} snapshot(s) cannot be restored; back up the same folders again to store what still exists`
      : r.damagedBlobs || opts.get('read-data')
        ? 'every snapshot restores completely'
        : 'every snapshot has all its data indexed (run "cairn check --read-data" to prove the data itself is intact)',
  );
  return lost ? 1 : 0;
}
