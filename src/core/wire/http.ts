/**
 * Convex HTTP wire facts (reference convex-protocol §1, §6; convex-backend-auth §4.2, §5.2, §6):
 * endpoint classification, the Authorization header as the backend parses it, error bodies, and the
 * deployment URL behind a sync socket URL. Pure string work: URL is a JS built-in, not a DOM API.
 */
import { clip, isObject, tryParseJson, type Json } from "./json";

export type HttpEndpoint =
  | "/api/query"
  | "/api/mutation"
  | "/api/action"
  | "/api/function"
  | "/api/run"
  | "/api/query_batch"
  | "/api/query_ts"
  | "/api/query_at_ts"
  | "/api/debug_event"
  | "http-action";

/** Endpoints that run a function with the caller's identity (what `http-auth-missing` cares about). */
export const FUNCTION_ENDPOINTS: ReadonlySet<string> = new Set([
  "/api/query",
  "/api/mutation",
  "/api/action",
  "/api/function",
  "/api/run",
  "/api/query_batch",
  "/api/query_at_ts",
]);

export interface HttpTarget {
  /** The deployment's https (or http, for local) URL, e.g. `https://happy-animal-123.convex.cloud`. */
  deployment: string;
  endpoint: HttpEndpoint;
}

const API_PATH = /^(.*?)\/api\/(query|mutation|action|function|query_batch|query_ts|query_at_ts|debug_event|run\/.+)\/?$/;

/** Classify a Convex HTTP URL, or null when it is not one of the deployment's API routes. */
export function classifyHttpUrl(url: string): HttpTarget | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  const host = u.hostname.toLowerCase();
  // HTTP actions live on the .convex.site twin of the .convex.cloud deployment (any path).
  if (host.endsWith(".convex.site"))
    return { deployment: `${u.protocol}//${u.host.replace(/\.convex\.site$/i, ".convex.cloud")}`, endpoint: "http-action" };
  const m = API_PATH.exec(u.pathname);
  if (!m) return null;
  const prefix = (m[1] ?? "").replace(/\/+$/, "");
  const kind = m[2] ?? "";
  const endpoint = (kind.startsWith("run/") ? "/api/run" : `/api/${kind}`) as HttpEndpoint;
  return { deployment: `${u.protocol}//${u.host}${prefix}`, endpoint };
}

export type AuthorizationHeader =
  | { scheme: "none" }
  | { scheme: "Bearer"; token: string }
  | {
      scheme: "Convex";
      /** The admin key (a credential: mask it before showing it anywhere). */
      adminKey: string;
      /** Decoded `:base64(identity JSON)` suffix (dashboard "act as user"), when present. */
      actingAs: Json | null;
    }
  | {
      scheme: "other";
      /** The backend's answer to this header (status, code, message). */
      backend: { status: number; code: string; message: string };
      /** The header's first word, for messages (never the credential part). */
      prefix: string;
    };

/** Parse an Authorization header exactly as the backend's HTTP routes do (convex-backend-auth §4.2). */
export function parseAuthorization(header: string | null | undefined): AuthorizationHeader {
  if (header === null || header === undefined || header === "") return { scheme: "none" };
  const prefix = clip(header.split(/\s/, 1)[0] ?? "", 20);
  if (!/^[\x20-\x7e\t]*$/.test(header))
    return { scheme: "other", prefix, backend: { status: 400, code: "HeaderParseFailure", message: "Failed to parse header" } };
  if (header.length < 7)
    return { scheme: "other", prefix, backend: { status: 400, code: "InvalidHeaderFailure", message: "Invalid authentication header" } };
  const head7 = header.slice(0, 7).toLowerCase();
  if (head7 === "convex ") return { scheme: "Convex", ...adminKeyParts(header.slice(7).trim()) };
  if (head7 === "bearer ") {
    const token = header.slice(7).trim();
    if (token) return { scheme: "Bearer", token };
  }
  return { scheme: "other", prefix, backend: { status: 400, code: "InvalidAdminKey", message: "Invalid admin key" } };
}

/** `key` or `key:base64(JSON identity)`. Admin keys contain `:` themselves (`dev:name|…`), so try the last one. */
function adminKeyParts(value: string): { adminKey: string; actingAs: Json | null } {
  const at = value.lastIndexOf(":");
  if (at > 0) {
    const suffix = value.slice(at + 1);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(suffix)) {
      try {
        const bytes = Uint8Array.from(atob(suffix), (ch) => ch.charCodeAt(0));
        const parsed = tryParseJson(new TextDecoder().decode(bytes));
        if (parsed.ok && isObject(parsed.value)) return { adminKey: value.slice(0, at), actingAs: parsed.value };
      } catch {
        // not base64: the whole value is the key
      }
    }
  }
  return { adminKey: value, actingAs: null };
}

export type HttpErrorBody = { code: string; message: string } | { raw: string };

/**
 * The backend's error body `{"code","message"}`, also in ConvexHttpClient's thrown form
 * `Error: {"code":…,"message":…}` (the client throws `new Error(await response.text())`).
 */
export function parseHttpErrorBody(text: string): HttpErrorBody {
  const trimmed = text.trim().replace(/^(?:Uncaught\s+)?(?:Error:\s*)/, "");
  const parsed = tryParseJson(trimmed);
  if (parsed.ok && isObject(parsed.value)) {
    const { code, message } = parsed.value;
    if (typeof code === "string" && typeof message === "string") return { code: clip(code, 80), message: clip(message, 2000) };
  }
  return { raw: clip(text, 2000) };
}

export interface SyncUrlInfo {
  /** `wss://x/api/1.48.0/sync` → `https://x` (`ws:` → `http:`). */
  deployment: string;
  /** "1.48.0", or null for the unversioned `/api/sync`. */
  clientVersion: string | null;
}

const SYNC_PATH = /^(.*?)\/api\/(?:(\d+\.\d+\.\d+[^/]*)\/)?sync\/?$/;

/** Deployment URL and client version from a sync socket URL, or null when it is not one. */
export function parseSyncUrl(url: string): SyncUrlInfo | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const scheme = u.protocol === "wss:" || u.protocol === "https:" ? "https:" : u.protocol === "ws:" || u.protocol === "http:" ? "http:" : null;
  if (!scheme) return null;
  const m = SYNC_PATH.exec(u.pathname);
  if (!m) return null;
  // An address with a trailing slash yields `//api/...`; the deployment is the same.
  const prefix = (m[1] ?? "").replace(/\/+$/, "");
  return { deployment: `${scheme}//${u.host}${prefix}`, clientVersion: m[2] ?? null };
}
