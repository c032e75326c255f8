import { For, type JSX } from 'solid-js';

/**
 * A print-friendly sheet with the recovery words (styles.css hides everything else when
 * printing). Nothing is sent anywhere: `window.print()` prints the page the browser already has.
 */
export function PrintableRecovery(props: { words: readonly string[]; repository: string; id: string; onClose: () => void }): JSX.Element {
  return (
    <section class="print-sheet" aria-labelledby="print-title" data-testid="printable-recovery">
      <h2 id="print-title">Cairn recovery key</h2>
      <p>
        For the backups <strong>{props.repository}</strong> (id <code>{props.id.slice(0, 16)}</code>), made {new Date().toLocaleDateString(undefined, { dateStyle: 'long' })}.
      </p>
      <ol class="recovery-words recovery-words--print">
        <For each={props.words}>{(w) => <li>{w}</li>}</For>
      </ol>
      <p>
        These words open your backups like your passphrase does: type them in Cairn’s unlock screen, in any browser, or in the Cairn command line. Keep this sheet somewhere safe and private, away from
        the computer and the backup drive. Anyone who has it can read your backups.
      </p>
      <div class="actions print-sheet__actions">
        <button type="button" class="button button--primary" onClick={() => window.print()}>Print</button>
        <button type="button" class="button button--quiet" onClick={() => props.onClose()}>Back</button>
      </div>
    </section>
  );
}
