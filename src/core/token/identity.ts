/**
 * identityPreview: exactly what `ctx.auth.getUserIdentity()` returns for an accepted token (reference §7).
 */
import type { UserIdentity } from "../verdict/types";

/** OIDC standard claim → UserIdentity field (reference §7.1). */
const OIDC_FIELDS: ReadonlyArray<readonly [claim: string, field: string, kind: "string" | "boolean"]> = [
  ["name", "name", "string"],
  ["given_name", "givenName", "string"],
  ["family_name", "familyName", "string"],
  ["nickname", "nickname", "string"],
  ["preferred_username", "preferredUsername", "string"],
  ["profile", "profileUrl", "string"],
  ["picture", "pictureUrl", "string"],
  ["website", "websiteUrl", "string"],
  ["email", "email", "string"],
  ["email_verified", "emailVerified", "boolean"],
  ["gender", "gender", "string"],
  ["birthdate", "birthday", "string"],
  ["zoneinfo", "timezone", "string"],
  ["locale", "language", "string"],
  ["phone_number", "phoneNumber", "string"],
  ["phone_number_verified", "phoneNumberVerified", "boolean"],
];

/** Claims openidconnect consumes as ID-token fields, and the subject. */
const OIDC_ID_TOKEN_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash"];
/** Standard claim names (dropped when not mapped), and localizable ones (`name#ja` also dropped). */
const OIDC_STANDARD_CLAIMS = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
  "website", "email", "email_verified", "gender", "birthdate", "birthday", "zoneinfo", "locale", "phone_number",
  "phone_number_verified", "address", "updated_at",
];
const OIDC_LOCALIZED = new Set(["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website"]);
/** Removed explicitly by Convex because they change on every refresh. */
const CONVEX_STRIPPED = ["jti", "nbf", "fva"];

const OIDC_EXCLUDED = new Set([...OIDC_ID_TOKEN_CLAIMS, ...OIDC_STANDARD_CLAIMS, ...CONVEX_STRIPPED]);
const CUSTOM_JWT_EXCLUDED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "fva"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Claims nest at most this deep in the preview. Page data is untrusted: a token can nest 100 000 levels, which
 * overflows any recursive copy or renderer. Deeper values are replaced by NESTED_TOO_DEEP.
 */
export const MAX_CLAIM_DEPTH = 64;
export const NESTED_TOO_DEEP = `[not shown: nested deeper than ${MAX_CLAIM_DEPTH} levels]`;

/**
 * A JSON deep copy (custom claims round-trip through JSON strings in the backend), at most MAX_CLAIM_DEPTH deep.
 * Own enumerable keys only, as JSON.stringify; `__proto__` stays a plain key.
 */
function jsonCopy(v: unknown, depth = 0): unknown {
  if (v === undefined || v === null || typeof v !== "object") return typeof v === "number" && !Number.isFinite(v) ? null : v;
  if (depth >= MAX_CLAIM_DEPTH) return NESTED_TOO_DEEP;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : jsonCopy(x, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== undefined) Object.defineProperty(out, k, { value: jsonCopy(x, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * chrono's `to_rfc3339()` of a UTC time: `2024-01-01T00:00:00+00:00`, with 3/6/9 fraction digits only
 * when there is a fraction.
 */
export function rfc3339Utc(seconds: number): string | null {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e12) return null;
  const whole = Math.floor(seconds);
  const d = new Date(whole * 1000);
  const base =
    `${String(d.getUTCFullYear()).padStart(4, "0")}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` +
    `T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const nanos = Math.round((seconds - whole) * 1e9);
  let frac = "";
  if (nanos > 0 && nanos < 1e9) {
    const digits = String(nanos).padStart(9, "0");
    frac = "." + (nanos % 1e6 === 0 ? digits.slice(0, 3) : nanos % 1e3 === 0 ? digits.slice(0, 6) : digits);
  }
  return `${base}${frac}+00:00`;
}

function updatedAt(v: unknown): string | undefined {
  if (typeof v === "number") return rfc3339Utc(v) ?? undefined;
  if (typeof v === "string") {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : (rfc3339Utc(ms / 1000) ?? undefined);
  }
  return undefined;
}

/** Sets a key read from the token: `__proto__` and `constructor` are claim names here, not object machinery. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Flattens nested objects into dotted keys, recursively (to MAX_CLAIM_DEPTH); arrays and scalars are kept as values. */
function flatten(prefix: string, value: unknown, out: Record<string, unknown>, depth = 0): void {
  if (isObject(value) && depth < MAX_CLAIM_DEPTH) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out, depth + 1);
    return;
  }
  put(out, prefix, isObject(value) ? NESTED_TOO_DEEP : jsonCopy(value, depth));
}

/**
 * What `ctx.auth.getUserIdentity()` returns for this payload on a provider of the given type.
 * `tokenIdentifier` uses the raw `iss` (no normalization). Absent fields are omitted.
 */
export function identityPreview(payload: Record<string, unknown>, type: "oidc" | "customJwt"): UserIdentity {
  const iss = typeof payload.iss === "string" ? payload.iss : String(payload.iss ?? "");
  const sub = typeof payload.sub === "string" ? payload.sub : String(payload.sub ?? "");
  const identity: UserIdentity = { tokenIdentifier: `${iss}|${sub}`, subject: sub, issuer: iss };

  if (type === "customJwt") {
    for (const [k, v] of Object.entries(payload)) {
      if (CUSTOM_JWT_EXCLUDED.has(k)) continue;
      flatten(k, v, identity);
    }
    return identity;
  }

  for (const [claim, field, kind] of OIDC_FIELDS) {
    const v = payload[claim];
    if (typeof v === kind) identity[field] = v;
  }
  const address = payload.address;
  if (isObject(address) && typeof address.formatted === "string") identity.address = address.formatted;
  const updated = updatedAt(payload.updated_at);
  if (updated !== undefined) identity.updatedAt = updated;

  for (const [k, v] of Object.entries(payload)) {
    if (OIDC_EXCLUDED.has(k)) continue;
    const hash = k.indexOf("#");
    if (hash > 0 && OIDC_LOCALIZED.has(k.slice(0, hash))) continue;
    // Typed fields win over a custom claim spelled like one of them.
    if (Object.hasOwn(identity, k)) continue;
    put(identity, k, jsonCopy(v));
  }
  return identity;
}
