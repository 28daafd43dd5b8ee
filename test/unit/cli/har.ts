/**
 * HAR files in Chrome's shape (issue 8: `_webSocketMessages` {type, time in epoch seconds, opcode, data},
 * status 101 + `_resourceType: "websocket"` for sockets, separate OPTIONS preflights) built from what the
 * harness saw the real convex client do. `sanitized` drops Authorization, Cookie and Set-Cookie like Chrome's
 * default "Export HAR (sanitized)", keeping frames and response bodies.
 */
import type { Harness } from "../../harness/deployment";

type Header = { name: string; value: string };
export type HarEntry = Record<string, unknown>;

const iso = (ms: number) => new Date(ms).toISOString();

export function socketEntry(url: string, openedAt: number, messages: { type: "send" | "receive"; at: number; data: string }[], headers: Header[] = []): HarEntry {
  return {
    startedDateTime: iso(openedAt),
    time: 0,
    request: { method: "GET", url, httpVersion: "HTTP/1.1", headers, queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: { status: 101, statusText: "Switching Protocols", httpVersion: "HTTP/1.1", headers: [], cookies: [], content: { size: 0, mimeType: "x-unknown" }, redirectURL: "", headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _resourceType: "websocket",
    _webSocketMessages: messages.map((m) => ({ type: m.type, time: m.at / 1000, opcode: 1, data: m.data })),
  };
}

export function httpEntry(opts: { url: string; at: number; method?: string; headers?: Header[]; status: number; body?: string; mimeType?: string; resourceType?: string }): HarEntry {
  return {
    startedDateTime: iso(opts.at),
    time: 12,
    request: { method: opts.method ?? "POST", url: opts.url, httpVersion: "HTTP/1.1", headers: opts.headers ?? [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: {
      status: opts.status,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: [],
      cookies: [],
      content: { size: opts.body?.length ?? 0, mimeType: opts.mimeType ?? "application/json", ...(opts.body !== undefined ? { text: opts.body } : {}) },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 2 },
    _resourceType: opts.resourceType ?? "fetch",
  };
}

export function har(entries: HarEntry[]): string {
  return JSON.stringify({ log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, pages: [], entries } }, null, 2);
}

const COOKIE = "__session=cookie-secret-value-123";

/** Every socket and /api call the harness saw since `from`, as Chrome would have exported them. */
export function harFromHarness(h: Harness, opts: { sanitized?: boolean; fromConnection?: number; fromRequest?: number; page?: string } = {}): string {
  const wsBase = h.url.replace(/^http/, "ws");
  const entries: HarEntry[] = [];
  for (const c of h.connections.slice(opts.fromConnection ?? 0)) {
    const headers = opts.sanitized ? [] : [{ name: "Cookie", value: COOKIE }];
    entries.push(
      socketEntry(
        `${wsBase}${c.path}`,
        c.openedAt,
        c.frames.map((f) => ({ type: f.dir === "in" ? "send" : "receive", at: f.at, data: JSON.stringify(f.data) })),
        headers,
      ),
    );
  }
  for (const r of h.httpRequests.slice(opts.fromRequest ?? 0)) {
    const url = `${h.url}${r.path}`;
    entries.push(httpEntry({ url, at: r.at - 1, method: "OPTIONS", status: 204, resourceType: "preflight" }));
    const headers: Header[] = [{ name: "Content-Type", value: "application/json" }];
    if (!opts.sanitized) {
      headers.push({ name: "Cookie", value: COOKIE });
      if (r.authorization !== null) headers.push({ name: "Authorization", value: r.authorization });
    }
    entries.push(httpEntry({ url, at: r.at, headers, status: r.status, body: JSON.stringify(r.response) }));
  }
  if (opts.page) entries.unshift(httpEntry({ url: opts.page, at: (h.connections[0]?.openedAt ?? Date.now()) - 500, method: "GET", status: 200, body: "<html></html>", mimeType: "text/html", resourceType: "document" }));
  entries.sort((a, b) => Date.parse(String(a.startedDateTime)) - Date.parse(String(b.startedDateTime)));
  return har(entries);
}

export { COOKIE };
