/**
 * parseAuthConfig: `convex/auth.config.ts` / `.js` / JSON text → the providers the backend would store.
 * Parsed with @babel/parser and read by a static evaluator; the file is never run.
 *
 * Errors: this function never throws. A file that cannot be read (syntax error, unknown helper call,
 * no default export, a value it cannot follow) gives one `config-unreadable` finding whose message is a
 * single line `auth.config.ts:3:14: reason` (the CLI prints it as is), and no providers.
 */
import { parse, parseExpression, type ParserPlugin } from "@babel/parser";
import type * as t from "@babel/types";
import type { Finding } from "../rules/types";
import { finding } from "../rules/catalogue";
import type { EnvValues, ParsedConfig, Provider } from "./types";
import { ConfigError, errorAt, formatLocated } from "./errors";
import { createContext, evaluate, toJson, type EvalContext } from "./evaluate";
import { checkProvider, SCHEMA_ERROR_PREFIX, serdeInvalidType } from "./rules";
import { storedOrder } from "./stored-order";

export interface ParseAuthConfigOptions {
  /** Shown in messages and used to pick the syntax (`.json`, `.tsx`/`.jsx`); default `auth.config.ts`. */
  filename?: string;
  /** Values for `process.env.X`; names without a value become `${process.env.X}` placeholders. */
  env?: EnvValues;
}

/** Input bigger than this is refused rather than parsed (an auth config is a few hundred bytes). */
export const MAX_CONFIG_CHARS = 100_000; // parsing is linear, ~70 ms per 100 KB of hostile text on a busy machine

