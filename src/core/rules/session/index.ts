/**
 * All session findings (RULES.md §3) from a reduced session. `socket-missed` is the panel's (it knows
 * whether the hook saw the page's socket). Findings per ID are capped so a long session stays readable.
 */
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { adminKeyFindings } from "./admin";
import { clockFindings } from "./clock";
import { droppedFindings } from "./dropped";
import { httpFindings } from "./http";
import { identityFindings } from "./identity";
import { presenceFindings } from "./presence";
import { refreshFindings } from "./refresh";
import { rejectionFindings } from "./rejections";

export const MAX_FINDINGS_PER_ID = 50;

export interface SessionFindingOptions {
  /** Unix ms; reserved for time-dependent rules (none today: findings depend on captured times only). */
  now?: number;
}

export function sessionFindings(session: Session, _opts: SessionFindingOptions = {}): Finding[] {
  const all = [
    ...adminKeyFindings(session),
    ...rejectionFindings(session),
    ...presenceFindings(session),
    ...refreshFindings(session),
    ...clockFindings(session),
    ...httpFindings(session),
    ...identityFindings(session),
    ...droppedFindings(session),
  ];
  const perId = new Map<string, number>();
  return all.filter((f) => {
    const n = (perId.get(f.id) ?? 0) + 1;
    perId.set(f.id, n);
    return n <= MAX_FINDINGS_PER_ID;
  });
}
