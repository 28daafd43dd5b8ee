// The recommended provider setups of reference auth-config-helpers.md that the demo deployment's default
// provider list cannot hold together (Convex Auth and Better Auth share an issuer, the site URL): each runs on
// its own deployment name (`<slug>.convex.cloud`), and the harness picks that deployment's `_auth` rows by the
// Host a request arrives on. Each pairs the vendor's auth.config text (test/fixtures/config) and env values
// with the token that vendor really mints. Needs `hostNames` (the loopback layout has one host).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Issuers } from "./issuers.ts";
import type { HarnessProvider } from "./validate.ts";

export const SETUP_SCENARIOS = ["good-auth0", "good-convex-auth", "good-better-auth", "good-static-jwks"] as const;
export type SetupScenario = (typeof SETUP_SCENARIOS)[number];

/** The deployment name each setup runs on; its site (Convex Auth, Better Auth) is `<slug>.convex.site`. */
export const SETUP_SLUG: Record<SetupScenario, string> = {
  "good-auth0": "auth0-otter-123",
  "good-convex-auth": "convex-auth-otter-123",
  "good-better-auth": "better-auth-otter-123",
  "good-static-jwks": "static-jwks-otter-123",
};

export const SETUP_NOTES: Record<SetupScenario, string> = {
  "good-auth0": "Auth0's guide: OIDC domain https://<tenant>.us.auth0.com/ with applicationID = client ID, and its ID token: accepted",
  "good-convex-auth": "Convex Auth: OIDC on the deployment's site URL, RS256 token without kid, one key: accepted",
  "good-better-auth": "Better Auth's getAuthConfigProvider(): customJwt on the site URL, JWKS at /api/auth/convex/jwks: accepted",
  "good-static-jwks": "customJwt with a static JWKS (data: URL) and applicationID: accepted",
};

export function isSetupScenario(s: string): s is SetupScenario {
  return (SETUP_SCENARIOS as readonly string[]).includes(s);
}

/** The setup whose deployment a Host header names (`auth0-otter-123.convex.cloud:4321`), else null. */
export function setupOfHost(host: string): SetupScenario | null {
  const name = host.toLowerCase().replace(/:\d+$/, "");
  for (const s of SETUP_SCENARIOS) if (name === `${SETUP_SLUG[s]}.convex.cloud`) return s;
  return null;
}

/** The deployment's `_auth` rows, as the vendor's config (helper) expands with the env values below. */
export function setupProviders(setup: SetupScenario, issuers: Issuers): HarnessProvider[] {
  switch (setup) {
    case "good-auth0":
      return [{ domain: issuers.auth0.issuer, applicationID: issuers.auth0.clientId }];
    case "good-convex-auth":
      return [{ domain: issuers.convexAuth.issuer, applicationID: "convex" }];
    case "good-better-auth":
      return [{ type: "customJwt", issuer: issuers.betterAuth.issuer, jwks: issuers.betterAuth.jwksUrl, algorithm: "RS256", applicationID: "convex" }];
    case "good-static-jwks":
      return [{ type: "customJwt", issuer: issuers.staticJwks.issuer, jwks: issuers.staticJwks.jwksDataUrl, algorithm: "RS256", applicationID: "my-app" }];
  }
}

const FIXTURE: Record<SetupScenario, string> = {
  "good-auth0": "auth0.auth.config.ts",
  "good-convex-auth": "convex-auth.auth.config.js",
  "good-better-auth": "better-auth.auth.config.ts",
  "good-static-jwks": "custom-jwt-static.auth.config.ts",
};

/** What a user pastes into the panel's Config editor: the vendor's file and the env values it reads. */
export function setupConfig(setup: SetupScenario, issuers: Issuers): { text: string; env: Record<string, string> } {
  const text = readFileSync(new URL(`../fixtures/config/${FIXTURE[setup]}`, import.meta.url), "utf8");
  switch (setup) {
    case "good-auth0":
      return { text, env: { AUTH0_DOMAIN: issuers.auth0.issuer, AUTH0_CLIENT_ID: issuers.auth0.clientId } };
    case "good-convex-auth":
      return { text, env: { CONVEX_SITE_URL: issuers.convexAuth.issuer } };
    case "good-better-auth":
      return { text, env: { CONVEX_SITE_URL: issuers.betterAuth.issuer } };
    case "good-static-jwks":
      return { text, env: { JWT_ISSUER: issuers.staticJwks.issuer, JWT_JWKS: issuers.staticJwks.jwksDataUrl } };
  }
}

/** The token each vendor hands the Convex client (claims as in test/unit/cli/recommended-setups.test.ts). */
export function mintSetupToken(setup: SetupScenario, issuers: Issuers, t: number): Promise<string> {
  const jti = randomBytes(8).toString("hex");
  switch (setup) {
    case "good-auth0":
      return issuers.auth0.sign({
        given_name: "Ada", family_name: "Harness", nickname: "ada", name: "Ada Harness", picture: "https://example.test/a.png",
        updated_at: "2026-01-01T00:00:00.000Z", email: "ada@example.test", email_verified: true,
        iss: issuers.auth0.issuer, aud: issuers.auth0.clientId, sub: "auth0|6650harness", iat: t, exp: t + 36000, sid: jti, nonce: jti,
      });
    case "good-convex-auth":
      return issuers.convexAuth.sign({ sub: `k57harness|k97${jti}`, iat: t, iss: issuers.convexAuth.issuer, aud: "convex", exp: t + 3600 });
    case "good-better-auth":
      return issuers.betterAuth.sign({
        name: "Ada Harness", email: "ada@example.test", emailVerified: true, image: null, createdAt: "2026-01-01T00:00:00.000Z",
        sessionId: jti, iat: t, iss: issuers.betterAuth.issuer, aud: "convex", exp: t + 900, sub: "user-harness",
      });
    case "good-static-jwks":
      return issuers.staticJwks.sign({ iss: issuers.staticJwks.issuer, aud: "my-app", sub: "u-harness", iat: t, exp: t + 600 });
  }
}
