/// <reference types="vite/client" />
// One term per idea, across the app, the portal and the shared refusals (issue 15, point 5; terms
// from shared/GLOSSARY.md and shared/UX.md). Users are secretaries and bourgmestres: the texts speak
// of the intercommunale and of this PC, never of servers and computers.
import { describe, expect, it } from "vitest";

const appTexts = import.meta.glob("./fr*.json", { query: "?raw", import: "default", eager: true });
const sharedTexts = import.meta.glob("../../../crates/domain/messages/fr.json", {
  query: "?raw",
  import: "default",
  eager: true,
});
const portalSources = import.meta.glob(
  ["../../../crates/server/src/portal/**/*.rs", "../../../crates/server/src/mail/templates.rs"],
  { query: "?raw", import: "default", eager: true },
);

/** The French a user reads: JSON values, and the string literals of the portal's Rust sources. */
function userTexts(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const fromJson = (file: string, raw: string) => {
    const walk = (value: unknown): void => {
      if (typeof value === "string") out.push({ file, text: value });
      else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    walk(JSON.parse(raw));
  };
  for (const [file, raw] of Object.entries({ ...appTexts, ...sharedTexts })) fromJson(file, raw as string);
  for (const [file, raw] of Object.entries(portalSources)) {
    for (const m of (raw as string).matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
      // Code comments and identifiers are English; only French sentences count.
      if (/[a-zàâçéèêëîïôûùüÿœ]{3,} [a-zàâçéèêëîïôûùüÿœ]{2,}/i.test(m[1] ?? "")) out.push({ file, text: m[1] ?? "" });
    }
  }
  return out;
}

/** Each idea's one term, and the variants that must not appear (the source says why). */
const TERMS: Array<{ use: string; never: RegExp; source: string }> = [
  { use: "l'intercommunale", never: /\bserveurs?\b/i, source: "issue 15.5: speak of the intercommunale" },
  { use: "ce PC", never: /\bordinateurs?\b/i, source: "issue 15.5: speak of this PC" },
  { use: "ce PC", never: /\bvotre poste\b/i, source: "issue 15.5: one word for this PC" },
  {
    use: "remise en concurrence",
    never: /(?<![Rr]e)(?<![Rr]e )\bmise en concurrence|mini-concurrence/i,
    source: "GLOSSARY: remise en concurrence",
  },
  { use: "Délai de mise en œuvre", never: /délai de réalisation/i, source: "issue 15.5: one term for the lead time" },
  { use: "Réalisé (a milestone done)", never: /^Terminée?s?$/, source: "issue 15.5: Terminé/Réalisé" },
  { use: "1re / 1er", never: /\b1(ère|ere|èr|e)\b/, source: "issue 15.5: French ordinals 1er, 1re" },
];

describe("the words the users read", () => {
  const texts = userTexts();

  it("reads every catalogue: the app's, the shared refusals and the portal's", () => {
    expect(Object.keys(appTexts).length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(sharedTexts)).toHaveLength(1);
    expect(Object.keys(portalSources).length).toBeGreaterThan(5);
    expect(texts.some((x) => x.file.includes("portal") && x.text.includes("offre"))).toBe(true);
  });

  for (const term of TERMS) {
    it(`says « ${term.use} », never ${term.never} (${term.source})`, () => {
      const offending = texts.filter((x) => term.never.test(x.text)).map((x) => `${x.file}: ${x.text}`);
      expect(offending).toEqual([]);
    });
  }

  it("would catch a text that speaks of the server", () => {
    const bad = TERMS.find((x) => x.use === "l'intercommunale");
    expect(bad?.never.test("Envoyé au serveur")).toBe(true);
    expect(TERMS.find((x) => x.use === "remise en concurrence")?.never.test("Lancer la mise en concurrence")).toBe(
      true,
    );
    expect(TERMS.find((x) => x.use === "remise en concurrence")?.never.test("Lancer la remise en concurrence")).toBe(
      false,
    );
  });
});
