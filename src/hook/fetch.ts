/**
 * The fetch tap: `fetch` becomes an apply-trap Proxy. The native fetch runs first, unchanged; only when the
 * request is Convex traffic (see match.ts) does the page get, instead of the native promise, one chained to it
 * with the native `then` that records the outcome and settles with the very same Response or error.
 * Non-2xx bodies are read from a clone, so the page can still read its own.
 */
import { captureBodyNatives, readErrorBody, type BodyNatives } from "./body";
import type { HookEvent } from "../core/capture/events";
import { captureHeaderNatives, factsFromHeaders, factsFromHeadersInit, NO_HEADERS, type HeaderFacts, type HeaderNatives } from "./headers";
import { clipUrl, isConvexHttp, isConvexHttpCandidate, mayBeConvexHttp, parseUrl, type OriginSet } from "./match";
import { apply, getOwnPropertyDescriptor, guard, now, upper } from "./safe";
import { disguise, replaceValue } from "./stealth";

export interface HttpTapDeps {
  emit: (e: HookEvent) => void;
  syncOrigins: OriginSet;
  /** Next request id in this document (shared by fetch and XHR). */
  nextReq: () => number;
  /** The document's base URL, against which relative request URLs resolve. */
  baseUrl: () => string;
}

/** A Convex request being watched: everything but the outcome. */
export interface WatchedRequest {
  req: number;
  method: string;
  url: string;
  authorization: string | null;
}

/** How long an error body may take to arrive before the event is sent without it. */
export const ERROR_BODY_WAIT_MS = 3000;

const is2xx = (status: number): boolean => status >= 200 && status < 300;

type Get<T> = (this: unknown) => T;
function getterOf<T>(proto: object, name: string): Get<T> {
  const g = getOwnPropertyDescriptor(proto, name)?.get;
  if (!g) throw new Error(`no native getter ${name}`);
  return g as Get<T>;
}
/** A native getter used as a brand check: undefined when `v` is not of that kind. */
function tryGet<T>(g: Get<T>, v: unknown): T | undefined {
  try {
    return apply(g, v, []) as T;
  } catch {
    return undefined;
  }
}

export function installFetchTap(g: typeof globalThis, deps: HttpTapDeps): boolean {
  const nativeFetch = g.fetch;
  if (typeof nativeFetch !== "function") return false;
  const thenNative = g.Promise.prototype.then;
  const setTimer = g.setTimeout;
  const REQ_URL = getterOf<string>(g.Request.prototype, "url");
  const REQ_METHOD = getterOf<string>(g.Request.prototype, "method");
  const REQ_HEADERS = getterOf<Headers>(g.Request.prototype, "headers");
  const URL_HREF = getterOf<string>(g.URL.prototype, "href");
  const RES_STATUS = getterOf<number>(g.Response.prototype, "status");
  const hn: HeaderNatives = captureHeaderNatives(g);
  const bn: BodyNatives = captureBodyNatives(g);

  /** What the request is, when it is Convex traffic; null otherwise (most calls stop at the string test). */
  function watch(args: unknown[]): WatchedRequest | null {
    const input = args[0];
    const init = args[1];
    let raw: string | undefined;
    let request = false;
    if (typeof input === "string") raw = input;
    else if (typeof input === "object" && input !== null) {
      raw = tryGet(REQ_URL, input);
      if (raw !== undefined) request = true;
      else raw = tryGet(URL_HREF, input);
      // Any other object: fetch calls its toString; calling it a second time would be visible, so skip.
    }
    if (raw === undefined || !mayBeConvexHttp(raw)) return null;
    const u = parseUrl(raw, deps.baseUrl());
    if (!u || !isConvexHttpCandidate(u)) return null;

    const initObj = typeof init === "object" && init !== null ? (init as { headers?: unknown; method?: unknown }) : null;
    const initHeaders = initObj ? initObj.headers : undefined;
    let facts: HeaderFacts = NO_HEADERS;
    if (initHeaders !== undefined) facts = factsFromHeadersInit(hn, initHeaders);
    else if (request) facts = factsFromHeaders(hn, tryGet(REQ_HEADERS, input)) ?? NO_HEADERS;
    if (!isConvexHttp(u, facts.convexClient, deps.syncOrigins)) return null;

    const initMethod = initObj ? initObj.method : undefined;
    const method =
      typeof initMethod === "string" ? upper(initMethod) : request ? (tryGet(REQ_METHOD, input) ?? "GET") : "GET";
    return { req: deps.nextReq(), method, url: clipUrl(u.href), authorization: facts.authorization };
  }

  const record = (w: WatchedRequest, status: number, errorBody?: string): void => {
    const e: HookEvent = { k: "http", t: now(), req: w.req, via: "fetch", method: w.method, url: w.url, authorization: w.authorization, status };
    if (errorBody !== undefined) e.errorBody = errorBody;
    deps.emit(e);
  };

  const wrapped = disguise(nativeFetch, {
    apply(target, thisArg: unknown, args: unknown[]) {
      // The native call first: its synchronous errors and its promise are exactly what the page would get.
      const p = apply(target, thisArg, args) as Promise<Response>;
      let w: WatchedRequest | null = null;
      try {
        w = watch(args);
      } catch {
        w = null;
      }
      if (!w) return p;
      const watched = w;
      const onResponse = (res: Response): Response => {
        guard(() => {
          const status = apply(RES_STATUS, res, []) as number;
          if (is2xx(status)) return record(watched, status);
          const sofar = { text: "" };
          const body = readErrorBody(bn, res, undefined, sofar); // clones now, before the page sees `res`
          // A body that never ends (a stalled stream) must not hold the event back for ever.
          let recorded = false;
          const once = (text: string | undefined): void => {
            if (recorded) return;
            recorded = true;
            guard(() => record(watched, status, text));
          };
          apply(thenNative, body, [once]);
          apply(setTimer, g, [() => once(sofar.text.length > 0 ? sofar.text : undefined), ERROR_BODY_WAIT_MS]);
        });
        return res;
      };
      const onError = (err: unknown): never => {
        guard(() => record(watched, 0));
        throw err;
      };
      return apply(thenNative, p, [onResponse, onError]);
    },
  });
  return replaceValue(g, "fetch", wrapped);
}
