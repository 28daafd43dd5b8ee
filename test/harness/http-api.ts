// POST /api/query|mutation|action|function, with the backend's Authorization parsing (reference
// convex-backend-auth.md §4.2, §5.2, §6) and its `{code, message}` error bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { runUdf, type HarnessStore, type UdfType } from "./functions.ts";
import { actingAsIdentity, type JsonObject } from "./identity.ts";
import { MSG, validateUserToken, type HarnessProvider } from "./validate.ts";

export type HttpApiDeps = {
  providers: () => HarnessProvider[];
  adminKey: string;
  redact: boolean;
  now: () => number;
  store: HarnessStore;
  onDataChanged: () => void;
  /** fetch for OIDC discovery and JWKS (default: the global fetch). */
  fetch?: typeof fetch;
};

/** One /api call as the harness saw it (tests assert on these; memory only). */
export type HttpRecord = {
  at: number;
  path: string;
  authorization: string | null;
  status: number;
  response: unknown;
};

export type HeaderAuth =
  | { kind: "none" }
  | { kind: "user"; token: string }
  | { kind: "admin"; key: string; actingAs?: JsonObject }
  | { kind: "error"; status: number; code: string; message: string };

const MAX_BODY_BYTES = 1 << 20;

/** §4.2: `convex ` (any case) → admin key; `bearer ` (any case) → user token; anything else → Invalid admin key. */
export function parseAuthorization(header: string | undefined, adminKeyParam: string | null): HeaderAuth {
  if (header === undefined) return adminKeyParam ? { kind: "admin", key: adminKeyParam } : { kind: "none" };
  if (!/^[\x20-\x7e\t]*$/.test(header)) {
    return { kind: "error", status: 400, code: "HeaderParseFailure", message: `Failed to parse header ${JSON.stringify(header)}` };
  }
  if (header.length < 7) return { kind: "error", status: 400, code: "InvalidHeaderFailure", message: "Invalid authentication header" };
  const prefix = header.slice(0, 7).toLowerCase();
  if (prefix === "convex ") return parseAdminValue(header.slice(7).trim());
  const token = header.slice(7).trim();
  if (prefix === "bearer " && token.length > 0) return { kind: "user", token };
  return { kind: "error", status: 400, code: "InvalidAdminKey", message: "Invalid admin key" };
}

/** `<key>` or `<key>:<base64(JSON identity)>`; admin keys contain `:` before the `|`, so split after it. */
function parseAdminValue(value: string): HeaderAuth {
  const bar = value.indexOf("|");
  const colon = value.lastIndexOf(":");
  if (bar < 0 || colon < bar) return { kind: "admin", key: value };
  try {
    const attrs: unknown = JSON.parse(Buffer.from(value.slice(colon + 1), "base64").toString("utf8"));
    if (attrs === null || typeof attrs !== "object" || Array.isArray(attrs)) throw new Error("not an object");
    return { kind: "admin", key: value.slice(0, colon), actingAs: attrs as JsonObject };
  } catch {
    return { kind: "error", status: 400, code: "HeaderParseFailure", message: "Malformed Authorization header." };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Oversized bodies are drained, not kept: stopping mid-upload would reset the client before it reads the 413.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString("utf8");
}

/** Handle one /api/<kind> request; returns the record of what was answered. */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  kind: UdfType | "function",
  url: URL,
  deps: HttpApiDeps,
): Promise<HttpRecord> {
  const authorization = req.headers.authorization ?? null;
  const answer = (status: number, response: unknown): HttpRecord => {
    sendJson(res, status, response);
    return { at: Date.now(), path: url.pathname, authorization, status, response };
  };
  const text = await readBody(req);
  if (text === null) return answer(413, { code: "PayloadTooLarge", message: `Request body larger than ${MAX_BODY_BYTES} bytes` });
  let body: JsonObject;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as JsonObject;
  } catch {
    return answer(400, { code: "BadJsonBody", message: "Request body is not a JSON object" });
  }
  if (typeof body.path !== "string") return answer(400, { code: "BadJsonBody", message: "Missing `path` in request body" });

  const auth = parseAuthorization(req.headers.authorization, url.searchParams.get("adminKey"));
  let identity: JsonObject | null = null;
  if (auth.kind === "error") return answer(auth.status, { code: auth.code, message: auth.message });
  if (auth.kind === "admin") {
    if (auth.key !== deps.adminKey) return answer(401, { code: "BadAdminKey", message: MSG.badAdminKey });
    identity = auth.actingAs ? actingAsIdentity(auth.actingAs) : null;
  } else if (auth.kind === "user") {
    const result = await validateUserToken(auth.token, deps.providers(), { now: deps.now, redact: deps.redact, fetch: deps.fetch });
    if (!result.ok) return answer(result.status, { code: result.code, message: result.message });
    identity = result.identity;
  }

  // /api/function takes args as an object; the typed routes take a one-element array.
  const args = kind === "function" ? body.args : Array.isArray(body.args) ? body.args[0] : body.args;
  const outcome = runUdf(body.path, args ?? {}, { identity, store: deps.store }, kind === "function" ? undefined : kind);
  if (!outcome.ok) return answer(200, { status: "error", errorMessage: outcome.errorMessage, logLines: [] });
  if (kind === "mutation" || kind === "function") deps.onDataChanged();
  return answer(200, { status: "success", value: outcome.value, logLines: [] });
}
