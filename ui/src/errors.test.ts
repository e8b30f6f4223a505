import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./bindings/ErrorCode";
import { errorCodes, errorMessagesFr } from "./bindings/errorMessagesFr";
import { ERROR_CATALOGUES, loadRefusals, renderError } from "./errors";
import { translateError } from "./i18n";

// Every code of the generated `ErrorCode` is in the generated list (a type error otherwise).
type Unlisted = Exclude<ErrorCode, (typeof errorCodes)[number]>;
const everyCodeListed: [Unlisted] extends [never] ? true : false = true;

describe("the catalogue of refusals", () => {
  it("has a French message for every ErrorCode", () => {
    expect(everyCodeListed).toBe(true);
    for (const code of errorCodes) {
      expect(errorMessagesFr.errors[code], code).toBeTypeOf("string");
      expect(renderError(code, {}), code).toBeDefined();
    }
  });

  it("shows raw parameters in words, as the server does", () => {
    // Law of 17 June 2016 art. 43: the earliest deadline travels as an instant.
    expect(renderError("deadline_too_soon", { field: "deadline", min_days: 10, earliest: "2027-03-14T11:00:00Z" })).toBe(
      "La date limite doit laisser au moins 10 jours aux prestataires : choisissez une date à partir du 14/03/2027 à 12:00 (heure de Bruxelles).",
    );
    expect(renderError("price_above_ceiling", { line: "Licence", code: "LIC", price_cents: 450000, ceiling_cents: 400000 })).toBe(
      "Le prix unitaire de « Licence » (4\u202f500,00\u00a0€ HTVA) dépasse le plafond de l'accord-cadre (4\u202f000,00\u00a0€ HTVA). Indiquez un prix inférieur ou égal.",
    );
    expect(renderError("framework_not_in_force", { reference: "AC-1", start: "2026-01-01", end: "2029-12-31" })).toContain(
      "du 01/01/2026 au 31/12/2029",
    );
  });

  it("names roles, states and what to do from the labels", () => {
    expect(
      renderError("forbidden", { role: "commune_staff", act: "sign_adhesion", allowed_roles: ["director_general", "mayor"] }),
    ).toBe(
      "Votre compte (agent communal) ne permet pas de signer la convention au nom de la commune. Cette action est réservée à : directeur général, bourgmestre.",
    );
    expect(renderError("invalid_state", { kind: "order", action: "order.submit", order_status: "submitted" })).toBe(
      "Cette action n'est pas possible : la commande est « demande envoyée à la centrale ». Cette demande a déjà été envoyée.",
    );
  });

  it("is what translateError says for a refusal; the backend's message only when a parameter is missing", () => {
    expect(translateError({ code: "reason_length_invalid", message: "ignored", params: { field: "reason", min_chars: 5, max_chars: 2000 } })).toBe(
      "Indiquez le motif en une phrase (5 à 2\u202f000 caractères).",
    );
    expect(translateError({ code: "too_many_attempts", message: "Réessayez dans 5 minute(s).", params: {} })).toBe(
      "Réessayez dans 5 minute(s).",
    );
    // A code of the desktop only stays in i18n/fr.json.
    expect(translateError({ code: "offline", message: "", params: {} })).toContain("injoignable");
  });

  it("before its sentences are loaded, shows the backend's French message and names people all the same", async () => {
    const loaded = await loadRefusals();
    const withoutSentences = { errors: {}, labels: loaded.labels };
    ERROR_CATALOGUES.fr = withoutSentences;
    try {
      const message = "Le bourgmestre a déjà signé.";
      expect(translateError({ code: "already_signed", message, params: { role: "mayor" } })).toBe(message);
      expect(renderError("forbidden", { role: "mayor" })).toBeUndefined();
      // The labels stay: a desktop-only code with a role still reads the role in words.
      expect(renderError("forbidden", { role: "mayor" }, { errors: { forbidden: "{role}" }, labels: withoutSentences.labels })).toBe(
        "bourgmestre",
      );
    } finally {
      ERROR_CATALOGUES.fr = loaded;
    }
    // Loaded, the sentence is the catalogue's, whatever the backend's message says.
    expect(translateError({ code: "already_signed", message: "ignored", params: { role: "mayor" } })).toBe("Le bourgmestre a déjà signé.");
  });
});
