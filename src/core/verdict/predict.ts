/**
 * predictVerdict: the backend's `validate_id_token` (reference §0), step by step, first failure wins:
 * payload parse → iss required → first matching provider in stored order (no fall-through) → OIDC or customJwt
 * path → identity. Keys come only through the injected KeySource; a step we could not check makes the verdict
 * `unknown` (or, when a later token-only check fails regardless, `rejected` with that caveat) — never `accepted`.
 * Without a provider list, any-provider.ts decides what holds for every provider that could match.
 */
import type { Provider } from "../config/types";
import type { KeySource } from "../keys/types";
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import { hasUnresolvedEnv } from "../config/env";
import { decodeToken, describeBadClaimType } from "../token/decode";
import { identityPreview } from "../token/identity";
import { customJwtPath } from "./custom-jwt";
import { providerHints } from "./hints";
import { audienceList, closestIssuer, firstMatch, issuerMatches, providerApplicationId, providerIssuer } from "./match";
import { messages } from "./messages";
import { oidcPath } from "./oidc";
import { predictWithoutProviders } from "./any-provider";
import { short, type PathContext, type PathResult } from "./path";
import type { ExpectedError, Verdict, VerdictOptions } from "./types";

/** The client's default `authRefreshTokenLeewaySeconds` (reference §5.4). */
export const CLIENT_REFRESH_LEEWAY_SECONDS = 10;

export type PredictOptions = VerdictOptions & {
  /** Discovery / JWKS access; null when none is available (the verdict is then at best `unknown`). */
  keys: KeySource | null;
};

function rejected(error: ExpectedError, step: string, findings: Finding[], provider: Provider | null = null): Verdict {
  return { verdict: "rejected", provider, expectedError: error, identity: null, findings, step };
}

function unknown(step: string, provider: Provider | null, findings: Finding[]): Verdict {
  return { verdict: "unknown", provider, expectedError: null, identity: null, findings, step };
}

/** Warnings about the token's lifetime that never change the verdict (the client's refresh needs). */
function lifetimeFindings(payload: Record<string, unknown>): Finding[] {
  const { iat, exp } = payload;
  if (typeof iat !== "number" || typeof exp !== "number") return [];
  const life = exp - iat;
  if (life <= 2) {
    return [
      finding(
        "lifetime-too-short",
        `The token lives ${life} s (exp - iat): the Convex client cannot schedule a refresh for tokens living 2 s or less ("Auth token does not live long enough").`,
        { claim: "exp", value: String(exp) },
      ),
    ];
  }
  if (life < CLIENT_REFRESH_LEEWAY_SECONDS) {
    return [
      finding(
        "lifetime-too-short",
        `The token lives ${life} s, less than the client's ${CLIENT_REFRESH_LEEWAY_SECONDS} s refresh leeway: the client refetches immediately.`,
        { claim: "exp", value: String(exp) },
      ),
    ];
  }
  return [];
}

/** Why no provider matched: the nearest issuer, or the audience rule of the providers whose issuer matches. */
function noMatchFindings(iss: string, aud: string[], payload: Record<string, unknown>, providers: readonly Provider[]): Finding[] {
  if (providers.length === 0) {
    return [finding("no-providers", "No auth providers are configured, so no token can match.")];
  }
  const sameIssuer = providers.filter((p) => issuerMatches(p, iss));
  if (sameIssuer.length > 0) {
    // The issuer matched at least one provider: its applicationID was not in aud.
    return sameIssuer.map((p) => {
      const id = providerApplicationId(p) ?? "";
      const ev = { claim: "aud", provider: p.index, ...(payload.aud !== undefined ? { value: short(payload.aud) } : {}) };
      return aud.length === 0
        ? finding(
            "aud-missing",
            `The token has no aud, and the ${p.type} provider with issuer ${JSON.stringify(providerIssuer(p))} requires applicationID ${JSON.stringify(id)}.`,
            ev,
          )
        : finding(
            "aud-mismatch",
            `The token's aud ${short(payload.aud)} does not contain the applicationID ${JSON.stringify(id)} of the ${p.type} provider with issuer ${JSON.stringify(providerIssuer(p))}.`,
            ev,
          );
    });
  }
  const c = closestIssuer(iss, providers);
  const configured = providers.map((p) => JSON.stringify(providerIssuer(p))).join(", ");
  return [
    finding(
      "iss-mismatch",
      c
        ? `The token's iss ${JSON.stringify(short(iss))} matches no configured issuer (${configured}); the closest is ${JSON.stringify(c.configured)}: ${c.difference}.`
        : `The token's iss ${JSON.stringify(short(iss))} matches no configured issuer (${configured}).`,
      { claim: "iss", value: short(iss), ...(c ? { provider: c.provider.index } : {}) },
    ),
  ];
}

