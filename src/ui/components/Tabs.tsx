import { For, type JSX } from 'solid-js';

export interface TabItem {
  readonly id: string;
  readonly label: string;
}

/**
 * An ARIA tab list: Left/Right/Home/End move between tabs (and select them), Tab leaves the list.
 * The panels are the caller's: give each `id="panel-<tab id>"` and `aria-labelledby="tab-<tab id>"`.
 */
export function Tabs(props: { label: string; items: readonly TabItem[]; selected: string; onSelect: (id: string) => void }): JSX.Element {
  let list: HTMLDivElement | undefined;
  const move = (event: KeyboardEvent, index: number): void => {
    const n = props.items.length;
    const next = { ArrowRight: (index + 1) % n, ArrowLeft: (index - 1 + n) % n, Home: 0, End: n - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const item = props.items[next];
    if (!item) return;
    props.onSelect(item.id);
    list?.querySelector<HTMLButtonElement>(`#tab-${item.id}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={props.label} ref={list}>
      <For each={props.items}>
        {(item, i) => (
          <button
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            class="tabs__tab"
            aria-selected={props.selected === item.id}
            aria-controls={`panel-${item.id}`}
            tabindex={props.selected === item.id ? 0 : -1}
            onClick={() => props.onSelect(item.id)}
            onKeyDown={(e) => move(e, i())}
          >
            {item.label}
          </button>
        )}
      </For>
    </div>
  );
}
