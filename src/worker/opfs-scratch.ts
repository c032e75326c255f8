/**
 * A fresh, empty folder in this origin's private file system (OPFS) for a restore drill, and how
 * to remove it: "cairn-drill-<ms>-<random>" at the OPFS root; `remove` deletes it with everything
 * in it. A closed tab or crash can leave one behind, so each call first removes such folders
 * older than a day (a drill in another tab is never that old).
 */
import type { TargetDir } from '../core/index';
import { fsaTarget } from '../platform/fsa-target';

const PREFIX = 'cairn-drill-';
const STALE_MS = 86_400_000;

export async function opfsScratch(): Promise<{ dir: TargetDir; remove(): Promise<void> }> {
  const root = await navigator.storage.getDirectory();
  const now = Date.now();
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) {
    const made = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length).split('-')[0]) : NaN;
    if (now - made > STALE_MS) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  }
  const name = `${PREFIX}${now}-${crypto.randomUUID()}`;
  const handle = await root.getDirectoryHandle(name, { create: true });
  return { dir: fsaTarget(handle), remove: () => root.removeEntry(name, { recursive: true }) };
}
