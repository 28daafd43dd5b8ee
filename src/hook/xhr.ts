/**
 * The XMLHttpRequest tap: `open`, `setRequestHeader` and `send` on the prototype become apply-trap Proxies that
 * call the native first and then note what they need. A Convex request gets a `loadend` listener added with the
 * captured native addEventListener (invisible to the page) that records the status and, for non-2xx with a text
 * response type, the start of `responseText`.
 */
import { ERROR_BODY_LIMIT } from "./body";
import type { HookEvent } from "../core/capture/events";
import type { HttpTapDeps } from "./fetch";
import { clipUrl, isConvexHttp, isConvexHttpCandidate, mayBeConvexHttp, parseUrl, type UrlParts } from "./match";
import { SafeWeakMap, apply, getOwnPropertyDescriptor, guard, lower, now, slice, upper } from "./safe";
import { disguise, replaceValue } from "./stealth";

/** What `open` and `setRequestHeader` told the hook about the request being prepared. */
interface Pending {
  method: string;
  u: UrlParts;
  authorization: string | null;
  convexClient: boolean;
}

const OPENED = 1;
const DONE = 4;

export function installXhrTap(g: typeof globalThis, deps: HttpTapDeps): boolean {
  const Xhr = g.XMLHttpRequest;
  if (typeof Xhr !== "function") return false;
  const proto = Xhr.prototype;
  const getter = (name: string): ((this: unknown) => unknown) => {
    const f = getOwnPropertyDescriptor(proto, name)?.get;
    if (!f) throw new Error(`no native getter XMLHttpRequest.${name}`);
    return f as (this: unknown) => unknown;
  };
  const STATUS = getter("status");
  const READY = getter("readyState");
  const RTYPE = getter("responseType");
  const RTEXT = getter("responseText");
  const URL_HREF = getOwnPropertyDescriptor(g.URL.prototype, "href")?.get;
  const addListener = g.EventTarget.prototype.addEventListener;
  const removeListener = g.EventTarget.prototype.removeEventListener;
  /** xhr → its Convex-candidate request since the last open(); absent when not a candidate */
  const pending = new SafeWeakMap<object, Pending>();

  const read = <T>(f: (this: unknown) => unknown, xhr: object): T => apply(f, xhr, []) as T;

  function record(xhr: object, p: Pending, req: number): void {
    const status = read<number>(STATUS, xhr);
    const e: HookEvent = { k: "http", t: now(), req, via: "xhr", method: p.method, url: clipUrl(p.u.href), authorization: p.authorization, status };
    if (status !== 0 && (status < 200 || status >= 300)) {
      const type = read<string>(RTYPE, xhr);
      if (type === "" || type === "text") e.errorBody = slice(read<string>(RTEXT, xhr), 0, ERROR_BODY_LIMIT);
    }
    deps.emit(e);
  }

  const open = disguise(proto.open, {
    apply(target, xhr: unknown, args: unknown[]) {
      const result: unknown = apply(target, xhr, args);
      guard(() => {
        if (typeof xhr !== "object" || xhr === null) return;
        pending.delete(xhr);
        const m = args[0];
        const rawUrl = args[1];
        let raw: string | undefined;
        if (typeof rawUrl === "string") raw = rawUrl;
        else if (typeof rawUrl === "object" && rawUrl !== null && URL_HREF) {
          try {
            raw = apply(URL_HREF, rawUrl, []) as string;
          } catch {
            raw = undefined; // another object: its toString already ran once in the native open
          }
        }
        if (raw === undefined || typeof m !== "string" || !mayBeConvexHttp(raw)) return;
        const u = parseUrl(raw, deps.baseUrl());
        if (!u || !isConvexHttpCandidate(u)) return;
        pending.set(xhr, { method: upper(m), u, authorization: null, convexClient: false });
      });
      return result;
    },
  });

  const setRequestHeader = disguise(proto.setRequestHeader, {
    apply(target, xhr: unknown, args: unknown[]) {
      const result: unknown = apply(target, xhr, args);
      guard(() => {
        const p = typeof xhr === "object" && xhr !== null ? pending.get(xhr) : undefined;
        const name = args[0];
        const value = args[1];
        if (!p || typeof name !== "string") return;
        const key = lower(name);
        if (key === "convex-client") p.convexClient = true;
        else if (key === "authorization" && typeof value === "string")
          p.authorization = p.authorization === null ? value : `${p.authorization}, ${value}`;
      });
      return result;
    },
  });

  const send = disguise(proto.send, {
    apply(target, xhr: unknown, args: unknown[]) {
      let p: Pending | undefined;
      try {
        p = typeof xhr === "object" && xhr !== null ? pending.get(xhr) : undefined;
        if (p && !isConvexHttp(p.u, p.convexClient, deps.syncOrigins)) p = undefined;
        // Not OPENED: the native send is about to throw InvalidStateError; there is nothing to watch.
        if (p && read<number>(READY, xhr as object) !== OPENED) p = undefined;
      } catch {
        p = undefined;
      }
      if (!p) return apply(target, xhr, args);
      const watched = p;
      const x = xhr as object;
      const req = deps.nextReq();
      let done = false;
      // Added before the native send so a synchronous request's loadend is seen too.
      const onEnd = (): void =>
        guard(() => {
          if (done) return;
          done = true;
          apply(removeListener, x, ["loadend", onEnd]);
          record(x, watched, req);
        });
      apply(addListener, x, ["loadend", onEnd]);
      try {
        return apply(target, xhr, args);
      } catch (err) {
        guard(() => {
          if (done) return;
          // A synchronous request that failed on the network is DONE; anything else never started.
          if (read<number>(READY, x) === DONE) onEnd();
          else {
            done = true;
            apply(removeListener, x, ["loadend", onEnd]);
          }
        });
        throw err;
      }
    },
  });

  replaceValue(proto, "open", open);
  replaceValue(proto, "setRequestHeader", setRequestHeader);
  return replaceValue(proto, "send", send);
}
