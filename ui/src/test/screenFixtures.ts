/**
 * Test data for the catalogue, service, adhesion and deployment screens, in the shapes of the
 * Rust types (src/bindings). Override what a test needs.
 */
import type { AdhesionScreen } from "../bindings/AdhesionScreen";
import type { AdhesionView } from "../bindings/AdhesionView";
import type { CommuneRow } from "../bindings/CommuneRow";
import type { ConventionView } from "../bindings/ConventionView";
import type { DeploymentPage } from "../bindings/DeploymentPage";
import type { DeploymentQuery } from "../bindings/DeploymentQuery";
import type { DeploymentRow } from "../bindings/DeploymentRow";
import type { MilestoneView } from "../bindings/MilestoneView";
import type { ServiceDetail } from "../bindings/ServiceDetail";
import type { ServiceRow } from "../bindings/ServiceRow";
import type { SolutionSheetView } from "../bindings/SolutionSheetView";
import type { Signature } from "../bindings/Signature";
import { appState } from "./fixtures";

export const SERVICE_ID = "0190f0aa-0000-7000-8000-000000000101";
export const ADHESION_ID = "0190f0aa-0000-7000-8000-000000000201";
export const TEMPLATE_ID = "0190f0aa-0000-7000-8000-000000000301";
export const ORDER_ID = "0190f0aa-0000-7000-8000-000000000401";
export const CONVENTION_SHA = "1a488bbc68e705f5e146877a02c85a39073575f5a3de815a0c2b86a14023239e";

/** Bertrix, the commune of the examples (8 962 inhabitants), as a row of the communes' list. */
export const communeRow = (over: Partial<CommuneRow> = {}): CommuneRow => ({
  nis_code: "84009",
  name_fr: "Bertrix",
  name_nl: "Bertrix",
  arrondissement_fr: "Neufchâteau",
  arrondissement_nis: "84000",
  population: 8962,
  population_date: "2026-01-01",
  main_postal_code: "6880",
  valid_from: null,
  valid_until: null,
  successor: null,
  current: true,
  adhesion_status: "active",
  pending: false,
  ...over,
});

/** Bertrix's account signed in. */
export const bertrix = () => appState({ commune: communeRow() });

export const serviceRow = (over: Partial<ServiceRow> = {}): ServiceRow => ({
  id: SERVICE_ID,
  code: "e-guichet",
  name: "E-guichet (commande de documents d'état civil et de population)",
  summary: "Un guichet en ligne permettant aux citoyens de commander leurs documents sans se déplacer.",
  category: "Services aux citoyens",
  framework_id: "0190f0aa-0000-7000-8000-000000000111",
  framework_reference: "CA-2025-01",
  start_date: "2025-03-01",
  end_date: "2029-02-28",
  provider_names: ["Civitas Digital SA", "Guichet Wallon SRL"],
  call_off_possible: true,
  call_off_blocker: null,
  fits_running: [],
  added_on: null,
  is_new: false,
  from_need: null,
  pending: false,
  ...over,
});

