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
  /** Answer an issuer route for a request's Host header and path; false when it is not an issuer route. */
  handle(host: string, path: string, res: ServerResponse): boolean;
  /** True for a Host that only the issuers answer (named layout): the deployment's routes are not served there. */
  isIssuerHost(host: string): boolean;
};

/** Where the issuers live when the harness presents real-looking host names (origins include the TLS port). */
export type IssuerOrigins = { clerk: string; workos: string };

async function makeIssuer(issuer: string, jwksUrl: string, kid: string): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    issuer,
    jwksUrl,
    kid,
    jwks: { keys: [jwk] },
    sign: (claims, opts) => signWith(privateKey, { alg: "RS256", typ: "JWT", kid, ...opts?.header }, claims),
  };
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
  const discovery = {
    issuer: oidc.issuer,
    jwks_uri: oidc.jwksUrl,
    authorization_endpoint: `${oidc.issuer}/authorize`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
  const routes = [
    { url: new URL(`${oidc.issuer}/.well-known/openid-configuration`), body: discovery },
    { url: new URL(oidc.jwksUrl), body: oidc.jwks },
    { url: new URL(workos.jwksUrl), body: workos.jwks },
  ];
  // Loopback layout: any Host (127.0.0.1, localhost) reaches the issuers by path, as before names existed.
  const byPathOnly = origins === undefined;
  const issuerHosts = new Set(routes.map((r) => r.url.host));
  return {
    oidc,
    workos,
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
