import { transfer } from 'comlink';
import { CairnError } from '../core/errors';
import {
  diffSnapshots,
  drill,
  lookup,
  planRetention,
  prune,
  removeSnapshots,
  repairIndex,
  scrub,
  setSnapshotTags,
  validatePolicy,
  type DrillState,
  type PruneReport,
  type RetentionPolicy,
  type ScrubState,
  type TargetDir,
} from '../core/index';
import { damagedBlobs, filesUsingBlobs } from './affected-files';
import type { RepositorySession } from './open-repositories';
import { settle } from './outcome';
import { snapshotInfo } from './plain-data';
import {
  DEFAULT_DRILL_INTERVAL_MS,
  DEFAULT_GRACE_MS,
  DEFAULT_SCRUB_PERIOD_MS,
  DRILL_OVERDUE_AFTER_MS,
  FIRST_DRILL_AFTER_MS,
  SCRUB_INTERVAL_MS,
  type AffectedFile,
  type DrillProgressEvent,
  type DrillRecord,
  type DrillStatus,
  type FileBytes,
  type KeepPolicy,
  type KeepPreview,
  type KeepProgressEvent,
  type KeepRequest,
  type KeepResult,
  type Outcome,
  type PruneInfo,
  type PruneProgressEvent,
  type RepairInfo,
  type RepairProgressEvent,
  type ScrubProgressEvent,
  type ScrubRunInfo,
  type ScrubStatus,
  type SnapshotDiffInfo,
  type SnapshotInfo,
  type UpkeepJobKind,
} from './protocol';
import { withTabLock } from './tab-locks';
import { sealedRecords, type UpkeepRecords } from './upkeep-records';

type Sink<P> = ((p: P) => unknown) | undefined;

/** What the upkeep methods need from the engine API object that hosts them. */
export interface UpkeepHost {
  session(id: string): RepositorySession;
  job<P, T>(jobId: string, kind: UpkeepJobKind, s: RepositorySession, onProgress: Sink<P>, work: (signal: AbortSignal, push: (p: P) => void) => Promise<T>): Promise<T>;
  now(): number;
  readonly records: UpkeepRecords;
  /** A fresh, empty scratch folder for a drill, and how to remove it (OPFS in the app). */
  scratch(): Promise<{ dir: TargetDir; remove(): Promise<void> }>;
}

interface ScrubRecord {
  readonly state: ScrubState;
  readonly lastRun: number;
  readonly damagedPacks: readonly { pack: string; reason: string }[];
  readonly affectedFiles: readonly AffectedFile[];
}

interface DrillMemory {
  readonly state: DrillState | null;
  readonly last: DrillRecord;
  readonly lastSuccess: number | null;
}

const MAX_CHANGES = 2000;
const MAX_LOST = 1000;
const MAX_READ = 16 * 1024 * 1024;

/**
 * The worker methods of "History and upkeep", hosted by EngineApi (one-line delegations there).
 *
 * Contract, on top of EngineApi's: read-only methods (status, readFile, diff, previewKeep) are not
 * jobs and run alongside one; applyKeep, prune, repair, scrub and drill are jobs (one per
 * repository at a time, cancellable). Scrub and drill state are kept per repository id in the
 * app's settings database (upkeep-records.ts), never in the repository. Nothing is ever removed
 * that the user has not seen in a preview: `applyKeep` re-plans and refuses when the set of
 * snapshots to remove differs from the one confirmed.
 */
export class UpkeepMethods {
  constructor(private readonly host: UpkeepHost) {}

