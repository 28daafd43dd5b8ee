/**
 * Where a URL points, judged from the URL alone: loopback, a private network, link-local, or the public
 * internet. This is all a browser can know: extension pages cannot resolve DNS, so a public-looking name that
 * resolves to 10.0.0.5 (or to 127.0.0.1, like `localtest.me`) is classed "public". The WHATWG URL parser
 * already canonicalizes the tricky IPv4 spellings (`2130706433`, `0x7f.1`, `127.1` → `127.0.0.1`) and IPv6
 * (`[0:0::1]` → `[::1]`), so classifying its `hostname` covers them.
 */

export type AddressClass = "loopback" | "private" | "link-local" | "public";

export interface HostClass {
  kind: AddressClass;
  /** Why, in a few words (shown to the user). */
  why: string;
}

const PUBLIC: HostClass = { kind: "public", why: "a public host name or address (as written; DNS is not checked)" };

/** Parses a dotted-quad IPv4 address (the URL parser's canonical form) to four octets. */
function ipv4Octets(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.every((n) => n <= 255) ? o : null;
}

function classifyIpv4(o: number[]): HostClass {
  const [a, b] = o as [number, number, number, number];
  if (a === 127) return { kind: "loopback", why: "127.0.0.0/8 is loopback (this machine)" };
  if (a === 0) return { kind: "loopback", why: "0.0.0.0/8 reaches this machine" };
  if (a === 10) return { kind: "private", why: "10.0.0.0/8 is a private network" };
  if (a === 172 && b >= 16 && b <= 31) return { kind: "private", why: "172.16.0.0/12 is a private network" };
  if (a === 192 && b === 168) return { kind: "private", why: "192.168.0.0/16 is a private network" };
  if (a === 100 && b >= 64 && b <= 127) return { kind: "private", why: "100.64.0.0/10 is shared (carrier NAT / VPN) address space" };
  if (a === 169 && b === 254) return { kind: "link-local", why: "169.254.0.0/16 is link-local (cloud metadata services live here)" };
  if (a >= 224) return { kind: "private", why: "224.0.0.0/3 is multicast or reserved, not a public host" };
  return { kind: "public", why: "a public IPv4 address" };
}

/** Expands the URL parser's canonical IPv6 text (no brackets) to eight 16-bit groups. */
function ipv6Groups(host: string): number[] | null {
  if (!/^[0-9a-f:.]+$/i.test(host)) return null;
  let text = host;
  // A trailing dotted quad (the parser prints `::ffff:7f00:1`, but be lenient with `::ffff:127.0.0.1`).
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const o = ipv4Octets(quad[1]!);
    if (!o) return null;
    text = text.slice(0, -quad[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : null;
}

function classifyIpv6(g: number[]): HostClass {
  const zeroPrefix = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = (): number[] => [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  if (zeroPrefix(7) && g[7] === 1) return { kind: "loopback", why: "::1 is loopback (this machine)" };
  if (zeroPrefix(8)) return { kind: "loopback", why: ":: reaches this machine" };
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 target.
  if ((zeroPrefix(5) && g[5] === 0xffff) || zeroPrefix(6) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))) {
    const inner = classifyIpv4(embedded());
    return inner.kind === "public" ? inner : { kind: inner.kind, why: `an IPv6 form of an IPv4 address: ${inner.why}` };
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return { kind: "private", why: "fc00::/7 is a private (unique local) network" };
  if ((g[0]! & 0xffc0) === 0xfe80) return { kind: "link-local", why: "fe80::/10 is link-local" };
  if ((g[0]! & 0xffc0) === 0xfec0) return { kind: "private", why: "fec0::/10 is a (deprecated) site-local network" };
  if ((g[0]! & 0xff00) === 0xff00) return { kind: "private", why: "ff00::/8 is multicast, not a public host" };
  return { kind: "public", why: "a public IPv6 address" };
}

/** Names that resolve to this machine or the local network by convention (RFC 6761, 6762, 8375; ICANN .internal). */
function classifyName(name: string): HostClass {
  const n = name.toLowerCase().replace(/\.$/, "");
  if (n === "localhost" || n.endsWith(".localhost")) return { kind: "loopback", why: "localhost names resolve to this machine" };
  if (n.endsWith(".local")) return { kind: "private", why: ".local names resolve on the local network (mDNS)" };
  if (n.endsWith(".internal") || n === "home.arpa" || n.endsWith(".home.arpa")) {
    return { kind: "private", why: `${n.endsWith(".internal") ? ".internal" : ".home.arpa"} names are for private networks` };
  }
  if (!n.includes(".")) return { kind: "private", why: "a single-label name resolves through the local network's search domains" };
  return PUBLIC;
}

/** Classifies a URL `hostname` (as `new URL(x).hostname` gives it: IPv6 in brackets). */
export function classifyHost(hostname: string): HostClass {
  const h = hostname.toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) {
    const g = ipv6Groups(h.slice(1, -1).replace(/%.*$/, ""));
    return g ? classifyIpv6(g) : { kind: "private", why: "an IPv6 address that could not be read; treated as not public" };
  }
  const v4 = ipv4Octets(h);
  if (v4) return classifyIpv4(v4);
  return classifyName(h);
}

/** The class of an http(s) URL's host, or null for anything that is not an http(s) URL. */
export function classifyUrl(url: string): HostClass | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return classifyHost(u.hostname);
  } catch {
    return null;
  }
}
