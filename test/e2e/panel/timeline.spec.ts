/**
 * The timeline under load and from the keyboard: ~20,000 auth-relevant rows from a real page (10 sync sockets,
 * 2,100 ModifyQuerySet frames each, through the real hook, relay and background) render virtualised (few DOM
 * rows), keyboard navigation moves the selection, Enter opens details, Esc closes them, `/` focuses search and
 * the search filters. Plus: a page-derived value is rendered as text, never as HTML.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { expect, test } from "../fixtures.ts";

const SOCKETS = 10;
/** 10 × 2,100 frames overflow the background's 20,000-event tab buffer: the oldest are dropped, and said so. */
const FRAMES_PER_SOCKET = 2100;

/** A page that opens sync sockets and subscribes to many queries, paced so the hook's batches keep up. */
function pageHtml(): string {
  return `<!doctype html><html><head><title>timeline load</title></head><body><div id="status">starting</div><script>
  const status = document.getElementById('status');
  let done = 0;
  for (let s = 0; s < ${SOCKETS}; s++) {
    const ws = new WebSocket('ws://' + location.host + '/api/1.48.0/sync');
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'Connect', sessionId: 'load-' + s, connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
      let i = 0;
      const tick = () => {
        for (let k = 0; k < 100 && i < ${FRAMES_PER_SOCKET}; k++, i++) {
          ws.send(JSON.stringify({ type: 'ModifyQuerySet', baseVersion: i, newVersion: i + 1,
            modifications: [{ type: 'Add', queryId: i, udfPath: i === ${FRAMES_PER_SOCKET - 3} && s === 3 ? '<img src=x onerror=alert(1)>:needle' : 'messages:list' + s, args: [{}] }] }));
        }
        if (i < ${FRAMES_PER_SOCKET}) setTimeout(tick, 40); else status.textContent = 'sent ' + (++done);
      };
      tick();
    };
  }
  </script></body></html>`;
}

let server: Server;
let wss: WebSocketServer;
let base: string;

test.beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(pageHtml());
  });
  wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => ws.on("message", () => {}));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  wss.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test("20,000 rows stay virtualised; overflow is announced; keyboard and search work", async ({ page, openPanelTab }) => {
  test.setTimeout(90_000);
  await page.goto(`${base}/load`);
  await expect(page.locator("#status")).toHaveText(`sent ${SOCKETS}`, { timeout: 60_000 });
  const panel = await openPanelTab(page);
  const rows = panel.getByTestId("timeline-rows");
  await expect
    .poll(async () => Number(await rows.getAttribute("data-count")), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(19_000);
  // The overflow is never silent: a banner says events were dropped.
  await expect(panel.getByTestId("banner-dropped")).toBeVisible();

  // Virtualised: only the visible window (plus overscan) is in the DOM.
  const domRows = await panel.getByTestId("timeline-row").count();
  expect(domRows).toBeGreaterThan(0);
  expect(domRows).toBeLessThan(200);

  // Keyboard: End selects the last row, Up moves one up, Enter opens details, Esc closes.
  await rows.focus();
  await page.bringToFront();
  await panel.keyboard.press("End");
  const last = await panel.locator('[data-testid="timeline-row"][aria-selected="true"]').getAttribute("data-index");
  await panel.keyboard.press("ArrowUp");
  const prev = await panel.locator('[data-testid="timeline-row"][aria-selected="true"]').getAttribute("data-index");
  expect(Number(prev)).toBeLessThan(Number(last));
  await panel.keyboard.press("Enter");
  await expect(panel.getByTestId("details")).toBeVisible();
  await panel.keyboard.press("Escape");
  await expect(panel.getByTestId("details")).toHaveCount(0);

  // `/` focuses the search; the filter narrows 20,000 rows to the one that names the needle.
  await panel.keyboard.press("/");
  await expect(panel.getByTestId("search")).toBeFocused();
  await panel.keyboard.type("needle");
  await expect(rows).toHaveAttribute("data-count", "1");
  const row = panel.getByTestId("timeline-row");
  await expect(row).toHaveCount(1);
  // Page-chosen text is text: the markup is visible as characters and no <img> was created.
  await expect(row).toContainText("<img src=x onerror=alert(1)>");
  expect(await panel.locator(".rows img").count()).toBe(0);
});
