/**
 * The key source: OIDC discovery and JWKS fetching with the backend's rules (reference §3.1, §3.2, §3.3),
 * through the injected fetch, a fetch policy, and an HTTP cache with the backend's semantics.
 */

import type { DiscoveryDoc, FetchPolicy, Fetched, FetchFailure, JwkSet, KeySource, CacheInfo } from "./types";
import { boundedGet, type RawResponse } from "./http-get";
import {
  ResponseCache,
  freshUntil,
  isFresh,
  isStorable,
  revalidated,
  validators,
  type StoredResponse,
} from "./http-cache";
import { customJwtContentTypeOk, discoveryContentTypeOk, oidcJwksContentTypeOk } from "./content-type";
import { canonicalReason } from "./http-status";
import { decodeDataUrl } from "./data-url";
import { parseLenientJwks, parseStrictJwks } from "./jwk-parse";
import { discoveryUrl } from "./discovery-url";
import { policyFailure } from "./policy";
import { MAX_BODY_BYTES, MAX_CACHE_ENTRIES, MAX_FAILURE_BODY_CHARS } from "./limits";

export interface KeySourceOptions {
  fetch: typeof fetch;
  policy: FetchPolicy;
  /** Clock in milliseconds (Date.now by default); drives cache freshness only. */
  now?: () => number;
  /** Request deadline; default FETCH_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Largest body read; default MAX_BODY_BYTES. */
  maxBytes?: number;
  /** Cached URLs; default MAX_CACHE_ENTRIES. */
  cacheEntries?: number;
}

/** Lossy UTF-8, like Rust's `String::from_utf8_lossy`, bounded for messages. */
function lossyText(body: Uint8Array): { text: string; truncated: boolean } {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  return text.length > MAX_FAILURE_BODY_CHARS
    ? { text: text.slice(0, MAX_FAILURE_BODY_CHARS), truncated: true }
    : { text, truncated: false };
}

