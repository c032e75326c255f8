import { Show, type JSX } from 'solid-js';
import type { EngineClient } from '../../../worker/client';
import type { DrillStatus, ScrubStatus } from '../../../worker/protocol';
import { formatBytes, formatWhen } from '../../lib/format';

/** The upkeep methods, which another part of the app provides; absent in older workers. */
type WithUpkeep = EngineClient & {
  lastDrill?: (session: string) => Promise<DrillStatus>;
  scrubStatus?: (session: string) => Promise<ScrubStatus>;
};

export interface Proof {
  readonly drill: DrillStatus | null | 'unavailable';
  readonly scrub: ScrubStatus | null | 'unavailable';
}

/** Reads the last restore drill and the scrub coverage; 'unavailable' when this build lacks them. */
export async function loadProof(client: EngineClient, session: string): Promise<Proof> {
  const c = client as WithUpkeep;
  const drill = typeof c.lastDrill === 'function' ? await c.lastDrill(session).catch(() => null) : 'unavailable';
  const scrub = typeof c.scrubStatus === 'function' ? await c.scrubStatus(session).catch(() => null) : 'unavailable';
  return { drill, scrub };
}

function drillWords(d: DrillStatus, now: number): string {
  const last = d.last;
  if (!last) return 'No restore has been proven yet: Cairn restores a sample of files now and then to prove your backups can be read back.';
  const what = `${last.filesOk} of ${last.files} sampled files (${formatBytes(last.bytes)}) restored and matched`;
  const when = formatWhen(new Date(last.time).toISOString(), now);
  return last.ok ? `Last proven restore: ${when}, ${what}.` : `The last restore drill FAILED (${when}): ${last.error ?? what}.`;
}

/** "Last proven restore" and scrub coverage, from the upkeep part of the app. */
export function ProofPanel(props: { proof: Proof | undefined; now: number }): JSX.Element {
  const proof = () => props.proof;
  return (
    <section class="card" aria-labelledby="proof-title" data-testid="proof-panel">
      <h3 id="proof-title">Proof your backups can be read</h3>
      <Show when={proof()} fallback={<p class="muted">Looking…</p>}>
        {(p) => (
          <>
            <p data-testid="proof-drill">
              {p().drill === 'unavailable'
                ? 'Restore drills are not available in this version of Cairn yet.'
                : p().drill === null
                  ? 'Cairn could not read when a restore was last proven.'
                  : drillWords(p().drill as DrillStatus, props.now)}
            </p>
            <p data-testid="proof-scrub">
              {(() => {
                const s = p().scrub;
                if (s === 'unavailable') return 'Scrubbing (re-reading stored data to find damage early) is not available in this version of Cairn yet.';
                if (s === null) return 'Cairn could not read the scrub coverage.';
                const pass = s.lastFullPass === null ? 'no full pass yet' : `last full pass ${formatWhen(new Date(s.lastFullPass).toISOString(), props.now)}`;
                const damage = s.damagedPacks.length ? ` Damage found in ${s.damagedPacks.length} stored file(s).` : '';
                return `Scrub coverage: ${Math.round(s.coverage * 100)}% verified in the last ${Math.round(s.periodMs / 86_400_000)} days, ${pass}.${damage}`;
              })()}
            </p>
          </>
        )}
      </Show>
    </section>
  );
}
