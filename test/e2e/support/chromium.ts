/**
 * Debian's Chromium and the flags it needs on this kind of machine (testing-recipes §1): no sandbox as root,
 * and no background networking, whose connections the closed network refuses. One home for every launcher.
 *
 * The last two flags let pages and the extension reach the harness under real-looking names
 * (test/harness/host-names.ts): exactly `*.clerk.accounts.dev`, `api.workos.com`, `*.convex.cloud` and
 * `*.convex.site` resolve to 127.0.0.1 (nothing else is remapped, so no traffic leaves the machine), and the
 * harness's own self-signed
 * certificate — pinned by its key, made once per process — is trusted for them. They speak TLS because `.dev`
 * and `workos.com` are HSTS-preloaded: Chromium never sends plain http there.
 */
import { CHROMIUM_HOST_RULES, harnessTls } from "../../harness/host-names.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--host-resolver-rules=${CHROMIUM_HOST_RULES}`,
  `--ignore-certificate-errors-spki-list=${harnessTls().spkiSha256}`,
];
