/**
 * All session findings (docs/findings.md) from a reduced session. `socket-missed` is the panel's (it knows
 * whether the hook saw the page's socket). Findings per ID are capped so a long session stays readable.
 * One pass over a whole session; a session that keeps growing keeps a SessionFindingsTracker instead.
 */
import type { Finding } from "../types";
import type { Session } from "../../session/types";
import { SessionFindingsTracker, type SessionFindingOptions } from "./tracker";

export { MAX_FINDINGS_PER_ID } from "./list";
export { SessionFindingsTracker, type SessionFindingOptions } from "./tracker";

export function sessionFindings(session: Session, opts: SessionFindingOptions = {}): Finding[] {
  return new SessionFindingsTracker().update(session, opts);
}
