import { CairnError, throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import type { IndexedBlob } from '../repository/index-file';
import { PACK_TRAILER, parsePackHeader, parsePackTrailer } from '../repository/pack';
import { RepoLock } from '../repository/repo-lock';
import type { Repository } from '../repository/repository';
import { check, type DamagedFile } from './check';
import type { JobOptions } from './progress';

export interface RepairReport {
  readonly packsRead: number;
  /** Packs whose header cannot be read: their data is lost. */
  readonly unreadablePacks: readonly { pack: Id; reason: string }[];
  readonly blobsIndexed: number;
  /** Blobs whose data failed authentication (with `readData`), left out of the index. */
  readonly damagedBlobs: number;
  readonly indexFilesReplaced: number;
  /** What the snapshots cannot restore afterwards: exactly the files lost. */
  readonly lostFiles: readonly DamagedFile[];
  /** Snapshots that cannot be read at all (nothing in them restores). */
  readonly unreadableSnapshots: readonly { id: Id; reason: string }[];
}

export interface RepairOptions extends JobOptions<{ done: number; total: number }> {
  /** Authenticate every blob and leave damaged ones out of the index (reads everything). */
  readonly readData?: boolean;
}

/**
 * Rebuilds the index from the packs themselves (they describe themselves), under an exclusive
 * lock: writes one new index superseding every existing index file, then removes those files.
 * Reports exactly which files of which snapshots are lost. Removed blobs are forgotten by the
 * index, so the next backup of the same folders stores them again and heals those files.
 */
export async function repairIndex(repo: Repository, opts: RepairOptions = {}): Promise<RepairReport> {
  const lock = await RepoLock.acquire(repo, true);
  try {
    const oldIndex: Id[] = [];
    for await (const f of repo.backend.list('index')) oldIndex.push(f.name);
    const packs = new Map<Id, number>();
    for await (const f of repo.backend.list('data')) packs.set(f.name, f.size);
    const unreadablePacks: { pack: Id; reason: string }[] = [];
    const keptPacks = new Map<Id, number>();
    const blobs: IndexedBlob[] = [];
    let damagedBlobs = 0;
    let done = 0;
    for (const [pack, size] of packs) {
      throwIfAborted(opts.signal);
      opts.onProgress?.({ done: done++, total: packs.size });
      try {
        const entries = await readHeader(repo, pack, size);
        const bytes = opts.readData ? await repo.backend.read('data', pack) : null;
        for (const e of entries) {
          if (bytes) {
            try {
              await repo.openBlob(e, bytes.subarray(e.offset, e.offset + e.length));
            } catch (err) {
              if (!(err instanceof CairnError)) throw err;
              damagedBlobs++;
              continue;
            }
          }
          blobs.push({ ...e, pack });
        }
        keptPacks.set(pack, size);
      } catch (e) {
        if (!(e instanceof CairnError) || e.code === 'disconnected' || e.code === 'permission' || e.code === 'aborted') throw e;
        unreadablePacks.push({ pack, reason: e.message });
        // The header is lost, but the old index may still say where each blob is: keep every
        // blob found there that still authenticates.
        let kept = 0;
        for (const b of [...repo.index.entries()].filter((x) => x.pack === pack)) {
          try {
            await repo.readBlobAt(b);
            blobs.push(b);
            kept++;
          } catch (err) {
            if (!(err instanceof CairnError) || err.code === 'disconnected' || err.code === 'permission') throw err;
            damagedBlobs++;
          }
        }
        if (kept) keptPacks.set(pack, size);
      }
    }
    await lock.assertFresh();
    await repo.writeIndexFile({ supersedes: oldIndex, packs: keptPacks, blobs });
    for (const id of oldIndex) await repo.backend.remove('index', id);
    await repo.loadIndex();
    const after = await check(repo);
    return {
      packsRead: keptPacks.size,
      unreadablePacks,
      blobsIndexed: blobs.length,
      damagedBlobs,
      indexFilesReplaced: oldIndex.length,
      lostFiles: after.damagedFiles,
      unreadableSnapshots: after.problems.filter((p) => p.kind === 'snapshot').map((p) => ({ id: p.id!, reason: p.message })),
    };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

async function readHeader(repo: Repository, pack: Id, size: number) {
  if (size < PACK_TRAILER) throw new CairnError('corrupted', `pack ${pack.slice(0, 8)} is too short`);
  const headerLength = parsePackTrailer(await repo.backend.readRange('data', pack, size - PACK_TRAILER, PACK_TRAILER), size, pack);
  const header = await repo.backend.readRange('data', pack, size - PACK_TRAILER - headerLength, headerLength);
  return parsePackHeader(repo.sealer, header, size, pack);
}
