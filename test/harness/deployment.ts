// A local Convex-like deployment on 127.0.0.1: the sync WebSocket, the /api HTTP routes, local token
// issuers and the demo pages, all on one HTTP server (with `hostNames`, plus a TLS listener with the same
// handlers, for the issuers' https names). It validates tokens itself (validate.ts, jose);
// it imports nothing from src/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { bundleDemo, demoIndexHtml, demoPageHtml } from "./demo-page.ts";
import type { HarnessStore } from "./functions.ts";
import { AUTH0_HOST, CLERK_HOST, DEPLOYMENT_HOST, harnessTls, WORKOS_HOST } from "./host-names.ts";
import { handleApiRequest, type HttpRecord } from "./http-api.ts";
import { createIssuers, type Issuers } from "./issuers.ts";
import { createLocalNameFetch } from "./local-fetch.ts";
import { createScenarioMinter, demoProviders, isScenario, SCENARIOS, type Scenario } from "./scenarios.ts";
import { isSetupScenario, setupOfHost, setupProviders, SETUP_SLUG } from "./setups.ts";
import { SyncSession, type ConnectionRecord } from "./sync.ts";
import { createTsClock } from "./u64.ts";
import { normalizeProvider, type HarnessProvider } from "./validate.ts";

export type { HarnessProvider } from "./validate.ts";
export type { ConnectionRecord } from "./sync.ts";
export type { HttpRecord } from "./http-api.ts";

export type ProviderList = HarnessProvider[] | ((issuers: Issuers, base: string) => HarnessProvider[]);

export type HarnessOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The `_auth` rows in stored order; default: the demo's Clerk-like OIDC + WorkOS customJwt pair. */
  providers?: ProviderList;
  /** Prod-style redacted error texts (default false: dev-deployment texts). */
  redact?: boolean;
  /** Server clock in ms (token checks, expiry, clientClockSkew). */
  now?: () => number;
  /** Idle time before a `{"type":"Ping"}` (default 15000, as the backend). */
  pingIdleMs?: number;
  /** Expiry re-check period for subscribed sessions (default 1000). */
  expiryCheckMs?: number;
  /** Bundle and serve the demo pages (default true; tests that do not need them can skip the esbuild step). */
  demo?: boolean;
  /** Deployment URL the demo pages give the convex client; default: the page's own origin (or, with
   * `hostNames`, the convex.cloud name). */
  publicUrl?: string;
  /**
   * Present real-looking host names, all answered by this harness (default false: everything on 127.0.0.1):
   * the Clerk-like issuer at `https://fine-gull-12.clerk.accounts.dev:<tlsPort>`, the WorkOS-like pair at
   * `https://api.workos.com:<tlsPort>/` and `…/user_management/<clientId>`, and the deployment at
   * `http://happy-otter-123.convex.cloud:<port>`. Issuers speak TLS because browsers preload HSTS for `.dev`
   * and `workos.com`. Browsers need support/chromium.ts's flags; the harness's own key fetches resolve the
   * names itself. The demo pages stay on `http://127.0.0.1:<port>`, like an app on a developer's machine.
   */
  hostNames?: boolean;
  /** Lifetime (s) of the scenarios' normal tokens (default 300); the HAR captures want years (e2e/support/chrome-har.ts). */
  tokenLifetimeS?: number;
};

export type Harness = {
  /** Deployment address for the convex client, e.g. `http://127.0.0.1:43125` (with `hostNames`,
   * `http://happy-otter-123.convex.cloud:43125`). */
  url: string;
  port: number;
  /** With `hostNames`: the TLS port the issuers answer on (same handler as `port`); otherwise null. */
  tlsPort: number | null;
  /**
   * fetch that reaches this harness's host names on 127.0.0.1 (trusting its TLS certificate) and passes any
   * other URL to the global fetch. The harness validates tokens with it.
   */
  fetch: typeof fetch;
  /** This deployment's admin key, `dev:harness|<random base64>`. Never print it unmasked outside tests. */
  adminKey: string;
  issuers: Issuers;
  /** Current stored provider list (normalized). */
  readonly providers: HarnessProvider[];
  setProviders(list: ProviderList): void;
  /** Every sync socket and /api call seen, in order (memory only). */
  connections: ConnectionRecord[];
  httpRequests: HttpRecord[];
  /** Token the demo IdP would hand out for a scenario (same `session` → same token where the scenario caches). */
  tokenFor(scenario: Scenario, session?: string): Promise<string | null>;
  demoUrl(scenario: Scenario): string;
  /**
   * A network outage of `ms`: every open sync socket is dropped without a close frame and new sync sockets are
   * refused (HTTP 503) until it ends. The demo page of `stale-token-on-reconnect` asks for one over
   * `GET /harness/outage?ms=N`.
   */
  outage(ms: number): void;
  scenarios: readonly Scenario[];
  close(): Promise<void>;
};

