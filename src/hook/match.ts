/**
 * Which sockets and HTTP requests are Convex traffic (reference convex-protocol.md §1, §6).
 * Pure string logic over URLs parsed with the captured native `URL`; no page state.
 */
import { apply, endsWith, getOwnPropertyDescriptor, slice, test } from "./safe";

/** URLs in events are cut to this many characters (the relay refuses events with longer ones). */
export const URL_LIMIT = 8192;
export const clipUrl = (url: string): string => (url.length > URL_LIMIT ? slice(url, 0, URL_LIMIT) : url);

/** The parts of a parsed URL the matchers read. */
export interface UrlParts {
  href: string;
  protocol: string;
  host: string;
  hostname: string;
  pathname: string;
}

const NativeURL = URL;
const urlGetter = (name: string): ((this: URL) => string) => {
  const d = getOwnPropertyDescriptor(NativeURL.prototype, name);
  if (!d?.get) throw new Error(`URL.prototype.${name} has no getter`);
  return d.get as (this: URL) => string;
};
const GET_HREF = urlGetter("href");
const GET_PROTOCOL = urlGetter("protocol");
const GET_HOST = urlGetter("host");
const GET_HOSTNAME = urlGetter("hostname");
const GET_PATHNAME = urlGetter("pathname");

/** Parse `raw` against `base` with the native URL parser; null when it is not a valid URL. */
export function parseUrl(raw: string, base?: string): UrlParts | null {
  let u: URL;
  try {
    u = base === undefined ? new NativeURL(raw) : new NativeURL(raw, base);
  } catch {
    return null;
  }
  const get = (g: (this: URL) => string): string => apply(g, u, []) as string;
  return {
    href: get(GET_HREF),
    protocol: get(GET_PROTOCOL),
    host: get(GET_HOST),
    hostname: get(GET_HOSTNAME),
    pathname: get(GET_PATHNAME),
  };
}

/**
 * `/api/<semver…>/sync` or `/api/sync`. Not anchored at the start: the client keeps any path of the deployment
 * address (`https://x.convex.cloud/` gives `//api/1.48.0/sync`), and self-hosted backends may sit under a prefix.
 */
const SYNC_PATH = /\/api\/(?:\d+\.\d+\.\d+[^/]*\/)?sync$/;

export function isSyncSocketUrl(u: UrlParts): boolean {
  return (u.protocol === "ws:" || u.protocol === "wss:") && test(SYNC_PATH, u.pathname);
}

/** The HTTP origin a sync socket's deployment answers on: `wss://x:1` → `https://x:1`. */
export function httpOriginOfSocket(u: UrlParts): string {
  return `${u.protocol === "wss:" ? "https:" : "http:"}//${u.host}`;
}

export function httpOrigin(u: UrlParts): string {
  return `${u.protocol}//${u.host}`;
}

/** The /api endpoints of ConvexHttpClient and the backend's public API (§6). */
const API_PATH = /\/api\/(?:query|mutation|action|function|query_batch|query_ts|query_at_ts|run\/.+)$/;

/**
 * Cheap pre-filter on the raw URL string before parsing it: most of a page's requests are rejected here.
 * `api/` (not `/api/`) so that a relative `api/query` still passes; data: and blob: URLs never do.
 */
const MAYBE_CONVEX = /api\/|\.convex\.site/i;
const DATA_OR_BLOB = /^\s*(?:data|blob):/i;

export function mayBeConvexHttp(raw: string): boolean {
  return test(MAYBE_CONVEX, raw) && !test(DATA_OR_BLOB, raw);
}

/** Hosts come lower-cased from the URL parser, so plain suffix checks suffice. */
export function isConvexSite(u: UrlParts): boolean {
  return (u.protocol === "https:" || u.protocol === "http:") && endsWith(u.hostname, ".convex.site");
}

/** Origins of sync sockets seen in this document: a null-prototype object used as a set. */
export type OriginSet = Record<string, true>;
export const newOriginSet = (): OriginSet => Object.create(null) as OriginSet;

/**
 * A Convex HTTP call worth recording: an /api endpoint on something that is a Convex deployment (the client's
 * `Convex-Client` header, a `*.convex.cloud` host, or the origin of a sync socket seen here), or any request to
 * a `*.convex.site` host (HTTP actions).
 */
export function isConvexHttp(u: UrlParts, hasConvexClientHeader: boolean, syncOrigins: OriginSet): boolean {
  if (u.protocol !== "https:" && u.protocol !== "http:") return false;
  if (isConvexSite(u)) return true;
  if (!test(API_PATH, u.pathname)) return false;
  return hasConvexClientHeader || endsWith(u.hostname, ".convex.cloud") || syncOrigins[httpOrigin(u)] === true;
}

/** Whether the URL could still turn out to be Convex once the request headers are known. */
export function isConvexHttpCandidate(u: UrlParts): boolean {
  return (u.protocol === "https:" || u.protocol === "http:") && (isConvexSite(u) || test(API_PATH, u.pathname));
}
