/**
 * Provider hints (docs/findings.md, "Provider hints"): when the issuer identifies
 * a well-known provider and the token is not accepted, say the provider-specific fix.
 */
import type { Provider } from "../config/types";
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import { audienceList, issuerMatches, providerIssuer } from "./match";
import { short } from "./path";

export interface HintInput {
  header: Record<string, unknown> | null;
  payload: Record<string, unknown>;
  /** The provider the token matched, if any. */
  matched: Provider | null;
  /** The stored provider list. */
  providers: readonly Provider[];
}

export type KnownProvider = "clerk" | "workos" | "auth0" | "convex-site";

function hostOf(iss: string): string | null {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/?#:]+)/.exec(iss);
  return m?.[1]?.toLowerCase() ?? null;
}

/** Which well-known provider issued the token, from its `iss` alone. */
export function identifyIssuer(iss: string): KnownProvider | null {
  const host = hostOf(iss);
  if (!host) return null;
  if (host.endsWith(".clerk.accounts.dev") || host.startsWith("clerk.") || host.endsWith(".clerk.com")) return "clerk";
  if (host === "api.workos.com" || host.endsWith(".workos.com") || /\/user_management\/client_/.test(iss)) return "workos";
  if (host.endsWith(".auth0.com")) return "auth0";
  if (host.endsWith(".convex.site")) return "convex-site";
  return null;
}

/** Better Auth's customJwt provider: a `data:` JWKS or its `/api/auth/convex/jwks` route. */
function looksLikeBetterAuthProvider(p: Provider): boolean {
  return p.type === "customJwt" && p.jwks !== null && (p.jwks.startsWith("data:") || /\/convex\/jwks$/.test(p.jwks));
}

