import { For, Show, type JSX } from 'solid-js';
import type { KeyInfoData } from '../../../worker/protocol';
import { formatWhen } from '../../lib/format';

/** The repository's keys (passphrases and recovery keys), like `cairn key list`; remove any but the one in use. */
export function KeyList(props: { keys: readonly KeyInfoData[]; confirmedRecovery: string | undefined; busy: boolean; onRemove: (k: KeyInfoData) => void }): JSX.Element {
  const what = (k: KeyInfoData) => (k.label === 'recovery key' ? 'Recovery key' : k.label ? `Passphrase “${k.label}”` : 'Passphrase');
  return (
    <table class="table" data-testid="key-list">
      <caption class="visually-hidden">Keys that open these backups</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Added</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        <For each={props.keys}>
          {(k) => (
            <tr>
              <td>
                {what(k)} <span class="fine">{k.shortId}</span>
                {k.current ? ' · you opened the backups with this one' : ''}
                {k.label === 'recovery key' && props.confirmedRecovery !== k.name ? ' · not confirmed as written down' : ''}
                {k.damaged ? ` · damaged: ${k.damaged}` : ''}
              </td>
              <td>{k.created ? `${formatWhen(k.created)} on ${k.hostname}` : '—'}</td>
              <td>
                <Show when={!k.current}>
                  <button type="button" class="button button--quiet" disabled={props.busy} onClick={() => props.onRemove(k)}>
                    Remove<span class="visually-hidden"> {what(k).toLowerCase()} {k.shortId}</span>
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
