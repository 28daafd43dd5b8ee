/**
 * The hook's end of the private page channel (see CHANNEL_EVENT): listens on `document.fonts` for the relay's
 * one MessagePort, takes the first one offered and stops listening. Batches then go through that port only;
 * without a port nothing is posted at all (no relay, nobody to tell).
 */
import { CHANNEL_EVENT, UNLOAD_EVENT, type HookRecordBatch } from "../core/capture/events";
import { apply, construct, getOwnPropertyDescriptor } from "./safe";

const getPrototypeOf = Reflect.getPrototypeOf;

export interface HookChannel {
  /** Posts a batch through the port (structured clone). No-op before/without a port. */
  post(batch: HookRecordBatch): void;
  /** Delivers a batch synchronously (pagehide). No-op without a port. */
  postNow(batch: HookRecordBatch): void;
  /** Stop waiting for an offer (the handshake window is long over once the page talks to Convex). */
  close(): void;
}

/** Natives captured at document_start, before any page script could patch them. */
export function openChannel(g: typeof globalThis): HookChannel {
  const addListener = g.EventTarget.prototype.addEventListener;
  const removeListener = g.EventTarget.prototype.removeEventListener;
  const dispatchEvent = g.EventTarget.prototype.dispatchEvent;
  const preventDefault = g.Event.prototype.preventDefault;
  const stopImmediate = g.Event.prototype.stopImmediatePropagation;
  const portsOf = getOwnPropertyDescriptor(g.MessageEvent.prototype, "ports")?.get;
  const portPost = g.MessagePort.prototype.postMessage;
  const NativeCustomEvent = g.CustomEvent;
  const stringify = g.JSON.stringify;
  const objectProto = g.Object.prototype;
  const arrayProto = g.Array.prototype;
  const fonts: EventTarget | undefined = g.document?.fonts;

  let port: MessagePort | null = null;
  let listening = false;

  const onOffer = (e: Event): void => {
    const ports = portsOf ? (apply(portsOf, e, []) as readonly MessagePort[]) : [];
    if (port || ports.length !== 1) return;
    port = ports[0]!;
    apply(preventDefault, e, []); // tells the relay the offer was taken (the hook is here)
    apply(stopImmediate, e, []);
    close();
  };
  function close(): void {
    if (!listening || !fonts) return;
    listening = false;
    apply(removeListener, fonts, [CHANNEL_EVENT, onOffer, true]);
  }
  if (fonts) {
    apply(addListener, fonts, [CHANNEL_EVENT, onOffer, true]);
    listening = true;
  }

  /**
   * Whether JSON.stringify could run page code on our objects: a `toJSON` the page gave Object.prototype or
   * Array.prototype, or Array.prototype re-parented (onto a Proxy, say; Object.prototype's own prototype cannot
   * change). Only the pagehide batch is JSON text; the structured clone of a port message runs no page code.
   */
  const pageCodeInJson = (): boolean =>
    getOwnPropertyDescriptor(objectProto, "toJSON") !== undefined ||
    getOwnPropertyDescriptor(arrayProto, "toJSON") !== undefined ||
    getPrototypeOf(arrayProto) !== objectProto;

  return {
    post(batch) {
      if (port) apply(portPost, port, [batch]);
    },
    postNow(batch) {
      if (!port) return;
      // With a page-defined toJSON, the port instead (a message queued while the document unloads may be lost;
      // page code never sees our events).
      if (pageCodeInJson()) return void apply(portPost, port, [batch]);
      // A string detail: an object would not cross from the MAIN world into the relay's isolated world.
      apply(dispatchEvent, port, [construct(NativeCustomEvent, [UNLOAD_EVENT, { detail: apply(stringify, g.JSON, [batch]) }])]);
    },
    close,
  };
}
