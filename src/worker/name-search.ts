import { throwIfAborted } from '../core/errors';
import type { Id } from '../core/format/ids';
import type { TreeNode } from '../core/model/tree';
import type { BlobReader } from '../core/repository/repository';

/** A search hit: the entry and its path inside the snapshot. */
export interface NameHit {
  readonly path: string;
  readonly node: TreeNode;
}

export interface NameSearchOutcome {
  readonly hits: NameHit[];
  /** True when more entries matched than `limit`: the search stopped there. */
  readonly truncated: boolean;
}

/** Case- and accent-insensitive form of a name, for matching what people type. */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Every file and folder of a snapshot whose name contains `query` (ignoring case and accents),
 * depth first in tree order, at most `limit` of them. Each distinct folder is read once. An
 * empty or blank query matches nothing.
 */
export async function searchNames(
  repo: BlobReader,
  root: Id,
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<NameSearchOutcome> {
  const needle = foldName(query.trim());
  const hits: NameHit[] = [];
  if (needle === '') return { hits, truncated: false };
  let truncated = false;
  const walk = async (tree: Id, prefix: string): Promise<void> => {
    throwIfAborted(signal);
    for (const node of (await repo.readTree(tree)).nodes) {
      if (truncated) return;
      const path = prefix === '' ? node.name : `${prefix}/${node.name}`;
      if (foldName(node.name).includes(needle)) {
        if (hits.length === limit) {
          truncated = true;
          return;
        }
        hits.push({ path, node });
      }
      if (node.type === 'dir') await walk(node.subtree, path);
    }
  };
  await walk(root, '');
  return { hits, truncated };
}
