import { describe, expect, it } from "vitest";
import { formatNumber, hasKey, intlLocale, LOCALES, pluralOf, t, translateError } from ".";

describe("t", () => {
  it("fills {name} placeholders", () => {
    expect(t("header.user", { name: "Marie Dupont", role: "bourgmestre" })).toBe("Marie Dupont, bourgmestre");
  });

  it("picks the plural form from the count (French: 0 and 1 are singular)", () => {
    expect(t("sync.attention", { count: 1 })).toBe("1 modification à régler");
    expect(t("sync.attention", { count: 2 })).toBe("2 modifications à régler");
    expect(t("sync.offline", { count: 3 })).toBe(
      "Hors ligne — 3 modifications seront envoyées dès le retour de la connexion",
    );
    expect(t("sync.offline", { count: 1 })).toBe(
      "Hors ligne — 1 modification sera envoyée dès le retour de la connexion",
    );
  });

  it("uses the _zero form for 0 when there is one, else the plural rules", () => {
    expect(t("sync.pending", { count: 0 })).toBe("Aucune modification en attente d'envoi");
    expect(t("sync.attention", { count: 0 })).toBe("0 modification à régler");
  });

  it("formats numbers in placeholders the Belgian way", () => {
    expect(t("sync.pending", { count: 1200 })).toBe("1\u202f200 modifications en attente d'envoi");
  });

  it("knows which keys exist", () => {
    expect(hasKey("mutations.order.update_draft")).toBe(true);
    expect(hasKey("sync.pending")).toBe(true);
    expect(hasKey("mutations.order.nope")).toBe(false);
  });
});

describe("counts without ICU (issue 19 §5)", () => {
  it("gives every whole count below a million the plural ICU gives, in every language", () => {
    for (const locale of LOCALES) {
      const icu = new Intl.PluralRules(intlLocale(locale));
      const differing: number[] = [];
      for (let n = 0; n < 1_000_000; n++) if (pluralOf(locale, n) !== icu.select(n)) differing.push(n);
      expect(differing, locale).toEqual([]);
      // Past the counts known without ICU, ICU answers: a million is « many » in French.
      for (const n of [1_000_000, 2_000_000, 1.5, 0.5, -1]) expect(pluralOf(locale, n), `${locale} ${n}`).toBe(icu.select(n));
    }
    expect(pluralOf("fr", 1_000_000)).toBe("many");
  });

  it("writes every whole number below 1,000 as ICU does, and asks ICU for the others", () => {
    for (const locale of LOCALES) {
      const icu = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 2 });
      for (let n = 0; n < 1000; n++) expect(formatNumber(locale, n)).toBe(icu.format(n));
      for (const n of [1000, 1200, 12.5, -3, 0.25]) expect(formatNumber(locale, n)).toBe(icu.format(n));
    }
    expect(formatNumber("fr", 1200)).toBe("1\u202f200");
    expect(formatNumber("fr", 12.5)).toBe("12,5");
  });
});

describe("translateError", () => {
  it("translates a known code with its params", () => {
    expect(
      translateError({
        code: "price_above_ceiling",
        message: "ignored",
        params: { line: "Licence", code: "LIC", price_cents: 1400, ceiling_cents: 1250 },
      }),
    ).toBe(
      "Le prix unitaire de « Licence » (14,00\u00a0€ HTVA) dépasse le plafond de l'accord-cadre (12,50\u00a0€ HTVA). Indiquez un prix inférieur ou égal.",
    );
    expect(translateError({ code: "invalid_credentials", message: "Bad credentials" })).toBe(
      "Nom d'utilisateur ou mot de passe incorrect. Vérifiez-les et réessayez.",
    );
  });

  it("falls back to the backend's French message for an unknown code", () => {
    expect(translateError({ code: "brand_new_rule", message: "Une règle toute neuve a refusé ceci." })).toBe(
      "Une règle toute neuve a refusé ceci.",
    );
  });

  it("prefers the backend's message when a known code lacks its params", () => {
    expect(translateError({ code: "deadline_passed", message: "Délai dépassé (14/03/2027 à 12:00).", params: {} })).toBe(
      "Délai dépassé (14/03/2027 à 12:00).",
    );
  });

  it("says something even with neither a known code nor a message", () => {
    expect(translateError({ code: "", message: "" })).toMatch(/erreur inattendue/);
  });
});
