/**
 * The one registry of findings: severity, title, default fix and docs URL per stable ID (docs/findings.md).
 * Every module that reports a finding builds it through `finding()` so severities and fixes never drift.
 */
import type { Evidence, Finding, FindingId, Severity } from "./types";

export interface CatalogueEntry {
  severity: Severity;
  /** A few words, for lists and headings. */
  title: string;
  /** When it fires: the condition, in the user's words (docs/findings.md). */
  when: string;
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
  // ── token and provider ─────────────────────────────────────────────────────────────────────────────
  "not-a-jwt": {
    severity: "error",
    title: "Not a JWT",
    when: "The value is not three base64url parts, its payload is not a JSON object, or a registered claim has the wrong JSON type (the backend says `Could not parse JWT payload…`).",
    fix: "Send a signed JWT (three base64url parts: header.payload.signature) whose payload is a JSON object with correctly typed registered claims; check what your auth provider's fetchToken returns.",
    docs: D.debug,
  },
  "jwe-token": {
    severity: "error",
    title: "Encrypted token (JWE)",
    when: "The token has five parts: an encrypted JWT (JWE), which Convex cannot read.",
    fix: "Configure your identity provider to issue a signed (JWS) ID token instead of an encrypted one; Convex cannot decrypt JWE.",
    docs: D.customAuth,
  },
  "iss-missing": {
    severity: "error",
    title: "No iss claim",
    when: "The token has no `iss` claim.",
    fix: "Make the token issuer include an `iss` claim equal to the `domain` (OIDC) or `issuer` (customJwt) in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "no-providers": {
    severity: "error",
    title: "No auth providers configured",
    when: "The provider list in convex/auth.config.ts (or the deployment's) is empty.",
    fix: "Add your provider to the `providers` list in convex/auth.config.ts and run `npx convex dev` (or deploy) so the backend stores it.",
    docs: D.customAuth,
  },
  "iss-mismatch": {
    severity: "error",
    title: "Issuer matches no provider",
    when: "No provider's `domain`/`issuer` equals the token's `iss` after the backend's normalization (scheme prepended, trailing `/` trimmed); the message names the closest configured issuer and the exact difference.",
    fix: "Make `domain` (OIDC) or `issuer` (customJwt) in convex/auth.config.ts equal the token's `iss` exactly (case, scheme, port and path count; only trailing slashes are ignored), then push the config; check the env var it reads on the deployment (Dashboard → Settings → Environment Variables).",
    docs: D.debug,
  },
  "aud-missing": {
    severity: "error",
    title: "No aud claim",
    when: "The issuer matches a provider that has an `applicationID`, and the token has no `aud`.",
    fix: "Configure the provider's token (JWT template / API settings) to include an `aud` claim equal to the `applicationID` in convex/auth.config.ts.",
    docs: D.debug,
  },
  "aud-mismatch": {
    severity: "error",
    title: "aud does not contain the application ID",
    when: "The issuer matches, and `aud` is present but does not contain the provider's `applicationID`.",
    fix: "Make the token's `aud` equal the `applicationID` in convex/auth.config.ts (or change `applicationID` to the `aud` your provider issues), then push the config.",
    docs: D.debug,
  },
  "oidc-extra-audience": {
    severity: "error",
    title: "OIDC token has extra audiences",
    when: "The provider is OIDC and `aud` is an array holding anything besides the `applicationID`.",
    fix: "For an OIDC provider `aud` must hold only the applicationID; issue a single-audience ID token, or configure this issuer as `type: \"customJwt\"` in convex/auth.config.ts (customJwt accepts any matching element).",
    docs: D.customJwt,
  },
  "alg-unsupported": {
    severity: "error",
    title: "Signing algorithm not accepted",
    when: "OIDC: the header `alg` is not RS256 or EdDSA. customJwt: the header `alg` differs from the configured `algorithm`, or the JWK's `alg` disagrees.",
    fix: "OIDC providers accept only RS256 and EdDSA (Ed25519): switch the provider's signing key to RSA, or use `type: \"customJwt\"` with `algorithm: \"ES256\"`. For customJwt, set `algorithm` in convex/auth.config.ts to the token's `alg` (RS256 or ES256) and make the JWK's `alg` agree.",
    docs: D.customJwt,
  },
  "hs-symmetric": {
    severity: "error",
    title: "Shared-secret (HS*) token",
    when: "The header `alg` is HS256, HS384 or HS512: a shared-secret token, which Convex never accepts.",
    fix: "Convex never accepts HMAC-signed tokens: sign with an RSA (RS256) or EC P-256 (ES256) private key and publish the public key as a JWKS.",
    docs: D.customJwt,
  },
  "kid-missing": {
    severity: "error",
    title: "No kid header",
    when: "customJwt and the token has no `kid` header (OIDC: only when the JWKS has several compatible keys).",
    fix: "Add a `kid` header to the token that names a key in the JWKS (customJwt requires it; OIDC needs it when the JWKS has more than one compatible key).",
    docs: D.customJwt,
  },
  "kid-not-in-jwks": {
    severity: "error",
    title: "kid not in the JWKS",
    when: "The JWKS was read and no key in it has the token's `kid`.",
    fix: "Sign with a key that is published in the provider's JWKS (check the `jwks` URL in convex/auth.config.ts, or the discovery `jwks_uri`); after a key rotation the backend keeps the cached JWKS until its HTTP cache headers expire.",
    docs: D.customJwt,
  },
  "signature-invalid": {
    severity: "error",
    title: "Signature does not verify",
    when: "The JWKS key with the token's `kid` was found and the signature does not verify with it.",
    fix: "The token was not signed by the private key matching the JWKS entry with its `kid`: check which key the issuer signs with and which JWKS convex/auth.config.ts points at.",
    docs: D.customJwt,
  },
  "typ-at-jwt": {
    severity: "error",
    title: "Access token sent to an OIDC provider",
    when: "The provider is OIDC and the header `typ` is `at+jwt`: an access token, not an ID token.",
    fix: "Send the provider's ID token instead of the access token, or configure this issuer as `type: \"customJwt\"` in convex/auth.config.ts (customJwt does not check `typ`).",
    docs: D.customJwt,
  },
  "oidc-claim-type": {
    severity: "error",
    title: "Standard claim has the wrong JSON type",
    when: "The provider is OIDC and a standard claim has the wrong JSON type (e.g. `email_verified: \"true\"`).",
    fix: "Fix the claim's type in the provider's token template (e.g. `email_verified` must be a JSON boolean, not the string \"true\"), or use `type: \"customJwt\"`, which does not parse standard claims.",
    docs: D.customAuth,
  },
  "token-expired": {
    severity: "error",
    title: "Token expired",
    when: "OIDC: now >= `exp` (no leeway). customJwt: now is more than 5 s past `exp`.",
    fix: "Fetch a fresh token before sending it (the client's fetchToken must honour `forceRefreshToken`); check the clock of the machine that issues tokens.",
    docs: D.debug,
  },
  "token-not-yet-valid": {
    severity: "error",
    title: "Token not yet valid",
    when: "customJwt: `nbf` or `iat` is more than 5 s in the future.",
    fix: "The issuer's clock is ahead of the backend's: fix the issuing server's clock (NTP), or stop setting `nbf`/`iat` in the future.",
    docs: D.customJwt,
  },
  "sub-missing": {
    severity: "error",
    title: "No sub claim",
    when: "The token has no string `sub` claim, which the backend requires.",
    fix: "Make the issuer include a string `sub` claim (the user's stable ID).",
    docs: D.customJwt,
  },
  "exp-missing": {
    severity: "error",
    title: "No exp claim",
    when: "The token has no numeric `exp` claim, which the backend requires.",
    fix: "Make the issuer include a numeric `exp` claim (expiry, unix seconds).",
    docs: D.customJwt,
  },
  "iat-missing": {
    severity: "error",
    title: "No iat claim",
    when: "The token has no `iat` claim: an error for OIDC (the backend requires it), a warning for customJwt (the client cannot schedule refreshes without it).",
    fix: "Make the issuer include a numeric `iat` claim: the OIDC path requires it, and the Convex client needs `iat` and `exp` to schedule token refreshes.",
    docs: D.customJwt,
  },
  "lifetime-too-short": {
    severity: "warning",
    title: "Token lifetime too short",
    when: "`exp - iat` is 2 s or less, or shorter than the client's refresh leeway (10 s by default).",
    fix: "Issue tokens that live well beyond the client's refresh leeway (10 s by default; `authRefreshTokenLeewaySeconds` on the Convex client), e.g. several minutes.",
    docs: D.debug,
  },
  "discovery-failed": {
    severity: "error",
    title: "OIDC discovery failed",
    when: "`{iss}/.well-known/openid-configuration` is unreachable, not status 200, has the wrong content type, or is not JSON.",
    fix: "Serve `{iss}/.well-known/openid-configuration` with status 200 and `Content-Type: application/json`, reachable from the Convex backend (self-hosted: check CONVEX_SITE_URL / the reverse proxy).",
    docs: D.customAuth,
  },
  "discovery-issuer-mismatch": {
    severity: "error",
    title: "Discovery issuer differs from iss",
    when: "The discovery document's `issuer` is not byte-for-byte the token's `iss`.",
    fix: "Make the token's `iss` byte-for-byte equal to the discovery document's `issuer` (including any trailing slash); the backend does not normalize here.",
    docs: D.customAuth,
  },
  "jwks-unreachable": {
    severity: "error",
    title: "JWKS could not be loaded",
    when: "The JWKS URL failed (network, status, content type or body); the message gives the backend's text.",
    fix: "Serve the JWKS with status 200, `Content-Type: application/json` (or `application/jwk-set+json`) and a body of the form {\"keys\":[…]}, at the URL in convex/auth.config.ts (`jwks`) or the discovery `jwks_uri`, reachable from the backend.",
    docs: D.customJwt,
  },
  "identity-preview": {
    severity: "info",
    title: "Identity",
    when: "Whenever a token is accepted (predicted or observed): the identity object and its `tokenIdentifier`.",
    fix: "Nothing to fix: this is what ctx.auth.getUserIdentity() will return.",
    docs: D.functionsAuth,
  },
  "check-incomplete": {
    severity: "info",
    title: "Step not checked",
    when: "A step that needs a fetched document (discovery, JWKS) was not made: `--offline`, a fetch the policy refused, or a fetch that failed on this machine; the verdict does not rely on it.",
    fix: "Allow the inspector to fetch the discovery document / JWKS (or supply it with --jwks), then check again.",
  },

