import { Show, type JSX } from 'solid-js';
import { useEngine } from '../state/engine-context';
import { PointInTimeBrowser } from './history/PointInTimeBrowser';
import './history/history.css';

/**
 * The Restore screen: pick a point in time, tick the files and folders you need (or restore
 * everything), choose a folder, check the preview, restore. Nothing already in the folder is
 * overwritten or deleted unless you explicitly choose "replace".
 */
export function RestoreView(): JSX.Element {
  const engine = useEngine();
  return (
    <section class="hr" aria-labelledby="restore-title">
      <h2 id="restore-title">Restore</h2>
      <Show when={engine.repo()} fallback={<p>Open your backup first to restore from it.</p>}>
        <Show when={engine.snapshots().length > 0} fallback={<p>No backups yet: there is nothing to restore.</p>}>
          <ol class="hr-steps">
            <li>Pick a point in time.</li>
            <li>Tick the files and folders you need, or restore everything.</li>
            <li>Choose a folder and look at the preview. Nothing is written until you confirm, and nothing already there is overwritten.</li>
          </ol>
          <PointInTimeBrowser />
        </Show>
      </Show>
    </section>
  );
}
