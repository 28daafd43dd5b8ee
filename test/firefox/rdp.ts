/**
 * A minimal client for Firefox's DevTools remote debugging protocol (RDP: `<byte length>:<JSON>` packets over
 * TCP, one request at a time per actor, answered in order; packets with a `type` are events). The tests need it
 * because Firefox ESR 140's WebDriver BiDi has no chrome scope (`moz:scope` came later) and its one WebDriver
 * session is puppeteer's, so Marionette cannot open another.
 *
 * Why not web-ext's client (`web-ext/lib/firefox/rdp-client.js`, tried with web-ext 10.7 against Firefox ESR
 * 140): its package exports do not include it (only a path into node_modules reaches it), and it takes the first
 * packet from an actor as the answer to that actor's pending request, handing events only from a fixed list
 * (frameUpdate, tabNavigated…). So `evaluationResult` (the value of every evaluation) and `target-available-form`
 * come out as "Unexpected RDP message" errors, and `watchTargets` resolves with a target event instead of its
 * answer: neither the chrome-scope evaluation nor toolbox.ts's panel lookup can work on it.
 *
 * Firefox serves RDP when started with `--start-debugger-server <port>` and the prefs in firefox.ts. Only the
 * packets the tests use are modelled: evaluation (`evaluateJSAsync`, awaiting a returned promise), and whatever
 * `request()` is given.
 */
import { connect, type Socket } from "node:net";

export type Packet = Record<string, any>;

type Waiter = { resolve(p: Packet): void; reject(e: Error): void };

/** A value as RDP returns it: primitives as is, others as grips (`{ type: "undefined" | "longString" | … }`). */
type Grip = string | number | boolean | null | { type: string; actor?: string; length?: number; initial?: string };

export class RdpClient {
  #buf: Buffer = Buffer.alloc(0);
  #waiting = new Map<string, Waiter[]>();
  #listeners = new Set<(p: Packet) => void>();
  #closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk) => this.#receive(chunk));
    socket.on("close", () => this.#fail(new Error("the DevTools server closed the connection")));
    socket.on("error", (e) => this.#fail(e));
  }

  /** Connects to Firefox's debugger server on 127.0.0.1:`port`, retrying until it listens or `timeoutMs` passes. */
  static async connect(port: number, timeoutMs = 30_000): Promise<RdpClient> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = connect(port, "127.0.0.1");
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", resolve);
          socket.once("error", reject);
        });
        const client = new RdpClient(socket);
        await client.#next((p) => p.from === "root" && "applicationType" in p); // the server's greeting
        return client;
      } catch (e) {
        if (Date.now() > end) throw new Error(`no DevTools server on port ${port}: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Sends `{ to, type, ...params }` and resolves with the actor's answer (rejects on `{ error }`). */
  request(to: string, type: string, params: Packet = {}): Promise<Packet> {
    if (this.#closed) return Promise.reject(this.#closed);
    const body = Buffer.from(JSON.stringify({ to, type, ...params }), "utf8");
    this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body]));
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(to) ?? [];
      queue.push({ resolve, reject });
      this.#waiting.set(to, queue);
    });
  }

  /** Calls `listener` with every event packet from now on; returns the unsubscribe. */
  onEvent(listener: (p: Packet) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Evaluates `expression` with a console actor (chrome scope for the parent process, or one document for a
   * frame target) and resolves with its JSON-serialisable value. A promise is awaited; a throw rejects.
   */
  async evaluate<T>(consoleActor: string, expression: string): Promise<T> {
    // JSON text travels as a string, so objects come back whole instead of as grips.
    const text = `(async () => { const v = await (${expression}); return v === undefined ? undefined : JSON.stringify(v); })()`;
    const results: Packet[] = [];
    let wanted: string | null = null;
    let settle!: (p: Packet) => void;
    const result = new Promise<Packet>((r) => (settle = r));
    // The result event can arrive in the same TCP chunk as the answer that names it: keep all until then.
    const off = this.onEvent((p) => {
      if (p.from !== consoleActor || p.type !== "evaluationResult") return;
      if (p.resultID === wanted) settle(p);
      else results.push(p);
    });
    try {
      wanted = (await this.request(consoleActor, "evaluateJSAsync", { text, mapped: { await: true } })).resultID as string;
      const early = results.find((p) => p.resultID === wanted);
      if (early) settle(early);
      const p = await result;
      if (p.hasException) throw new Error(`evaluation failed: ${p.exceptionMessage ?? JSON.stringify(p.exception)}`);
      const json = await this.#text(p.result as Grip);
      return (json === undefined ? undefined : JSON.parse(json)) as T;
    } finally {
      off();
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** A string result: short ones inline, long ones (over the server's 10,000 characters) fetched whole. */
  async #text(grip: Grip): Promise<string | undefined> {
    if (typeof grip === "string") return grip;
    if (grip && typeof grip === "object" && grip.type === "longString" && grip.actor) {
      const r = await this.request(grip.actor, "substring", { start: 0, end: grip.length });
      return r.substring as string;
    }
    if (grip && typeof grip === "object" && grip.type === "undefined") return undefined;
    throw new Error(`unexpected evaluation result ${JSON.stringify(grip)}`);
  }

  #next(match: (p: Packet) => boolean): Promise<Packet> {
    return new Promise((resolve) => {
      const off = this.onEvent((p) => {
        if (match(p)) {
          off();
          resolve(p);
        }
      });
    });
  }

  #receive(chunk: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      const colon = this.#buf.indexOf(":");
      if (colon < 0) return;
      const length = Number(this.#buf.subarray(0, colon).toString("ascii"));
      if (this.#buf.length < colon + 1 + length) return;
      const packet = JSON.parse(this.#buf.subarray(colon + 1, colon + 1 + length).toString("utf8")) as Packet;
      this.#buf = this.#buf.subarray(colon + 1 + length);
      this.#dispatch(packet);
    }
  }

  #dispatch(p: Packet): void {
    // The greeting and events carry no request to answer; everything else answers the oldest request to its actor.
    const waiter = p.type === undefined && !("applicationType" in p) ? this.#waiting.get(p.from)?.shift() : undefined;
    if (!waiter) {
      for (const l of [...this.#listeners]) l(p);
      return;
    }
    if (p.error) waiter.reject(new Error(`${p.from}: ${p.error}: ${p.message ?? ""}`));
    else waiter.resolve(p);
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#closed = e;
    for (const queue of this.#waiting.values()) for (const w of queue.splice(0)) w.reject(e);
  }
}
