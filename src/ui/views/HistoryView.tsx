import type { JSX } from 'solid-js';

/** Placeholder: the History screen (owned by the History engineer). */
export function HistoryView(): JSX.Element {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <p>Coming soon.</p>
    </section>
  );
}
