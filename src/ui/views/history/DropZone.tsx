import { createSignal, type JSX } from 'solid-js';
import type { DroppedItem } from '../../../worker/protocol';
import { droppedItem } from './dropped-item';

/**
 * Where to drop a file or folder to find its earlier versions, with a keyboard-usable
 * alternative (a file chooser). The drop itself is caught by the whole History screen; this box
 * explains it and shows when something is dragged over.
 */
export function DropZone(props: { active: boolean; onItem: (item: DroppedItem) => void }): JSX.Element {
  let input: HTMLInputElement | undefined;
  return (
    <div class="hr-drop" classList={{ 'hr-drop--active': props.active }} data-testid="drop-zone">
      <p class="hr-drop__title">Looking for an earlier version of a file?</p>
      <p class="muted">
        Drop the file (or its folder) anywhere here. Cairn finds it in your backups, even if it was renamed or moved since.
      </p>
      <input
        ref={input}
        type="file"
        class="visually-hidden"
        id="find-file-input"
        tabindex="-1"
        aria-hidden="true"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) props.onItem({ kind: 'file', name: file.name, file });
          e.currentTarget.value = '';
        }}
      />
      <button type="button" class="button" onClick={() => input?.click()}>
        Choose a file to look for…
      </button>
    </div>
  );
}

/** Drag-over state and drop handling for an element (`bind` its handlers on the drop area). */
export function createDropTarget(onItem: (item: DroppedItem) => void) {
  const [active, setActive] = createSignal(false);
  let depth = 0;
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  return {
    active,
    handlers: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth++;
        setActive(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: () => {
        depth = Math.max(0, depth - 1);
        if (depth === 0) setActive(false);
      },
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        depth = 0;
        setActive(false);
        void droppedItem(e).then((item) => item && onItem(item));
      },
    },
  };
}
