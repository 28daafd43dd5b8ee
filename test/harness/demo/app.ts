// Demo page script: the REAL convex client in a browser, driven by ?scenario=…
// ConvexClient (convex/browser) is used for the socket: ConvexReactClient would need React, which we do not ship.
// Everything from the server is shown with textContent only.
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";

/** deploymentUrl null: the page's own origin is the deployment (works with --host-resolver-rules too). */
type DemoConfig = { scenario: string; deploymentUrl: string | null; tokenUrl: string; adminKey?: string };

/** What the page knows, mirrored into #status (one word) and #detail (JSON) for tests. */
type DemoState = {
  scenario: string;
  status: string;
  authChanges: boolean[];
  whoami: unknown[];
  tokenFetches: boolean[];
  errors: string[];
  http?: unknown;
};

declare global {
  interface Window {
    __HARNESS_DEMO__: DemoConfig;
    __demo: DemoState;
  }
}

const config = window.__HARNESS_DEMO__;
const deploymentUrl = config.deploymentUrl ?? location.origin;
const state: DemoState = { scenario: config.scenario, status: "loading", authChanges: [], whoami: [], tokenFetches: [], errors: [] };
window.__demo = state;
const session = Math.random().toString(36).slice(2);

function render(status?: string): void {
  if (status) state.status = status;
  document.getElementById("status")!.textContent = state.status;
  document.getElementById("detail")!.textContent = JSON.stringify(state, null, 2).slice(0, 20000);
}

// The client logs "Failed to authenticate: …" through its logger; keep the lines for the page.
const logger = {
  logVerbose: () => {},
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => {
    state.errors.push(args.map(String).join(" ").slice(0, 2000));
    console.error(...args);
    render(config.scenario !== "admin-key" && config.scenario !== "http-401" ? socketStatus() : undefined);
  },
};

/** Like an IdP SDK's getToken(): asks the local IdP route for a token. */
async function fetchToken({ forceRefreshToken }: { forceRefreshToken: boolean }): Promise<string | null> {
  state.tokenFetches.push(forceRefreshToken);
  const res = await fetch(`${config.tokenUrl}?scenario=${encodeURIComponent(config.scenario)}&n=${session}`);
  if (!res.ok) return null;
  const body = (await res.json()) as { token: string | null };
  return body.token;
}

const hasIdentity = (v: unknown) => v !== null && typeof v === "object" && "tokenIdentifier" in v;

/** Socket scenarios: the status follows the client's own signals (onChange, query results, logger errors). */
function socketStatus(): string {
  const lastAuth = state.authChanges[state.authChanges.length - 1];
  const lastWhoami = state.whoami[state.whoami.length - 1];
  if (lastAuth === false) return state.errors.some((e) => e.startsWith("Failed to authenticate")) ? "auth-failed" : "signed-out";
  if (lastAuth === true) return hasIdentity(lastWhoami) ? "authenticated" : "auth-confirmed";
  if (state.whoami.length > 0) return "answered-before-auth";
  return "loading";
}

function socketScenario(subscribeFirst: boolean): void {
  const client = new ConvexClient(deploymentUrl, { logger });
  const onAuthChange = (isAuthenticated: boolean) => {
    state.authChanges.push(isAuthenticated);
    render(socketStatus());
  };
  let authStarted = !subscribeFirst;
  client.onUpdate(
    anyApi.users!.whoami!,
    {},
    (value: unknown) => {
      state.whoami.push(value);
      render(socketStatus());
      if (!authStarted) {
        // queries-before-auth: the first answer came without a token; only now call setAuth.
        authStarted = true;
        void client.setAuth(fetchToken, onAuthChange);
      }
    },
    (e: Error) => {
      state.errors.push(e.message);
      render("query-error");
    },
  );
  if (!subscribeFirst) void client.setAuth(fetchToken, onAuthChange);
}

/** fetch-token-hangs: like an auth SDK whose getToken never settles; the app subscribes as usual. */
function hangingFetchScenario(): void {
  const client = new ConvexClient(deploymentUrl, { logger });
  client.onUpdate(anyApi.users!.whoami!, {}, (value: unknown) => {
    state.whoami.push(value);
    render(socketStatus());
  });
  void client.setAuth(
    ({ forceRefreshToken }) => {
      state.tokenFetches.push(forceRefreshToken);
      render("fetching-token");
      return new Promise<string | null>(() => {});
    },
    (ok) => {
      state.authChanges.push(ok);
      render(socketStatus());
    },
  );
}

/** How long the network stays down in stale-token-on-reconnect (longer than the IdP's first token lives). */
const OUTAGE_MS = 6000;

/**
 * stale-token-on-reconnect: once the cached token is confirmed, the network drops (the harness ends every sync
 * socket and refuses new ones); when it is back the browser fires `online` and the client reconnects at once,
 * re-sending its stored token, which expired meanwhile.
 */
