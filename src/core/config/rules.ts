/**
 * The backend's push-time checks on one provider entry (reference §1.5; `check_for_common_confusions`, serde,
 * `deserialize_issuer_url`), as findings that quote the backend's own text.
 *
 * The backend stops at the first failing provider and refuses the whole push; we check every provider so
 * the user sees all problems at once. A provider with an `error` finding is left out of the provider list.
 */
import type { Finding } from "../rules/types";
import { finding } from "../rules/catalogue";
import type { CustomJwtProvider, EnvSources, OidcProvider, Provider } from "./types";
import { hasUnresolvedEnv, unresolvedEnvIn } from "./env";
import { parseProviderUrl } from "./url";

/** The prefix of every `AuthConfigNotMatchingSchemaError` message. */
export const SCHEMA_ERROR_PREFIX = "auth config file must include a list of provider credentials: ";

/** Serde's text for a value of the wrong JSON type, e.g. "invalid type: integer `3`, expected a string". */
export function serdeInvalidType(value: unknown, expected: string): string {
  let got: string;
  if (value === null) got = "null";
  else if (typeof value === "boolean") got = `boolean \`${value}\``;
  else if (typeof value === "number") got = Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  else if (typeof value === "string") got = `string ${JSON.stringify(value)}`;
  else if (Array.isArray(value)) got = "sequence";
  else got = "map";
  return `invalid type: ${got}, expected ${expected}`;
}

