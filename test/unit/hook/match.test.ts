import { describe, expect, it } from "vitest";
import {
  clipUrl,
  httpOriginOfSocket,
  isConvexHttp,
  isConvexHttpCandidate,
  isSyncSocketUrl,
  mayBeConvexHttp,
  newOriginSet,
  parseUrl,
  URL_LIMIT,
  type UrlParts,
} from "../../../src/hook/match.ts";

const u = (s: string, base?: string): UrlParts => {
  const p = parseUrl(s, base);
  if (!p) throw new Error(`unparseable ${s}`);
  return p;
};

describe("sync socket URLs (reference §1)", () => {
  it.each([
    "wss://happy-animal-123.convex.cloud/api/1.48.0/sync",
    "ws://127.0.0.1:3210/api/1.48.0/sync",
    "wss://x.convex.cloud//api/1.48.0/sync", // address with a trailing slash keeps it
    "wss://self.example.com/convex/api/1.31.2/sync", // self-hosted under a prefix
    "wss://x.convex.cloud/api/1.2.3-alpha.1/sync",
    "wss://x.convex.cloud/api/sync",
    "wss://x.convex.cloud/api/1.48.0/sync?x=1",
  ])("matches %s", (s) => expect(isSyncSocketUrl(u(s))).toBe(true));

  it.each([
    "wss://x.convex.cloud/api/1.48.0/sync/extra",
    "wss://x.convex.cloud/api/v1/sync",
    "wss://x.convex.cloud/api/1.48/sync",
    "wss://x.convex.cloud/sync",
    "wss://x.convex.cloud/api/1.48.0/syncs",
    "wss://x.convex.cloud/other",
    "https://x.convex.cloud/api/1.48.0/sync", // not a socket URL (the constructor turns this into wss: first)
  ])("does not match %s", (s) => expect(isSyncSocketUrl(u(s))).toBe(false));

  it("maps a socket to its deployment's HTTP origin", () => {
    expect(httpOriginOfSocket(u("wss://x.convex.cloud:8443/api/sync"))).toBe("https://x.convex.cloud:8443");
    expect(httpOriginOfSocket(u("ws://127.0.0.1:3210/api/1.48.0/sync"))).toBe("http://127.0.0.1:3210");
  });
});

describe("Convex HTTP calls (reference §6)", () => {
  const none = newOriginSet();
  it.each(["query", "mutation", "action", "function", "query_batch", "query_ts", "query_at_ts", "run/messages/list"])(
    "/api/%s with a Convex-Client header",
    (p) => expect(isConvexHttp(u(`http://127.0.0.1:3210/api/${p}`), true, none)).toBe(true),
  );

  it("needs the header, a .convex.cloud host or a seen sync origin", () => {
    const local = u("http://127.0.0.1:3210/api/query");
    expect(isConvexHttp(local, false, none)).toBe(false);
    const seen = newOriginSet();
    seen["http://127.0.0.1:3210"] = true;
    expect(isConvexHttp(local, false, seen)).toBe(true);
    expect(isConvexHttp(u("http://127.0.0.1:3211/api/query"), false, seen)).toBe(false);
    expect(isConvexHttp(u("https://happy-animal-123.convex.cloud/api/mutation"), false, none)).toBe(true);
    expect(isConvexHttp(u("https://HAPPY.Convex.Cloud/api/action"), false, none)).toBe(true);
  });

  it("leaves other paths alone, even on a deployment", () => {
    for (const p of ["/api/users", "/api/run", "/api/run/", "/api/query/x", "/query", "/api/debug_event", "/"])
      expect(isConvexHttp(u(`https://x.convex.cloud${p}`), true, none), p).toBe(false);
  });

  it("records every request to a .convex.site host (HTTP actions)", () => {
    expect(isConvexHttp(u("https://x.convex.site/anything?q=1"), false, none)).toBe(true);
    expect(isConvexHttp(u("https://convex.site.evil.com/api/query"), false, none)).toBe(false);
    expect(isConvexHttpCandidate(u("https://x.convex.site/"))).toBe(true);
  });

  it("ignores non-HTTP schemes", () => {
    expect(isConvexHttp(u("ws://x.convex.site/api/query"), true, none)).toBe(false);
    expect(isConvexHttpCandidate(u("ftp://x.convex.cloud/api/query"))).toBe(false);
  });

  it("pre-filters raw strings cheaply, passing relative api URLs", () => {
    expect(mayBeConvexHttp("/api/query")).toBe(true);
    expect(mayBeConvexHttp("api/query")).toBe(true);
    expect(mayBeConvexHttp("https://X.CONVEX.SITE/hook")).toBe(true);
    expect(mayBeConvexHttp("/static/app.js")).toBe(false);
    expect(mayBeConvexHttp("data:text/plain,/api/query")).toBe(false);
    expect(mayBeConvexHttp(" blob:https://x/api/")).toBe(false);
  });

  it("resolves relative URLs against a base and rejects garbage", () => {
    expect(u("/api/query", "http://127.0.0.1:5173/app/page").href).toBe("http://127.0.0.1:5173/api/query");
    expect(parseUrl("http://[bad")).toBeNull();
    expect(parseUrl("relative")).toBeNull();
  });

  it("clips long URLs", () => {
    expect(clipUrl("a".repeat(URL_LIMIT + 5))).toHaveLength(URL_LIMIT);
    expect(clipUrl("short")).toBe("short");
  });
});
