import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeySource } from "../../../src/core/keys/source";
import { allowAll } from "../../../src/core/keys/policy";
import { freshnessLifetime, parseCacheControl, ResponseCache, type StoredResponse } from "../../../src/core/keys/http-cache";
import { startServer, type TestServer } from "./server";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const JWKS = JSON.stringify({ keys: [] });

/** A source with a hand-driven clock (ms). */
function clocked() {
  let t = 1_700_000_000_000;
  const source = createKeySource({ fetch, policy: allowAll(), now: () => t });
  return { source, advance: (seconds: number) => (t += seconds * 1000) };
}

function route(path: string, headers: Record<string, string>) {
  srv.route(path, (_q, res) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    res.end(JWKS);
  });
}

describe("HTTP cache (backend http-cache-reqwest default mode)", () => {
  it("max-age: a second call within the lifetime does not hit the server; after expiry it refetches", async () => {
    route("/c/maxage", { "cache-control": "public, max-age=60" });
    const { source, advance } = clocked();
    const first = await source.jwks(srv.url("/c/maxage"), "customJwt");
    expect(first.ok && first.cache).toMatchObject({ fromCache: false, revalidated: false });
    advance(59);
    const second = await source.jwks(srv.url("/c/maxage"), "customJwt");
    expect(srv.hits("/c/maxage")).toBe(1);
    expect(second.ok && second.cache?.fromCache).toBe(true);
    advance(2);
    await source.jwks(srv.url("/c/maxage"), "customJwt");
    expect(srv.hits("/c/maxage")).toBe(2);
  });

  it("no-store: always refetches", async () => {
    route("/c/nostore", { "cache-control": "no-store, max-age=600" });
    const { source } = clocked();
    for (let i = 0; i < 3; i++) {
      const r = await source.jwks(srv.url("/c/nostore"), "oidc");
      expect(r.ok && r.cache?.freshUntil).toBe(null);
    }
    expect(srv.hits("/c/nostore")).toBe(3);
  });

  it("private is not stored by a shared cache", async () => {
    route("/c/private", { "cache-control": "private, max-age=600" });
    const { source } = clocked();
    await source.jwks(srv.url("/c/private"), "oidc");
    await source.jwks(srv.url("/c/private"), "oidc");
    expect(srv.hits("/c/private")).toBe(2);
  });

  it("no-cache: revalidates every time; a 304 is served from the stored body", async () => {
    srv.route("/c/nocache", (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', "cache-control": "no-cache" });
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json", etag: '"v1"', "cache-control": "no-cache" });
      res.end(JSON.stringify({ keys: [{ kty: "oct", k: "AAAA", kid: "a" }] }));
    });
    const { source } = clocked();
    const a = await source.jwks(srv.url("/c/nocache"), "customJwt");
    const b = await source.jwks(srv.url("/c/nocache"), "customJwt");
    expect(srv.hits("/c/nocache")).toBe(2);
    expect(srv.lastHeaders("/c/nocache")?.["if-none-match"]).toBe('"v1"');
    expect(b.ok && b.cache).toMatchObject({ fromCache: false, revalidated: true });
    expect(b.ok && b.value).toEqual(a.ok && a.value);
  });

  it("Expires relative to Date is honoured", async () => {
    const date = new Date(1_700_000_000_000);
    route("/c/expires", {
      date: date.toUTCString(),
      expires: new Date(date.getTime() + 120_000).toUTCString(),
    });
    const { source, advance } = clocked();
    await source.jwks(srv.url("/c/expires"), "oidc");
    advance(100);
    await source.jwks(srv.url("/c/expires"), "oidc");
    expect(srv.hits("/c/expires")).toBe(1);
    advance(30);
    await source.jwks(srv.url("/c/expires"), "oidc");
    expect(srv.hits("/c/expires")).toBe(2);
  });

  it("Age counts against max-age", async () => {
    route("/c/age", { "cache-control": "max-age=100", age: "90" });
    const { source, advance } = clocked();
    const r = await source.jwks(srv.url("/c/age"), "oidc");
    if (!r.ok || !r.cache) throw new Error("expected a cached JWKS");
    expect(r.cache.freshUntil).toBe(r.cache.fetchedAt + 10_000);
    advance(5);
    await source.jwks(srv.url("/c/age"), "oidc");
    expect(srv.hits("/c/age")).toBe(1);
    advance(6);
    await source.jwks(srv.url("/c/age"), "oidc");
    expect(srv.hits("/c/age")).toBe(2);
  });

  it("no cache headers and no Last-Modified: nothing fresh, refetch every time (no refetch-on-kid logic either)", async () => {
    route("/c/plain", {});
    const { source } = clocked();
    await source.jwks(srv.url("/c/plain"), "oidc");
    await source.jwks(srv.url("/c/plain"), "oidc");
    expect(srv.hits("/c/plain")).toBe(2);
  });

  it("a rotated key is not seen until the cached JWKS expires", async () => {
    let kid = "old";
    srv.route("/c/rotate", (_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" });
      res.end(JSON.stringify({ keys: [{ kty: "oct", k: "AAAA", kid }] }));
    });
    const { source, advance } = clocked();
    await source.jwks(srv.url("/c/rotate"), "customJwt");
    kid = "new";
    advance(10);
    const stale = await source.jwks(srv.url("/c/rotate"), "customJwt");
    expect(stale.ok && stale.value.keys[0]?.kid).toBe("old");
    expect(stale.ok && stale.cache?.fromCache).toBe(true);
    advance(300);
    const fresh = await source.jwks(srv.url("/c/rotate"), "customJwt");
    expect(fresh.ok && fresh.value.keys[0]?.kid).toBe("new");
  });

  it("discovery documents are cached the same way", async () => {
    srv.route("/d/.well-known/openid-configuration", (_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" });
      res.end(JSON.stringify({ issuer: srv.url("/d"), jwks_uri: srv.url("/d/jwks") }));
    });
    const { source } = clocked();
    await source.discover(srv.url("/d"));
    const again = await source.discover(srv.url("/d"));
    expect(srv.hits("/d/.well-known/openid-configuration")).toBe(1);
    expect(again.ok && again.cache?.fromCache).toBe(true);
  });

  it("failures are not cached", async () => {
    srv.route("/c/err", (_q, res) => {
      res.writeHead(503, { "cache-control": "max-age=600" });
      res.end("down");
    });
    const { source } = clocked();
    await source.jwks(srv.url("/c/err"), "oidc");
    await source.jwks(srv.url("/c/err"), "oidc");
    expect(srv.hits("/c/err")).toBe(2);
  });
});