/** The provider whose issuer the token's `iss` equals (ignoring trailing slashes and scheme), if any. */
function sameIssuer(iss: string, providers: readonly Provider[]): Provider | null {
  const norm = (s: string) => s.replace(/^[A-Za-z]+:\/\//, "").replace(/\/+$/, "");
  return providers.find((p) => norm(p.type === "oidc" ? p.domain : p.issuer) === norm(iss)) ?? null;
}

type Field = "domain" | "issuer" | "applicationID" | "jwks";

/** `process.env.NAME (= value)` when the user's config built `field` from env, else null: fixes quote the user's own names. */
function fromEnv(p: Provider | null, field: Field, value?: string): string | null {
  const names = p?.envSources?.[field];
  if (!p || !names?.length) return null;
  const v = value ?? (p as unknown as Record<Field, string | undefined>)[field];
  return `${names.map((n) => `process.env.${n}`).join(" + ")}${v !== undefined && !v.startsWith("data:") ? ` (= ${short(v, 120)})` : ""}`;
}

/** Where convex/auth.config.ts gets the issuer of `p`, as a sentence, or "" when no provider is known. */
function issuerSource(p: Provider | null, iss: string): string {
  if (!p) return "";
  const field = p.type === "oidc" ? "domain" : "issuer";
  const env = fromEnv(p, field);
  const same = issuerMatches(p, iss) ? ", which matches this token's iss" : `; this token's iss is ${short(iss, 120)}`;
  return env
    ? ` convex/auth.config.ts takes this provider's \`${field}\` from ${env}${same} (on the deployment: Dashboard → Settings → Environment Variables).`
    : ` convex/auth.config.ts names this provider's \`${field}\` as ${short(providerIssuer(p), 120)}${same}.`;
}

/** Hint findings for a token that was not accepted. */
export function providerHints(input: HintInput): Finding[] {
  const { payload, header } = input;
  const iss = typeof payload.iss === "string" ? payload.iss : null;
  const siteProvider = iss !== null ? (input.matched ?? sameIssuer(iss, input.providers)) : null;
  const known = iss !== null ? identifyIssuer(iss) : null;
  const aud = audienceList(payload.aud);
  const out: Finding[] = [];

  if (known === "clerk" && !aud.includes("convex") && iss !== null) {
    const session = payload.azp !== undefined || payload.sid !== undefined;
    const clerk = siteProvider ?? input.providers.find((p) => identifyIssuer(providerIssuer(p)) === "clerk") ?? null;
    out.push(
      finding(
        "hint-clerk-template",
        `This is a Clerk token without aud "convex"${aud.length ? ` (aud is ${short(payload.aud)})` : ""}${session ? "; it carries azp/sid, so it is a Clerk session token without the Convex integration's aud, not one from a `convex` JWT template" : ""}.`,
        { claim: "aud" },
        `Clerk gives Convex a token with aud "convex" in either of two ways: enable Clerk's Convex integration (Clerk dashboard → Integrations → Convex; session tokens then carry aud "convex" and ConvexProviderWithClerk sends them as they are), or create a JWT template named exactly \`convex\` (ConvexProviderWithClerk then asks for getToken({ template: "convex" })).${
          clerk ? issuerSource(clerk, iss) : ` The OIDC provider in convex/auth.config.ts needs \`domain\` = your Clerk Frontend API URL (this token's iss, ${short(iss, 120)}) and applicationID "convex".`
        }`,
      ),
    );
  }

  if (known === "workos") {
    const userMgmt = iss !== null && /\/user_management\//.test(iss);
    const format = userMgmt
      ? "a user_management issuer (matches the `https://api.workos.com/user_management/<clientId>` provider whatever its aud)"
      : "the shared `https://api.workos.com/` issuer (matches only the provider with applicationID = client ID, so aud must be the client ID)";
    const shared = input.providers.find((p) => p.applicationID !== undefined && identifyIssuer(providerIssuer(p)) === "workos") ?? null;
    const clientId = fromEnv(shared, "applicationID");
    out.push(
      finding(
        "hint-workos-aud",
        `This is a WorkOS token with ${format}; its aud is ${aud.length ? short(payload.aud) : "missing"}.`,
        { claim: aud.length ? "iss" : "aud" },
        shared
          ? `In the WorkOS dashboard set the JWT template's \`aud\` to the client ID ${shared.applicationID ? JSON.stringify(short(shared.applicationID, 80)) : ""}${clientId ? ` (convex/auth.config.ts reads it from ${clientId.replace(/ \(= .*\)$/, "")})` : ""}, and keep both providers in convex/auth.config.ts: issuer \`https://api.workos.com/\` with that applicationID, and issuer \`https://api.workos.com/user_management/<clientId>\`.`
          : undefined,
      ),
    );
  }

  if (known === "auth0") {
    const reasons: string[] = [];
    if (typeof header?.typ === "string" && header.typ.toLowerCase() === "at+jwt") reasons.push("typ at+jwt");
    if (payload.scope !== undefined) reasons.push("a `scope` claim");
    if (aud.some((a) => /^https?:\/\//.test(a))) reasons.push("an API URL in aud");
    if (Array.isArray(payload.aud) && payload.aud.length > 1) reasons.push("several audiences");
    const what = reasons.length
      ? `it looks like an Auth0 access token (${reasons.join(", ")}), not the ID token`
      : "Convex needs the Auth0 ID token, whose aud is the application's Client ID";
    out.push(finding("hint-auth0-id-token", `This is an Auth0 token: ${what}.`, { claim: reasons.length ? "aud" : "iss" }));
  }

  const kid = header && typeof header.kid === "string" ? header.kid : null;
  const convexAuthShape = kid === null && typeof payload.sub === "string" && payload.sub.includes("|");
  // Self-hosted site URLs (e.g. http://127.0.0.1:3211) are recognised by the provider shape instead of the host.
  const convexSite =
    known === "convex-site" ||
    (siteProvider !== null && looksLikeBetterAuthProvider(siteProvider)) ||
    (siteProvider?.type === "oidc" && convexAuthShape);
  if (convexSite) {
    const isBetterAuth = siteProvider !== null ? siteProvider.type === "customJwt" : !convexAuthShape;
    if (isBetterAuth) {
      const jwksEnv = siteProvider?.type === "customJwt" && siteProvider.jwks?.startsWith("data:") ? siteProvider.envSources?.jwks : undefined;
      out.push(
        finding(
          "hint-better-auth",
          `This token comes from a Convex site URL${siteProvider?.type === "customJwt" ? " and a customJwt provider" : ""} with aud ${aud.length ? short(payload.aud) : "missing"}: it looks like Better Auth's convex_jwt.`,
          { claim: "iss" },
          siteProvider
            ? `Use the token from the \`convex_jwt\` (better-auth.convex_jwt) cookie / convexClient plugin.${issuerSource(siteProvider, iss ?? "")}${
                jwksEnv?.length ? ` The static JWKS comes from ${jwksEnv.map((n) => `process.env.${n}`).join(", ")}: keep it in sync with Better Auth's keys.` : ""
              }`
            : undefined,
        ),
      );
    } else if (siteProvider?.type === "oidc" || convexAuthShape) {
      out.push(
        finding(
          "hint-convex-auth",
          `This token comes from a Convex site URL${siteProvider?.type === "oidc" ? " and an OIDC provider" : ""}${convexAuthShape ? ", with sub `user|session` and no kid" : ""}: it looks like Convex Auth.`,
          { claim: "iss" },
          siteProvider
            ? `Check the deployment's env vars JWT_PRIVATE_KEY, JWKS and SITE_URL (\`npx @convex-dev/auth\` sets them), and that the site URL serves /.well-known/openid-configuration and /.well-known/jwks.json with exactly one key.${issuerSource(siteProvider, iss ?? "")}`
            : undefined,
        ),
      );
    }
  }
  return out;
}
