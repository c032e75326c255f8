import { For, Show, type JSX } from 'solid-js';
import type { RestoreAction, RestoreReportInfo } from '../../../worker/protocol';
import { plural } from '../../lib/format';
import { ACTION_ORDER, actionHeading, decisionDetail } from './decision-labels';

/**
 * Every decision of a restore (or of its preview), grouped by what happens to the file, with a
 * count per group and the full list of each group behind a disclosure.
 */
export function DecisionSummary(props: { report: RestoreReportInfo; preview: boolean; testId: string }): JSX.Element {
  const groups = () =>
    ACTION_ORDER.map((action) => ({ action, items: props.report.decisions.filter((d) => d.action === action) })).filter((g) => g.items.length > 0);
  return (
    <div class="rs-summary" data-testid={props.testId}>
      <Show when={groups().length > 0} fallback={<p>There is nothing to restore in this selection (it holds only empty folders).</p>}>
        <ul class="rs-groups">
          <For each={groups()}>
            {(g) => (
              <li class={`rs-group rs-group--${g.action}`} data-action={g.action}>
                <details>
                  <summary>
                    <span class="rs-group__count">{plural(g.items.length, itemWord(g.action))}</span>
                    <span class="rs-group__text">{actionHeading(g.action, props.preview)}</span>
                  </summary>
                  <ul class="rs-decisions">
                    <For each={g.items}>
                      {(d) => (
                        <li>
                          <span class="rs-decisions__path">{d.path}</span>
                          <Show when={decisionDetail(d, props.preview)}>{(detail) => <span class="rs-decisions__detail">{detail()}</span>}</Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </details>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function itemWord(action: RestoreAction): string {
  return action === 'skipped' || action === 'failed' ? 'item' : 'file';
}
