// A self-signed TLS certificate for the harness's real-looking host names, made with Debian's `openssl` when
// the process first needs it, in a temporary folder deleted at once (never stored). The browser's HSTS preload
// list covers `.dev` (so `*.clerk.accounts.dev`) and `workos.com`: Chromium upgrades `http://` there to
// `https://` whatever the port, so those issuers must speak TLS. Chromium trusts exactly this key through
// `--ignore-certificate-errors-spki-list`; the harness's own Node fetch trusts exactly this certificate.
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type HarnessTls = {
  /** PEM private key (EC P-256), for the harness's TLS listener only. */
  key: string;
  /** PEM certificate with the given DNS names as subjectAltName. */
  cert: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo (Chromium's SPKI pin format). */
  spkiSha256: string;
};

export function makeSelfSignedCert(dnsNames: string[]): HarnessTls {
  const dir = mkdtempSync(join(tmpdir(), "cai-tls-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=convex-auth-inspector harness",
        "-addext", `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(",")}`,
        // A server certificate, not a CA (openssl's default config would mark it CA:TRUE).
        "-addext", "basicConstraints=critical,CA:FALSE",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const cert = readFileSync(certPath, "utf8");
    const spki = createPublicKey(cert).export({ type: "spki", format: "der" });
    return { key: readFileSync(keyPath, "utf8"), cert, spkiSha256: createHash("sha256").update(spki).digest("base64") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
