/**
 * One bounded GET through the injected fetch: the policy is asked for the URL and for every redirect hop,
 * the whole exchange has a deadline, and at most MAX_BODY_BYTES of body are read.
 */

import type { FetchFailure, FetchPolicy } from "./types";
import { policyFailure } from "./policy";
import { FETCH_TIMEOUT_MS, MAX_BODY_BYTES, MAX_REDIRECTS } from "./limits";

export interface RawResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** Names lowercased. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** The body was longer than MAX_BODY_BYTES; `body` holds its beginning. */
  overflow: boolean;
}

export interface GetOptions {
  fetch: typeof fetch;
  policy: FetchPolicy;
  purpose: "discovery" | "jwks";
  /** Extra request headers (conditional revalidation). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Why a redirect whose target the browser hides is not followed (the request itself was allowed and sent). */
export const HIDDEN_REDIRECT =
  "it answered with a redirect whose target this browser hides from the extension, so the redirect is not followed (it could lead anywhere, a private network included)";

export type GetResult = { ok: true; response: RawResponse } | { ok: false; failure: FetchFailure };

/** The text of a thrown fetch error, with its cause (undici hides ECONNREFUSED & co. there). */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "";
    return causeText && !err.message.includes(causeText) ? `${err.message}: ${causeText}` : err.message;
  }
  return String(err);
}

function headerRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

async function readBounded(res: Response, maxBytes: number): Promise<{ body: Uint8Array; overflow: boolean }> {
  const declared = Number(res.headers.get("content-length"));
  const reader = res.body?.getReader();
  if (!reader) {
    if (Number.isFinite(declared) && declared > maxBytes) return { body: new Uint8Array(0), overflow: true };
    const all = new Uint8Array(await res.arrayBuffer());
    return all.length > maxBytes ? { body: all.slice(0, maxBytes), overflow: true } : { body: all, overflow: false };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - total));
      total = maxBytes;
      overflow = true;
      // Stop the download: a hostile endpoint must not make us read (or buffer) more.
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { body, overflow };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** GET `url` with `Accept: application/json`, following redirects the policy allows. Never throws. */
export async function boundedGet(url: string, opts: GetOptions): Promise<GetResult> {
  const timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  // Called unbound: `window.fetch` throws "Illegal invocation" when called as a method of another object.
  const doFetch = opts.fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let current = url;
  const get = (target: string, redirect: RequestRedirect) =>
    doFetch(target, { method: "GET", headers: { Accept: "application/json", ...opts.headers }, redirect, signal: controller.signal });
  try {
    for (let hop = 0; ; hop++) {
      const allowed = opts.policy.allows(current, opts.purpose);
      if (!allowed.ok) return { ok: false, failure: policyFailure(current, allowed) };
      let res: Response;
      try {
        res = await get(current, "manual");
      } catch (err) {
        return { ok: false, failure: unreachable(url, err, controller, timeoutMs) };
      }
      if (res.type === "opaqueredirect") {
        // Browsers hide a manual redirect's target. Following it natively would send a request to a URL no policy
        // saw (a private network included), so a browser shell does not follow it.
        return { ok: false, failure: policyFailure(current, { reason: HIDDEN_REDIRECT }) };
      }
      if (isRedirect(res.status) && res.headers.get("location") !== null) {
        await res.body?.cancel().catch(() => undefined);
        if (hop >= MAX_REDIRECTS) {
          return { ok: false, failure: { kind: "network", url, error: `too many redirects (more than ${MAX_REDIRECTS})` } };
        }
        let next: string;
        try {
          next = new URL(res.headers.get("location") ?? "", current).href;
        } catch {
          return { ok: false, failure: { kind: "network", url, error: `invalid redirect location from ${current}` } };
        }
        current = next;
        continue;
      }
      try {
        const { body, overflow } = await readBounded(res, maxBytes);
        return { ok: true, response: { url: current, status: res.status, headers: headerRecord(res.headers), body, overflow } };
      } catch (err) {
        return { ok: false, failure: unreachable(url, err, controller, timeoutMs) };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** A fetch that threw: no answer reached this machine, so nothing is known about what the backend would get. */
function unreachable(url: string, err: unknown, controller: AbortController, timeoutMs: number): FetchFailure {
  if (controller.signal.aborted) {
    return { kind: "unreachable", url, reason: `no complete answer within ${timeoutMs} ms (timed out)`, error: errorText(err) };
  }
  return { kind: "unreachable", url, reason: unreachableReason(err), error: errorText(err) };
}

/** Error codes anywhere in the thrown error's cause chain (undici wraps them; AggregateError holds several). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (typeof err !== "object" || err === null || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === "string" ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...errorCodes(e.cause, depth + 1), ...nested];
}

/**
 * The code a shell's fetch puts on its error when the server DID answer but the answer may not be read here (the
 * panel: no CORS headers and no host access). Still no answer for us, so still a local failure.
 */
export const UNREADABLE_CODE = "CAI_ANSWERED_UNREADABLE";

const TLS_CODE = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_TLS_|ERR_SSL_|EPROTO$)/;

/** Why this machine got no answer, in a few words, from the error codes Node / the browser give. */
export function unreachableReason(err: unknown): string {
  const codes = errorCodes(err);
  const has = (...c: string[]) => codes.some((x) => c.includes(x));
  if (has(UNREADABLE_CODE)) return "answered but unreadable: the server answered, but this browser lets the extension read it only with CORS headers or host access for its origin";
  if (has("ENOTFOUND", "EAI_NONAME", "EAI_NODATA")) return "DNS lookup failed here (the host name does not resolve from this machine)";
  if (has("EAI_AGAIN")) return "DNS lookup failed here (no DNS answer: offline, or no resolver)";
  if (has("ECONNREFUSED")) return "the connection was refused (nothing listens there, seen from this machine)";
  if (has("ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN")) return "no route to the host from this machine (offline?)";
  if (has("ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT")) return "the connection timed out";
  if (has("ECONNRESET", "UND_ERR_SOCKET", "EPIPE")) return "the connection was closed before a complete answer";
  const tls = codes.find((c) => TLS_CODE.test(c));
  if (tls) return `the TLS certificate was not accepted here (${tls}): a proxy that intercepts TLS, or a self-signed or expired certificate`;
  if (err instanceof TypeError) return "the request failed before any answer (network error, or blocked by the browser)";
  return "the request failed before any answer";
}
