/**
 * Providers read back out of the backend's dev `NoAuthProvider` message (reference §4.1), which lists the
 * stored providers in stored order:
 *   `…configured providers: [OIDC(domain=https://a, app_id=convex), CustomJWT(issuer=https://b, app_id=none)]`
 * and "…(no providers configured). Check convex/auth.config.ts." for none.
 */
import type { CustomJwtProvider, OidcProvider, Provider } from "./types";

const LIST_MARKER = "match one of your configured providers: [";
const NONE_MARKER = "No auth provider found matching the given token (no providers configured)";
const ITEM_START = /^(OIDC|CustomJWT)\((domain|issuer)=/;
/** Bound on the text we scan: a NoAuthProvider message with many providers is still a few KB. */
const MAX_TEXT = 200_000;

/** Unwraps `{"code":"NoAuthProvider","message":"…"}` (an HTTP 401 body or a ConvexHttpClient error text). */
function messageText(text: string): string {
  const brace = text.indexOf("{");
  if (brace >= 0 && text.includes('"message"')) {
    try {
      const v: unknown = JSON.parse(text.slice(brace));
      if (typeof v === "object" && v !== null && typeof (v as { message?: unknown }).message === "string") {
        return (v as { message: string }).message;
      }
    } catch {
      // Not (only) JSON: read the text as is.
    }
  }
  return text;
}

/**
 * The provider list of a dev NoAuthProvider message (the whole message, a JSON error body, or just the
 * `[…]` list), in the order shown, which is the stored order. `[]` for "no providers configured";
 * null when the text is not such a message (e.g. the production text, which lists nothing).
 * customJwt entries have `jwks` and `algorithm` null (the message does not show them); `app_id=none` means
 * no applicationID.
 */
export function providersFromNoAuthProviderMessage(text: string): Provider[] | null {
  if (typeof text !== "string") return null;
  const msg = messageText(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text);
  if (msg.includes(NONE_MARKER)) return [];
  let start: number;
  const marker = msg.indexOf(LIST_MARKER);
  if (marker >= 0) start = marker + LIST_MARKER.length;
  else {
    const bare = msg.trim();
    // Just the list, pasted on its own: it must start with a provider item.
    if (!bare.startsWith("[") || !ITEM_START.test(bare.slice(1))) return null;
    return parseList(bare, 1);
  }
  return parseList(msg, start);
}

function parseList(s: string, start: number): Provider[] | null {
  const providers: Provider[] = [];
  let pos = start;
  if (s[pos] === "]") return providers;
  while (pos < s.length) {
    const m = ITEM_START.exec(s.slice(pos, pos + 32));
    if (!m) return null;
    const kind = m[1];
    const field = m[2];
    if ((kind === "OIDC") !== (field === "domain")) return null;
    const bodyStart = pos + m[0].length;
    // The item ends at the first `)` followed by the next item or the closing `]`: robust to `)` and `, `
    // inside values (they are URLs and free-form application IDs).
    const end = findItemEnd(s, bodyStart);
    if (end < 0) return null;
    const body = s.slice(bodyStart, end);
    const sep = body.lastIndexOf(", app_id=");
    if (sep < 0) return null;
    const url = body.slice(0, sep);
    const appId = body.slice(sep + ", app_id=".length);
    const index = providers.length;
    if (kind === "OIDC") {
      const p: OidcProvider = { type: "oidc", domain: url, applicationID: appId, index };
      providers.push(p);
    } else {
      const p: CustomJwtProvider = { type: "customJwt", issuer: url, jwks: null, algorithm: null, index };
      if (appId !== "none") p.applicationID = appId;
      providers.push(p);
    }
    pos = end + 1;
    if (s[pos] === "]") return providers;
    if (s.startsWith(", ", pos)) pos += 2;
    else return null;
  }
  return null;
}

function findItemEnd(s: string, from: number): number {
  let i = s.indexOf(")", from);
  while (i >= 0) {
    const rest = s.slice(i + 1, i + 13);
    if (rest.startsWith("]") || rest.startsWith(", OIDC(") || rest.startsWith(", CustomJWT(")) return i;
    i = s.indexOf(")", i + 1);
  }
  return -1;
}
