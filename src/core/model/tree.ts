import { CairnError } from '../errors';
import { utf8 } from '../format/bytes';
import { isId, type Id } from '../format/ids';
import { parseJsonObject } from '../repository/json';
import { MAX_BLOB_LENGTH } from '../repository/pack';

/**
 * Trees: one folder's listing, stored as a 'tree' blob of compact JSON `{"nodes":[…]}` with
 * nodes sorted by name (UTF-16 code units) and names unique. Names are kept exactly as the source
 * reported them; they are validated as path components only when restoring.
 */
export interface FileNode {
  readonly name: string;
  readonly type: 'file';
  readonly size: number;
  /** ms since the epoch. */
  readonly mtime: number;
  /** Data blob ids in order; empty for an empty file. */
  readonly content: readonly Id[];
}

export interface DirNode {
  readonly name: string;
  readonly type: 'dir';
  readonly mtime: number;
  readonly subtree: Id;
}

export type TreeNode = FileNode | DirNode;

export interface Tree {
  readonly nodes: readonly TreeNode[];
}

export const MAX_NAME_LENGTH = 4096;

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts nodes into tree order and encodes them. Duplicate names are a programming error. */
export function encodeTree(nodes: TreeNode[]): Uint8Array {
  const sorted = [...nodes].sort((a, b) => compareNames(a.name, b.name));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.name === sorted[i]!.name) throw new Error(`duplicate name in tree: ${sorted[i]!.name}`);
  }
  return utf8(JSON.stringify({ nodes: sorted }));
}

/** Parses and validates a tree blob (CairnError 'corrupted' on anything malformed). */
export function decodeTree(plain: Uint8Array, id: Id): Tree {
  const what = `tree ${id.slice(0, 8)}`;
  const obj = parseJsonObject(plain, what, MAX_BLOB_LENGTH);
  const nodes = obj.nodes;
  if (!Array.isArray(nodes)) throw new CairnError('corrupted', `${what} has no node list`);
  let previous: string | undefined;
  const out: TreeNode[] = [];
  for (const n of nodes as unknown[]) {
    if (!isNode(n)) throw new CairnError('corrupted', `${what} has a malformed entry`);
    if (previous !== undefined && compareNames(previous, n.name) >= 0) {
      throw new CairnError('corrupted', `${what} is not sorted or has duplicate names`);
    }
    previous = n.name;
    // Only the fields of format v1 are kept: unknown members never travel into new trees.
    out.push(
      n.type === 'dir'
        ? { name: n.name, type: 'dir', mtime: n.mtime, subtree: n.subtree }
        : { name: n.name, type: 'file', size: n.size, mtime: n.mtime, content: n.content },
    );
  }
  return { nodes: out };
}

function isNode(n: unknown): n is TreeNode {
  if (typeof n !== 'object' || n === null) return false;
  const o = n as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name.length === 0 || o.name.length > MAX_NAME_LENGTH) return false;
  if (typeof o.mtime !== 'number' || !Number.isFinite(o.mtime)) return false;
  if (o.type === 'dir') return isId(o.subtree);
  if (o.type !== 'file') return false;
  return (
    typeof o.size === 'number' && Number.isSafeInteger(o.size) && o.size >= 0 &&
    Array.isArray(o.content) && o.content.every(isId)
  );
}

/** Finds a child by exact name (binary search over the sorted nodes). */
export function findNode(tree: Tree, name: string): TreeNode | undefined {
  let lo = 0;
  let hi = tree.nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const node = tree.nodes[mid]!;
    const c = compareNames(node.name, name);
    if (c === 0) return node;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
