import { createStore, produce } from 'solid-js/store';

/**
 * The chosen files and folders of one version, by path (a store: a collection). Choosing a
 * folder means everything in it; a path and one of its parents may both be chosen (the restore
 * engine handles the overlap by finding the copy identical).
 */
export function createSelection() {
  const [chosen, setChosen] = createStore<Record<string, 'file' | 'dir'>>({});
  return {
    has: (path: string) => chosen[path] !== undefined,
    set(path: string, kind: 'file' | 'dir', on: boolean) {
      setChosen(produce((s) => (on ? (s[path] = kind) : delete s[path])));
    },
    setMany(rows: readonly { path: string; kind: 'file' | 'dir' }[], on: boolean) {
      setChosen(produce((s) => rows.forEach((r) => (on ? (s[r.path] = r.kind) : delete s[r.path]))));
    },
    clear() {
      setChosen(produce((s) => Object.keys(s).forEach((k) => delete s[k])));
    },
    /** Chosen paths, sorted, without any that lie inside another chosen folder. */
    paths(): string[] {
      const all = Object.keys(chosen).sort();
      return all.filter((p) => !all.some((q) => q !== p && chosen[q] === 'dir' && p.startsWith(`${q}/`)));
    },
    kindOf: (path: string) => chosen[path],
  };
}
export type Selection = ReturnType<typeof createSelection>;
