import { createEffect, createResource, createSignal, Match, on, onMount, Switch, type JSX } from 'solid-js';
import { isEngineError } from '../../worker/client';
import { DEFAULT_BROWSER_REPOSITORY, type CreateOptions, type OpenRepository, type RepositoryTarget } from '../../worker/protocol';
import { ensureAccess, pickFolder, queryAccess } from '../lib/folder-access';
import { useEngine } from '../state/engine-context';
import { loadRememberedRepository, rememberRepository, type RememberedRepository } from '../state/remembered-repository';
import { driveName, knownByHandle, loadKnownRepositories, recordOpened } from '../state/health-drives';
import { CreateScreen } from './setup/CreateScreen';
import { PermissionScreen } from './setup/PermissionScreen';
import { UnlockScreen } from './setup/UnlockScreen';
import { WelcomeScreen } from './setup/WelcomeScreen';

type Step =
  | { readonly kind: 'loading' }
  | { readonly kind: 'choose'; readonly notice?: string; readonly error?: string; readonly canGoBack?: boolean }
  | { readonly kind: 'permission'; readonly handle: FileSystemDirectoryHandle; readonly error?: string; readonly drive?: string }
  | { readonly kind: 'create'; readonly target: RepositoryTarget; readonly place: string }
  | { readonly kind: 'unlock'; readonly target: RepositoryTarget; readonly place: string; readonly drive?: string; readonly remembered?: boolean }
  | { readonly kind: 'open' };

/** "this browser" or "the folder “Backups”", for sentences. */
function placeOf(target: RepositoryTarget): string {
  return target.kind === 'browser' ? 'this browser' : `the folder “${target.handle.name}”`;
}

/**
 * Gets the user to an open repository, then shows `children`. Remembers the place (never the
 * passphrase) and goes back to it on the next visit: asks for folder permission on a click when
 * needed, reports a place that no longer holds backups, and never switches place on its own.
 * When the repository is locked (`repo()` becomes null), it asks for the passphrase again.
 */
