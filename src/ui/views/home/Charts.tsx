import { For, Show, type JSX } from 'solid-js';
import { formatBytes } from '../../lib/format';
import type { Point } from '../../state/health-logic';

const W = 320;
const H = 120;
const PAD = 6;

function dateLabel(t: number): string {
  return new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Coordinates of the points in the chart box; a single point sits in the middle. */
function scale(points: readonly Point[]): { x: (t: number) => number; y: (b: number) => number } {
  const ts = points.map((p) => p.t);
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts);
  const max = Math.max(1, ...points.map((p) => p.bytes));
  return {
    x: (t) => (t1 === t0 ? W / 2 : PAD + ((t - t0) / (t1 - t0)) * (W - 2 * PAD)),
    y: (b) => H - PAD - (b / max) * (H - 2 * PAD),
  };
}

/** The figures as a table for screen readers (the SVG is the picture of it). */
function DataTable(props: { caption: string; points: readonly Point[]; column: string }): JSX.Element {
  return (
    <table class="visually-hidden">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Backup</th>
          <th scope="col">{props.column}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.points}>
          {(p) => (
            <tr>
              <td>{new Date(p.t).toLocaleString()}</td>
              <td>{formatBytes(p.bytes)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/**
 * A small chart of bytes over time: a line with dots ('line') or bars ('bars'). Inline SVG, no
 * library. `summary` is the text equivalent shown under it (and names the SVG for assistive
 * technology); the exact figures are in a visually hidden table.
 */
export function BytesChart(props: { id: string; title: string; summary: string; points: readonly Point[]; kind: 'line' | 'bars'; column: string }): JSX.Element {
  const s = () => scale(props.points);
  const path = () => props.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${s().x(p.t).toFixed(1)},${s().y(p.bytes).toFixed(1)}`).join(' ');
  const barWidth = () => Math.max(3, Math.min(24, (W - 2 * PAD) / Math.max(1, props.points.length) - 3));
  const first = () => props.points[0];
  const last = () => props.points[props.points.length - 1];
  return (
    <figure class="chart" data-testid={props.id}>
      <h4 class="chart__title" id={`${props.id}-title`}>{props.title}</h4>
      <Show when={props.points.length > 0} fallback={<p class="muted">No backups yet.</p>}>
        <svg class="chart__svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${props.id}-title ${props.id}-summary`} preserveAspectRatio="none">
          <line class="chart__axis" x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} />
          <Show
            when={props.kind === 'line'}
            fallback={
              <For each={props.points}>
                {(p) => <rect class="chart__bar" x={s().x(p.t) - barWidth() / 2} y={s().y(p.bytes)} width={barWidth()} height={Math.max(1, H - PAD - s().y(p.bytes))} />}
              </For>
            }
          >
            <path class="chart__line" d={path()} />
            <For each={props.points}>{(p) => <circle class="chart__dot" cx={s().x(p.t)} cy={s().y(p.bytes)} r="3" />}</For>
          </Show>
        </svg>
        <div class="chart__range fine" aria-hidden="true">
          <span>{first() ? dateLabel(first()!.t) : ''}</span>
          <span>{last() ? dateLabel(last()!.t) : ''}</span>
        </div>
      </Show>
      <figcaption id={`${props.id}-summary`} class="chart__summary">{props.summary}</figcaption>
      <DataTable caption={props.title} points={props.points} column={props.column} />
    </figure>
  );
}
