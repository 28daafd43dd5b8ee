/**
 * Vite plugin: ships Preact without its `dangerouslySetInnerHTML` branch. The panel never uses that prop
 * (scripts/build.mjs fails the build if a source does), so the only `innerHTML` assignment in the bundle would
 * be dead code — which AMO's linter still flags (UNSAFE_VAR_ASSIGNMENT). Rather than suppress the warning, the
 * branch is replaced by a throw: if the prop ever reached Preact at runtime it fails loudly instead of being
 * rendered or silently dropped.
 *
 * The pattern matches Preact 11's minified `diffElementNodes` (dist/preact.mjs). Variable names are captured,
 * not assumed; if Preact changes shape the build stops with a message instead of shipping the branch.
 */
import type { Plugin } from "vite";

/** `h?(l||y&&(h.__html==y.__html||h.__html==t.innerHTML)||(t.innerHTML=h.__html),r.__k=[]):` in preact.mjs. */
const INNER_HTML_BRANCH =
  /([\w$]+)\?\([\w$]+\|\|([\w$]+)&&\(\1\.__html==\2\.__html\|\|\1\.__html==([\w$]+)\.innerHTML\)\|\|\(\3\.innerHTML=\1\.__html\),[\w$]+\.__k=\[\]\):/g;

const REFUSAL = `(()=>{throw new Error("dangerouslySetInnerHTML is not supported in this build")})()`;

/** Returns Preact's bundle text without the innerHTML branch; throws if the branch is not found exactly once. */
export function dropInnerHtmlBranch(code: string): string {
  const found = code.match(INNER_HTML_BRANCH)?.length ?? 0;
  if (found !== 1) {
    throw new Error(`preact-without-inner-html: expected one dangerouslySetInnerHTML branch in preact.mjs, found ${found}`);
  }
  return code.replace(INNER_HTML_BRANCH, (_all, props: string) => `${props}?${REFUSAL}:`);
}

export function preactWithoutInnerHtml(): Plugin {
  return {
    name: "preact-without-inner-html",
    enforce: "pre",
    apply: "build",
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.mjs$/.test(id.split("?")[0]!)) return null;
      return { code: dropInnerHtmlBranch(code), map: null };
    },
  };
}
