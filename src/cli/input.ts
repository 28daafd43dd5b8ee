/** Reading the CLI's inputs with one-line, specific errors (exit 2), never a stack trace. */
import { open, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { UsageError } from "./args";

/** A real Convex token is a few KB; anything past this is not a token we should hold in memory. */
export const TOKEN_LIMIT = 1024 * 1024;
/** Config, env file and JWKS file: real ones are a few KB. */
export const FILE_LIMIT = 1024 * 1024;

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

/** What a path is when it is not a regular file (`/dev/zero`, a FIFO, a directory…). */
function fileKind(info: Stats): string {
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isFIFO()) return "a named pipe";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

/** At most `limit + 1` bytes: enough to tell "over the limit" without reading an endless or growing file. */
async function readBounded(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(limit + 1);
    let total = 0;
    while (total < buf.length) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** The file's stats when `path` is a regular file, or a one-line InputError saying what it is instead. */
export async function statRegularFile(path: string, what: string): Promise<Stats> {
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
  if (!info.isFile()) throw new InputError(`${what} ${path}: is ${fileKind(info)}, not a regular file`);
  return info;
}

/**
 * Reads a small text file the user named (`--config`, `--env-file`, `--jwks`): a regular file of at most
 * `limit` bytes, read with a bound (never `/dev/zero` or a pipe that never ends), or a one-line InputError.
 */
export async function readTextFile(path: string, what: string, limit = FILE_LIMIT): Promise<string> {
  const info = await statRegularFile(path, what);
  const tooLarge = (n: string) => new InputError(`${what} ${path}: ${n} is too large (limit ${size(limit)})`);
  if (info.size > limit) throw tooLarge(size(info.size));
  let bytes: Buffer;
  try {
    bytes = await readBounded(path, limit);
  } catch (e) {
    throw new InputError(`${what} ${path}: ${(e as Error).message}`);
  }
  if (bytes.length > limit) throw tooLarge(`more than ${size(limit)}`);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const bin = binaryReason(text);
  if (bin) throw new InputError(`${what} ${path}: not a text file (${bin})`);
  return text;
}

export { UsageError };
