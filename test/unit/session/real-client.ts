/**
 * The REAL convex client (ConvexClient, convex@1.48.0) writing frames into a capture, through its public
 * `webSocketConstructor` option (reference convex-protocol §7): a socket class that records what the client
 * sends as the page hook would (`ws-new`, `ws-open`, `ws-send` stamped with Date.now()). Nothing answers
 * unless the test calls `receive`, so this shows what the client sends on its own — e.g. that a socket opened
 * while paused carries no Connect.
 */
import { ConvexClient } from "convex/browser";
import type { CapturedEvent } from "../../../src/core/session/types";
import { SYNC_URL } from "./fixtures";

export interface RealClientWire {
  client: ConvexClient;
  events: CapturedEvent[];
  /** Resolves once the first socket opened (its onopen ran). */
  opened: Promise<void>;
  /** The server sends a frame on the latest socket. */
  receive(text: string): void;
  /** Sockets the client constructed so far. */
  sockets(): number;
}

export function realClientWire(): RealClientWire {
  const events: CapturedEvent[] = [];
  let n = 0;
  const push = (ev: CapturedEvent["ev"]) => events.push({ n: n++, doc: "doc-real", frame: 0, ev });
  let markOpen!: () => void;
  const opened = new Promise<void>((r) => (markOpen = r));
  const all: RecordingSocket[] = [];
  class RecordingSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = 0;
    onopen: ((e: unknown) => void) | null = null;
    onmessage: ((e: unknown) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onclose: ((e: unknown) => void) | null = null;
    readonly ws = all.push(this);
    constructor(readonly url: string) {
      push({ k: "ws-new", t: Date.now(), ws: this.ws, url: SYNC_URL });
      setTimeout(() => {
        this.readyState = 1;
        push({ k: "ws-open", t: Date.now(), ws: this.ws });
        this.onopen?.({});
        markOpen();
      }, 20);
    }
    send(text: string): void {
      push({ k: "ws-send", t: Date.now(), ws: this.ws, frame: { text, size: text.length } });
    }
    receive(text: string): void {
      push({ k: "ws-recv", t: Date.now(), ws: this.ws, frame: { text, size: text.length } });
      this.onmessage?.({ data: text });
    }
    close(): void {
      this.readyState = 3;
      setTimeout(() => {
        push({ k: "ws-close", t: Date.now(), ws: this.ws, code: 1000, reason: "", wasClean: true });
        this.onclose?.({ code: 1000, reason: "", wasClean: true });
      }, 0);
    }
  }
  const client = new ConvexClient("https://happy-animal-123.convex.cloud", {
    webSocketConstructor: RecordingSocket as unknown as typeof WebSocket,
    logger: false,
    unsavedChangesWarning: false,
  });
  return { client, events, opened, receive: (text) => all[all.length - 1]!.receive(text), sockets: () => all.length };
}
