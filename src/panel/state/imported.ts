/**
 * An imported capture (a HAR or our export) shown in place of the live tab. It lives beside the live log, never
 * in it: capture keeps going underneath, and "Back to live" simply stops showing the file. Memory only.
 */
import { signal } from "@preact/signals";
import type { HarSources } from "../../core/session/import";
import type { CapturedEvent, Session } from "../../core/session/types";

export interface ImportedView {
  /** The file's name as the user's system gave it (untrusted text: rendered as text, clipped). */
  name: string;
  kind: "har" | "export";
  /** HAR only: how many entries the file has (Convex or not). */
  entries: number;
  /** The earliest event time (unix ms, the capturing page's clock), or null when the file has no events. */
  capturedAt: number | null;
  events: CapturedEvent[];
  sources: HarSources | null;
  session: Session;
}

export type ImportStatus =
  | { state: "reading"; name: string; read: number; size: number }
  | { state: "error"; name: string; message: string };

/** The file being shown, or null: the live tab. */
export const imported = signal<ImportedView | null>(null);
/** Progress of the file being read, or why the last one could not be read. */
export const importStatus = signal<ImportStatus | null>(null);
