/**
 * The OIDC path (reference §3.1): discovery from the token's `iss`, the JWKS from `jwks_uri`, the ID-token
 * parse, then openidconnect's verifier. Every verifier failure has one generic backend message; the findings
 * say which check failed, with the actual values.
 */
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import { isLocalFailure, type FetchFailure, type JwkSet } from "../keys/types";
import { formatTime } from "../token/claims";
import { messages } from "./messages";
import { oidcParseProblems } from "./oidc-claims";
import { selectOidcKey, verifySignature } from "../keys/verify";
import { describeFailure, evidence, headerKid, removedSignature, short, type Incomplete, type PathContext, type PathResult } from "./path";
import type { ExpectedError } from "./types";

const OIDC_ALGS = ["RS256", "EdDSA"];
const JWE_ALGS = /^(RSA1_5|RSA-OAEP(-256)?|A\d{3}KW|dir|ECDH-ES(\+A\d{3}KW)?|A\d{3}GCMKW|PBES2-.*|A\d{3}(CBC-HS\d{3}|GCM))$/;

/** The backend's answer when discovery or the OIDC JWKS fetch fails (reference §4.1, discovery rows). */
function discoveryError(iss: string, f: FetchFailure): ExpectedError {
  if (f.kind === "status") return messages.discoveryResponse(iss, f.status, f.body);
  if (f.kind === "content-type") return messages.discoveryResponse(iss, 200, f.body);
  return messages.discoveryFailed(iss);
}

/** openidconnect's JOSE `typ` rule: lowercase, `application/` prepended without a `/`; jwt or jose only. */
export function typAllowed(typ: string): boolean {
  const t = typ.toLowerCase();
  const full = t.includes("/") ? t : `application/${t}`;
  return full === "application/jwt" || full === "application/jose";
}

