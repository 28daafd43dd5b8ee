/**
 * Real parts for verdict tests: keys generated and tokens signed with jose at test time, discovery and JWKS served
 * by a real HTTP server on 127.0.0.1 (port 0), fetched through the real KeySource.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import type { CustomJwtProvider, OidcProvider, Provider } from "../../../src/core/config/types";
import { createKeySource } from "../../../src/core/keys/source";
import { allowAll } from "../../../src/core/keys/policy";
import type { FetchPolicy, KeySource } from "../../../src/core/keys/types";
import { predictVerdict } from "../../../src/core/verdict/predict";
import type { Verdict } from "../../../src/core/verdict/types";

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  route(path: string, r: Route): void;
  json(path: string, value: unknown, contentType?: string): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no such route");
      return;
    }
    res.writeHead(r.status ?? 200, r.headers ?? {});
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    route: (path, r) => void routes.set(path, r),
    json: (path, value, contentType = "application/json") =>
      void routes.set(path, { headers: { "content-type": contentType }, body: JSON.stringify(value) }),
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: "RS256" | "ES256" | "EdDSA" | "ES384", kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid };
  return { alg, kid, privateKey: privateKey as CryptoKey, publicJwk };
}

export interface SignOptions {
  /** Header fields; `kid: null` leaves the kid out. */
  header?: Record<string, unknown> & { kid?: string | null };
}

/** Sign `claims` exactly as given (no defaults added) with `key`. */
export async function sign(key: TestKey, claims: JWTPayload & Record<string, unknown>, opts: SignOptions = {}): Promise<string> {
  const { kid: kidOverride, ...rest } = opts.header ?? {};
  const header: Record<string, unknown> = { alg: key.alg, ...rest };
  const kid = kidOverride === undefined ? key.kid : kidOverride;
  if (kid !== null) header.kid = kid;
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}

/** An HMAC-signed token (the backend never accepts these). */
export async function signHs256(claims: JWTPayload & Record<string, unknown>, kid = "hs"): Promise<string> {
  const secret = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!");
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid }).sign(secret);
}

/** Serve an OIDC discovery document (issuer = `issuer ?? url`) and a JWKS at /jwks.json. */
export function serveOidc(server: TestServer, keys: JWK[], opts: { issuer?: string; prefix?: string } = {}): string {
  const prefix = opts.prefix ?? "";
  const issuer = opts.issuer ?? `${server.url}${prefix}`;
  server.json(`${prefix}/.well-known/openid-configuration`, { issuer, jwks_uri: `${server.url}${prefix}/jwks.json` });
  server.json(`${prefix}/jwks.json`, { keys });
  return issuer;
}

export function oidc(domain: string, applicationID: string, index = 0): OidcProvider {
  return { type: "oidc", domain, applicationID, index };
}

export function customJwt(
  issuer: string,
  jwks: string,
  opts: { applicationID?: string; algorithm?: "RS256" | "ES256"; index?: number } = {},
): CustomJwtProvider {
  const p: CustomJwtProvider = { type: "customJwt", issuer, jwks, algorithm: opts.algorithm ?? "RS256", index: opts.index ?? 0 };
  if (opts.applicationID !== undefined) p.applicationID = opts.applicationID;
  return p;
}

export const NOW = 1_800_000_000;

export function keySource(policy: FetchPolicy = allowAll()): KeySource {
  return createKeySource({ fetch: globalThis.fetch, policy });
}

export function denyAll(): FetchPolicy {
  return { allows: () => ({ ok: false, reason: "the fetch policy does not allow it (test)" }) };
}

export async function predict(token: string, providers: Provider[], opts: { now?: number; prod?: boolean; keys?: KeySource | null } = {}): Promise<Verdict> {
  return predictVerdict(token, providers, { now: opts.now ?? NOW, prod: opts.prod, keys: opts.keys === undefined ? keySource() : opts.keys });
}

export function ids(v: Verdict): string[] {
  return v.findings.map((f) => f.id);
}

export function dataUrl(json: unknown): string {
  return `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify(json)).toString("base64")}`;
}
