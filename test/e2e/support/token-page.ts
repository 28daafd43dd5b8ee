/**
 * A page that authenticates a sync socket the way `ConvexClient.setAuth` puts it on the wire (Connect, then
 * Authenticate with a token), served with its own sync endpoint. `tokenFor` picks the token by the Host and path the
 * page was loaded under; `onAuthenticate` answers (or not) as the test's backend.
 */
import { WebSocketServer, type WebSocket } from "ws";
import { listen, type Listening } from "./counting-issuer.ts";

export interface TokenPage extends Listening {
  close(): Promise<void>;
}

export async function startTokenPage(opts: {
  tokenFor: (host: string, path: string) => string;
  onAuthenticate?: (ws: WebSocket, host: string) => void;
  /** The address to listen on (default 127.0.0.1; "0.0.0.0" for every address of this machine). */
  host?: string;
}): Promise<TokenPage> {
  const site = await listen((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>token page</title><script>
      const ws = new WebSocket('ws://' + location.host + '/api/1.48.0/sync');
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'Connect', sessionId: 's', connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
        ws.send(JSON.stringify({ type: 'Authenticate', tokenType: 'User', value: ${JSON.stringify(opts.tokenFor(req.headers.host ?? "", req.url ?? "/"))}, baseVersion: 0 }));
      };
    </script>`);
  }, opts.host);
  const wss = new WebSocketServer({ server: site.server });
  wss.on("connection", (ws, req) =>
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type?: string };
      if (msg.type === "Authenticate") opts.onAuthenticate?.(ws, req.headers.host ?? "");
    }),
  );
  return {
    ...site,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await site.close();
    },
  };
}

/**
 * A dev backend's NoAuthProvider text (reference §4.1) listing the providers a (hostile) page chose: an OIDC
 * issuer at `base`, and a CustomJWT item with a `jwks=` URL there.
 */
export function noAuthProviderText(base: string): string {
  return (
    "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: " +
    `[OIDC(domain=${base}, app_id=convex), CustomJWT(issuer=${base}/cj, jwks=${base}/cj-jwks, app_id=none)]`
  );
}

/** Answers every Authenticate as that backend: the AuthError, then the socket closes. */
export function answerNoAuthProvider(base: (host: string) => string): (ws: WebSocket, host: string) => void {
  return (ws, host) => {
    ws.send(JSON.stringify({ type: "AuthError", error: noAuthProviderText(base(host)), baseVersion: 0, authUpdateAttempted: true }));
    ws.close();
  };
}
