import { onCleanup, onMount, type JSX } from 'solid-js';
import { useEngine } from '../../state/engine-context';
import { runDrillIfDue, runScrubIfDue } from '../../state/upkeep-schedule';

const CHECK_EVERY_MS = 60_000;

/**
 * Scheduled upkeep while the app is open and a repository unlocked: every minute, when no job of
 * this page runs, a due restore drill and then a due scrub slice. Renders nothing.
 */
export function UpkeepTimer(): JSX.Element {
  const engine = useEngine();
  let running = false;
  const tick = async () => {
    const repo = engine.repo();
    if (!repo || running || engine.busy() || document.hidden) return;
    running = true;
    try {
      await runDrillIfDue(engine.client, repo.session);
      if (engine.repo()?.session === repo.session && !engine.busy()) await runScrubIfDue(engine.client, repo.session);
    } finally {
      running = false;
    }
  };
  onMount(() => {
    const timer = setInterval(() => void tick(), CHECK_EVERY_MS);
    onCleanup(() => clearInterval(timer));
  });
  return null;
}
