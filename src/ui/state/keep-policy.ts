import { DEFAULT_GRACE_MS, KEEP_PRESETS, type KeepPolicy, type KeepPresetName, type KeepRequest } from '../../worker/protocol';
import { getSetting, setSetting } from './settings-store';

/**
 * The "Keep versions" choice of a repository, remembered in the settings store per repository id
 * (key "keep-policy.<id>"): a preset or custom counts, and the grace period for deleted files.
 */
export interface KeepChoice {
  readonly preset: KeepPresetName | 'custom';
  /** Used when `preset` is 'custom'. */
  readonly custom: KeepPolicy;
  /** Days the last copy of a deleted file is kept (0: not specially). */
  readonly graceDays: number;
}

export const DEFAULT_KEEP_CHOICE: KeepChoice = {
  preset: 'time-machine',
  custom: { last: 10, daily: 14, weekly: 8, monthly: 12 },
  graceDays: DEFAULT_GRACE_MS / 86_400_000,
};

const key = (repositoryId: string) => `keep-policy.${repositoryId}`;

/** The stored choice, or the default (like Time Machine, 30 days' grace) when none is stored. */
export async function loadKeepChoice(repositoryId: string): Promise<KeepChoice> {
  const stored = await getSetting<KeepChoice>(key(repositoryId)).catch(() => undefined);
  return stored ? { ...DEFAULT_KEEP_CHOICE, ...stored } : DEFAULT_KEEP_CHOICE;
}

export function saveKeepChoice(repositoryId: string, choice: KeepChoice): Promise<void> {
  return setSetting(key(repositoryId), choice);
}

/** The request the worker takes for a choice. */
export function keepRequest(choice: KeepChoice): KeepRequest {
  const policy = choice.preset === 'custom' ? choice.custom : KEEP_PRESETS[choice.preset];
  return { policy, graceMs: Math.max(0, choice.graceDays) * 86_400_000 };
}
