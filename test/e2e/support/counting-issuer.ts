/**
 * Loopback servers for the fetch-policy specs: `listen()` (127.0.0.1:0, `close()` also drops the keep-alive
 * sockets Chromium holds), and an OIDC issuer that COUNTS every request it receives — discovery at
 * `/.well-known/openid-configuration`, its JWKS at `/jwks` (cacheable, so a re-run prediction does not ask again),
 * 404 for anything else — with a jose-signed token for it.
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

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface CountingIssuer extends Listening {
  /** Every request path received, in order. */
  hits: string[];
  /** A fresh RS256 token from this issuer (aud "convex", valid 10 minutes). */
  token(sub: string): Promise<string>;
}

export const DISCOVERY_PATH = "/.well-known/openid-configuration";

export async function startCountingIssuer(): Promise<CountingIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const hits: string[] = [];
  const l: Listening = await listen((req, res) => {
    hits.push(req.url ?? "");
    const body = req.url === DISCOVERY_PATH ? { issuer: l.base, jwks_uri: `${l.base}/jwks` } : req.url === "/jwks" ? { keys: [jwk] } : null;
    // No CORS headers, like many real issuers: the extension reads them through its host access.
    res.writeHead(body ? 200 : 404, { "Content-Type": "application/json", "Cache-Control": "public, max-age=600" });
    res.end(JSON.stringify(body ?? {}));
  });
  return {
    ...l,
    hits,
    token: async (sub) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub, aud: "convex", iat: now, exp: now + 600 })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k1" })
        .setIssuer(l.base)
        .sign(privateKey);
    },
  };
}
