/**
 * The decisions behind Cairn's "new version" prompt, kept apart from workbox-window and the DOM so
 * tests can drive them with a fake service worker lifecycle. register-pwa.ts wires it to the real
 * thing; see `registerPwa` there for the contract the UI relies on.
 */

/** What the update flow needs from a workbox-window `Workbox` (an adapter; see register-pwa.ts). */
export interface ServiceWorkerLifecycle {
  /** A new version finished installing and waits for the pages of the old one to let it in. */
  onWaiting(listener: () => void): void;
  /** A service worker became active; `isUpdate` is false for the first one of this origin. */
  onActivated(listener: (event: { readonly isUpdate: boolean }) => void): void;
  /** Another service worker took control of this page (navigator.serviceWorker 'controllerchange'). */
  onControlling(listener: () => void): void;
  /** Tells the waiting service worker to activate now. */
  skipWaiting(): void;
}

export interface UpdateFlowOptions {
  /**
   * True while a backup, restore or check runs in this page. Read whenever an update would apply
   * or reload; it must be cheap and must not throw.
   */
  readonly isBusy: () => boolean;
  /**
   * A new version is ready. `apply()` activates it and reloads the page into it; it rejects with
   * an UpdateBlockedError (and changes nothing) while `isBusy()` is true. May be called again for a
   * later version; the latest `apply` is the one to use.
   */
  readonly onNeedRefresh: (apply: () => Promise<void>) => void;
  /** The app is cached and will start with no network. Called once, on the first install. */
  readonly onOfflineReady?: () => void;
}

export interface UpdateFlowHost {
  /** Whether a service worker controlled this page when the flow started. */
  readonly controlled: boolean;
  /** Reloads the page into the new version. */
  reload(): void;
  /** Resolves once `isBusy()` is false (polling is fine: jobs take seconds to hours). */
  whenIdle(isBusy: () => boolean): Promise<void>;
}

/** `apply()` was called while a job runs: nothing happened; offer the update again later. */
export class UpdateBlockedError extends Error {
  constructor() {
    super('Cairn cannot update while a backup, restore or check is running. Update when it has finished.');
    this.name = 'UpdateBlockedError';
  }
}

/** True when `e` is the refusal of `apply()` while busy. */
export function isUpdateBlocked(e: unknown): e is UpdateBlockedError {
  return e instanceof UpdateBlockedError;
}

/**
 * Connects the lifecycle to the options. Guarantees: nothing activates a new version but `apply()`
 * on a page that is not busy; a page this flow runs in reloads into a new version only when it is
 * not busy (a version another tab accepted takes over the service worker at once, but this page
 * keeps its running code and defers its reload until its job has ended).
 */
export function connectUpdateFlow(lifecycle: ServiceWorkerLifecycle, options: UpdateFlowOptions, host: UpdateFlowHost): void {
  let controlled = host.controlled;
  let reloading = false;
  let offlineReported = false;

  const apply = async (): Promise<void> => {
    if (options.isBusy()) throw new UpdateBlockedError();
    lifecycle.skipWaiting();
  };

  lifecycle.onWaiting(() => options.onNeedRefresh(apply));

  lifecycle.onActivated((event) => {
    if (event.isUpdate || offlineReported) return;
    offlineReported = true;
    options.onOfflineReady?.();
  });

  lifecycle.onControlling(() => {
    // The first service worker claiming a fresh page is no new version: nothing to reload.
    const wasControlled = controlled;
    controlled = true;
    if (!wasControlled || reloading) return;
    reloading = true;
    void host.whenIdle(options.isBusy).then(() => host.reload());
  });
}

/** `UpdateFlowHost.whenIdle` by polling `isBusy` every `intervalMs`. */
export function pollUntilIdle(isBusy: () => boolean, intervalMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (isBusy()) setTimeout(check, intervalMs);
      else resolve();
    };
    check();
  });
}