function staleTokenScenario(): void {
  const client = new ConvexClient(deploymentUrl, { logger });
  let phase: "before" | "down" | "back" = "before";
  client.onUpdate(anyApi.users!.whoami!, {}, (value: unknown) => {
    state.whoami.push(value);
    if (phase === "before") render(socketStatus());
  });
  void client.setAuth(fetchToken, (ok) => {
    state.authChanges.push(ok);
    if (ok && phase === "before") {
      phase = "down";
      render("network-down");
      void fetch(`/harness/outage?ms=${OUTAGE_MS}`).then(() =>
        setTimeout(() => {
          phase = "back";
          if (state.status === "network-down") render("network-back");
          window.dispatchEvent(new Event("online"));
        }, OUTAGE_MS + 200),
      );
    } else if (phase !== "before") render(ok ? "reauthenticated" : socketStatus());
  });
}

/** When sign-out-after-sign-in signs out, counted from the first confirmation. */
const SIGN_OUT_AFTER_MS = 3000;

/** sign-out-after-sign-in: initialAuthTokenReuse skips the refetch, so the None follows the confirmation directly. */
function signOutScenario(): void {
  const client = new ConvexClient(deploymentUrl, { logger, initialAuthTokenReuse: true });
  let signedOut = false;
  client.onUpdate(anyApi.users!.whoami!, {}, (value: unknown) => {
    state.whoami.push(value);
    render(signedOut ? (value === null ? "signed-out" : "signing-out") : socketStatus());
  });
  void client.setAuth(fetchToken, (ok) => {
    state.authChanges.push(ok);
    render(socketStatus());
    if (ok && !signedOut)
      setTimeout(() => {
        signedOut = true;
        // What ConvexProviderWithAuth's effect cleanup does on sign-out: Authenticate{tokenType:"None"}.
        client.client.clearAuth();
        render("signing-out");
      }, SIGN_OUT_AFTER_MS);
  });
}

/** How long late-client waits before it creates its Convex client. */
const LATE_CLIENT_MS = 6000;

/** setAdminAuth exists at runtime but is stripped from the published types (@internal). */
type AdminAuthable = { setAdminAuth(key: string): void };

async function adminScenario(): Promise<void> {
  const key = config.adminKey ?? "";
  const client = new ConvexClient(deploymentUrl, { logger });
  // setAdminAuth is @internal but public on BaseConvexClient: this is exactly the leak to detect.
  (client.client as unknown as AdminAuthable).setAdminAuth(key);
  // A plain admin has no user identity: whoami answers null (reference §6).
  client.onUpdate(anyApi.users!.whoami!, {}, (value: unknown) => {
    state.whoami.push(value);
    render(adminStatus());
  });
  const http = new ConvexHttpClient(deploymentUrl, { logger });
  (http as unknown as AdminAuthable).setAdminAuth(key);
  try {
    state.http = await http.query(anyApi.messages!.list!, {});
  } catch (e) {
    state.http = { error: e instanceof Error ? e.message : String(e) };
  }
  render(adminStatus());
}

/** admin-ok once both the socket (Authenticate Admin) and HTTP (Authorization: Convex …) answered. */
function adminStatus(): string {
  const httpOk = state.http !== undefined && !(state.http !== null && typeof state.http === "object" && "error" in state.http);
  if (state.http !== undefined && !httpOk) return "admin-http-error";
  return state.whoami.length > 0 && httpOk ? "admin-ok" : "admin-pending";
}

async function http401Scenario(): Promise<void> {
  const token = await fetchToken({ forceRefreshToken: false });
  const http = new ConvexHttpClient(deploymentUrl, { logger });
  if (token) http.setAuth(token);
  try {
    state.http = { value: await http.query(anyApi.users!.whoami!, {}) };
    render("http-ok");
  } catch (e) {
    // ConvexHttpClient throws new Error(await response.text()): the message is the raw {code,message} body.
    state.http = { error: e instanceof Error ? e.message : String(e) };
    render("http-error");
  }
}

async function httpWhoami(): Promise<void> {
  const token = await fetchToken({ forceRefreshToken: false });
  const http = new ConvexHttpClient(deploymentUrl, { logger });
  if (token) http.setAuth(token);
  try {
    state.http = { value: await http.query(anyApi.users!.whoami!, {}) };
  } catch (e) {
    state.http = { error: e instanceof Error ? e.message : String(e) };
  }
  render();
}

render();
switch (config.scenario) {
  case "admin-key":
    void adminScenario();
    break;
  case "http-401":
    void http401Scenario();
    break;
  case "queries-before-auth":
    socketScenario(true);
    break;
  case "good":
    socketScenario(false);
    void httpWhoami();
    break;
  case "fetch-token-hangs":
    hangingFetchScenario();
    break;
  case "stale-token-on-reconnect":
    staleTokenScenario();
    break;
  case "sign-out-after-sign-in":
    signOutScenario();
    break;
  case "late-client":
    render("waiting-to-create-client");
    setTimeout(() => socketScenario(false), LATE_CLIENT_MS);
    break;
  default:
    socketScenario(false);
}
