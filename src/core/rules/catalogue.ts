/**
 * The one registry of findings: severity, title, default fix and docs URL per stable ID (RULES.md).
 * Every module that reports a finding builds it through `finding()` so severities and fixes never drift.
 */
import type { Evidence, Finding, FindingId, Severity } from "./types";

export interface CatalogueEntry {
  severity: Severity;
  /** A few words, for lists and headings. */
  title: string;
  /** Default fix: what to change, naming the file, dashboard setting or provider setting. */
  fix: string;
  /** A docs.convex.dev URL where one fits. */
  docs?: string;
}

const D = {
  debug: "https://docs.convex.dev/auth/debug",
  customJwt: "https://docs.convex.dev/auth/advanced/custom-jwt",
  customAuth: "https://docs.convex.dev/auth/advanced/custom-auth",
  clerk: "https://docs.convex.dev/auth/clerk",
  authkit: "https://docs.convex.dev/auth/authkit/troubleshooting",
  convexAuth: "https://docs.convex.dev/auth/convex-auth",
  auth0: "https://docs.convex.dev/auth/auth0",
  functionsAuth: "https://docs.convex.dev/auth/functions-auth",
  auth: "https://docs.convex.dev/auth",
  envVars: "https://docs.convex.dev/production/environment-variables",
} as const;

