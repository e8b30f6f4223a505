import { describe, expect, it } from "vitest";
import { t } from "../../../i18n";
import { changedParts, describeChanges, nothingChanged, type Proposal } from "./diff";
import { draftFromDocument, newDocumentDraft } from "./documents";
import { CIVITAS, civitasSheet, DOC_SHA, GUICHET, NEW_SHA, NUAGIX, termsInForce } from "./testData";

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, " ");

function unchanged(): Proposal {
  const { terms } = termsInForce();
  return {
    end_date: terms.end_date,
    price_schedule: structuredClone(terms.price_schedule),
    documents: structuredClone(terms.documents),
    providers: structuredClone(terms.providers),
    max_value: terms.max_value,
    contract_months: terms.contract_months,
    interoperability: structuredClone(terms.interoperability ?? []),
  };
}

describe("changedParts", () => {
  it("is all null when nothing changes, even when Rust writes a VAT rate as 21.00 or keys in another order", () => {
    const { terms } = termsInForce();
    const proposal = unchanged();
    const [first] = proposal.price_schedule;
    proposal.price_schedule[0] = { estimate: first!.estimate, vat_rate: "21.00", ceiling_cents: first!.ceiling_cents, unit_fr: first!.unit_fr, label_fr: first!.label_fr, code: first!.code, recurrence: first!.recurrence };
    const parts = changedParts(terms, proposal);
    expect(parts).toEqual({ end_date: null, price_schedule: null, documents: null, providers: null, max_value: null, contract_months: null, interoperability: null });
    expect(nothingChanged(parts)).toBe(true);
  });

  it("keeps only the changed parts, whole", () => {
    const { terms } = termsInForce();
    const proposal = unchanged();
    proposal.price_schedule[1]!.ceiling_cents = 19000;
    const parts = changedParts(terms, proposal);
    expect(parts.end_date).toBeNull();
    expect(parts.documents).toBeNull();
    expect(parts.providers).toBeNull();
    expect(parts.price_schedule).toHaveLength(2);
    expect(parts.price_schedule![1]).toMatchObject({ code: "licence", ceiling_cents: 19000, estimate: { basis: "per_inhabitants", per: 1000 } });
    expect(nothingChanged(parts)).toBe(false);

    const later = unchanged();
    later.end_date = "2028-12-31";
    expect(changedParts(terms, later)).toEqual({
      end_date: "2028-12-31",
      price_schedule: null,
      documents: null,
      providers: null,
      max_value: null,
      contract_months: null,
      interoperability: null,
    });

    // The maximum value and the contract duration (issue 11 rules 4 and 9).
    const value = unchanged();
    value.max_value = 50_000_000;
    value.contract_months = 36;
    const valueParts = changedParts(terms, value);
    expect(valueParts).toMatchObject({ max_value: 50_000_000, contract_months: 36, end_date: null });
    expect(describeChanges(t, terms, valueParts, [], () => "").map((s) => s.part)).toEqual(["value"]);
  });
});

describe("describeChanges", () => {
  it("tells each difference in words, part by part", () => {
    const { terms } = termsInForce();
    const proposal = unchanged();
    proposal.end_date = "2028-12-31";
    proposal.price_schedule = [
      { ...terms.price_schedule[0]!, ceiling_cents: 125050 },
      { code: "sms", label_fr: "Envoi de SMS", unit_fr: "par SMS", ceiling_cents: 12, vat_rate: "21", estimate: { basis: "fixed", quantity: "100" }, recurrence: "one_off" },
    ];
    proposal.providers = [
      { provider_id: CIVITAS, status: "active" },
      { provider_id: GUICHET, status: "suspended" },
      { provider_id: NUAGIX, status: "active" },
    ];
    const replaced = { ...draftFromDocument(terms.documents[0]!, "d1"), mode: "replace" as const, version: "1.2", fileName: "csc-v12.pdf", sha256: NEW_SHA };
    const added = { ...newDocumentDraft("d2"), title: "Annexe technique", version: "1", fileName: "annexe.pdf", sha256: NEW_SHA };
    proposal.documents = [
      { title_fr: "Cahier spécial des charges", version: "1.2", file_name: "csc-v12.pdf", sha256: NEW_SHA },
      { title_fr: "Annexe technique", version: "1", file_name: "annexe.pdf", sha256: NEW_SHA },
    ];
    const names: Record<string, string> = { [CIVITAS]: "Civitas Digital SA", [GUICHET]: "Guichet Wallon SRL", [NUAGIX]: "Nuagix SRL" };
    const sections = describeChanges(t, terms, changedParts(terms, proposal), [replaced, added], (id) => names[id] ?? id);

    expect(sections.map((s) => s.part)).toEqual(["end_date", "price_schedule", "documents", "providers"]);
    expect(sections[0]!.items).toEqual(["Dernier jour pour commander : du 29/02/2028 au 31/12/2028."]);
    expect(sections[1]!.items.map(plain)).toEqual([
      "« Mise en service et paramétrage » : prix plafond de 1 234,56 € HTVA à 1 250,50 € HTVA.",
      "Ligne retirée : « Licence annuelle ».",
      "Ligne ajoutée : « Envoi de SMS » (par SMS), prix plafond 0,12 € HTVA, TVA 21 %.",
    ]);
    expect(sections[2]!.items).toEqual([
      "Document remplacé : « Cahier spécial des charges », version 1.1 remplacée par la version 1.2 (fichier csc-v12.pdf).",
      "Document ajouté : « Annexe technique », version 1 (fichier annexe.pdf).",
    ]);
    expect(sections[3]!.items).toEqual([
      "Prestataire suspendu (ne reçoit plus de nouvelle commande) : Guichet Wallon SRL.",
      "Prestataire ajouté : Nuagix SRL.",
    ]);
  });

  it("says a removed document and a reactivated provider", () => {
    const base = termsInForce().terms;
    const terms = { ...base, providers: [{ provider_id: CIVITAS, status: "active" as const }, { provider_id: GUICHET, status: "suspended" as const }] };
    const proposal = unchanged();
    proposal.documents = [];
    proposal.providers = [
      { provider_id: CIVITAS, status: "active" },
      { provider_id: GUICHET, status: "active" },
    ];
    const removed = { ...draftFromDocument({ title_fr: "Cahier spécial des charges", version: "1.1", file_name: "csc.pdf", sha256: DOC_SHA }, "d1"), mode: "remove" as const };
    const sections = describeChanges(t, terms, changedParts(terms, proposal), [removed], (id) => (id === GUICHET ? "Guichet Wallon SRL" : id));
    expect(sections.map((s) => s.part)).toEqual(["documents", "providers"]);
    expect(sections[0]!.items).toEqual(["Document retiré : « Cahier spécial des charges », version 1.1."]);
    expect(sections[1]!.items).toEqual(["Prestataire de nouveau actif : Guichet Wallon SRL."]);
  });
});

