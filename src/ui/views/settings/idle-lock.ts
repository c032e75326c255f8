import { onCleanup } from 'solid-js';
import type { EngineContextValue } from '../../state/engine-context';
import { getSetting, setSetting } from '../../state/settings-store';

/** Minutes without interaction before the backups lock; 0 = never. Default 15. */
export const DEFAULT_IDLE_MINUTES = 15;
export const IDLE_CHOICES = [5, 15, 30, 60, 0] as const;
const KEY = 'idle-lock-minutes';
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export async function loadIdleMinutes(): Promise<number> {
  const v = await getSetting<number>(KEY).catch(() => undefined);
  return typeof v === 'number' && v >= 0 ? v : DEFAULT_IDLE_MINUTES;
}

export const saveIdleMinutes = (minutes: number): Promise<void> => setSetting(KEY, minutes);

/**
 * Locks the open backups after `minutes()` without a click, key press or scroll (checked every
 * 15 s), never while a job runs. Locking ends the worker session (its key is forgotten); a key
 * remembered on this device stays, and the unlock screen offers it. Call inside a component.
 */
export function useIdleLock(engine: EngineContextValue, minutes: () => number): void {
  let last = Date.now();
  const touch = (): void => void (last = Date.now());
  for (const type of ACTIVITY) document.addEventListener(type, touch, { passive: true, capture: true });
  const timer = setInterval(() => {
    const repo = engine.repo();
    const limit = minutes() * 60_000;
    if (!repo || limit === 0) return void (last = Date.now());
    if (engine.busy()) return void (last = Date.now());
    if (Date.now() - last < limit) return;
    void engine.client.lock(repo.session).catch(() => undefined).finally(() => engine.setRepo(null));
  }, 15_000);
  onCleanup(() => {
    clearInterval(timer);
    for (const type of ACTIVITY) document.removeEventListener(type, touch, { capture: true });
  });
}
