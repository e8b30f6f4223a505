/** Test data for the order screens, in the shapes of the Rust types (src/bindings). */
import type { AdhesionScreen } from "../bindings/AdhesionScreen";
import type { AdhesionView } from "../bindings/AdhesionView";
import type { CriterionView } from "../bindings/CriterionView";
import type { EvaluationView } from "../bindings/EvaluationView";
import type { InvitationRow } from "../bindings/InvitationRow";
import type { OfferComparison } from "../bindings/OfferComparison";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { OrderRow } from "../bindings/OrderRow";
import type { PriceLineView } from "../bindings/PriceLineView";
import type { ServiceDetail } from "../bindings/ServiceDetail";
import type { ServiceRow } from "../bindings/ServiceRow";
import type { TermsView } from "../bindings/TermsView";

export const ORDER_ID = "0190f0aa-0000-7000-8000-0000000000aa";
export const SERVICE_ID = "0190f0aa-0000-7000-8000-00000000005e";
export const FRAMEWORK_ID = "0190f0aa-0000-7000-8000-0000000000f1";
export const PROVIDER_A = "0190f0aa-0000-7000-8000-0000000000a1";
export const PROVIDER_B = "0190f0aa-0000-7000-8000-0000000000b2";
export const OFFER_A = "0190f0aa-0000-7000-8000-00000000af0a";
export const OFFER_B = "0190f0aa-0000-7000-8000-00000000af0b";

export const priceSchedule: PriceLineView[] = [
  { code: "licence", label: "Licence e-guichet", unit: "par an", vat_rate_percent: "21", ceiling_excl_vat: 125000, ceiling_incl_vat: 151250, recurrence: "yearly" },
  { code: "setup", label: "Mise en service", unit: "forfait", vat_rate_percent: "21", ceiling_excl_vat: 450000, ceiling_incl_vat: 544500, recurrence: "one_off" },
  { code: "training", label: "Journée de formation", unit: "par journée", vat_rate_percent: "21", ceiling_excl_vat: 90000, ceiling_incl_vat: 108900, recurrence: "one_off" },
];

export const criteria: CriterionView[] = [
  { code: "price", label: "Prix", weight: 60, kind: "price" },
  { code: "quality", label: "Qualité technique et accompagnement", weight: 40, kind: "quality" },
];

export const terms = (over: Partial<TermsView> = {}): TermsView => ({
  version: 2,
  published_at: "2026-01-05T09:00:00Z",
  change_note: "",
  start_date: "2026-01-01",
  end_date: "2029-12-31",
  providers: [
    { provider_id: PROVIDER_A, name: "Atelier Numérique SA", enterprise_number: "0403.170.701", contact_email: null, status: "active" },
    { provider_id: PROVIDER_B, name: "Bureau Civique SRL", enterprise_number: "0202.239.951", contact_email: null, status: "active" },
  ],
  price_schedule: priceSchedule,
  criteria,
  documents: [],
  contract_months: 48,
  max_value: 70_000_000,
  price_formula: "relative",
  direct_call_off: null,
  ...over,
});

export const serviceRow = (over: Partial<ServiceRow> = {}): ServiceRow => ({
  id: SERVICE_ID,
  code: "e-guichet",
  name: "E-guichet",
  summary: "Guichet en ligne pour les documents d'état civil et de population.",
  category: "Services aux citoyens",
  framework_id: FRAMEWORK_ID,
  framework_reference: "CA-2025-01",
  start_date: "2026-01-01",
  end_date: "2029-12-31",
  provider_names: ["Atelier Numérique SA", "Bureau Civique SRL"],
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
  description: "Un guichet en ligne.",
  framework: {
    id: FRAMEWORK_ID,
    reference: "CA-2025-01",
    title: "Services numériques aux citoyens",
    call_off_method: "mini_competition",
    version_count: 2,
    terms: terms(),
  },
  estimate: null,
  designation: null,
  ...over,
});

export const orderRow = (over: Partial<OrderRow> = {}): OrderRow => ({
  id: ORDER_ID,
  title: "E-guichet état civil 2027",
  commune_nis: "92094",
  service_id: SERVICE_ID,
  service_name: "E-guichet",
  status: "draft",
  next_action: { code: "submit", by: "commune", due_at: null, due_on: null },
  created_at: "2027-03-01T10:00:00Z",
  submitted_at: null,
  pending: false,
  ...over,
});

export const adhesionView = (over: Partial<AdhesionView> = {}): AdhesionView => ({
  id: "adh-1",
  commune_nis: "92094",
  status: "active",
  template_id: "tpl-1",
  template_version: 3,
  text_sha256: "abc",
  college_decision: { organ: { kind: "conseil" }, reference: "CC/2026/12", date: "2026-11-02", financial_opinion: null },
  director_general_signature: null,
  mayor_signature: null,
  countersignature: null,
  activated_at: "2026-12-01T10:00:00Z",
  termination: null,
  missing_termination_signatures: [],
  missing_signatures: [],
  next_step: null,
  allows_orders: true,
  pending: false,
  ...over,
});

