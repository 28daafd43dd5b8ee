/** Content-Type rules of the backend's discovery and JWKS fetches (reference §3.1, §3.2). */

export interface MediaType {
  /** `type/subtype`, lowercased. */
  essence: string;
  /** Parameter names lowercased; values unquoted, case kept. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parse a Content-Type header; null when it is not a valid media type. */
export function parseMediaType(header: string): MediaType | null {
  const [head = "", ...rest] = header.split(";");
  const essence = head.trim().toLowerCase();
  const slash = essence.indexOf("/");
  if (slash <= 0 || slash === essence.length - 1) return null;
  if (!TOKEN.test(essence.slice(0, slash)) || !TOKEN.test(essence.slice(slash + 1))) return null;
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (part.trim() === "") continue;
      return null;
    }
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!TOKEN.test(name)) return null;
    params[name] = value;
  }
  return { essence, params };
}

/** Discovery: essence `application/json` (params allowed) or no header at all. */
export function discoveryContentTypeOk(header: string | null): boolean {
  if (header === null) return true;
  return parseMediaType(header)?.essence === "application/json";
}

const JWKS_TYPES = new Set(["application/json", "application/jwk-set+json"]);

/** OIDC JWKS: `application/json`, `application/jwk-set+json`, or no header. */
export function oidcJwksContentTypeOk(header: string | null): boolean {
  if (header === null) return true;
  const mt = parseMediaType(header);
  return mt !== null && JWKS_TYPES.has(mt.essence);
}

/**
 * customJwt JWKS: the header is required; essence `application/json` or `application/jwk-set+json`;
 * a `charset` parameter, if present, must be utf-8 (compared case-insensitively, like the `mime` crate's names).
 */
export function customJwtContentTypeOk(header: string | null): boolean {
  if (header === null) return false;
  const mt = parseMediaType(header);
  if (mt === null || !JWKS_TYPES.has(mt.essence)) return false;
  const charset = mt.params["charset"];
  return charset === undefined || charset.toLowerCase() === "utf-8";
}
