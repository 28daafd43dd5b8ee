/**
 * A small static evaluator for auth.config files: it follows literals, `process.env`, top-level consts,
 * template strings, `+`, `??`/`||`/`&&`, `?:`, spreads, TypeScript wrappers and the known helper calls,
 * and never runs the file. Anything else stops with a located ConfigError.
 */
import type * as t from "@babel/types";
import { errorAt } from "./errors";
import { betterAuthProvider, workosProviders, type AuthKitOptions } from "./helpers";
import { envPlaceholder } from "./env";
import type { EnvValues } from "./types";

/** A `new AuthKit(component, options)` instance: only what getAuthConfigProviders needs. */
export class AuthKitInstance {
  constructor(readonly options: AuthKitOptions) {}
}

/** What evaluation can produce: JSON-like data, `undefined`, or a known helper instance. */
export type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value } | AuthKitInstance;

interface Binding {
  init: t.Expression | null;
  node: t.Node;
  state: "new" | "busy" | "done";
  value?: Value;
  /** The `process.env` names its value read, replayed on every later use (the value is computed once). */
  envNames?: string[];
}

interface ImportBinding {
  source: string;
  imported: string;
}

export interface EvalContext {
  filename: string;
  env: EnvValues;
  /** Every `process.env` name read, in first-use order, and whether it had a value. */
  envUsed: Map<string, boolean>;
  /** Every `process.env` read, in order (repeats kept): what a property's value read is the slice it added. */
  envReads: string[];
  /** Per evaluated object: the `process.env` names each property's value was built from. */
  envOrigins: WeakMap<object, EnvOrigins>;
  bindings: Map<string, Binding>;
  imports: Map<string, ImportBinding>;
}

export function createContext(filename: string, env: EnvValues): EvalContext {
  return { filename, env, envUsed: new Map(), envReads: [], envOrigins: new WeakMap(), bindings: new Map(), imports: new Map() };
}

/** Property name → the `process.env` names its value came from. */
export type EnvOrigins = Map<string, string[]>;

/** The distinct names read since `mark`. */
function readSince(ctx: EvalContext, mark: number): string[] {
  return [...new Set(ctx.envReads.slice(mark))];
}

function setOrigin(ctx: EvalContext, obj: object, key: string, names: readonly string[]): void {
  let o = ctx.envOrigins.get(obj);
  if (o === undefined) ctx.envOrigins.set(obj, (o = new Map()));
  if (names.length) o.set(key, [...names]);
  else o.delete(key);
}

/**
 * Helper calls build their providers out of sight: a field came from a name read during the call when it holds
 * that name's value (or its placeholder), e.g. the WorkOS client ID in `applicationID` and the JWKS URL.
 */
function attributeHelperOutput(ctx: EvalContext, value: Value, names: readonly string[]): void {
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (!isPlainObject(item)) continue;
    const fields = Object.entries(item).filter((e): e is [string, string] => typeof e[1] === "string");
    const holds = (field: string, n: string) => {
      const v = Object.prototype.hasOwnProperty.call(ctx.env, n) ? (ctx.env[n] as string) : envPlaceholder(n);
      return v !== "" && field.includes(v);
    };
    for (const [key, field] of fields) {
      // A data: URL is built from a value it does not contain verbatim (Better Auth's JWKS rows): it came from
      // the names no plain field holds.
      const from = field.startsWith("data:")
        ? names.filter((n) => !fields.some(([, f]) => !f.startsWith("data:") && holds(f, n)))
        : names.filter((n) => holds(field, n));
      setOrigin(ctx, item, key, from);
    }
  }
}

/** Reads `process.env.NAME`: the supplied value, or a `${process.env.NAME}` placeholder. */
export function lookupEnv(ctx: EvalContext, name: string): string {
  const has = Object.prototype.hasOwnProperty.call(ctx.env, name);
  if (!ctx.envUsed.has(name)) ctx.envUsed.set(name, has);
  ctx.envReads.push(name);
  return has ? (ctx.env[name] as string) : envPlaceholder(name);
}

function isPlainObject(v: Value): v is { [k: string]: Value } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof AuthKitInstance);
}

/** JavaScript's ToString for the values we support (template literals, `+`). */
function toStr(v: Value): string {
  if (Array.isArray(v)) return v.map((x) => (x === null || x === undefined ? "" : toStr(x))).join(",");
  if (isPlainObject(v) || v instanceof AuthKitInstance) return "[object Object]";
  return String(v);
}

function truthy(v: Value): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === "" || Number.isNaN(v));
}

