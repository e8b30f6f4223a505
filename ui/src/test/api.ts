/**
 * The mocked backend for tests. In a test file:
 *
 *   vi.mock("../api");                       // every api function becomes a vi.fn
 *   const backend = mockBackend();           // in beforeEach: sensible answers, event emitters
 *   vi.mocked(api.home).mockResolvedValue(…) // then what this test needs
 *
 * Events: `backend.emitSyncStatus(status)`, `backend.emitDataChanged()`.
 */
import { act } from "@testing-library/react";
import { vi } from "vitest";
import { api } from "../api";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { UpdateProgress } from "../bindings/UpdateProgress";
import { appState, emptyHome, syncStatus } from "./fixtures";

/**
 * What Rust's `brussels_instant` answers (chrono-tz; tested in src-tauri/src/deadline.rs) for
 * the wall times the tests type. A test needing another one adds it here or mocks the call.
 */
export const BRUSSELS_INSTANTS: Record<string, string> = {
  "2027-03-22 09:00": "2027-03-22T08:00:00Z",
  "2027-03-22 10:00": "2027-03-22T09:00:00Z",
  "2027-03-26 12:00": "2027-03-26T11:00:00Z",
  "2027-03-27 12:00": "2027-03-27T11:00:00Z",
  "2027-04-09 12:00": "2027-04-09T10:00:00Z",
  "2027-04-09 14:30": "2027-04-09T12:30:00Z",
  "2027-09-04 09:05": "2027-09-04T07:05:00Z",
  "2027-03-13 12:00": "2027-03-13T11:00:00Z",
  "2027-03-21 12:00": "2027-03-21T11:00:00Z",
  "2028-03-11 12:00": "2028-03-11T11:00:00Z",
};

/** The legal basis of the accompaniment services, as the domain states it (`LEGAL_BASIS_FR`). */
export const ACCOMPANIMENT_LEGAL_BASIS =
  "Prestations de l'intercommunale à ses communes associées, hors marchés publics : relation « in house » (directive 2014/24/UE, art. 12, §3 ; loi du 17 juin 2016, art. 30, §3). Pas de mise en concurrence.";

