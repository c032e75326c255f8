import type { JSX } from 'solid-js';

/**
 * A boxed message. 'error' is announced at once (role=alert); 'warning' and 'info' are plain
 * text read in order.
 */
export function Notice(props: { tone: 'info' | 'warning' | 'error' | 'success'; title?: string; children: JSX.Element; testId?: string }): JSX.Element {
  return (
    <div class={`notice notice--${props.tone}`} role={props.tone === 'error' ? 'alert' : undefined} data-testid={props.testId}>
      {props.title && <p class="notice__title">{props.title}</p>}
      <div class="notice__body">{props.children}</div>
    </div>
  );
}
