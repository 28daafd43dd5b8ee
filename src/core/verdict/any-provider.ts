/**
 * The verdict when the provider list is not known (reference §0 step 3 onwards): the token would go down the
 * OIDC path, the customJwt path, or match no provider (NoAuthProvider, always a rejection). Each path is run
 * for "any provider of that type that could match" with nothing fetched; the token is `rejected` only when
 * every path that could apply rejects it, and `unknown` otherwise, saying what depends on the provider.
 */
import type { CustomJwtProvider, OidcProvider } from "../config/types";
import { notFetched } from "../keys/not-fetched";
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import { customJwtPath } from "./custom-jwt";
import { normalizeTokenIssuer } from "./match";
import { oidcPath } from "./oidc";
import type { PathContext, PathResult } from "./path";
import type { ExpectedAlternative, Verdict } from "./types";

type Path = ExpectedAlternative["path"];

/** "OIDC provider" / "customJwt provider": how reports name a path. */
export function pathLabel(path: Path): string {
  return path === "oidc" ? "OIDC provider" : "customJwt provider";
}

interface Branch {
  path: Path;
  result: PathResult;
}

/** The context a path gets, minus the provider, which this module stands in for. */
export type AnyProviderContext = Omit<PathContext, "provider" | "keys" | "anyProvider">;

const NOT_FETCHED = notFetched("the provider list is not known, so no discovery document or JWKS is fetched for this issuer");

async function run(path: Path, ctx: AnyProviderContext): Promise<Branch> {
  const iss = normalizeTokenIssuer(ctx.iss);
  // index -1: a stand-in, not a configured provider (its evidence is dropped below).
  const provider: OidcProvider | CustomJwtProvider =
    path === "oidc"
      ? { type: "oidc", domain: iss, applicationID: ctx.aud[0] ?? "", index: -1 }
      : { type: "customJwt", issuer: iss, jwks: null, algorithm: null, index: -1 };
  const full: PathContext = { ...ctx, provider, keys: NOT_FETCHED, anyProvider: true };
  try {
    return { path, result: path === "oidc" ? await oidcPath(full) : await customJwtPath(full) };
  } catch (e) {
    const reason = `the check stopped unexpectedly (${e instanceof Error ? e.message : String(e)})`;
    return { path, result: { error: null, step: "verify", findings: [], incomplete: [{ step: "verify", reason }] } };
  }
}

/** Findings without the stand-in provider's evidence. */
function standalone(f: Finding): Finding {
  if (f.evidence?.provider === undefined) return f;
  const { provider: _dropped, ...rest } = f.evidence;
  return Object.keys(rest).length ? { ...f, evidence: rest } : (({ evidence: _e, ...g }) => g)(f);
}

/**
 * The paths' findings, each saying which path it holds for. An ID that each path reports once becomes one
 * finding (one message when they agree, both labelled when they differ).
 */
function mergeFindings(branches: readonly Branch[]): Finding[] {
  const lists = branches.map((b) => b.result.findings.map(standalone));
  if (branches.length < 2) return lists[0] ?? [];
  const once = (id: string) => lists.every((l) => l.filter((f) => f.id === id).length === 1);
  const out: Finding[] = [];
  const merged = new Set<string>();
  lists.forEach((list, i) => {
    for (const f of list) {
      if (!once(f.id)) {
        out.push({ ...f, message: `${pathLabel(branches[i]!.path)}: ${f.message}` });
        continue;
      }
      if (merged.has(f.id)) continue;
      merged.add(f.id);
      const all = lists.map((l) => l.find((g) => g.id === f.id)!);
      const agree = all.every((g) => g.message === f.message);
      out.push(agree ? f : { ...f, message: all.map((g, j) => `${pathLabel(branches[j]!.path)}: ${g.message}`).join(" ") });
    }
  });
  return out;
}

