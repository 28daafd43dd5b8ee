/**
 * Finds the Convex app's `auth.config.ts` (then `.js`) the way `npx convex dev` picks the file it pushes:
 * the project root is the nearest directory at or above `cwd` holding a package.json (where the Convex CLI
 * runs); its functions folder is `convex.json`'s `"functions"`, else `src/convex/` for a create-react-app
 * project, else `convex/` (convex/src/cli/lib/config.ts, readProjectConfig). Nothing above the root is read.
 */
import { stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { InputError, readTextFile } from "./input";

export interface FoundConfig {
  /** Absolute path of the config file. */
  path: string;
  /** The project root: the directory holding the package.json. */
  root: string;
  /** The file's path from the root, as the user knows it (`convex/auth.config.ts`). */
  relative: string;
}

/** A found config, or why none was found (one clause, shown after "none found: "). */
export type ConfigSearch = { found: FoundConfig } | { found: null; why: string };

const DEFAULT_FUNCTIONS = "convex/";

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir` with a package.json, or null. */
async function projectRoot(dir: string): Promise<string | null> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (await isFile(join(d, "package.json"))) return d;
    if (dirname(d) === d) return null;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The functions folder, relative to the root, as the Convex CLI reads it. */
async function functionsFolder(root: string): Promise<string> {
  const convexJson = join(root, "convex.json");
  if (await isFile(convexJson)) {
    // A convex.json the Convex CLI cannot read stops its push too: say so rather than guess a folder.
    const config = parseJsonObject(await readTextFile(convexJson, "convex.json"));
    if (config === null) throw new InputError(`convex.json ${convexJson}: not a JSON object (use --config FILE, or --no-config)`);
    if (config.functions === undefined) return DEFAULT_FUNCTIONS;
    if (typeof config.functions !== "string") throw new InputError(`convex.json ${convexJson}: "functions" must be a string (use --config FILE, or --no-config)`);
    return config.functions;
  }
  // A package.json we cannot read leaves the default; the Convex CLI would refuse it anyway.
  const pkg = parseJsonObject(await readTextFile(join(root, "package.json"), "package.json").catch(() => "")) ?? {};
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  return "react-scripts" in deps ? `src/${DEFAULT_FUNCTIONS}` : DEFAULT_FUNCTIONS;
}

export async function findAuthConfig(cwd: string): Promise<ConfigSearch> {
  const root = await projectRoot(cwd);
  if (root === null) return { found: null, why: `no package.json in ${resolve(cwd)} or above, so no Convex app` };
  const dir = resolve(root, await functionsFolder(root));
  const ts = join(dir, "auth.config.ts");
  const js = join(dir, "auth.config.js");
  const [hasTs, hasJs] = await Promise.all([isFile(ts), isFile(js)]);
  // The Convex CLI refuses to push with both ("Found both …, choose one."): there is no deployed one to pick.
  if (hasTs && hasJs) throw new InputError(`found both ${ts} and ${js}; npx convex dev refuses that too: remove one, or choose with --config FILE`);
  const path = hasTs ? ts : hasJs ? js : null;
  if (path === null) return { found: null, why: `no auth.config.ts or auth.config.js in ${dir}` };
  return { found: { path, root, relative: relative(root, path) } };
}
