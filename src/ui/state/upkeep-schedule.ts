import { createSignal } from 'solid-js';
import type { EngineClient } from '../../worker/client';
import type { DrillStatus, ScrubRunInfo } from '../../worker/protocol';

const [changes, setChanges] = createSignal(0);

/**
 * Bumped after every drill or scrub this page ran (scheduled or on demand): views that show
 * upkeep status re-read it when this changes.
 */
export const upkeepChanges = changes;
export function noteUpkeepChange(): void {
  setChanges((n) => n + 1);
}

/**
 * Runs a restore drill when one is due (weekly; the first one hour after the first backup).
 * Resolves the status after it, or null when none was due or the repository was busy (another
 * job runs: it is tried again at the next check). Never rejects. Schedulers call this; the
 * app's own timer (UpkeepTimer) calls it every minute while a repository is open.
 */
export async function runDrillIfDue(client: EngineClient, session: string): Promise<DrillStatus | null> {
  try {
    const status = await client.lastDrill(session);
    if (!status.due) return null;
    const after = await client.drill(session).result;
    noteUpkeepChange();
    return after;
  } catch {
    return null;
  }
}

/**
 * Runs one scrub slice when the last run is a day old or more (the first once a drill has run);
 * like runDrillIfDue otherwise.
 */
export async function runScrubIfDue(client: EngineClient, session: string): Promise<ScrubRunInfo | null> {
  try {
    const status = await client.scrubStatus(session);
    if (!status.due || status.totalBytes === 0) return null;
    // The first scheduled scrub waits for the first scheduled drill (an hour after the first backup).
    if (status.lastRun === null && (await client.lastDrill(session)).last === null) return null;
    const after = await client.scrub(session).result;
    noteUpkeepChange();
    return after;
  } catch {
    return null;
  }
}
