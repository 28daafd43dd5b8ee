/**
 * The one size every holder of captured events bounds itself by (the relay's replay log, the background's tab
 * buffer, the panel's held list): the strings a hook or relay event can carry, in UTF-16 code units, plus a
 * fixed cost per event. Read field by field without allocating: the relay counts on the page's thread, and
 * events it counts are not validated yet.
 */
type Fields = Record<string, unknown>;

const len = (v: unknown): number => (typeof v === "string" ? v.length : 0);

export function eventChars(ev: unknown): number {
  if (typeof ev !== "object" || ev === null) return 64;
  const r = ev as Fields;
  let n = 64 + len(r.url) + len(r.authorization) + len(r.errorBody) + len(r.reason);
  const f = r.frame;
  if (typeof f === "object" && f !== null) n += len((f as Fields).text) + len((f as Fields).head) + len((f as Fields).tail);
  return n;
}

/** eventChars of a HookRecordBatch's records (events.ts), read the same way: strings as they are, 8 per number. */
export function recordChars(rec: readonly unknown[]): number {
  let n = 0;
  for (let i = 0; i < rec.length; i++) {
    const v = rec[i];
    n += typeof v === "string" ? v.length : typeof v === "object" ? eventChars(v) : 8;
  }
  return n;
}
