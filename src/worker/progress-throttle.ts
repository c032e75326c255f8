/**
 * Rate-limits progress on its way to the UI.
 *
 * Contract: the first event is sent at once; after that at most one event per `intervalMs`, and
 * never while the previous send is still in flight (a busy UI slows the stream instead of
 * queueing it); events in between are coalesced into the latest. `flush()` sends the latest
 * pending event (the final state) and resolves once every send has settled, so a caller that
 * awaits it before returning a result delivers progress before the result. Failures of `send`
 * are ignored: progress is advisory and never fails a job.
 */
export interface ProgressThrottle<P> {
  push(progress: P): void;
  flush(): Promise<void>;
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 100;

export function throttleProgress<P>(
  send: (progress: P) => unknown,
  intervalMs = DEFAULT_PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
): ProgressThrottle<P> {
  let pending: { value: P } | undefined;
  let lastSent = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;

  const fire = (): void => {
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    lastSent = now();
    inFlight = Promise.resolve()
      .then(() => send(value))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        inFlight = undefined;
        if (pending) schedule();
      });
  };

  const schedule = (): void => {
    if (timer !== undefined || inFlight !== undefined) return;
    const wait = lastSent + intervalMs - now();
    if (wait <= 0) return fire();
    timer = setTimeout(() => {
      timer = undefined;
      fire();
    }, wait);
  };

  return {
    push(progress) {
      pending = { value: progress };
      schedule();
    },
    async flush() {
      for (;;) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        if (inFlight) await inFlight;
        else if (pending) fire();
        else return;
      }
    },
  };
}
