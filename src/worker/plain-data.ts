import type { CheckReport, FileVersion, RestoreReport, SnapshotRef, TreeNode } from '../core/index';
import type { CheckReportInfo, FileVersionInfo, FolderEntry, RestoreReportInfo, SnapshotInfo } from './protocol';

/**
 * Engine results as the plain data of protocol.ts. Each converter copies exactly the fields the
 * protocol names, so an engine change cannot leak new (or non-cloneable) fields across the
 * boundary, and a renamed engine field is a type error here rather than a silent `undefined`.
 */
export function snapshotInfo(ref: SnapshotRef): SnapshotInfo {
  const s = ref.snapshot;
  const sum = s.summary;
  return {
    id: ref.id,
    shortId: ref.id.slice(0, 8),
    time: s.time,
    paths: [...s.paths],
    hostname: s.hostname,
    tags: [...s.tags],
    ...(s.parent !== undefined ? { parent: s.parent } : {}),
    ...(sum
      ? {
          stats: {
            files: sum.files,
            dirs: sum.dirs,
            bytes: sum.bytes,
            newFiles: sum.newFiles,
            changedFiles: sum.changedFiles,
            unchangedFiles: sum.unchangedFiles,
            addedBytes: sum.addedBytes,
            storedBytes: sum.storedBytes,
            errors: sum.errors,
            durationMs: sum.durationMs,
          },
        }
      : {}),
  };
}

export function folderEntry(node: TreeNode): FolderEntry {
  return node.type === 'file'
    ? { name: node.name, kind: 'file', size: node.size, mtime: node.mtime }
    : { name: node.name, kind: 'dir', mtime: node.mtime };
}

export function fileVersionInfo(v: FileVersion): FileVersionInfo {
  return {
    firstSnapshot: v.first.id,
    firstTime: v.first.snapshot.time,
    snapshots: v.snapshots.map((s) => s.id),
    entry: folderEntry(v.node),
  };
}

export function restoreReportInfo(r: RestoreReport): RestoreReportInfo {
  return {
    decisions: r.decisions.map((d) => ({
      path: d.path,
      action: d.action,
      ...(d.writtenAs !== undefined ? { writtenAs: d.writtenAs } : {}),
      ...(d.preservedAs !== undefined ? { preservedAs: d.preservedAs } : {}),
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
    })),
    counts: { ...r.counts },
    bytesWritten: r.bytesWritten,
  };
}

export function checkReportInfo(r: CheckReport): CheckReportInfo {
  return {
    ok: r.ok,
    problems: r.problems.map((p) => ({ kind: p.kind, ...(p.id !== undefined ? { id: p.id } : {}), message: p.message })),
    damagedPacks: [...r.damagedPacks],
    damagedSnapshots: [...r.damagedSnapshots],
    damagedFiles: r.damagedFiles.map((f) => ({ snapshot: f.snapshot, path: f.path, reason: f.reason })),
    unreferencedPacks: [...r.unreferencedPacks],
    stats: { ...r.stats },
  };
}
