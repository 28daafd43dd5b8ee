/** The CLI's key source: real fetch, and the user asked for this check, so any URL the config leads to is fetched. */
import { createKeySource } from "../core/keys/source";
import { allowAll } from "../core/keys/policy";
import type { KeySource } from "../core/keys/types";

export function cliKeySource(jwksOverride: string | undefined): KeySource {
  const base = createKeySource({ fetch: globalThis.fetch, policy: allowAll() });
  if (!jwksOverride) return base;
  return {
    discover: (iss) => base.discover(iss),
    jwks: (_url, mode) => base.jwks(jwksOverride, mode),
  };
}
