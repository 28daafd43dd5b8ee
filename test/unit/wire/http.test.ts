import { describe, expect, it } from "vitest";
import { classifyHttpUrl, parseAuthorization, parseHttpErrorBody, parseSyncUrl } from "../../../src/core/wire/http";

describe("Convex HTTP URLs", () => {
  it("classifies the /api endpoints and HTTP actions", () => {
    const d = "https://happy-animal-123.convex.cloud";
    const cases: [string, string][] = [
      ["/api/query", "/api/query"],
      ["/api/mutation", "/api/mutation"],
      ["/api/action", "/api/action"],
      ["/api/function", "/api/function"],
      ["/api/run/messages/list", "/api/run"],
      ["/api/query_batch", "/api/query_batch"],
      ["/api/query_ts", "/api/query_ts"],
      ["/api/query_at_ts", "/api/query_at_ts"],
    ];
    for (const [path, endpoint] of cases) expect(classifyHttpUrl(`${d}${path}`)).toEqual({ deployment: d, endpoint });
    expect(classifyHttpUrl("https://happy-animal-123.convex.site/webhook")).toEqual({ deployment: d, endpoint: "http-action" });
    expect(classifyHttpUrl("http://127.0.0.1:3210/api/query?path=a:b")).toEqual({ deployment: "http://127.0.0.1:3210", endpoint: "/api/query" });
    expect(classifyHttpUrl("https://example.com/api/users")).toBeNull();
    expect(classifyHttpUrl("not a url")).toBeNull();
  });
  it("parses Authorization like the backend (case-insensitive, 7-byte rules)", () => {
    expect(parseAuthorization(null)).toEqual({ scheme: "none" });
    expect(parseAuthorization("Bearer eyJ.a.b")).toEqual({ scheme: "Bearer", token: "eyJ.a.b" });
    expect(parseAuthorization("bEaReR   eyJ.a.b  ")).toEqual({ scheme: "Bearer", token: "eyJ.a.b" });
    expect(parseAuthorization("Convex prod:x|secret")).toEqual({ scheme: "Convex", adminKey: "prod:x|secret", actingAs: null });
    const identity = btoa(JSON.stringify({ subject: "u1", issuer: "https://i" }));
    expect(parseAuthorization(`CONVEX dev:x|secret:${identity}`)).toEqual({ scheme: "Convex", adminKey: "dev:x|secret", actingAs: { subject: "u1", issuer: "https://i" } });
    expect(parseAuthorization("Basic dXNlcjpwYXNz")).toMatchObject({ scheme: "other", prefix: "Basic", backend: { status: 400, code: "InvalidAdminKey", message: "Invalid admin key" } });
    expect(parseAuthorization("eyJhbGciOi.x.y")).toMatchObject({ scheme: "other", backend: { message: "Invalid admin key" } });
    expect(parseAuthorization("Bearer")).toMatchObject({ scheme: "other", backend: { code: "InvalidHeaderFailure" } });
    expect(parseAuthorization("Bearer    ")).toMatchObject({ scheme: "other", backend: { code: "InvalidAdminKey" } });
  });
  it("parses error bodies, also in ConvexHttpClient's Error: form", () => {
    expect(parseHttpErrorBody('{"code":"NoAuthProvider","message":"No auth provider found matching the given token"}')).toEqual({ code: "NoAuthProvider", message: "No auth provider found matching the given token" });
    expect(parseHttpErrorBody('Error: {"code":"NoAuthProvider","message":"No auth provider found matching the given token"}')).toMatchObject({ code: "NoAuthProvider" });
    expect(parseHttpErrorBody("<html>502</html>")).toEqual({ raw: "<html>502</html>" });
  });
  it("derives the deployment and client version from a sync URL", () => {
    expect(parseSyncUrl("wss://x.convex.cloud/api/1.48.0/sync")).toEqual({ deployment: "https://x.convex.cloud", clientVersion: "1.48.0" });
    expect(parseSyncUrl("wss://x.convex.cloud//api/1.48.0/sync")).toEqual({ deployment: "https://x.convex.cloud", clientVersion: "1.48.0" });
    expect(parseSyncUrl("ws://127.0.0.1:3210/api/sync")).toEqual({ deployment: "http://127.0.0.1:3210", clientVersion: null });
    expect(parseSyncUrl("wss://x.example/chat")).toBeNull();
  });
});
