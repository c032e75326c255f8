import { createEffect, createResource, createSignal, on, Show, type JSX } from 'solid-js';
import type { FileVersionInfo, SnapshotInfo } from '../../../worker/protocol';
import { plural } from '../../lib/format';
import { useEngine } from '../../state/engine-context';
import { Breadcrumbs } from './Breadcrumbs';
import type { Downloader } from './create-downloader';
import type { Selection } from './create-selection';
import { errorText } from './error-text';
import { FolderList, type ListRow } from './FolderList';
import { baseName } from './save-blob';
import { VersionsPanel } from './VersionsPanel';
import { fileStamp, formatPointInTime } from './when';

/**
 * One point in time as a folder tree: open folders, search by name, choose files and folders
 * with checkboxes, see a file's versions, and hand a selection to restore or download. The
 * selection (the caller's) and the position reset when another point in time is shown.
 */
export function SnapshotBrowser(props: {
  snapshot: SnapshotInfo;
  downloader: Downloader;
  selection: Selection;
  onRestore: (snapshot: SnapshotInfo, paths: readonly string[], what: string) => void;
}): JSX.Element {
  const engine = useEngine();
  const session = () => engine.repo()?.session;
  const [folder, setFolder] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [versionsOf, setVersionsOf] = createSignal<string | null>(null);
  const selection = props.selection;

  createEffect(on(() => props.snapshot.id, () => (setFolder(''), setQuery(''), selection.clear()), { defer: true }));

  const [listing] = createResource(
    () => (session() ? { s: session()!, id: props.snapshot.id, path: folder() } : false),
    async ({ s, id, path }): Promise<ListRow[]> =>
      (await engine.client.listFolder(s, id, path)).map((e) => ({ ...e, path: path === '' ? e.name : `${path}/${e.name}` })),
  );
  const [found] = createResource(
    () => (session() && query().trim() !== '' ? { s: session()!, id: props.snapshot.id, q: query().trim() } : false),
    async ({ s, id, q }) => {
      await new Promise((r) => setTimeout(r, 200)); // typing pause: search once, not per key
      if (query().trim() !== q) return null;
      const res = await engine.client.searchNames(s, id, q);
      return { rows: res.matches.map((m): ListRow => ({ ...m.entry, path: m.path })), truncated: res.truncated };
    },
  );
  const [versions] = createResource(
    () => (session() && versionsOf() ? { s: session()!, path: versionsOf()! } : false),
    ({ s, path }) => engine.client.findVersions(s, path),
  );

  const searching = () => query().trim() !== '';
  const rows = (): ListRow[] => (searching() ? (found.latest?.rows ?? []) : (listing.latest ?? []));
  const busy = () => engine.busy();
  const chosen = () => selection.paths();
  const when = () => formatPointInTime(props.snapshot.time);

  const open = (row: ListRow) => {
    if (row.kind === 'dir') {
      setQuery('');
      setFolder(row.path);
    } else setVersionsOf(row.path);
  };
  const what = (paths: readonly string[]) => (paths.length === 1 ? `“${baseName(paths[0]!)}”` : plural(paths.length, 'item'));
  const zipName = (paths: readonly string[]) => `${paths.length === 1 ? baseName(paths[0]!) : 'Cairn files'} ${fileStamp(props.snapshot.time)}.zip`;
  const downloadVersion = (v: FileVersionInfo) => {
    const path = versionsOf();
    if (path) void props.downloader.start(v.firstSnapshot, [path], 'file', baseName(path));
  };
  const restoreVersion = (v: FileVersionInfo) => {
    const path = versionsOf();
    const snap = engine.snapshots().find((s) => s.id === v.firstSnapshot);
    if (path && snap) props.onRestore(snap, [path], `“${baseName(path)}”`);
  };

  return (
    <section class="hr-browser" aria-labelledby="browser-title">
      <h3 id="browser-title">Files as they were: {when()}</h3>
      <form class="hr-search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="name-search">Search by name</label>
        <input id="name-search" type="search" value={query()} placeholder="For example: report" autocomplete="off" onInput={(e) => setQuery(e.currentTarget.value)} />
      </form>
      <Show when={!searching()} fallback={<SearchNote loading={found.loading} count={found.latest?.rows.length} truncated={found.latest?.truncated} query={query()} />}>
        <Breadcrumbs path={folder()} onOpen={(p) => setFolder(p)} />
      </Show>
      <Show when={!(searching() ? found.error : listing.error)} fallback={<p role="alert">{errorText(searching() ? found.error : listing.error)}</p>}>
        <FolderList
          rows={rows()}
          caption={searching() ? `Search results for ${query()}` : `Contents of ${folder() || 'the backup'}`}
          showFolder={searching()}
          isSelected={selection.has}
          onToggle={(path, on) => selection.set(path, rows().find((r) => r.path === path)?.kind ?? 'file', on)}
          onToggleAll={(on) => selection.setMany(rows(), on)}
          onOpen={open}
          openFile={versionsOf()}
        />
        <Show when={!searching() && listing.state === 'ready' && rows().length === 0}>
          <p class="muted">This folder is empty.</p>
        </Show>
      </Show>

      <Show when={versionsOf()}>
        {(path) => (
          <VersionsPanel
            path={path()}
            versions={versions.latest}
            error={versions.error ? errorText(versions.error) : null}
            disabled={busy()}
            onRestore={restoreVersion}
            onDownload={downloadVersion}
            onClose={() => setVersionsOf(null)}
          />
        )}
      </Show>

      <div class="hr-selection" role="group" aria-label="Chosen files">
        <p class="hr-selection__count" aria-live="polite" data-testid="selection-count">
          {chosen().length === 0 ? 'Nothing chosen: tick the files and folders you need.' : `${plural(chosen().length, 'item')} chosen`}
        </p>
        <div class="actions">
          <button type="button" class="button button--primary" disabled={chosen().length === 0 || busy()} onClick={() => props.onRestore(props.snapshot, chosen(), what(chosen()))}>
            Restore chosen…
          </button>
          <Show when={chosen().length === 1 && selection.kindOf(chosen()[0]!) === 'file'}>
            <button type="button" class="button" disabled={busy()} onClick={() => void props.downloader.start(props.snapshot.id, chosen(), 'file', baseName(chosen()[0]!))}>
              Download
            </button>
          </Show>
          <button type="button" class="button" disabled={chosen().length === 0 || busy()} onClick={() => void props.downloader.start(props.snapshot.id, chosen(), 'zip', zipName(chosen()))}>
            Download as .zip
          </button>
          <Show when={chosen().length > 0}>
            <button type="button" class="button button--quiet" onClick={() => selection.clear()}>
              Clear choice
            </button>
          </Show>
        </div>
        <button type="button" class="link hr-everything" disabled={busy()} onClick={() => props.onRestore(props.snapshot, [], 'everything')}>
          Restore everything from this point in time…
        </button>
      </div>

    </section>
  );
}

function SearchNote(props: { loading: boolean; count: number | undefined; truncated: boolean | undefined; query: string }): JSX.Element {
  return (
    <p class="muted" aria-live="polite" data-testid="search-note">
      {props.loading || props.count === undefined
        ? 'Searching…'
        : props.count === 0
          ? `Nothing named like “${props.query.trim()}” in this backup.`
          : `${plural(props.count, 'match', 'matches')}${props.truncated ? ' (the first ones are shown: type more to narrow it down)' : ''}.`}
    </p>
  );
}
