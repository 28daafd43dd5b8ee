/**
 * Values for `process.env.X`: `--env NAME=VALUE` pairs and dotenv-syntax text (file reading stays in the CLI;
 * core only parses text). Also the placeholder written for a variable whose value the user did not supply.
 */
import type { EnvValues } from "./types";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What an unresolved `process.env.NAME` evaluates to: a visible placeholder, kept in provider fields so the
 * provider is still reported. The backend itself never falls back (it refuses the push with
 * "Environment variable NAME is used in auth config file but its value was not set").
 */
export function envPlaceholder(name: string): string {
  return `\${process.env.${name}}`;
}

const PLACEHOLDER = /\$\{process\.env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of the unresolved-env placeholders inside `value` (empty when fully resolved). */
export function unresolvedEnvIn(value: string): string[] {
  const names = new Set<string>();
  for (const m of value.matchAll(PLACEHOLDER)) if (m[1]) names.add(m[1]);
  return [...names];
}

/** True when `value` still holds a `${process.env.X}` placeholder. */
export function hasUnresolvedEnv(value: string): boolean {
  return unresolvedEnvIn(value).length > 0;
}

export interface EnvParseResult {
  env: Record<string, string>;
  /** One line each, e.g. `line 3: expected NAME=VALUE`. */
  errors: string[];
}

/** Parses `--env NAME=VALUE` arguments (the value may itself contain `=`). Later pairs win. */
export function parseEnvPairs(pairs: readonly string[]): EnvParseResult {
  const env: Record<string, string> = Object.create(null); // a `__proto__=…` line is a name like any other
  const errors: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const name = eq > 0 ? pair.slice(0, eq).trim() : "";
    if (eq <= 0 || !NAME.test(name)) {
      errors.push(`--env expects NAME=VALUE, got ${JSON.stringify(pair.length > 60 ? pair.slice(0, 60) + "…" : pair)}`);
      continue;
    }
    env[name] = pair.slice(eq + 1);
  }
  return { env, errors };
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c));
}

/**
 * Parses dotenv text: `# comments`, blank lines, an optional `export ` prefix, `NAME=value`,
 * single quotes (literal), double quotes (`\n` escapes, may span lines), backticks, and ` # comment` after
 * an unquoted value. Later definitions win, as in dotenv.
 */
export function parseEnvTextWithErrors(text: string): EnvParseResult {
  const env: Record<string, string> = Object.create(null); // a `__proto__=…` line is a name like any other
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      errors.push(`line ${lineNo}: expected NAME=VALUE`);
      continue;
    }
    const name = m[1] ?? "";
    let rest = m[2] ?? "";
    const q = rest[0];
    if (q === '"' || q === "'" || q === "`") {
      // Quoted values may span lines until the matching closing quote.
      let body = rest.slice(1);
      let close = findClose(body, q);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        body += "\n" + (lines[i] ?? "");
        close = findClose(body, q);
      }
      if (close < 0) {
        errors.push(`line ${lineNo}: ${name} has an unterminated ${q} quote`);
        continue;
      }
      const inner = body.slice(0, close);
      env[name] = q === '"' ? unescapeDouble(inner) : inner;
      continue;
    }
    const hash = rest.search(/\s#/);
    if (hash >= 0) rest = rest.slice(0, hash);
    env[name] = rest.trim();
  }
  return { env, errors };
}

/** Lenient dotenv parse: the values only (lines that are not `NAME=VALUE` are skipped). */
export function parseEnvText(text: string): Record<string, string> {
  return parseEnvTextWithErrors(text).env;
}

function findClose(body: string, q: string): number {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === "\\" && q === '"') {
      j++;
      continue;
    }
    if (body[j] === q) return j;
  }
  return -1;
}

/** Merges env sources, later ones winning (e.g. env file, then `--env` pairs). */
export function mergeEnv(...sources: ReadonlyArray<EnvValues | undefined>): EnvValues {
  const out: Record<string, string> = Object.create(null);
  for (const s of sources) if (s) for (const [k, v] of Object.entries(s)) out[k] = v;
  return out;
}
