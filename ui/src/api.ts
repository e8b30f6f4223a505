/**
 * The one door to the Rust side: every Tauri command and event the UI uses goes through here,
 * so that tests mock this module and nothing else (`vi.mock("../api")`, see src/test/api.ts).
 *
 * Argument keys are camelCase: Tauri turns them into the Rust commands' snake_case parameters.
 * A failed command rejects with an `AppError` (code, French message, params).
 */
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { AppError } from "./errors";
import type { AccompanimentScreen } from "./bindings/AccompanimentScreen";
import type { SurveyPage } from "./bindings/SurveyPage";
import type { SurveyResultsView } from "./bindings/SurveyResultsView";
import type { SurveysScreen } from "./bindings/SurveysScreen";
import type { PoolPage } from "./bindings/PoolPage";
import type { PoolsScreen } from "./bindings/PoolsScreen";
import type { Action } from "./bindings/Action";
import type { AdhesionScreen } from "./bindings/AdhesionScreen";
import type { AppState } from "./bindings/AppState";
import type { CommuneRow } from "./bindings/CommuneRow";
import type { StandingRow } from "./bindings/StandingRow";
import type { Conflict } from "./bindings/Conflict";
import type { DeploymentPage } from "./bindings/DeploymentPage";
import type { DeploymentQuery } from "./bindings/DeploymentQuery";
import type { FrameworkTermsInForce } from "./bindings/FrameworkTermsInForce";
import type { Home } from "./bindings/Home";
import type { OrderDetail } from "./bindings/OrderDetail";
import type { OrderFilter } from "./bindings/OrderFilter";
import type { OrderRow } from "./bindings/OrderRow";
import type { OutboxEntry } from "./bindings/OutboxEntry";
import type { Overview } from "./bindings/Overview";
import type { FrameworkTracking } from "./bindings/FrameworkTracking";
import type { Performed } from "./bindings/Performed";
import type { ProviderRow } from "./bindings/ProviderRow";
import type { SavedDocument } from "./bindings/SavedDocument";
import type { OpenedDocument } from "./bindings/OpenedDocument";
import type { DocumentFileStored } from "./bindings/DocumentFileStored";
import type { DocumentChoice } from "./bindings/DocumentChoice";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { ExportKind } from "./bindings/ExportKind";
import type { SavedExport } from "./bindings/SavedExport";
import type { ServiceDetail } from "./bindings/ServiceDetail";
import type { ServiceFilter } from "./bindings/ServiceFilter";
import type { ServiceRow } from "./bindings/ServiceRow";
import type { SecondFactorEnabled } from "./bindings/SecondFactorEnabled";
import type { FailedMail } from "./bindings/FailedMail";
import type { SecondFactorSetup } from "./bindings/SecondFactorSetup";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { MailPreferencesScreen } from "./bindings/MailPreferencesScreen";
import type { WaitingScreen } from "./bindings/WaitingScreen";
import type { UpdateOffer } from "./bindings/UpdateOffer";
import type { UpdateProgress } from "./bindings/UpdateProgress";

export type { UnlistenFn };

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw AppError.from(error);
  }
}

async function on<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}

