/** Test-time token minting with jose: keys are generated per run, nothing signed is committed. */
import { CompactEncrypt, SignJWT, generateKeyPair, type JWTPayload } from "jose";

let rsa: Awaited<ReturnType<typeof generateKeyPair>> | undefined;

export async function rsaKeys() {
  rsa ??= await generateKeyPair("RS256", { extractable: true });
  return rsa;
}

/** Signs `payload` as given (no claim validation), RS256 with kid "k1" unless a header is supplied. */
export async function signRs256(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { privateKey } = await rsaKeys();
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT", ...header }).sign(privateKey);
}

export async function signHs256(payload: Record<string, unknown>): Promise<string> {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
}

export async function encryptJwe(payload: Record<string, unknown>): Promise<string> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .encrypt(key);
}

/** base64url of UTF-8 JSON (or of raw text), for hand-built malformed tokens. */
export function b64url(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}