export function mockBackend() {
  const syncListeners = new Set<(s: SyncStatus) => void>();
  const dataListeners = new Set<() => void>();
  const progressListeners = new Set<(p: UpdateProgress) => void>();
  const m = vi.mocked(api);
  for (const fn of Object.values(m)) fn.mockReset();

  m.setFullscreen.mockResolvedValue(true);
  m.firstScreenShown.mockResolvedValue(undefined);
  m.appState.mockResolvedValue(appState());
  m.switchAccount.mockResolvedValue(appState({ session: null }));
  m.logOut.mockResolvedValue(appState({ session: null }));
  m.syncStatus.mockResolvedValue(syncStatus());
  m.syncNow.mockResolvedValue(syncStatus({ phase: "syncing" }));
  m.home.mockResolvedValue(emptyHome());
  m.waiting.mockResolvedValue({ items: [], notifications_enabled: true });
  m.setNotifications.mockImplementation((enabled: boolean) => Promise.resolve({ items: [], notifications_enabled: enabled }));
  m.mailPreferences.mockResolvedValue({
    account: "u-dg",
    pending: false,
    lines: [
      { kind: "offers_opened", label: "Ouverture des offres", legal: false, choice: "immediate" },
      { kind: "milestone_late", label: "Jalon de déploiement en retard", legal: false, choice: "immediate" },
    ],
  });
  m.outbox.mockResolvedValue([]);
  m.failedMail.mockResolvedValue([]);
  m.retryFailedMail.mockResolvedValue(null);
  m.services.mockResolvedValue([]);
  m.serviceCategories.mockResolvedValue([]);
  m.serviceDetail.mockResolvedValue(null);
  m.adhesion.mockResolvedValue({
    commune_nis: "92094",
    adhesion: null,
    convention: null,
    newer_convention_version: null,
    signer: null,
    substitutions: [],
    may_designate: false,
  });
  m.orders.mockResolvedValue([]);
  m.documentChoices.mockResolvedValue([]);
  m.exportCsv.mockResolvedValue({ path: "/tmp/export.csv", file_name: "export.csv", rows: 0 });
  m.deployments.mockResolvedValue({ rows: [], total: 0, late: 0, matching: 0 });
  m.communes.mockResolvedValue([]);
  m.standings.mockResolvedValue([]);
  m.adhesionOf.mockResolvedValue({
    commune_nis: "92094",
    adhesion: null,
    convention: null,
    newer_convention_version: null,
    signer: null,
    substitutions: [],
    may_designate: false,
  });
  m.providers.mockResolvedValue([]);
  m.overview.mockResolvedValue({
    frameworks: [],
    today: "2027-03-12",
    totals: { orders: 0, awarded: 0, awarded_excl_vat: 0, communes_active: 0, communes_total: 0 },
    communes: [],
    services: [],
    award_time: {
      promise_days: 20,
      awarded: 0,
      median_days: null,
      within_promise: 0,
      within_promise_percent: null,
      over_promise: 0,
      by_month: [],
    },
    adhesions: {
      by_month: [],
      by_status: (["draft", "signed_by_commune", "countersigned", "active", "terminated"] as const).map((status) => ({ status, count: 0 })),
      without_adhesion: 0,
    },
  });
  m.tracking.mockResolvedValue({
    today: "2027-03-12",
    lead_months: 6,
    alert_percent: 80,
    ends: [],
    consumption: [],
    solutions: [],
    communes: [],
  });
  m.frameworkTerms.mockResolvedValue(null);
  // No price list published yet, no accompaniment ordered (issue 16 §2).
  m.accompaniment.mockResolvedValue({ price_list: null, legal_basis: ACCOMPANIMENT_LEGAL_BASIS, orders: [], call_offs: [] });
  // No needs survey published yet (issue 16 §3).
  m.surveys.mockResolvedValue({ surveys: [] });
  m.survey.mockResolvedValue(null);
  // No pooled call-off opened yet (issue 16 §4).
  m.pools.mockResolvedValue({ pools: [] });
  m.pool.mockResolvedValue(null);
  m.discardChange.mockResolvedValue(undefined);
  m.keepMine.mockResolvedValue({ mutation_id: "new" });
  m.resendChange.mockResolvedValue({ mutation_id: "new" });
  m.perform.mockResolvedValue({ mutation_id: "new" });
  m.newId.mockResolvedValue("0190f0aa-0000-7000-8000-0000000000ff");
  m.brusselsInstant.mockImplementation(async (date, time) => {
    const instant = BRUSSELS_INSTANTS[`${date} ${time}`];
    if (instant === undefined) throw new Error(`test/api.ts: no Brussels instant for ${date} ${time}; add what Rust answers`);
    return instant;
  });
  m.onSyncStatus.mockImplementation(async (handler) => {
    syncListeners.add(handler);
    return () => syncListeners.delete(handler);
  });
  // No update published unless a test says so (issue 13 §2).
  m.checkUpdate.mockResolvedValue(null);
  m.onUpdateProgress.mockImplementation(async (handler) => {
    progressListeners.add(handler);
    return () => progressListeners.delete(handler);
  });
  m.onDataChanged.mockImplementation(async (handler) => {
    dataListeners.add(handler);
    return () => dataListeners.delete(handler);
  });

  return {
    emitSyncStatus(status: SyncStatus) {
      act(() => syncListeners.forEach((l) => l(status)));
    },
    emitDataChanged() {
      act(() => dataListeners.forEach((l) => l()));
    },
    emitUpdateProgress(progress: UpdateProgress) {
      act(() => progressListeners.forEach((l) => l(progress)));
    },
  };
}