export function RepositoryGate(props: { children: JSX.Element }): JSX.Element {
  const engine = useEngine();
  const [step, setStep] = createSignal<Step>({ kind: 'loading' });
  const [working, setWorking] = createSignal(false);
  const [usage] = createResource(() => engine.client.storageUsage().catch(() => undefined));
  /** Locked from inside the app (button or idle): a remembered key is offered, not used at once. */
  let lockedInApp = false;

  /** Opened: remember the place and show the app. */
  const opened = async (repo: OpenRepository, target: RepositoryTarget): Promise<void> => {
    const remembered: RememberedRepository = target.kind === 'browser' ? { kind: 'browser', name: target.name } : { kind: 'folder', handle: target.handle };
    await rememberRepository(remembered).catch((e: unknown) => console.warn('Cairn could not remember where the backups are', e));
    await recordOpened(repo, target, Date.now()).catch((e: unknown) => console.warn('Cairn could not remember this repository', e));
    if (target.kind === 'browser') void engine.client.requestPersistence().catch(() => false);
    engine.setRepo(repo);
    setStep({ kind: 'open' });
  };

  /** A place with permission: unlock what is there (unencrypted opens at once), or set it up. */
  const goTo = async (target: RepositoryTarget, missingNotice?: string): Promise<void> => {
    const probe = await engine.client.probe(target);
    if (!probe.exists) {
      if (missingNotice) return void setStep({ kind: 'choose', notice: missingNotice });
      return void setStep({ kind: 'create', target, place: placeOf(target) });
    }
    if (!probe.encrypted) return opened(await engine.client.unlock(target, null), target);
    // A drive is recognised by its repository id, whatever its folder is called today.
    const known = (await loadKnownRepositories().catch(() => [])).find((r) => r.id === probe.id);
    const drive = known ? `Recognised: ${driveName(known)}` : probe.id ? `Backups with id ${probe.id.slice(0, 8)}, not opened on this device before.` : undefined;
    const remembered = probe.id !== undefined && (await engine.client.isRemembered(probe.id).catch(() => false));
    // Remembered on this device: open without the passphrase, except right after a lock in the app.
    if (remembered && !lockedInApp) {
      try {
        return await opened(await engine.client.unlockRemembered(target), target);
      } catch {
        // The remembered key no longer opens it (forgotten by the worker): ask for the passphrase.
      }
    }
    setStep({ kind: 'unlock', target, place: placeOf(target), ...(drive ? { drive } : {}), remembered: remembered && lockedInApp });
  };

  const resume = async (): Promise<void> => {
    try {
      const remembered = await loadRememberedRepository().catch(() => undefined);
      if (!remembered) return void setStep({ kind: 'choose' });
      if (remembered.kind === 'browser') {
        return await goTo(
          { kind: 'browser', name: remembered.name },
          'The backups that were kept in this browser are no longer here: the browser’s storage was cleared. If you also kept backups on a drive, choose “A folder or drive” to open them.',
        );
      }
      if ((await queryAccess(remembered.handle, 'readwrite')) !== 'granted') {
        const known = await knownByHandle(remembered.handle).catch(() => undefined);
        return void setStep({ kind: 'permission', handle: remembered.handle, ...(known ? { drive: driveName(known) } : {}) });
      }
      await goTo({ kind: 'folder', handle: remembered.handle }, `The folder “${remembered.handle.name}” no longer holds Cairn backups. Was it emptied or moved? Choose where your backups are.`);
    } catch (e) {
      setStep({ kind: 'choose', error: `Cairn could not open your backups: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  onMount(() => void resume());

  // Locked from inside the app: ask for the passphrase again, same place.
  createEffect(on(engine.repo, (repo, prev) => {
    if (!repo && prev && step().kind === 'open') {
      lockedInApp = true;
      setStep({ kind: 'loading' });
      void resume();
    }
  }));

  const guard = async (what: () => Promise<void>): Promise<void> => {
    setWorking(true);
    try {
      await what();
    } catch (e) {
      setStep({ kind: 'choose', error: `That did not work: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setWorking(false);
    }
  };

  const useFolder = async (handle: FileSystemDirectoryHandle): Promise<void> => {
    if (!(await ensureAccess(handle, 'readwrite'))) {
      return void setStep({ kind: 'choose', error: `Cairn needs permission to save into “${handle.name}”. Choose it again and allow access.` });
    }
    await goTo({ kind: 'folder', handle });
  };

  const create = async (target: RepositoryTarget, options: CreateOptions): Promise<void> => {
    try {
      await opened(await engine.client.create(target, options), target);
    } catch (e) {
      if (isEngineError(e, 'already-exists')) throw new Error('There are already backups there. Go back and open them instead.');
      throw new Error(`Cairn could not set up the backups: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const unlock = async (target: RepositoryTarget, passphrase: string | null, remember = false): Promise<void> => {
    try {
      const repo = passphrase === null ? await engine.client.unlockRemembered(target) : await engine.client.unlock(target, passphrase);
      if (remember) await engine.client.rememberDevice(repo.session).catch((e: unknown) => console.warn('Cairn could not remember the key on this device', e));
      lockedInApp = false;
      await opened(repo, target);
    } catch (e) {
      if (isEngineError(e, 'wrong-passphrase')) throw new Error(passphrase === null ? 'The key remembered on this device no longer opens these backups. Type your passphrase.' : 'That passphrase or recovery key is not right. Check it (capital letters count) and try again.');
      throw new Error(`Cairn could not open the backups: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const chooseOther = (): void => {
    setStep({ kind: 'choose', canGoBack: true });
  };

  return (
    <Switch>
      <Match when={step().kind === 'loading'}>
        <p class="muted" role="status">Looking for your backups…</p>
      </Match>
      <Match when={step().kind === 'choose' && (step() as Extract<Step, { kind: 'choose' }>)}>
        {(s) => (
          <WelcomeScreen
            usage={usage()}
            notice={s().notice}
            error={s().error}
            working={working()}
            onBrowser={() => void guard(() => goTo({ kind: 'browser', name: DEFAULT_BROWSER_REPOSITORY }))}
            onPickFolder={() =>
              void guard(async () => {
                const handle = await pickFolder('readwrite', 'cairn-repository');
                if (handle) await useFolder(handle);
              })
            }
            onDropFolder={(handle) => void guard(() => useFolder(handle))}
            onCancel={s().canGoBack ? () => void resume() : undefined}
          />
        )}
      </Match>
      <Match when={step().kind === 'permission' && (step() as Extract<Step, { kind: 'permission' }>)}>
        {(s) => (
          <PermissionScreen
            folder={s().handle.name}
            drive={s().drive}
            error={s().error}
            working={working()}
            onAllow={() =>
              void (async () => {
                setWorking(true);
                const ok = await ensureAccess(s().handle, 'readwrite');
                setWorking(false);
                if (!ok) return setStep({ kind: 'permission', handle: s().handle, error: 'Access was not allowed. Is the drive connected? Try again, and choose “Allow” when the browser asks.' });
                await guard(() => goTo({ kind: 'folder', handle: s().handle }, `The folder “${s().handle.name}” no longer holds Cairn backups.`));
              })()
            }
            onChooseOther={chooseOther}
          />
        )}
      </Match>
      <Match when={step().kind === 'create' && (step() as Extract<Step, { kind: 'create' }>)}>
        {(s) => <CreateScreen place={s().place} defaultName={s().target.kind === 'browser' ? 'This browser' : 'Cairn backup'} onCreate={(o) => create(s().target, o)} onBack={chooseOther} />}
      </Match>
      <Match when={step().kind === 'unlock' && (step() as Extract<Step, { kind: 'unlock' }>)}>
        {(s) => (
          <UnlockScreen
            place={s().place}
            drive={s().drive}
            remembered={s().remembered ?? false}
            onUnlock={(p, remember) => unlock(s().target, p, remember)}
            onChooseOther={chooseOther}
          />
        )}
      </Match>
      <Match when={step().kind === 'open'}>{props.children}</Match>
    </Switch>
  );
}