export function parseAuthConfig(source: string, opts: ParseAuthConfigOptions = {}): ParsedConfig {
  const filename = opts.filename ?? "auth.config.ts";
  const isJson = /\.json$/i.test(filename) || /^\s*[{[]/.test(source);
  const ctx = createContext(filename, opts.env ?? {});
  const kind: ParsedConfig["source"] = isJson ? "json" : "file";

  let exported: unknown;
  try {
    if (typeof source !== "string") throw new ConfigError(filename, 0, 0, "the config is not text");
    if (source.length > MAX_CONFIG_CHARS) {
      throw new ConfigError(filename, 0, 0, `the file is ${source.length} characters; an auth config is expected to be under ${MAX_CONFIG_CHARS}`);
    }
    exported = isJson ? readJson(ctx, source) : readModule(ctx, source);
  } catch (e) {
    const message = e instanceof ConfigError ? e.message : formatLocated(filename, 0, 0, e instanceof Error ? e.message : String(e));
    return { providers: [], findings: [finding("config-unreadable", message)], unresolvedEnv: [], source: kind };
  }

  const findings: Finding[] = [];
  const unresolvedEnv = [...ctx.envUsed].filter(([, has]) => !has).map(([name]) => name);
  if (unresolvedEnv.length > 0) {
    findings.push(
      finding(
        "config-env-unresolved",
        `${filename} uses ${unresolvedEnv.map((n) => `process.env.${n}`).join(", ")} with no value supplied; the providers show \${process.env.NAME} placeholders until you give ${unresolvedEnv.length === 1 ? "it" : "them"} (on the deployment, a missing variable fails the push with "Environment variable ${unresolvedEnv[0]} is used in auth config file but its value was not set").`,
        { value: unresolvedEnv.join(", ").slice(0, 200) },
      ),
    );
  }

  const list = providerList(filename, exported, isJson, findings);
  if (list === null) return { providers: [], findings, unresolvedEnv, source: kind };

  const providers: Provider[] = [];
  list.forEach((raw, index) => {
    const r = checkProvider(raw, index, typeof raw === "object" && raw !== null ? ctx.envOrigins.get(raw) : undefined);
    findings.push(...r.findings);
    if (r.provider) providers.push(r.provider);
  });
  return { providers: storedOrder(providers), findings, unresolvedEnv, source: kind };
}

/** The `providers` array out of the default export (JSON: the object or a bare array), or null + finding. */
function providerList(filename: string, exported: unknown, isJson: boolean, findings: Finding[]): unknown[] | null {
  if (isJson && Array.isArray(exported)) return exported;
  if (exported === undefined || exported === null) {
    findings.push(
      finding(
        "config-unreadable",
        formatLocated(filename, 0, 0, "auth config file is missing default export. To learn more, see the auth documentation at https://docs.convex.dev/auth."),
      ),
    );
    return null;
  }
  if (typeof exported !== "object" || Array.isArray(exported)) {
    findings.push(
      finding("config-unreadable", formatLocated(filename, 0, 0, `${SCHEMA_ERROR_PREFIX}${serdeInvalidType(exported, "struct SerializedAuthConfig")}`)),
    );
    return null;
  }
  const providers = (exported as Record<string, unknown>).providers;
  if (!Array.isArray(providers)) {
    const detail = providers === undefined ? "missing field `providers`" : serdeInvalidType(providers, "a sequence");
    findings.push(finding("config-unreadable", formatLocated(filename, 0, 0, `${SCHEMA_ERROR_PREFIX}${detail}`)));
    return null;
  }
  return providers;
}

function babelError(filename: string, e: unknown): ConfigError {
  const err = e as { message?: string; loc?: { line: number; column: number } };
  const reason = String(err.message ?? e).replace(/\s*\(\d+:\d+\)\s*$/, "");
  return new ConfigError(filename, err.loc?.line ?? 0, err.loc ? err.loc.column + 1 : 0, reason);
}

function readJson(ctx: EvalContext, source: string): unknown {
  let expr: t.Expression;
  try {
    expr = parseExpression(source, { plugins: [] }) as t.Expression;
  } catch (e) {
    throw babelError(ctx.filename, e);
  }
  return toJson(evaluate(ctx, expr), ctx.envOrigins);
}

function parseModule(filename: string, source: string): t.File {
  const jsxFirst = /\.[jt]sx$/i.test(filename);
  const attempts: ParserPlugin[][] = jsxFirst ? [["typescript", "jsx"]] : [["typescript"]];
  // A pasted file has no telling extension: JSX syntax is tried only after plain TypeScript fails.
  if (!/\.[cm]?[jt]sx?$/i.test(filename)) attempts.push(["typescript", "jsx"]);
  let first: unknown;
  for (const plugins of attempts) {
    try {
      return parse(source, { sourceType: "module", plugins, errorRecovery: false }) as unknown as t.File;
    } catch (e) {
      first ??= e;
    }
  }
  throw babelError(filename, first);
}

function readModule(ctx: EvalContext, source: string): unknown {
  const file = parseModule(ctx.filename, source);
  let defaultExpr: t.Node | null = null;

  const declare = (decl: t.VariableDeclaration) => {
    for (const d of decl.declarations) {
      if (d.id.type === "Identifier") {
        ctx.bindings.set(d.id.name, { init: d.init ?? null, node: d, state: "new" });
      } else if (d.id.type === "ObjectPattern" && d.init && isEnvObject(d.init)) {
        // const { CLERK_ISSUER } = process.env;
        for (const p of d.id.properties) {
          if (p.type === "ObjectProperty" && p.key.type === "Identifier" && p.value.type === "Identifier") {
            const member: t.MemberExpression = {
              type: "MemberExpression",
              object: d.init,
              property: { type: "Identifier", name: p.key.name } as t.Identifier,
              computed: false,
              loc: p.loc,
            } as t.MemberExpression;
            ctx.bindings.set(p.value.name, { init: member, node: p, state: "new" });
          }
        }
      }
    }
  };

  for (const stmt of file.program.body) {
    switch (stmt.type) {
      case "ImportDeclaration":
        for (const s of stmt.specifiers) {
          const imported =
            s.type === "ImportSpecifier"
              ? s.imported.type === "Identifier"
                ? s.imported.name
                : s.imported.value
              : s.type === "ImportDefaultSpecifier"
                ? "default"
                : "*";
          ctx.imports.set(s.local.name, { source: stmt.source.value, imported });
        }
        break;
      case "VariableDeclaration":
        declare(stmt);
        break;
      case "ExportNamedDeclaration":
        if (stmt.declaration?.type === "VariableDeclaration") declare(stmt.declaration);
        for (const s of stmt.specifiers) {
          if (s.type === "ExportSpecifier" && !stmt.source) {
            const exportedName = s.exported.type === "Identifier" ? s.exported.name : s.exported.value;
            if (exportedName === "default") defaultExpr = s.local;
          }
        }
        break;
      case "ExportDefaultDeclaration": {
        const d = stmt.declaration;
        if (d.type === "FunctionDeclaration" || d.type === "ClassDeclaration" || d.type === "TSDeclareFunction") {
          throw errorAt(ctx.filename, d, "the default export is a function or class; the backend expects an object `{ providers: [...] }`");
        }
        defaultExpr = d as t.Expression;
        break;
      }
      case "ExpressionStatement": {
        const e = stmt.expression;
        if (e.type === "AssignmentExpression" && e.operator === "=" && isCommonJsExport(e.left)) defaultExpr = e.right;
        break;
      }
      default:
        break;
    }
  }
  if (defaultExpr === null) return undefined;
  return toJson(evaluate(ctx, defaultExpr), ctx.envOrigins);
}

function isEnvObject(node: t.Node): boolean {
  return (
    node.type === "MemberExpression" &&
    node.object.type === "Identifier" &&
    node.object.name === "process" &&
    node.property.type === "Identifier" &&
    node.property.name === "env"
  );
}

/** `module.exports`, `exports.default`, `module.exports.default`. */
function isCommonJsExport(node: t.Node): boolean {
  if (node.type !== "MemberExpression" || node.computed || node.property.type !== "Identifier") return false;
  const obj = node.object;
  const prop = node.property.name;
  if (obj.type === "Identifier") return (obj.name === "module" && prop === "exports") || (obj.name === "exports" && prop === "default");
  return prop === "default" && isCommonJsExport(obj) && obj.type === "MemberExpression" && (obj.property as t.Identifier).name === "exports";
}