  // ── config ─────────────────────────────────────────────────────────────────────────────────────────
  "config-env-unresolved": {
    severity: "warning",
    title: "Environment variable without a value",
    when: "convex/auth.config.ts uses `process.env.X` and no value was given for it.",
    fix: "Supply the value of each `process.env` name used in convex/auth.config.ts (the inspector's env form or --env), matching the deployment's Dashboard → Settings → Environment Variables.",
    docs: D.envVars,
  },
  "config-application-id-casing": {
    severity: "error",
    title: "applicationID misspelled",
    when: "A provider has `applicationId` / `applicationid` instead of `applicationID`.",
    fix: "Spell the key `applicationID` (capital I, capital D) in convex/auth.config.ts.",
    docs: D.customAuth,
  },
  "config-domain-and-issuer": {
    severity: "error",
    title: "domain/issuer on the wrong provider type",
    when: "An OIDC provider has `issuer`, or a customJwt provider has `domain`.",
    fix: "OIDC providers use `domain`; `type: \"customJwt\"` providers use `issuer`: fix the entry in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-bad-type": {
    severity: "error",
    title: "Unknown provider type",
    when: "A provider's `type` is neither `customJwt` nor `oidc`.",
    fix: "Set `type` to `\"customJwt\"` or `\"oidc\"` (or omit it for OIDC) in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-bad-algorithm": {
    severity: "error",
    title: "Unsupported customJwt algorithm",
    when: "A customJwt provider's `algorithm` is not exactly `RS256` or `ES256`.",
    fix: "Set `algorithm` to exactly `\"RS256\"` or `\"ES256\"` in convex/auth.config.ts.",
    docs: D.customJwt,
  },
  "config-invalid-url": {
    severity: "error",
    title: "Provider URL rejected",
    when: "A `domain`/`issuer` fails the backend's URL rules (quotes, no scheme and no TLD, a non-http scheme).",
    fix: "Give `domain`/`issuer` as an http(s) URL without quotes (e.g. `https://issuer.example.com`) in convex/auth.config.ts or the env var it reads.",
    docs: D.customAuth,
  },
  "config-shared-issuer-no-aud": {
    severity: "error",
    title: "Shared WorkOS issuer without applicationID",
    when: "The `https://api.workos.com/` issuer is configured without `applicationID` (the backend refuses to deploy it).",
    fix: "Add `applicationID: process.env.WORKOS_CLIENT_ID` to the `https://api.workos.com/` provider in convex/auth.config.ts; the backend refuses to deploy it otherwise.",
    docs: D.authkit,
  },
  "config-no-application-id": {
    severity: "warning",
    title: "customJwt without applicationID",
    when: "A customJwt provider has no `applicationID`, so any token from its issuer is accepted (a warning where the issuer is shared by many applications, info where it is already specific to one app).",
    fix: "Add `applicationID` to the customJwt provider in convex/auth.config.ts so only tokens with that `aud` are accepted.",
    docs: D.customJwt,
  },
  "config-unreadable": {
    severity: "error",
    title: "Config could not be read",
    when: "convex/auth.config.ts could not be read as a default export `{ providers: [...] }` of literal values, `process.env.X` and known helper calls (the file is read, never run).",
    fix: "Check that convex/auth.config.ts has a default export `{ providers: [...] }` with literal values, `process.env.X` or a known helper call.",
    docs: D.customAuth,
  },

  // ── provider hints ─────────────────────────────────────────────────────────────────────────────────
  "hint-clerk-template": {
    severity: "info",
    title: "Clerk: use the `convex` JWT template",
    when: "The token is not accepted, its `iss` is a Clerk issuer and its `aud` does not include `convex`.",
    fix: "In the Clerk dashboard create a JWT template named exactly `convex` (or enable the Convex integration) so tokens carry `aud: \"convex\"`; set CLERK_JWT_ISSUER_DOMAIN on the deployment to the Clerk Frontend API URL.",
    docs: D.clerk,
  },
  "hint-workos-aud": {
    severity: "info",
    title: "WorkOS: set aud and use both issuers",
    when: "The token is not accepted and its `iss` is a WorkOS issuer.",
    fix: "In the WorkOS dashboard set the JWT template's `aud` to your client ID, and configure both providers in convex/auth.config.ts: issuer `https://api.workos.com/` with `applicationID` = client ID, and issuer `https://api.workos.com/user_management/<clientId>`.",
    docs: D.authkit,
  },
  "hint-auth0-id-token": {
    severity: "info",
    title: "Auth0: send the ID token",
    when: "The token is not accepted and its `iss` is an Auth0 tenant (`*.auth0.com`); it names what marks an access token (`typ: at+jwt`, a `scope` claim, an API URL in `aud`).",
    fix: "Send Auth0's ID token (not the access token) and set `applicationID` in convex/auth.config.ts to the Auth0 application's Client ID; `domain` is `https://<tenant>.auth0.com/`.",
    docs: D.auth0,
  },
  "hint-better-auth": {
    severity: "info",
    title: "Better Auth",
    when: "The token is not accepted, its `iss` is a `.convex.site` URL and the provider is Better Auth's (a `data:` JWKS or its `/api/auth/convex/jwks` route).",
    fix: "Use the token from the `convex_jwt` (better-auth.convex_jwt) cookie / convexClient plugin, set CONVEX_SITE_URL correctly, and keep the static JWKS env var (`JWKS`) on the deployment in sync with Better Auth's keys.",
    docs: D.customJwt,
  },
  "hint-convex-auth": {
    severity: "info",
    title: "Convex Auth",
    when: "The token is not accepted, its `iss` is a `.convex.site` URL and the provider or the token has Convex Auth's shape.",
    fix: "Check the deployment's env vars JWT_PRIVATE_KEY, JWKS and SITE_URL (`npx @convex-dev/auth` sets them), and that CONVEX_SITE_URL serves /.well-known/openid-configuration and /.well-known/jwks.json with exactly one key.",
    docs: D.convexAuth,
  },

  // ── session ────────────────────────────────────────────────────────────────────────────────────────
  "admin-key-exposed": {
    severity: "error",
    title: "Admin key sent from a web page",
    when: "A web page sent `Authenticate{tokenType:\"Admin\"}` or `Authorization: Convex …` (the key is masked everywhere).",
    fix: "Never ship a deploy/admin key to the browser: remove it from client code and env vars exposed to the page (NEXT_PUBLIC_*, VITE_*), and rotate it in Dashboard → Settings → Deploy Keys.",
    docs: D.auth,
  },
  "no-token-sent": {
    severity: "warning",
    title: "No token sent",
    when: "A sync connection ran queries and never sent `Authenticate` (the client never called `setAuth`, or `fetchToken` returned null).",
    fix: "Wrap the app in ConvexProviderWithAuth / ConvexProviderWith<Provider> (or call client.setAuth) and check that fetchToken returns a token, not null.",
    docs: D.debug,
  },
  "auth-cleared": {
    severity: "info",
    title: "Auth cleared",
    when: "The client sent `Authenticate{tokenType:\"None\"}` (sign-out, or `clearAuth()` from a React effect cleanup).",
    fix: "Expected on sign-out; otherwise look for clearAuth() running in a React effect cleanup.",
    docs: D.debug,
  },
  "queries-before-auth": {
    severity: "warning",
    title: "Queries ran before auth",
    when: "Queries were added, and answered, before the first identity-advancing `Transition` on a connection that later authenticates: they saw `getUserIdentity() === null`.",
    fix: "Gate authenticated queries on useConvexAuth().isAuthenticated (or <Authenticated>), or pass \"skip\" until auth is confirmed.",
    docs: D.debug,
  },
  "token-accepted": {
    severity: "info",
    title: "Token accepted",
    when: "A `Transition` advanced the identity past the `Authenticate`'s `baseVersion`.",
    fix: "Nothing to fix: the backend accepted the token.",
    docs: D.debug,
  },
  "token-rejected": {
    severity: "error",
    title: "Token rejected",
    when: "The server answered `AuthError` with `authUpdateAttempted: true`; its text is classified into the token findings above (current and older backend texts).",
    fix: "See the classified cause (listed before this finding) and fix the provider in convex/auth.config.ts or the token issuer.",
    docs: D.debug,
  },
  "identity-expired": {
    severity: "warning",
    title: "Identity expired",
    when: "The server answered `AuthError` \"Convex token identity expired\" with `authUpdateAttempted: false`.",
    fix: "The token expired during the session: make the client refresh tokens before `exp` (fetchToken must return a new token when forceRefreshToken is true).",
    docs: D.debug,
  },
  "same-token-on-refresh": {
    severity: "error",
    title: "Same token returned on forced refresh",
    when: "After a forced refresh (an `AuthError`, or the refetch after confirmation) the client re-sent the identical token, or went to no auth.",
    fix: "Make fetchToken({ forceRefreshToken: true }) return a newly issued token instead of a cached one.",
    docs: D.debug,
  },
  "refresh-storm": {
    severity: "error",
    title: "Token refresh loop",
    when: "More than 5 `Authenticate` messages on one connection within 30 s, or a reconnect loop around them.",
    fix: "Stop re-creating the auth provider or fetchToken on every render (memoize fetchToken with useCallback), and fix the rejection that triggers re-authentication.",
    docs: D.debug,
  },
  "client-gave-up": {
    severity: "error",
    title: "Client gave up authenticating",
    when: "After rejections the client's next `Connect` carries no `Authenticate`.",
    fix: "Fix the rejection reported with it (its cause is listed first): the Convex client retries a rejected token only a few times, then runs signed out until setAuth is called again.",
    docs: D.debug,
  },
  "refresh-schedule": {
    severity: "info",
    title: "Refresh schedule",
    when: "Refreshes were seen: the observed refresh interval against the expected `exp - iat - leeway`.",
    fix: "Nothing to fix unless refreshes happen far from `exp - iat - leeway`.",
    docs: D.debug,
  },
  "clock-skew": {
    severity: "warning",
    title: "Clock skew",
    when: "The client's clock differs from the server's by more than 5 s (`Transition.clientClockSkew`, corrected for the client's own timestamp offset), or `iat` is in the future by server time.",
    fix: "Sync the client's (or token issuer's) clock with NTP; skew makes tokens look expired or not yet valid.",
    docs: D.debug,
  },
  "http-auth-missing": {
    severity: "warning",
    title: "HTTP call without Authorization",
    when: "`/api/query|mutation|action` HTTP calls carry no `Authorization` while the page's sync socket is authenticated.",
    fix: "Pass the token to ConvexHttpClient (httpClient.setAuth(token)) or to fetchQuery/fetchMutation's `{ token }` option.",
    docs: D.debug,
  },
  "http-auth-rejected": {
    severity: "error",
    title: "HTTP call rejected",
    when: "An `/api/*` HTTP call got 401 `{code, message}`; classified like `token-rejected`.",
    fix: "See the classified cause (listed before this finding) and fix the provider in convex/auth.config.ts or the token issuer.",
    docs: D.debug,
  },
  "identity-mismatch": {
    severity: "warning",
    title: "Different identities on one deployment",
    when: "Two connections to one deployment in one tab carry different `iss|sub`.",
    fix: "Make every Convex client in the page use the same auth source (one ConvexProviderWithAuth / setAuth per deployment).",
    docs: D.debug,
  },
  "bad-auth-scheme": {
    severity: "error",
    title: "Unsupported Authorization scheme",
    when: "An `Authorization` header that is neither `Bearer` nor `Convex` went to a Convex deployment (the backend answers `Invalid admin key`).",
    fix: "Send user tokens as `Authorization: Bearer <jwt>`; any other scheme gets `Invalid admin key` from /api and makes getUserIdentity() throw in HTTP actions.",
    docs: D.debug,
  },
  "token-fetch-stalled": {
    severity: "warning",
    title: "Socket paused waiting for fetchToken",
    when: "A sync connection sent `Connect` and then nothing (no `Authenticate`, no queries) for over 10 s: the client pauses its socket while `fetchToken` runs.",
    fix: "Make fetchToken settle quickly and never throw: catch errors and return null (as the Clerk and Auth0 providers do), add a timeout around the provider's getToken call, and check that the auth provider finishes loading; with `expectAuth`, call setAuth as soon as the user is known.",
    docs: D.debug,
  },
  "stale-token-on-reconnect": {
    severity: "error",
    title: "Expired token re-sent after reconnect",
    when: "After a reconnect (tab woke up, network came back) the client re-sent a token whose `exp` had already passed by server time.",
    fix: "The Convex client re-sends its stored token on every new socket without checking `exp`, and its refresh timer does not run while the tab sleeps. Make fetchToken({ forceRefreshToken: true }) return a newly issued token (the client asks for one after this rejection) so the app recovers instead of signing out.",
    docs: D.debug,
  },
  "prediction-mismatch": {
    severity: "warning",
    title: "Server answer differs from the prediction",
    when: "The server's answer to a token (accepted or rejected) differs from the prediction against the provider list in use. Not when one of the token's time limits (`exp`, `nbf`, `iat`) falls between the moment it was sent and the prediction's (widened by 5 s and the clock skew) and the prediction accepts, or rejects for time only.",
    fix: "Compare the provider list the prediction used with the deployment's (Dashboard → Settings → Authentication, or the NoAuthProvider message): push convex/auth.config.ts with `npx convex dev` / deploy, or paste the deployed config; if they are the same, report the token's shape (redacted) as an inspector bug.",
    docs: D.debug,
  },
  "socket-missed": {
    severity: "warning",
    title: "Socket opened before the inspector",
    when: "Panel only: the page was loaded before the inspector attached, so its Convex socket is invisible.",
    fix: "Reload the page with DevTools open so the inspector is installed before the Convex client creates its WebSocket.",
  },
  "events-dropped": {
    severity: "warning",
    title: "Events dropped",
    when: "Captured events were lost on the way to the panel, or frames past a connection's bound were counted but not kept.",
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
