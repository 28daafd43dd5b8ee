/**
 * Entry of the page-side tap: a MAIN-world, document_start, all-frames content script built as one
 * self-contained IIFE (the `.iife.ts` name makes crxjs emit it without an async loader). It must run before any
 * page script, because the Convex client captures the global WebSocket when it is constructed.
 */
import { installHook } from "./install";
import { guard } from "./safe";

guard(() => void installHook(globalThis));
