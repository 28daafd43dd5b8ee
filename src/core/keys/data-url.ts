/**
 * `data:` JWKS URLs (customJwt `jwks`, reference §1.3): decoded like the `data-url` crate (WHATWG fetch
 * "data: URL processor"); the MIME type is ignored.
 */

export type DataUrlResult = { ok: true; body: Uint8Array } | { ok: false; error: string };

function percentDecode(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length) {
      const hex = String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** Decode a `data:` URL's body; an error says what is wrong. */
export function decodeDataUrl(url: string): DataUrlResult {
  if (!/^data:/i.test(url)) return { ok: false, error: "not a data: URL" };
  const rest = url.slice(5);
  const comma = rest.indexOf(",");
  if (comma < 0) return { ok: false, error: "no ',' separating the media type from the data" };
  const meta = rest.slice(0, comma).trim();
  const bodyBytes = percentDecode(rest.slice(comma + 1));
  if (!/;[\u0020]*base64$/i.test(meta)) return { ok: true, body: bodyBytes };
  // Forgiving-base64 is exactly what atob implements.
  let text = "";
  // Chunked: spreading a large array into fromCharCode overflows the stack.
  for (let i = 0; i < bodyBytes.length; i += 8192) text += String.fromCharCode(...bodyBytes.subarray(i, i + 8192));
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return { ok: false, error: "the data is marked base64 but is not valid base64" };
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return { ok: true, body: out };
}