export const CATALOGUE: Record<FindingId, CatalogueEntry> = {
  // ── token and provider (RULES.md §2) ─────────────────────────────────────────────────────────────
  "not-a-jwt": {
    severity: "error",
    title: "Not a JWT",
    fix: "Send a signed JWT (three base64url parts: header.payload.signature) whose payload is a JSON object with correctly typed registered claims; check what your auth provider's fetchToken returns.",
    docs: D.debug,
  },
  "jwe-token": {
    severity: "error",
    title: "Encrypted token (JWE)",
    fix: "Configure your identity provider to issue a signed (JWS) ID token instead of an encrypted one; Convex cannot decrypt JWE.",
    docs: D.customAuth,
  },
  "iss-missing": {
    severity: "error",
    title: "No iss claim",
    fix: "Make the token issuer include an `iss` claim equal to the `domain` (OIDC) or `issuer` (customJwt) in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "no-providers": {
    severity: "error",
    title: "No auth providers configured",
    fix: "Add your provider to the `providers` list in convex/auth.config.ts and run `npx convex dev` (or deploy) so the backend stores it.",
    docs: D.customAuth,
  },
  "iss-mismatch": {
    severity: "error",
    title: "Issuer matches no provider",
    fix: "Make `domain` (OIDC) or `issuer` (customJwt) in convex/auth.config.ts equal the token's `iss` exactly (case, scheme, port and path count; only trailing slashes are ignored), then push the config; check the env var it reads on the deployment (Dashboard → Settings → Environment Variables).",
    docs: D.debug,
  },
  "aud-missing": {
    severity: "error",
    title: "No aud claim",
    fix: "Configure the provider's token (JWT template / API settings) to include an `aud` claim equal to the `applicationID` in convex/auth.config.ts.",
    docs: D.debug,
  },
  "aud-mismatch": {
    severity: "error",
    title: "aud does not contain the application ID",
    fix: "Make the token's `aud` equal the `applicationID` in convex/auth.config.ts (or change `applicationID` to the `aud` your provider issues), then push the config.",
    docs: D.debug,
  },
  "oidc-extra-audience": {
    severity: "error",
    title: "OIDC token has extra audiences",
    fix: "For an OIDC provider `aud` must hold only the applicationID; issue a single-audience ID token, or configure this issuer as `type: \"customJwt\"` in convex/auth.config.ts (customJwt accepts any matching element).",
    docs: D.customJwt,
  },
  "alg-unsupported": {
    severity: "error",
    title: "Signing algorithm not accepted",
    fix: "OIDC providers accept only RS256 and EdDSA (Ed25519): switch the provider's signing key to RSA, or use `type: \"customJwt\"` with `algorithm: \"ES256\"`. For customJwt, set `algorithm` in convex/auth.config.ts to the token's `alg` (RS256 or ES256) and make the JWK's `alg` agree.",
    docs: D.customJwt,
  },
  "hs-symmetric": {
    severity: "error",
    title: "Shared-secret (HS*) token",
    fix: "Convex never accepts HMAC-signed tokens: sign with an RSA (RS256) or EC P-256 (ES256) private key and publish the public key as a JWKS.",
    docs: D.customJwt,
  },
  "kid-missing": {
    severity: "error",
    title: "No kid header",
    fix: "Add a `kid` header to the token that names a key in the JWKS (customJwt requires it; OIDC needs it when the JWKS has more than one compatible key).",
    docs: D.customJwt,
  },
  "kid-not-in-jwks": {
    severity: "error",
    title: "kid not in the JWKS",
    fix: "Sign with a key that is published in the provider's JWKS (check the `jwks` URL in convex/auth.config.ts, or the discovery `jwks_uri`); after a key rotation the backend keeps the cached JWKS until its HTTP cache headers expire.",
    docs: D.customJwt,
  },
  "signature-invalid": {
    severity: "error",
    title: "Signature does not verify",
    fix: "The token was not signed by the private key matching the JWKS entry with its `kid`: check which key the issuer signs with and which JWKS convex/auth.config.ts points at.",
    docs: D.customJwt,
  },
  "typ-at-jwt": {
    severity: "error",
    title: "Access token sent to an OIDC provider",
    fix: "Send the provider's ID token instead of the access token, or configure this issuer as `type: \"customJwt\"` in convex/auth.config.ts (customJwt does not check `typ`).",
    docs: D.customJwt,
  },
  "oidc-claim-type": {
    severity: "error",
    title: "Standard claim has the wrong JSON type",
    fix: "Fix the claim's type in the provider's token template (e.g. `email_verified` must be a JSON boolean, not the string \"true\"), or use `type: \"customJwt\"`, which does not parse standard claims.",
    docs: D.customAuth,
  },
  "token-expired": {
    severity: "error",
    title: "Token expired",
    fix: "Fetch a fresh token before sending it (the client's fetchToken must honour `forceRefreshToken`); check the clock of the machine that issues tokens.",
    docs: D.debug,
  },
  "token-not-yet-valid": {
    severity: "error",
    title: "Token not yet valid",
    fix: "The issuer's clock is ahead of the backend's: fix the issuing server's clock (NTP), or stop setting `nbf`/`iat` in the future.",
    docs: D.customJwt,
  },
  "sub-missing": {
    severity: "error",
    title: "No sub claim",
    fix: "Make the issuer include a string `sub` claim (the user's stable ID).",
    docs: D.customJwt,
  },
  "exp-missing": {
    severity: "error",
    title: "No exp claim",
    fix: "Make the issuer include a numeric `exp` claim (expiry, unix seconds).",
    docs: D.customJwt,
  },
  "iat-missing": {
    severity: "error",
    title: "No iat claim",
    fix: "Make the issuer include a numeric `iat` claim: the OIDC path requires it, and the Convex client needs `iat` and `exp` to schedule token refreshes.",
    docs: D.customJwt,
  },
  "lifetime-too-short": {
    severity: "warning",
    title: "Token lifetime too short",
    fix: "Issue tokens that live well beyond the client's refresh leeway (10 s by default; `authRefreshTokenLeewaySeconds` on the Convex client), e.g. several minutes.",
    docs: D.debug,
  },
  "discovery-failed": {
    severity: "error",
    title: "OIDC discovery failed",
    fix: "Serve `{iss}/.well-known/openid-configuration` with status 200 and `Content-Type: application/json`, reachable from the Convex backend (self-hosted: check CONVEX_SITE_URL / the reverse proxy).",
    docs: D.customAuth,
  },
  "discovery-issuer-mismatch": {
    severity: "error",
    title: "Discovery issuer differs from iss",
    fix: "Make the token's `iss` byte-for-byte equal to the discovery document's `issuer` (including any trailing slash); the backend does not normalize here.",
    docs: D.customAuth,
  },
  "jwks-unreachable": {
    severity: "error",
    title: "JWKS could not be loaded",
    fix: "Serve the JWKS with status 200, `Content-Type: application/json` (or `application/jwk-set+json`) and a body of the form {\"keys\":[…]}, at the URL in convex/auth.config.ts (`jwks`) or the discovery `jwks_uri`, reachable from the backend.",
    docs: D.customJwt,
  },
  "identity-preview": {
    severity: "info",
    title: "Identity",
    fix: "Nothing to fix: this is what ctx.auth.getUserIdentity() will return.",
    docs: D.functionsAuth,
  },
  "check-incomplete": {
    severity: "info",
    title: "Step not checked",
    fix: "Allow the inspector to fetch the discovery document / JWKS (or supply it with --jwks), then check again.",
  },

  // ── config (RULES.md §2, second table) ──────────────────────────────────────────────────────────
  "config-env-unresolved": {
    severity: "warning",
    title: "Environment variable without a value",
    fix: "Supply the value of each `process.env` name used in convex/auth.config.ts (the inspector's env form or --env), matching the deployment's Dashboard → Settings → Environment Variables.",
    docs: D.envVars,
  },
  "config-application-id-casing": {
    severity: "error",
    title: "applicationID misspelled",
    fix: "Spell the key `applicationID` (capital I, capital D) in convex/auth.config.ts.",
    docs: D.customAuth,
  },
  "config-domain-and-issuer": {
    severity: "error",
    title: "domain/issuer on the wrong provider type",
    fix: "OIDC providers use `domain`; `type: \"customJwt\"` providers use `issuer`: fix the entry in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-bad-type": {
    severity: "error",
    title: "Unknown provider type",
    fix: "Set `type` to `\"customJwt\"` or `\"oidc\"` (or omit it for OIDC) in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-bad-algorithm": {
    severity: "error",
    title: "Unsupported customJwt algorithm",
    fix: "Set `algorithm` to exactly `\"RS256\"` or `\"ES256\"` in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-invalid-url": {
    severity: "error",
    title: "Provider URL rejected",
    fix: "Give `domain`/`issuer` as an http(s) URL without quotes (e.g. `https://issuer.example.com`) in convex/auth.config.ts or the env var it reads.",
    docs: D.customAuth,
  },
  "config-shared-issuer-no-aud": {
    severity: "error",
    title: "Shared WorkOS issuer without applicationID",
    fix: "Add `applicationID: process.env.WORKOS_CLIENT_ID` to the `https://api.workos.com/` provider in convex/auth.config.ts; the backend refuses to deploy it otherwise.",
    docs: D.authkit,
  },
  "config-no-application-id": {
    severity: "warning",
    title: "customJwt without applicationID",
    fix: "Add `applicationID` to the customJwt provider in convex/auth.config.ts so only tokens with that `aud` are accepted.",
    docs: D.customJwt,
  },
  "config-unreadable": {
    severity: "error",
    title: "Config could not be read",
    fix: "Check that convex/auth.config.ts has a default export `{ providers: [...] }` with literal values, `process.env.X` or a known helper call.",
    docs: D.customAuth,
  },

  // ── provider hints ──────────────────────────────────────────────────────────────────────────────
  "hint-clerk-template": {
    severity: "info",
    title: "Clerk: use the `convex` JWT template",
    fix: "In the Clerk dashboard create a JWT template named exactly `convex` (or enable the Convex integration) so tokens carry `aud: \"convex\"`; set CLERK_JWT_ISSUER_DOMAIN on the deployment to the Clerk Frontend API URL.",
    docs: D.clerk,
  },
  "hint-workos-aud": {
    severity: "info",
    title: "WorkOS: set aud and use both issuers",
    fix: "In the WorkOS dashboard set the JWT template's `aud` to your client ID, and configure both providers in convex/auth.config.ts: issuer `https://api.workos.com/` with `applicationID` = client ID, and issuer `https://api.workos.com/user_management/<clientId>`.",
    docs: D.authkit,
  },
  "hint-auth0-id-token": {
    severity: "info",
    title: "Auth0: send the ID token",
    fix: "Send Auth0's ID token (not the access token) and set `applicationID` in convex/auth.config.ts to the Auth0 application's Client ID; `domain` is `https://<tenant>.auth0.com/`.",
    docs: D.auth0,
  },
  "hint-better-auth": {
    severity: "info",
    title: "Better Auth",
    fix: "Use the token from the `convex_jwt` (better-auth.convex_jwt) cookie / convexClient plugin, set CONVEX_SITE_URL correctly, and keep the static JWKS env var (`JWKS`) on the deployment in sync with Better Auth's keys.",
    docs: D.customJwt,
  },
  "hint-convex-auth": {
    severity: "info",
    title: "Convex Auth",
    fix: "Check the deployment's env vars JWT_PRIVATE_KEY, JWKS and SITE_URL (`npx @convex-dev/auth` sets them), and that CONVEX_SITE_URL serves /.well-known/openid-configuration and /.well-known/jwks.json with exactly one key.",
    docs: D.convexAuth,
  },

  // ── session (RULES.md §3) ───────────────────────────────────────────────────────────────────────
  "admin-key-exposed": {
    severity: "error",
    title: "Admin key sent from a web page",
    fix: "Never ship a deploy/admin key to the browser: remove it from client code and env vars exposed to the page (NEXT_PUBLIC_*, VITE_*), and rotate it in Dashboard → Settings → Deploy Keys.",
    docs: D.auth,
  },
  "no-token-sent": {
    severity: "warning",
    title: "No token sent",
    fix: "Wrap the app in ConvexProviderWithAuth / ConvexProviderWith<Provider> (or call client.setAuth) and check that fetchToken returns a token, not null.",
    docs: D.debug,
  },
  "auth-cleared": {
    severity: "info",
    title: "Auth cleared",
    fix: "Expected on sign-out; otherwise look for clearAuth() running in a React effect cleanup.",
    docs: D.debug,
  },
  "queries-before-auth": {
    severity: "warning",
    title: "Queries ran before auth",
    fix: "Gate authenticated queries on useConvexAuth().isAuthenticated (or <Authenticated>), or pass \"skip\" until auth is confirmed.",
    docs: D.debug,
  },
  "token-accepted": {
    severity: "info",
    title: "Token accepted",
    fix: "Nothing to fix: the backend accepted the token.",
    docs: D.debug,
  },
  "token-rejected": {
    severity: "error",
    title: "Token rejected",
    fix: "See the classified cause (listed before this finding) and fix the provider in convex/auth.config.ts or the token issuer.",
    docs: D.debug,
  },
  "identity-expired": {
    severity: "warning",
    title: "Identity expired",
    fix: "The token expired during the session: make the client refresh tokens before `exp` (fetchToken must return a new token when forceRefreshToken is true).",
    docs: D.debug,
  },
  "same-token-on-refresh": {
    severity: "error",
    title: "Same token returned on forced refresh",
    fix: "Make fetchToken({ forceRefreshToken: true }) return a newly issued token instead of a cached one.",
    docs: D.debug,
  },
  "refresh-storm": {
    severity: "error",
    title: "Token refresh loop",
    fix: "Stop re-creating the auth provider or fetchToken on every render (memoize fetchToken with useCallback), and fix the rejection that triggers re-authentication.",
    docs: D.debug,
  },
  "client-gave-up": {
    severity: "error",
    title: "Client gave up authenticating",
    fix: "Fix the rejection reported with it (its cause is listed first): the Convex client retries a rejected token only a few times, then runs signed out until setAuth is called again.",
    docs: D.debug,
  },
  "refresh-schedule": {
    severity: "info",
    title: "Refresh schedule",
    fix: "Nothing to fix unless refreshes happen far from `exp - iat - leeway`.",
    docs: D.debug,
  },
  "clock-skew": {
    severity: "warning",
    title: "Clock skew",
    fix: "Sync the client's (or token issuer's) clock with NTP; skew makes tokens look expired or not yet valid.",
    docs: D.debug,
  },
  "http-auth-missing": {
    severity: "warning",
    title: "HTTP call without Authorization",
    fix: "Pass the token to ConvexHttpClient (httpClient.setAuth(token)) or to fetchQuery/fetchMutation's `{ token }` option.",
    docs: D.debug,
  },
  "http-auth-rejected": {
    severity: "error",
    title: "HTTP call rejected",
    fix: "See the classified cause (listed before this finding) and fix the provider in convex/auth.config.ts or the token issuer.",
    docs: D.debug,
  },
  "identity-mismatch": {
    severity: "warning",
    title: "Different identities on one deployment",
    fix: "Make every Convex client in the page use the same auth source (one ConvexProviderWithAuth / setAuth per deployment).",
    docs: D.debug,
  },
  "bad-auth-scheme": {
    severity: "error",
    title: "Unsupported Authorization scheme",
    fix: "Send user tokens as `Authorization: Bearer <jwt>`; any other scheme gets `Invalid admin key` from /api and makes getUserIdentity() throw in HTTP actions.",
    docs: D.debug,
  },
  "token-fetch-stalled": {
    severity: "warning",
    title: "Socket paused waiting for fetchToken",
    fix: "Make fetchToken settle quickly and never throw: catch errors and return null (as the Clerk and Auth0 providers do), add a timeout around the provider's getToken call, and check that the auth provider finishes loading; with `expectAuth`, call setAuth as soon as the user is known.",
    docs: D.debug,
  },
  "stale-token-on-reconnect": {
    severity: "error",
    title: "Expired token re-sent after reconnect",
    fix: "The Convex client re-sends its stored token on every new socket without checking `exp`, and its refresh timer does not run while the tab sleeps. Make fetchToken({ forceRefreshToken: true }) return a newly issued token (the client asks for one after this rejection) so the app recovers instead of signing out.",
    docs: D.debug,
  },
  "prediction-mismatch": {
    severity: "warning",
    title: "Server answer differs from the prediction",
    fix: "Compare the provider list the prediction used with the deployment's (Dashboard → Settings → Authentication, or the NoAuthProvider message): push convex/auth.config.ts with `npx convex dev` / deploy, or paste the deployed config; if they are the same, report the token's shape (redacted) as an inspector bug.",
    docs: D.debug,
  },
  "socket-missed": {
    severity: "warning",
    title: "Socket opened before the inspector",
    fix: "Reload the page with DevTools open so the inspector is installed before the Convex client creates its WebSocket.",
  },
  "events-dropped": {
    severity: "warning",
    title: "Events dropped",
    fix: "The capture buffer was full and older events were dropped; clear the session or reload to capture a complete timeline.",
  },
};

/**
 * Build a finding from the registry. `fix` overrides the default fix; `severity` overrides the registry
 * severity for the few IDs whose severity depends on context (e.g. `iat-missing`: error for OIDC,
 * warning for customJwt).
 */
export function finding(
  id: FindingId,
  message: string,
  evidence?: Evidence,
  fix?: string,
  severity?: Severity,
): Finding {
  const entry = CATALOGUE[id];
  const f: Finding = { id, severity: severity ?? entry.severity, message, fix: fix ?? entry.fix };
  if (entry.docs !== undefined) f.docs = entry.docs;
  if (evidence !== undefined) f.evidence = evidence;
  return f;
}
