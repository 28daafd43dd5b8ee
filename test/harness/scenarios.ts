// Demo scenarios: which token the local "IdP" hands out for each, and the deployment's provider list.
import { randomBytes } from "node:crypto";
import { CLERK_HOST, OTHER_CLERK_HOST } from "./host-names.ts";
import type { Issuers } from "./issuers.ts";
import type { HarnessProvider } from "./validate.ts";
import { isSetupScenario, mintSetupToken, SETUP_NOTES, SETUP_SCENARIOS } from "./setups.ts";

export const SCENARIOS = [
  "good",
  "good-workos",
  "clerk-no-template",
  "workos-no-aud",
  "wrong-issuer",
  "expired-same-token",
  "identity-expired",
  "queries-before-auth",
  "admin-key",
  "http-401",
  "fetch-token-hangs",
  "stale-token-on-reconnect",
  "sign-out-after-sign-in",
  "late-client",
  ...SETUP_SCENARIOS,
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_NOTES: Record<Scenario, string> = {
  good: "Clerk-like OIDC token with aud \"convex\": accepted; whoami shows the identity",
  "good-workos": "WorkOS-like customJwt token with aud = client id: accepted by the shared-issuer provider",
  "clerk-no-template": "Clerk session token (azp, sid, no aud \"convex\"): NoAuthProvider",
  "workos-no-aud": "WorkOS token, shared issuer without trailing slash, no aud: NoAuthProvider listing the WorkOS pair",
  "wrong-issuer": "Token whose iss is not the configured issuer (localhost instead of 127.0.0.1, or another Clerk instance): NoAuthProvider",
  "expired-same-token": "Expired token; the forced refresh returns the identical token, so the client drops auth",
  "identity-expired": "Accepted token that expires 4 s later while subscribed: \"Convex token identity expired\"",
  "queries-before-auth": "A query is subscribed and answered before setAuth is called",
  "admin-key": "The page uses the deployment admin key (Authenticate Admin, Authorization: Convex …)",
  "http-401": "ConvexHttpClient with a rejected token: HTTP 401 {code, message}",
  "fetch-token-hangs": "setAuth's fetchToken never resolves: the client keeps its socket paused and sends nothing, not even Connect",
  "stale-token-on-reconnect": "The IdP caches a 3 s token; the network drops for 6 s and the client re-sends it after exp: rejected, then a fresh token",
  "sign-out-after-sign-in": "Signs in with initialAuthTokenReuse (no refetch), then signs out 3 s later: Authenticate None, no error",
  "late-client": "The Convex client is created 6 s after the page loaded: its clientTs runs 6 s ahead of the page clock, which is not clock skew",
  ...SETUP_NOTES,
};

/** The `stale-token-on-reconnect` scenario's first token lives this long (seconds); the outage outlasts it. */
export const STALE_TOKEN_LIFETIME_S = 3;

export function isScenario(s: string | null): s is Scenario {
  return s !== null && (SCENARIOS as readonly string[]).includes(s);
}

/**
 * The demo deployment's `_auth` rows in stored order (reference §2.2): OIDC first, then customJwt with
 * the applicationID-less entry before the one with an applicationID.
 */
export function demoProviders(issuers: Issuers): HarnessProvider[] {
  return [
    { domain: issuers.oidc.issuer, applicationID: "convex" },
    { type: "customJwt", issuer: issuers.workos.userManagementIssuer, jwks: issuers.workos.jwksUrl, algorithm: "RS256" },
    { type: "customJwt", issuer: issuers.workos.issuer, jwks: issuers.workos.jwksUrl, algorithm: "RS256", applicationID: issuers.workos.clientId },
  ];
}

const MAX_REMEMBERED = 500;

/** Lifetime of the scenarios' normal tokens, in seconds, unless the harness is told otherwise. */
export const DEFAULT_TOKEN_LIFETIME_S = 300;

/** A token minter per scenario; `session` keys the scenarios whose IdP keeps returning one cached token. */
export function createScenarioMinter(issuers: Issuers, base: string, now: () => number = Date.now, lifetimeS = DEFAULT_TOKEN_LIFETIME_S) {
  const remembered = new Map<string, string>();
  const shortLived = new Map<string, { token: string; exp: number }>();
  const clerkClaims = (t: number) => ({
    iss: issuers.oidc.issuer,
    sub: "user_2harnessGood",
    azp: base,
    sid: `sess_${randomBytes(6).toString("hex")}`,
    iat: t,
    nbf: t - 5,
    exp: t + lifetimeS,
    jti: randomBytes(8).toString("hex"),
  });
  const profile = { name: "Ada Harness", email: "ada@example.test", email_verified: true };

  async function mint(scenario: Scenario, t: number): Promise<string | null> {
    if (isSetupScenario(scenario)) return mintSetupToken(scenario, issuers, t);
    switch (scenario) {
      case "good":
      case "queries-before-auth":
      case "fetch-token-hangs":
      case "sign-out-after-sign-in":
      case "late-client":
      case "stale-token-on-reconnect":
        return issuers.oidc.sign({ ...clerkClaims(t), ...profile, aud: "convex" });
      case "clerk-no-template":
      case "http-401":
        // A Clerk session token: no `aud`, so the `applicationID: "convex"` provider does not match.
        return issuers.oidc.sign({ ...clerkClaims(t), v: 2 });
      case "good-workos":
        return issuers.workos.sign(workosClaims(t, lifetimeS, issuers.workos.issuer, issuers.workos.clientId));
      case "workos-no-aud":
        return issuers.workos.sign(workosClaims(t, lifetimeS, issuers.workos.issuer.replace(/\/$/, ""), undefined));
      case "wrong-issuer":
        return issuers.oidc.sign({ ...clerkClaims(t), ...profile, aud: "convex", iss: wrongIssuer(issuers.oidc.issuer) });
      case "expired-same-token":
        // Issued an hour ago for 5 minutes: expired whatever the normal lifetime is.
        return issuers.oidc.sign({ ...clerkClaims(t - 3600), ...profile, aud: "convex", exp: t - 3600 + DEFAULT_TOKEN_LIFETIME_S });
      case "identity-expired":
        return issuers.oidc.sign({ ...clerkClaims(t), ...profile, aud: "convex", exp: t + 4 });
      case "admin-key":
        return null;
    }
  }

  /**
   * Like an IdP SDK's cache: the session's first token is short-lived and handed out again, even when a
   * refresh is forced, until it expires; then a fresh normal token on every call.
   */
  async function cachedShortLived(session: string, t: number): Promise<string | null> {
    const first = shortLived.get(session);
    if (first === undefined) {
      const exp = t + STALE_TOKEN_LIFETIME_S;
      const token = await issuers.oidc.sign({ ...clerkClaims(t), ...profile, aud: "convex", exp });
      if (shortLived.size >= MAX_REMEMBERED) shortLived.clear();
      shortLived.set(session, { token, exp });
      return token;
    }
    return now() / 1000 < first.exp ? first.token : mint("stale-token-on-reconnect", t);
  }

  return async function tokenFor(scenario: Scenario, session: string): Promise<string | null> {
    const t = Math.floor(now() / 1000);
    if (scenario === "stale-token-on-reconnect") return cachedShortLived(session, t);
    if (scenario !== "expired-same-token" && scenario !== "identity-expired") return mint(scenario, t);
    const key = `${scenario}:${session}`;
    const cached = remembered.get(key);
    if (cached) return cached;
    const token = await mint(scenario, t);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    if (token) remembered.set(key, token);
    return token;
  };
}

function workosClaims(t: number, lifetimeS: number, iss: string, aud: string | undefined) {
  return {
    iss,
    sub: "user_01HARNESSWORKOS",
    sid: `session_01${randomBytes(6).toString("hex").toUpperCase()}`,
    org_id: "org_01HARNESS",
    role: "member",
    permissions: ["posts:read"],
    jti: randomBytes(8).toString("hex"),
    iat: t,
    exp: t + lifetimeS,
    ...(aud ? { aud } : {}),
  };
}

/**
 * An issuer that matches no provider, as real mistakes make it: `localhost` for `127.0.0.1` in the loopback
 * layout; another Clerk instance's Frontend API (e.g. production keys against a dev deployment) with host names.
 */
function wrongIssuer(issuer: string): string {
  return issuer.includes(CLERK_HOST) ? issuer.replace(CLERK_HOST, OTHER_CLERK_HOST) : issuer.replace("127.0.0.1", "localhost");
}