export const serviceDetail = (over: Partial<ServiceDetail> = {}): ServiceDetail => ({
  interoperability: [],
  service: serviceRow(),
  description: "Le citoyen commande en ligne.\n\nL'agent traite la demande dans le back-office.",
  framework: {
    id: "0190f0aa-0000-7000-8000-000000000111",
    reference: "CA-2025-01",
    title: "Accord-cadre de services relatif à la mise à disposition d'un e-guichet communal",
    call_off_method: "mini_competition",
    version_count: 1,
    terms: {
      version: 1,
      published_at: "2026-11-29T10:44:38Z",
      change_note: "",
      start_date: "2025-03-01",
      end_date: "2029-02-28",
      providers: [
        {
          provider_id: "p-1",
          name: "Civitas Digital SA",
          enterprise_number: "0123.456.749",
          contact_email: "offres@civitas.example",
          status: "active",
        },
        {
          provider_id: "p-2",
          name: "Guichet Wallon SRL",
          enterprise_number: "0456.789.012",
          contact_email: "offres@guichet.example",
          status: "suspended",
        },
      ],
      price_schedule: [
        {
          code: "setup",
          label: "Mise en service et paramétrage",
          unit: "forfait",
          vat_rate_percent: "21",
          ceiling_excl_vat: 123456,
          ceiling_incl_vat: 149382,
          recurrence: "one_off",
        },
        {
          code: "licence",
          label: "Licence annuelle",
          unit: "par tranche de 1 000 habitants et par an",
          vat_rate_percent: "21",
          ceiling_excl_vat: 18000,
          ceiling_incl_vat: 21780,
          recurrence: "yearly",
        },
      ],
      criteria: [
        { code: "price", label: "Prix", weight: 60, kind: "price" },
        { code: "quality", label: "Qualité", weight: 40, kind: "quality" },
      ],
      documents: [
        {
          title: "Cahier spécial des charges",
          version: "1.1",
          file_name: "csc-ca-2025-01.pdf",
          sha256: "63886db316a5e458e824fa7174d88e1aaf12b4509da2c993c9e3045674f81efb",
        },
      ],
      contract_months: 48,
      max_value: 70_000_000,
      price_formula: "relative",
      direct_call_off: null,
    },
  },
  estimate: {
    commune_nis: "84009",
    commune_name: "Bertrix",
    population: 8962,
    population_date: "2026-01-01",
    lines: [
      {
        code: "setup",
        label: "Mise en service et paramétrage",
        unit: "forfait",
        quantity: "1",
        periods: "1",
        unit_ceiling_excl_vat: 123456,
        amount: { excl_vat: 123456, vat: 25926, incl_vat: 149382 },
      },
      {
        code: "licence",
        label: "Licence annuelle",
        unit: "par tranche de 1 000 habitants et par an",
        quantity: "9",
        periods: "4",
        unit_ceiling_excl_vat: 18000,
        amount: { excl_vat: 648000, vat: 136080, incl_vat: 784080 },
      },
    ],
    total: { excl_vat: 771456, vat: 162006, incl_vat: 933462 },
  },
  designation: null,
  ...over,
});

export const convention = (over: Partial<ConventionView> = {}): ConventionView => ({
  id: TEMPLATE_ID,
  version: 1,
  title: "Convention d'adhésion à la centrale d'achat — version 1",
  text: "# Convention d'adhésion\n\n## Article 1 — Définitions\n\n1. **centrale d'achat** : le service de l'intercommunale ;\n2. **accord-cadre** : l'accord conclu.\n\n## Article 3 — Gratuité\n\nL'adhésion à la centrale d'achat est gratuite.",
  sha256: CONVENTION_SHA,
  intact: true,
  in_force: true,
  ...over,
});

export const signature = (over: Partial<Signature> = {}): Signature => ({
  user_id: "u-1",
  name: "Marie Dupont",
  role: "director_general",
  signed_at: "2027-03-12T13:05:00Z",
  text_sha256: CONVENTION_SHA,
  capacity: "titular",
  title: "",
  substitution: null,
  ...over,
});

export const adhesionView = (over: Partial<AdhesionView> = {}): AdhesionView => ({
  id: ADHESION_ID,
  commune_nis: "92094",
  status: "draft",
  template_id: TEMPLATE_ID,
  template_version: 1,
  text_sha256: CONVENTION_SHA,
  college_decision: null,
  director_general_signature: null,
  mayor_signature: null,
  countersignature: null,
  activated_at: null,
  termination: null,
  missing_termination_signatures: [],
  missing_signatures: ["mayor", "director_general"],
  next_step: "record_college_decision",
  allows_orders: false,
  pending: false,
  ...over,
});

export const adhesionScreen = (over: Partial<AdhesionScreen> = {}): AdhesionScreen => ({
  commune_nis: "92094",
  adhesion: adhesionView(),
  convention: convention(),
  newer_convention_version: null,
  signer: null,
  substitutions: [],
  may_designate: false,
  ...over,
});

