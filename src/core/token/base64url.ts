/**
 * Strict base64url → bytes / text / JSON, without Buffer (core runs in the browser too).
 * Used where jose refuses an input and we still want to say precisely what is wrong with it.
 */

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** True when `s` uses only the base64url alphabet (optional `=` padding tolerated). */
export function isBase64Url(s: string): boolean {
  return s.length > 0 && BASE64URL.test(s) && s.replace(/=+$/, "").length % 4 !== 1;
}

/** Decodes base64url to bytes, or null when `s` is not base64url. */
export function base64UrlToBytes(s: string): Uint8Array | null {
  if (!isBase64Url(s)) return null;
  const b64 = s.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  let bin: string;
  try {
    bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decodes base64url to UTF-8 text; null when not base64url or not valid UTF-8. */
export function base64UrlToText(s: string): string | null {
  const bytes = base64UrlToBytes(s);
  if (!bytes) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Encodes bytes as standard base64 (for data: URLs). */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  // Chunked so a large input does not overflow the argument list of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

export type JsonPartResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: "not-base64url" | "not-utf8" | "not-json" };

/** Decodes one JWT part: base64url → UTF-8 → JSON, with the first failing step named. */
export function decodeJsonPart(part: string): JsonPartResult {
  const bytes = base64UrlToBytes(part);
  if (!bytes) return { ok: false, reason: "not-base64url" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "not-utf8" };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: "not-json" };
  }
}
