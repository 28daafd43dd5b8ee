// Local token issuers served by the harness: a Clerk-like OIDC issuer (discovery + JWKS) and a
// WorkOS-like customJwt issuer (JWKS as application/json). Keys are made with jose at start, never stored.
import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export type SignOptions = {
  /** Extra or overriding protected-header fields (e.g. `{ typ: "at+jwt" }`, `{ kid: undefined }`). */
  header?: Record<string, unknown>;
};

export type LocalIssuer = {
  /** The `iss` this issuer's tokens carry by default. */
  issuer: string;
  jwksUrl: string;
  kid: string;
  /** Public JWKS as served. */
  jwks: { keys: JWK[] };
  /** Sign exactly these claims (nothing is added) with this issuer's RS256 key. */
  sign(claims: JWTPayload, opts?: SignOptions): Promise<string>;
};

export type Issuers = {
  /**
   * Clerk-like OIDC issuer. Loopback layout: `${base}/oidc`, discovery at `/oidc/.well-known/openid-configuration`,
   * JWKS at `/oidc/jwks`. Named layout: `https://<verb-noun-00>.clerk.accounts.dev:<port>` with discovery and
   * JWKS at the root (`/.well-known/openid-configuration`, `/.well-known/jwks.json`), like Clerk.
   */
  oidc: LocalIssuer;
  /**
   * WorkOS-like issuer: the shared issuer (`${base}/workos/`, or `https://api.workos.com:<port>/`), JWKS at
   * `…/sso/jwks/<clientId>`, and the `…/user_management/<clientId>` issuer.
   */
  workos: LocalIssuer & { clientId: string; userManagementIssuer: string };
  /**
   * Issuers of the recommended setups (setups.ts), each as that vendor mints: Auth0 (`https://<tenant>.us.auth0.com/`,
   * trailing slash, ID tokens with aud = client ID), Convex Auth (the deployment's site URL, RS256 with no `kid`,
   * one key), Better Auth (the site URL, customJwt JWKS at `/api/auth/convex/jwks`), and a customJwt issuer whose
   * keys the config carries as a static `data:` JWKS (nothing served).
   */
  auth0: LocalIssuer & { clientId: string };
  convexAuth: LocalIssuer;
  betterAuth: LocalIssuer;
  staticJwks: LocalIssuer & { jwksDataUrl: string };
  /** Answer an issuer route for a request's Host header and path; false when it is not an issuer route. */
  handle(host: string, path: string, res: ServerResponse): boolean;
  /** True for a Host that only the issuers answer (named layout): the deployment's routes are not served there. */
  isIssuerHost(host: string): boolean;
};

/** Where the issuers live when the harness presents real-looking host names (origins include the TLS port). */
export type IssuerOrigins = { clerk: string; workos: string; auth0: string; convexAuthSite: string; betterAuthSite: string };

/** `kid: null` makes a key and tokens without a `kid` (Convex Auth); `typ: null` leaves `typ` out of the header. */
async function makeIssuer(issuer: string, jwksUrl: string, kid: string | null, typ: string | null = "JWT"): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), ...(kid === null ? {} : { kid }), alg: "RS256", use: "sig" };
  const header = { alg: "RS256", ...(typ === null ? {} : { typ }), ...(kid === null ? {} : { kid }) };
  return {
    issuer,
    jwksUrl,
    kid: kid ?? "",
    jwks: { keys: [jwk] },
    sign: (claims, opts) => signWith(privateKey, { ...header, ...opts?.header }, claims),
  };
}

