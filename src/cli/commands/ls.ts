import { CairnError, findVersions, listFolder, lookup, shortId, walkFolder, type TreeNode } from '../../core';
import type { CliContext } from '../cli-context';
import { formatBytes, formatTime } from '../terminal';

/** `cairn ls <snapshot|latest> [path] [-R]`: a folder's entries in a snapshot. */
export async function lsCommand(ctx: CliContext, args: string[], opts: Map<string, string[]>): Promise<number> {
  const [ref, path = ''] = args;
  if (!ref) throw new CairnError('invalid-input', 'give a snapshot id (or "latest")');
  const repo = await ctx.open(false);
  const snap = await repo.resolveSnapshot(ref);
  const { node } = await lookup(repo, snap.snapshot.tree, path);
  if (path && !node) throw new CairnError('not-found', `"${path}" is not in snapshot ${shortId(snap.id)}`);
  const entries: { path: string; node: TreeNode }[] = [];
  if (node?.type === 'file') entries.push({ path, node });
  else if (opts.get('recursive')) for await (const e of walkFolder(repo, snap.snapshot.tree, path)) entries.push(e);
  else for (const n of await listFolder(repo, snap.snapshot.tree, path)) entries.push({ path: path ? `${path.replace(/\/+$/, '')}/${n.name}` : n.name, node: n });
  if (ctx.json) {
    ctx.term.out(JSON.stringify(entries.map((e) => ({ path: e.path, ...describe(e.node) }))));
    return 0;
  }
  for (const e of entries) {
    const d = describe(e.node);
    ctx.term.out(`${d.type === 'dir' ? 'd' : '-'} ${(d.type === 'dir' ? '' : formatBytes(d.size)).padStart(10)}  ${d.mtime ? formatTime(d.mtime) : '                   '}  ${e.path}${d.type === 'dir' ? '/' : ''}`);
  }
  return 0;
}

/** `cairn versions <path>`: the distinct versions of a file or folder across snapshots. */
export async function versionsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [path] = args;
  if (!path) throw new CairnError('invalid-input', 'give a path inside the snapshots, e.g. "docs/report.txt"');
  const repo = await ctx.open(false);
  const versions = await findVersions(repo, await repo.listSnapshots(() => undefined), path);
  if (ctx.json) {
    ctx.term.out(JSON.stringify(versions.map((v) => ({ first: v.first.id, time: v.first.snapshot.time, snapshots: v.snapshots.map((s) => s.id), ...describe(v.node) }))));
    return 0;
  }
  if (versions.length === 0) ctx.term.out(`"${path}" is in no snapshot`);
  for (const v of versions) {
    const d = describe(v.node);
    ctx.term.out(`${formatTime(v.first.snapshot.time)}  ${shortId(v.first.id)}  ${d.type === 'dir' ? 'folder' : formatBytes(d.size)}  in ${v.snapshots.length} snapshot${v.snapshots.length === 1 ? '' : 's'}`);
  }
  return 0;
}

function describe(node: TreeNode): { name: string; type: 'file' | 'dir'; size: number; mtime: number } {
  return { name: node.name, type: node.type, size: node.type === 'file' ? node.size : 0, mtime: node.mtime };
}
