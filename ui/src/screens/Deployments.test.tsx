import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import type { CommuneRow } from "../bindings/CommuneRow";
import { appState, centraleState, me } from "../test/fixtures";
import { renderApp } from "../test/render";
import { deploymentPage, deploymentRow, milestone, ORDER_ID } from "../test/screenFixtures";
import { DEPLOYMENTS_SHOWN_AT_ONCE } from "./Deployments";
import type { ReplanRequest } from "../bindings/ReplanRequest";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
});

/** A deployment whose go-live is done: the provisional acceptance may be signed. */
const liveRow = () =>
  deploymentRow({
    milestones: [
      milestone({ id: "m-1", kind: "kickoff", acknowledged_at: "2027-02-02T09:00:00Z", acknowledged_by: "Marie Dupont" }),
      milestone({ id: "m-5", kind: "go_live", planned_date: "2027-03-05", actual_date: "2027-03-08", status: "done" }),
      milestone({ id: "m-6", kind: "provisional_acceptance", planned_date: "2027-03-20", actual_date: null, status: "planned" }),
    ],
    progress: { done: 2, total: 3, late: 0 },
    next_action: { code: "accept_provisionally", by: "commune", due_at: null, due_on: "2027-03-20" },
  });

describe("Deployments", () => {
  it("with nothing deployed, says what happens next", async () => {
    renderApp("/deploiement");
    const empty = await screen.findByTestId("deployment-empty");
    expect(empty).toHaveTextContent("Aucun déploiement en cours.");
    expect(within(empty).getByRole("link", { name: "Voir les commandes" })).toHaveAttribute("href", "#/commandes");
  });

  it("shows each milestone on the timeline, planned vs actual; a late one says « En retard »", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([deploymentRow()]));
    renderApp("/deploiement");
    const deployment = await screen.findByTestId("deployment");
    expect(deployment).toHaveAttribute("data-order-id", ORDER_ID);
    expect(within(deployment).getByRole("link", { name: "E-guichet pour l'état civil" })).toHaveAttribute(
      "href",
      `#/commandes/${ORDER_ID}`,
    );
    expect(deployment).toHaveTextContent("Prestataire : Civitas Digital SA");
    expect(within(deployment).getByTestId("deployment-progress")).toHaveTextContent("1 étape terminée sur 3");
    expect(within(deployment).getByTestId("deployment-late")).toHaveTextContent("1 étape en retard");

    const [kickoff, configuration, goLive] = within(deployment).getAllByTestId("milestone");
    expect(kickoff).toHaveAttribute("data-status", "done");
    expect(kickoff).toHaveAttribute("data-late", "false");
    expect(kickoff).toHaveTextContent("Réunion de lancement");
    expect(kickoff).toHaveTextContent("Réalisé");
    expect(within(kickoff!).getByTestId("milestone-actual")).toHaveTextContent("01/02/2027");

    expect(configuration).toHaveAttribute("data-milestone-id", "m-2");
    expect(configuration).toHaveAttribute("data-late", "true");
    expect(configuration).toHaveAttribute("data-status", "late");
    expect(within(configuration!).getByTestId("milestone-status")).toHaveTextContent("En retard");
    expect(within(configuration!).getByTestId("milestone-late")).toHaveTextContent("En retard de 11 jours");
    expect(within(configuration!).getByTestId("milestone-planned")).toHaveTextContent("01/03/2027");
    expect(within(configuration!).getByTestId("milestone-actual")).toHaveTextContent("pas encore");

    expect(goLive).toHaveAttribute("data-status", "planned");
    expect(goLive).toHaveTextContent("Prévu");
    // Nothing to acknowledge on a step not done.
    expect(within(goLive!).queryByTestId("milestone-acknowledge")).not.toBeInTheDocument();
    // Acceptance only after the go-live.
    expect(deployment).toHaveTextContent("La réception provisoire pourra être signée après la mise en production.");
    expect(within(deployment).queryByTestId("accept-provisional")).not.toBeInTheDocument();
  });

  it("« Accuser réception » on a step the provider reported done calls acknowledge_milestone with its id", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([deploymentRow()]));
    const { user } = renderApp("/deploiement");
    const [kickoff] = await screen.findAllByTestId("milestone");
    const button = within(kickoff!).getByTestId("milestone-acknowledge");
    expect(button).toHaveAccessibleName("Accuser réception : Réunion de lancement");
    await user.click(button);
    expect(api.perform).toHaveBeenCalledWith({ kind: "acknowledge_milestone", input: { milestone_id: "m-1" } });
  });

  /** Issue 17 point 5: a late configuration whose provider asked to move it. */
  const replanRow = (decision: ReplanRequest["decision"] = null) =>
    deploymentRow({
      milestones: [
        milestone({
          id: "m-2",
          kind: "configuration",
          planned_date: "2027-03-01",
          actual_date: null,
          status: "late",
          late: true,
          replans: [
            {
              id: "r-1",
              from_date: "2027-03-01",
              requested_date: "2027-03-20",
              reason: "Migration retardée par l'ancien fournisseur",
              requested_by: "Civitas Digital SA",
              requested_at: "2027-03-05T09:00:00Z",
              decision,
            },
          ],
        }),
        milestone({ id: "m-5", kind: "go_live", planned_date: "2027-04-15", actual_date: null, status: "planned", lead_time_days: 60 }),
      ],
    });

  it("rule 16: the go-live says it follows the offered lead time", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([replanRow()]));
    renderApp("/deploiement");
    const goLive = (await screen.findAllByTestId("milestone"))[1]!;
    expect(within(goLive).getByTestId("milestone-lead-time")).toHaveTextContent("(selon le délai offert : 60 jours)");
  });

  it("issue 17: a waiting re-plan is shown on the step, still late; the commune accepts it", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([replanRow()]));
    const { user } = renderApp("/deploiement");
    const [configuration] = await screen.findAllByTestId("milestone");
    expect(configuration).toHaveAttribute("data-late", "true");
    expect(within(configuration!).getByTestId("replan")).toHaveAttribute("data-state", "pending");
    expect(within(configuration!).getByTestId("replan")).toHaveTextContent(
      "Demande de Civitas Digital SA le 05/03/2027 à 10:00 : du 01/03/2027 au 20/03/2027, motif « Migration retardée par l'ancien fournisseur » — en attente de la décision de la commune.",
    );
    expect(within(configuration!).queryByTestId("milestone-baseline")).not.toBeInTheDocument();
    await user.click(within(configuration!).getByTestId("replan-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "decide_replan",
      input: { milestone_id: "m-2", request_id: "r-1", accepted: true, reason: "" },
    });
  });

  it("issue 17: refusing a re-plan asks its reason first", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([replanRow()]));
    const { user } = renderApp("/deploiement");
    const [configuration] = await screen.findAllByTestId("milestone");
    await user.click(within(configuration!).getByTestId("replan-refuse"));
    await user.click(within(configuration!).getByTestId("replan-refuse-confirm"));
    // The limits are the domain's (LIMITS.REPLAN_REASON_MIN_CHARS and _MAX_CHARS), in French.
    expect(await within(configuration!).findByTestId("error-summary")).toHaveTextContent(
      /Indiquez le motif du refus \(5 à 2.000 caractères\)\./,
    );
    expect(api.perform).not.toHaveBeenCalled();
    await user.type(within(configuration!).getByTestId("replan-reason"), "Le délai offert engage le prestataire");
    await user.click(within(configuration!).getByTestId("replan-refuse-confirm"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "decide_replan",
      input: { milestone_id: "m-2", request_id: "r-1", accepted: false, reason: "Le délai offert engage le prestataire" },
    });
  });

  it("issue 17: an accepted re-plan shows the date planned at the start beside the new one; no more buttons", async () => {
    const row = replanRow({ accepted: true, reason: "", by: "Marie Dupont", at: "2027-03-06T09:00:00Z" });
    row.milestones[0] = { ...row.milestones[0]!, planned_date: "2027-03-20", baseline_date: "2027-03-01", status: "planned", late: false };
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([row]));
    renderApp("/deploiement");
    const [configuration] = await screen.findAllByTestId("milestone");
    expect(within(configuration!).getByTestId("milestone-planned")).toHaveTextContent("20/03/2027");
    expect(within(configuration!).getByTestId("milestone-baseline")).toHaveTextContent("01/03/2027");
    expect(within(configuration!).getByTestId("replan")).toHaveTextContent("acceptée par Marie Dupont le 06/03/2027 à 10:00.");
    expect(within(configuration!).queryByTestId("replan-accept")).not.toBeInTheDocument();
  });

  it("an acknowledged step says who acknowledged it, and has no button", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow()]));
    renderApp("/deploiement");
    const [kickoff] = await screen.findAllByTestId("milestone");
    expect(within(kickoff!).getByTestId("milestone-acknowledged")).toHaveTextContent(
      "Réception accusée par Marie Dupont le 02/02/2027 à 10:00",
    );
    expect(within(kickoff!).queryByTestId("milestone-acknowledge")).not.toBeInTheDocument();
  });

  it("a refused acknowledgement is said in words on the step", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([deploymentRow()]));
    vi.mocked(api.perform).mockRejectedValue({ code: "not_allowed", message: "Vous avez déjà pris acte de ce jalon.", params: {} });
    const { user } = renderApp("/deploiement");
    const [kickoff] = await screen.findAllByTestId("milestone");
    await user.click(within(kickoff!).getByTestId("milestone-acknowledge"));
    expect(await within(kickoff!).findByTestId("error-panel")).toHaveTextContent("Vous avez déjà pris acte de ce jalon.");
  });

  it("the provisional acceptance: date and remarks, confirmation showing what is signed, then a receipt", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow()]));
    const { user } = renderApp("/deploiement");
    const deployment = await screen.findByTestId("deployment");
    const date = within(deployment).getByTestId("acceptance-date");
    expect(date).toHaveValue("12/03/2027");
    await user.clear(date);
    await user.type(date, "10/03/2027");
    await user.type(within(deployment).getByTestId("acceptance-remarks"), "Le module de paiement reste à corriger.");
    await user.click(within(deployment).getByTestId("accept-provisional"));

    const dialog = await screen.findByRole("dialog", { name: "Signer la réception provisoire ?" });
    expect(dialog).toHaveTextContent("E-guichet pour l'état civil");
    expect(dialog).toHaveTextContent("Civitas Digital SA");
    expect(within(dialog).getByTestId("acceptance-summary-date")).toHaveTextContent("10/03/2027");
    expect(dialog).toHaveTextContent("Le module de paiement reste à corriger.");
    expect(dialog).toHaveTextContent("Marie Dupont, directeur général");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "accept_provisional",
      input: { order_id: ORDER_ID, date: "2027-03-10", remarks: "Le module de paiement reste à corriger." },
    });
    const receipt = await screen.findByTestId("acceptance-receipt");
    expect(receipt).toHaveTextContent("Réception provisoire signée");
    expect(receipt).toHaveTextContent("Réception provisoire de « E-guichet pour l'état civil » du 10/03/2027");
    expect(receipt).toHaveTextContent("Marie Dupont, directeur général");
  });

  it("with a second factor, the acceptance is signed with the code (issue 17 point 9)", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ second_factor: true }) }));
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow()]));
    const { user } = renderApp("/deploiement");
    const deployment = await screen.findByTestId("deployment");
    await user.click(within(deployment).getByTestId("accept-provisional"));
    const dialog = await screen.findByRole("dialog", { name: "Signer la réception provisoire ?" });
    const field = within(dialog).getByRole("textbox", { name: "Code de double authentification" });
    vi.mocked(api.perform).mockRejectedValueOnce({ code: "second_factor_required", message: "Code", params: { field: "second_factor" } });
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByTestId("second-factor-error")).toHaveTextContent("Cet acte se signe avec le code à six chiffres");
    await user.type(field, "123456");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenLastCalledWith(
      { kind: "accept_provisional", input: { order_id: ORDER_ID, date: "2027-03-12", remarks: "" } },
      "123456",
    );
    expect(await screen.findByTestId("acceptance-receipt")).toHaveTextContent("Réception provisoire signée");
  });

  it("refuses an acceptance date in the future, with the error summary, keeping the remarks", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow()]));
    const { user } = renderApp("/deploiement");
    const date = await screen.findByTestId("acceptance-date");
    await user.clear(date);
    await user.type(date, "01/04/2027");
    await user.type(screen.getByTestId("acceptance-remarks"), "RAS");
    await user.click(screen.getByTestId("accept-provisional"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La date de réception ne peut pas être dans le futur");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("acceptance-remarks")).toHaveValue("RAS");
  });

  it("the final acceptance follows the provisional one and cannot precede it", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([
      deploymentRow({
        status: "provisionally_accepted",
        milestones: [
          milestone({ id: "m-5", kind: "go_live", planned_date: "2027-01-05", actual_date: "2027-01-05" }),
          milestone({ id: "m-6", kind: "provisional_acceptance", planned_date: "2027-02-01", actual_date: "2027-02-10" }),
          milestone({ id: "m-7", kind: "final_acceptance", planned_date: "2027-03-10", actual_date: null, status: "late", late: true }),
        ],
        progress: { done: 2, total: 3, late: 1 },
        next_action: { code: "accept_finally", by: "commune", due_at: null, due_on: "2027-03-10" },
      }),
    ]));
    const { user } = renderApp("/deploiement");
    const date = await screen.findByTestId("acceptance-date");
    expect(screen.queryByTestId("accept-provisional")).not.toBeInTheDocument();
    await user.clear(date);
    await user.type(date, "01/02/2027");
    await user.click(screen.getByTestId("accept-final"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(
      "La réception définitive ne peut pas précéder la réception provisoire (le 10/02/2027).",
    );
    await user.clear(date);
    await user.type(date, "11/03/2027");
    await user.click(screen.getByTestId("accept-final"));
    await user.click(await screen.findByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "accept_final",
      input: { order_id: ORDER_ID, date: "2027-03-11", remarks: "" },
    });
    expect(await screen.findByTestId("acceptance-receipt")).toHaveTextContent("Réception définitive signée");
  });

  it("a staff account sees who signs the acceptance, without the form", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff" }) }));
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow()]));
    renderApp("/deploiement");
    expect(await screen.findByTestId("acceptance-provisional")).toHaveTextContent(
      "Cette réception est signée par le bourgmestre ou le directeur général",
    );
    expect(screen.queryByTestId("accept-provisional")).not.toBeInTheDocument();
    expect(screen.queryByTestId("acceptance-date")).not.toBeInTheDocument();
  });

  it("a bourgmestre f.f. signs the acceptance on a covered day, named as such (CDLD L1123-5)", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Jean Dupont", gender: "male" }) }));
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([
      { ...liveRow(), signer: { role: "mayor", capacity: "mayor_acting", title: "échevin, bourgmestre f.f.", signs: ["adhesion", "termination", "withdrawal", "set_aside", "award", "acceptance"] } },
    ]));
    const { user } = renderApp("/deploiement");
    await user.click(await screen.findByTestId("accept-provisional"));
    expect(await screen.findByRole("dialog")).toHaveTextContent("Jean Dupont, échevin, bourgmestre f.f.");
  });

  it("marks what waits to be sent", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([
      deploymentRow({
        pending: true,
        milestones: [milestone({ pending: true, acknowledged_at: "2027-03-12T10:00:00Z", acknowledged_by: "Marie Dupont" })],
        progress: { done: 1, total: 1, late: 0 },
      }),
    ]));
    renderApp("/deploiement");
    expect(await screen.findByTestId("deployment-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
    expect(screen.getByTestId("milestone-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
  });
});

