import { createSignal, Show, type JSX } from 'solid-js';

/**
 * A labelled passphrase field with a "Show" toggle. The value is held only by the input and the
 * caller's signal: never stored, never logged. `autocomplete` tells password managers what it is.
 */
export function PassphraseInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete: 'new-password' | 'current-password';
  describedBy?: string;
  invalid?: boolean;
  autofocus?: boolean;
}): JSX.Element {
  const [shown, setShown] = createSignal(false);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="field__row">
        <input
          id={props.id}
          type={shown() ? 'text' : 'password'}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          autocomplete={props.autocomplete}
          autocapitalize="off"
          spellcheck={false}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid ? 'true' : undefined}
          autofocus={props.autofocus}
          ref={(el) => props.autofocus && queueMicrotask(() => el.focus())}
        />
        <button type="button" class="button button--quiet" aria-pressed={shown()} onClick={() => setShown(!shown())}>
          <Show when={shown()} fallback="Show">
            Hide
          </Show>
          <span class="visually-hidden"> {props.label.toLowerCase()}</span>
        </button>
      </div>
    </div>
  );
}