/** The decisions of an order: nothing needs the financial opinion; the reader has declared. */
export const decisionsView = (over: Partial<OrderDetail["decisions"]> = {}): OrderDetail["decisions"] => ({
  launch_decision: null,
  launch_opinion_required: false,
  award_opinion_required: false,
  conflict_declarations: [],
  conflict_statement: "Je déclare sur l'honneur n'avoir aucun conflit d'intérêts.",
  conflict_statement_sha256: "c0ffee",
  declared_by_me: true,
  ...over,
});

export const adhesionScreen = (adhesion: AdhesionView | null = adhesionView()): AdhesionScreen => ({
  commune_nis: "92094",
  adhesion,
  convention: null,
  newer_convention_version: null,
  signer: null,
  substitutions: [],
  may_designate: false,
});

const needs = (): OrderDetail["needs"] => ({
  description: "E-guichet pour les actes d'état civil et de population, pour 2 agents.",
  lines: [
    {
      price_line_code: "licence",
      label: "Licence e-guichet",
      unit: "par an",
      quantity: "2",
      note: "",
      ceiling_excl_vat: 125000,
      amount_at_ceiling: { excl_vat: 250000, vat: 52500, incl_vat: 302500 },
    },
    {
      price_line_code: "setup",
      label: "Mise en service",
      unit: "forfait",
      quantity: "1",
      note: "Reprise des données existantes",
      ceiling_excl_vat: 450000,
      amount_at_ceiling: { excl_vat: 450000, vat: 94500, incl_vat: 544500 },
    },
  ],
  sites: ["Hôtel de ville"],
  desired_start: "2027-04-01",
  desired_go_live: "2027-09-01",
  budget: 1250000,
  total_at_ceilings: { excl_vat: 700000, vat: 147000, incl_vat: 847000 },
});

export const orderDetail = (over: Partial<OrderDetail> = {}, order: Partial<OrderDetail["order"]> = {}): OrderDetail => ({
  interoperability: [],
  accompaniments: [],
  order: {
    id: ORDER_ID,
    title: "E-guichet état civil 2027",
    commune_nis: "92094",
    service_id: SERVICE_ID,
    service_name: "E-guichet",
    framework_id: FRAMEWORK_ID,
    framework_reference: "CA-2025-01",
    framework_version: 2,
    status: "draft",
    created_by: "Marie Dupont",
    created_at: "2027-03-01T10:00:00Z",
    submitted_at: null,
    competition: null,
    opened_at: null,
    offers_received: null,
    closure: null,
    earlier_competitions: [],
    may_buy_elsewhere: false,
    questions: [],
    set_aside: [],
    price_requests: [],
    pending: false,
    ...order,
  },
  needs: needs(),
  terms: terms(),
  invitations: [],
  comparison: { columns: [], rows: [] },
  evaluation: null,
  award: null,
  purchase_order: null,
  provisional_acceptance: null,
  final_acceptance: null,
  milestones: [],
  progress: { done: 0, total: 0, late: 0 },
  next_action: { code: "submit", by: "commune", due_at: null, due_on: null },
  decisions: decisionsView(),
  formerly: null,
  signer: null,
  designation: null,
  pool: null,
  ...over,
});

const competition = {
  launched_at: "2027-03-02T09:00:00Z",
  deadline: "2027-03-14T11:00:00Z",
  invited_provider_ids: [PROVIDER_A, PROVIDER_B],
  launched_by: "Luc Martin",
  extensions: [],
};

export const invitations = (offers = false): InvitationRow[] => [
  {
    id: "inv-a",
    provider_id: PROVIDER_A,
    provider_name: "Atelier Numérique SA",
    status: offers ? "offer_submitted" : "sent",
    offer_submitted: offers,
    offer_submitted_at: offers ? "2027-03-10T15:00:00Z" : null,
    sent_at: "2027-03-02T09:00:00Z",
    deadline: competition.deadline,
    pending: false,
  },
  {
    id: "inv-b",
    provider_id: PROVIDER_B,
    provider_name: "Bureau Civique SRL",
    status: offers ? "offer_submitted" : "sent",
    offer_submitted: offers,
    offer_submitted_at: offers ? "2027-03-12T08:30:00Z" : null,
    sent_at: "2027-03-02T09:00:00Z",
    deadline: competition.deadline,
    pending: false,
  },
];

export const competitionDetail = (): OrderDetail =>
  orderDetail(
    {
      invitations: invitations(),
      next_action: { code: "wait_offers", by: "provider", due_at: competition.deadline, due_on: null },
    },
    { status: "competition_open", submitted_at: "2027-03-01T12:00:00Z", competition },
  );