describe("Deployments — the centrale, across communes", () => {
  const commune = (nis: string, name: string): CommuneRow => ({ ...appState().commune!, nis_code: nis, name_fr: name, name_nl: name });
  const planned = (id: string, date: string, late = false) =>
    milestone({ id, kind: "configuration", planned_date: date, actual_date: null, status: late ? "late" : "planned", late });

  // In the backend's order (the most worrying first: `deployment_page`, tested on the Rust side).
  const rows = () => [
    deploymentRow({
      order_id: "two-late",
      title: "Zones bleues",
      commune_nis: "84009",
      milestones: [planned("d-1", "2027-03-05", true), planned("d-2", "2027-03-08", true)],
      progress: { done: 0, total: 2, late: 2 },
    }),
    deploymentRow({
      order_id: "one-late-earlier",
      title: "E-guichet",
      commune_nis: "84009",
      milestones: [planned("e-1", "2027-02-15", true)],
      progress: { done: 0, total: 1, late: 1 },
    }),
    deploymentRow({
      order_id: "one-late",
      title: "Capteurs de parking",
      commune_nis: "92094",
      milestones: [planned("b-1", "2027-03-01", true), planned("b-2", "2027-06-01")],
      progress: { done: 0, total: 2, late: 1 },
    }),
    deploymentRow({
      order_id: "on-time-soon",
      title: "Éclairage",
      commune_nis: "81001",
      milestones: [planned("c-1", "2027-03-20")],
      progress: { done: 0, total: 1, late: 0 },
    }),
    deploymentRow({
      order_id: "on-time-later",
      title: "Wi-Fi public",
      commune_nis: "84009",
      milestones: [planned("a-1", "2027-05-01")],
      progress: { done: 0, total: 1, late: 0 },
    }),
  ];

  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([commune("92094", "Namur"), commune("84009", "Bertrix")]);
    vi.mocked(api.deployments).mockImplementation(async (query) => deploymentPage(rows(), query));
  });

  const ids = () => screen.getAllByTestId("deployment").map((d) => d.getAttribute("data-order-id"));

  it("every commune's deployments in the backend's order, each with its commune", async () => {
    renderApp("/deploiement");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Déploiements en cours — toutes les communes");
    await screen.findAllByTestId("deployment");
    expect(ids()).toEqual(["two-late", "one-late-earlier", "one-late", "on-time-soon", "on-time-later"]);
    await waitFor(() =>
      expect(screen.getAllByTestId("deployment-commune").map((c) => c.textContent)).toEqual([
        "Commune : Bertrix",
        "Commune : Bertrix",
        "Commune : Namur",
        "Commune : Commune 81001 (pas encore sur ce PC)",
        "Commune : Bertrix",
      ]),
    );
    expect(screen.getByTestId("deployments-late-summary")).toHaveTextContent("3 déploiements en retard sur 5.");
  });

  it("« Seulement les retards » asks the backend for the late ones", async () => {
    const { user } = renderApp("/deploiement");
    await screen.findAllByTestId("deployment");
    expect(api.deployments).toHaveBeenLastCalledWith({ late_only: false, shown: DEPLOYMENTS_SHOWN_AT_ONCE });
    const lateOnly = screen.getByTestId("deployments-late-only");
    expect(lateOnly).not.toBeChecked();
    await user.click(screen.getByLabelText("Seulement les retards"));
    expect(lateOnly).toBeChecked();
    await waitFor(() => expect(ids()).toEqual(["two-late", "one-late-earlier", "one-late"]));
    expect(api.deployments).toHaveBeenLastCalledWith({ late_only: true, shown: DEPLOYMENTS_SHOWN_AT_ONCE });
    await user.click(lateOnly);
    await waitFor(() => expect(ids()).toHaveLength(5));
  });

  it("draws the first ones, then « Afficher … de plus » asks for the next, keeping those drawn", async () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      deploymentRow({ order_id: `d-${i}`, title: `Déploiement ${i + 1}`, commune_nis: "84009" }),
    );
    vi.mocked(api.deployments).mockImplementation(async (query) => deploymentPage(many, query));
    const { user } = renderApp("/deploiement");
    await waitFor(() => expect(ids()).toHaveLength(20));
    expect(screen.getByTestId("deployment-today")).toHaveTextContent("45 déploiements en cours");
    const more = screen.getByTestId("deployments-more");
    expect(more).toHaveTextContent("Afficher 20 déploiements de plus (sur 25 pas encore affichés)");
    await user.click(more);
    await waitFor(() => expect(ids()).toHaveLength(40));
    expect(ids().slice(0, 3)).toEqual(["d-0", "d-1", "d-2"]);
    expect(api.deployments).toHaveBeenLastCalledWith({ late_only: false, shown: 40 });
    expect(screen.getByTestId("deployments-more")).toHaveTextContent("Afficher 5 déploiements de plus (sur 5 pas encore affichés)");
    await user.click(screen.getByTestId("deployments-more"));
    await waitFor(() => expect(ids()).toHaveLength(45));
    expect(screen.queryByTestId("deployments-more")).not.toBeInTheDocument();
  });

  it("with nothing late, the filter says so", async () => {
    vi.mocked(api.deployments).mockImplementation(async (query) => deploymentPage([rows()[4]!], query));
    const { user } = renderApp("/deploiement");
    await screen.findAllByTestId("deployment");
    await user.click(screen.getByTestId("deployments-late-only"));
    expect(screen.getByTestId("deployments-late-empty")).toHaveTextContent("Aucun déploiement en retard.");
    expect(screen.queryByTestId("deployment")).not.toBeInTheDocument();
  });

  it("acknowledging and accepting are the commune's acts: no button for the centrale", async () => {
    vi.mocked(api.deployments).mockResolvedValue(deploymentPage([liveRow(), deploymentRow({ order_id: "reported" })]));
    renderApp("/deploiement");
    await screen.findAllByTestId("deployment");
    expect(screen.getAllByTestId("milestone").length).toBeGreaterThan(0);
    expect(screen.queryByTestId("milestone-acknowledge")).not.toBeInTheDocument();
    expect(screen.queryByTestId("accept-provisional")).not.toBeInTheDocument();
    expect(screen.queryByTestId("acceptance-provisional")).not.toBeInTheDocument();
    expect(screen.queryByTestId("replan-accept")).not.toBeInTheDocument();
    expect(screen.queryByTestId("acceptance-date")).not.toBeInTheDocument();
  });

  it("a commune account keeps its title, without commune names nor the late filter", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/deploiement");
    await screen.findAllByTestId("deployment");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Suivi des déploiements");
    expect(screen.queryByTestId("deployment-commune")).not.toBeInTheDocument();
    expect(screen.queryByTestId("deployments-late-only")).not.toBeInTheDocument();
    expect(api.communes).not.toHaveBeenCalled();
  });
});