function discoveryOf(issuer: LocalIssuer) {
  return {
    issuer: issuer.issuer,
    jwks_uri: issuer.jwksUrl,
    authorization_endpoint: `${issuer.issuer.replace(/\/$/, "")}/authorize`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
}

/** The setups' issuers and the routes they serve (discovery and JWKS where the vendor serves them). */
async function makeSetupIssuers(base: string, origins?: IssuerOrigins) {
  const auth0Root = origins?.auth0 ?? `${base}/auth0`;
  const convexSite = origins?.convexAuthSite ?? `${base}/convex-auth-site`;
  const betterSite = origins?.betterAuthSite ?? `${base}/better-auth-site`;
  const auth0 = {
    ...(await makeIssuer(`${auth0Root}/`, `${auth0Root}/.well-known/jwks.json`, `auth0-${randomBytes(4).toString("hex")}`)),
    clientId: `harnessAuth0Client${randomBytes(6).toString("hex")}`,
  };
  // Convex Auth signs with header { alg: "RS256" } only.
  const convexAuth = await makeIssuer(convexSite, `${convexSite}/.well-known/jwks.json`, null, null);
  const betterAuth = await makeIssuer(betterSite, `${betterSite}/api/auth/convex/jwks`, `ba-${randomBytes(6).toString("hex")}`);
  const staticBase = await makeIssuer("https://auth.static-jwks.example", "", `static-${randomBytes(4).toString("hex")}`);
  const jwksDataUrl = `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify(staticBase.jwks)).toString("base64")}`;
  const staticJwks = { ...staticBase, jwksUrl: jwksDataUrl, jwksDataUrl };
  const routes = [
    { url: new URL(`${auth0Root}/.well-known/openid-configuration`), body: discoveryOf(auth0) as unknown },
    { url: new URL(auth0.jwksUrl), body: auth0.jwks as unknown },
    { url: new URL(`${convexSite}/.well-known/openid-configuration`), body: discoveryOf(convexAuth) },
    { url: new URL(convexAuth.jwksUrl), body: convexAuth.jwks },
    { url: new URL(betterAuth.jwksUrl), body: betterAuth.jwks },
  ];
  return { auth0, convexAuth, betterAuth, staticJwks, routes };
}

async function signWith(key: CryptoKey, header: Record<string, unknown>, claims: JWTPayload): Promise<string> {
  // Drop header fields explicitly set to undefined (e.g. to mint a kid-less token).
  const clean = Object.fromEntries(Object.entries(header).filter(([, v]) => v !== undefined));
  return new SignJWT(claims).setProtectedHeader(clean as { alg: string }).sign(key);
}

function json(res: ServerResponse, body: unknown, contentType = "application/json"): void {
  res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" });
  res.end(JSON.stringify(body));
}

/**
 * Create both issuers for a harness whose base URL is `base` (e.g. `http://127.0.0.1:4321`), under `/oidc` and
 * `/workos` there, or at the given real-looking origins (e.g. `https://fine-gull-12.clerk.accounts.dev:4322`).
 */
export async function createIssuers(base: string, origins?: IssuerOrigins): Promise<Issuers> {
  const clerk = origins?.clerk ?? `${base}/oidc`;
  const workosRoot = origins?.workos ?? `${base}/workos`;
  const oidcJwks = origins ? `${clerk}/.well-known/jwks.json` : `${clerk}/jwks`;
  const oidc = await makeIssuer(clerk, oidcJwks, `oidc-${randomBytes(4).toString("hex")}`);
  const clientId = `client_01HARNESS${randomBytes(4).toString("hex").toUpperCase()}`;
  const workosBase = await makeIssuer(`${workosRoot}/`, `${workosRoot}/sso/jwks/${clientId}`, `sso_oidc_key_pair_${randomBytes(4).toString("hex")}`);
  const workos = { ...workosBase, clientId, userManagementIssuer: `${workosRoot}/user_management/${clientId}` };
  const setups = await makeSetupIssuers(base, origins);
  const routes = [
    { url: new URL(`${oidc.issuer}/.well-known/openid-configuration`), body: discoveryOf(oidc) as unknown },
    { url: new URL(oidc.jwksUrl), body: oidc.jwks },
    { url: new URL(workos.jwksUrl), body: workos.jwks },
    ...setups.routes,
  ];
  // Loopback layout: any Host (127.0.0.1, localhost) reaches the issuers by path, as before names existed.
  const byPathOnly = origins === undefined;
  const issuerHosts = new Set(routes.map((r) => r.url.host));
  return {
    oidc,
    workos,
    auth0: setups.auth0,
    convexAuth: setups.convexAuth,
    betterAuth: setups.betterAuth,
    staticJwks: setups.staticJwks,
    handle(host, path, res) {
      const h = host.toLowerCase();
      const route = routes.find((r) => r.url.pathname === path && (byPathOnly || r.url.host === h));
      if (!route) return false;
      json(res, route.body);
      return true;
    },
    isIssuerHost: (host) => !byPathOnly && issuerHosts.has(host.toLowerCase()),
  };
}