/** Strips TypeScript-only wrappers: `satisfies`, `as`, `<T>x`, `x!`, `f<T>`, parentheses. */
export function unwrap(node: t.Node): t.Node {
  let n = node;
  for (;;) {
    switch (n.type) {
      case "TSSatisfiesExpression":
      case "TSAsExpression":
      case "TSTypeAssertion":
      case "TSNonNullExpression":
      case "TSInstantiationExpression":
      case "ParenthesizedExpression":
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
}

/** `process.env`, possibly wrapped. */
function isProcessEnv(node: t.Node): boolean {
  const n = unwrap(node);
  return (
    n.type === "MemberExpression" &&
    !n.computed &&
    unwrap(n.object).type === "Identifier" &&
    (unwrap(n.object) as t.Identifier).name === "process" &&
    n.property.type === "Identifier" &&
    n.property.name === "env"
  );
}

function describe(node: t.Node): string {
  const n = unwrap(node);
  switch (n.type) {
    case "Identifier":
      return n.name;
    case "MemberExpression":
      return `${describe(n.object)}${n.computed ? "[…]" : "." + (n.property.type === "Identifier" ? n.property.name : "…")}`;
    case "CallExpression":
      return `${describe(n.callee as t.Node)}(…)`;
    case "NewExpression":
      return `new ${describe(n.callee as t.Node)}(…)`;
    default:
      return n.type;
  }
}

function propertyKey(ctx: EvalContext, p: t.ObjectProperty): string {
  if (p.computed) return toStr(evaluate(ctx, p.key as t.Expression));
  const k = p.key;
  if (k.type === "Identifier") return k.name;
  if (k.type === "StringLiteral") return k.value;
  if (k.type === "NumericLiteral") return String(k.value);
  throw errorAt(ctx.filename, k, `unsupported property key (${k.type})`);
}

/** Finds a non-computed property by name in an object literal (for reading only some helper options). */
function findProperty(obj: t.ObjectExpression, name: string): t.ObjectProperty | null {
  let found: t.ObjectProperty | null = null;
  for (const p of obj.properties) {
    if (p.type !== "ObjectProperty" || p.computed) continue;
    const k = p.key;
    const key = k.type === "Identifier" ? k.name : k.type === "StringLiteral" ? k.value : null;
    if (key === name) found = p;
  }
  return found;
}

/** Resolves an identifier to its top-level const's object literal, if it has one. */
function resolveObjectLiteral(ctx: EvalContext, node: t.Node): t.ObjectExpression | null {
  const n = unwrap(node);
  if (n.type === "ObjectExpression") return n;
  if (n.type === "Identifier") {
    const b = ctx.bindings.get(n.name);
    if (b?.init) return resolveObjectLiteral(ctx, b.init);
  }
  return null;
}

function evaluateIdentifier(ctx: EvalContext, node: t.Identifier): Value {
  if (node.name === "undefined") return undefined;
  const b = ctx.bindings.get(node.name);
  if (b) {
    if (b.state === "done") {
      ctx.envReads.push(...(b.envNames ?? []));
      return b.value;
    }
    if (b.state === "busy") throw errorAt(ctx.filename, node, `\`${node.name}\` refers to itself`);
    if (!b.init) throw errorAt(ctx.filename, node, `\`${node.name}\` is declared without a value`);
    b.state = "busy";
    const mark = ctx.envReads.length;
    const v = evaluate(ctx, b.init);
    b.state = "done";
    b.value = v;
    b.envNames = readSince(ctx, mark);
    return v;
  }
  const imp = ctx.imports.get(node.name);
  if (imp) {
    throw errorAt(
      ctx.filename,
      node,
      `\`${node.name}\` is imported from "${imp.source}", which the inspector does not read; inline its value or paste the providers it produces`,
    );
  }
  throw errorAt(ctx.filename, node, `\`${node.name}\` is not defined at the top level of the file`);
}

function evaluateMember(ctx: EvalContext, node: t.MemberExpression | t.OptionalMemberExpression): Value {
  if (isProcessEnv(node.object)) {
    const name = node.computed
      ? evaluate(ctx, node.property as t.Expression)
      : node.property.type === "Identifier"
        ? node.property.name
        : undefined;
    if (typeof name !== "string") throw errorAt(ctx.filename, node.property, "`process.env[…]` needs a string name");
    return lookupEnv(ctx, name);
  }
  const obj = evaluate(ctx, node.object);
  const key = node.computed
    ? toStr(evaluate(ctx, node.property as t.Expression))
    : node.property.type === "Identifier"
      ? node.property.name
      : toStr(evaluate(ctx, node.property as t.Expression));
  if (obj === undefined || obj === null) {
    if (node.optional) return undefined;
    throw errorAt(ctx.filename, node, `cannot read \`${key}\` of ${String(obj)} (${describe(node.object)})`);
  }
  if (Array.isArray(obj)) {
    if (key === "length") return obj.length;
    return /^\d+$/.test(key) ? obj[Number(key)] : undefined;
  }
  if (typeof obj === "string") {
    if (key === "length") return obj.length;
    return /^\d+$/.test(key) ? obj[Number(key)] : undefined;
  }
  if (isPlainObject(obj)) return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  throw errorAt(ctx.filename, node, `cannot follow \`${describe(node)}\``);
}

/** The local names that refer to a helper, through imports (aliases allowed) or by its own name. */
function isHelperCallee(ctx: EvalContext, callee: t.Node, helperName: string): boolean {
  const n = unwrap(callee);
  if (n.type !== "Identifier") return false;
  const imp = ctx.imports.get(n.name);
  if (imp) return imp.imported === helperName;
  return n.name === helperName && !ctx.bindings.has(n.name);
}

function evaluateAuthKitOptions(ctx: EvalContext, node: t.Node | undefined): AuthKitOptions {
  if (!node) return {};
  const obj = resolveObjectLiteral(ctx, node);
  if (!obj) {
    const v = evaluate(ctx, node as t.Expression);
    if (v === undefined) return {};
    if (!isPlainObject(v)) throw errorAt(ctx.filename, node, "the AuthKit options are not an object literal");
    return { clientId: v.clientId, apiHostname: v.apiHostname };
  }
  // Only the fields that shape the providers are evaluated: the rest (authFunctions, …) may be unreadable.
  const out: AuthKitOptions = {};
  const clientId = findProperty(obj, "clientId");
  const apiHostname = findProperty(obj, "apiHostname");
  if (clientId) out.clientId = evaluate(ctx, clientId.value as t.Expression);
  if (apiHostname) out.apiHostname = evaluate(ctx, apiHostname.value as t.Expression);
  return out;
}

function evaluateCall(ctx: EvalContext, node: t.CallExpression | t.OptionalCallExpression): Value {
  const mark = ctx.envReads.length;
  const value = evaluateHelperCall(ctx, node);
  attributeHelperOutput(ctx, value, readSince(ctx, mark));
  return value;
}

function evaluateHelperCall(ctx: EvalContext, node: t.CallExpression | t.OptionalCallExpression): Value {
  const callee = unwrap(node.callee);
  const env = (name: string) => lookupEnv(ctx, name);

  if (isHelperCallee(ctx, callee, "getAuthConfigProvider")) {
    const arg = node.arguments[0];
    let opts: { basePath?: unknown; jwks?: unknown } | undefined;
    if (arg) {
      if (arg.type === "SpreadElement" || arg.type === "ArgumentPlaceholder") throw errorAt(ctx.filename, arg, "unsupported argument");
      const v = evaluate(ctx, arg as t.Expression);
      if (v !== undefined) {
        if (!isPlainObject(v)) throw errorAt(ctx.filename, arg, "getAuthConfigProvider expects an options object");
        opts = { basePath: v.basePath, jwks: v.jwks };
      }
    }
    try {
      return betterAuthProvider(opts, env) as Value;
    } catch (e) {
      throw errorAt(ctx.filename, node, e instanceof Error ? e.message : String(e));
    }
  }

  if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier" &&
      callee.property.name === "getAuthConfigProviders") {
    const target = unwrap(callee.object);
    let options: AuthKitOptions = {};
    if (target.type === "Identifier" && !ctx.bindings.has(target.name)) {
      // An AuthKit instance imported from another file (`import { authKit } from "./auth"`): its options are
      // not visible here, so assume the defaults (client ID from WORKOS_CLIENT_ID, api.workos.com).
      options = {};
    } else {
      const inst = evaluate(ctx, callee.object);
      if (!(inst instanceof AuthKitInstance)) {
        throw errorAt(ctx.filename, callee.object, `\`${describe(callee.object)}\` is not a \`new AuthKit(…)\` instance`);
      }
      options = inst.options;
    }
    return workosProviders(options, env) as Value;
  }

  throw errorAt(
    ctx.filename,
    node,
    `unknown call \`${describe(node)}\`: the inspector expands only getAuthConfigProvider() (Better Auth) and authKit.getAuthConfigProviders() (WorkOS); replace it with the providers it returns`,
  );
}

function evaluateNew(ctx: EvalContext, node: t.NewExpression): Value {
  const callee = unwrap(node.callee);
  const isAuthKit =
    callee.type === "Identifier" &&
    (ctx.imports.get(callee.name)?.imported === "AuthKit" || (callee.name === "AuthKit" && !ctx.bindings.has("AuthKit")));
  if (!isAuthKit) throw errorAt(ctx.filename, node, `unknown constructor \`${describe(node)}\``);
  // The first argument (`components.workOSAuthKit`) is never evaluated: it only exists at runtime.
  return new AuthKitInstance(evaluateAuthKitOptions(ctx, node.arguments[1] as t.Node | undefined));
}

/** Evaluates one expression to a Value, or throws a located ConfigError. */
export function evaluate(ctx: EvalContext, expr: t.Node): Value {
  const node = unwrap(expr);
  switch (node.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
      return node.value;
    case "NullLiteral":
      return null;
    case "Identifier":
      return evaluateIdentifier(ctx, node);
    case "TemplateLiteral": {
      let s = "";
      node.quasis.forEach((q, i) => {
        s += q.value.cooked ?? q.value.raw;
        const e = node.expressions[i];
        if (e) s += toStr(evaluate(ctx, e));
      });
      return s;
    }
    case "UnaryExpression": {
      const v = evaluate(ctx, node.argument);
      if (node.operator === "-" && typeof v === "number") return -v;
      if (node.operator === "+" && typeof v === "number") return v;
      if (node.operator === "!") return !truthy(v);
      if (node.operator === "void") return undefined;
      throw errorAt(ctx.filename, node, `unsupported operator \`${node.operator}\``);
    }
    case "BinaryExpression": {
      if (node.operator !== "+") throw errorAt(ctx.filename, node, `unsupported operator \`${node.operator}\``);
      const l = evaluate(ctx, node.left as t.Expression);
      const r = evaluate(ctx, node.right);
      if (typeof l === "number" && typeof r === "number") return l + r;
      return toStr(l) + toStr(r);
    }
    case "LogicalExpression": {
      const l = evaluate(ctx, node.left);
      if (node.operator === "??") return l === undefined || l === null ? evaluate(ctx, node.right) : l;
      if (node.operator === "||") return truthy(l) ? l : evaluate(ctx, node.right);
      return truthy(l) ? evaluate(ctx, node.right) : l;
    }
    case "ConditionalExpression":
      return truthy(evaluate(ctx, node.test)) ? evaluate(ctx, node.consequent) : evaluate(ctx, node.alternate);
    case "ArrayExpression": {
      const out: Value[] = [];
      for (const el of node.elements) {
        if (el === null) out.push(undefined);
        else if (el.type === "SpreadElement") {
          const v = evaluate(ctx, el.argument);
          if (Array.isArray(v)) out.push(...v);
          else if (typeof v === "string") out.push(...v);
          else throw errorAt(ctx.filename, el, `cannot spread ${describe(el.argument)}: not an array`);
        } else out.push(evaluate(ctx, el));
      }
      return out;
    }
    case "ObjectExpression": {
      const out: { [k: string]: Value } = {};
      for (const p of node.properties) {
        if (p.type === "SpreadElement") {
          const v = evaluate(ctx, p.argument);
          if (v === undefined || v === null) continue;
          if (Array.isArray(v)) v.forEach((x, i) => (out[String(i)] = x));
          else if (isPlainObject(v)) {
            Object.assign(out, v);
            for (const k of Object.keys(v)) setOrigin(ctx, out, k, ctx.envOrigins.get(v)?.get(k) ?? []);
          }
          else throw errorAt(ctx.filename, p, `cannot spread ${describe(p.argument)}: not an object`);
        } else if (p.type === "ObjectProperty") {
          const key = propertyKey(ctx, p);
          const mark = ctx.envReads.length;
          out[key] = evaluate(ctx, p.value as t.Expression);
          setOrigin(ctx, out, key, readSince(ctx, mark));
        } else {
          throw errorAt(ctx.filename, p, "methods and accessors are not supported in auth.config");
        }
      }
      return out;
    }
    case "MemberExpression":
    case "OptionalMemberExpression":
      return evaluateMember(ctx, node);
    case "CallExpression":
    case "OptionalCallExpression":
      return evaluateCall(ctx, node);
    case "NewExpression":
      return evaluateNew(ctx, node);
    case "SequenceExpression": {
      let v: Value;
      for (const e of node.expressions) v = evaluate(ctx, e);
      return v;
    }
    default:
      throw errorAt(ctx.filename, node, `cannot evaluate ${node.type} without running the file`);
  }
}

/**
 * Converts an evaluated value to what `JSON.stringify` then `JSON.parse` would give (the backend's view).
 * With `origins`, each copied object keeps its `process.env` origins.
 */
export function toJson(v: Value, origins?: WeakMap<object, EnvOrigins>): unknown {
  if (v instanceof AuthKitInstance) return {};
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toJson(x, origins)));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x, origins);
    const o = origins?.get(v);
    if (o !== undefined) origins!.set(out, o);
    return out;
  }
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}
