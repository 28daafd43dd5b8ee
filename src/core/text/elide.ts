/**
 * Shorten a long value for display without cutting a word in half: the cut falls just after a segment
 * boundary (`.` `/` `_` `-` `=` `:` `|` `,` `&` `?` or whitespace), so `app_id=convex` becomes `app_id=…`,
 * never `app_id=co…`. A value with no boundary before `max` (a base64 blob) is cut at `max`: it has no words.
 * The caller keeps the full value one click away.
 */

const BOUNDARY = /[./_\-=:|,&?\s]/;

export interface Elided {
  /** The text to show (without the ellipsis). */
  shown: string;
  /** True when `shown` is shorter than the value. */
  elided: boolean;
}

export function elide(text: string, max: number): Elided {
  if (text.length <= max) return { shown: text, elided: false };
  // Look back from `max` for a boundary, but not further than half the budget: a cut at 3 of 400 hides too much.
  const floor = Math.floor(max / 2);
  for (let i = max; i >= floor; i--) {
    const ch = text[i];
    if (ch !== undefined && BOUNDARY.test(ch)) {
      // Keep the boundary itself (`app_id=`), but not trailing whitespace.
      const shown = /\s/.test(ch) ? text.slice(0, i).trimEnd() : text.slice(0, i + 1);
      if (shown.length > 0) return { shown, elided: true };
    }
  }
  return { shown: text.slice(0, max), elided: true };
}

/** `elide` for messages: the value, or its elided part followed by "…". */
export function elided(text: string, max: number): string {
  const cut = elide(text, max);
  return cut.elided ? `${cut.shown}…` : text;
}
