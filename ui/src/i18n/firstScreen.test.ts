/**
 * Issue 19 §5: the window loads only what its first screen shows. The modules the window loads
 * with its first screen (everything `main.tsx` imports statically, transitively) read only the
 * words loaded with it (fr.json, fr.communes.json, fr.map.json): a key of a later screen's
 * namespace used there would show as its raw key until `loadMessages` has run.
 */
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts", "!../**/*.test.tsx"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const laterCatalogues = import.meta.glob(
  [
    "./fr.screens.json",
    "./fr.orders.json",
    "./fr.queue.json",
    "./fr.catalogueAdmin.json",
    "./fr.overview.json",
    "./fr.tracking.json",
    "./fr.accompaniment.json",
    "./fr.surveys.json",
    "./fr.surveyAdmin.json",
    "./fr.pools.json",
  ],
  { import: "default", eager: true },
) as Record<string, Record<string, unknown>>;

/** `../screens/Accueil` from `../App.tsx` + `./screens/Accueil`. */
function resolve(from: string, specifier: string): string | undefined {
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  const base = parts.join("/");
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((p) => p in sources);
}

/** Every module reached from `entry` through static imports (not `import type`, not `import()`). */
function firstScreenModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = sources[file] ?? "";
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)"/gms)) {
      const target = match[1] ? resolve(file, match[1]) : undefined;
      if (target) queue.push(target);
    }
  }
  return seen;
}

describe("the first screen", () => {
  it("loads without the later screens' words", () => {
    const modules = firstScreenModules("../main.tsx");
    expect(modules.has("../screens/Accueil.tsx")).toBe(true);
    expect(modules.has("../screens/Connexion.tsx")).toBe(true);
    // What the first screen must not pull in with it.
    expect(modules.has("../screens/centrale/CentraleHome.tsx")).toBe(false);
    expect(modules.has("../i18n/fr.later.ts")).toBe(false);
    expect(modules.has("../bindings/errorMessagesFr.ts")).toBe(false);
    expect(modules.has("../bindings/errorLabelsFr.ts")).toBe(true);

    const later = Object.values(laterCatalogues).flatMap((catalogue) => Object.keys(catalogue));
    expect(later).toContain("orders");
    const used: string[] = [];
    for (const file of modules) {
      // The generated bindings hold mutation names and the shared refusals, not UI keys.
      if (file.startsWith("../bindings/")) continue;
      for (const namespace of later) {
        if (new RegExp(`["'\`]${namespace}\\.[a-zA-Z]`).test(sources[file] ?? "")) used.push(`${file}: ${namespace}`);
      }
    }
    expect(used).toEqual([]);
  });
});
