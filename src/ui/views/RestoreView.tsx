import type { JSX } from 'solid-js';

/** Placeholder: the Restore screen (owned by the Restore engineer). */
export function RestoreView(): JSX.Element {
  return (
    <section aria-labelledby="restore-title">
      <h2 id="restore-title">Restore</h2>
      <p>Coming soon.</p>
    </section>
  );
}
