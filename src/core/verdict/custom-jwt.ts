/**
 * The customJwt path (reference §3.2): JWKS (URL or data:), biscuit's strict parse and `decode_with_jwks`,
 * the `iss` re-check, `aud` when applicationID is set, time checks with a 5 s epsilon, then `sub`/`exp`.
 */
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import { isLocalFailure, type FetchFailure, type JwkSet } from "../keys/types";
import { formatTime } from "../token/claims";
import { messages } from "./messages";
import { normalizeConfigIssuer, normalizeTokenIssuer } from "./match";
import { selectCustomJwtKey, verifySignature } from "../keys/verify";
import { describeFailure, evidence, headerKid, removedSignature, short, type Incomplete, type PathContext, type PathResult } from "./path";
import type { ExpectedError } from "./types";

/** biscuit's `TemporalOptions.epsilon`. */
export const CUSTOM_JWT_LEEWAY_SECONDS = 5;

function jwksError(url: string, f: FetchFailure): ExpectedError {
  switch (f.kind) {
    case "network":
      return messages.jwksNetwork(url, f.error);
    case "status":
      return messages.jwksStatus(url, f.status);
    case "content-type":
      return messages.jwksContentType(url, f.contentType);
    case "data-url":
      return messages.jwksDataUrl();
    case "body":
    case "policy":
    case "skipped":
    case "unreachable":
      return messages.jwksBody(url);
  }
}

/** biscuit reads NumericDates as floats and rounds them (the "Permit fractional timestamps" fork). */
function seconds(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? Math.round(v) : null;
}

