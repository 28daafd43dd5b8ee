import type { Finding } from "../rules/types";

/** One provider as the backend stores it (`_auth` row), plus where it came from. */
export type Provider = OidcProvider | CustomJwtProvider;

/** Which `process.env` names the user's config built each field from, e.g. `{ domain: ["CLERK_JWT_ISSUER_DOMAIN"] }`. */
export type EnvSources = Partial<Record<"domain" | "issuer" | "applicationID" | "jwks", string[]>>;

export interface OidcProvider {
  type: "oidc";
  /** Stored value: `https://` already prepended when the file had no scheme (reference §1.5). */
  domain: string;
  applicationID: string;
  /** Index in the file's `providers` array (file order), or in a NoAuthProvider list. */
  index: number;
  /** `process.env` names still unresolved in this provider's fields (they hold `${process.env.X}` placeholders). */
  unresolvedEnv?: string[];
  /** Optional: where the field values came from (a parsed file only), so messages can quote the user's own names. */
  envSources?: EnvSources;
}

export interface CustomJwtProvider {
  type: "customJwt";
  issuer: string;
  /** null when the provider was learned from a NoAuthProvider message, which does not list it. */
  jwks: string | null;
  /** null when learned from a NoAuthProvider message. */
  algorithm: "RS256" | "ES256" | null;
  applicationID?: string;
  index: number;
  /** `process.env` names still unresolved in this provider's fields (they hold `${process.env.X}` placeholders). */
  unresolvedEnv?: string[];
  /** Optional: where the field values came from (a parsed file only), so messages can quote the user's own names. */
  envSources?: EnvSources;
}

export interface ParsedConfig {
  /** Providers that pass the push-time rules, in **stored** order (reference §2.2). */
  providers: Provider[];
  /** Push-time and reading problems (config-* findings). */
  findings: Finding[];
  /** `process.env` names used without a supplied value. */
  unresolvedEnv: string[];
  /** Where the list came from. */
  source: "file" | "no-auth-provider-message" | "json";
}

/** Values for `process.env.X`, from `--env`, `--env-file` or the panel's form. */
export type EnvValues = Readonly<Record<string, string>>;
