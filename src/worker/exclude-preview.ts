import { CairnError } from '../core/errors';
import { compileExcludes } from '../core/operations/exclude';
import type { SourceDir } from '../core/ports/source';
import { fsaSource } from '../platform/fsa-source';
import { requirePermission } from './handle-permission';
import type { BackupSourceSpec, ExcludedEntryInfo, ExcludePreview } from './protocol';

/** Most excluded entries listed by name (the counts cover all of them). */
export const EXCLUDE_PREVIEW_LIST_LIMIT = 200;
/** Most entries visited before the preview stops and reports itself incomplete. */
export const EXCLUDE_PREVIEW_VISIT_LIMIT = 100_000;

/**
 * What a backup of `source` with `patterns` would leave out, found by walking the folder the way
 * backup does (same matcher, same paths "<source name>/a/b"). Excluded folders are not entered,
 * so their contents are neither counted nor listed, exactly like backup. Each listed entry names
 * the first pattern that matched it. Reads names and sizes only, never file contents.
 *
 * Fails with 'invalid-input' for a bad pattern and 'permission' without read access. Stops after
 * EXCLUDE_PREVIEW_VISIT_LIMIT entries with `complete: false`, or at once when `signal` aborts.
 */
export async function previewExcludes(
  source: BackupSourceSpec,
  patterns: readonly string[],
  signal?: AbortSignal,
): Promise<ExcludePreview> {
  if (!Array.isArray(patterns) || !patterns.every((p) => typeof p === 'string')) {
    throw new CairnError('invalid-input', 'exclude patterns must be a list of strings');
  }
  const all = compileExcludes(patterns);
  const single = patterns.map((p) => ({ pattern: p.trim(), match: compileExcludes([p]) }));
  await requirePermission(source.handle, 'read', `the folder "${source.handle.name}"`);

  const excluded: ExcludedEntryInfo[] = [];
  const counts = { excludedFiles: 0, excludedFolders: 0, excludedBytes: 0, includedFiles: 0, includedBytes: 0 };
  const perPattern = new Map<string, number>();
  let visited = 0;
  let complete = true;

  const walk = async (dir: SourceDir, path: string): Promise<void> => {
    for await (const entry of dir.entries()) {
      if (signal?.aborted) throw new CairnError('aborted', 'the preview was cancelled');
      if (++visited > EXCLUDE_PREVIEW_VISIT_LIMIT) {
        complete = false;
        return;
      }
      const childPath = `${path}/${entry.name}`;
      if (all(childPath, entry)) {
        const pattern = single.find((s) => s.match(childPath, entry))?.pattern ?? '';
        perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
        if (entry.kind === 'dir') counts.excludedFolders++;
        else {
          counts.excludedFiles++;
          counts.excludedBytes += entry.size;
        }
        if (excluded.length < EXCLUDE_PREVIEW_LIST_LIMIT) {
          excluded.push({
            path: childPath.slice(source.name.length + 1),
            kind: entry.kind,
            ...(entry.kind === 'file' ? { size: entry.size } : {}),
            pattern,
          });
        }
        continue;
      }
      if (entry.kind === 'dir') await walk(entry, childPath);
      else {
        counts.includedFiles++;
        counts.includedBytes += entry.size;
      }
      if (!complete) return;
    }
  };
  await walk(fsaSource(source.handle), source.name);

  return {
    ...counts,
    excluded,
    byPattern: [...perPattern].map(([pattern, entries]) => ({ pattern, entries })),
    complete,
  };
}
