// JWT and HTTP bits both verification paths need: base64url JSON, claim shapes, issuer comparison.
import type { JsonObject } from "./identity.ts";

export function b64urlJson(part: string | undefined): unknown {
  if (part === undefined || !/^[A-Za-z0-9_-]*$/.test(part)) throw new Error("not base64url");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function audiences(payload: JsonObject): string[] {
  const aud = payload.aud;
  if (typeof aud === "string") return [aud];
  return Array.isArray(aud) ? (aud as string[]) : [];
}

const trimSlashes = (s: string) => s.replace(/\/+$/, "");

/** §2.1: https:// prepended to a scheme-less token iss, trailing slashes trimmed on both sides, exact compare. */
export function issuerMatches(configured: string, iss: string): boolean {
  const tokenSide = /^https?:\/\//.test(iss) ? iss : `https://${iss}`;
  return trimSlashes(configured) === trimSlashes(tokenSide);
}

export function contentTypeEssence(ct: string | null): string | null {
  return ct === null ? null : ct.split(";")[0]!.trim().toLowerCase();
}

