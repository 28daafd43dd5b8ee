/**
 * Key material as the backend fetches it (reference §3.1–§3.3). The fetch is injected; core does no I/O itself.
 */

/**
 * Why a fetch step failed, with what the backend's message needs. Three kinds say nothing about the backend
 * (`isLocalFailure`): `policy` and `skipped` (we did not fetch) and `unreachable` (this machine got no answer:
 * its DNS, network, proxy or clock is not the backend's). The others are an answer the backend would get too.
 */
export type FetchFailure =
  /** We chose not to fetch (not the backend's failure); `consent` when a click on Fetch keys would allow it. */
  | { kind: "policy"; url: string; reason: string; consent?: Consent }
  | { kind: "skipped"; url: string; reason: string } //           the user asked not to fetch (--offline, --discovery skip)
  | {
      kind: "unreachable";
      url: string;
      /** What went wrong, in a few words ("DNS lookup failed", "connection refused", "TLS certificate rejected", …). */
      reason: string;
      /** The error text as this machine's fetch reported it. */
      error: string;
    }
  | { kind: "network"; url: string; error: string } //             not fetchable by anyone (not a URL, data: as jwks_uri, redirect loop)
  | {
      kind: "status";
      url: string;
      status: number;
      /** The canonical reason phrase (Rust `http` crate table, as the backend prints it), not the server's. */
      statusText: string;
      body: string;
      /** Optional: the body was longer than we keep, so `body` is its beginning only. */
      truncated?: boolean;
    }
  | { kind: "content-type"; url: string; contentType: string | null; body: string; truncated?: boolean }
  | { kind: "body"; url: string; error: string } //                 not JSON / not the expected shape
  | { kind: "data-url"; url: string; error: string }; //            customJwt `data:` JWKS undecodable

export type Fetched<T> =
  | {
      ok: true;
      value: T;
      url: string;
      /** Optional: how the HTTP cache served it (absent for `data:` URLs). Lets the verdict say "cached JWKS". */
      cache?: CacheInfo;
    }
  | { ok: false; failure: FetchFailure };

/** How a response was obtained, in `now()` milliseconds. */
export interface CacheInfo {
  /** Served from the cache without any request (fresh entry). */
  fromCache: boolean;
  /** A stale entry was confirmed by a 304 answer to a conditional request. */
  revalidated: boolean;
  /** When the stored response was received (or last revalidated). */
  fetchedAt: number;
  /** Until when it is fresh; null when the response was not stored (no-store, private, not 200). */
  freshUntil: number | null;
}

/** The discovery document fields the backend uses. */
export interface DiscoveryDoc {
  /** Raw `issuer` value (compared byte for byte with the token's iss). */
  issuer: unknown;
  jwks_uri: string;
}

/** A JWK as received (untrusted). */
export type Jwk = Record<string, unknown>;

export interface JwkSet {
  keys: Jwk[];
  /** OIDC path only: keys skipped because the library could not parse them (reference §3.1 step 2). */
  skipped: number;
}

/** What a click on Fetch keys would approve: one origin (the exact URL is shown next to it). */
export interface Consent {
  origin: string;
}

/** A fetch policy's answer, always with its reason (core/keys/policy.ts decides; the shells show it). */
export type FetchDecision = { ok: true; why?: string } | { ok: false; reason: string; consent?: Consent };

/** Decides which URLs may be fetched (the trust levels are in core/keys/policy.ts). */
export interface FetchPolicy {
  allows(url: string, purpose: "discovery" | "jwks"): FetchDecision;
  /**
   * Optional: told by the key source when a discovery document fetched under this policy names a
   * `jwks_uri`, so a provider policy can allow exactly that JWKS URL next.
   */
  noteJwksUri?(jwksUri: string, discoveryUrl: string): void;
}

/** What the verdict needs from the outside world. */
export interface KeySource {
  /** GET `{iss}/.well-known/openid-configuration` with the backend's rules. */
  discover(iss: string): Promise<Fetched<DiscoveryDoc>>;
  /**
   * GET (or decode a `data:` URL) a JWKS. `customJwt` mode = strict parse rules (one bad key fails the set).
   * `url` is null on the OIDC path when discovery was not checked, so its `jwks_uri` is not known: a source
   * holding keys the user supplied returns them; any other answers `skipped`.
   */
  jwks(url: string | null, mode: "oidc" | "customJwt"): Promise<Fetched<JwkSet>>;
}

/** True when the failure is only this machine's (not fetched, or no answer here): the backend's step is unknown. */
export function isLocalFailure(f: FetchFailure): f is Extract<FetchFailure, { kind: "policy" | "skipped" | "unreachable" }> {
  return f.kind === "policy" || f.kind === "skipped" || f.kind === "unreachable";
}
