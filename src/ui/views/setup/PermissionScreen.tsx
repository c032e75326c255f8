import { Show, type JSX } from 'solid-js';
import { Notice } from '../../components/Notice';

/**
 * The remembered backup folder needs the user's permission again (browsers ask once per visit).
 * The request must come from this click.
 */
export function PermissionScreen(props: { folder: string; drive?: string | undefined; error?: string | undefined; working: boolean; onAllow: () => void; onChooseOther: () => void }): JSX.Element {
  return (
    <section class="screen" aria-labelledby="permission-title" data-testid="permission-screen">
      <h2 id="permission-title">Allow Cairn to use your backup folder</h2>
      <p class="lead">
        Your backups are kept in the folder <strong>{props.folder}</strong>. For your safety, the browser asks again on each visit before Cairn may use it. If it is on a drive, connect the drive first.
      </p>
      <Show when={props.drive}>
        <p data-testid="permission-drive">
          Cairn needs the drive with the backups <strong>{props.drive}</strong>. If it is not connected, connect it, then allow access.
        </p>
      </Show>
      <Show when={props.error}>
        <Notice tone="error">{props.error}</Notice>
      </Show>
      <div class="actions">
        <button type="button" class="button button--primary" disabled={props.working} onClick={() => props.onAllow()}>
          Allow access to “{props.folder}”
        </button>
        <button type="button" class="button button--quiet" disabled={props.working} onClick={() => props.onChooseOther()}>
          Use a different place…
        </button>
      </div>
    </section>
  );
}
