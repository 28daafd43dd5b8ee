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
  /** OIDC issuer at `${base}/oidc`; discovery at `/oidc/.well-known/openid-configuration`, JWKS at `/oidc/jwks`. */
  oidc: LocalIssuer;
  /** WorkOS-like issuer: shared issuer `${base}/workos/`, JWKS at `/workos/sso/jwks/<clientId>`. */
  workos: LocalIssuer & { clientId: string; userManagementIssuer: string };
  /** Answer an issuer route; false when the path is not an issuer route. */
  handle(path: string, res: ServerResponse): boolean;
};

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

/** Create both issuers for a harness whose base URL is `base` (e.g. `http://127.0.0.1:4321`). */
export async function createIssuers(base: string): Promise<Issuers> {
  const oidc = await makeIssuer(`${base}/oidc`, `${base}/oidc/jwks`, `oidc-${randomBytes(4).toString("hex")}`);
  const clientId = `client_01HARNESS${randomBytes(4).toString("hex").toUpperCase()}`;
  const workosBase = await makeIssuer(`${base}/workos/`, `${base}/workos/sso/jwks/${clientId}`, `sso_oidc_key_pair_${randomBytes(4).toString("hex")}`);
  const workos = { ...workosBase, clientId, userManagementIssuer: `${base}/workos/user_management/${clientId}` };
  const discovery = {
    issuer: oidc.issuer,
    jwks_uri: oidc.jwksUrl,
    authorization_endpoint: `${oidc.issuer}/authorize`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
  return {
    oidc,
    workos,
    handle(path, res) {
      if (path === "/oidc/.well-known/openid-configuration") json(res, discovery);
      else if (path === "/oidc/jwks") json(res, oidc.jwks);
      else if (path === `/workos/sso/jwks/${clientId}`) json(res, workos.jwks);
      else return false;
      return true;
    },
  };
}
