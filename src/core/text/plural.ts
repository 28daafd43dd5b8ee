/** Counted nouns for reports and the panel: "1 warning", "2 warnings", "0 errors"; uncountables pass `many`. */
export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
