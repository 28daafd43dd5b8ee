/**
 * HTTP caching with the semantics of the backend's `http-cache-reqwest` in `CacheMode::Default`
 * (which uses the `http-cache-semantics` rules as a *shared* cache): only successful GET 200 responses are kept
 * here; `no-store` and `private` are never stored; `no-cache` is stored but always revalidated; freshness is
 * `s-maxage` > `max-age` > `Expires` − `Date` > 10 % of `Date` − `Last-Modified`; current age is the `Age`
 * header plus the time the entry has been resident. There is no refetch on an unknown `kid` (reference §3.3).
 */

import { MAX_CACHE_ENTRIES } from "./limits";

/** A stored response: just what the fetch rules need again. */
export interface StoredResponse {
  status: number;
  /** Response headers, names lowercased. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** `now()` ms when the response (or its last 304) arrived. */
  responseTime: number;
}

/** Parsed `Cache-Control` directives; names lowercased, values unquoted ("" when valueless). */
export function parseCacheControl(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    let value = eq < 0 ? "" : part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out[name] = value;
  }
  return out;
}

function directives(headers: Record<string, string>): Record<string, string> {
  const cc = parseCacheControl(headers["cache-control"]);
  // Pragma: no-cache counts only when there is no Cache-Control (http-cache-semantics).
  if (headers["cache-control"] === undefined && /no-cache/.test(headers["pragma"] ?? "")) cc["no-cache"] = "";
  return cc;
}

function seconds(value: string | undefined): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Whether a shared cache may store this response at all. */
export function isStorable(status: number, headers: Record<string, string>): boolean {
  if (status !== 200) return false;
  const cc = directives(headers);
  return !("no-store" in cc) && !("private" in cc);
}

const IMMUTABLE_MIN_TTL_S = 24 * 3600;
const HEURISTIC_FRACTION = 0.1;

/** Freshness lifetime in seconds (http-cache-semantics `maxAge()` for a shared cache). */
export function freshnessLifetime(s: StoredResponse): number {
  const h = s.headers;
  const cc = directives(h);
  if (!isStorable(s.status, h) || "no-cache" in cc) return 0;
  if (h["set-cookie"] !== undefined && !("public" in cc) && !("immutable" in cc)) return 0;
  if (h["vary"]?.trim() === "*") return 0;
  if ("proxy-revalidate" in cc) return 0;
  if ("s-maxage" in cc) return seconds(cc["s-maxage"]);
  if ("max-age" in cc) return seconds(cc["max-age"]);
  const minTtl = "immutable" in cc ? IMMUTABLE_MIN_TTL_S : 0;
  const parsedDate = Date.parse(h["date"] ?? "");
  const serverDate = Number.isFinite(parsedDate) ? parsedDate : s.responseTime;
  if (h["expires"] !== undefined) {
    const expires = Date.parse(h["expires"]);
    if (!Number.isFinite(expires) || expires < serverDate) return 0;
    return Math.max(minTtl, (expires - serverDate) / 1000);
  }
  const lastModified = Date.parse(h["last-modified"] ?? "");
  if (Number.isFinite(lastModified) && serverDate > lastModified) {
    return Math.max(minTtl, ((serverDate - lastModified) / 1000) * HEURISTIC_FRACTION);
  }
  return minTtl;
}

/** Current age in seconds: the `Age` header plus resident time. */
export function currentAge(s: StoredResponse, now: number): number {
  return seconds(s.headers["age"]) + Math.max(0, now - s.responseTime) / 1000;
}

/** `now()` ms until which the entry is fresh. */
export function freshUntil(s: StoredResponse): number {
  return s.responseTime + (freshnessLifetime(s) - seconds(s.headers["age"])) * 1000;
}

export function isFresh(s: StoredResponse, now: number): boolean {
  return freshnessLifetime(s) > currentAge(s, now);
}

/** Headers for a conditional request revalidating a stale entry. */
export function validators(s: StoredResponse): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.headers["etag"] !== undefined) out["If-None-Match"] = s.headers["etag"];
  if (s.headers["last-modified"] !== undefined) out["If-Modified-Since"] = s.headers["last-modified"];
  return out;
}

/** Headers a 304 may not overwrite on the stored response (http-cache-semantics' exclusion list, abridged). */
const NOT_UPDATED_BY_304 = new Set(["content-length", "content-encoding", "transfer-encoding", "content-range"]);

/** The stored entry refreshed by a 304 answer (its headers merged in, the clock restarted). */
export function revalidated(s: StoredResponse, notModified: Record<string, string>, now: number): StoredResponse {
  const headers = { ...s.headers };
  for (const [k, v] of Object.entries(notModified)) if (!NOT_UPDATED_BY_304.has(k)) headers[k] = v;
  // A 304 without an Age header means the response is new now.
  if (notModified["age"] === undefined) delete headers["age"];
  return { ...s, headers, responseTime: now };
}

/** A bounded least-recently-used store, keyed by request URL. */
export class ResponseCache {
  private readonly entries = new Map<string, StoredResponse>();
  constructor(private readonly capacity: number = MAX_CACHE_ENTRIES) {}

  get(url: string): StoredResponse | undefined {
    const hit = this.entries.get(url);
    if (hit !== undefined) {
      this.entries.delete(url);
      this.entries.set(url, hit);
    }
    return hit;
  }

  set(url: string, response: StoredResponse): void {
    this.entries.delete(url);
    this.entries.set(url, response);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(url: string): void {
    this.entries.delete(url);
  }

  get size(): number {
    return this.entries.size;
  }
}
