import { Show, type JSX } from 'solid-js';
import { useEngine } from '../state/engine-context';
import { createUpkeepStatus } from './upkeep/create-upkeep-status';
import { DrillSection } from './upkeep/DrillSection';
import { KeepSection } from './upkeep/KeepSection';
import { PruneSection } from './upkeep/PruneSection';
import { RepairSection } from './upkeep/RepairSection';
import { ScrubSection } from './upkeep/ScrubSection';
import './upkeep/upkeep.css';

/**
 * The Upkeep screen: which versions to keep (with a preview before anything goes), freeing space,
 * restore tests, verifying stored data and repair. Problems come first.
 */
export function UpkeepView(): JSX.Element {
  const engine = useEngine();
  const status = createUpkeepStatus();
  return (
    <section class="up" aria-labelledby="upkeep-title">
      <h2 id="upkeep-title">Upkeep</h2>
      <Show when={engine.repo()} fallback={<p>Open your backup first.</p>}>
        <div class="up-grid">
          <DrillSection status={status.drill} />
          <ScrubSection status={status.scrub} />
          <KeepSection />
          <PruneSection />
          <RepairSection />
        </div>
      </Show>
    </section>
  );
}
