/**
 * A focused streaming reader for HAR files (and our export): feed it byte chunks, it hands back each member of
 * each `log.entries[k]` as its own JSON text, and each `_webSocketMessages` element separately (one socket can
 * hold most of a 100 MB file), plus every other top-level value (`format`, `version`, `events` of our export)
 * as raw text. Nothing else is kept, so a HAR is never held as one string plus one parsed tree. It checks the
 * document's shape only where it reads it (root, `log`, `entries`, an entry, its messages); the values it
 * hands over are validated by the JSON.parse their consumer runs. Pure: bytes in, callbacks out.
 */

export class HarStreamError extends Error {
  override name = "HarStreamError";
  constructor(
    message: string,
    /** Byte offset in the input where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface HarStreamSink {
  /** `log.entries[index]` starts (an object) at this byte offset. */
  entryStart(index: number, offset: number): void;
  /** One member of that entry other than `_webSocketMessages`, as JSON text. */
  entryMember(index: number, key: string, json: string, offset: number): void;
  /** The entry's `_webSocketMessages` array starts (its elements follow through `message`). */
  messagesStart(entry: number): void;
  /** One `_webSocketMessages` element of that entry, as JSON text. */
  message(entry: number, index: number, json: string, offset: number): void;
  /** The entry's closing brace was read. */
  entryEnd(index: number): void;
  /** A top-level member other than `log`, as JSON text. */
  member(key: string, json: string, offset: number): void;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** Bound on an object key we read at the shallow levels (root and `log`). */
const MAX_KEY = 4096;

type Role = "root" | "log" | "entries" | "entry" | "messages";
/** What the shallow parser expects next inside the innermost container it tracks. */
type Expect = "value" | "key" | "colon" | "comma-or-end" | "first-key-or-end" | "first-value-or-end";

interface Level {
  role: Role;
  expect: Expect;
  key: string;
  /** entry / messages: the entry's index. */
  entry: number;
  /** messages: how many were read. */
  count: number;
}

type Target =
  | { kind: "member"; key: string }
  | { kind: "entry-member"; entry: number; key: string }
  | { kind: "message"; entry: number; index: number };

/** A value being skipped or captured: brackets counted, strings stepped over. */
interface ValueScan {
  start: number;
  depth: number;
  inString: boolean;
  escaped: boolean;
  scalar: boolean;
  capture: Uint8Array[] | null;
  /** Where the captured value goes (null: skipped). */
  target: Target | null;
}

const describeByte = (b: number) => (b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).padStart(2, "0")}`);

export class HarStreamReader {
  private offset = 0;
  private stack: Level[] = [];
  private started = false;
  private finished = false;
  private value: ValueScan | null = null;
  /** A key string being read at a shallow level (bytes so far), with its escape state. */
  private keyBytes: number[] | null = null;
  private keyEscaped = false;
  private entryCount = 0;
  /** Fast-path caches for the next quote / backslash in the current chunk (avoid rescanning). */
  private nextQuote = -1;
  private nextBackslash = -1;
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });

  constructor(private readonly sink: HarStreamSink) {}

  /** The number of bytes consumed so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Whether `log.entries` was found (a HAR) — false for our export or foreign JSON. */
  sawEntries = false;
  sawLog = false;

  push(chunk: Uint8Array): void {
    let pos = 0;
    this.nextQuote = -1;
    this.nextBackslash = -1;
    const len = chunk.length;
    while (pos < len) {
      if (this.value) {
        pos = this.scanValue(chunk, pos);
        continue;
      }
      if (this.keyBytes) {
        pos = this.scanKey(chunk, pos);
        continue;
      }
      const b = chunk[pos]!;
      if (isSpace(b)) {
        pos++;
        continue;
      }
      this.shallow(b, chunk, pos);
      pos++;
    }
    this.offset += len;
  }

  /** The input ended: throws when the document is not complete. */
  end(): void {
    if (this.finished) return;
    const at = this.offset;
    if (!this.started) throw new HarStreamError(at === 0 ? "the file is empty" : "the file holds only white space", at);
    const entry = [...this.stack].reverse().find((l) => l.role === "entry");
    const inEntry = entry ? ` inside HAR entry ${entry.entry}` : "";
    throw new HarStreamError(`the file ends at byte ${at}${inEntry} before the JSON document is complete: it looks truncated`, at);
  }

  private top(): Level {
    return this.stack[this.stack.length - 1]!;
  }

  private fail(msg: string, pos: number): never {
    throw new HarStreamError(`${msg} at byte ${this.offset + pos}`, this.offset + pos);
  }

  /** One structural byte at the shallow levels (root object, `log` object, `entries` array). */
  private shallow(b: number, chunk: Uint8Array, pos: number): void {
    if (this.finished) this.fail(`unexpected ${describeByte(b)} after the end of the JSON document`, pos);
    if (!this.started) {
      this.started = true;
      if (b !== 0x7b) this.fail(`not a HAR file or export: expected a JSON object, found ${describeByte(b)}`, pos);
      this.stack.push(level("root"));
      return;
    }
    const lv = this.top();
    const isArray = lv.role === "entries" || lv.role === "messages";
    switch (lv.expect) {
      case "first-key-or-end":
      case "key":
        if (b === 0x7d && lv.expect === "first-key-or-end") return this.close(pos);
        if (b !== QUOTE) this.fail(`expected a quoted key in ${this.where()}, found ${describeByte(b)}`, pos);
        this.keyBytes = [];
        this.keyEscaped = false;
        return;
      case "colon":
        if (b !== 0x3a) this.fail(`expected ":" after key "${lv.key.slice(0, 40)}", found ${describeByte(b)}`, pos);
        lv.expect = "value";
        return;
      case "first-value-or-end":
        if (b === 0x5d) return this.close(pos);
        return this.beginValue(b, chunk, pos);
      case "value":
        return this.beginValue(b, chunk, pos);
      case "comma-or-end":
        if (b === 0x2c) {
          lv.expect = isArray ? "value" : "key";
          return;
        }
        if (b === (isArray ? 0x5d : 0x7d)) return this.close(pos);
        this.fail(`expected "," or "${isArray ? "]" : "}"}" in ${this.where()}, found ${describeByte(b)}`, pos);
    }
  }

  private where(): string {
    const lv = this.top();
    switch (lv.role) {
      case "root":
        return "the top-level object";
      case "log":
        return `"log"`;
      case "entries":
        return `"log.entries" after entry ${this.entryCount - 1}`;
      case "entry":
        return `HAR entry ${lv.entry}`;
      case "messages":
        return `the WebSocket messages of HAR entry ${lv.entry}`;
    }
  }

  private close(_pos: number): void {
    const done = this.stack.pop()!;
    if (done.role === "entry") this.sink.entryEnd(done.entry);
    if (this.stack.length === 0) {
      this.finished = true;
      return;
    }
    this.top().expect = "comma-or-end";
  }

  /** A value starts at a shallow level: descend into `log` / `entries` / an entry / its messages, or skip / capture it. */
  private beginValue(b: number, chunk: Uint8Array, pos: number): void {
    const lv = this.top();
    const descend = (role: Role, open: number, what: string, entry = -1): boolean => {
      if (b !== open) {
        if (role === "messages") return false; // not an array: handed over as a member, the consumer says what is wrong
        this.fail(`${what} is not ${open === 0x7b ? "an object" : "an array"}`, pos);
      }
      lv.expect = "comma-or-end";
      this.stack.push({ ...level(role), expect: role === "messages" || role === "entries" ? "first-value-or-end" : "first-key-or-end", entry });
      return true;
    };
    if (lv.role === "root" && lv.key === "log" && descend("log", 0x7b, `"log"`)) {
      this.sawLog = true;
      return;
    }
    if (lv.role === "log" && lv.key === "entries" && descend("entries", 0x5b, `"log.entries"`)) {
      this.sawEntries = true;
      return;
    }
    if (lv.role === "entries") {
      const index = this.entryCount++;
      descend("entry", 0x7b, `HAR entry ${index}`, index);
      this.sink.entryStart(index, this.offset + pos);
      return;
    }
    if (lv.role === "entry" && lv.key === "_webSocketMessages" && descend("messages", 0x5b, "", lv.entry)) {
      this.sink.messagesStart(lv.entry);
      return;
    }
    lv.expect = "comma-or-end";
    const target: Target | null =
      lv.role === "root"
        ? { kind: "member", key: lv.key }
        : lv.role === "entry"
          ? { kind: "entry-member", entry: lv.entry, key: lv.key }
          : lv.role === "messages"
            ? { kind: "message", entry: lv.entry, index: lv.count++ }
            : null;
    this.value = {
      start: this.offset + pos,
      depth: 0,
      inString: false,
      escaped: false,
      scalar: false,
      capture: target ? [] : null,
      target,
    };
    // Re-scan from this byte in value mode.
    this.valueFirst(b, pos);
    const v = this.value!;
    if (v.capture) v.capture.push(chunk.subarray(pos, pos + 1));
    if (!v.scalar && v.depth === 0 && !v.inString) this.finishValue();
  }

  private valueFirst(b: number, pos: number): void {
    const v = this.value!;
    if (b === 0x7b || b === 0x5b) v.depth = 1;
    else if (b === QUOTE) v.inString = true;
    else if (b === 0x7d || b === 0x5d || b === 0x2c || b === 0x3a) this.fail(`expected a value, found ${describeByte(b)}`, pos);
    else v.scalar = true;
  }

  /** Steps through a skipped/captured value; returns the position after what was consumed. */
  private scanValue(chunk: Uint8Array, from: number): number {
    const v = this.value!;
    const len = chunk.length;
    let pos = from;
    while (pos < len) {
      if (v.inString) {
        if (v.escaped) {
          v.escaped = false;
          pos++;
          continue;
        }
        if (this.nextQuote < pos) this.nextQuote = indexOrEnd(chunk, QUOTE, pos);
        if (this.nextBackslash < pos) this.nextBackslash = indexOrEnd(chunk, BACKSLASH, pos);
        if (this.nextBackslash < this.nextQuote) {
          pos = this.nextBackslash + 1;
          v.escaped = true;
          continue;
        }
        if (this.nextQuote >= len) {
          pos = len;
          break;
        }
        pos = this.nextQuote + 1;
        v.inString = false;
        if (v.depth === 0) {
          if (v.capture) v.capture.push(chunk.subarray(from, pos));
          this.finishValue();
          return pos;
        }
        continue;
      }
      const b = chunk[pos]!;
      if (v.scalar) {
        if (b === 0x2c || b === 0x7d || b === 0x5d || isSpace(b)) {
          if (v.capture) v.capture.push(chunk.subarray(from, pos));
          this.finishValue();
          return pos; // the delimiter belongs to the enclosing level
        }
        pos++;
        continue;
      }
      pos++;
      if (b === QUOTE) v.inString = true;
      else if (b === 0x7b || b === 0x5b) v.depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (--v.depth === 0) {
          if (v.capture) v.capture.push(chunk.subarray(from, pos));
          this.finishValue();
          return pos;
        }
      }
    }
    if (v.capture) v.capture.push(chunk.subarray(from, pos));
    return pos;
  }

  private finishValue(): void {
    const v = this.value!;
    this.value = null;
    if (!v.capture || !v.target) return;
    const text = this.decoder.decode(concat(v.capture));
    const t = v.target;
    if (t.kind === "member") this.sink.member(t.key, text, v.start);
    else if (t.kind === "entry-member") this.sink.entryMember(t.entry, t.key, text, v.start);
    else this.sink.message(t.entry, t.index, text, v.start);
  }

  /** A key at a shallow level: short, read byte by byte (escapes decoded by JSON.parse at the end). */
  private scanKey(chunk: Uint8Array, from: number): number {
    const bytes = this.keyBytes!;
    let pos = from;
    while (pos < chunk.length) {
      const b = chunk[pos++]!;
      if (this.keyEscaped) this.keyEscaped = false;
      else if (b === BACKSLASH) this.keyEscaped = true;
      else if (b === QUOTE) {
        this.keyBytes = null;
        const lv = this.top();
        try {
          lv.key = JSON.parse(`"${this.decoder.decode(Uint8Array.from(bytes))}"`) as string;
        } catch {
          this.fail("an object key is not a valid JSON string", pos - 1);
        }
        lv.expect = "colon";
        return pos;
      }
      bytes.push(b);
      if (bytes.length > MAX_KEY) this.fail(`an object key in ${this.where()} is over ${MAX_KEY} bytes`, pos - 1);
    }
    return pos;
  }
}

function level(role: Role): Level {
  return { role, expect: "first-key-or-end", key: "", entry: -1, count: 0 };
}

function indexOrEnd(chunk: Uint8Array, byte: number, from: number): number {
  const i = chunk.indexOf(byte, from);
  return i < 0 ? chunk.length : i;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
