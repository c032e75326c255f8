import { Show, type JSX } from 'solid-js';
import type { RepositoryHealthInfo, SnapshotInfo } from '../../../worker/protocol';
import { formatBytes } from '../../lib/format';
import { addedSeries, forecastFull, scaledTo, sizeSeries } from '../../state/health-logic';
import { BytesChart } from './Charts';
import { forecastWords } from './health-words';

/** Where the backups are, how big they are, the free space and when it runs out; the charts. */
export function StoragePanel(props: { health: RepositoryHealthInfo | undefined; snapshots: readonly SnapshotInfo[]; now: number }): JSX.Element {
  const size = () => {
    const series = sizeSeries(props.snapshots);
    return props.health ? scaledTo(series, props.health.storedBytes) : series;
  };
  const added = () => addedSeries(props.snapshots);
  const available = () => props.health?.usage?.available;
  const forecast = () => forecastFull(size(), available(), props.now);
  const totalAdded = () => added().reduce((a, p) => a + p.bytes, 0);
  const sizeSummary = () => {
    const s = size();
    const first = s[0];
    const last = s[s.length - 1];
    if (!first || !last) return 'No backups yet.';
    return `Grew from ${formatBytes(first.bytes)} to ${formatBytes(last.bytes)} over ${s.length} backup${s.length === 1 ? '' : 's'}.`;
  };
  const addedSummary = () => {
    const a = added();
    if (a.length === 0) return 'No backups yet.';
    const biggest = Math.max(...a.map((p) => p.bytes));
    return `${formatBytes(totalAdded())} new data in ${a.length} backup${a.length === 1 ? '' : 's'}; the most in one backup was ${formatBytes(biggest)}, the latest added ${formatBytes(a[a.length - 1]?.bytes ?? 0)}.`;
  };
  return (
    <section class="card" aria-labelledby="storage-title" data-testid="storage-panel">
      <h3 id="storage-title">Space</h3>
      <dl class="facts facts--compact">
        <div class="facts__row">
          <dt>Backups take</dt>
          <dd data-testid="storage-size">
            <Show when={props.health} fallback="…">{(h) => `${formatBytes(h().storedBytes)} in ${h().files.toLocaleString('en')} files`}</Show>
          </dd>
        </div>
        <div class="facts__row">
          <dt>Free space</dt>
          <dd data-testid="storage-free">
            {available() !== undefined ? `${formatBytes(available() as number)} left for Cairn in this browser` : 'Not known: a web app cannot read a drive’s free space'}
          </dd>
        </div>
      </dl>
      <p data-testid="storage-forecast">{forecastWords(forecast())}</p>
      <div class="charts">
        <BytesChart id="chart-size" title="Size of the backups over time" summary={sizeSummary()} points={size()} kind="line" column="Size" />
        <BytesChart id="chart-added" title="New data per backup" summary={addedSummary()} points={added()} kind="bars" column="New data" />
      </div>
    </section>
  );
}
