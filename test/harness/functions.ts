// A tiny function table standing in for a deployed convex/ folder. Values are plain JSON.
import type { JsonObject } from "./identity.ts";

export type UdfType = "query" | "mutation" | "action";

export type FunctionContext = {
  /** What ctx.auth.getUserIdentity() returns: null for no auth and for a plain admin (§6). */
  identity: JsonObject | null;
  store: HarnessStore;
};

export type HarnessStore = { messages: { _id: string; author: string | null; body: string; channel: string }[] };

type Udf = { type: UdfType; run: (ctx: FunctionContext, args: JsonObject) => unknown };

const MAX_BODY = 2000;

export const FUNCTIONS: Record<string, Udf> = {
  "messages:list": {
    type: "query",
    run: (ctx, args) => {
      const channel = typeof args.channel === "string" ? args.channel : "general";
      return ctx.store.messages.filter((m) => m.channel === channel);
    },
  },
  "users:whoami": { type: "query", run: (ctx) => ctx.identity },
  "messages:send": {
    type: "mutation",
    run: (ctx, args) => {
      if (typeof args.body !== "string") throw new Error("messages:send expects { body: string }");
      const message = {
        _id: `m${ctx.store.messages.length + 1}`,
        author: ctx.identity ? String(ctx.identity.tokenIdentifier) : null,
        body: args.body.slice(0, MAX_BODY),
        channel: typeof args.channel === "string" ? args.channel : "general",
      };
      ctx.store.messages.push(message);
      return message._id;
    },
  },
  "users:whoamiAction": { type: "action", run: (ctx) => ctx.identity },
};

/** Canonical `module:function` (protocol §2): `.js` stripped, `:default` added. */
export function canonicalPath(path: string): string {
  const [mod, fn] = path.includes(":") ? [path.slice(0, path.lastIndexOf(":")), path.slice(path.lastIndexOf(":") + 1)] : [path, "default"];
  return `${mod.replace(/\.js$/, "")}:${fn}`;
}

export type UdfOutcome = { ok: true; value: unknown } | { ok: false; errorMessage: string };

/** Run a function by path; `expected` restricts the type as the /api/query|mutation|action routes do. */
export function runUdf(path: string, args: unknown, ctx: FunctionContext, expected?: UdfType): UdfOutcome {
  const name = canonicalPath(path);
  const udf = FUNCTIONS[name];
  if (!udf || (expected && udf.type !== expected)) {
    return { ok: false, errorMessage: `Could not find public function for '${name}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?` };
  }
  try {
    const a = args !== null && typeof args === "object" && !Array.isArray(args) ? (args as JsonObject) : {};
    return { ok: true, value: udf.run(ctx, a) ?? null };
  } catch (e) {
    return { ok: false, errorMessage: e instanceof Error ? e.message : String(e) };
  }
}
