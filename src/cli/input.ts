/** Reading the CLI's inputs with one-line, specific errors (exit 2), never a stack trace. */
import { readFile, stat } from "node:fs/promises";
import { UsageError } from "./args";

/** A real Convex token is a few KB; anything past this is not a token we should hold in memory. */
export const TOKEN_LIMIT = 1024 * 1024;
const FILE_LIMIT = 1024 * 1024;

export class InputError extends Error {}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);

/** Control characters other than whitespace mean the input is binary, not a token or a config file. */
function binaryReason(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return `a NUL byte at offset ${i}`;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return `control character 0x${c.toString(16).padStart(2, "0")} at offset ${i}`;
    if (c === 0xfffd) return `bytes that are not UTF-8 near offset ${i}`;
  }
  return null;
}

async function readStdin(stdin: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > limit) throw new InputError(`token on stdin is over ${size(limit)}; a Convex token is a few KB`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function readToken(arg: string, stdin: NodeJS.ReadableStream): Promise<string> {
  const raw = arg === "-" ? await readStdin(stdin, TOKEN_LIMIT) : arg;
  const text = raw.trim();
  if (text === "") throw new InputError(arg === "-" ? "no token on stdin (it was empty)" : "the token is empty");
  if (text.length > TOKEN_LIMIT) {
    throw new InputError(`the token is ${size(text.length)}; refusing more than ${size(TOKEN_LIMIT)} (a Convex token is a few KB)`);
  }
  const bin = binaryReason(text);
  if (bin) throw new InputError(`the token is not text: ${bin}`);
  return text;
}

/** Reads a small text file the user named, e.g. `--config` or `--env-file`. */
export async function readTextFile(path: string, what: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${what} ${path}: no such file`);
    if (code === "EACCES") throw new InputError(`${what} ${path}: permission denied`);
    throw new InputError(`${what} ${path}: ${(e as Error).message}`);
  }
  if (info.isDirectory()) throw new InputError(`${what} ${path}: is a directory, not a file`);
  if (info.size > FILE_LIMIT) throw new InputError(`${what} ${path}: ${size(info.size)} is too large (limit ${size(FILE_LIMIT)})`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InputError(`${what} ${path}: ${(e as Error).message}`);
  }
  const bin = binaryReason(text.replace(/^\uFEFF/, ""));
  if (bin) throw new InputError(`${what} ${path}: not a text file (${bin})`);
  return text.replace(/^\uFEFF/, "");
}

export { UsageError };
