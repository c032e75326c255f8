import type { JSX } from 'solid-js';
import { passphraseStrength } from '../lib/passphrase-strength';

/** A bar and a sentence saying how hard a passphrase is to guess. */
export function StrengthHint(props: { id: string; passphrase: string }): JSX.Element {
  const hint = () => passphraseStrength(props.passphrase);
  return (
    <div class="strength" id={props.id} data-score={hint().score}>
      <div class="strength__bar" aria-hidden="true">
        <span style={{ width: `${hint().score * 25}%` }} />
      </div>
      <p class="strength__text">
        <strong>{props.passphrase === '' ? 'Choose a passphrase.' : `${hint().label}.`}</strong>{' '}
        {props.passphrase === '' ? 'Four or more unrelated words, like “maple river candle orbit”, are strong and easy to remember.' : hint().advice}
      </p>
    </div>
  );
}