/** Two offers: A is cheaper (6 000,00 € HTVA), B is dearer (6 600,00 € HTVA) but faster. */
export const comparison = (ranked = false): OfferComparison => ({
  columns: [
    {
      offer_id: OFFER_A,
      provider_id: PROVIDER_A,
      provider_name: "Atelier Numérique SA",
      revision: 1,
      submitted_at: "2027-03-10T15:00:00Z",
      total: { excl_vat: 600000, vat: 126000, incl_vat: 726000 },
      lead_time_days: 60,
      notes: "Hébergement en Belgique.",
      content_sha256: "aaa",
      rank: ranked ? 1 : null,
      lowest_total: true,
      shortest_lead_time: false,
      pending: false,
    },
    {
      offer_id: OFFER_B,
      provider_id: PROVIDER_B,
      provider_name: "Bureau Civique SRL",
      revision: 2,
      submitted_at: "2027-03-12T08:30:00Z",
      total: { excl_vat: 660000, vat: 138600, incl_vat: 798600 },
      lead_time_days: 45,
      notes: "Formation sur place incluse.",
      content_sha256: "bbb",
      rank: ranked ? 2 : null,
      lowest_total: false,
      shortest_lead_time: true,
      pending: false,
    },
  ],
  rows: [
    {
      price_line_code: "licence",
      label: "Licence e-guichet",
      unit: "par an",
      quantity: "2",
      ceiling_excl_vat: 125000,
      ceiling_incl_vat: 151250,
      recurrence: "yearly",
      contract_months: 48,
      cells: [
        {
          unit_price_excl_vat: 100000,
          vat_rate_percent: "21",
          amount: { excl_vat: 200000, vat: 42000, incl_vat: 242000 },
          ceiling_excl_vat: 125000,
          within_ceiling: true,
          best: true,
        },
        {
          unit_price_excl_vat: 120000,
          vat_rate_percent: "21",
          amount: { excl_vat: 240000, vat: 50400, incl_vat: 290400 },
          ceiling_excl_vat: 125000,
          within_ceiling: true,
          best: false,
        },
      ],
    },
    {
      price_line_code: "setup",
      label: "Mise en service",
      unit: "forfait",
      quantity: "1",
      ceiling_excl_vat: 450000,
      ceiling_incl_vat: 544500,
      recurrence: "one_off",
      contract_months: 48,
      cells: [
        {
          unit_price_excl_vat: 400000,
          vat_rate_percent: "21",
          amount: { excl_vat: 400000, vat: 84000, incl_vat: 484000 },
          ceiling_excl_vat: 450000,
          within_ceiling: true,
          best: false,
        },
        {
          unit_price_excl_vat: 420000,
          vat_rate_percent: "21",
          amount: { excl_vat: 420000, vat: 88200, incl_vat: 508200 },
          ceiling_excl_vat: 450000,
          within_ceiling: true,
          best: false,
        },
      ].map((c, i) => ({ ...c, best: i === 0 })),
    },
  ],
});

export const openedDetail = (): OrderDetail =>
  orderDetail(
    {
      invitations: invitations(true),
      comparison: comparison(),
      next_action: { code: "evaluate", by: "commune", due_at: null, due_on: null },
    },
    {
      status: "offers_opened",
      submitted_at: "2027-03-01T12:00:00Z",
      competition,
      opened_at: "2027-03-14T11:05:00Z",
      offers_received: 2,
    },
  );

export const evaluation = (): EvaluationView => ({
  outcome: "ranked",
  evaluated_at: "2027-03-15T10:00:00Z",
  evaluated_by: "Marie Dupont",
  criteria,
  ranking: [
    {
      rank: 1,
      offer_id: OFFER_A,
      provider_id: PROVIDER_A,
      provider_name: "Atelier Numérique SA",
      total_excl_vat: 600000,
      scores: [
        { criterion_code: "price", label: "Prix", kind: "price", weight: 60, points: "60.00", justification: null },
        { criterion_code: "quality", label: "Qualité technique et accompagnement", kind: "quality", weight: 40, points: "30.00", justification: "Solide, hébergement belge." },
      ],
      price_score: "60.00",
      total: "90.00",
    },
    {
      rank: 2,
      offer_id: OFFER_B,
      provider_id: PROVIDER_B,
      provider_name: "Bureau Civique SRL",
      total_excl_vat: 660000,
      scores: [
        { criterion_code: "price", label: "Prix", kind: "price", weight: 60, points: "54.55", justification: null },
        { criterion_code: "quality", label: "Qualité technique et accompagnement", kind: "quality", weight: 40, points: "32.50", justification: "Formation sur place appréciée." },
      ],
      price_score: "54.55",
      total: "87.05",
    },
  ],
});

export const evaluatedDetail = (): OrderDetail => {
  const d = openedDetail();
  return {
    ...d,
    order: { ...d.order, status: "evaluated" },
    comparison: comparison(true),
    evaluation: evaluation(),
    next_action: { code: "award", by: "commune", due_at: null, due_on: null },
  };
};