const NO_MATCH_NOTE =
  "If no configured provider matches the token's iss and aud, the backend answers NoAuthProvider (\"No auth provider found matching the given token…\") instead.";

/** The fix when the provider list would decide: give it. */
const GIVE_PROVIDERS =
  "Give the provider list: convex/auth.config.ts (the CLI's --config with --env values, or the panel's Config editor); a dev deployment also reports it in its NoAuthProvider error.";

const BOTH: ReadonlySet<Path> = new Set(["oidc", "customJwt"]);

/**
 * Predict with no provider list. `extra` are findings that hold whatever the provider (lifetime, hints);
 * `unknownWhat` names what is not known (the list, or which of its providers takes the token); `paths` the
 * provider types that could take it (a known list with an unresolved env value names only its own types).
 */
export async function predictWithoutProviders(
  ctx: AnyProviderContext,
  extra: readonly Finding[],
  unknownWhat = "The provider list is not known",
  paths: ReadonlySet<Path> = BOTH,
): Promise<Verdict> {
  // An OIDC provider always has an applicationID, and matching needs it in aud: no aud, no OIDC match.
  const branches: Branch[] = [];
  if (ctx.aud.length > 0 && paths.has("oidc")) branches.push(await run("oidc", ctx));
  if (paths.has("customJwt")) branches.push(await run("customJwt", ctx));
  const noOidc = ctx.aud.length === 0 && paths.has("oidc") ? " No OIDC provider can match a token without aud (OIDC providers always have an applicationID)." : "";
  if (branches.length === 0) {
    return {
      verdict: "unknown",
      provider: null,
      expectedError: null,
      identity: null,
      findings: [finding("check-incomplete", `${unknownWhat}.${noOidc}`, undefined, GIVE_PROVIDERS), ...extra],
      step: "match",
    };
  }

  if (branches.every((b) => b.result.error !== null)) {
    const alternatives: ExpectedAlternative[] = branches.map((b) => ({ path: b.path, error: b.result.error! }));
    const same = alternatives.every((a) => a.error.message === alternatives[0]!.error.message && a.error.code === alternatives[0]!.error.code);
    const findings = [
      ...mergeFindings(branches),
      finding(
        "check-incomplete",
        `${unknownWhat}, but every provider that could match rejects this token.${noOidc}${
          same ? "" : ` The backend's text depends on the provider's type: ${alternatives.map((a) => `${pathLabel(a.path)}: "${a.error.message}"`).join(" / ")}.`
        } Nothing was fetched, so discovery, the JWKS and the signature were not checked; ${
          same ? "the text assumes" : "each text assumes"
        } they pass (otherwise the backend reports their failure instead). ${NO_MATCH_NOTE}`,
        undefined,
        GIVE_PROVIDERS,
      ),
      ...extra,
    ];
    const verdict: Verdict = {
      verdict: "rejected",
      provider: null,
      expectedError: alternatives[0]!.error,
      identity: null,
      findings,
      step: branches[0]!.result.step,
    };
    if (!same) verdict.alternatives = alternatives;
    return verdict;
  }

  // Some path could accept: the provider decides. Say, per path, what is already known.
  const perPath = branches.map((b) => {
    const r = b.result;
    if (r.error === null) return `a matching ${pathLabel(b.path)} would accept everything checkable without its keys`;
    const why = r.findings.filter((f) => f.severity === "error").map((f) => f.message.replace(/\.$/, "")).join("; ");
    return `a matching ${pathLabel(b.path)} would reject it with ${r.error.code} "${r.error.message}"${why ? ` (${why})` : ""}`;
  });
  return {
    verdict: "unknown",
    provider: null,
    expectedError: null,
    identity: null,
    findings: [
      finding(
        "check-incomplete",
        `The deployment's provider list is not known, so provider matching and the signature were not checked; ${perPath.join("; ")}.${noOidc}`,
        undefined,
        GIVE_PROVIDERS,
      ),
      ...extra,
    ],
    step: "match",
  };
}
