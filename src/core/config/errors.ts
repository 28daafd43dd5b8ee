/** A config that cannot be read, located in the file: its message is one line, `file:line:column: reason`. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly filename: string,
    /** 1-based line, or 0 when unknown. */
    readonly line: number,
    /** 1-based column, or 0 when unknown. */
    readonly column: number,
    readonly reason: string,
  ) {
    super(formatLocated(filename, line, column, reason));
  }
}

/** `auth.config.ts:3:14: reason` (location parts omitted when unknown); always a single line. */
export function formatLocated(filename: string, line: number, column: number, reason: string): string {
  const where = line > 0 ? `${filename}:${line}:${column}` : filename;
  return `${where}: ${reason.replace(/\s*[\r\n]+\s*/g, " ")}`;
}

/** A node position as babel reports it (line 1-based, column 0-based). */
export interface BabelLoc {
  start: { line: number; column: number };
}

export function errorAt(filename: string, node: { loc?: BabelLoc | null } | null | undefined, reason: string): ConfigError {
  const loc = node?.loc?.start;
  return new ConfigError(filename, loc?.line ?? 0, loc ? loc.column + 1 : 0, reason);
}
