/**
 * A stand-in for workbox-window's `Workbox`: records listeners and skip-waiting messages, and lets
 * a test fire the lifecycle events a real service worker update would.
 */
type Listener = (event: Record<string, unknown>) => void;

export class FakeWorkbox {
  static instances: FakeWorkbox[] = [];
  readonly listeners = new Map<string, Listener[]>();
  skipWaitingMessages = 0;
  registered = 0;
  updates = 0;

  constructor(
    readonly scriptURL: string,
    readonly options?: unknown,
  ) {
    FakeWorkbox.instances.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  fire(type: 'waiting' | 'activated' | 'controlling', event: Record<string, unknown> = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ type, ...event });
  }

  messageSkipWaiting(): void {
    this.skipWaitingMessages++;
  }

  register(): Promise<undefined> {
    this.registered++;
    return Promise.resolve(undefined);
  }

  update(): Promise<void> {
    this.updates++;
    return Promise.resolve();
  }
}
