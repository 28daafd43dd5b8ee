// Builds what ctx.auth.getUserIdentity() returns, per reference convex-backend-auth.md §7.

export type JsonObject = Record<string, unknown>;

/** OIDC standard claim → UserIdentity field (§7.1). `address` and `updated_at` are special-cased. */
const OIDC_MAPPED: Record<string, string> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  website: "websiteUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
};

/** Claims openidconnect consumes as ID-token fields, standard-claim names, and the ones Convex strips. */
const OIDC_NOT_CUSTOM = new Set([
  "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash",
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
  "picture", "website", "email", "email_verified", "gender", "birthdate", "birthday", "zoneinfo", "locale",
  "phone_number", "phone_number_verified", "address", "updated_at",
  "jti", "nbf", "fva",
]);

const CUSTOM_JWT_REGISTERED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "fva"]);

function base(claims: JsonObject): JsonObject {
  const iss = String(claims.iss);
  const sub = String(claims.sub);
  return { tokenIdentifier: `${iss}|${sub}`, subject: sub, issuer: iss };
}

/** chrono's to_rfc3339 style: `2024-01-01T00:00:00+00:00`, fractional seconds only when non-zero. */
function rfc3339(value: unknown): string | undefined {
  const date = typeof value === "number" ? new Date(value * 1000) : typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.000Z$/, "Z").replace(/Z$/, "+00:00");
}

/** UserIdentity for a token accepted by an OIDC provider (§7.1). */
export function identityFromOidc(claims: JsonObject): JsonObject {
  const out = base(claims);
  for (const [claim, field] of Object.entries(OIDC_MAPPED)) {
    const v = claims[claim];
    if (v !== undefined && v !== null) out[field] = v;
  }
  const address = claims.address;
  if (address && typeof address === "object" && typeof (address as JsonObject).formatted === "string") {
    out.address = (address as JsonObject).formatted;
  }
  const updated = rfc3339(claims.updated_at);
  if (updated) out.updatedAt = updated;
  for (const [k, v] of Object.entries(claims)) {
    // Localized variants such as `name#ja` are standard claims too, and are dropped.
    if (OIDC_NOT_CUSTOM.has(k.split("#")[0]!)) continue;
    out[k] = v;
  }
  return out;
}

function flatten(prefix: string, value: unknown, into: JsonObject): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as JsonObject)) flatten(prefix ? `${prefix}.${k}` : k, v, into);
  } else {
    into[prefix] = value;
  }
}

/** UserIdentity for a token accepted by a customJwt provider (§7.2): raw names, nested objects dotted. */
export function identityFromCustomJwt(claims: JsonObject): JsonObject {
  const out = base(claims);
  for (const [k, v] of Object.entries(claims)) {
    if (CUSTOM_JWT_REGISTERED.has(k)) continue;
    flatten(k, v, out);
  }
  return out;
}

/** Identity for `Admin` with `impersonating` / `Convex key:base64(json)` (§6): tokenIdentifier defaults to issuer|subject. */
export function actingAsIdentity(attrs: JsonObject): JsonObject {
  const out: JsonObject = { ...attrs };
  if (out.tokenIdentifier === undefined) out.tokenIdentifier = `${String(attrs.issuer)}|${String(attrs.subject)}`;
  return out;
}