export const milestone = (over: Partial<MilestoneView> = {}): MilestoneView => ({
  id: "m-1",
  kind: "kickoff",
  planned_date: "2027-02-01",
  baseline_date: over.planned_date ?? "2027-02-01",
  lead_time_days: null,
  replans: [],
  actual_date: "2027-02-01",
  status: "done",
  late: false,
  notes: "",
  acknowledged_at: null,
  acknowledged_by: null,
  pending: false,
  ...over,
});

export const deploymentRow = (over: Partial<DeploymentRow> = {}): DeploymentRow => ({
  order_id: ORDER_ID,
  title: "E-guichet pour l'état civil",
  commune_nis: "92094",
  service_name: "E-guichet",
  status: "deploying",
  provider_id: "p-1",
  provider_name: "Civitas Digital SA",
  milestones: [
    milestone({ id: "m-1", kind: "kickoff", planned_date: "2027-02-01", actual_date: "2027-02-01", status: "done" }),
    milestone({ id: "m-2", kind: "configuration", planned_date: "2027-03-01", actual_date: null, status: "late", late: true }),
    milestone({ id: "m-3", kind: "go_live", planned_date: "2027-04-15", actual_date: null, status: "planned" }),
  ],
  progress: { done: 1, total: 3, late: 1 },
  next_action: { code: "follow_deployment", by: "provider", due_at: null, due_on: "2027-03-01" },
  pending: false,
  signer: null,
  ...over,
});

/**
 * What the backend answers `query` with, over `rows` already in its order (the most worrying
 * first: `deployment_page` orders them, tested on the Rust side): the late ones when asked,
 * the first `shown`, and the counts.
 */
export const deploymentPage = (rows: DeploymentRow[], query: DeploymentQuery = { late_only: false, shown: 20 }): DeploymentPage => {
  const late = rows.filter((r) => r.progress.late > 0);
  const matching = query.late_only ? late : rows;
  return { rows: matching.slice(0, query.shown), total: rows.length, late: late.length, matching: matching.length };
};

/** The interoperability sheets of the e-guichet's two solutions (issue 16 §1): Civitas's with
 * checks and a link to a payment solution Bertrix already runs; Guichet Wallon without a sheet. */
export const sheetViews = (): SolutionSheetView[] => [
  {
    provider_id: "p-1",
    provider_name: "Civitas Digital SA",
    sheet: {
      provider_id: "p-1",
      solution_name: "Civitas Guichet 4",
      open_data: [{ format: "CSV", licence: "Licence ouverte CC BY 4.0" }],
      apis: [{ name: "Demandes des citoyens", specification: "REST, OpenAPI 3.1", documentation_url: "" }],
      citizen_identity: ["csam", "mon_espace"],
      data_exports: ["CSV", "JSON"],
      hosting: "belgium",
      hosting_detail: "centre de données à Liège",
      reversibility: "Export complet sous 30 jours.",
      works_with: [],
      checks: [
        { aspect: "hosting", checked_on: "2025-09-18", outcome: "confirmed", note: "" },
        { aspect: "reversibility", checked_on: "2025-09-22", outcome: "partial", note: "L'export des paramètres reste à démontrer." },
      ],
    },
    links: [
      {
        with: { solution: { service_id: "s-pay", provider_id: "p-9" }, service_name: "Paiement scolaire", provider_name: "Payvallée SRL", solution_name: "Payvallée Écoles" },
        how: "les redevances sont payées en ligne",
        checked_on: "2025-09-18",
        declared_by_other: false,
      },
    ],
    fits_running: [
      {
        with: { solution: { service_id: "s-pay", provider_id: "p-9" }, service_name: "Paiement scolaire", provider_name: "Payvallée SRL", solution_name: "Payvallée Écoles" },
        how: "les redevances sont payées en ligne",
        checked_on: "2025-09-18",
        declared_by_other: false,
      },
    ],
  },
  { provider_id: "p-2", provider_name: "Guichet Wallon SRL", sheet: null, links: [], fits_running: [] },
];