/**
 * Whether `aud` lets the provider match (reference §2.1): an applicationID, known or still a placeholder (OIDC
 * always has one), must be in the token's audience list, so a token without aud matches none of those.
 */
function audCouldMatch(p: Provider, aud: readonly string[]): boolean {
  const id = providerApplicationId(p);
  if (id === undefined) return true;
  return hasUnresolvedEnv(id) ? aud.length > 0 : aud.includes(id);
}

/**
 * The providers, before the matched one in stored order, whose issuer or applicationID still holds an
 * unresolved `${process.env.X}` placeholder and whose aud test does not already rule them out (and the matched
 * one itself when its JWKS URL is one): the match or the verification cannot be decided without that value.
 */
function undecidedProviders(providers: readonly Provider[], matched: Provider | null, aud: readonly string[]): Provider[] {
  const end = matched ? providers.indexOf(matched) : providers.length;
  const out = providers
    .slice(0, end)
    .filter((p) => audCouldMatch(p, aud))
    .filter((p) => hasUnresolvedEnv(providerIssuer(p)) || hasUnresolvedEnv(providerApplicationId(p) ?? ""));
  if (matched?.type === "customJwt" && matched.jwks !== null && hasUnresolvedEnv(matched.jwks)) out.push(matched);
  return out;
}

/**
 * Predict what the backend does with `token` given the stored `providers` (in stored order); `null` when the
 * provider list is not known (only the provider-independent steps are judged). Never throws.
 */