  /** The bytes of a file in a snapshot, or `bytes: null` when it is larger than `maxBytes` (≤ 16 MiB). */
  readFile(session: string, snapshotId: string, path: string, maxBytes: number): Promise<Outcome<FileBytes>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      const ref = await repo.resolveSnapshot(snapshotId);
      await repo.loadIndex();
      const { node } = await lookup(repo, ref.snapshot.tree, String(path));
      if (node?.type !== 'file') throw new CairnError('not-found', `"${path}" is not a file in this version`);
      const limit = Math.min(MAX_READ, Number.isSafeInteger(maxBytes) && maxBytes > 0 ? maxBytes : MAX_READ);
      if (node.size > limit) return { size: node.size, bytes: null };
      const bytes = new Uint8Array(node.size);
      let off = 0;
      for (const id of node.content) {
        const part = await repo.readBlob('data', id);
        bytes.set(part.subarray(0, Math.max(0, node.size - off)), off);
        off += part.length;
      }
      return transfer({ size: node.size, bytes }, [bytes.buffer]);
    });
  }

  /** What was added, removed and changed from one snapshot to another, in a folder ('' = all). */
  diff(session: string, fromId: string, toId: string, path: string): Promise<Outcome<SnapshotDiffInfo>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      const [from, to] = [await repo.resolveSnapshot(fromId), await repo.resolveSnapshot(toId)];
      await repo.loadIndex();
      const d = await diffSnapshots(repo, from.snapshot.tree, to.snapshot.tree, String(path ?? ''));
      return {
        changes: d.changes.slice(0, MAX_CHANGES).map((c) => ({
          path: c.path,
          kind: c.kind,
          type: c.type,
          ...(c.before !== undefined ? { before: c.before } : {}),
          ...(c.after !== undefined ? { after: c.after } : {}),
        })),
        counts: { ...d.counts },
        sizeDelta: d.sizeDelta,
        truncated: d.changes.length > MAX_CHANGES,
      };
    });
  }

  /** Adds or removes the "pinned" tag (a new snapshot record; the files are untouched). */
  setPinned(session: string, snapshotId: string, pinned: boolean): Promise<Outcome<SnapshotInfo>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      return withTabLock(repo.config.id, 'exclusive', async () => {
        const ref = await repo.resolveSnapshot(snapshotId);
        const tags = new Set(ref.snapshot.tags);
        if (pinned) tags.add('pinned');
        else tags.delete('pinned');
        const id = await setSnapshotTags(repo, ref.id, [...tags]);
        return snapshotInfo(await repo.resolveSnapshot(id));
      }, 'tag');
    });
  }

  /** What a keep policy would remove and which file versions would be lost; removes nothing. */
  previewKeep(session: string, request: KeepRequest): Promise<Outcome<KeepPreview>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      return this.#plan(repo, request);
    });
  }

  /**
   * Removes exactly the snapshots `confirmed` (the preview's `remove`), then prunes. Re-plans
   * first under the same policy: when the plan now removes a different set (a backup ran, a pin
   * changed), fails with 'invalid-input' having removed nothing.
   */
  applyKeep(jobId: string, session: string, request: KeepRequest, confirmed: readonly string[], onProgress?: Sink<KeepProgressEvent>): Promise<Outcome<KeepResult>> {
    return settle(async () => {
      const s = this.host.session(session);
      return this.host.job<KeepProgressEvent, KeepResult>(jobId, 'retention', s, onProgress, async (signal, push) => {
        const plan = await this.#plan(s.repo, request);
        const same = plan.remove.length === confirmed.length && plan.remove.every((id) => confirmed.includes(id));
        if (!same) throw new CairnError('invalid-input', 'your backups changed since the preview: look at the preview again before removing anything');
        push({ phase: 'forget', done: 0, total: confirmed.length });
        if (confirmed.length > 0) await removeSnapshots(s.repo, confirmed);
        push({ phase: 'forget', done: confirmed.length, total: confirmed.length });
        const report = await prune(s.repo, { signal, onProgress: push });
        return { removed: [...confirmed], prune: pruneInfo(report) };
      });
    });
  }

  /** Removes stored data no snapshot needs, with progress. */
  prune(jobId: string, session: string, onProgress?: Sink<PruneProgressEvent>): Promise<Outcome<PruneInfo>> {
    return settle(async () => {
      const s = this.host.session(session);
      return this.host.job(jobId, 'prune', s, onProgress, async (signal, push) => pruneInfo(await prune(s.repo, { signal, onProgress: push })));
    });
  }

  /** Rebuilds the index from the packs and names exactly the files that are lost. */
  repair(jobId: string, session: string, onProgress?: Sink<RepairProgressEvent>): Promise<Outcome<RepairInfo>> {
    return settle(async () => {
      const s = this.host.session(session);
      return this.host.job(jobId, 'repair', s, onProgress, async (signal, push) => {
        const r = await repairIndex(s.repo, { signal, onProgress: push });
        const times = new Map((await s.repo.listSnapshots(() => undefined)).map((x) => [x.id, x.snapshot.time]));
        return {
          packsRead: r.packsRead,
          unreadablePacks: r.unreadablePacks.map((p) => ({ pack: p.pack, reason: p.reason })),
          damagedBlobs: r.damagedBlobs,
          lostFiles: r.lostFiles.map((f) => ({ snapshot: f.snapshot, snapshotTime: times.get(f.snapshot) ?? '', path: f.path })),
          unreadableSnapshots: r.unreadableSnapshots.map((u) => ({ id: u.id, reason: u.reason })),
        };
      });
    });
  }

  /** Coverage of the rolling verification (reads the list of stored packs, no data). */
  scrubStatus(session: string): Promise<Outcome<ScrubStatus>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      return this.#scrubStatus(repo.config.id, await sealedRecords(this.host.records, repo.sealer).get<ScrubRecord>('scrub', repo.config.id), await packSizes(repo));
    });
  }

  /** Verifies one slice of the stored data; on damage, names the files concerned. */
  scrub(jobId: string, session: string, onProgress?: Sink<ScrubProgressEvent>): Promise<Outcome<ScrubRunInfo>> {
    return settle(async () => {
      const s = this.host.session(session);
      return this.host.job<ScrubProgressEvent, ScrubRunInfo>(jobId, 'scrub', s, onProgress, async (signal, push) => {
        const id = s.repo.config.id;
        const previous = await sealedRecords(this.host.records, s.repo.sealer).get<ScrubRecord>('scrub', id);
        await s.repo.loadIndex();
        const now = this.host.now();
        const r = await scrub(s.repo, previous?.state ?? null, {
          now,
          periodMs: DEFAULT_SCRUB_PERIOD_MS,
          intervalMs: SCRUB_INTERVAL_MS,
          signal,
          onProgress: (p) => push({ packsDone: p.done, packsTotal: p.total, bytesRead: p.bytes }),
        });
        const damaged = r.damagedPacks.map((d) => ({ pack: d.pack, reason: d.reason }));
        let affected: AffectedFile[] = [];
        if (damaged.length > 0) {
          const bad = await damagedBlobs(s.repo, damaged.map((d) => d.pack));
          affected = await filesUsingBlobs(s.repo, await s.repo.listSnapshots(() => undefined), bad, 200, signal);
        }
        const record: ScrubRecord = { state: r.state, lastRun: now, damagedPacks: damaged, affectedFiles: affected };
        await sealedRecords(this.host.records, s.repo.sealer).put('scrub', id, record);
        return { packsChecked: r.packsChecked, bytesRead: r.bytesRead, status: this.#scrubStatus(id, record, await packSizes(s.repo)) };
      });
    });
  }

  /** The last restore drill and whether one is due or overdue (plain data for the home screen). */
  lastDrill(session: string): Promise<Outcome<DrillStatus>> {
    return settle(async () => {
      const { repo } = this.host.session(session);
      return this.#drillStatus(repo, await sealedRecords(this.host.records, repo.sealer).get<DrillMemory>('drill', repo.config.id));
    });
  }

  /**
   * A restore drill: restores a sample of files from the newest snapshot and the one drilled
   * least recently into a scratch folder (removed afterwards), reads them back and compares.
   * The result is recorded whether the drill passes or fails; only a cancel records nothing.
   */
  drill(jobId: string, session: string, onProgress?: Sink<DrillProgressEvent>): Promise<Outcome<DrillStatus>> {
    return settle(async () => {
      const s = this.host.session(session);
      return this.host.job<DrillProgressEvent, DrillStatus>(jobId, 'drill', s, onProgress, async (signal, push) => {
        const id = s.repo.config.id;
        const memory = await sealedRecords(this.host.records, s.repo.sealer).get<DrillMemory>('drill', id);
        const now = this.host.now();
        await s.repo.loadIndex();
        const times = new Map((await s.repo.listSnapshots(() => undefined)).map((x) => [x.id, x.snapshot.time]));
        let next: DrillMemory;
        const scratch = await this.host.scratch();
        try {
          const r = await drill(s.repo, scratch.dir, memory?.state ?? null, { now, signal, onProgress: push });
          const sample = [...r.files].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, 50);
          const last: DrillRecord = {
            time: r.time,
            ok: r.ok,
            files: r.files.length,
            filesOk: r.files.filter((f) => f.ok).length,
            bytes: r.bytes,
            snapshots: r.snapshots.map((x) => ({ id: x, time: times.get(x) ?? '' })),
            sample: sample.map((f) => ({
              snapshot: f.snapshot,
              snapshotTime: times.get(f.snapshot) ?? '',
              path: f.path,
              size: f.size,
              ok: f.ok,
              ...(f.reason !== undefined ? { reason: f.reason } : {}),
            })),
          };
          next = { state: r.state, last, lastSuccess: r.ok ? r.time : (memory?.lastSuccess ?? null) };
        } catch (e) {
          if (e instanceof CairnError && (e.code === 'aborted' || e.code === 'not-found')) throw e;
          const message = e instanceof Error ? e.message : String(e);
          const last: DrillRecord = { time: now, ok: false, files: 0, filesOk: 0, bytes: 0, snapshots: [], sample: [], error: message };
          next = { state: memory?.state ?? null, last, lastSuccess: memory?.lastSuccess ?? null };
        } finally {
          await scratch.remove().catch(() => undefined);
        }
        await sealedRecords(this.host.records, s.repo.sealer).put('drill', id, next);
        return this.#drillStatus(s.repo, next);
      });
    });
  }

  async #plan(repo: RepositorySession['repo'], request: KeepRequest): Promise<KeepPreview> {
    const policy = enginePolicy(request.policy);
    const graceMs = request.graceMs ?? DEFAULT_GRACE_MS;
    if (!(graceMs >= 0)) throw new CairnError('invalid-input', 'the grace period must be zero or more');
    await repo.loadIndex();
    const snapshots = await repo.listSnapshots(() => undefined);
    const plan = await planRetention(repo, snapshots, policy, this.host.now(), { graceMs });
    return {
      decisions: plan.decisions.map((d) => ({ snapshot: snapshotInfo(d.snapshot), keep: d.keep, reasons: [...d.reasons] })),
      remove: plan.decisions.filter((d) => !d.keep).map((d) => d.snapshot.id),
      lostVersions: plan.lostVersions.slice(0, MAX_LOST).map((l) => ({ path: l.path, snapshot: l.snapshot, time: l.time, size: l.size })),
      lostTotal: plan.lostVersions.length,
    };
  }

  #scrubStatus(repositoryId: string, record: ScrubRecord | undefined, packs: ReadonlyMap<string, number>): ScrubStatus {
    const now = this.host.now();
    let totalBytes = 0;
    let verifiedBytes = 0;
    for (const [pack, size] of packs) {
      totalBytes += size;
      const at = record?.state.checked[pack];
      if (at !== undefined && now - at < DEFAULT_SCRUB_PERIOD_MS) verifiedBytes += size;
    }
    return {
      repositoryId,
      coverage: totalBytes === 0 ? (record ? 1 : 0) : verifiedBytes / totalBytes,
      verifiedBytes,
      totalBytes,
      periodMs: DEFAULT_SCRUB_PERIOD_MS,
      lastRun: record?.lastRun ?? null,
      lastFullPass: record?.state.lastFullPass ?? null,
      damagedPacks: record ? record.damagedPacks.filter((d) => packs.has(d.pack)) : [],
      affectedFiles: record && record.damagedPacks.some((d) => packs.has(d.pack)) ? [...record.affectedFiles] : [],
      due: !record || now - record.lastRun >= SCRUB_INTERVAL_MS,
    };
  }

  async #drillStatus(repo: RepositorySession['repo'], memory: DrillMemory | undefined): Promise<DrillStatus> {
    const now = this.host.now();
    const last = memory?.last ?? null;
    const snapshots = await repo.listSnapshots(() => undefined);
    const oldest = Math.min(...snapshots.map((s) => Date.parse(s.snapshot.time)).filter((t) => Number.isFinite(t)));
    const nextDue = snapshots.length === 0 ? null : last ? last.time + DEFAULT_DRILL_INTERVAL_MS : oldest + FIRST_DRILL_AFTER_MS;
    return {
      repositoryId: repo.config.id,
      last,
      lastSuccess: memory?.lastSuccess ?? null,
      intervalMs: DEFAULT_DRILL_INTERVAL_MS,
      nextDue,
      due: nextDue !== null && now >= nextDue,
      overdue: nextDue !== null && now - nextDue > DRILL_OVERDUE_AFTER_MS,
    };
  }
}

/** The engine policy for a UI policy: counts as given, pinned always kept, the local time zone. */
export function enginePolicy(p: KeepPolicy): RetentionPolicy {
  const pick = (k: keyof KeepPolicy) => (typeof p?.[k] === 'number' ? { [k]: p[k] } : {});
  const policy: RetentionPolicy = {
    ...pick('last'),
    ...pick('hourly'),
    ...pick('daily'),
    ...pick('weekly'),
    ...pick('monthly'),
    ...pick('yearly'),
    ...pick('withinMs'),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    keepTags: ['pinned'],
  };
  validatePolicy(policy);
  return policy;
}

function pruneInfo(r: PruneReport): PruneInfo {
  return { bytesFreed: r.bytesFreed, packsDeleted: r.packsDeleted, packsRepacked: r.packsRepacked, packsKept: r.packsKept, bytesUnusedKept: r.bytesUnusedKept };
}

async function packSizes(repo: RepositorySession['repo']): Promise<Map<string, number>> {
  const packs = new Map<string, number>();
  for await (const f of repo.backend.list('data')) packs.set(f.name, f.size);
  return packs;
}
