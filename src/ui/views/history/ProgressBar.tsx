import { createEffect, type JSX } from 'solid-js';

/**
 * A native progress bar; `value` undefined shows it as indeterminate. (Setting the element's
 * `value` property to undefined throws "non-finite"; the attribute must be removed instead.)
 */
export function ProgressBar(props: { id: string; value: number | undefined }): JSX.Element {
  let bar: HTMLProgressElement | undefined;
  createEffect(() => {
    const v = props.value;
    if (!bar) return;
    if (v === undefined || !Number.isFinite(v)) bar.removeAttribute('value');
    else bar.value = Math.min(1, Math.max(0, v));
  });
  return <progress ref={bar} id={props.id} max="1" />;
}
