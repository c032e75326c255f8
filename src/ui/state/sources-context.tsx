import { createContext, onMount, useContext, type JSX } from 'solid-js';
import { createStore, produce, unwrap } from 'solid-js/store';
import { EXCLUSION_PRESETS } from './exclusion-presets';
import { getSetting, setSetting } from './settings-store';

/** A folder the user chose to back up. `name` is unique and names its folder in every version. */
export interface SourceFolder {
  readonly id: string;
  readonly name: string;
  readonly handle: FileSystemDirectoryHandle;
}

export interface SourcesState {
  readonly loaded: boolean;
  readonly folders: readonly SourceFolder[];
  /** Preset id → on. Missing presets count as on. */
  readonly presets: Readonly<Record<string, boolean>>;
  /** The user's own patterns, one per line. */
  readonly custom: string;
}

/**
 * The source-folders domain: which folders to back up and what to leave out. Persisted in the
 * settings store (key 'sources') after every change, loaded once on mount (`state.loaded`).
 * Exclusions apply to every folder.
 */
export interface SourcesContextValue {
  readonly state: SourcesState;
  /** Adds folders not already in the list; resolves to how many were new. */
  add(handles: readonly FileSystemDirectoryHandle[]): Promise<number>;
  remove(id: string): void;
  setPreset(id: string, on: boolean): void;
  setCustom(text: string): void;
  /** Every active pattern: presets that are on, then the custom lines (blank lines dropped). */
  patterns(): string[];
}

const SourcesContext = createContext<SourcesContextValue>();
const KEY = 'sources';

interface Persisted {
  folders: SourceFolder[];
  presets: Record<string, boolean>;
  custom: string;
}

/** A name not yet used: "Photos", then "Photos (2)", "Photos (3)". */
function uniqueName(wanted: string, taken: readonly string[]): string {
  if (!taken.includes(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.includes(`${wanted} (${i})`)) return `${wanted} (${i})`;
}

export function SourcesProvider(props: { children: JSX.Element }): JSX.Element {
  const [state, setState] = createStore<{ loaded: boolean; folders: SourceFolder[]; presets: Record<string, boolean>; custom: string }>({
    loaded: false,
    folders: [],
    presets: {},
    custom: '',
  });

  const save = (): void => {
    const plain = unwrap(state);
    const value: Persisted = {
      folders: plain.folders.map((f) => ({ id: f.id, name: f.name, handle: f.handle })),
      presets: { ...plain.presets },
      custom: plain.custom,
    };
    setSetting(KEY, value).catch((e: unknown) => console.warn('Cairn could not remember the folder list', e));
  };

  onMount(async () => {
    try {
      const saved = await getSetting<Persisted>(KEY);
      if (saved) setState({ folders: saved.folders, presets: saved.presets, custom: saved.custom });
    } finally {
      setState('loaded', true);
    }
  });

  const value: SourcesContextValue = {
    state,
    async add(handles) {
      let added = 0;
      for (const handle of handles) {
        let known = false;
        for (const f of state.folders) if (await f.handle.isSameEntry(handle)) known = true;
        if (known) continue;
        const name = uniqueName(handle.name, state.folders.map((f) => f.name));
        setState('folders', (list) => [...list, { id: crypto.randomUUID(), name, handle }]);
        added++;
      }
      if (added) save();
      return added;
    },
    remove(id) {
      setState('folders', (list) => list.filter((f) => f.id !== id));
      save();
    },
    setPreset(id, on) {
      setState(produce((s) => (s.presets[id] = on)));
      save();
    },
    setCustom(text) {
      setState('custom', text);
      save();
    },
    patterns() {
      const fromPresets = EXCLUSION_PRESETS.filter((p) => state.presets[p.id] !== false).flatMap((p) => p.patterns);
      const custom = state.custom.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      return [...fromPresets, ...custom];
    },
  };
  return <SourcesContext.Provider value={value}>{props.children}</SourcesContext.Provider>;
}

/** The sources context; throws outside a SourcesProvider. */
export function useSources(): SourcesContextValue {
  const value = useContext(SourcesContext);
  if (!value) throw new Error('useSources() must be used inside <SourcesProvider>');
  return value;
}