export interface ProviderCheck {
  /** The provider as stored, or null when a push-time rule rejects it. */
  provider: Provider | null;
  findings: Finding[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const WORKOS_SHARED = new Set(["https://api.workos.com/", "https://api.workos.com"]);

/**
 * Checks one entry of `providers` (already JSON-shaped, as `JSON.stringify` would leave it). `origins`: the
 * `process.env` names each of its fields was built from, kept on the provider as `envSources`.
 */
export function checkProvider(raw: unknown, index: number, origins?: ReadonlyMap<string, readonly string[]>): ProviderCheck {
  const r = checkProviderFields(raw, index);
  if (r.provider && origins) {
    const sources: EnvSources = {};
    for (const field of ["domain", "issuer", "applicationID", "jwks"] as const) {
      const names = origins.get(field);
      if (names?.length && field in r.provider) sources[field] = [...names];
    }
    if (Object.keys(sources).length) r.provider.envSources = sources;
  }
  return r;
}

function checkProviderFields(raw: unknown, index: number): ProviderCheck {
  const findings: Finding[] = [];
  const ev = { provider: index };
  const schema = (detail: string) => `${SCHEMA_ERROR_PREFIX}${detail}`;

  if (!isObject(raw)) {
    findings.push(
      finding(
        "config-unreadable",
        `Provider at index ${index} is not an object: ${schema(serdeInvalidType(raw, "internally tagged enum SerializedAuthInfo"))}`,
        ev,
      ),
    );
    return { provider: null, findings };
  }

  // check_for_common_confusions, in the backend's order.
  if ("applicationId" in raw || "applicationid" in raw) {
    const key = "applicationId" in raw ? "applicationId" : "applicationid";
    findings.push(
      finding(
        "config-application-id-casing",
        `Provider at index ${index} uses \`${key}\`: the backend refuses the push with "${schema(`Provider at index ${index} must have applicationID property spelled lowercase 'application', capital I, capital D.`)}"`,
        { ...ev, claim: key },
      ),
    );
  }
  const typeValue = typeof raw.type === "string" ? raw.type : "unknown";
  if (typeValue !== "customJwt" && typeValue !== "oidc" && typeValue !== "unknown") {
    findings.push(
      finding(
        "config-bad-type",
        `Provider at index ${index} has type ${JSON.stringify(typeValue)}: the backend refuses the push with "${schema(`Provider at index ${index} has unexpected 'type' value '${typeValue}'`)}"`,
        { ...ev, value: typeValue.slice(0, 60) },
      ),
    );
  } else if (raw.type !== undefined && typeof raw.type !== "string") {
    findings.push(
      finding(
        "config-bad-type",
        `Provider at index ${index} has a non-string type: ${schema(serdeInvalidType(raw.type, "a string"))}`,
        ev,
      ),
    );
  }
  if (typeValue === "customJwt" && "domain" in raw) {
    findings.push(
      finding(
        "config-domain-and-issuer",
        `Provider at index ${index} is customJwt but has \`domain\`: "${schema(`Provider at index ${index} is a customJwt so cannot have a 'domain' specified`)}"`,
        { ...ev, claim: "domain" },
      ),
    );
  }
  const isOidc = typeValue === "oidc" || typeValue === "unknown";
  if (isOidc && "issuer" in raw) {
    findings.push(
      finding(
        "config-domain-and-issuer",
        `Provider at index ${index} is OIDC (${raw.type === undefined ? "no type" : 'type "oidc"'}) but has \`issuer\`: "${schema(`Provider at index ${index} is oidc so cannot have an 'issuer' specified.`)}" Use \`domain\`, or add \`type: "customJwt"\` with \`jwks\` and \`algorithm\`.`,
        { ...ev, claim: "issuer" },
      ),
    );
  }
  const rawIssuer = typeof raw.issuer === "string" ? raw.issuer : null;
  if (!("applicationID" in raw) && rawIssuer !== null && WORKOS_SHARED.has(rawIssuer)) {
    findings.push(
      finding(
        "config-shared-issuer-no-aud",
        `Provider at index ${index} has the shared WorkOS issuer ${JSON.stringify(rawIssuer)} and no applicationID: the backend refuses the push with "This auth configuration appears potentially insecure: Provider at index ${index} has an issuer that is shared among many applications, so must to specify an ApplicationID to check against an \`aud\` field of a JWT."`,
        { ...ev, claim: "issuer", value: rawIssuer },
      ),
    );
  }
  if (findings.some((f) => f.severity === "error")) return { provider: null, findings };

  // serde: SerializedAuthInfo (tag "type" = "customJwt", otherwise the untagged OIDC variant).
  if (typeValue === "customJwt") return checkCustomJwt(raw, index, findings);
  return checkOidc(raw, index, findings);
}

function requireString(
  raw: Record<string, unknown>,
  field: string,
  index: number,
  findings: Finding[],
  untagged: boolean,
): string | null {
  const v = raw[field];
  if (typeof v === "string") return v;
  const serde = untagged
    ? "data did not match any variant of untagged enum SerializedAuthInfo"
    : v === undefined
      ? `missing field \`${field}\``
      : serdeInvalidType(v, "a string");
  const what = v === undefined ? `has no \`${field}\`` : `has a non-string \`${field}\``;
  findings.push(
    finding(
      "config-unreadable",
      `Provider at index ${index} ${what} (required${untagged ? " for an OIDC provider" : ""}): the backend refuses the push with "${SCHEMA_ERROR_PREFIX}${serde}"`,
      { provider: index, claim: field },
    ),
  );
  return null;
}

function checkUrl(value: string, field: "domain" | "issuer", index: number, findings: Finding[]): string | null {
  // A placeholder is not the real value: the URL rules apply once the user supplies it.
  if (hasUnresolvedEnv(value)) return value;
  const r = parseProviderUrl(value);
  if (r.ok) return r.stored;
  findings.push(
    finding("config-invalid-url", `Provider at index ${index} \`${field}\`: ${r.message}`, {
      provider: index,
      claim: field,
      value: value.slice(0, 200),
    }),
  );
  return null;
}

function unresolvedOf(...values: Array<string | null | undefined>): string[] | undefined {
  const names = new Set<string>();
  for (const v of values) if (typeof v === "string") for (const n of unresolvedEnvIn(v)) names.add(n);
  return names.size ? [...names] : undefined;
}

function checkOidc(raw: Record<string, unknown>, index: number, findings: Finding[]): ProviderCheck {
  const appId = requireString(raw, "applicationID", index, findings, true);
  const domainRaw = requireString(raw, "domain", index, findings, true);
  if (appId === null || domainRaw === null) return { provider: null, findings };
  const domain = checkUrl(domainRaw, "domain", index, findings);
  if (domain === null) return { provider: null, findings };
  const p: OidcProvider = { type: "oidc", domain, applicationID: appId, index };
  const unresolved = unresolvedOf(domain, appId);
  if (unresolved) p.unresolvedEnv = unresolved;
  return { provider: p, findings };
}

function checkCustomJwt(raw: Record<string, unknown>, index: number, findings: Finding[]): ProviderCheck {
  const issuerRaw = requireString(raw, "issuer", index, findings, false);
  const jwks = requireString(raw, "jwks", index, findings, false);
  const alg = raw.algorithm;
  let algorithm: "RS256" | "ES256" | null = null;
  if (alg === "RS256" || alg === "ES256") algorithm = alg;
  else {
    const serde =
      alg === undefined
        ? "missing field `algorithm`"
        : typeof alg === "string"
          ? `unknown variant \`${alg}\`, expected \`RS256\` or \`ES256\``
          : serdeInvalidType(alg, "variant identifier");
    const hint =
      typeof alg === "string" && /^(rs256|es256)$/i.test(alg)
        ? ` (the value is case-sensitive: write "${alg.toUpperCase()}")`
        : typeof alg === "string" && /^EdDSA$/i.test(alg)
          ? " (EdDSA is accepted only for OIDC providers, not customJwt)"
          : "";
    findings.push(
      finding(
        "config-bad-algorithm",
        `Provider at index ${index} has algorithm ${alg === undefined ? "missing" : JSON.stringify(alg)}${hint}: the backend refuses the push with "${SCHEMA_ERROR_PREFIX}${serde}"`,
        { provider: index, claim: "algorithm", ...(typeof alg === "string" ? { value: alg.slice(0, 40) } : {}) },
      ),
    );
  }
  const appIdRaw = raw.applicationID;
  let applicationID: string | undefined;
  if (typeof appIdRaw === "string") applicationID = appIdRaw;
  else if (appIdRaw !== undefined && appIdRaw !== null) {
    findings.push(
      finding(
        "config-unreadable",
        `Provider at index ${index} has a non-string \`applicationID\`: the backend refuses the push with "${SCHEMA_ERROR_PREFIX}${serdeInvalidType(appIdRaw, "a string")}"`,
        { provider: index, claim: "applicationID" },
      ),
    );
    return { provider: null, findings };
  }
  if (issuerRaw === null || jwks === null || algorithm === null) return { provider: null, findings };
  const issuer = checkUrl(issuerRaw, "issuer", index, findings);
  if (issuer === null) return { provider: null, findings };
  if (applicationID === undefined) findings.push(noApplicationId(issuer, index));
  const p: CustomJwtProvider = { type: "customJwt", issuer, jwks, algorithm, index };
  if (applicationID !== undefined) p.applicationID = applicationID;
  const unresolved = unresolvedOf(issuer, jwks, applicationID);
  if (unresolved) p.unresolvedEnv = unresolved;
  return { provider: p, findings };
}

/** Issuers that sign tokens for many applications: without applicationID, any of those tokens is accepted. */
const SHARED_ISSUERS: ReadonlyArray<[RegExp, string]> = [
  [/^https?:\/\/api\.workos\.com(\/(?!user_management\/).*)?$/i, "WorkOS's shared issuer signs tokens for every WorkOS application"],
  [/^https?:\/\/accounts\.google\.com\/*$/i, "Google signs ID tokens for every Google OAuth client"],
  [/^https?:\/\/appleid\.apple\.com\/*$/i, "Apple signs Sign in with Apple tokens for every app"],
  [/^https?:\/\/login\.microsoftonline\.com\/(common|organizations|consumers)\b/i, "the multi-tenant Microsoft endpoint signs tokens for every Entra ID application"],
  [/^https?:\/\/[^/]+\.auth0\.com\/*$/i, "an Auth0 tenant signs tokens for every application in the tenant"],
  [/^https?:\/\/cognito-idp\.[^/]+\.amazonaws\.com\/[^/]+\/*$/i, "a Cognito user pool signs tokens for every app client of the pool"],
];

/** Issuers whose very URL names one client, so the issuer alone already picks this app's tokens. */
const ONE_CLIENT_ISSUER = /\/user_management\/client_[^/]+\/*$/;

/**
 * `config-no-application-id`: a warning only where the issuer is known to be shared by many applications;
 * an info otherwise (the issuer may well mint tokens for this app alone, e.g. WorkOS `user_management/<clientId>`).
 */
function noApplicationId(issuer: string, index: number): Finding {
  const ev = { provider: index, claim: "applicationID" };
  const head = `Provider at index ${index} (customJwt, issuer ${issuer}) has no applicationID, so the backend does not check \`aud\``;
  const shared = hasUnresolvedEnv(issuer) ? undefined : SHARED_ISSUERS.find(([re]) => re.test(issuer));
  if (shared) {
    return finding("config-no-application-id", `${head}: ${shared[1]}, and any of those tokens is accepted here.`, ev, undefined, "warning");
  }
  const why = ONE_CLIENT_ISSUER.test(issuer)
    ? "this issuer is already specific to one client, so that is expected"
    : "fine as long as this issuer signs tokens for this app alone";
  return finding("config-no-application-id", `${head}: ${why}.`, ev, "Nothing to change if only this app's tokens come from this issuer; otherwise add `applicationID` (the `aud` your tokens carry) to the provider in convex/auth.config.ts.", "info");
}
