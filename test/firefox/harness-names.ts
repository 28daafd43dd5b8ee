/**
 * Firefox's side of the harness's real-looking host names (test/harness/host-names.ts; Chromium's side is
 * test/e2e/support/chromium.ts): exactly those names resolve to 127.0.0.1, through `network.dns.localDomains`
 * (exact names, no wildcards, so they are listed one by one), and the harness's self-signed certificate is
 * accepted for exactly those names on its TLS port — a temporary certificate exception, the one a user adds
 * with "Accept the risk and continue", made through the certificate override service. Nothing else is remapped
 * or trusted, so no traffic leaves the machine.
 */
import { AUTH0_HOST, CLERK_HOST, DEPLOYMENT_HOST, harnessTls, isLocalName, OTHER_CLERK_HOST, WORKOS_HOST } from "../harness/host-names.ts";
import { SETUP_SLUG } from "../harness/setups.ts";

const deployments = [DEPLOYMENT_HOST.replace(/\.convex\.cloud$/, ""), ...Object.values(SETUP_SLUG)];

/** Every concrete name the harness answers as. */
export const HARNESS_HOST_NAMES: readonly string[] = [
  CLERK_HOST,
  OTHER_CLERK_HOST,
  WORKOS_HOST,
  AUTH0_HOST,
  ...deployments.flatMap((d) => [`${d}.convex.cloud`, `${d}.convex.site`]),
];
for (const name of HARNESS_HOST_NAMES) {
  if (!isLocalName(name)) throw new Error(`${name} is not one of the harness's mapped names`);
}

/** Firefox prefs that resolve the harness names to 127.0.0.1. */
export const HARNESS_DNS_PREFS = { "network.dns.localDomains": HARNESS_HOST_NAMES.join(",") };

/**
 * A chrome-scope expression that accepts the harness certificate for its names on `tlsPort` (temporary: for
 * this browser session only). Evaluate it with `FirefoxWithAddon.chrome`.
 */
export function trustHarnessCertificate(tlsPort: number): string {
  const der = harnessTls().cert.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return `(() => {
    const cert = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB).constructX509FromBase64(${JSON.stringify(der)});
    const overrides = Cc["@mozilla.org/security/certoverride;1"].getService(Ci.nsICertOverrideService);
    for (const host of ${JSON.stringify(HARNESS_HOST_NAMES)}) overrides.rememberValidityOverride(host, ${tlsPort}, {}, cert, true);
    return true;
  })()`;
}
