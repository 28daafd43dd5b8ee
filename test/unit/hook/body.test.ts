import { describe, expect, it } from "vitest";
import { captureBodyNatives, ERROR_BODY_LIMIT, readErrorBody } from "../../../src/hook/body.ts";

const n = captureBodyNatives(globalThis);

/** A real streamed body of `chunks` chunks of `size` bytes; counts what was pulled and whether it was cancelled. */
function streamed(chunks: number, size: number) {
  const stats = { pulled: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i++ >= chunks) return c.close();
      stats.pulled++;
      c.enqueue(new TextEncoder().encode("y".repeat(size)));
    },
    cancel() {
      stats.cancelled = true;
    },
  });
  return { res: new Response(stream, { status: 500 }), stats };
}

describe("readErrorBody", () => {
  it("reads a small error body from a clone; the page's body is untouched", async () => {
    const res = new Response('{"code":"NoAuthProvider","message":"é"}', { status: 401 });
    expect(await readErrorBody(n, res)).toBe('{"code":"NoAuthProvider","message":"é"}');
    expect(res.bodyUsed).toBe(false);
    expect(await res.text()).toBe('{"code":"NoAuthProvider","message":"é"}');
  });

  it("stops at the bound, and the page still reads the whole body", async () => {
    const { res, stats } = streamed(20, 1000);
    const text = await readErrorBody(n, res);
    expect(text).toBe("y".repeat(ERROR_BODY_LIMIT));
    expect(stats.pulled).toBeLessThan(20);
    expect(await res.text()).toHaveLength(20_000);
  });

  it("honours a custom limit", async () => {
    expect(await readErrorBody(n, new Response("abcdef", { status: 400 }), 3)).toBe("abc");
  });

  it("gives undefined when there is no body or it was already read", async () => {
    expect(await readErrorBody(n, new Response(null, { status: 304 }))).toBeUndefined();
    const used = new Response("x", { status: 500 });
    await used.text();
    expect(await readErrorBody(n, used)).toBeUndefined();
  });

  it("keeps what it read when the body errors midway", async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new Error("reset"));
        sent = true;
        c.enqueue(new TextEncoder().encode("partial"));
      },
    });
    expect(await readErrorBody(n, new Response(stream, { status: 502 }))).toBe("partial");
  });
});
