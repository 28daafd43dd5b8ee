/**
 * A session its owner grows batch by batch (the panel's live log): the same reduction as `reduceSession`, but
 * written in place (draft.ts, owned), so a batch costs O(its events) however much the session holds, and the
 * session findings are brought up to date only when the owner asks, not per batch, reading only the steps added
 * since (rules/session/tracker.ts). `reduceSession` stays the pure, copy-on-write reducer for everyone else. It
 * also hands back the smaller form of each event for its owner to hold (the panel's held list, which exports are
 * made from).
 */
import { SessionFindingsTracker } from "../rules/session/index";
import { Draft } from "./draft";
import { applyEvents, emptySession } from "./reduce";
import type { CapturedEvent, Session } from "./types";

export class SessionBuilder {
  private s: Session = emptySession();
  private findingsStale = false;
  /** Reads only what was added since the last refresh: a refresh costs O(new steps), not O(session). */
  private readonly findings = new SessionFindingsTracker();

  /**
   * Applies the events in place. The findings are stale until `refreshFindings`. Returns the events in the form
   * worth holding, in order: each one itself, or — for a Transition that changed no auth state — a copy whose
   * frame keeps only its ends, which reads back to this same session (stored-form.ts). The inputs are untouched.
   */
  add(events: readonly CapturedEvent[]): CapturedEvent[] {
    const stored: CapturedEvent[] = [];
    if (events.length === 0) return stored;
    this.s = applyEvents(new Draft(this.s, true), events, stored);
    this.findingsStale = true;
    return stored;
  }

  /** True when events were added since the findings were last computed. */
  get stale(): boolean {
    return this.findingsStale;
  }

  refreshFindings(): void {
    if (!this.findingsStale) return;
    this.s.findings = this.findings.update(this.s);
    this.findingsStale = false;
  }

  /**
   * The session as of now: a new top-level object on every call (so a signal sees a change), sharing its lists
   * and connections with the builder — read them, never write them, and expect later `add`s to grow them.
   * With fresh findings when `refreshFindings` ran after the last `add`; the findings it last computed otherwise.
   */
  snapshot(): Session {
    return { ...this.s };
  }
}
