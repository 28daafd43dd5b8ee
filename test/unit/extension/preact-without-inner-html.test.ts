/**
 * The build ships Preact without its dangerouslySetInnerHTML branch (the only innerHTML assignment AMO's linter
 * found). Runs the transform on the installed Preact bundle itself, so a Preact update that changes the code's
 * shape fails here and in the build, instead of shipping the branch again.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { dropInnerHtmlBranch } from "../../../scripts/preact-without-inner-html.ts";

const preactBundle = readFileSync(createRequire(import.meta.url).resolve("preact"), "utf8");

describe("preact-without-inner-html", () => {
  it("removes the only innerHTML assignment from Preact's bundle and keeps everything else", () => {
    expect(preactBundle).toMatch(/\.innerHTML=/);
    const out = dropInnerHtmlBranch(preactBundle);
    expect(out).not.toMatch(/\.(?:inner|outer)HTML\s*=(?!=)/);
    expect(out).not.toContain("innerHTML");
    expect(out).toContain('throw new Error("dangerouslySetInnerHTML is not supported in this build")');
    // Only the branch changed: the text around it is untouched.
    const at = preactBundle.indexOf("__html");
    expect(out.slice(0, at - 60)).toBe(preactBundle.slice(0, at - 60));
    expect(out.length).toBeLessThan(preactBundle.length);
  });

  it("stops the build when the branch is not found exactly once", () => {
    expect(() => dropInnerHtmlBranch("export const x = 1;")).toThrow(/found 0/);
    const shape = 'h?(l||y&&(h.__html==y.__html||h.__html==t.innerHTML)||(t.innerHTML=h.__html),r.__k=[]):';
    expect(() => dropInnerHtmlBranch(shape + shape)).toThrow(/found 2/);
    expect(dropInnerHtmlBranch(shape)).not.toContain("innerHTML");
  });
});
