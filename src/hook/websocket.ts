/**
 * The WebSocket tap. `WebSocket` becomes a Proxy whose construct trap calls the native constructor through
 * `Reflect.construct` (so prototype, statics, `instanceof`, subclassing, `new.target` and URL/protocol errors are
 * native) and then, for sync sockets only, adds listeners with the captured native `addEventListener`. They are
 * registered before the page can add its own, so the hook sees every event first and the page cannot see them.
 * Sent frames are seen through an apply-trap Proxy on `WebSocket.prototype.send`, recorded only after the native
 * send returned. Other sockets cost one URL match at construction and one WeakMap miss per send.
 */
import type { HookEvent } from "../core/capture/events";
import { clipUrl, httpOriginOfSocket, isSyncSocketUrl, parseUrl, type OriginSet } from "./match";
import { SafeWeakMap, apply, construct, getOwnPropertyDescriptor, guard, now } from "./safe";
import { disguise, replaceValue } from "./stealth";

export interface WebSocketTapDeps {
  emit: (e: HookEvent) => void;
  /** Records a sent (`send`) or received frame's payload as it is (see Batcher.frame). */
  frame: (send: boolean, ws: number, data: unknown) => void;
  /** Filled with the HTTP origin of every sync socket, so HTTP calls to that deployment are recognised. */
  syncOrigins: OriginSet;
}

type Listener = (ev: Event) => void;

function nativeGetter(proto: object, name: string): (this: unknown) => unknown {
  const g = getOwnPropertyDescriptor(proto, name)?.get;
  if (!g) throw new Error(`no native getter ${name}`);
  return g as (this: unknown) => unknown;
}

/** Install the WebSocket tap on `g` (the page's window). Returns false when there is no WebSocket to wrap. */
export function installWebSocketTap(g: typeof globalThis, deps: WebSocketTapDeps): boolean {
  const Native = g.WebSocket;
  if (typeof Native !== "function") return false;
  const proto = Native.prototype;
  const nativeSend = proto.send;
  const addListener = g.EventTarget.prototype.addEventListener;
  const URL_OF = nativeGetter(proto, "url");
  const DATA_OF = nativeGetter(g.MessageEvent.prototype, "data");
  const CODE_OF = nativeGetter(g.CloseEvent.prototype, "code");
  const REASON_OF = nativeGetter(g.CloseEvent.prototype, "reason");
  const CLEAN_OF = nativeGetter(g.CloseEvent.prototype, "wasClean");
  const { emit, frame, syncOrigins } = deps;
  /** sync socket → its id in this document */
  const ids = new SafeWeakMap<object, number>();
  let nextId = 1;

  // isTrusted is an own accessor of every Event instance; events the page dispatches itself are not traffic.
  const TRUSTED = getOwnPropertyDescriptor(new g.Event("x"), "isTrusted")?.get;
  // try/catch inline rather than guard(() => …): no closure per frame on the page's thread.
  const listen = (ws: object, type: string, f: Listener): void => {
    apply(addListener, ws, [
      type,
      (ev: Event) => {
        try {
          if (!TRUSTED || apply(TRUSTED, ev, []) === true) f(ev);
        } catch {
          // a recording failure loses one event, never the page's
        }
      },
    ]);
  };

  function observe(ws: object): void {
    // The native getter gives the URL exactly as resolved by the constructor (relative, http(s) → ws(s)).
    const url = apply(URL_OF, ws, []) as string;
    const u = parseUrl(url);
    if (!u || !isSyncSocketUrl(u)) return;
    const id = nextId++;
    ids.set(ws, id);
    syncOrigins[httpOriginOfSocket(u)] = true;
    emit({ k: "ws-new", t: now(), ws: id, url: clipUrl(url) });
    listen(ws, "open", () => emit({ k: "ws-open", t: now(), ws: id }));
    listen(ws, "message", (ev) => frame(false, id, apply(DATA_OF, ev, [])));
    listen(ws, "error", () => emit({ k: "ws-error", t: now(), ws: id }));
    listen(ws, "close", (ev) =>
      emit({
        k: "ws-close",
        t: now(),
        ws: id,
        code: apply(CODE_OF, ev, []) as number,
        reason: apply(REASON_OF, ev, []) as string,
        wasClean: apply(CLEAN_OF, ev, []) as boolean,
      }),
    );
  }

  const Wrapped = disguise(Native, {
    construct(target, args, newTarget) {
      const ws = construct(target, args, newTarget) as object;
      guard(() => observe(ws));
      return ws;
    },
  });

  const send = disguise(nativeSend, {
    apply(target, thisArg: unknown, args: unknown[]) {
      const result: unknown = apply(target, thisArg, args);
      try {
        const id = typeof thisArg === "object" && thisArg !== null ? ids.get(thisArg) : undefined;
        if (id !== undefined) frame(true, id, args[0]);
      } catch {
        // as in listen()
      }
      return result;
    },
  });

  replaceValue(proto, "send", send);
  // `ws.constructor === WebSocket` and `WebSocket.prototype.constructor === WebSocket` must stay true.
  replaceValue(proto, "constructor", Wrapped);
  return replaceValue(g, "WebSocket", Wrapped);
}
