import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeySource } from "../../../src/core/keys/source";
import { allowAll } from "../../../src/core/keys/policy";
import { isLocalFailure, type Fetched, type FetchFailure } from "../../../src/core/keys/types";
import { UNREADABLE_CODE, unreachableReason } from "../../../src/core/keys/http-get";
import { notFetched } from "../../../src/core/keys/not-fetched";
import { json, reply, startServer, type TestServer } from "./server";
import { makeKey, type TestKey } from "./keys";

let srv: TestServer;
let rsa: TestKey;
let ec: TestKey;
let ed: TestKey;

beforeAll(async () => {
  srv = await startServer();
  rsa = await makeKey("RS256", "rsa-1");
  ec = await makeKey("ES256", "ec-1");
  ed = await makeKey("EdDSA", "ed-1");
});
afterAll(() => srv.close());

const source = () => createKeySource({ fetch, policy: allowAll() });

function failure<T>(r: Fetched<T>): FetchFailure {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.failure;
}

describe("discover", () => {
  it("builds the URL from iss with or without a trailing slash, sends Accept: application/json", async () => {
    const doc = { issuer: srv.url("/a"), jwks_uri: srv.url("/a/jwks") };
    srv.route("/a/.well-known/openid-configuration", json(doc));
    const r1 = await source().discover(srv.url("/a"));
    expect(r1).toMatchObject({ ok: true, value: doc, url: srv.url("/a/.well-known/openid-configuration") });
    const r2 = await source().discover(srv.url("/a/"));
    expect(r2.ok).toBe(true);
    expect(srv.hits("/a/.well-known/openid-configuration")).toBe(2);
    expect(srv.lastHeaders("/a/.well-known/openid-configuration")?.accept).toBe("application/json");
  });

  it("keeps the raw issuer value (the verdict compares it byte for byte)", async () => {
    srv.route("/raw/.well-known/openid-configuration", json({ issuer: srv.url("/raw/"), jwks_uri: srv.url("/k") }));
    const r = await source().discover(srv.url("/raw"));
    expect(r.ok && r.value.issuer).toBe(srv.url("/raw/"));
  });

  it("needs only issuer and jwks_uri; other fields are optional", async () => {
    srv.route("/min/.well-known/openid-configuration", json({ issuer: "https://x.example", jwks_uri: "https://x.example/j" }));
    expect((await source().discover(srv.url("/min"))).ok).toBe(true);
  });

  it("accepts application/json with parameters, any case, or no Content-Type at all", async () => {
    const body = JSON.stringify({ issuer: "https://x.example", jwks_uri: "https://x.example/j" });
    srv.route("/ct1/.well-known/openid-configuration", reply(200, { "content-type": "Application/JSON; charset=ISO-8859-1" }, body));
    srv.route("/ct2/.well-known/openid-configuration", (_q, res) => {
      res.removeHeader("content-type");
      res.writeHead(200);
      res.end(body);
    });
    expect((await source().discover(srv.url("/ct1"))).ok).toBe(true);
    expect((await source().discover(srv.url("/ct2"))).ok).toBe(true);
  });

  it("non-200 → status failure with the canonical reason and the body as lossy UTF-8", async () => {
    srv.route("/s404/.well-known/openid-configuration", (_q, res) => {
      res.writeHead(404, "Nope", { "content-type": "text/html" });
      res.end(Buffer.concat([Buffer.from("missing "), Buffer.from([0xff, 0xfe]), Buffer.from(" here")]));
    });
    const f = failure(await source().discover(srv.url("/s404")));
    expect(f).toEqual({
      kind: "status",
      url: srv.url("/s404/.well-known/openid-configuration"),
      status: 404,
      statusText: "Not Found",
      body: "missing \uFFFD\uFFFD here",
    });
    srv.route("/s500/.well-known/openid-configuration", reply(500, {}, '{"error":"boom"}'));
    expect(failure(await source().discover(srv.url("/s500")))).toMatchObject({
      kind: "status",
      status: 500,
      statusText: "Internal Server Error",
      body: '{"error":"boom"}',
    });
  });

  it("wrong Content-Type → content-type failure naming the header", async () => {
    srv.route("/html/.well-known/openid-configuration", reply(200, { "content-type": "text/html; charset=utf-8" }, "<html>"));
    expect(failure(await source().discover(srv.url("/html")))).toEqual({
      kind: "content-type",
      url: srv.url("/html/.well-known/openid-configuration"),
      contentType: "text/html; charset=utf-8",
      body: "<html>",
    });
    // jwk-set+json is fine for a JWKS but not for discovery.
    srv.route("/jwkct/.well-known/openid-configuration", reply(200, { "content-type": "application/jwk-set+json" }, "{}"));
    expect(failure(await source().discover(srv.url("/jwkct"))).kind).toBe("content-type");
  });

  it("not JSON, not an object, missing issuer or jwks_uri → body failure", async () => {
    const cases: Array<[string, string]> = [
      ["/nj", "not json"],
      ["/arr", "[1,2]"],
      ["/noiss", JSON.stringify({ jwks_uri: "https://x.example/j" })],
      ["/nojwks", JSON.stringify({ issuer: "https://x.example" })],
      ["/badjwks", JSON.stringify({ issuer: "https://x.example", jwks_uri: "not a url" })],
    ];
    for (const [path, body] of cases) {
      srv.route(`${path}/.well-known/openid-configuration`, reply(200, { "content-type": "application/json" }, body));
      const f = failure(await source().discover(srv.url(path)));
      expect(f.kind, path).toBe("body");
    }
  });

  it("an iss that is not an absolute URL fails without any request", async () => {
    const f = failure(await source().discover("auth.example.com"));
    expect(f).toMatchObject({ kind: "network", url: "auth.example.com" });
    if (f.kind === "network") expect(f.error).toContain("not an absolute URL");
  });

  it("a refused connection is this machine's failure (unreachable), with the reason and the error text", async () => {
    const closed = await startServer();
    const url = closed.origin;
    await closed.close();
    const f = failure(await source().discover(url));
    expect(f.kind).toBe("unreachable");
    expect(isLocalFailure(f)).toBe(true);
    if (f.kind === "unreachable") {
      expect(f.reason).toBe("the connection was refused (nothing listens there, seen from this machine)");
      expect(f.error).toMatch(/ECONNREFUSED|fetch failed/);
    }
  });

  it("a host that does not resolve (.invalid) is unreachable from here: a DNS failure, not the backend's", async () => {
    const f = failure(await source().discover("https://issuer.does-not-exist.invalid"));
    expect(f.kind).toBe("unreachable");
    if (f.kind === "unreachable") expect(f.reason).toMatch(/^DNS lookup failed here/);
  });

  it("names TLS, DNS and browser fetch errors from their codes", () => {
    const undici = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
    expect(unreachableReason(undici("DEPTH_ZERO_SELF_SIGNED_CERT"))).toMatch(/TLS certificate was not accepted here \(DEPTH_ZERO_SELF_SIGNED_CERT\): a proxy that intercepts TLS/);
    expect(unreachableReason(undici("SELF_SIGNED_CERT_IN_CHAIN"))).toMatch(/TLS/);
    expect(unreachableReason(undici("EAI_AGAIN"))).toMatch(/no DNS answer/);
    expect(unreachableReason(undici("ENETUNREACH"))).toMatch(/offline/);
    expect(unreachableReason(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]))).toMatch(/refused/);
    expect(unreachableReason(new TypeError("Failed to fetch"))).toMatch(/network error, or blocked by the browser/);
    // The panel's fetch marks an answer it may not read (its no-cors probe got one).
    expect(unreachableReason(Object.assign(new TypeError("x"), { code: UNREADABLE_CODE }))).toMatch(/^answered but unreadable/);
  });

  it("follows redirects like reqwest", async () => {
    srv.route("/moved/.well-known/openid-configuration", reply(302, { location: "/a/.well-known/openid-configuration" }, ""));
    const r = await source().discover(srv.url("/moved"));
    expect(r.ok).toBe(true);
  });
});

