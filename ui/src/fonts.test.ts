/// <reference types="vite/client" />
// The app's fonts are the PC's, named by generic families only (issue 19 §5): on Linux, WebKitGTK
// looks up every named family the PC lacks once per size and weight at the first layout — with
// « system-ui, -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", Arial, sans-serif » the
// Accueil's first layout took about 90 ms instead of 30 on a PC with only DejaVu, before anything
// was painted.
import { describe, expect, it } from "vitest";

const stylesheets = import.meta.glob(["./**/*.css"], { query: "?raw", import: "default", eager: true });

/** Generic CSS font families: each resolved by the platform to a font it has. */
const GENERIC = new Set(["system-ui", "sans-serif", "serif", "monospace", "inherit"]);

/** Every family named by a `font-family` or a `--font…` custom property of the stylesheets. */
function namedFamilies(): Array<{ file: string; family: string }> {
  const found: Array<{ file: string; family: string }> = [];
  for (const [file, css] of Object.entries(stylesheets) as Array<[string, string]>) {
    const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of withoutComments.matchAll(/(?:font-family|--font[\w-]*)\s*:\s*([^;}]+)/g)) {
      for (const family of (m[1] ?? "").split(",")) {
        const name = family.trim();
        if (!name.startsWith("var(")) found.push({ file, family: name });
      }
    }
  }
  return found;
}

describe("fonts", () => {
  it("names generic families only, so that the first layout looks up no missing font", () => {
    const families = namedFamilies();
    expect(families.map((f) => f.family)).toContain("system-ui");
    expect(families.filter((f) => !GENERIC.has(f.family))).toEqual([]);
  });
});
