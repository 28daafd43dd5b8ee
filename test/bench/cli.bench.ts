/**
 * Benchmark: wall time of `convex-auth-inspector check` on one token, against Node's own start-up, in one run.
 * Not a test: it prints figures. The check fetches discovery + JWKS from a loopback issuer, like a real run.
 *   npx tsx test/bench/cli.bench.ts [runs]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const RUNS = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL("../../", import.meta.url));
spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, stdio: "inherit" });

const { privateKey, publicKey } = await generateKeyPair("RS256");
const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
const server = createServer((req, res) => {
  const iss = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  res.setHeader("content-type", "application/json");
  if (req.url === "/.well-known/openid-configuration") res.end(JSON.stringify({ issuer: iss, jwks_uri: `${iss}/jwks` }));
  else res.end(JSON.stringify({ keys: [jwk] }));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const iss = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ email: "a@example.com" })
  .setProtectedHeader({ alg: "RS256", kid: "k1" })
  .setIssuer(iss)
  .setSubject("user_1")
  .setAudience("convex")
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(privateKey);
const dir = mkdtempSync(join(tmpdir(), "cai-bench-"));
const config = join(dir, "auth.config.ts");
writeFileSync(config, `export default { providers: [{ domain: "${iss}", applicationID: "convex" }] };`);

function time(args: string[]): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    c.on("error", reject);
    c.on("close", (code) => (code === 0 || code === 1 ? resolve(performance.now() - t) : reject(new Error(`exit ${code}`))));
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const node: number[] = [];
const check: number[] = [];
for (let i = 0; i < RUNS; i++) {
  node.push(await time(["-e", "0"]));
  check.push(await time(["bin/convex-auth-inspector.mjs", "check", token, "--config", config]));
}
server.close();
console.log(`cli check, ${RUNS} runs interleaved with bare node start-up:`);
console.log(`  node -e 0                      median ${median(node).toFixed(0)} ms  (min ${Math.min(...node).toFixed(0)})`);
console.log(`  convex-auth-inspector check    median ${median(check).toFixed(0)} ms  (min ${Math.min(...check).toFixed(0)})`);
console.log(`  ratio check / node start-up    ${(median(check) / median(node)).toFixed(2)}`);
