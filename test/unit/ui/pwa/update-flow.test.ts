import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeWorkbox } from './fake-workbox';

vi.mock('workbox-window', () => ({ Workbox: FakeWorkbox }));

const { connectUpdateFlow, isUpdateBlocked, pollUntilIdle, UpdateBlockedError } = await import('../../../../src/ui/pwa/update-flow');
const { registerPwa, workboxLifecycle } = await import('../../../../src/ui/pwa/register-pwa');

/** A flow over a fake Workbox, with a busy flag the test flips and a host that records reloads. */
function setup(controlled = true) {
  const wb = new FakeWorkbox('/sw.js');
  const state = { busy: false, reloads: 0, offlineReady: 0, applies: [] as (() => Promise<void>)[] };
  let idle: (() => void) | undefined;
  connectUpdateFlow(
    workboxLifecycle(wb as never),
    {
      isBusy: () => state.busy,
      onNeedRefresh: (apply) => state.applies.push(apply),
      onOfflineReady: () => state.offlineReady++,
    },
    {
      controlled,
      reload: () => state.reloads++,
      // Resolves when the test says the job ended (or at once when idle), like pollUntilIdle.
      whenIdle: (isBusy) => (isBusy() ? new Promise<void>((resolve) => (idle = resolve)) : Promise.resolve()),
    },
  );
  return { wb, state, finishJob: () => ((state.busy = false), idle?.()) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('update flow', () => {
  test('offers a waiting version and activates it only through apply()', async () => {
    const { wb, state } = setup();
    wb.fire('waiting', { isUpdate: true });
    expect(state.applies).toHaveLength(1);
    expect(wb.skipWaitingMessages).toBe(0);

    await state.applies[0]!();
    expect(wb.skipWaitingMessages).toBe(1);
    expect(state.reloads).toBe(0);

    wb.fire('controlling', { isUpdate: true });
    await settle();
    expect(state.reloads).toBe(1);
  });

  test('apply() refuses while a job runs and changes nothing', async () => {
    const { wb, state } = setup();
    wb.fire('waiting');
    state.busy = true;
    const refusal = await state.applies[0]!().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(UpdateBlockedError);
    expect(isUpdateBlocked(refusal)).toBe(true);
    expect((refusal as Error).message).toMatch(/running/);
    expect(wb.skipWaitingMessages).toBe(0);

    // Offered again once the job is over, the same apply goes through.
    state.busy = false;
    await state.applies[0]!();
    expect(wb.skipWaitingMessages).toBe(1);
  });

  test('a job that starts between apply() and the switch defers the reload until it ends', async () => {
    const { wb, state, finishJob } = setup();
    wb.fire('waiting');
    await state.applies[0]!();
    state.busy = true;
    wb.fire('controlling');
    await settle();
    expect(state.reloads).toBe(0);

    finishJob();
    await settle();
    expect(state.reloads).toBe(1);
  });

  test('a version another tab accepted reloads this busy tab only when it is idle, once', async () => {
    const { wb, state, finishJob } = setup();
    state.busy = true;
    wb.fire('controlling', { isExternal: true });
    wb.fire('controlling', { isExternal: true });
    await settle();
    expect(state.reloads).toBe(0);
    finishJob();
    await settle();
    expect(state.reloads).toBe(1);
  });

  test('the first service worker taking over a fresh page is no update: no reload', async () => {
    const { wb, state } = setup(false);
    wb.fire('activated', { isUpdate: false });
    wb.fire('controlling', { isUpdate: false });
    await settle();
    expect(state.reloads).toBe(0);
    expect(state.offlineReady).toBe(1);

    // A real update later on does reload.
    wb.fire('waiting', { isUpdate: true });
    await state.applies[0]!();
    wb.fire('controlling', { isUpdate: true });
    await settle();
    expect(state.reloads).toBe(1);
  });

  test('offline-ready is reported once, and never for an update', () => {
    const { wb, state } = setup(false);
    wb.fire('activated', { isUpdate: true });
    expect(state.offlineReady).toBe(0);
    wb.fire('activated', { isUpdate: false });
    wb.fire('activated', { isUpdate: false, isExternal: true });
    expect(state.offlineReady).toBe(1);
  });

  test('each new waiting version is offered again', () => {
    const { wb, state } = setup();
    wb.fire('waiting');
    wb.fire('waiting', { isExternal: true });
    expect(state.applies).toHaveLength(2);
  });
});

describe('pollUntilIdle', () => {
  test('resolves at once when idle and after the job otherwise', async () => {
    vi.useFakeTimers();
    try {
      await pollUntilIdle(() => false);
      let busy = true;
      let done = false;
      void pollUntilIdle(() => busy, 1000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(5000);
      expect(done).toBe(false);
      busy = false;
      await vi.advanceTimersByTimeAsync(1000);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('registerPwa', () => {
  beforeEach(() => {
    FakeWorkbox.instances.length = 0;
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
    FakeWorkbox.instances.length = 0;
  });

  test('does nothing in the dev server', () => {
    vi.stubEnv('DEV', true);
    vi.stubGlobal('navigator', { serviceWorker: { controller: null } });
    registerPwa({ isBusy: () => false, onNeedRefresh: () => undefined });
    expect(FakeWorkbox.instances).toHaveLength(0);
  });

  test('does nothing without service worker support', () => {
    vi.stubEnv('DEV', false);
    vi.stubGlobal('navigator', {});
    registerPwa({ isBusy: () => false, onNeedRefresh: () => undefined });
    expect(FakeWorkbox.instances).toHaveLength(0);
  });

  test('registers /sw.js and wires the prompt and the reload', async () => {
    vi.stubEnv('DEV', false);
    vi.stubGlobal('navigator', { serviceWorker: { controller: {} } });
    const reload = vi.fn();
    vi.stubGlobal('window', { location: { reload } });
    let busy = false;
    const applies: (() => Promise<void>)[] = [];
    registerPwa({ isBusy: () => busy, onNeedRefresh: (apply) => applies.push(apply) });

    expect(FakeWorkbox.instances).toHaveLength(1);
    const wb = FakeWorkbox.instances[0]!;
    expect(wb.scriptURL).toBe('/sw.js');
    expect(wb.registered).toBe(1);

    wb.fire('waiting', { isUpdate: true });
    busy = true;
    await expect(applies[0]!()).rejects.toBeInstanceOf(UpdateBlockedError);
    expect(wb.skipWaitingMessages).toBe(0);
    busy = false;
    await applies[0]!();
    expect(wb.skipWaitingMessages).toBe(1);
    wb.fire('controlling', { isUpdate: true });
    await settle();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
