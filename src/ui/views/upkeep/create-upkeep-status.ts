import { createResource, type Resource } from 'solid-js';
import type { DrillStatus, ScrubStatus } from '../../../worker/protocol';
import { useEngine } from '../../state/engine-context';
import { upkeepChanges } from '../../state/upkeep-schedule';

/** The open repository's drill and scrub status, re-read after every drill or scrub of this page. */
export function createUpkeepStatus(): { drill: Resource<DrillStatus | undefined>; scrub: Resource<ScrubStatus | undefined> } {
  const engine = useEngine();
  const source = () => {
    const s = engine.repo()?.session;
    return s ? { s, n: upkeepChanges(), snaps: engine.snapshots().length } : false;
  };
  const [drill] = createResource(source, ({ s }) => engine.client.lastDrill(s));
  const [scrub] = createResource(source, ({ s }) => engine.client.scrubStatus(s));
  return { drill, scrub };
}
