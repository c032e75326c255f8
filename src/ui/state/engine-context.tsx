import { createContext, createSignal, onCleanup, useContext, type Accessor, type JSX } from 'solid-js';
import { createEngineClient, type EngineClient } from '../../worker/client';
import type { OpenRepository, SnapshotInfo } from '../../worker/protocol';

/**
 * The engine domain of the UI: one worker client, the repository that is open (unlocked) in it,
 * that repository's versions (snapshots) and whether a job is running.
 *
 * Contract (other views rely on it; extend it, never break it):
 * - `client`: the engine client; lives as long as the provider.
 * - `repo()`: the open repository, or null while none is open (first run, locked).
 * - `setRepo(r)`: sets the open repository (the setup/unlock screens call it); setting a repository
 *   refreshes `snapshots()`, setting null empties it.
 * - `snapshots()`: the open repository's versions, newest first; [] when none is open.
 * - `refreshSnapshots()`: re-reads them from the engine; never rejects (errors land in
 *   `snapshotsError()`), resolves once `snapshots()` is current.
 * - `snapshotsError()`: the last refresh's error message, or null.
 * - `busy()`: true while a backup, restore or check runs; views set it with `setBusy` around
 *   their job so others (navigation, the app update prompt) can wait for it.
 */
export interface EngineContextValue {
  readonly client: EngineClient;
  readonly repo: Accessor<OpenRepository | null>;
  setRepo(repo: OpenRepository | null): void;
  readonly snapshots: Accessor<SnapshotInfo[]>;
  refreshSnapshots(): Promise<void>;
  readonly snapshotsError: Accessor<string | null>;
  readonly busy: Accessor<boolean>;
  setBusy(busy: boolean): void;
}

const EngineContext = createContext<EngineContextValue>();

/** Newest first, by the backup's start time. */
function newestFirst(list: readonly SnapshotInfo[]): SnapshotInfo[] {
  return [...list].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
}

/**
 * Provides the engine context. `client` defaults to a new worker, terminated when the provider
 * is disposed (tests may pass their own and keep ownership of it).
 */
export function EngineProvider(props: { client?: EngineClient; children: JSX.Element }): JSX.Element {
  const owned = props.client === undefined;
  const client = props.client ?? createEngineClient();
  if (owned) onCleanup(() => client.terminate());

  const [repo, setRepoSignal] = createSignal<OpenRepository | null>(null);
  const [snapshots, setSnapshots] = createSignal<SnapshotInfo[]>([]);
  const [snapshotsError, setSnapshotsError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const refreshSnapshots = async (): Promise<void> => {
    const open = repo();
    if (!open) {
      setSnapshots([]);
      return;
    }
    try {
      const list = await client.listSnapshots(open.session);
      if (repo()?.session === open.session) {
        setSnapshots(newestFirst(list));
        setSnapshotsError(null);
      }
    } catch (e) {
      setSnapshotsError(e instanceof Error ? e.message : String(e));
    }
  };

  const setRepo = (next: OpenRepository | null): void => {
    setRepoSignal(next);
    setSnapshots([]);
    setSnapshotsError(null);
    if (next) void refreshSnapshots();
  };

  const value: EngineContextValue = {
    client,
    repo,
    setRepo,
    snapshots,
    refreshSnapshots,
    snapshotsError,
    busy,
    setBusy: (b: boolean) => setBusy(b),
  };
  return <EngineContext.Provider value={value}>{props.children}</EngineContext.Provider>;
}

/** The engine context; throws when called outside an EngineProvider. */
export function useEngine(): EngineContextValue {
  const value = useContext(EngineContext);
  if (!value) throw new Error('useEngine() must be used inside <EngineProvider>');
  return value;
}
