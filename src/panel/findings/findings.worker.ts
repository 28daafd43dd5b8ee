/** The panel's findings worker: a FindingsEngine behind postMessage (see engine.ts). */
import { FindingsEngine, type FindingsInput } from "./engine";

const engine = new FindingsEngine((r) => postMessage(r));
onmessage = (e: MessageEvent<FindingsInput>) => engine.add(e.data);
