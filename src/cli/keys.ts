/**
 * The CLI's key source: real fetch under core's CLI policy. The user asked for this check, so what their config
 * and --jwks name is fetched wherever it is; a discovery jwks_uri (or redirect) to a loopback / private address
 * they did not name needs --allow-private-network (core/keys/policy.ts).
 */
import type { Provider } from "../core/config/types";
import { createKeySource } from "../core/keys/source";
import { cliPolicy } from "../core/keys/policy";
import type { KeySource } from "../core/keys/types";

export interface CliKeyOptions {
  /** --jwks: a URL, or a data: URL made from a file; used instead of every provider's JWKS. */
  jwks?: string;
  /** --config's providers (empty without --config). */
  providers: readonly Provider[];
  allowPrivateNetwork: boolean;
}

export function cliKeySource(opts: CliKeyOptions): KeySource {
  const policy = cliPolicy({
    configured: opts.providers,
    namedUrls: opts.jwks && !opts.jwks.startsWith("data:") ? [opts.jwks] : [],
    allowPrivateNetwork: opts.allowPrivateNetwork,
  });
  const base = createKeySource({ fetch: globalThis.fetch, policy });
  const override = opts.jwks;
  if (!override) return base;
  return {
    discover: (iss) => base.discover(iss),
    jwks: (_url, mode) => base.jwks(override, mode),
  };
}
