// /api HTTP routes with plain fetch: CORS, header parsing end to end, error bodies, bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./deployment.ts";
import { MSG } from "./validate.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demo: false, redact: true });
});
afterAll(async () => {
  await h.close();
});

async function call(path: string, body: unknown, authorization?: string) {
  const res = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Convex-Client": "npm-1.48.0", ...(authorization ? { Authorization: authorization } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), cors: res.headers.get("access-control-allow-origin") };
}

describe("/api HTTP routes", () => {
  it("answers CORS preflight for Authorization, Content-Type and Convex-Client", async () => {
    const res = await fetch(`${h.url}/api/query`, { method: "OPTIONS", headers: { Origin: "http://other.test", "Access-Control-Request-Method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, Convex-Client");
  });

  it("runs functions without auth; /api/function takes args as an object; wrong kind is not found", async () => {
    expect(await call("/api/query", { path: "users:whoami", format: "convex_encoded_json", args: [{}] })).toEqual({
      status: 200, body: { status: "success", value: null, logLines: [] }, cors: "*",
    });
    const sent = await call("/api/function", { path: "messages:send", args: { body: "via function", channel: "http" } });
    expect(sent.body.status).toBe("success");
    expect((await call("/api/query", { path: "messages:list", args: [{ channel: "http" }] })).body.value).toHaveLength(1);
    expect((await call("/api/query", { path: "messages:send", args: [{}] })).body).toEqual({
      status: "error", errorMessage: "Could not find public function for 'messages:send'. Did you forget to run `npx convex dev` or `npx convex deploy`?", logLines: [],
    });
  });

  it("header errors and prod-style (redacted) auth errors", async () => {
    const q = { path: "users:whoami", args: [{}] };
    expect(await call("/api/query", q, "Bearer")).toMatchObject({ status: 400, body: { code: "InvalidHeaderFailure", message: "Invalid authentication header" } });
    expect(await call("/api/query", q, "Basic dXNlcjpwYXNz")).toMatchObject({ status: 400, body: { code: "InvalidAdminKey", message: "Invalid admin key" } });
    expect(await call("/api/query", q, `Bearer ${await h.tokenFor("wrong-issuer")}`)).toMatchObject({
      status: 401, body: { code: "NoAuthProvider", message: MSG.noProviderRedacted },
    });
    expect(await call("/api/query", q, `convex ${h.adminKey}`)).toMatchObject({ status: 200, body: { status: "success", value: null } });
    const res = await fetch(`${h.url}/api/query?adminKey=${encodeURIComponent(h.adminKey)}`, { method: "POST", body: JSON.stringify(q) });
    expect(res.status).toBe(200);
  });

  it("bad bodies get 400 with a reason, not a crash", async () => {
    expect(await call("/api/query", "{nope")).toMatchObject({ status: 400, body: { code: "BadJsonBody" } });
    expect(await call("/api/query", { args: [] })).toMatchObject({ status: 400, body: { message: "Missing `path` in request body" } });
    expect(await call("/api/query", "x".repeat(2 << 20))).toMatchObject({ status: 413 });
    expect((await fetch(`${h.url}/nowhere`)).status).toBe(404);
  });
});