/** The backend's commands, one function each (Rust name in the comment). */
export const api = {
  // ── The window ───────────────────────────────────────────────────────────────────────
  /** The window full screen (presentation to the collège) or back. Tauri's window API, allowed
   * by `src-tauri/capabilities/default.json`. Resolves false where the window cannot (a
   * browser, a window manager that refuses): the presentation then fills the window. Tauri's
   * window module (about 100 kB) is loaded here, when first used, not with the first screen. */
  setFullscreen: async (on: boolean): Promise<boolean> => {
    try {
      const { getCurrentWindow } = await import("@tauri-apps/api/window");
      await getCurrentWindow().setFullscreen(on);
      return true;
    } catch {
      return false;
    }
  },
  // ── Session and set-up ──────────────────────────────────────────────────────────────
  /** `app_state`: server address, session, keyring, today, the commune. */
  appState: () => call<AppState>("app_state"),
  /** `set_server_url`: validated on the Rust side. */
  setServerUrl: (url: string) => call<AppState>("set_server_url", { url }),
  /** `log_in`: needs the network. */
  logIn: (username: string, password: string) => call<AppState>("log_in", { username, password }),
  /** `switch_account`: hands the PC to another account (this one stays known here, to sign in
   * offline and to send its pending changes: two signatories on one PC). */
  switchAccount: () => call<AppState>("switch_account"),
  /** `log_out`: the server revokes the token when reachable; this PC forgets it. */
  logOut: () => call<AppState>("log_out"),

  // ── Sync ────────────────────────────────────────────────────────────────────────────
  /** `sync_status`. */
  syncStatus: () => call<SyncStatus>("sync_status"),
  /** `sync_now`: runs a sync and answers the status after it. */
  syncNow: () => call<SyncStatus>("sync_now"),

  // ── Updates of the app (issue 13 §2) ─────────────────────────────────────────────────
  /** `check_update`: a newer version published by the intercommunale, or null. */
  checkUpdate: () => call<UpdateOffer | null>("check_update"),
  /** `download_update`: downloads and verifies it (progress: `onUpdateProgress`). */
  downloadUpdate: () => call<UpdateOffer>("download_update"),
  /** `install_update`: installs it and restarts; refused while changes wait to be sent. */
  installUpdate: () => call<null>("install_update"),

  // ── What waits (issue 14 §2) ─────────────────────────────────────────────────────────
  /** `waiting`: what waits for the signed-in person (the menu's count), and whether this PC
   * shows a desktop notification when a sync brings something new. */
  waiting: () => call<WaitingScreen>("waiting"),
  /** `set_notifications`: desktop notifications on or off on this PC. */
  setNotifications: (enabled: boolean) => call<WaitingScreen>("set_notifications", { enabled }),
  /** `mail_preferences`: « Mes notifications », how the signed-in account is told by e-mail per
   * kind of message (changed with `perform`, `set_mail_preferences`); null when signed out. */
  mailPreferences: () => call<MailPreferencesScreen | null>("mail_preferences"),

  // ── Screens (reads from the local cache: they work offline) ────────────────────────
  /** `home`. */
  home: () => call<Home>("home"),
  /** `services`. */
  services: (filter: ServiceFilter) => call<ServiceRow[]>("services", { filter }),
  /** `service_categories`. */
  serviceCategories: () => call<string[]>("service_categories"),
  /** `service_detail`: null when the service is not on this PC. */
  serviceDetail: (serviceId: string) => call<ServiceDetail | null>("service_detail", { serviceId }),
  /** `adhesion`. */
  adhesion: () => call<AdhesionScreen>("adhesion"),
  /** `orders`. */
  orders: (filter: OrderFilter) => call<OrderRow[]>("orders", { filter }),
  /** `order_detail`: null when the order is not on this PC. */
  orderDetail: (orderId: string) => call<OrderDetail | null>("order_detail", { orderId }),
  /** `document`: a document of an order or an adhesion as a PDF in the Documents folder (issue 12). */
  document: (kind: DocumentKind, recordId: string) => call<SavedDocument>("document", { kind, recordId }),
  /** `document_choices`: the documents an order or an adhesion allows now (issue 12). */
  documentChoices: (recordId: string) => call<DocumentChoice[]>("document_choices", { recordId }),
  /** `open_framework_document`: a framework document's file, from this PC (offline too) or
   * fetched now, saved in the Documents folder and opened with the system's viewer (issue 12 §2). */
  openFrameworkDocument: (sha256: string, fileName: string, title: string) =>
    call<OpenedDocument>("open_framework_document", { sha256, fileName, title }),
  /** `open_saved_document`: opens a document this app saved (by its file name, from the
   * documents folder only) with the PC's viewer (issue 12). */
  openSavedDocument: (fileName: string) => call<null>("open_saved_document", { fileName }),
  /** `upload_framework_document`: the centrale uploads the file of a framework document; the
   * bytes go as the raw body, the name percent-encoded in a header (issue 12 §2). */
  uploadFrameworkDocument: async (file: File): Promise<DocumentFileStored> => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await invoke<DocumentFileStored>("upload_framework_document", bytes, {
        headers: { "x-file-name": encodeURIComponent(file.name) },
      });
    } catch (error) {
      throw AppError.from(error);
    }
  },
  /** `export_csv`: a list as a CSV file for a Belgian spreadsheet, in the Documents folder (issue 12 §3). */
  exportCsv: (kind: ExportKind, surveyId?: string) => call<SavedExport>("export_csv", { kind, surveyId: surveyId ?? null }),
  /** `deployments`: the first running deployments the query keeps, most worrying first, with the counts. */
  deployments: (query: DeploymentQuery) => call<DeploymentPage>("deployments", { query }),
  /** `communes`: every commune with its adhesion status (the centrale's list). */
  communes: () => call<CommuneRow[]>("communes"),
  /** `standings`: where each commune in force stands (public: adhesion, call-offs awarded; issue 15.9). */
  standings: () => call<StandingRow[]>("standings"),
  /** `adhesion_of`: one commune's adhesion (the centrale checks it before countersigning). */
  adhesionOf: (communeNis: string) => call<AdhesionScreen>("adhesion_of", { communeNis }),
  /** `overview`: the centrale's figures and charts across communes and services. */
  overview: () => call<Overview>("overview"),
  /** `accompaniment`: the intercommunale's accompaniment services — its price list, the accompaniment orders this account sees, a commune's call-offs to attach one to (issue 16 §2). */
  accompaniment: () => call<AccompanimentScreen>("accompaniment"),
  /** `surveys`: the needs surveys, with where this commune stands (the centrale: how many communes answered; issue 16 §3). */
  surveys: () => call<SurveysScreen>("surveys"),
  /** `survey`: one survey with this commune's answers; null when not on this PC. */
  survey: (surveyId: string) => call<SurveyPage | null>("survey", { surveyId }),
  /** `survey_results`: the centrale's results of one survey, per commune and per need; null when not on this PC. */
  surveyResults: (surveyId: string) => call<SurveyResultsView | null>("survey_results", { surveyId }),
  /** `pools`: « Marchés groupés » — the pooled call-offs, with what this commune may join and its order in each (issue 16 §4). */
  pools: () => call<PoolsScreen>("pools"),
  /** `pool`: one pooled call-off, its communes, the pooled volume, the competition and (the centrale) the offers; null when not on this PC. */
  pool: (poolId: string) => call<PoolPage | null>("pool", { poolId }),
  /** `tracking`: « Suivi des accords-cadres » — ends, consumption, who uses what (centrale). */
  tracking: () => call<FrameworkTracking>("tracking"),
  /** `providers`: every registered provider (catalogue management). */
  providers: () => call<ProviderRow[]>("providers"),
  /** `framework_terms`: a framework's terms in force; null when not on this PC. */
  frameworkTerms: (frameworkId: string) => call<FrameworkTermsInForce | null>("framework_terms", { frameworkId }),

  // ── Time ────────────────────────────────────────────────────────────────────────────
  /** `brussels_instant`: a deadline typed in Brussels wall time (`2027-03-26`, `12:00`) as
   * the UTC instant to send, decided by chrono-tz in Rust; refused for the hour skipped in
   * March (`wall_time_skipped`) and the hour that happens twice in October
   * (`wall_time_repeated`). The UI never converts a deadline itself. */
  brusselsInstant: (date: string, time: string) => call<string>("brussels_instant", { date, time }),

  // ── Start ───────────────────────────────────────────────────────────────────────────
  /** `first_screen_shown`: the Accueil is drawn with its data, `pageMs` after the page's start
   * (the first time in a run, the start's times go to the support log). */
  firstScreenShown: (pageMs: number) => call<void>("first_screen_shown", { pageMs }),

  // ── Outbox: what waits to be sent, what was refused, conflicts ─────────────────────
  /** `outbox`: pending, needs-attention and conflict entries, in sending order. */
  outbox: () => call<OutboxEntry[]>("outbox"),
  /** `discard_change`: gives up a refused or conflicting change. */
  discardChange: (mutationId: string) => call<void>("discard_change", { mutationId }),
  /** `resend_change`: replaces a refused change by `action` (fixed, or unchanged); a signing
   * act whose code was refused goes with a new `secondFactorCode`. */
  resendChange: (mutationId: string, action: Action, secondFactorCode?: string | null) =>
    call<Performed>("resend_change", { mutationId, action, secondFactorCode: secondFactorCode ?? null }),
  /** `conflict`: both sides of a conflict. */
  conflict: (mutationId: string) => call<Conflict>("conflict", { mutationId }),
  /** `keep_mine`: settles a conflict by sending this PC's version again. */
  keepMine: (mutationId: string) => call<Performed>("keep_mine", { mutationId }),

  // ── Writes ──────────────────────────────────────────────────────────────────────────
  /** `perform`: every user write (queued in the outbox with its local effect). A signing act
   * carries what was typed in « Code de double authentification » when it asks for one
   * (`asksSecondFactor`); the server checks it when the act arrives. */
  perform: (action: Action, secondFactorCode?: string | null) =>
    call<Performed>("perform", { action, secondFactorCode: secondFactorCode ?? null }),

  // ── Mon compte › Double authentification (issue 17 point 9; needs the network) ──────
  /** `second_factor_start`: a new secret and its QR code, from the server; nothing is on yet. */
  secondFactorStart: () => call<SecondFactorSetup>("second_factor_start"),
  /** `second_factor_confirm`: on, with the application's code; the recovery codes, shown once. */
  secondFactorConfirm: (code: string) => call<SecondFactorEnabled>("second_factor_confirm", { code }),
  /** `second_factor_off`: off, with a code or a recovery code (never the centrale's staff). */
  secondFactorOff: (code: string) => call<null>("second_factor_off", { code }),
  // ── E-mails non remis (the centrale; issue 14, needs the network) ──────────────────────
  /** `failed_mail`: the e-mails the intercommunale gave up sending, newest first. */
  failedMail: () => call<FailedMail[]>("failed_mail"),
  /** `retry_failed_mail`: back in the queue, to `to` when given (a corrected address). */
  retryFailedMail: (id: string, to: string | null) => call<null>("retry_failed_mail", { id, to }),
  /** `new_id`: a UUID v7 for a new record. */
  newId: () => call<string>("new_id"),

  // ── Events ──────────────────────────────────────────────────────────────────────────
  /** `sync-status`: the status changed. */
  onSyncStatus: (handler: (status: SyncStatus) => void) => on<SyncStatus>("sync-status", handler),
  /** `update-progress`: how far the update's download is. */
  onUpdateProgress: (handler: (progress: UpdateProgress) => void) => on<UpdateProgress>("update-progress", handler),
  /** `data-changed`: local data changed (a sync, an action): re-read what is on screen. */
  onDataChanged: (handler: () => void) => on<unknown>("data-changed", () => handler()),
};

/** The type of the facade (tests build mocks of it). */
export type Api = typeof api;
