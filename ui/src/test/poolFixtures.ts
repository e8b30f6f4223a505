/** Test data for the pooled call-offs (issue 16 §4), in the shapes of the Rust types. */
import type { PoolMemberView } from "../bindings/PoolMemberView";
import type { PoolPage } from "../bindings/PoolPage";
import type { PoolRow } from "../bindings/PoolRow";
import type { PooledOfferView } from "../bindings/PooledOfferView";
import { ORDER_ID, PROVIDER_A, PROVIDER_B, SERVICE_ID } from "./orderFixtures";

export const POOL_ID = "0190f0aa-0000-7000-8000-0000000009a1";
export const POOL_ID_2 = "0190f0aa-0000-7000-8000-0000000009a2";
export const ORDER_NAMUR = ORDER_ID;
export const ORDER_ANDENNE = "0190f0aa-0000-7000-8000-0000000009b2";
export const ORDER_CINEY = "0190f0aa-0000-7000-8000-0000000009b3";

/** « Caméras des parkings 2027 », on the e-guichet's framework, open to communes until 31/03/2027. */
export const poolRow = (over: Partial<PoolRow> = {}): PoolRow => ({
  id: POOL_ID,
  title: "Caméras des parkings 2027",
  service_id: SERVICE_ID,
  service_name: "E-guichet",
  phase: "joining",
  phase_label: "ouvert aux communes",
  join_until: "2027-03-31",
  joinable: true,
  members: 2,
  deadline: null,
  my_order_id: null,
  pending: false,
  ...over,
});

export const member = (over: Partial<PoolMemberView> = {}): PoolMemberView => ({
  commune_nis: "91005",
  commune_name: "Andenne",
  joined_at: "2027-03-02T09:00:00Z",
  left_at: null,
  order_id: ORDER_ANDENNE,
  status: "submitted",
  status_label: "demande envoyée",
  quantities: [
    { price_line_code: "licence", label: "Licence e-guichet", unit: "licences", quantity: "3" },
    { price_line_code: "setup", label: "Mise en service", unit: "forfait", quantity: "1" },
  ],
  awarded_excl_vat: null,
  ...over,
});

/** Andenne and Ciney in the pool (Ciney's order not on a commune's PC), Gesves who left. */
export const members = (): PoolMemberView[] => [
  member(),
  member({ commune_nis: "91030", commune_name: "Ciney", joined_at: "2027-03-05T10:00:00Z", order_id: ORDER_CINEY, quantities: [{ price_line_code: "licence", label: "Licence e-guichet", unit: "licences", quantity: "2" }] }),
  member({ commune_nis: "92054", commune_name: "Gesves", joined_at: "2027-03-03T10:00:00Z", left_at: "2027-03-08T15:00:00Z", order_id: null, status: null, status_label: null, quantities: [] }),
];

export const poolPage = (over: Partial<PoolPage> = {}): PoolPage => ({
  id: POOL_ID,
  title: "Caméras des parkings 2027",
  description: "Caméras pour les parkings communaux, avec installation et maintenance.",
  service_id: SERVICE_ID,
  service_name: "E-guichet",
  framework_reference: "CA-2025-01",
  phase: "joining",
  phase_label: "ouvert aux communes",
  join_until: "2027-03-31",
  created_by: "Thomas Henrotte",
  created_at: "2027-03-01T08:00:00Z",
  joinable: true,
  my_order_id: null,
  members: members(),
  pooled: [
    { price_line_code: "licence", label: "Licence e-guichet", unit: "licences", quantity: "5" },
    { price_line_code: "setup", label: "Mise en service", unit: "forfait", quantity: "1" },
  ],
  competition: null,
  evaluated: null,
  declared: false,
  conflict_statement: "Je déclare sur l'honneur n'avoir aucun conflit d'intérêts.",
  conflict_statement_sha256: "c0ffee",
  criteria: [
    { code: "prix", label: "Prix", weight: 60, is_price: true },
    { code: "qualite", label: "Qualité technique", weight: 40, is_price: false },
  ],
  offers: [],
  decided: false,
  pending: false,
  ...over,
});

export const pooledOffer = (over: Partial<PooledOfferView> = {}): PooledOfferView => ({
  provider_id: PROVIDER_A,
  provider_name: "Atelier Numérique SA",
  total_excl_vat: 1_050_000,
  unit_prices: [
    { price_line_code: "licence", label: "Licence e-guichet", unit_price_cents: 110_000 },
    { price_line_code: "setup", label: "Mise en service", unit_price_cents: 400_000 },
  ],
  lead_time_days: 60,
  notes: "Installation en deux semaines.",
  points: null,
  rank: null,
  quality: [],
  set_aside: false,
  ...over,
});

/** The competition launched on 01/03/2027, offers awaited until 20/03/2027 at 12:00 (Brussels), still running. */
export const runningPool = (over: Partial<PoolPage> = {}): PoolPage =>
  poolPage({
    phase: "competition_open",
    phase_label: "remise en concurrence en cours",
    joinable: false,
    members: members().map((m) => (m.left_at === null ? { ...m, status: "competition_open", status_label: "remise en concurrence en cours" } : m)),
    competition: { launched_at: "2027-03-01T09:00:00Z", deadline: "2027-03-20T11:00:00Z", launched_by: "Thomas Henrotte" },
    ...over,
  });

/** The offers of Atelier Numérique (cheaper) and Bureau Civique (faster), opened. */
export const openedPool = (over: Partial<PoolPage> = {}): PoolPage =>
  poolPage({
    phase: "offers_opened",
    phase_label: "offres ouvertes, analyse attendue",
    joinable: false,
    members: members().slice(0, 2).map((m) => ({ ...m, status: "offers_opened", status_label: "offres ouvertes" })),
    competition: { launched_at: "2027-03-01T09:00:00Z", deadline: "2027-03-11T11:00:00Z", launched_by: "Thomas Henrotte" },
    offers: [
      pooledOffer(),
      pooledOffer({
        provider_id: PROVIDER_B,
        provider_name: "Bureau Civique SRL",
        total_excl_vat: 1_200_000,
        unit_prices: [
          { price_line_code: "licence", label: "Licence e-guichet", unit_price_cents: 130_000 },
          { price_line_code: "setup", label: "Mise en service", unit_price_cents: 420_000 },
        ],
        lead_time_days: 30,
        notes: "",
      }),
    ],
    ...over,
  });
