import { createMemo, onCleanup, Show, type JSX } from 'solid-js';
import type { FileVersionInfo } from '../../../worker/protocol';
import { imageType } from '../../lib/line-diff';
import { createFileBytes } from './create-file-bytes';
import { errorText } from './error-text';
import { formatPointInTime } from './when';

const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

/** A picture of one version of an image file, from the bytes the worker reads (object URL, revoked). */
export function ImagePreview(props: { path: string; version: FileVersionInfo }): JSX.Element {
  const bytes = createFileBytes(() => props.path, () => props.version.firstSnapshot, MAX_IMAGE_BYTES);
  const url = createMemo<string | null>((previous) => {
    if (previous) URL.revokeObjectURL(previous);
    const b = bytes.latest?.bytes;
    return b ? URL.createObjectURL(new Blob([b as Uint8Array<ArrayBuffer>], { type: imageType(props.path) ?? 'application/octet-stream' })) : null;
  }, null);
  onCleanup(() => {
    const u = url();
    if (u) URL.revokeObjectURL(u);
  });
  const name = () => props.path.slice(props.path.lastIndexOf('/') + 1);
  return (
    <figure class="hr-preview" data-testid="image-preview">
      <Show when={!bytes.error} fallback={<p role="alert">{errorText(bytes.error)}</p>}>
        <Show when={bytes.latest} fallback={<p aria-live="polite">Loading the picture…</p>}>
          {(b) => (
            <Show when={url()} fallback={<p>This picture is too large to show here ({Math.round(b().size / 1e6)} MB): download it instead.</p>}>
              {(u) => <img src={u()} alt={`${name()} as it was ${formatPointInTime(props.version.firstTime)}`} />}
            </Show>
          )}
        </Show>
      </Show>
      <figcaption class="muted">{name()}, {formatPointInTime(props.version.firstTime)}</figcaption>
    </figure>
  );
}
