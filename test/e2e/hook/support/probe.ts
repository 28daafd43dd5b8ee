/**
 * What a page can observe about WebSocket, fetch and XMLHttpRequest, as plain JSON. Run in a page with and
 * without the hook: the two results must be identical.
 */

export interface ProbeArgs {
  /** ws://127.0.0.1:PORT/api/1.48.0/sync — a socket the hook does observe. */
  syncUrl: string;
  /** http://127.0.0.1:PORT/api/query */
  apiUrl: string;
}

/** Runs in the page (serialised by Playwright): only browser globals, no closures over test code. */
export async function probe(args: ProbeArgs): Promise<Record<string, unknown>> {
  const r: Record<string, unknown> = {};
  const fnToString = Function.prototype.toString;
  const show = (v: unknown): unknown => {
    if (typeof v === "function") return { fn: fnToString.call(v), name: v.name, length: v.length };
    if (typeof v === "object" && v !== null) return Object.prototype.toString.call(v);
    return v;
  };
  const desc = (o: object, k: PropertyKey): unknown => {
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (!d) return null;
    return { value: show(d.value), get: show(d.get), set: show(d.set), w: d.writable, e: d.enumerable, c: d.configurable };
  };
  const allDescs = (o: object): unknown => Reflect.ownKeys(o).map((k) => [String(k), desc(o, k)]);
  const err = (f: () => unknown): unknown => {
    try {
      f();
      return "no error";
    } catch (e) {
      const x = e as Error & { code?: number };
      return { name: x.name, message: x.message, ctor: x.constructor?.name, dom: x instanceof DOMException, code: x.code };
    }
  };
  const rejection = async (f: () => Promise<unknown>): Promise<unknown> => {
    try {
      await f();
      return "resolved";
    } catch (e) {
      const x = e as Error;
      return { name: x.name, message: x.message, ctor: x.constructor?.name };
    }
  };

  // The constructor itself.
  r.wsToString = WebSocket.toString();
  r.wsFnToString = fnToString.call(WebSocket);
  r.wsName = WebSocket.name;
  r.wsLength = WebSocket.length;
  r.wsTypeof = typeof WebSocket;
  r.wsOwn = allDescs(WebSocket);
  r.wsProtoOwn = allDescs(WebSocket.prototype);
  r.wsProtoProto = Object.getPrototypeOf(WebSocket.prototype) === EventTarget.prototype;
  r.wsCtorProto = Object.getPrototypeOf(WebSocket) === EventTarget;
  r.ctorBackLink = WebSocket.prototype.constructor === WebSocket;
  r.statics = [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED];
  r.protoStatics = [WebSocket.prototype.CONNECTING, WebSocket.prototype.CLOSED];
  r.windowDescs = ["WebSocket", "fetch", "XMLHttpRequest", "EventTarget"].map((k) => desc(window, k));
  r.windowNames = Object.getOwnPropertyNames(window).sort();
  r.objectToString = Object.prototype.toString.call(WebSocket);
  r.sendToString = WebSocket.prototype.send.toString();
  r.fnToStringToString = fnToString.toString();
  r.fnToStringSelf = fnToString.call(fnToString);
  r.fnToStringName = [fnToString.name, fnToString.length];
  r.fnToStringBadThis = err(() => fnToString.call({}));
  r.fnProtoDesc = desc(Function.prototype, "toString");

  // Errors the constructor throws.
  r.errNoNew = err(() => (WebSocket as unknown as () => void)());
  r.errBadUrl = err(() => new WebSocket("nope")); // relative: resolves against the page (Chromium ≥ 125)
  r.errInvalidUrl = err(() => new WebSocket("ws://[bad"));
  r.errBadScheme = err(() => new WebSocket("ftp://127.0.0.1/x"));
  r.errFragment = err(() => new WebSocket(args.syncUrl + "#frag"));
  r.errDupProtocol = err(() => new WebSocket(args.syncUrl, ["a", "a"]));
  r.errBadProtocol = err(() => new WebSocket(args.syncUrl, "bad protocol"));
  r.errNoArgs = err(() => new (WebSocket as unknown as new () => WebSocket)());

  // An instance, before it opens.
  const ws = new WebSocket(args.syncUrl);
  r.instanceOf = ws instanceof WebSocket;
  r.instanceEventTarget = ws instanceof EventTarget;
  r.instanceProto = Object.getPrototypeOf(ws) === WebSocket.prototype;
  r.instanceCtor = ws.constructor === WebSocket;
  r.instanceOwnKeys = Reflect.ownKeys(ws).map(String);
  r.instanceKeys = Object.keys(ws);
  r.instanceForIn = (() => {
    const keys: string[] = [];
    for (const k in ws) keys.push(k);
    return keys;
  })();
  r.state = [ws.readyState, ws.bufferedAmount, ws.protocol, ws.extensions, ws.url, ws.binaryType];
  r.handlersBefore = [ws.onopen, ws.onmessage, ws.onerror, ws.onclose];
  const h = () => undefined;
  ws.onmessage = h;
  ws.onopen = h;
  r.handlersSet = [ws.onmessage === h, ws.onopen === h, ws.onclose];
  ws.onmessage = null;
  r.handlerCleared = ws.onmessage;
  ws.binaryType = "arraybuffer";
  r.binaryType = ws.binaryType;
  r.errBinaryType = err(() => {
    (ws as unknown as { binaryType: string }).binaryType = "nonsense";
  });
  r.binaryTypeAfter = ws.binaryType;
  r.errSendConnecting = err(() => ws.send("x"));
  r.errSendNoArgs = err(() => (ws.send as unknown as () => void)());
  r.errSendIllegal = err(() => WebSocket.prototype.send.call({} as WebSocket, "x"));
  r.errCloseCode = err(() => ws.close(1234));
  const dispatched: string[] = [];
  ws.addEventListener("custom", (e) => dispatched.push(e.type));
  ws.dispatchEvent(new Event("custom"));
  r.dispatched = dispatched;
  ws.close();
  r.afterClose = [ws.readyState];

  // Subclassing and new.target.
  class Sub extends WebSocket {
    tag: string;
    constructor(u: string) {
      super(u);
      this.tag = new.target.name;
    }
    extra(): string {
      return "extra";
    }
  }
  const sub = new Sub(args.syncUrl);
  r.sub = [sub instanceof Sub, sub instanceof WebSocket, sub.tag, sub.extra(), Object.getPrototypeOf(sub) === Sub.prototype];
  r.subStatics = [Sub.OPEN, Object.getPrototypeOf(Sub) === WebSocket, Object.getPrototypeOf(Sub.prototype) === WebSocket.prototype];
  sub.close();
  function F() {}
  const viaReflect = Reflect.construct(WebSocket, [args.syncUrl], F) as WebSocket;
  r.reflectNewTarget = [Object.getPrototypeOf(viaReflect) === F.prototype, viaReflect instanceof WebSocket];
  WebSocket.prototype.close.call(viaReflect);

  // fetch and XMLHttpRequest.
  r.fetch = [fetch.toString(), fnToString.call(fetch), fetch.name, fetch.length, typeof fetch];
  r.fetchOwn = allDescs(fetch);
  r.errFetchNew = err(() => new (fetch as unknown as new () => unknown)());
  r.fetchIllegal = await rejection(() => fetch.call({} as Window, args.apiUrl));
  r.fetchBadUrl = await rejection(() => fetch("http://[bad"));
  r.fetchNoArgs = await rejection(() => (fetch as unknown as () => Promise<Response>)());
  r.fetchReturns = (() => {
    const p = fetch(args.apiUrl, { headers: { "Convex-Client": "npm-1.48.0" } });
    return [p instanceof Promise, Object.getPrototypeOf(p) === Promise.prototype];
  })();
  const xp = XMLHttpRequest.prototype;
  r.xhr = ["open", "send", "setRequestHeader", "abort", "getResponseHeader"].map((k) => desc(xp, k));
  r.xhrToString = [xp.open.toString(), xp.send.toString(), xp.setRequestHeader.toString()];
  r.xhrOwn = allDescs(xp);
  r.errXhrSendUnopened = err(() => new XMLHttpRequest().send());
  r.errXhrHeaderUnopened = err(() => new XMLHttpRequest().setRequestHeader("a", "b"));
  r.errXhrOpenBad = err(() => new XMLHttpRequest().open("GET", "http://[bad"));
  r.errXhrOpenMethod = err(() => new XMLHttpRequest().open("BAD METHOD", "/x"));
  r.errXhrIllegal = err(() => (xp.open as (m: string, u: string) => void).call({}, "GET", "/x"));
  return r;
}