function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false; error: string } {
  let text: string;
  try {
    // serde_json reads UTF-8 strictly.
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, error: "the body is not valid UTF-8" };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

function isAbsoluteUrl(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

interface Got {
  response: Pick<RawResponse, "status" | "headers" | "body" | "overflow">;
  cache: CacheInfo;
}

/** A KeySource that can also read documents the user supplied (the CLI's `--discovery` and `--jwks`). */
export interface FullKeySource extends KeySource {
  discoveryAt(url: string): Promise<Fetched<DiscoveryDoc>>;
  suppliedJwks(url: string, mode: "oidc" | "customJwt"): Promise<Fetched<JwkSet>>;
}

export function createKeySource(opts: KeySourceOptions): FullKeySource {
  const now = opts.now ?? (() => Date.now());
  const cache = new ResponseCache(opts.cacheEntries ?? MAX_CACHE_ENTRIES);
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;

  /** GET through the cache. Only 200 responses are stored; everything else goes straight to the caller. */
  async function cachedGet(url: string, purpose: "discovery" | "jwks"): Promise<{ ok: true; got: Got } | { ok: false; failure: FetchFailure }> {
    const stored = cache.get(url);
    if (stored !== undefined && isFresh(stored, now())) {
      // Still ask the policy: a cached answer must not leak a URL the current policy refuses.
      const allowed = opts.policy.allows(url, purpose);
      if (!allowed.ok) return { ok: false, failure: policyFailure(url, allowed) };
      return {
        ok: true,
        got: {
          response: { ...stored, overflow: false },
          cache: { fromCache: true, revalidated: false, fetchedAt: stored.responseTime, freshUntil: freshUntil(stored) },
        },
      };
    }
    const result = await boundedGet(url, {
      fetch: opts.fetch,
      policy: opts.policy,
      purpose,
      headers: stored ? validators(stored) : undefined,
      timeoutMs: opts.timeoutMs,
      maxBytes,
    });
    if (!result.ok) return result;
    const res = result.response;
    const at = now();
    if (res.status === 304 && stored !== undefined) {
      const refreshed = revalidated(stored, res.headers, at);
      cache.set(url, refreshed);
      return {
        ok: true,
        got: {
          response: { ...refreshed, overflow: false },
          cache: { fromCache: false, revalidated: true, fetchedAt: at, freshUntil: freshUntil(refreshed) },
        },
      };
    }
    const entry: StoredResponse = { status: res.status, headers: res.headers, body: res.body, responseTime: at };
    const storable = !res.overflow && isStorable(res.status, res.headers);
    if (storable) cache.set(url, entry);
    else if (res.status === 200) cache.delete(url);
    return {
      ok: true,
      got: {
        response: res,
        cache: { fromCache: false, revalidated: false, fetchedAt: at, freshUntil: storable ? freshUntil(entry) : null },
      },
    };
  }

  function statusFailure(url: string, r: Got["response"]): FetchFailure {
    const { text, truncated } = lossyText(r.body);
    return {
      kind: "status",
      url,
      status: r.status,
      statusText: canonicalReason(r.status),
      body: text,
      ...(truncated || r.overflow ? { truncated: true } : {}),
    };
  }

  function contentTypeFailure(url: string, r: Got["response"]): FetchFailure {
    const { text, truncated } = lossyText(r.body);
    return {
      kind: "content-type",
      url,
      contentType: r.headers["content-type"] ?? null,
      body: text,
      ...(truncated || r.overflow ? { truncated: true } : {}),
    };
  }

  function tooLarge(url: string): FetchFailure {
    return { kind: "body", url, error: `the response is larger than ${maxBytes} bytes; stopped reading it` };
  }

  /** The discovery document's fields the backend uses, from a parsed JSON body. */
  function readDiscovery(url: string, body: Uint8Array): Fetched<DiscoveryDoc> {
    const json = parseJson(body);
    if (!json.ok) return { ok: false, failure: { kind: "body", url, error: json.error } };
    const doc = json.value;
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      return { ok: false, failure: { kind: "body", url, error: "the discovery document is not a JSON object" } };
    }
    const { issuer, jwks_uri } = doc as Record<string, unknown>;
    if (!isAbsoluteUrl(issuer)) {
      return { ok: false, failure: { kind: "body", url, error: "'issuer' is missing or not a URL" } };
    }
    if (!isAbsoluteUrl(jwks_uri)) {
      return { ok: false, failure: { kind: "body", url, error: "'jwks_uri' is missing or not a URL" } };
    }
    return { ok: true, value: { issuer, jwks_uri }, url };
  }

  /** The discovery document at `url` (a `data:` URL holds one the user supplied), with the backend's rules. */
  async function discoveryAt(url: string): Promise<Fetched<DiscoveryDoc>> {
    if (/^data:/i.test(url)) {
      const decoded = decodeDataUrl(url);
      if (!decoded.ok) return { ok: false, failure: { kind: "data-url", url, error: decoded.error } };
      return readDiscovery(url, decoded.body);
    }
    const r = await cachedGet(url, "discovery");
    if (!r.ok) return r;
    const res = r.got.response;
    if (res.status !== 200) return { ok: false, failure: statusFailure(url, res) };
    const ct = res.headers["content-type"] ?? null;
    if (!discoveryContentTypeOk(ct)) return { ok: false, failure: contentTypeFailure(url, res) };
    if (res.overflow) return { ok: false, failure: tooLarge(url) };
    const doc = readDiscovery(url, res.body);
    if (!doc.ok) return doc;
    opts.policy.noteJwksUri?.(doc.value.jwks_uri, url);
    return { ...doc, cache: r.got.cache };
  }

  async function discover(iss: string): Promise<Fetched<DiscoveryDoc>> {
    if (!isAbsoluteUrl(iss)) {
      // IssuerUrl::new fails before any request (reference §3.1 step 1); nothing to fetch.
      return { ok: false, failure: { kind: "network", url: iss, error: `'${iss}' is not an absolute URL` } };
    }
    return discoveryAt(discoveryUrl(iss));
  }

  async function jwks(url: string | null, mode: "oidc" | "customJwt"): Promise<Fetched<JwkSet>> {
    if (url === null) {
      return { ok: false, failure: { kind: "skipped", url: "", reason: "the JWKS URL (the discovery document's jwks_uri) is not known, because discovery was not checked" } };
    }
    const parse = mode === "customJwt" ? parseStrictJwks : parseLenientJwks;
    if (/^data:/i.test(url)) {
      // Only customJwt configs may name data: URLs; an OIDC jwks_uri of this form is not fetchable by reqwest.
      if (mode === "oidc") {
        return { ok: false, failure: { kind: "network", url, error: "a data: URL is not fetchable as an OIDC jwks_uri" } };
      }
      return dataJwks(url, parse);
    }
    if (!isAbsoluteUrl(url)) {
      return { ok: false, failure: { kind: "network", url, error: `'${url}' is not an absolute URL` } };
    }
    const r = await cachedGet(url, "jwks");
    if (!r.ok) return r;
    const res = r.got.response;
    if (res.status !== 200) return { ok: false, failure: statusFailure(url, res) };
    const ct = res.headers["content-type"] ?? null;
    const ctOk = mode === "customJwt" ? customJwtContentTypeOk(ct) : oidcJwksContentTypeOk(ct);
    if (!ctOk) return { ok: false, failure: contentTypeFailure(url, res) };
    if (res.overflow) return { ok: false, failure: tooLarge(url) };
    const json = parseJson(res.body);
    if (!json.ok) return { ok: false, failure: { kind: "body", url, error: json.error } };
    const set = parse(json.value);
    if (!set.ok) return { ok: false, failure: { kind: "body", url, error: set.error } };
    return { ok: true, value: set.set, url, cache: r.got.cache };
  }

  function dataJwks(url: string, parse: typeof parseStrictJwks): Fetched<JwkSet> {
    const decoded = decodeDataUrl(url);
    if (!decoded.ok) return { ok: false, failure: { kind: "data-url", url, error: decoded.error } };
    const json = parseJson(decoded.body);
    if (!json.ok) return { ok: false, failure: { kind: "body", url, error: json.error } };
    const set = parse(json.value);
    return set.ok ? { ok: true, value: set.set, url } : { ok: false, failure: { kind: "body", url, error: set.error } };
  }

  /** A JWKS the user supplied (a URL, or a `data:` URL holding a file) for either path, parsed by that path's rules. */
  async function suppliedJwks(url: string, mode: "oidc" | "customJwt"): Promise<Fetched<JwkSet>> {
    if (/^data:/i.test(url)) return dataJwks(url, mode === "customJwt" ? parseStrictJwks : parseLenientJwks);
    return jwks(url, mode);
  }

  return { discover, discoveryAt, jwks, suppliedJwks };
}
