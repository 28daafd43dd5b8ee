/** A rule's growing list of findings, bounded per ID: the session's list keeps the first MAX of each anyway. */
import type { Finding } from "../types";

export const MAX_FINDINGS_PER_ID = 50;

export class FindingList {
  readonly items: Finding[] = [];
  private readonly perId = new Map<string, number>();

  push(f: Finding): void {
    const n = (this.perId.get(f.id) ?? 0) + 1;
    this.perId.set(f.id, n);
    if (n <= MAX_FINDINGS_PER_ID) this.items.push(f);
  }
}
