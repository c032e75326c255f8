import { CairnError } from '../errors';
import type { SnapshotRef } from '../model/snapshot';

/**
 * Retention policies: which snapshots to keep. Like restic's `forget`: every rule keeps snapshots
 * on its own and a snapshot is kept when any rule keeps it. Calendar rules keep the newest
 * snapshot of each of the last N hours/days/weeks/months/years that have snapshots (gaps do not
 * count), in the given time zone. Pinned snapshots are always kept.
 */
export interface RetentionPolicy {
  readonly last?: number;
  readonly hourly?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
  readonly yearly?: number;
  /** Keep everything newer than this many milliseconds before `now`. */
  readonly withinMs?: number;
  /** IANA time zone for calendar rules (default UTC). */
  readonly timeZone?: string;
  /** Snapshots with any of these tags are never removed (default ["pinned"]). */
  readonly keepTags?: readonly string[];
}

/** Named presets people can pick without thinking in counts. */
export const RETENTION_PRESETS: Readonly<Record<string, RetentionPolicy>> = {
  /** Like Time Machine: hourly for a day, daily for a month, weekly after that (about 2 years). */
  'time-machine': { hourly: 24, daily: 30, weekly: 104 },
  /** A sensible default for daily backups. */
  standard: { last: 10, daily: 14, weekly: 8, monthly: 24, yearly: 10 },
  /** Keep only recent history. */
  minimal: { last: 5, daily: 7 },
};

export interface RetentionDecision {
  readonly snapshot: SnapshotRef;
  readonly keep: boolean;
  /** Why it is kept ("last 3", "daily 2026-11-20", "pinned", …); empty when removed. */
  readonly reasons: readonly string[];
}

type Bucket = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
const BUCKETS: readonly Bucket[] = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'];

/** Throws 'invalid-input' for a policy that is empty (would remove everything) or malformed. */
export function validatePolicy(p: RetentionPolicy): void {
  const counts = [p.last, ...BUCKETS.map((b) => p[b])];
  for (const c of counts) {
    if (c !== undefined && (!Number.isSafeInteger(c) || c < 0)) throw new CairnError('invalid-input', 'retention counts must be whole numbers ≥ 0');
  }
  if (p.withinMs !== undefined && !(p.withinMs >= 0)) throw new CairnError('invalid-input', 'the "within" duration must be ≥ 0');
  if (!counts.some((c) => (c ?? 0) > 0) && !(p.withinMs && p.withinMs > 0)) {
    throw new CairnError('invalid-input', 'the retention policy keeps nothing; give at least one rule (e.g. keep the last 10)');
  }
  if (p.timeZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: p.timeZone });
    } catch {
      throw new CairnError('invalid-input', `unknown time zone "${p.timeZone}"`);
    }
  }
}

/**
 * Decides every snapshot. Snapshots are grouped by host and source folders (a policy applies to
 * each group on its own, so one folder's frequent backups never push out another's). Pure.
 */
export function applyRetention(snapshots: readonly SnapshotRef[], policy: RetentionPolicy, now: number): RetentionDecision[] {
  validatePolicy(policy);
  const groups = new Map<string, SnapshotRef[]>();
  for (const s of snapshots) {
    const key = `${s.snapshot.hostname}\0${[...s.snapshot.paths].sort().join('\0')}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  const out = new Map<string, RetentionDecision>();
  const parts = calendar(policy.timeZone ?? 'UTC');
  const pinnedTags = new Set(policy.keepTags ?? ['pinned']);
  for (const group of groups.values()) {
    const newestFirst = [...group].sort((a, b) => Date.parse(b.snapshot.time) - Date.parse(a.snapshot.time));
    const reasons = new Map<string, string[]>(newestFirst.map((s) => [s.id, []]));
    newestFirst.forEach((s, i) => {
      if (policy.last !== undefined && i < policy.last) reasons.get(s.id)!.push(`last ${policy.last}`);
      if (policy.withinMs !== undefined && now - Date.parse(s.snapshot.time) <= policy.withinMs) reasons.get(s.id)!.push('within');
      const pinned = s.snapshot.tags.filter((t) => pinnedTags.has(t));
      if (pinned.length) reasons.get(s.id)!.push(`tag ${pinned[0]}`);
    });
    for (const bucket of BUCKETS) {
      let left = policy[bucket] ?? 0;
      let lastKey: string | undefined;
      for (const s of newestFirst) {
        if (left <= 0) break;
        const key = parts(Date.parse(s.snapshot.time), bucket);
        if (key === lastKey) continue;
        lastKey = key;
        left--;
        reasons.get(s.id)!.push(`${bucket} ${key}`);
      }
    }
    for (const s of newestFirst) {
      const r = reasons.get(s.id)!;
      out.set(s.id, { snapshot: s, keep: r.length > 0, reasons: r });
    }
  }
  return snapshots.map((s) => out.get(s.id)!);
}

/** A function naming the calendar bucket of a time in `timeZone` ("2026-11-21 14h", "2026-W47", …). */
function calendar(timeZone: string): (ms: number, bucket: Bucket) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  return (ms, bucket) => {
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
    const y = p.year!;
    const m = p.month!;
    const d = p.day!;
    switch (bucket) {
      case 'hourly':
        return `${y}-${m}-${d} ${p.hour}h`;
      case 'daily':
        return `${y}-${m}-${d}`;
      case 'weekly':
        return isoWeek(Number(y), Number(m), Number(d));
      case 'monthly':
        return `${y}-${m}`;
      default:
        return y;
    }
  };
}

/** ISO 8601 week ("2026-W47") of a local calendar date. */
function isoWeek(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
