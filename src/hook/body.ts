/**
 * The first bytes of an error response's body, read from a `clone()` so the page's own body is untouched
 * (a tee: the page can still read it in full). Reading stops at the bound and cancels only the clone.
 */
import { apply, getOwnPropertyDescriptor, ignore, slice } from "./safe";

/** How much of a non-2xx body is kept (UTF-16 units). */
export const ERROR_BODY_LIMIT = 4096;

export interface BodyNatives {
  clone: (this: Response) => Response;
  body: (this: Response) => ReadableStream<Uint8Array> | null;
  getReader: (this: ReadableStream<Uint8Array>) => ReadableStreamDefaultReader<Uint8Array>;
  read: (this: ReadableStreamDefaultReader<Uint8Array>) => Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel: (this: ReadableStreamDefaultReader<Uint8Array>) => Promise<void>;
  TextDecoder: typeof TextDecoder;
  decode: TextDecoder["decode"];
}

export function captureBodyNatives(g: typeof globalThis): BodyNatives {
  const bodyGetter = getOwnPropertyDescriptor(g.Response.prototype, "body")?.get;
  if (!bodyGetter) throw new Error("Response.prototype.body has no getter");
  return {
    clone: g.Response.prototype.clone,
    body: bodyGetter as BodyNatives["body"],
    getReader: g.ReadableStream.prototype.getReader as BodyNatives["getReader"],
    read: g.ReadableStreamDefaultReader.prototype.read as BodyNatives["read"],
    cancel: g.ReadableStreamDefaultReader.prototype.cancel as BodyNatives["cancel"],
    TextDecoder: g.TextDecoder,
    decode: g.TextDecoder.prototype.decode,
  };
}

/**
 * Clone `res` synchronously (before the first await: the page cannot have touched the body yet) and resolve to
 * the clone's text, at most `limit` characters; undefined when there is no body or it cannot be read.
 * Never rejects.
 */
export async function readErrorBody(
  n: BodyNatives,
  res: Response,
  limit = ERROR_BODY_LIMIT,
  /** Receives the text read so far, for a caller that stops waiting before the body ends. */
  progress?: { text: string },
): Promise<string | undefined> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    const stream = apply(n.body, apply(n.clone, res, []), []) as ReadableStream<Uint8Array> | null;
    if (!stream) return undefined;
    reader = apply(n.getReader, stream, []) as ReadableStreamDefaultReader<Uint8Array>;
  } catch {
    return undefined;
  }
  const decoder = new n.TextDecoder();
  let text = "";
  try {
    for (;;) {
      // `await` on a native promise never looks up a (possibly page-patched) `then`.
      const r = (await apply(n.read, reader, [])) as ReadableStreamReadResult<Uint8Array>;
      if (r.done) return text + (apply(n.decode, decoder, []) as string);
      text += apply(n.decode, decoder, [r.value, { stream: true }]) as string;
      if (progress) progress.text = slice(text, 0, limit);
      if (text.length >= limit) {
        // Enough: stop the clone's branch of the tee (the page's branch keeps flowing). Not awaited: a tee
        // branch's cancel settles only once the other branch is cancelled too or the source ends.
        ignore(apply(n.cancel, reader, []));
        return slice(text, 0, limit);
      }
    }
  } catch {
    return text.length > 0 ? slice(text, 0, limit) : undefined;
  }
}