export async function oidcPath(ctx: PathContext): Promise<PathResult> {
  const findings: Finding[] = [];
  const incomplete: Incomplete[] = [];
  const fail = (error: ExpectedError, step: string): PathResult => ({ error, step, findings, incomplete });

  // IssuerUrl::new(iss): a scheme-less iss matched (https:// is prepended for matching only) but is not a URL.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ctx.iss)) {
    findings.push(
      finding(
        "discovery-failed",
        `The token's iss ${JSON.stringify(short(ctx.iss))} has no scheme: it matched ${JSON.stringify(ctx.provider.type === "oidc" ? ctx.provider.domain : ctx.provider.issuer)} because matching prepends https://, but OIDC discovery needs iss to be an absolute URL, so the backend fails with an internal error.`,
        evidence(ctx, "iss", ctx.iss),
        "Make the issuer put the full URL, with https://, in the token's `iss` claim.",
      ),
    );
    return fail(messages.internal(), "discovery");
  }

  // 1. Discovery, from the token's iss (not the configured domain). A failure only this machine sees (not
  // fetched, no answer here) leaves the step unchecked; every check that needs no fetched data still runs.
  let jwks: JwkSet | null = null;
  if (ctx.keys === null) {
    incomplete.push({ step: "discovery", reason: "no key source was available, so the discovery document was not fetched" });
  } else {
    let jwksUri: string | null = null;
    const d = await ctx.keys.discover(ctx.iss);
    if (!d.ok) {
      if (isLocalFailure(d.failure)) {
        incomplete.push({ step: "discovery", reason: describeFailure(d.failure) });
      } else {
        findings.push(
          finding(
            "discovery-failed",
            `OIDC discovery for ${short(ctx.iss)} failed: ${describeFailure(d.failure)}.`,
            evidence(ctx, "iss", ctx.iss),
          ),
        );
        return fail(discoveryError(ctx.iss, d.failure), "discovery");
      }
    } else if (d.value.issuer !== ctx.iss) {
      const docIssuer = d.value.issuer;
      const slash =
        typeof docIssuer === "string" && docIssuer.replace(/\/+$/, "") === ctx.iss.replace(/\/+$/, "")
          ? " They differ only in a trailing slash: matching ignores it, discovery does not."
          : "";
      findings.push(
        finding(
          "discovery-issuer-mismatch",
          `The discovery document's issuer ${JSON.stringify(short(docIssuer))} is not byte-for-byte the token's iss ${JSON.stringify(short(ctx.iss))}.${slash}`,
          evidence(ctx, "iss", ctx.iss),
        ),
      );
      return fail(messages.discoveryFailed(ctx.iss), "discovery");
    } else {
      jwksUri = d.value.jwks_uri;
    }
    // 2. JWKS from jwks_uri (unparseable keys skipped); keys the user supplied serve even without discovery.
    const k = await ctx.keys.jwks(jwksUri, "oidc");
    if (!k.ok) {
      if (isLocalFailure(k.failure)) {
        incomplete.push({ step: "jwks", reason: describeFailure(k.failure) });
      } else {
        findings.push(
          finding("jwks-unreachable", `The OIDC JWKS failed: ${describeFailure(k.failure)}.`, evidence(ctx, undefined, jwksUri ?? undefined)),
        );
        return fail(discoveryError(ctx.iss, k.failure), "jwks");
      }
    } else {
      jwks = k.value;
    }
  }

  // 3. ID-token parse.
  const problems = oidcParseProblems(ctx.header, ctx.payload);
  if (problems.length > 0) {
    for (const p of problems) {
      if (p.kind === "header") findings.push(finding("not-a-jwt", `The token does not parse as an OIDC ID token: ${p.detail}.`, evidence(ctx, "header.alg")));
      else if (p.kind === "missing") {
        const id = p.claim === "sub" ? "sub-missing" : p.claim === "exp" ? "exp-missing" : "iat-missing";
        findings.push(
          finding(id, `The token has no \`${p.claim}\` claim, which an OIDC ID token must have.`, evidence(ctx, p.claim), undefined, "error"),
        );
      } else {
        findings.push(finding("oidc-claim-type", `The token does not parse as an OIDC ID token: ${p.detail}.`, evidence(ctx, p.claim, ctx.payload[p.claim])));
      }
    }
    return fail(messages.oidcParse(), "parse");
  }

  // 4. The verifier. Every failure gives the same message; collect each cause.
  const header = ctx.header ?? {};
  const alg = typeof header.alg === "string" ? header.alg : "";
  const verify: Finding[] = [];
  if (JWE_ALGS.test(alg) || header.enc !== undefined) {
    verify.push(finding("alg-unsupported", `The header alg \`${short(alg)}\` is an encryption algorithm: the OIDC verifier refuses JWE.`, evidence(ctx, "header.alg", alg)));
  }
  if (typeof header.typ === "string" && !typAllowed(header.typ)) {
    verify.push(
      finding(
        "typ-at-jwt",
        `The header typ is \`${short(header.typ)}\`${header.typ.toLowerCase() === "at+jwt" ? " (an access token)" : ""}; the OIDC verifier accepts only JWT / JOSE types.`,
        evidence(ctx, "header.typ", header.typ),
      ),
    );
  }
  for (const name of ["cty", "crit"]) {
    if (header[name] !== undefined && header[name] !== null) {
      verify.push(
        finding(
          "not-a-jwt",
          `The header has \`${name}\` (${name === "cty" ? "a nested JWT" : "critical header parameters"}), which the OIDC verifier refuses.`,
          evidence(ctx, `header.${name}`, header[name]),
          "Issue a plain signed ID token without `cty` / `crit` headers, or use `type: \"customJwt\"`.",
        ),
      );
    }
  }
  const appId = ctx.provider.type === "oidc" ? ctx.provider.applicationID : (ctx.provider.applicationID ?? "");
  if (!ctx.aud.includes(appId)) {
    verify.push(finding("aud-missing", `The token's aud does not contain the applicationID ${JSON.stringify(appId)}.`, evidence(ctx, "aud", ctx.payload.aud)));
  }
  const extra = ctx.aud.filter((a) => a !== appId);
  if (extra.length > 0) {
    verify.push(
      finding(
        "oidc-extra-audience",
        `aud is ${short(ctx.payload.aud)}: besides the applicationID ${JSON.stringify(appId)} it holds ${extra.map((a) => JSON.stringify(short(a, 80))).join(", ")}, which the OIDC verifier rejects as untrusted audiences.`,
        evidence(ctx, "aud", ctx.payload.aud),
      ),
    );
  }
  let algOk = false;
  if (/^HS\d{3}$/.test(alg)) {
    verify.push(finding("hs-symmetric", `The token is signed with ${alg}, a shared-secret algorithm: symmetric signatures are refused.`, evidence(ctx, "header.alg", alg)));
  } else if (!OIDC_ALGS.includes(alg)) {
    if (!JWE_ALGS.test(alg)) {
      verify.push(
        finding(
          "alg-unsupported",
          `The token is signed with ${alg === "none" ? "no signature (alg none)" : short(alg)}; an OIDC provider accepts only RS256 and EdDSA.`,
          evidence(ctx, "header.alg", alg),
          alg === "ES256" || alg === "ES384"
            ? 'Configure this issuer as `type: "customJwt"` with `algorithm: "ES256"` (ES256 only) in convex/auth.config.ts, or switch the provider to RSA (RS256) signing keys.'
            : undefined,
        ),
      );
    }
  } else {
    algOk = true;
  }
  if (algOk && jwks !== null) {
    const kid = headerKid(header);
    const sel = selectOidcKey(jwks, header);
    const kids = JSON.stringify(sel && "kids" in sel ? sel.kids.slice(0, 20).map((k) => short(k, 80)) : []);
    if ("error" in sel && sel.error === "no-matching-key") {
      verify.push(
        kid !== null
          ? finding(
              "kid-not-in-jwks",
              `No ${alg}-compatible key in the JWKS has kid ${JSON.stringify(short(kid, 80))}; its kids are ${kids}.`,
              evidence(ctx, "header.kid", kid),
            )
          : finding(
              "alg-unsupported",
              `The JWKS has no key compatible with ${alg} (kty, use or alg differ)${jwks.skipped ? `; ${jwks.skipped} key(s) were skipped as unparseable` : ""}.`,
              evidence(ctx, "header.alg", alg),
            ),
      );
    } else if ("error" in sel) {
      verify.push(
        kid === null
          ? finding(
              "kid-missing",
              `The token has no kid and the JWKS has ${sel.candidates} keys compatible with ${alg}: the OIDC verifier needs exactly one eligible key (ambiguous key).`,
              evidence(ctx, "header.kid"),
            )
          : finding(
              "kid-not-in-jwks",
              `The JWKS has ${sel.candidates} ${alg}-compatible keys with kid ${JSON.stringify(short(kid, 80))}: exactly one is required (ambiguous key).`,
              evidence(ctx, "header.kid", kid),
            ),
      );
    } else if (removedSignature(ctx.token)) {
      incomplete.push(removedSignature(ctx.token)!);
    } else {
      const v = await verifySignature(ctx.token, sel.key, alg);
      if (!v.ok) {
        verify.push(
          finding(
            "signature-invalid",
            `The ${alg} signature does not verify with the JWKS key${kid !== null ? ` ${JSON.stringify(short(kid, 80))}` : ""}: ${v.reason}.`,
            evidence(ctx, "header.kid", kid ?? undefined),
          ),
        );
      }
    }
  }
  const exp = ctx.payload.exp;
  if (typeof exp === "number" && ctx.now >= exp) {
    verify.push(
      finding(
        "token-expired",
        `The token expired ${formatTime(exp, ctx.now)}; OIDC allows no leeway (now >= exp fails).`,
        evidence(ctx, "exp", exp),
      ),
    );
  }
  if (verify.length > 0) {
    findings.push(...verify);
    return fail(messages.oidcVerify(), "verify");
  }
  return { error: null, step: "identity", findings, incomplete };
}