const SYNC_PATH = /^\/api\/(\d+\.\d+\.\d+[^/]*\/)?sync$/;
const API_PATH = /^\/api\/(query|mutation|action|function)$/;
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Convex-Client",
  "Access-Control-Max-Age": "600",
};
const MAX_RECORDS = 5000;
const MAX_OUTAGE_MS = 60_000;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const now = opts.now ?? Date.now;
  const nextTs = createTsClock(now);
  const store: HarnessStore = { messages: [] };
  const adminKey = `dev:harness|${randomBytes(24).toString("base64")}`;
  const redact = opts.redact ?? false;
  const pingIdleMs = opts.pingIdleMs ?? 15_000;
  const expiryCheckMs = opts.expiryCheckMs ?? 1000;
  const demoScript = opts.demo === false ? null : await bundleDemo();
  const sessions = new Set<SyncSession>();
  const connections: ConnectionRecord[] = [];
  const httpRequests: HttpRecord[] = [];
  let providers: HarnessProvider[] = [];
  // Filled in once the port is known (issuers' URLs contain it).
  let issuers!: Issuers;
  let tokenFor!: Harness["tokenFor"];

  let outageUntil = 0;
  const outage = (ms: number) => {
    outageUntil = Date.now() + Math.max(0, Math.min(ms, MAX_OUTAGE_MS));
    for (const s of sessions) s.drop();
  };

  /** The `_auth` rows of the deployment a request's Host names: a setup's own (setups.ts), else the list. */
  const providersForHost = (host: string | undefined) => {
    const setup = opts.hostNames && host ? setupOfHost(host) : null;
    return setup ? setupProviders(setup, issuers).map(normalizeProvider) : providers;
  };

  const refreshOthers = (origin?: SyncSession) => {
    for (const s of sessions) if (s !== origin) s.refresh();
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: "InternalServerError", message: "Your request couldn't be completed. Try again later.", harness: String(e) }));
    });
  };
  const server = createServer(onRequest);

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://harness.invalid");
    const host = req.headers.host ?? "";
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (req.method === "OPTIONS") {
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === "GET" && issuers.handle(host, url.pathname, res)) return;
    // An issuer's host answers only its issuer routes, like the real one.
    if (issuers.isIssuerHost(host)) return text(res, 404, `No route for ${req.method} ${url.pathname} on ${host}`);
    const api = API_PATH.exec(url.pathname);
    if (api && req.method === "POST") {
      const record = await handleApiRequest(req, res, api[1] as "query", url, {
        providers: () => providersForHost(host),
        adminKey,
        redact,
        now,
        store,
        onDataChanged: () => refreshOthers(),
        fetch: localFetch,
      });
      if (httpRequests.length < MAX_RECORDS) httpRequests.push(record);
      return;
    }
    if (req.method === "GET" && url.pathname === "/harness/outage") {
      const ms = Number(url.searchParams.get("ms"));
      if (!Number.isFinite(ms) || ms < 0) return text(res, 400, "ms must be a non-negative number of milliseconds");
      outage(ms);
      return text(res, 200, `sync sockets dropped; new ones refused for ${Math.min(ms, MAX_OUTAGE_MS)} ms`);
    }
    if (req.method === "GET" && url.pathname === "/idp/token") {
      const scenario = url.searchParams.get("scenario");
      if (!isScenario(scenario)) return text(res, 400, `unknown scenario ${JSON.stringify(scenario)}; known: ${SCENARIOS.join(", ")}`);
      const token = await tokenFor(scenario, url.searchParams.get("n") ?? "");
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify({ token }));
      return;
    }
    if (req.method === "GET" && demoScript !== null && (url.pathname === "/demo/" || url.pathname === "/demo")) {
      const scenario = url.searchParams.get("scenario");
      if (scenario === null) return html(res, demoIndexHtml(harness.url));
      if (!isScenario(scenario)) return text(res, 400, `unknown scenario ${JSON.stringify(scenario)}; known: ${SCENARIOS.join(", ")}`);
      if (isSetupScenario(scenario) && !opts.hostNames) return text(res, 400, `scenario ${scenario} runs on its own deployment name: start the harness with host names`);
      return html(res, demoPageHtml({
        scenario,
        deploymentUrl: isSetupScenario(scenario) ? `http://${SETUP_SLUG[scenario]}.convex.cloud:${port}` : opts.publicUrl ?? (opts.hostNames ? deploymentUrl : null),
        tokenUrl: "/idp/token",
        // Only this scenario puts the admin key into a page, to show what the inspector flags.
        ...(scenario === "admin-key" ? { adminKey } : {}),
      }));
    }
    if (req.method === "GET" && demoScript !== null && url.pathname === "/demo/app.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" });
      res.end(demoScript);
      return;
    }
    if (req.method === "GET" && url.pathname === "/") return html(res, demoIndexHtml(harness.url));
    text(res, 404, `No route for ${req.method} ${url.pathname}`);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://harness.invalid").pathname;
    if (!SYNC_PATH.test(path)) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    if (Date.now() < outageUntil) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const record: ConnectionRecord = { id: connections.length, path, openedAt: Date.now(), frames: [] };
      if (connections.length < MAX_RECORDS) connections.push(record);
      const session = new SyncSession(ws, {
        providers: () => providersForHost(req.headers.host),
        adminKey,
        redact,
        now,
        nextTs,
        store,
        pingIdleMs,
        expiryCheckMs,
        onDataChanged: refreshOthers,
        fetch: localFetch,
      }, record);
      sessions.add(session);
      ws.on("close", () => sessions.delete(session));
    });
  };
  server.on("upgrade", onUpgrade);

  // With host names, a TLS listener with the same handlers serves the issuers under their https names.
  const tlsServer = opts.hostNames ? createTlsServer({ key: harnessTls().key, cert: harnessTls().cert }, onRequest) : null;
  tlsServer?.on("upgrade", onUpgrade);
  const localFetch = opts.hostNames ? createLocalNameFetch(harnessTls().cert) : fetch;

  const port = await listen(server, opts.port ?? 0);
  const tlsPort = tlsServer ? await listen(tlsServer, 0) : null;
  const base = `http://127.0.0.1:${port}`;
  const deploymentUrl = opts.hostNames ? `http://${DEPLOYMENT_HOST}:${port}` : base;
  issuers = await createIssuers(
    base,
    tlsPort === null
      ? undefined
      : {
          clerk: `https://${CLERK_HOST}:${tlsPort}`,
          workos: `https://${WORKOS_HOST}:${tlsPort}`,
          auth0: `https://${AUTH0_HOST}:${tlsPort}`,
          convexAuthSite: `https://${SETUP_SLUG["good-convex-auth"]}.convex.site:${tlsPort}`,
          betterAuthSite: `https://${SETUP_SLUG["good-better-auth"]}.convex.site:${tlsPort}`,
        },
  );
  tokenFor = (() => {
    const mint = createScenarioMinter(issuers, base, now, opts.tokenLifetimeS);
    return (scenario: Scenario, session = "default") => mint(scenario, session);
  })();
  const resolveProviders = (list: ProviderList) =>
    (typeof list === "function" ? list(issuers, base) : list).map(normalizeProvider);
  providers = resolveProviders(opts.providers ?? demoProviders);

  const harness: Harness = {
    url: deploymentUrl,
    port,
    tlsPort,
    fetch: localFetch,
    adminKey,
    issuers,
    get providers() {
      return providers;
    },
    setProviders(list) {
      providers = resolveProviders(list);
    },
    connections,
    httpRequests,
    tokenFor,
    demoUrl: (scenario) => `${base}/demo/?scenario=${scenario}`,
    outage,
    scenarios: SCENARIOS,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all([server, tlsServer].map((s) => s && new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
    },
  };
  return harness;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(body);
}

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(body);
}
