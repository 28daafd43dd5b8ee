import { signal } from "@preact/signals";

/** Wall-clock unix seconds, ticking once a second: drives countdowns and time-dependent predictions. */
export const nowSec = signal(Math.floor(Date.now() / 1000));

let timer: ReturnType<typeof setInterval> | null = null;
export function startClock(): void {
  if (timer !== null) return;
  timer = setInterval(() => {
    nowSec.value = Math.floor(Date.now() / 1000);
  }, 1000);
}
