/**
 * The panel's fetch policy on a real page: a token's page-chosen `iss` is never fetched while no provider list
 * names it; once a pasted config names it, discovery and the JWKS it names are fetched and the signature is
 * checked (the issuer serves no CORS headers: Chromium lets the extension read it through the host access its
 * http/https content scripts already have). The token is signed with jose at test time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { WebSocketServer } from "ws";
import { expect, test } from "../fixtures.ts";
import { pasteConfig, viewOf, waitForPanel } from "./panel-view.ts";

/** A minimal HTTP server on 127.0.0.1:0; `close()` also drops keep-alive sockets (Chromium keeps them). */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

let issuer: Awaited<ReturnType<typeof listen>>;
let site: Awaited<ReturnType<typeof listen>>;
let wss: WebSocketServer;
let issuerHits: string[] = [];
let token = "";

test.beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  // An OIDC issuer that serves its documents WITHOUT CORS headers (many real ones do the same).
  issuer = await listen((req, res) => {
    issuerHits.push(req.url ?? "");
    const body =
      req.url === "/.well-known/openid-configuration" ? { issuer: issuer.base, jwks_uri: `${issuer.base}/jwks` } : req.url === "/jwks" ? { keys: [jwk] } : null;
    res.writeHead(body ? 200 : 404, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body ?? {}));
  });
  const now = Math.floor(Date.now() / 1000);
  token = await new SignJWT({ sub: "user_policy", aud: "convex", iat: now, exp: now + 600 })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k1" })
    .setIssuer(issuer.base)
    .sign(privateKey);
  // A page that authenticates a sync socket with that token (what ConvexClient.setAuth puts on the wire).
  site = await listen((req, res) => {
    // /garbage: an app whose fetchToken returns an opaque session id instead of a JWT.
    const value = req.url === "/garbage" ? "opaque-session-4f9c2a7e" : token;
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>policy</title><script>
      const ws = new WebSocket('ws://' + location.host + '/api/1.48.0/sync');
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'Connect', sessionId: 's', connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
        ws.send(JSON.stringify({ type: 'Authenticate', tokenType: 'User', value: ${JSON.stringify(value)}, baseVersion: 0 }));
      };
    </script>`);
  });
  wss = new WebSocketServer({ server: site.server });
  wss.on("connection", (ws) => ws.on("message", () => {}));
});

test.afterAll(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  await site?.close();
  await issuer?.close();
});

test("page-chosen iss is not fetched until a config names it; then keys are fetched and checked", async ({ page, openPanelTab }) => {
  issuerHits = [];
  await page.goto(`${site.base}/policy`);
  const tab = await openPanelTab(page);
  const view = viewOf(tab);

  // No provider list known: the verdict is honestly unknown and nothing was fetched from the token's iss.
  await waitForPanel(view, (s) => s.verdict === "unknown" && s.connections.length === 1, "an unknown verdict");
  await expect(tab.getByTestId("verdict")).toHaveAttribute("data-reason", "no-providers");
  await tab.waitForTimeout(500);
  expect(issuerHits).toEqual([]);

  // The user's config names the issuer: its discovery document and JWKS may be fetched now.
  await pasteConfig(view, JSON.stringify({ providers: [{ domain: issuer.base, applicationID: "convex" }] }));
  const s = await waitForPanel(view, (x) => x.providersSource === "config" && x.verdict === "accepted", "the accepted verdict");
  expect(s.findings.map((f) => f.id)).toContain("identity-preview");
  expect(issuerHits).toContain("/.well-known/openid-configuration");
  expect(issuerHits).toContain("/jwks");
  // Nothing else was requested from the issuer.
  expect(issuerHits.filter((u) => u !== "/.well-known/openid-configuration" && u !== "/jwks")).toEqual([]);
});

test("with no provider list known, a token no list could save is already rejected, with the backend's text", async ({ page, openPanelTab }) => {
  await page.goto(`${site.base}/garbage`);
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  const s = await waitForPanel(view, (x) => x.verdict === "rejected", "a rejected verdict without any config");
  expect(s.providersSource).not.toBe("config");
  expect(s.expectedCode).toBe("InvalidAuthHeader");
  expect(s.expectedMessage).toBe(
    "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.",
  );
  expect(s.findings.map((f) => f.id)).toContain("not-a-jwt");
});
