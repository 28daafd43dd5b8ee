/**
 * Starts the findings worker (engine.ts behind postMessage). Null where no worker can run (Node, where the
 * panel's state is unit-tested); `onError` when it stops working — the caller then computes findings itself.
 */
import type { FindingsInput, FindingsReport } from "./engine";

export interface FindingsWorker {
  add(input: FindingsInput): void;
}

export function startFindingsWorker(onReport: (r: FindingsReport) => void, onError: () => void): FindingsWorker | null {
  if (typeof Worker !== "function") return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL("./findings.worker.ts", import.meta.url), { type: "module" });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<FindingsReport>) => onReport(e.data);
  worker.onerror = () => {
    worker.terminate();
    onError();
  };
  return { add: (input) => worker.postMessage(input) };
}
