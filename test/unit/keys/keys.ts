/** Keys and tokens generated at test time with jose (never committed). */

import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";

export interface TestKey {
  alg: "RS256" | "ES256" | "EdDSA";
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: TestKey["alg"], kid?: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  if (kid !== undefined) publicJwk.kid = kid;
  return { alg, privateKey, publicJwk };
}

export async function sign(
  key: TestKey,
  claims: Record<string, unknown> = { sub: "user-1" },
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, ...(key.publicJwk.kid ? { kid: key.publicJwk.kid } : {}), ...header })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key.privateKey);
}
