/**
 * Test data for the catalogue management screens, in the shapes of the Rust types
 * (src/bindings): the e-guichet's framework terms in force (with Civitas's interoperability
 * sheet; Guichet Wallon has none yet) and the registered providers.
 */
import type { FrameworkTermsInForce } from "../../../bindings/FrameworkTermsInForce";
import type { InteroperabilitySheet } from "../../../bindings/InteroperabilitySheet";
import type { ProviderRow } from "../../../bindings/ProviderRow";

export const FRAMEWORK_ID = "0190f0aa-0000-7000-8000-000000000111";
export const CIVITAS = "0190f0aa-0000-7000-8000-00000000a001";
export const GUICHET = "0190f0aa-0000-7000-8000-00000000a002";
export const NUAGIX = "0190f0aa-0000-7000-8000-00000000a003";
export const DOC_SHA = "63886db316a5e458e824fa7174d88e1aaf12b4509da2c993c9e3045674f81efb";
export const NEW_SHA = "1a488bbc68e705f5e146877a02c85a39073575f5a3de815a0c2b86a14023239e";
/** Another service of the catalogue (accounting), bought from Nuagix. */
export const ACCOUNTING_SERVICE = "0190f0aa-0000-7000-8000-000000000102";

/** Civitas's solution as the centrale recorded it (checks in the order of the aspects). */
export const civitasSheet = (over: Partial<InteroperabilitySheet> = {}): InteroperabilitySheet => ({
  provider_id: CIVITAS,
  solution_name: "Guichet Civitas 4",
  open_data: [{ format: "CSV", licence: "Licence ouverte CC BY 4.0" }],
  apis: [{ name: "Demandes des citoyens", specification: "REST, OpenAPI 3.1", documentation_url: "https://civitas.example/api" }],
  citizen_identity: ["csam", "itsme"],
  data_exports: ["CSV", "XML"],
  hosting: "belgium",
  hosting_detail: "centre de données à Namur",
  reversibility: "Toutes les données en CSV et les pièces jointes en PDF, dans les 30 jours.",
  works_with: [
    {
      with: { service_id: ACCOUNTING_SERVICE, provider_id: NUAGIX },
      how: "Les demandes payées sont versées dans la comptabilité.",
      checked_on: "2025-10-15",
    },
  ],
  checks: [
    { aspect: "open_data", checked_on: "2025-10-01", outcome: "confirmed", note: "" },
    { aspect: "reversibility", checked_on: "2025-10-02", outcome: "partial", note: "Export testé ; le délai n'est pas confirmé." },
  ],
  ...over,
});

export const providerRow = (over: Partial<ProviderRow["provider"]> = {}, pending = false): ProviderRow => ({
  provider: {
    id: CIVITAS,
    short_name: "civitas",
    name: "Civitas Digital SA",
    enterprise_number: "0123.456.749",
    address: "Rue de Fer 12, 5000 Namur",
    contact_email: "offres@civitas.example",
    ...over,
  },
  pending,
});

export const registeredProviders = (): ProviderRow[] => [
  providerRow(),
  providerRow({
    id: GUICHET,
    short_name: "guichetwallon",
    name: "Guichet Wallon SRL",
    enterprise_number: "0456.789.034",
    address: "Place Saint-Lambert 1, 4000 Liège",
    contact_email: "offres@guichet.example",
  }),
  providerRow({
    id: NUAGIX,
    short_name: "nuagix",
    name: "Nuagix SRL",
    enterprise_number: "0800.000.075",
    address: "Avenue de la Gare 3, 6700 Arlon",
    contact_email: "offres@nuagix.example",
  }),
];

export const termsInForce = (over: Partial<FrameworkTermsInForce> = {}): FrameworkTermsInForce => ({
  framework_id: FRAMEWORK_ID,
  service_id: "0190f0aa-0000-7000-8000-000000000101",
  reference: "CA-2025-01",
  version_count: 2,
  pending: false,
  terms: {
    version: 2,
    published_at: "2026-11-29T10:44:38Z",
    change_note: "Indexation des prix.",
    legal_basis: { kind: "review_clause", clause: "CSC art. 12" },
    start_date: "2025-03-01",
    end_date: "2028-02-29",
    providers: [
      { provider_id: CIVITAS, status: "active" },
      { provider_id: GUICHET, status: "active" },
    ],
    award_criteria: [
      { code: "price", label_fr: "Prix", weight: 60, kind: "price" },
      { code: "quality", label_fr: "Qualité", weight: 40, kind: "quality" },
    ],
    price_schedule: [
      {
        code: "setup",
        label_fr: "Mise en service et paramétrage",
        unit_fr: "forfait",
        ceiling_cents: 123456,
        vat_rate: "21",
        estimate: { basis: "fixed", quantity: "1" },
        recurrence: "one_off",
      },
      {
        code: "licence",
        label_fr: "Licence annuelle",
        unit_fr: "par tranche de 1 000 habitants et par an",
        ceiling_cents: 18000,
        vat_rate: "21",
        estimate: { basis: "per_inhabitants", per: 1000 },
        recurrence: "yearly",
      },
    ],
    documents: [{ title_fr: "Cahier spécial des charges", version: "1.1", file_name: "csc-ca-2025-01.pdf", sha256: DOC_SHA }],
    milestone_plan: {
      kickoff: 14,
      configuration: 45,
      integration: 75,
      training: 90,
      go_live: 105,
      provisional_acceptance: 120,
      final_acceptance: 485,
    },
    contract_months: 48,
    max_value: 70_000_000,
    direct_call_off: null,
    guarantee_months: 12,
    price_formula: "relative",
    interoperability: [civitasSheet()],
  },
  ...over,
});
