/**
 * Fetch policies: which URLs the inspector may fetch. A page chooses a token's `iss` (and so the discovery URL);
 * we never fetch such a URL unless a policy agrees (DESIGN.md "Data flow").
 *
 * - `loopbackPolicy()`      local issuers only (127.0.0.1, localhost, [::1], any port, http or https).
 * - `providerPolicy(...)`   the configured providers' URLs: the discovery URL of a token `iss` that matches a
 *                           configured OIDC domain, the `jwks_uri` that such a discovery document named, and
 *                           customJwt `jwks` URLs as configured.
 * - `allowAll()`            the CLI: it fetches any URL the user's own config names or the token it was given
 *                           points at, like the backend would (the user ran it on their own input).
 * - `userConsent(base, approved)`  the panel's "fetch on click": `base`, plus URLs the user approved.
 */

import type { Provider } from "../config/types";
import type { FetchPolicy } from "./types";
import { DISCOVERY_SUFFIX, normalizeIssuer } from "./discovery-url";

type Decision = { ok: true } | { ok: false; reason: string };
const OK: Decision = { ok: true };

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function parseHttpUrl(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/** http(s) URL on 127.0.0.1, localhost or [::1]. */
export function isLoopbackUrl(url: string): boolean {
  const u = parseHttpUrl(url);
  return u !== null && LOOPBACK_HOSTS.has(u.hostname.toLowerCase());
}

export function loopbackPolicy(): FetchPolicy {
  return {
    allows(url) {
      return isLoopbackUrl(url) ? OK : { ok: false, reason: `${url} is not a loopback URL (127.0.0.1, localhost, [::1])` };
    },
  };
}

export function allowAll(): FetchPolicy {
  return {
    allows(url) {
      return parseHttpUrl(url) ? OK : { ok: false, reason: `${url} is not an http(s) URL` };
    },
  };
}

/** The issuer a discovery URL was built from (its normalized form), or null if it is not a discovery URL. */
export function issuerOfDiscoveryUrl(url: string): string | null {
  if (!url.endsWith("/" + DISCOVERY_SUFFIX)) return null;
  return normalizeIssuer(url.slice(0, -DISCOVERY_SUFFIX.length));
}

/** Same URL after WHATWG parsing (so `HTTPS://Host/x` and `https://host/x` agree); null if not http(s). */
function canonicalUrl(url: string): string | null {
  return parseHttpUrl(url)?.href ?? null;
}

export interface ProviderPolicyOptions {
  /** Also allow any loopback URL (local issuers during development). */
  allowLoopback?: boolean;
}

export function providerPolicy(providers: readonly Provider[], options: ProviderPolicyOptions = {}): FetchPolicy {
  const oidcIssuers = new Set<string>();
  const configuredJwks = new Set<string>();
  for (const p of providers) {
    if (p.type === "oidc") oidcIssuers.add(normalizeIssuer(p.domain));
    else if (p.jwks !== null) {
      const c = canonicalUrl(p.jwks);
      if (c !== null) configuredJwks.add(c);
    }
  }
  // jwks_uri values named by discovery documents of configured OIDC issuers (told by the key source).
  const discoveredJwks = new Set<string>();

  return {
    allows(url, purpose) {
      if (options.allowLoopback && isLoopbackUrl(url)) return OK;
      if (purpose === "discovery") {
        const iss = issuerOfDiscoveryUrl(url);
        if (iss !== null && oidcIssuers.has(iss)) return OK;
        return { ok: false, reason: `${url} is not the discovery URL of a configured OIDC provider` };
      }
      const c = canonicalUrl(url);
      if (c !== null && (configuredJwks.has(c) || discoveredJwks.has(c))) return OK;
      return {
        ok: false,
        reason: `${url} is neither a configured customJwt jwks URL nor a jwks_uri named by a configured provider's discovery document`,
      };
    },
    noteJwksUri(jwksUri, discoveryUrlFetched) {
      const iss = issuerOfDiscoveryUrl(discoveryUrlFetched);
      const c = canonicalUrl(jwksUri);
      // Only a configured provider's discovery document may widen the policy.
      if (iss !== null && oidcIssuers.has(iss) && c !== null) discoveredJwks.add(c);
    },
  };
}

/** Something holding the user's approved URLs; a live `Set` works, so the panel can add on click. */
export interface ApprovedUrls {
  has(url: string): boolean;
}

/**
 * `base`, plus the URLs the user approved. Approving a discovery URL also approves the `jwks_uri` its document
 * names (one click fetches an issuer's keys).
 */
export function userConsent(base: FetchPolicy, approvedUrls: ApprovedUrls): FetchPolicy {
  const impliedJwks = new Set<string>();
  return {
    allows(url, purpose) {
      const b = base.allows(url, purpose);
      if (b.ok || approvedUrls.has(url)) return OK;
      if (purpose === "jwks" && impliedJwks.has(canonicalUrl(url) ?? url)) return OK;
      return { ok: false, reason: `${b.reason}; click "Fetch" to allow ${url}` };
    },
    noteJwksUri(jwksUri, discoveryUrlFetched) {
      base.noteJwksUri?.(jwksUri, discoveryUrlFetched);
      if (approvedUrls.has(discoveryUrlFetched)) impliedJwks.add(canonicalUrl(jwksUri) ?? jwksUri);
    },
  };
}
