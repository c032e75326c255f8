import { createSignal, createUniqueId, onMount, Show, type JSX } from 'solid-js';
import { isUpdateBlocked, registerPwa } from './register-pwa';
import './update-banner.css';

export interface UpdateBannerProps {
  /** A backup, restore or check is running: "Update now" is disabled and a note says why. */
  readonly busy: boolean;
  /** The user accepted the update (the page reloads into the new version). */
  readonly onUpdate: () => void;
  /** The user put it off; the banner should go until the next version or the next start. */
  readonly onLater: () => void;
  /** The update is being applied: both buttons are disabled. */
  readonly updating?: boolean;
  /** Why the last attempt did not go through, shown in place of the busy note. */
  readonly error?: string;
}

/**
 * The polite "A new version of Cairn is ready" banner. Presentational: `PwaUpdatePrompt` below
 * wires it to the service worker; use this one directly to place it yourself.
 */
export function UpdateBanner(props: UpdateBannerProps): JSX.Element {
  const titleId = createUniqueId();
  const noteId = createUniqueId();
  const note = (): string | undefined =>
    props.error ?? (props.busy ? 'Updating waits until the running backup, restore or check has finished.' : undefined);
  return (
    <section class="update-banner" role="status" aria-live="polite" aria-labelledby={titleId} data-testid="update-banner">
      <div class="update-banner__text">
        <p class="update-banner__title" id={titleId}>
          A new version of Cairn is ready
        </p>
        <Show when={note()}>
          {(text) => (
            <p class="update-banner__note" id={noteId}>
              {text()}
            </p>
          )}
        </Show>
      </div>
      <div class="update-banner__actions">
        <button
          type="button"
          class="update-banner__button update-banner__button--primary"
          disabled={props.busy || props.updating === true}
          aria-describedby={note() ? noteId : undefined}
          onClick={() => props.onUpdate()}
        >
          {props.updating ? 'Updating…' : 'Update now'}
        </button>
        <button type="button" class="update-banner__button" disabled={props.updating === true} onClick={() => props.onLater()}>
          Later
        </button>
      </div>
    </section>
  );
}

export interface PwaUpdatePromptProps {
  /** True while a backup, restore or check runs; read reactively (a signal getter is ideal). */
  readonly isBusy: () => boolean;
  /** Optional: the app is now cached for offline use (first install only). */
  readonly onOfflineReady?: () => void;
}

/**
 * Registers the service worker (once, on mount) and shows UpdateBanner when a new version waits.
 * Render it once, anywhere in the app: `<PwaUpdatePrompt isBusy={() => jobRunning()} />`.
 */
export function PwaUpdatePrompt(props: PwaUpdatePromptProps): JSX.Element {
  const [apply, setApply] = createSignal<(() => Promise<void>) | undefined>();
  const [updating, setUpdating] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();

  onMount(() =>
    registerPwa({
      isBusy: () => props.isBusy(),
      onNeedRefresh: (next) => {
        setError(undefined);
        setApply(() => next);
      },
      onOfflineReady: () => props.onOfflineReady?.(),
    }),
  );

  const update = async (run: () => Promise<void>): Promise<void> => {
    setError(undefined);
    setUpdating(true);
    try {
      await run();
    } catch (e) {
      setUpdating(false);
      setError(isUpdateBlocked(e) ? e.message : `The update failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <Show when={apply()}>
      {(run) => (
        <UpdateBanner
          busy={props.isBusy()}
          updating={updating()}
          error={error()}
          onUpdate={() => void update(run())}
          onLater={() => setApply(undefined)}
        />
      )}
    </Show>
  );
}
