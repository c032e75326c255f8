import { CairnError } from '../errors';
import type { Id } from '../format/ids';
import type { SnapshotRef } from '../model/snapshot';
import { findNode, type Tree, type TreeNode } from '../model/tree';
import type { BlobReader } from '../repository/repository';
import { joinPath } from './progress';

/** Splits a snapshot path ("docs/a.txt", "/docs/", "") into components. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** The node at `path` inside a snapshot tree (the root itself for ""), or null. */
export async function lookup(repo: BlobReader, root: Id, path: string): Promise<{ node: TreeNode | null; tree: Tree | null }> {
  let tree = await repo.readTree(root);
  let node: TreeNode | null = null;
  for (const part of splitPath(path)) {
    if (node) {
      if (node.type !== 'dir') return { node: null, tree: null };
      tree = await repo.readTree(node.subtree);
    }
    node = findNode(tree, part) ?? null;
    if (!node) return { node: null, tree: null };
  }
  if (node?.type === 'dir') return { node, tree: await repo.readTree(node.subtree) };
  return { node, tree: node ? null : tree };
}

/** A folder's entries in a snapshot; throws 'not-found' when the path is not a folder there. */
export async function listFolder(repo: BlobReader, root: Id, path: string): Promise<readonly TreeNode[]> {
  const { tree } = await lookup(repo, root, path);
  if (!tree) throw new CairnError('not-found', `"${path}" is not a folder in this snapshot`);
  return tree.nodes;
}

/** Every entry below a folder, depth first, with its path (for `ls -r` and search). */
export async function* walkFolder(repo: BlobReader, root: Id, path = ''): AsyncGenerator<{ path: string; node: TreeNode }> {
  for (const node of await listFolder(repo, root, path)) {
    const p = joinPath(splitPath(path).join('/'), node.name);
    yield { path: p, node };
    if (node.type === 'dir') yield* walkFolder(repo, root, p);
  }
}

export interface FileVersion {
  /** The oldest snapshot holding this version. */
  readonly first: SnapshotRef;
  /** Every snapshot holding this exact version. */
  readonly snapshots: readonly SnapshotRef[];
  readonly node: TreeNode;
}

/**
 * The distinct versions of a path across snapshots, oldest first: consecutive snapshots with the
 * same content (same blob list, or for folders the same tree) count as one version.
 */
export async function findVersions(repo: BlobReader, snapshots: readonly SnapshotRef[], path: string): Promise<FileVersion[]> {
  const versions: { first: SnapshotRef; snapshots: SnapshotRef[]; node: TreeNode; key: string }[] = [];
  for (const s of snapshots) {
    const { node } = await lookup(repo, s.snapshot.tree, path).catch(() => ({ node: null }));
    if (!node) continue;
    const key = node.type === 'dir' ? `d:${node.subtree}` : `f:${node.size}:${node.content.join(',')}`;
    const last = versions[versions.length - 1];
    if (last && last.key === key) last.snapshots.push(s);
    else versions.push({ first: s, snapshots: [s], node, key });
  }
  return versions.map(({ first, snapshots: list, node }) => ({ first, snapshots: list, node }));
}
