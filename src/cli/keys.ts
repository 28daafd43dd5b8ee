/**
 * The CLI's key source: real fetch under core's CLI policy. The user asked for this check, so what their config,
 * --jwks and --discovery name is fetched wherever it is; a discovery jwks_uri (or redirect) to a loopback /
 * private address they did not name needs --allow-private-network (core/keys/policy.ts). `--offline` fetches
 * nothing. `--jwks` / `--discovery` supply the documents instead (files are read here and checked once, so a
 * broken file is a usage error, never a prediction about the backend).
 */
import type { Provider } from "../core/config/types";
import { createKeySource } from "../core/keys/source";
import { cliPolicy } from "../core/keys/policy";
import { discoveryUrl } from "../core/keys/discovery-url";
import type { Fetched, KeySource } from "../core/keys/types";
import { InputError, readTextFile } from "./input";

/** `--jwks` / `--discovery` as given: a URL to fetch, or a file's text as a `data:` URL. */
export interface Supplied {
  url: string;
  /** The file it came from (null for a URL). */
  file: string | null;
}

export interface CliKeyOptions {
  jwks?: Supplied;
  /** "skip": the discovery step is not made. */
  discovery?: Supplied | "skip";
  offline: boolean;
  /**
   * Set when the issuers come from an untrusted file (an `analyze` capture without --config): discovery and
   * JWKS are not fetched, with this reason; supplied --jwks are still used.
   */
  untrusted?: string;
  /** --config's providers (empty without --config). */
  providers: readonly Provider[];
  allowPrivateNetwork: boolean;
}

const isUrl = (spec: string) => /^https?:\/\//i.test(spec);

/** Reads `--jwks FILE` / `--discovery FILE` (a URL is kept as is) and checks it is the JSON document it should be. */
export async function readSupplied(spec: string, flag: "--jwks" | "--discovery"): Promise<Supplied> {
  if (isUrl(spec)) return { url: spec, file: null };
  const text = await readTextFile(spec, flag);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${flag} ${spec}: not JSON (${(e as Error).message})`);
  }
  const obj = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  if (flag === "--jwks" && !Array.isArray(obj?.keys)) throw new InputError(`${flag} ${spec}: not a JWKS (expected {"keys": [...]})`);
  if (flag === "--discovery" && (typeof obj?.issuer !== "string" || typeof obj?.jwks_uri !== "string")) {
    throw new InputError(`${flag} ${spec}: not an OIDC discovery document (expected "issuer" and "jwks_uri" strings)`);
  }
  return { url: `data:application/json;base64,${Buffer.from(text, "utf8").toString("base64")}`, file: spec };
}

function skipped<T>(url: string, reason: string): Fetched<T> {
  return { ok: false, failure: { kind: "skipped", url, reason } };
}

export function cliKeySource(opts: CliKeyOptions): KeySource {
  const named = [opts.jwks, opts.discovery].flatMap((s) => (s !== undefined && s !== "skip" && s.file === null ? [s.url] : []));
  const policy = cliPolicy({ configured: opts.providers, namedUrls: named, allowPrivateNetwork: opts.allowPrivateNetwork });
  const base = createKeySource({ fetch: globalThis.fetch, policy });
  const OFFLINE = "--offline: nothing is fetched";
  /** Supplied files are read even offline; supplied URLs are fetched only online. */
  const offlineUrl = (s: Supplied) => opts.offline && s.file === null;
  return {
    discover(iss) {
      const d = opts.discovery;
      if (d === "skip") {
        return Promise.resolve(
          skipped(discoveryUrl(iss), "--discovery skip: no discovery document was read, so its issuer was not compared with the token's iss"),
        );
      }
      if (d !== undefined) return offlineUrl(d) ? Promise.resolve(skipped(d.url, OFFLINE)) : base.discoveryAt(d.url);
      if (opts.untrusted !== undefined) return Promise.resolve(skipped(discoveryUrl(iss), opts.untrusted));
      return opts.offline ? Promise.resolve(skipped(discoveryUrl(iss), OFFLINE)) : base.discover(iss);
    },
    jwks(url, mode) {
      const j = opts.jwks;
      if (j !== undefined) return offlineUrl(j) ? Promise.resolve(skipped(j.url, OFFLINE)) : base.suppliedJwks(j.url, mode);
      if ((opts.offline || opts.untrusted !== undefined) && url !== null && !/^data:/i.test(url)) return Promise.resolve(skipped(url, opts.untrusted ?? OFFLINE));
      return base.jwks(url, mode);
    },
  };
}