describe("jwks", () => {
  const jwksBody = () => ({ keys: [rsa.publicJwk, ec.publicJwk] });

  it("OIDC accepts application/json, application/jwk-set+json or no header", async () => {
    srv.route("/j/json", json(jwksBody()));
    srv.route("/j/jwkset", json(jwksBody(), { "content-type": "application/jwk-set+json" }));
    srv.route("/j/none", (_q, res) => {
      res.removeHeader("content-type");
      res.writeHead(200);
      res.end(JSON.stringify(jwksBody()));
    });
    for (const p of ["/j/json", "/j/jwkset", "/j/none"]) {
      const r = await source().jwks(srv.url(p), "oidc");
      expect(r.ok, p).toBe(true);
      if (r.ok) expect(r.value).toEqual({ keys: [rsa.publicJwk, ec.publicJwk], skipped: 0 });
    }
  });

  it("customJwt requires the header: missing → content-type failure with contentType null", async () => {
    const f = failure(await source().jwks(srv.url("/j/none"), "customJwt"));
    expect(f).toMatchObject({ kind: "content-type", contentType: null });
  });

  it("customJwt accepts json and jwk-set+json (WorkOS), charset utf-8 only", async () => {
    srv.route("/j/utf8", json(jwksBody(), { "content-type": "application/json; charset=utf-8" }));
    srv.route("/j/latin1", json(jwksBody(), { "content-type": "application/json; charset=iso-8859-1" }));
    srv.route("/j/text", json(jwksBody(), { "content-type": "text/plain" }));
    expect((await source().jwks(srv.url("/j/json"), "customJwt")).ok).toBe(true);
    expect((await source().jwks(srv.url("/j/jwkset"), "customJwt")).ok).toBe(true);
    expect((await source().jwks(srv.url("/j/utf8"), "customJwt")).ok).toBe(true);
    expect(failure(await source().jwks(srv.url("/j/latin1"), "customJwt"))).toMatchObject({
      kind: "content-type",
      contentType: "application/json; charset=iso-8859-1",
    });
    expect(failure(await source().jwks(srv.url("/j/text"), "customJwt"))).toMatchObject({ kind: "content-type", contentType: "text/plain" });
    // OIDC refuses text/plain too.
    expect(failure(await source().jwks(srv.url("/j/text"), "oidc")).kind).toBe("content-type");
  });

  it("non-200 → status failure", async () => {
    srv.route("/j/403", reply(403, { "content-type": "application/json" }, '{"message":"forbidden"}'));
    expect(failure(await source().jwks(srv.url("/j/403"), "customJwt"))).toEqual({
      kind: "status",
      url: srv.url("/j/403"),
      status: 403,
      statusText: "Forbidden",
      body: '{"message":"forbidden"}',
    });
  });

  it("customJwt is strict: one unparseable key fails the set; OIDC skips and counts it", async () => {
    const junk = { kty: "RSA", n: "not base64!", e: "AQAB", kid: "junk" };
    const oct = { kty: "oct", k: "c2VjcmV0", kid: "hmac", alg: "HS256" };
    const mixed = { keys: [rsa.publicJwk, oct, junk, { kty: "XYZ" }, ec.publicJwk] };
    srv.route("/j/mixed", json(mixed));
    const f = failure(await source().jwks(srv.url("/j/mixed"), "customJwt"));
    expect(f.kind).toBe("body");
    const r = await source().jwks(srv.url("/j/mixed"), "oidc");
    // openidconnect keeps the junk RSA key (n/e that do not decode become None) but skips the unknown kty.
    expect(r.ok && r.value.skipped).toBe(1);
    expect(r.ok && r.value.keys.length).toBe(4);
    // An oct key on its own is fine for biscuit.
    srv.route("/j/oct", json({ keys: [rsa.publicJwk, oct] }));
    expect((await source().jwks(srv.url("/j/oct"), "customJwt")).ok).toBe(true);
  });

  it("customJwt refuses a set with an EdDSA-tagged key (biscuit has no EdDSA alg); OIDC keeps it", async () => {
    srv.route("/j/ed", json({ keys: [rsa.publicJwk, { ...ed.publicJwk, alg: "EdDSA" }] }));
    expect(failure(await source().jwks(srv.url("/j/ed"), "customJwt")).kind).toBe("body");
    const r = await source().jwks(srv.url("/j/ed"), "oidc");
    expect(r.ok && r.value.keys.length).toBe(2);
  });

  it("not JSON or no keys array → body failure", async () => {
    srv.route("/j/nj", reply(200, { "content-type": "application/json" }, "<keys/>"));
    srv.route("/j/nokeys", json({ key: [] }));
    for (const mode of ["oidc", "customJwt"] as const) {
      expect(failure(await source().jwks(srv.url("/j/nj"), mode)).kind).toBe("body");
      expect(failure(await source().jwks(srv.url("/j/nokeys"), mode)).kind).toBe("body");
    }
  });

  it("data: URLs are decoded (MIME ignored), no request made", async () => {
    const b64 = Buffer.from(JSON.stringify({ keys: [rsa.publicJwk] })).toString("base64");
    const r = await source().jwks(`data:text/plain;charset=utf-8;base64,${b64}`, "customJwt");
    expect(r.ok && r.value.keys[0]).toEqual(rsa.publicJwk);
    const plain = await source().jwks(`data:application/whatever,${encodeURIComponent(JSON.stringify({ keys: [] }))}`, "customJwt");
    expect(plain.ok).toBe(true);
  });

  it("a bad data: URL → data-url failure; undecodable JSON in it → body failure", async () => {
    expect(failure(await source().jwks("data:text/plain;base64", "customJwt")).kind).toBe("data-url");
    expect(failure(await source().jwks("data:;base64,@@@@", "customJwt")).kind).toBe("data-url");
    const notJson = Buffer.from("hello").toString("base64");
    expect(failure(await source().jwks(`data:;base64,${notJson}`, "customJwt")).kind).toBe("body");
  });

  it("a 2 MB response is cut off with a clear failure", async () => {
    const big = JSON.stringify({ keys: [], pad: "x".repeat(2 * 1024 * 1024) });
    srv.route("/j/big", json(JSON.parse(big)));
    const f = failure(await source().jwks(srv.url("/j/big"), "oidc"));
    expect(f.kind).toBe("body");
    if (f.kind === "body") expect(f.error).toContain("larger than 1048576 bytes");
    // A huge error body is kept as its beginning only.
    srv.route("/j/bigerr", reply(500, {}, "e".repeat(2 * 1024 * 1024)));
    const e = failure(await source().jwks(srv.url("/j/bigerr"), "oidc"));
    expect(e).toMatchObject({ kind: "status", status: 500, truncated: true });
    if (e.kind === "status") expect(e.body.length).toBeLessThan(20_000);
  });

  it("a server that never answers times out", async () => {
    srv.route("/j/hang", () => {
      /* never answers */
    });
    const s = createKeySource({ fetch, policy: allowAll(), timeoutMs: 300 });
    const f = failure(await s.jwks(srv.url("/j/hang"), "customJwt"));
    expect(f.kind).toBe("unreachable");
    // Our 300 ms bound gave up, not a library default (no stopwatch: a loaded machine trips one).
    if (f.kind === "unreachable") expect(f.reason).toBe("no complete answer within 300 ms (timed out)");
  });

  it("a server that sends headers then stalls the body times out too", async () => {
    srv.route("/j/stall", (_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"keys":[');
    });
    const s = createKeySource({ fetch, policy: allowAll(), timeoutMs: 300 });
    const f = failure(await s.jwks(srv.url("/j/stall"), "oidc"));
    expect(f.kind).toBe("unreachable");
  });
});

describe("injected fetch", () => {
  it("is called unbound, as window.fetch requires (a method call throws 'Illegal invocation' in browsers)", async () => {
    srv.route("/unbound", json({ keys: [] }));
    // Behaves like window.fetch: refuses any `this` other than undefined / the global object.
    function windowLikeFetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      if (this !== undefined && this !== globalThis) return Promise.reject(new TypeError("Illegal invocation"));
      return fetch(input, init);
    }
    const s = createKeySource({ fetch: windowLikeFetch as typeof fetch, policy: allowAll() });
    expect((await s.jwks(srv.url("/unbound"), "oidc")).ok).toBe(true);
  });
});

