import type { JSX } from 'solid-js';

/** A labelled progress bar with its step in words below. */
export function UpkeepProgress(props: { label: string; done: number; total: number; text: string }): JSX.Element {
  return (
    <div class="up-progress">
      <progress aria-label={props.label} max={Math.max(1, props.total)} value={Math.min(props.done, Math.max(1, props.total))} />
      <p>{props.text}</p>
    </div>
  );
}
