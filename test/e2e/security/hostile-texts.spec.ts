/**
 * Hostile page (issue 7 point 4): its sync server answers with AuthError texts named like Object.prototype
 * members (`constructor`, `__proto__`, `toString`, which threw in classifyBackendError and lost a batch) and a
 * 1 MB `a-a-…` text (quadratic redaction froze Export), and the page sends a token whose claims nest 100 000
 * levels (the identity preview overflowed the stack). The real extension and panel keep working: a later
 * event still shows, no AuthError row is missing, and Export completes (no stopwatch: a loaded machine trips one;
 * test/unit/session/hostile-export.test.ts guards the export's cost on a 4 MB hostile session, the bench measures it).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { WebSocketServer } from "ws";
import { expect, test } from "../fixtures.ts";
import { viewOf, waitForPanel } from "../panel/panel-view.ts";

const HOSTILE_TEXTS = ["constructor", "__proto__", "toString", "a-".repeat(500_000)];
const FINAL_TEXT = "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.";

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const DEPTH = 100_000;
const DEEP_TOKEN = `${b64('{"alg":"RS256","kid":"k1"}')}.${b64(`{"iss":"https://issuer.example","sub":"deep","aud":"app","iat":1,"exp":9999999999,"deep":${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}}`)}.c2ln`;

/** The page: a bare WebSocket speaking the sync protocol, one Authenticate per server answer. */
const PAGE = (token: string) => `<!doctype html><meta charset="utf-8"><title>hostile</title><div id="status">starting</div>
<script>
const token = ${JSON.stringify(token)};
const ws = new WebSocket("ws://" + location.host + "/api/1.17.0/sync");
let base = 0;
const auth = () => ws.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: token, baseVersion: base++ }));
ws.onopen = () => {
  ws.send(JSON.stringify({ type: "Connect", sessionId: "00000000-0000-4000-8000-000000000000", connectionCount: 0, lastCloseReason: null }));
  auth();
};
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  document.getElementById("status").textContent = "answers:" + base;
  if (msg.last) document.getElementById("status").textContent = "done";
  else if (!msg.final) auth();
};
window.sendFinal = () => auth();
</script>`;

let server: http.Server;
let origin: string;
test.beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE(DEEP_TOKEN));
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => {
    let n = 0;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type: string; baseVersion?: number };
      if (msg.type !== "Authenticate") return;
      const i = n++;
      const error = i < HOSTILE_TEXTS.length ? HOSTILE_TEXTS[i]! : FINAL_TEXT;
      // `final`/`last` are for the page script only: a hostile server adds what it likes.
      ws.send(JSON.stringify({ type: "AuthError", error, baseVersion: msg.baseVersion ?? 0, authUpdateAttempted: true, final: i === HOSTILE_TEXTS.length - 1, last: i >= HOSTILE_TEXTS.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const authErrorRows = `Array.from(document.querySelectorAll('[data-testid="timeline-row"][data-kind="auth-error"]')).map((e) => e.textContent)`;

test("the panel survives crafted AuthError texts and deep claims, shows later events, exports everything", async ({ page, openPanelTab }) => {
  test.setTimeout(120_000);
  await page.goto(`${origin}/`);
  await expect(page.locator("#status")).toHaveText(`answers:${HOSTILE_TEXTS.length}`, { timeout: 30_000 });

  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  await waitForPanel(view, (s) => s.timelineRows >= HOSTILE_TEXTS.length, "the hostile AuthErrors in the timeline", 30_000);
  // The three short texts are AuthErrors. The 1 MB one is captured as head and tail only (the hook's frame
  // bound): it has no timeline row, and the export below proves it was kept.
  await expect.poll(async () => (await view.eval<string[]>(authErrorRows)).length, { timeout: 15_000 }).toBe(3);
  let rows = await view.eval<string[]>(authErrorRows);
  for (const text of ["constructor", "__proto__", "toString"]) expect(rows.some((r) => r.includes(`token rejected): ${text}`))).toBe(true);

  // A later event, while the panel is open, still shows: nothing in the pipeline broke.
  await page.evaluate("window.sendFinal()");
  await expect(page.locator("#status")).toHaveText("done");
  await expect.poll(async () => (await view.eval<string[]>(authErrorRows)).length, { timeout: 15_000 }).toBe(4);
  rows = await view.eval<string[]>(authErrorRows);
  expect(rows.some((r) => r.includes("no providers configured"))).toBe(true);

  // The token with 100 000 levels of claims: the identity preview is bounded, not a stack overflow.
  const preview = await view.eval<string | null>(`(document.querySelector('[data-testid="identity-preview"]') || {}).textContent || null`);
  if (preview !== null) expect(preview).toMatch(/nested deeper than|nested too deep/);

  // Export: the click returns and the file arrives (it froze the panel 22 s on 645 KB when redaction was quadratic).
  const [download] = await Promise.all([tab.waitForEvent("download", { timeout: 10_000 }), tab.getByTestId("export").click()]);
  const text = readFileSync((await download.path())!, "utf8");
  const exported = JSON.parse(text) as { redacted: boolean; events: { ev: { k: string; frame?: { text?: string; head?: string } } }[] };
  expect(exported.redacted).toBe(true);
  // Every server answer is in the export, the 1 MB one as its head and tail.
  const received = exported.events.filter((e) => e.ev.k === "ws-recv").map((e) => e.ev.frame!);
  expect(received).toHaveLength(HOSTILE_TEXTS.length + 1);
  expect(received.some((f) => f.head?.startsWith('{"type":"AuthError","error":"a-a-a-'))).toBe(true);
  expect(text).not.toContain(`${DEEP_TOKEN.slice(-40)}`); // the signature end never leaves unredacted
});
