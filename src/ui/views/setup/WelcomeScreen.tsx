import { createSignal, Show, type JSX } from 'solid-js';
import type { StorageUsage } from '../../../worker/protocol';
import { Notice } from '../../components/Notice';
import { canPickFolders, droppedFolders } from '../../lib/folder-access';
import { formatBytes } from '../../lib/format';

/**
 * First run (or "choose another place"): where the backups will live. Presents the two choices;
 * the caller decides what happens next.
 */
export function WelcomeScreen(props: {
  usage: StorageUsage | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  working: boolean;
  onBrowser: () => void;
  onPickFolder: () => void;
  onDropFolder: (handle: FileSystemDirectoryHandle) => void;
  onCancel?: (() => void) | undefined;
}): JSX.Element {
  const [dragging, setDragging] = createSignal(false);
  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    void droppedFolders(event).then((handles) => {
      const first = handles[0];
      if (first) props.onDropFolder(first);
    });
  };
  return (
    <section
      class="screen"
      aria-labelledby="welcome-title"
      classList={{ 'screen--dragging': dragging() }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="welcome-screen"
    >
      <h2 id="welcome-title">Where should your backups be kept?</h2>
      <p class="lead">Cairn keeps copies of your folders, so you can get back any file as it was on an earlier day. First, choose where those copies live. You can use the same place every time.</p>
      <Show when={props.notice}>
        <Notice tone="warning">{props.notice}</Notice>
      </Show>
      <Show when={props.error}>
        <Notice tone="error">{props.error}</Notice>
      </Show>

      <div class="choices">
        <article class="choice" aria-labelledby="choice-browser-title">
          <h3 id="choice-browser-title">This browser</h3>
          <p>The simplest way to start. Your backups stay on this computer, inside this browser.</p>
          <Notice tone="warning" title="Good to know">
            <p>The browser can delete this storage, for example when you clear your browsing data or the disk gets full. It is also not a copy on another device: if this computer breaks, these backups are lost with it. For real safety, also keep backups on a drive.</p>
          </Notice>
          <Show when={props.usage}>
            {(u) => (
              <p class="muted" data-testid="browser-space">
                Space this browser lets Cairn use: <Show when={u().quota !== undefined} fallback="unknown">{formatBytes(u().quota ?? 0)}</Show>
                <Show when={u().usage !== undefined}> ({formatBytes(u().usage ?? 0)} used now)</Show>.
              </p>
            )}
          </Show>
          <button type="button" class="button button--primary" disabled={props.working} onClick={() => props.onBrowser()}>
            Keep backups in this browser
          </button>
        </article>

        <article class="choice" aria-labelledby="choice-folder-title">
          <h3 id="choice-folder-title">A folder or drive</h3>
          <p>Choose a folder, ideally on a USB drive or external disk. If the drive already holds Cairn backups, for example from another computer, they open with their passphrase.</p>
          <button type="button" class="button" disabled={props.working || !canPickFolders()} onClick={() => props.onPickFolder()}>
            Choose a folder or drive…
          </button>
          <p class="muted drop-hint">Or drop the folder here from your file manager.</p>
          <Show when={!canPickFolders()}>
            <p class="muted">This browser cannot open folders. Use a recent Chrome or Edge for this choice.</p>
          </Show>
        </article>
      </div>
      <Show when={props.onCancel}>
        <button type="button" class="button button--quiet" onClick={() => props.onCancel?.()}>
          Go back
        </button>
      </Show>
    </section>
  );
}
