/**
 * A page's own first script, as a curious page would write it: records every window message and every event of
 * the extension's channel types on window, document and document.fonts for the page's whole life, in
 * `window.__seen`. Shared by the Chromium and Firefox hostile-page tests.
 */
import { CHANNEL_EVENT, HOOK_SOURCE, UNLOAD_EVENT } from "../../../../src/core/capture/events";
import { SYNC_PATH } from "./sync-server.ts";

const TYPES = JSON.stringify([CHANNEL_EVENT, UNLOAD_EVENT, HOOK_SOURCE]);

export const PAGE_WATCH = `<script>
  window.__seen = [];
  addEventListener("message", (e) => __seen.push("message:" + String(typeof e.data === "object" ? JSON.stringify(e.data) : e.data).slice(0, 80)), true);
  for (const t of ${TYPES}) for (const target of [window, document, document.fonts]) {
    target.addEventListener(t, () => __seen.push(t), true);
  }
</script>`;

/** A page with no Convex traffic at all: the watch, a same-origin fetch, a history change and an iframe. */
export function plainPageHtml(dataPath: string): string {
  return `<!doctype html><html><head>${PAGE_WATCH}</head><body>plain page<script>
    history.pushState({}, "", location.pathname + "?moved");
    fetch(${JSON.stringify(dataPath)}).then((r) => r.text()).then(() => { window.__done = true; });
  </script><iframe src=${JSON.stringify(dataPath)}></iframe></body></html>`;
}

/** A parent page whose only content is an iframe `id="f"` showing `child`. */
export const framePageHtml = (child: string) => `<!doctype html><html><body><iframe id="f" src="${child}"></iframe></body></html>`;

/** In the parent: the frame's socket sends one last frame, and the frame is removed in the same task. */
export function sendLastAndRemoveFrame(): void {
  const f = document.getElementById("f") as HTMLIFrameElement;
  (f.contentWindow as unknown as { __ws: WebSocket }).__ws.send(
    JSON.stringify({ type: "ModifyQuerySet", baseVersion: 1, newVersion: 2, modifications: [], last: true }),
  );
  f.remove();
}

/** The frame's last send (from `sendLastAndRemoveFrame`) is among the events. */
export const hasLastSend = (events: { ev: { k: string } }[]) =>
  events.some((e) => e.ev.k === "ws-send" && JSON.stringify(e.ev).includes('\\"last\\":true'));

/** The names a forger would learn from our source code. */
export const FORGERY = { source: HOOK_SOURCE, channel: CHANNEL_EVENT, unload: UNLOAD_EVENT, sync: SYNC_PATH };

/**
 * Runs in a sync page (syncPageHtml) after start-up: posts fake batches on window, offers the hook a port of the
 * page's own (a hook that took it would post the page's batches there), dispatches fake unload batches on
 * window, document and document.fonts, then sends 3 real frames and waits for their answers (5 in all).
 * Returns whether the offer was taken and how many messages reached the page's port.
 */
export async function forgeAfterStartup(f: typeof FORGERY): Promise<{ taken: boolean; got: number }> {
  const fake = { source: f.source, doc: "f".repeat(32), seq: 0, events: [{ k: "ws-new", t: 1, ws: 99, url: `ws://forged.example${f.sync}` }] };
  postMessage(fake, "*");
  postMessage({ ...fake, seq: 1 }, "*");
  const got: unknown[] = [];
  const ch = new MessageChannel();
  ch.port1.onmessage = (e) => got.push(e.data);
  const taken = !document.fonts.dispatchEvent(new MessageEvent(f.channel, { ports: [ch.port2], cancelable: true }));
  for (const target of [window, document, document.fonts]) {
    for (const type of [f.source, f.unload]) target.dispatchEvent(new CustomEvent(type, { detail: JSON.stringify(fake) }));
  }
  const w = window as unknown as { send(n: number): void; __acks: number };
  w.send(3);
  await new Promise<void>((r) => {
    const t = setInterval(() => w.__acks >= 5 && (clearInterval(t), r()), 20);
  });
  await new Promise((r) => setTimeout(r, 300));
  return { taken, got: got.length };
}
