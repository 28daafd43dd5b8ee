/**
 * openidconnect's ID-token parse (`CoreIdTokenWithCustomClaims::from_str`, reference §3.1 step 3): which
 * claims must exist and which JSON types the standard claims must have. A failure here is the backend's
 * "Could not parse as OIDC ID token…".
 */

export type OidcParseProblem =
  | { kind: "header"; detail: string }
  | { kind: "missing"; claim: "sub" | "exp" | "iat" }
  | { kind: "type"; claim: string; detail: string };

/** openidconnect header algs: JWS algs, JWE content-encryption algs, key-management algs and `none` parse. */
const KNOWN_ALGS = new Set([
  "none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
  "EdDSA", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM", "RSA1_5",
  "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
  "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW",
  "PBES2-HS512+A256KW",
]);

const STRING_CLAIMS = ["email", "gender", "zoneinfo", "locale", "phone_number", "preferred_username", "birthdate", "nonce", "acr", "azp", "at_hash", "c_hash"];
const LOCALIZED_CLAIMS = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website"];
const BOOLEAN_CLAIMS = ["email_verified", "phone_number_verified"];
const ADDRESS_FIELDS = ["formatted", "street_address", "locality", "region", "postal_code", "country"];

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function isTimestamp(v: unknown): boolean {
  return (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)));
}

/** Every reason the ID-token parse fails, in the order found (empty: it parses). */
export function oidcParseProblems(header: Record<string, unknown> | null, payload: Record<string, unknown>): OidcParseProblem[] {
  const out: OidcParseProblem[] = [];
  if (header === null) out.push({ kind: "header", detail: "the JOSE header (part 1) is not base64url JSON" });
  else if (typeof header.alg !== "string" || !KNOWN_ALGS.has(header.alg)) {
    out.push({ kind: "header", detail: `the header \`alg\` ${show(header.alg)} is not an algorithm openidconnect knows` });
  }

  const iss = payload.iss;
  if (typeof iss === "string") {
    try {
      new URL(iss);
    } catch {
      out.push({ kind: "type", claim: "iss", detail: `\`iss\` ${show(iss)} is not an absolute URL` });
    }
  }
  for (const claim of ["sub", "exp", "iat"] as const) {
    if (payload[claim] === undefined || payload[claim] === null) out.push({ kind: "missing", claim });
  }
  if (payload.sub !== undefined && payload.sub !== null && typeof payload.sub !== "string") {
    out.push({ kind: "type", claim: "sub", detail: `\`sub\` is a JSON ${typeName(payload.sub)}, not a string` });
  }
  if (payload.auth_time !== undefined && payload.auth_time !== null && !isTimestamp(payload.auth_time)) {
    out.push({ kind: "type", claim: "auth_time", detail: `\`auth_time\` is ${show(payload.auth_time)}, not a number` });
  }
  for (const claim of STRING_CLAIMS) {
    const v = payload[claim];
    if (v !== undefined && v !== null && typeof v !== "string") {
      out.push({ kind: "type", claim, detail: `\`${claim}\` is ${show(v)} (a JSON ${typeName(v)}), not a string` });
    }
  }
  for (const [name, v] of Object.entries(payload)) {
    const base = name.split("#")[0] ?? name;
    if (!LOCALIZED_CLAIMS.includes(base)) continue;
    if (v !== null && typeof v !== "string") {
      out.push({ kind: "type", claim: name, detail: `\`${name}\` is ${show(v)} (a JSON ${typeName(v)}), not a string` });
    }
  }
  for (const claim of BOOLEAN_CLAIMS) {
    const v = payload[claim];
    if (v !== undefined && v !== null && typeof v !== "boolean") {
      out.push({
        kind: "type",
        claim,
        detail: `\`${claim}\` is ${show(v)} (a JSON ${typeName(v)}), not a JSON boolean (string booleans are not accepted)`,
      });
    }
  }
  const amr = payload.amr;
  if (amr !== undefined && amr !== null && !(Array.isArray(amr) && amr.every((a) => typeof a === "string"))) {
    out.push({ kind: "type", claim: "amr", detail: `\`amr\` is ${show(amr)}, not an array of strings` });
  }
  const updated = payload.updated_at;
  if (updated !== undefined && updated !== null && !isTimestamp(updated)) {
    out.push({ kind: "type", claim: "updated_at", detail: `\`updated_at\` is ${show(updated)}, not a number or an RFC 3339 time` });
  }
  const address = payload.address;
  if (address !== undefined && address !== null) {
    if (typeName(address) !== "object") {
      out.push({ kind: "type", claim: "address", detail: `\`address\` is a JSON ${typeName(address)}, not an object` });
    } else {
      for (const f of ADDRESS_FIELDS) {
        const v = (address as Record<string, unknown>)[f];
        if (v !== undefined && v !== null && typeof v !== "string") {
          out.push({ kind: "type", claim: `address.${f}`, detail: `\`address.${f}\` is a JSON ${typeName(v)}, not a string` });
        }
      }
    }
  }
  return out;
}
