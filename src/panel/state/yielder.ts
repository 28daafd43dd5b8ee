/**
 * Deferred work on the panel's thread, one task at a time. `schedule()` runs the job in a fresh task as soon as
 * pending input and rendering had their turn: a MessageChannel message, which unlike setTimeout is neither
 * clamped nor throttled while DevTools shows another panel. `scheduleAfter(ms)` runs it after a delay.
 * A job scheduled twice runs once.
 */
export interface Yielder {
  schedule(): void;
  scheduleAfter(ms: number): void;
  readonly pending: boolean;
}

export function yielder(job: () => void): Yielder {
  const channel = new MessageChannel();
  let queued = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    queued = false;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    job();
  };
  channel.port1.onmessage = run;
  const y: Yielder = {
    schedule() {
      if (queued) return;
      queued = true;
      channel.port2.postMessage(null);
    },
    scheduleAfter(ms) {
      if (ms <= 0) return y.schedule();
      if (queued || timer !== null) return;
      timer = setTimeout(run, ms);
    },
    get pending() {
      return queued || timer !== null;
    },
  };
  return y;
}
