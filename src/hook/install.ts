/**
 * Installs the whole tap into one document's MAIN world: the private channel first, then the
 * Function.prototype.toString mask, then the WebSocket, fetch and XHR wrappers. Each part is installed on its
 * own, so a page lacking one API (or a throwing install) never takes the others down.
 *
 * On a page without Convex traffic nothing is ever posted, and nothing more is set up than the wrappers and
 * the channel (this runs on every page the user opens): the document's id and the batcher are created at the
 * first Convex event, and the `installed` event, recorded at install time, is sent just before it, so neither
 * the relay's port nor the background hears of such a page (the panel asks the relay instead).
 */
import { createBatcher, FLUSH_MIN_MS, type Batcher } from "./batch";
import { openChannel } from "./channel";
import type { HookEvent } from "../core/capture/events";
import { installFetchTap, type HttpTapDeps } from "./fetch";
import { clipUrl, newOriginSet } from "./match";
import { apply, defineProperty, getOwnPropertyDescriptor, guard, hex, now, slice } from "./safe";
import { maskToString } from "./stealth";
import { installWebSocketTap } from "./websocket";
import { installXhrTap } from "./xhr";

/**
 * The only thing the hook leaves on `window`: a non-enumerable, non-writable Symbol-keyed flag, so that a second
 * copy of the hook in the same document (the manifest script plus a reload's injectedScript) does nothing.
 * `Symbol.for` because the two copies share no module state.
 */
export const INSTALLED = Symbol.for("convex-auth-inspector.hook");

/** 128 random bits as hex: a new id per document load (getRandomValues works outside secure contexts too). */
function randomDocId(g: typeof globalThis): string {
  const bytes = apply(g.crypto.getRandomValues, g.crypto, [new Uint8Array(16)]) as Uint8Array;
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += slice(hex(bytes[i]! + 256), 1);
  return s;
}

/** Install into `g` (the page's window). Returns false when a hook was already installed there. */
export function installHook(g: typeof globalThis): boolean {
  if (getOwnPropertyDescriptor(g, INSTALLED)) return false;
  defineProperty(g, INSTALLED, { value: true });

  const setTimeout = g.setTimeout;
  const idle = g.requestIdleCallback;
  const addListener = g.EventTarget.prototype.addEventListener;
  const nativeBaseUri = getOwnPropertyDescriptor(g.Node.prototype, "baseURI")?.get;
  const nativeHref = getOwnPropertyDescriptor(g.Location.prototype, "href")?.get ?? getOwnPropertyDescriptor(g.location, "href")?.get;
  const doc = g.document;
  const loc = g.location;

  const channel = openChannel(g);
  const href = (): string => (nativeHref ? (apply(nativeHref, loc, []) as string) : "");
  const installed: HookEvent = { k: "installed", t: now(), url: clipUrl(href()), top: (g as unknown) === g.top };

  let batcher: Batcher | null = null;
  /** The first Convex event: the queue starts, announcing the document (its install time and URL) first. */
  const start = (): Batcher => {
    const later = (fn: () => void, ms: number): void => void apply(setTimeout, g, [fn, ms]);
    const b = createBatcher({
      doc: randomDocId(g),
      post: channel.post,
      postNow: channel.postNow,
      // FLUSH_MIN_MS after the first pending event (a stream then makes at most ~50 batches a second, each with
      // a fixed cost on this thread), then in the page's idle time so the copy does not interleave with its
      // work, and by FLUSH_MS in any case; only the timer where there is no requestIdleCallback.
      schedule: idle ? (fn, ms) => later(() => apply(idle, g, [fn, { timeout: ms - FLUSH_MIN_MS }]), FLUSH_MIN_MS) : later,
      now,
    });
    b.push(installed);
    channel.close();
    batcher = b;
    return b;
  };
  const emit = (e: HookEvent): void => (batcher ?? start()).push(e);
  const frame = (send: boolean, ws: number, data: unknown): void => (batcher ?? start()).frame(send, ws, data);

  let nextReq = 1;
  const syncOrigins = newOriginSet();
  const http: HttpTapDeps = {
    emit,
    syncOrigins,
    nextReq: () => nextReq++,
    baseUrl: () => (nativeBaseUri && doc ? (apply(nativeBaseUri, doc, []) as string) : href()),
  };
  guard(() => maskToString(g.Function));
  guard(() => void installWebSocketTap(g, { emit, frame, syncOrigins }));
  guard(() => void installFetchTap(g, http));
  guard(() => void installXhrTap(g, http));
  guard(() => void apply(addListener, g, ["pagehide", () => guard(() => batcher?.flushNow()), true]));
  return true;
}