export async function predictVerdict(token: string, providers: Provider[] | null, opts: PredictOptions): Promise<Verdict> {
  const prod = opts.prod === true;
  const now = Math.floor(opts.now);
  const decoded = decodeToken(token);

  // 1. Payload parse (only part 2; registered claims must have their JSON types).
  if (decoded.kind === "jwe") {
    return rejected(messages.parsePayload(), "parse", [finding("jwe-token", decoded.problem ?? "The token is an encrypted JWT (JWE).", { claim: "header.enc" })]);
  }
  const payload = decoded.payload;
  if (payload === null) {
    return rejected(messages.parsePayload(), "parse", [finding("not-a-jwt", decoded.problem ?? "The payload could not be read.")]);
  }
  if (decoded.badClaimTypes.length > 0) {
    return rejected(
      messages.parsePayload(),
      "parse",
      decoded.badClaimTypes.map((name) =>
        finding("not-a-jwt", `The payload does not parse: ${describeBadClaimType(name, payload[name])}`, { claim: name, value: short(payload[name]) }),
      ),
    );
  }

  // 2. iss is required.
  const iss = payload.iss;
  if (typeof iss !== "string") {
    return rejected(messages.missingIss(), "iss", [finding("iss-missing", "The token has no `iss` claim.", { claim: "iss" })]);
  }

  // 3. First matching provider in stored order — unless the list itself is not known.
  const aud = audienceList(payload.aud);
  const lifetime = lifetimeFindings(payload);
  // Matching cannot be decided: judge what every provider would do, with what the token alone tells.
  const anyProvider = (hintProviders: readonly Provider[], unknownWhat?: string, paths?: ReadonlySet<Provider["type"]>) =>
    predictWithoutProviders(
      { token: decoded.raw, header: decoded.header, payload, iss, aud, now, prod },
      [...lifetime, ...providerHints({ header: decoded.header, payload, matched: null, providers: hintProviders })],
      unknownWhat,
      paths,
    );
  if (providers === null) {
    // Decide what holds for every provider that could match (an expired or HS256 token is rejected by all).
    return anyProvider([]);
  }
  const matched = firstMatch(providers, aud, iss);
  const undecidedList = undecidedProviders(providers, matched, aud);
  const undecided = undecidedList[0];
  if (undecided) {
    // Which provider takes the token is not known; what every provider would reject is still rejected.
    const names = undecided.unresolvedEnv?.join(", ") ?? "";
    const why = finding(
      "check-incomplete",
      `Provider #${undecided.index} (${providerIssuer(undecided)}) depends on process.env ${names}, which has no value here, so whether it takes this token cannot be decided${matched && matched !== undecided ? " (it comes before the provider that matches, in stored order)" : ""}.`,
      { provider: undecided.index, value: names },
      `Give the value of ${names} as it is set on the deployment (Dashboard → Settings → Environment Variables).`,
    );
    // Only the types of the providers that could take it: an undecided one, or the first decided match.
    const paths = new Set([...undecidedList, ...(matched ? [matched] : [])].map((p) => p.type));
    const any = await anyProvider(providers, "Which provider takes this token is not known", paths);
    if (any.verdict === "rejected") return { ...any, findings: [why, ...any.findings] };
    return unknown("match", null, [why, ...lifetime, ...providerHints({ header: decoded.header, payload, matched: null, providers })]);
  }
  if (matched === null) {
    const findings = [...noMatchFindings(iss, aud, payload, providers), ...lifetime];
    findings.push(...providerHints({ header: decoded.header, payload, matched: null, providers }));
    return rejected(messages.noAuthProvider(providers, prod), "match", findings);
  }

  // 4. The matched provider's path; a failure there does not fall through to the next provider.
  const ctx: PathContext = { token: decoded.raw, header: decoded.header, payload, iss, aud, provider: matched, now, prod, keys: opts.keys };
  let result: PathResult;
  try {
    result = matched.type === "oidc" ? await oidcPath(ctx) : await customJwtPath(ctx);
  } catch (e) {
    // A bug or a hostile input must not crash the caller: say what could not be checked.
    result = {
      error: null,
      step: "verify",
      findings: [],
      incomplete: [{ step: "verify", reason: `the check stopped unexpectedly (${e instanceof Error ? e.message : String(e)})` }],
    };
  }
  const findings = [...result.findings];
  if (matched.type === "customJwt" && payload.iat === undefined) {
    findings.push(
      finding(
        "iat-missing",
        "The token has no `iat`: the backend accepts that for customJwt, but the Convex client needs `iat` and `exp` to schedule token refreshes.",
        { claim: "iat", provider: matched.index },
        undefined,
        "warning",
      ),
    );
  }
  findings.push(...lifetime);
  const incompleteText = result.incomplete.map((i) => `${i.step}: ${i.reason}`).join("; ");
  const incompleteFix =
    "Check again where these URLs can be reached, or give the documents yourself (CLI: --discovery FILE|URL, --jwks FILE|URL); a step not checked here says nothing about what the backend sees.";

  if (result.error !== null) {
    if (result.incomplete.length > 0) {
      findings.push(
        finding(
          "check-incomplete",
          `Not checked — ${incompleteText}. The token is rejected either way; the message shown assumes those steps pass (otherwise the backend reports their failure instead).`,
          { provider: matched.index },
          incompleteFix,
        ),
      );
    }
    findings.push(...providerHints({ header: decoded.header, payload, matched, providers }));
    return rejected(result.error, result.step, findings, matched);
  }
  if (result.incomplete.length > 0) {
    findings.push(
      finding(
        "check-incomplete",
        `The verdict is unknown: ${incompleteText}. Every check that needs no fetched data passed.`,
        { provider: matched.index },
        incompleteFix,
      ),
    );
    return unknown(result.incomplete[0]?.step ?? "verify", matched, findings);
  }

  // 5. Accepted: the identity ctx.auth.getUserIdentity() returns.
  const identity = identityPreview(payload, matched.type);
  findings.unshift(
    finding(
      "identity-preview",
      `Accepted by the ${matched.type} provider ${JSON.stringify(providerIssuer(matched))}; tokenIdentifier is ${JSON.stringify(short(identity.tokenIdentifier))}.`,
      { provider: matched.index, value: short(identity) },
    ),
  );
  return { verdict: "accepted", provider: matched, expectedError: null, identity, findings, step: "identity" };
}