describe("cache rules", () => {
  const base = (headers: Record<string, string>): StoredResponse => ({
    status: 200,
    headers,
    body: new Uint8Array(),
    responseTime: Date.parse("2025-01-01T00:00:10Z"),
  });

  it("s-maxage wins over max-age in a shared cache; heuristic is 10% of Date − Last-Modified", () => {
    expect(freshnessLifetime(base({ "cache-control": "max-age=10, s-maxage=50" }))).toBe(50);
    expect(
      freshnessLifetime(
        base({ date: "Wed, 01 Jan 2025 00:00:10 GMT", "last-modified": "Tue, 31 Dec 2024 23:43:30 GMT" }),
      ),
    ).toBe(100);
    expect(freshnessLifetime(base({ "cache-control": "max-age=60", vary: "*" }))).toBe(0);
    expect(freshnessLifetime(base({ pragma: "no-cache", expires: "Wed, 01 Jan 2030 00:00:00 GMT" }))).toBe(0);
  });

  it("parses quoted values and valueless directives", () => {
    expect(parseCacheControl('Max-Age="30", no-cache, private')).toEqual({ "max-age": "30", "no-cache": "", private: "" });
  });

  it("is bounded, least recently used first out", () => {
    const c = new ResponseCache(2);
    c.set("a", base({}));
    c.set("b", base({}));
    c.get("a");
    c.set("c", base({}));
    expect([c.get("a") !== undefined, c.get("b") !== undefined, c.get("c") !== undefined]).toEqual([true, false, true]);
    expect(c.size).toBe(2);
  });
});
