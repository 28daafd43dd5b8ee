// Small helpers shared by the harness tests: polling, and a raw `ws` client that queues frames.
import WebSocket from "ws";

/** Poll until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type RawSocket = {
  ws: WebSocket;
  send(msg: unknown): void;
  /** The next server message (optionally of one type, skipping Pings). */
  next(type?: string): Promise<Record<string, any>>;
  /** Resolves with what the client saw when the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
};

export async function openRaw(baseUrl: string, path = "/api/1.48.0/sync"): Promise<RawSocket> {
  const ws = new WebSocket(baseUrl.replace(/^http/, "ws") + path);
  const inbox: Record<string, any>[] = [];
  let wake: (() => void) | null = null;
  ws.on("message", (data) => {
    inbox.push(JSON.parse(data.toString()));
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      wake?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    send: (msg) => ws.send(JSON.stringify(msg)),
    async next(type) {
      const deadline = Date.now() + 8000;
      for (;;) {
        const i = inbox.findIndex((m) => (type ? m.type === type : m.type !== "Ping"));
        if (i >= 0) return inbox.splice(i, 1)[0]!;
        if (ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed before a ${type ?? "message"} arrived`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${type ?? "a message"}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
    },
    closed,
  };
}

export const connectMsg = (clientTs = Date.now()) => ({
  type: "Connect",
  sessionId: "00000000-0000-4000-8000-000000000000",
  connectionCount: 0,
  lastCloseReason: "InitialConnect",
  clientTs,
});
