/**
 * A page's own first script, as a curious page would write it: records every window message and every event of
 * the extension's channel types on window, document and document.fonts for the page's whole life, in
 * `window.__seen`. Shared by the Chromium and Firefox hostile-page tests.
 */
import { CHANNEL_EVENT, HOOK_SOURCE, UNLOAD_EVENT } from "../../../../src/hook/events";

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