export async function customJwtPath(ctx: PathContext): Promise<PathResult> {
  const findings: Finding[] = [];
  const incomplete: Incomplete[] = [];
  const fail = (error: ExpectedError, step: string): PathResult => ({ error, step, findings, incomplete });
  const p = ctx.provider;
  if (p.type !== "customJwt") throw new Error("customJwtPath needs a customJwt provider");

  // 1–2. JWKS (fetched or data:), parsed strictly.
  let jwks: JwkSet | null = null;
  if (p.jwks === null || p.algorithm === null) {
    incomplete.push({
      step: "jwks",
      reason: ctx.anyProvider
        ? "the provider list is not known, so neither the JWKS nor the configured algorithm is"
        : "the provider was read from a NoAuthProvider message, which does not list its jwks URL or algorithm",
    });
  } else if (ctx.keys === null) {
    incomplete.push({ step: "jwks", reason: "no key source was available, so the JWKS was not fetched" });
  } else {
    const r = await ctx.keys.jwks(p.jwks, "customJwt");
    if (!r.ok) {
      if (isLocalFailure(r.failure)) incomplete.push({ step: "jwks", reason: describeFailure(r.failure) });
      else {
        findings.push(
          finding("jwks-unreachable", `The customJwt JWKS failed: ${describeFailure(r.failure)}.`, evidence(ctx, undefined, p.jwks)),
        );
        return fail(jwksError(p.jwks, r.failure), "jwks");
      }
    } else {
      jwks = r.value;
    }
  }

  // 3. decode_with_jwks: kid required, first JWK with that kid, algorithm rules, signature.
  const header = ctx.header;
  const kid = headerKid(header);
  const headerAlg = header?.alg;
  const decode: Finding[] = [];
  if (header === null) {
    decode.push(finding("not-a-jwt", "The JOSE header (part 1) is not base64url JSON, so the token cannot be decoded.", evidence(ctx, "header")));
  } else if (kid === null) {
    decode.push(finding("kid-missing", "The token has no `kid` header; a customJwt provider requires one.", evidence(ctx, "header.kid")));
  }
  if (header !== null && typeof headerAlg === "string" && /^HS\d{3}$/.test(headerAlg)) {
    decode.push(finding("hs-symmetric", `The token is signed with ${headerAlg}, a shared-secret algorithm that Convex never accepts.`, evidence(ctx, "header.alg", headerAlg)));
  } else if (header !== null && p.algorithm === null && headerAlg !== "RS256" && headerAlg !== "ES256") {
    // The configured algorithm is not known, but it is RS256 or ES256: any other alg fails for every customJwt provider.
    decode.push(
      finding(
        "alg-unsupported",
        `The header alg is ${JSON.stringify(short(headerAlg))}; a customJwt provider accepts only its configured algorithm, RS256 or ES256.`,
        evidence(ctx, "header.alg", headerAlg),
      ),
    );
  } else if (header !== null && p.algorithm !== null && headerAlg !== p.algorithm) {
    decode.push(
      finding(
        "alg-unsupported",
        `${headerAlg === undefined ? "The header has no alg" : `The header alg is ${JSON.stringify(short(headerAlg))}`} but the provider's configured algorithm is ${p.algorithm}; customJwt accepts only the configured one.`,
        evidence(ctx, "header.alg", headerAlg),
        headerAlg === "EdDSA"
          ? "customJwt supports only RS256 and ES256: sign with one of those, or configure this issuer as an OIDC provider (which accepts EdDSA)."
          : undefined,
      ),
    );
  }
  if (decode.length === 0 && jwks !== null && header !== null && p.algorithm !== null) {
    const sel = selectCustomJwtKey(jwks, header, p.algorithm);
    const kidText = JSON.stringify(short(kid ?? "", 80));
    if ("error" in sel) {
      const kids = JSON.stringify(sel.kids.slice(0, 20).map((k) => short(k, 80)));
      const key = jwks.keys.find((k) => k.kid === kid);
      if (sel.error === "kid-missing") {
        decode.push(finding("kid-missing", "The token has no `kid` header; a customJwt provider requires one.", evidence(ctx, "header.kid")));
      } else if (sel.error === "kid-not-found") {
        decode.push(finding("kid-not-in-jwks", `No key in the JWKS has kid ${kidText}; its kids are ${kids}.`, evidence(ctx, "header.kid", kid)));
      } else if (sel.error === "unsupported-key") {
        decode.push(
          finding("alg-unsupported", `The JWK with kid ${kidText} has kty ${JSON.stringify(short(key?.kty))}; only RSA and EC keys can verify.`, evidence(ctx, "header.kid", kid)),
        );
      } else {
        const jwkAlg = key?.alg;
        decode.push(
          finding(
            "alg-unsupported",
            jwkAlg !== undefined && jwkAlg !== null
              ? `The JWK with kid ${kidText} has alg ${JSON.stringify(short(jwkAlg))}, which disagrees with the header alg ${JSON.stringify(short(headerAlg))} or the configured ${p.algorithm}.`
              : `The header alg ${JSON.stringify(short(headerAlg))} differs from the configured ${p.algorithm}.`,
            evidence(ctx, "header.alg", headerAlg),
          ),
        );
      }
    } else if (removedSignature(ctx.token)) {
      incomplete.push(removedSignature(ctx.token)!);
    } else {
      const v = await verifySignature(ctx.token, sel.key, p.algorithm);
      if (!v.ok) {
        decode.push(
          finding("signature-invalid", `The ${p.algorithm} signature does not verify with the JWKS key ${kidText}: ${v.reason}.`, evidence(ctx, "header.kid", kid)),
        );
      }
    }
  }
  if (decode.length > 0) {
    findings.push(...decode);
    return fail(messages.decode(kid, ctx.prod), "verify");
  }

  // 4. iss re-check on the verified payload (normally unreachable: matching already compared it).
  const iss = ctx.payload.iss;
  if (typeof iss !== "string") {
    findings.push(finding("iss-missing", "The verified payload has no `iss` claim.", evidence(ctx, "iss")));
    return fail(messages.missingIss(), "claims");
  }
  if (normalizeTokenIssuer(iss) !== normalizeConfigIssuer(p.issuer)) {
    findings.push(finding("iss-mismatch", `The token's iss ${JSON.stringify(short(iss))} is not the configured issuer ${JSON.stringify(p.issuer)}.`, evidence(ctx, "iss", iss)));
    return fail(messages.invalidIssuer(iss, p.issuer), "claims");
  }

  // 5. aud, only when applicationID is set.
  if (p.applicationID !== undefined) {
    const aud = ctx.payload.aud;
    if (aud === undefined || aud === null) {
      findings.push(finding("aud-missing", `The token has no aud; the provider requires ${JSON.stringify(p.applicationID)}.`, evidence(ctx, "aud")));
      return fail(messages.missingAud(), "claims");
    }
    if (!ctx.aud.includes(p.applicationID)) {
      findings.push(
        finding("aud-mismatch", `aud ${short(aud)} does not contain the applicationID ${JSON.stringify(p.applicationID)}.`, evidence(ctx, "aud", aud)),
      );
      return fail(messages.invalidAudience(p.applicationID, ctx.aud), "claims");
    }
  }

  // 6. Time checks, 5 s epsilon on both sides; absent claims are not checked here.
  const exp = seconds(ctx.payload.exp);
  const nbf = seconds(ctx.payload.nbf);
  const iat = seconds(ctx.payload.iat);
  if (exp !== null && ctx.now - exp > CUSTOM_JWT_LEEWAY_SECONDS) {
    findings.push(
      finding(
        "token-expired",
        `The token expired ${formatTime(exp, ctx.now)} (${ctx.now - exp} s); customJwt allows ${CUSTOM_JWT_LEEWAY_SECONDS} s.`,
        evidence(ctx, "exp", ctx.payload.exp),
      ),
    );
    return fail(messages.tokenExpired(ctx.now - exp), "claims");
  }
  for (const [name, v] of [["nbf", nbf], ["iat", iat]] as const) {
    if (v !== null && v - ctx.now > CUSTOM_JWT_LEEWAY_SECONDS) {
      findings.push(
        finding(
          "token-not-yet-valid",
          `The token's ${name} is ${formatTime(v, ctx.now)} (${v - ctx.now} s ahead of the backend's clock); customJwt allows ${CUSTOM_JWT_LEEWAY_SECONDS} s of clock skew.`,
          evidence(ctx, name, ctx.payload[name]),
        ),
      );
      return fail(messages.tokenNotYetValid(v - ctx.now), "claims");
    }
  }

  // 7. The identity needs sub and exp.
  const missing: Finding[] = [];
  if (typeof ctx.payload.sub !== "string") missing.push(finding("sub-missing", "The token has no `sub` claim, which the identity requires.", evidence(ctx, "sub")));
  if (exp === null) missing.push(finding("exp-missing", "The token has no `exp` claim, which the identity requires.", evidence(ctx, "exp")));
  if (missing.length > 0) {
    findings.push(...missing);
    return fail(messages.claimsMissing(), "claims");
  }

  // Accepted inside the grace period: the sync session rejects the identity at once (now >= exp, no leeway).
  if (exp !== null && ctx.now >= exp) {
    findings.push(
      finding(
        "token-expired",
        `The token expired ${formatTime(exp, ctx.now)}: customJwt validation still accepts it (5 s leeway), but a WebSocket session rejects it at once with "Convex token identity expired".`,
        evidence(ctx, "exp", ctx.payload.exp),
        undefined,
        "warning",
      ),
    );
  }
  return { error: null, step: "identity", findings, incomplete };
}
