/** Test data in the shapes of the Rust types (src/bindings). Override what a test needs. */
import type { AppState } from "../bindings/AppState";
import type { Home } from "../bindings/Home";
import type { Me } from "../bindings/Me";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { SyncStatus } from "../bindings/SyncStatus";

export const me = (over: Partial<Me> = {}): Me => ({
  user_id: "u-1",
  username: "dg.92094",
  display_name: "Marie Dupont",
  role: "director_general",
  commune_nis: "92094",
  provider_id: null,
  gender: "unspecified",
  second_factor: false,
  ...over,
});

export const appState = (over: Partial<AppState> = {}): AppState => ({
  server_url: "https://centrale.exemple.be",
  session: me(),
  keyring: { available: true, code: null, message: null },
  today: "2027-03-12",
  commune: {
    nis_code: "92094",
    name_fr: "Namur",
    name_nl: "Namen",
    arrondissement_fr: "Namur",
    arrondissement_nis: "92000",
    population: 113000,
    population_date: "2026-01-01",
    main_postal_code: "5000",
    valid_from: null,
    valid_until: null,
    successor: null,
    current: true,
    adhesion_status: "active",
    pending: false,
  },
  cache_notice: null,
  fatal: null,
  settings: { min_competition_days: 10, centrale_name: "Centrale d'achat de l'intercommunale" },
  ...over,
});

/** A centrale staff member signed in (no commune). */
export const centraleState = (over: Partial<AppState> = {}): AppState =>
  appState({
    session: me({
      user_id: "u-centrale",
      username: "centrale.achats",
      display_name: "Thomas Henrotte",
      role: "centrale_staff",
      commune_nis: null,
    }),
    commune: null,
    ...over,
  });

export const syncStatus = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  phase: "idle",
  online: true,
  last_success: null,
  pending: 0,
  needs_attention: 0,
  last_error_code: null,
  last_error: null,
  next_retry_at: null,
  server_time: null,
  ...over,
});

export const emptyHome = (over: Partial<Home> = {}): Home => ({
  today: "2027-03-12",
  adhesion: { status: "active", next_step: null, allows_orders: true },
  orders_by_status: [],
  next_actions: [],
  next_actions_total: 0,
  deployments: [],
  deployments_total: 0,
  ...over,
});

export const outboxEntry = (over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  client_seq: 1,
  mutation_id: "0190f0aa-0000-7000-8000-000000000001",
  name: "order.update_draft",
  payload: {
    order_id: "0190f0aa-0000-7000-8000-0000000000aa",
    title: "E-guichet pour l'état civil",
    needs: {
      description: "E-guichet pour 2 agents",
      lines: [{ price_line_code: "licence", quantity: "2", note: "" }],
      sites: ["Hôtel de ville"],
      desired_start: "2027-04-01",
      desired_go_live: null,
      budget: 1250000,
    },
  },
  base_version: 3,
  depends_on: null,
  created_at: "2027-03-12T13:05:00Z",
  created_by: me(),
  state: "needs_attention",
  error_code: "invalid_input",
  error_message: "Le titre de la commande est trop long (200 caractères au plus).",
  error_details: { field: "title" },
  attempts: 1,
  ...over,
});
