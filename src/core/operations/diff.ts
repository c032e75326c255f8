import { throwIfAborted, type AbortSignalLike } from '../errors';
import type { Id } from '../format/ids';
import { compareNames, type TreeNode } from '../model/tree';
import type { BlobReader } from '../repository/repository';
import { lookup } from './browse';
import { joinPath } from './progress';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly type: 'file' | 'dir';
  /** Sizes before and after (files only). */
  readonly before?: number;
  readonly after?: number;
}

export interface DiffReport {
  readonly changes: readonly Change[];
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Bytes of files added or grown, minus removed or shrunk. */
  readonly sizeDelta: number;
}

/**
 * What changed between two points in time, for a whole snapshot or one folder (`path`): files and
 * folders added, removed and changed. A folder added or removed is one change (its contents are
 * not listed); unchanged subtrees are skipped without reading them (same tree id).
 */
export async function diffSnapshots(
  repo: BlobReader,
  fromRoot: Id,
  toRoot: Id,
  path = '',
  opts: { signal?: AbortSignalLike } = {},
): Promise<DiffReport> {
  const changes: Change[] = [];
  const [a, b] = await Promise.all([lookup(repo, fromRoot, path), lookup(repo, toRoot, path)]);
  const base = path.split('/').filter(Boolean).join('/');
  await diffNodes(repo, a.tree?.nodes ?? [], b.tree?.nodes ?? [], base, changes, opts.signal);
  const counts = { added: 0, removed: 0, changed: 0 };
  let sizeDelta = 0;
  for (const c of changes) {
    counts[c.kind]++;
    sizeDelta += (c.after ?? 0) - (c.before ?? 0);
  }
  return { changes, counts, sizeDelta };
}

async function diffNodes(repo: BlobReader, from: readonly TreeNode[], to: readonly TreeNode[], path: string, out: Change[], signal?: AbortSignalLike): Promise<void> {
  throwIfAborted(signal);
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    const x = from[i];
    const y = to[j];
    const c = x && y ? compareNames(x.name, y.name) : x ? -1 : 1;
    if (c < 0) {
      out.push(describe(x!, path, 'removed'));
      i++;
    } else if (c > 0) {
      out.push(describe(y!, path, 'added'));
      j++;
    } else {
      i++;
      j++;
      const p = joinPath(path, x!.name);
      if (x!.type !== y!.type) {
        out.push(describe(x!, path, 'removed'), describe(y!, path, 'added'));
      } else if (x!.type === 'dir' && y!.type === 'dir') {
        if (x!.subtree !== y!.subtree) {
          const [ta, tb] = await Promise.all([repo.readTree(x!.subtree), repo.readTree(y!.subtree)]);
          await diffNodes(repo, ta.nodes, tb.nodes, p, out, signal);
        }
      } else if (x!.type === 'file' && y!.type === 'file') {
        if (x!.size !== y!.size || x!.content.join() !== y!.content.join()) {
          out.push({ path: p, kind: 'changed', type: 'file', before: x!.size, after: y!.size });
        }
      }
    }
  }
}

function describe(n: TreeNode, parent: string, kind: ChangeKind): Change {
  const path = joinPath(parent, n.name);
  if (n.type === 'dir') return { path, kind, type: 'dir' };
  return kind === 'added' ? { path, kind, type: 'file', after: n.size } : { path, kind, type: 'file', before: n.size };
}
