/**
 * The backend times at which a token's verdict can change: OIDC rejects from `exp` on; customJwt from
 * `exp + leeway + 1` and until `nbf`/`iat - leeway` (whole seconds). A caller that re-predicts only when `now`
 * crosses one of these never shows a stale verdict and never re-predicts every second.
 */
import { CUSTOM_JWT_LEEWAY_SECONDS as L } from "./custom-jwt";

export function verdictTimeEdges(payload: Record<string, unknown>): number[] {
  const edges: number[] = [];
  const num = (name: string) => (typeof payload[name] === "number" ? (payload[name] as number) : null);
  const exp = num("exp");
  if (exp !== null) edges.push(exp, exp + L + 1);
  for (const name of ["nbf", "iat"]) {
    const v = num(name);
    if (v !== null) edges.push(v - L);
  }
  return edges;
}
