/**
 * decodeToken: read (never verify) what a client sent as a token. Mirrors the backend's first step
 * (reference §0 step 1): only the payload matters there, and registered claims must have exact JSON types.
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { DecodedToken, TokenKind } from "./types";
import { decodeJsonPart, isBase64Url } from "./base64url";
import { describeOpaque } from "./kind";
import { fingerprintToken, redactToken } from "./redact";

/** Strips surrounding whitespace and a leading `Bearer ` (any case), as a user pastes a header value. */
export function normalizeTokenInput(raw: string): string {
  let t = raw.trim();
  const m = /^bearer\s+/i.exec(t);
  if (m) t = t.slice(m[0].length).trim();
  else if (/^bearer$/i.test(t)) t = "";
  return t;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Registered claims whose JSON type the backend's payload parse refuses (reference §0 step 1).
 * `null` counts as absent (serde reads it as `None`).
 */
export function findBadClaimTypes(payload: Record<string, unknown>): string[] {
  const bad: string[] = [];
  for (const name of ["iss", "sub", "jti"]) {
    const v = payload[name];
    if (v !== undefined && v !== null && typeof v !== "string") bad.push(name);
  }
  const aud = payload.aud;
  if (aud !== undefined && aud !== null && typeof aud !== "string") {
    if (!Array.isArray(aud) || aud.some((a) => typeof a !== "string")) bad.push("aud");
  }
  for (const name of ["exp", "nbf", "iat"]) {
    const v = payload[name];
    if (v !== undefined && v !== null && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) bad.push(name);
  }
  return bad;
}

/** One sentence describing a registered claim of the wrong type, for findings. */
export function describeBadClaimType(name: string, value: unknown): string {
  const want =
    name === "aud"
      ? "a string or an array of strings"
      : name === "exp" || name === "nbf" || name === "iat"
        ? "a non-negative number (seconds since 1970)"
        : "a string";
  const got = typeof value === "number" && value < 0 ? "a negative number" : `a JSON ${jsonTypeName(value)}`;
  return `\`${name}\` is ${got}; the backend requires ${want}.`;
}

const PART_REASON: Record<"not-base64url" | "not-utf8" | "not-json", string> = {
  "not-base64url": "is not base64url",
  "not-utf8": "decodes to bytes that are not UTF-8 text",
  "not-json": "decodes to text that is not JSON",
};

/** Decodes one JSON part with jose's verdict first, falling back to a specific reason. */
function readPart(part: string, label: string): { value: Record<string, unknown> | null; problem: string | null } {
  if (part.length === 0) return { value: null, problem: `The ${label} is empty.` };
  if (!isBase64Url(part)) {
    const hint = /[+/]/.test(part) ? " (it uses standard base64 `+`/`/` instead of base64url `-`/`_`)" : "";
    return { value: null, problem: `The ${label} is not base64url${hint}.` };
  }
  const r = decodeJsonPart(part);
  if (!r.ok) return { value: null, problem: `The ${label} ${PART_REASON[r.reason]}.` };
  if (!isObject(r.value)) return { value: null, problem: `The ${label} is a JSON ${jsonTypeName(r.value)}, not a JSON object.` };
  return { value: r.value, problem: null };
}

function result(
  kind: TokenKind,
  raw: string,
  header: Record<string, unknown> | null,
  payload: Record<string, unknown> | null,
  problem: string | null,
): DecodedToken {
  return {
    kind,
    raw,
    header,
    payload,
    problem,
    badClaimTypes: payload ? findBadClaimTypes(payload) : [],
    redacted: redactToken(raw),
    fingerprint: fingerprintToken(raw),
  };
}

/** Beyond this the value is described, not decoded: no transport carries a token this large. */
export const MAX_TOKEN_CHARS = 16 * 1024 * 1024;

/**
 * Decodes a token as sent (a `Bearer ` prefix and surrounding whitespace are removed first).
 * Never throws; what could not be read is said in `problem`.
 */
export function decodeToken(input: string): DecodedToken {
  const raw = normalizeTokenInput(typeof input === "string" ? input : "");
  if (raw.length === 0) return result("empty", raw, null, null, "The token is empty.");
  if (raw.length > MAX_TOKEN_CHARS) {
    return result("opaque", raw, null, null, `The value is ${raw.length} characters, more than the ${MAX_TOKEN_CHARS} the inspector decodes.`);
  }

  const parts = raw.split(".", 6); // only 3 and 5 parts matter; the limit keeps a million dots cheap
  if (parts.length === 5) {
    const h = readPart(parts[0] ?? "", "header (part 1)");
    if (h.value && typeof h.value.enc === "string") {
      return result(
        "jwe",
        raw,
        h.value,
        null,
        `This is an encrypted JWT (JWE, 5 parts, enc ${JSON.stringify(h.value.enc).slice(0, 40)}): its claims cannot be read without the decryption key, and Convex accepts only signed JWTs.`,
      );
    }
  }
  if (parts.length !== 3 || !isBase64Url(parts[0] ?? "") || !isBase64Url(parts[1] ?? "")) {
    // Three parts with a non-base64url payload are still JWT-shaped: say which part is wrong.
    if (parts.length === 3 && isBase64Url(parts[0] ?? "") && (parts[1] ?? "").length > 0 && !/\s/.test(raw)) {
      const p = readPart(parts[1] ?? "", "payload (part 2)");
      return result("jwt", raw, readHeader(raw, parts[0] ?? "").value, null, p.problem);
    }
    return result("opaque", raw, null, null, `The value is ${describeOpaque(raw)}.`);
  }

  const header = readHeader(raw, parts[0] ?? "");
  const payload = readPayload(raw, parts[1] ?? "");
  const problems = [header.problem, payload.problem].filter((p): p is string => p !== null);
  return result("jwt", raw, header.value, payload.value, problems.length ? problems.join(" ") : null);
}

function readHeader(raw: string, part: string): { value: Record<string, unknown> | null; problem: string | null } {
  try {
    return { value: decodeProtectedHeader(raw) as Record<string, unknown>, problem: null };
  } catch {
    return readPart(part, "header (part 1)");
  }
}

function readPayload(raw: string, part: string): { value: Record<string, unknown> | null; problem: string | null } {
  try {
    return { value: decodeJwt(raw) as Record<string, unknown>, problem: null };
  } catch {
    return readPart(part, "payload (part 2)");
  }
}
