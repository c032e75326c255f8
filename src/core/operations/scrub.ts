import { throwIfAborted } from '../errors';
import type { Id } from '../format/ids';
import type { Repository } from '../repository/repository';
import type { JobOptions } from './progress';
import { verifyPack } from './verify-pack';

/**
 * Where a rolling scrub stopped: when each pack was last read and authenticated. Kept by the
 * caller (IndexedDB in the app, a file beside the CLI's config), never in the repository.
 */
export interface ScrubState {
  readonly version: 1;
  readonly repositoryId: Id;
  /** Pack id → ms when it was last verified. */
  readonly checked: Readonly<Record<Id, number>>;
  /** Pack id → ms when scrub first saw it (a pack never verified is due one period after). */
  readonly seen: Readonly<Record<Id, number>>;
  /** When every pack present had last been verified within the period (ms), if ever. */
  readonly lastFullPass?: number;
}

export interface ScrubOptions extends JobOptions<{ done: number; total: number; bytes: number }> {
  /** Every pack is read at least once per period (default 30 days). */
  readonly periodMs?: number;
  /** How often scrub runs (default daily): sets the slice read each run. */
  readonly intervalMs?: number;
  readonly now?: number;
}

export interface ScrubReport {
  readonly state: ScrubState;
  readonly packsChecked: number;
  readonly bytesRead: number;
  readonly damagedPacks: readonly { pack: Id; reason: string }[];
  /** Fraction (0–1) of stored bytes verified within the period, after this run. */
  readonly coverage: number;
  readonly totalBytes: number;
}

export const DEFAULT_SCRUB_PERIOD = 30 * 86400e3;

/**
 * Reads and authenticates a slice of the packs: every pack not verified within the period, then
 * the least recently verified ones until this run's share (total ÷ runs per period) is read. If
 * scrub runs at least once per period, every pack is read at least once per period.
 */
export async function scrub(repo: Repository, previous: ScrubState | null, opts: ScrubOptions = {}): Promise<ScrubReport> {
  const now = opts.now ?? repo.host.now();
  const period = opts.periodMs ?? DEFAULT_SCRUB_PERIOD;
  const runsPerPeriod = Math.max(1, Math.floor(period / (opts.intervalMs ?? 86400e3)));
  const same = previous && previous.repositoryId === repo.config.id;
  const old = same ? previous.checked : {};
  const oldSeen = same ? (previous.seen ?? {}) : {};
  const packs = new Map<Id, number>();
  for await (const f of repo.backend.list('data')) packs.set(f.name, f.size);
  let totalBytes = 0;
  for (const size of packs.values()) totalBytes += size;
  const order = [...packs.keys()].sort((a, b) => (old[a] ?? -1) - (old[b] ?? -1));
  const share = Math.ceil(totalBytes / runsPerPeriod);
  const checked: Record<Id, number> = {};
  const seen: Record<Id, number> = {};
  for (const p of packs.keys()) {
    if (old[p] !== undefined) checked[p] = old[p];
    seen[p] = oldSeen[p] ?? now;
  }
  const damagedPacks: { pack: Id; reason: string }[] = [];
  let bytesRead = 0;
  let count = 0;
  for (const pack of order) {
    const overdue = now - (old[pack] ?? seen[pack]!) >= period;
    if (!overdue && bytesRead >= share) break;
    throwIfAborted(opts.signal);
    const size = packs.get(pack)!;
    const v = await verifyPack(repo, pack, size);
    bytesRead += size;
    count++;
    opts.onProgress?.({ done: count, total: order.length, bytes: bytesRead });
    const bad = v.unreadable ?? (v.hashMismatch ? 'does not match its hash' : v.badBlobs.size ? `${v.badBlobs.size} damaged blob(s)` : undefined);
    if (bad) damagedPacks.push({ pack, reason: bad });
    else checked[pack] = now;
  }
  let covered = 0;
  for (const [pack, size] of packs) if (checked[pack] !== undefined && now - checked[pack]! < period) covered += size;
  const full = covered === totalBytes;
  const lastFullPass = full ? now : previous?.lastFullPass;
  return {
    state: { version: 1, repositoryId: repo.config.id, checked, seen, ...(lastFullPass !== undefined ? { lastFullPass } : {}) },
    packsChecked: count,
    bytesRead,
    damagedPacks,
    coverage: totalBytes === 0 ? 1 : covered / totalBytes,
    totalBytes,
  };
}
