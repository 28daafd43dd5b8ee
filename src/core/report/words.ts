/** Small wordings the CLI's reports and the shared Markdown report print the same way. */
import type { Provider } from "../config/types";
import { plural } from "../text/plural";

export const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function describeProvider(p: Provider): string {
  return p.type === "oidc"
    ? `OIDC(domain=${p.domain}, app_id=${p.applicationID})`
    : `CustomJWT(issuer=${p.issuer}, app_id=${p.applicationID ?? "none"}${p.algorithm ? `, algorithm=${p.algorithm}` : ""})`;
}

/** "1 entry", "2 entries". */
export const entries = (n: number) => plural(n, "entry", "entries");
