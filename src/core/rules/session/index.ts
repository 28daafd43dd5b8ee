/**
 * All session findings (docs/findings.md) from a reduced session. `socket-missed` is the panel's (it knows
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
import { staleTokenFindings } from "./stale";
import { stalledFindings } from "./stalled";

export const MAX_FINDINGS_PER_ID = 50;

export interface SessionFindingOptions {
  /**
   * Unix ms, the caller's clock. Only `token-fetch-stalled` depends on elapsed time; without `now` it uses the
   * latest captured event time, so the reducer's findings stay a pure function of the events. The panel passes
   * its ticking clock to see a stall without waiting for another event.
   */
  now?: number;
}

export function sessionFindings(session: Session, opts: SessionFindingOptions = {}): Finding[] {
  const all = [
    ...adminKeyFindings(session),
    ...staleTokenFindings(session),
    ...rejectionFindings(session),
    ...stalledFindings(session, opts.now),
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