describe("documents the user supplies, and steps not fetched", () => {
  const data = (v: unknown) => `data:application/json;base64,${Buffer.from(JSON.stringify(v)).toString("base64")}`;

  it("discoveryAt reads a supplied discovery document (data: URL) with the same field rules", async () => {
    const ok = await source().discoveryAt(data({ issuer: "https://i.example.com", jwks_uri: "https://i.example.com/jwks" }));
    expect(ok).toMatchObject({ ok: true, value: { issuer: "https://i.example.com", jwks_uri: "https://i.example.com/jwks" } });
    expect(failure(await source().discoveryAt(data({ issuer: "https://i.example.com" }))).kind).toBe("body");
  });

  it("suppliedJwks accepts a data: JWKS for the OIDC path too (jwks_uri data: URLs stay refused)", async () => {
    const keys = { keys: [rsa.publicJwk] };
    expect((await source().suppliedJwks(data(keys), "oidc")).ok).toBe(true);
    expect(failure(await source().jwks(data(keys), "oidc")).kind).toBe("network");
  });

  it("jwks(null): the jwks_uri is not known (discovery not checked), so the step is skipped, not failed", async () => {
    const f = failure(await source().jwks(null, "oidc"));
    expect(f.kind).toBe("skipped");
    expect(isLocalFailure(f)).toBe(true);
  });

  it("notFetched answers every step with `skipped` and its reason, and fetches nothing", async () => {
    const before = srv.hits("/nf/.well-known/openid-configuration");
    const s = notFetched("--offline: nothing is fetched");
    const d = failure(await s.discover(srv.url("/nf")));
    expect(d).toEqual({ kind: "skipped", url: srv.url("/nf/.well-known/openid-configuration"), reason: "--offline: nothing is fetched" });
    expect(failure(await s.jwks(srv.url("/nf/jwks"), "customJwt")).kind).toBe("skipped");
    expect(srv.hits("/nf/.well-known/openid-configuration")).toBe(before);
  });
});

describe("TLS seen from this machine", () => {
  it("a self-signed certificate (as a TLS-intercepting proxy presents) is unreachable from here, with the TLS reason", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const https = await import("node:https");
    const dir = mkdtempSync(join(tmpdir(), "cai-tls-"));
    const [keyFile, certFile] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
    const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: "x", jwks_uri: "https://x/jwks" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const f = failure(await source().discover(`https://127.0.0.1:${port}`));
      expect(f.kind).toBe("unreachable");
      if (f.kind === "unreachable") expect(f.reason).toMatch(/^the TLS certificate was not accepted here \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID)\)/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
