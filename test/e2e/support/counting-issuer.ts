/**
 * Loopback servers for the fetch-policy specs: `listen()` (127.0.0.1:0 unless told another address; `close()` also
 * drops the keep-alive sockets Chromium holds), and an OIDC issuer that COUNTS every request it receives —
 * discovery at `/.well-known/openid-configuration`, its JWKS at `/jwks` (cacheable, so a re-run prediction does not
 * ask again), 404 for anything else — with a jose-signed token for it. With `jwksElsewhere` the JWKS lives on a
 * second counting server (another origin), and the discovery document's `jwks_uri` names that one; with
 * `discoveryRedirectsTo` discovery answers 302 to that URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface Listening {
  server: Server;
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host = "127.0.0.1"): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    base: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface Counting extends Listening {
  /** Every request path received, in order. */
  hits: string[];
}

export interface CountingIssuer extends Counting {
  /** A fresh RS256 token from this issuer (aud "convex", valid 10 minutes). */
  token(sub: string): Promise<string>;
  /** The server holding the JWKS when it is on another origin (`jwksElsewhere`), else null. */
  keys: Counting | null;
}

export const DISCOVERY_PATH = "/.well-known/openid-configuration";

/** A counting server answering JSON bodies by path (404 for the rest), without CORS headers like many real issuers. */
async function counting(bodyFor: (path: string) => unknown, redirects: Map<string, string> = new Map()): Promise<Counting> {
  const hits: string[] = [];
  const l = await listen((req, res) => {
    hits.push(req.url ?? "");
    const location = redirects.get(req.url ?? "");
    if (location !== undefined) {
      res.writeHead(302, { Location: location });
      res.end();
      return;
    }
    const body = bodyFor(req.url ?? "");
    res.writeHead(body ? 200 : 404, { "Content-Type": "application/json", "Cache-Control": "public, max-age=600" });
    res.end(JSON.stringify(body ?? {}));
  });
  return { ...l, hits };
}

export async function startCountingIssuer(opts: { jwksElsewhere?: boolean; discoveryRedirectsTo?: string } = {}): Promise<CountingIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const jwks = (path: string) => (path === "/jwks" ? { keys: [jwk] } : null);
  const keys = opts.jwksElsewhere ? await counting(jwks) : null;
  const redirects = new Map(opts.discoveryRedirectsTo ? [[DISCOVERY_PATH, opts.discoveryRedirectsTo]] : []);
  const issuer: Counting = await counting(
    (path) => (path === DISCOVERY_PATH ? { issuer: issuer.base, jwks_uri: `${(keys ?? issuer).base}/jwks` } : keys ? null : jwks(path)),
    redirects,
  );
  return {
    ...issuer,
    keys,
    close: async () => {
      await keys?.close();
      await issuer.close();
    },
    token: async (sub) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub, aud: "convex", iat: now, exp: now + 600 })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k1" })
        .setIssuer(issuer.base)
        .sign(privateKey);
    },
  };
}