describe("interoperability sheets", () => {
  const names: Record<string, string> = { [CIVITAS]: "Civitas Digital SA", [GUICHET]: "Guichet Wallon SRL" };
  const name = (id: string) => names[id] ?? id;

  it("are unchanged when only the order of the sheets, their checks or their identity services differs", () => {
    const base = termsInForce().terms;
    const terms = { ...base, interoperability: [civitasSheet(), civitasSheet({ provider_id: GUICHET, solution_name: "Guichet Wallon 2" })] };
    const proposal = unchanged();
    const sheet = civitasSheet();
    proposal.interoperability = [
      civitasSheet({ provider_id: GUICHET, solution_name: "Guichet Wallon 2" }),
      { ...sheet, citizen_identity: ["itsme", "csam"], checks: [...sheet.checks].reverse() },
    ];
    const parts = changedParts(terms, proposal);
    expect(parts.interoperability).toBeNull();
    expect(nothingChanged(parts)).toBe(true);
  });

  it("count as a change on their own, sent whole, and read « établie », « modifiée (…) », « retirée » per party", () => {
    const base = termsInForce().terms;
    const terms = { ...base, interoperability: [civitasSheet(), civitasSheet({ provider_id: NUAGIX, solution_name: "Nuagix Guichet" })] };
    const proposal = unchanged();
    proposal.interoperability = [
      civitasSheet({ solution_name: "Guichet Civitas 5", hosting_detail: "centre de données à Liège", checks: [] }),
      civitasSheet({ provider_id: GUICHET, solution_name: "Guichet Wallon 2", works_with: [] }),
    ];
    const parts = changedParts(terms, proposal);
    expect(parts.interoperability).toEqual(proposal.interoperability);
    expect(parts.end_date).toBeNull();
    expect(nothingChanged(parts)).toBe(false);
    const sections = describeChanges(t, terms, parts, [], (id) => (id === NUAGIX ? "Nuagix SRL" : name(id)));
    expect(sections.map((s) => s.part)).toEqual(["interoperability"]);
    expect(sections[0]!.items).toEqual([
      "Fiche d'interopérabilité de Civitas Digital SA : modifiée (nom de la solution, hébergement, vérifications de l'intercommunale).",
      "Fiche d'interopérabilité de Guichet Wallon SRL : établie (solution « Guichet Wallon 2 »).",
      "Fiche d'interopérabilité de Nuagix SRL : retirée de cette version.",
    ]);
  });

  it("name each changed part of a sheet in the domain's words", () => {
    const terms = termsInForce().terms;
    const proposal = unchanged();
    proposal.interoperability = [
      civitasSheet({
        open_data: [],
        apis: [],
        citizen_identity: ["mon_espace"],
        data_exports: ["CSV"],
        reversibility: "Tout, en CSV, sous 15 jours.",
        works_with: [],
      }),
    ];
    const sections = describeChanges(t, terms, changedParts(terms, proposal), [], name);
    expect(sections[0]!.items).toEqual([
      "Fiche d'interopérabilité de Civitas Digital SA : modifiée (données ouvertes, interfaces (API), connexion des citoyens, export des données de la commune, réversibilité en fin de contrat, solutions avec lesquelles elle fonctionne).",
    ]);
  });
});
