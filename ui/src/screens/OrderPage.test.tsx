import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { LIMITS } from "../bindings/rules";
import type { CommuneRow } from "../bindings/CommuneRow";
import { appState, centraleState, me, outboxEntry, syncStatus } from "../test/fixtures";
import {
  adhesionScreen,
  adhesionView,
  competitionDetail,
  decisionsView,
  evaluatedDetail,
  OFFER_A,
  OFFER_B,
  openedDetail,
  ORDER_ID,
  orderDetail,
  PROVIDER_A,
  PROVIDER_B,
  serviceDetail,
  terms,
} from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(orderDetail());
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

type User = ReturnType<typeof renderApp>["user"];

/** The conseil's decision launching the order, and its budget article, typed in. */
async function fillLaunchDecision(user: User) {
  await user.type(screen.getByTestId("submit-decision-reference"), "CC/2027/012");
  await user.type(screen.getByTestId("submit-decision-date"), "01/03/2027");
  await user.type(screen.getByTestId("submit-budget-article"), "104/123-13");
}


describe("Order page — the history tells the extensions and the relaunches (issue 11 rule 15)", () => {
  it("lists an empty round, the launch with its first deadline and each extension with its reason", async () => {
    const d = competitionDetail();
    const running = d.order.competition!;
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      order: {
        ...d.order,
        earlier_competitions: [{ ...running, launched_at: "2027-02-01T09:00:00Z", deadline: "2027-02-12T11:00:00Z", extensions: [] }],
        competition: {
          ...running,
          deadline: "2027-03-21T11:00:00Z",
          extensions: [
            { previous: "2027-03-14T11:00:00Z", deadline: "2027-03-21T11:00:00Z", reason: "Réponse à une question.", at: "2027-03-10T09:00:00Z", by: "Luc Martin" },
          ],
        },
      },
    });
    renderApp(`/commandes/${ORDER_ID}`);
    const history = await screen.findByTestId("order-history");
    expect(history).toHaveTextContent("Remise en concurrence sans offre : 2 prestataires invités, date limite le 12/02/2027 à 12:00");
    expect(history).toHaveTextContent("Remise en concurrence lancée : 2 prestataires invités, date limite le 14/03/2027 à 12:00");
    expect(history).toHaveTextContent("Date limite prolongée pour tous les prestataires invités, jusqu'au 21/03/2027 à 12:00 (heure de Bruxelles). Motif : Réponse à une question.");
  });
});

describe("Order page — a draft", () => {
  it("shows the status, the next action and the needs, with the order's title as heading", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("E-guichet état civil 2027");
    expect(screen.getByTestId("order-status")).toHaveTextContent("Brouillon — pas encore envoyé à la centrale");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Envoyer la demande à la centrale");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Qui : Votre commune");
    const needs = screen.getByTestId("order-needs");
    expect(needs).toHaveTextContent("2 × Licence e-guichet (par an)");
    expect(within(needs).getByTestId("order-needs-budget")).toHaveTextContent("12 500,00 € TVAC");
    expect(within(needs).getByTestId("order-needs-total")).toHaveTextContent("7 000,00 € HTVA · 8 470,00 € TVAC");
    expect(screen.getByTestId("order-history")).toHaveTextContent("Brouillon créé par Marie Dupont");
  });

  it("rule 17: an order of the commune's own says nothing of a merger", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("page-title");
    expect(screen.queryByTestId("order-formerly")).not.toBeInTheDocument();
  });

  it("rule 17: a merged commune's order says it was taken over, with its history kept", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(orderDetail({ formerly: { from_nis: "82005", from_name: "Bertogne", on: "2025-01-01" } }));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-formerly")).toHaveTextContent(
      "Commande reprise de Bertogne (82005) par fusion de communes au 01/01/2025 : son historique est conservé.",
    );
  });

  it("« Envoyer la demande » is blocked, with the reason and a link to the adhesion, until the adhesion is active", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen(adhesionView({ status: "signed_by_commune", allows_orders: false, next_step: "countersign" })),
    );
    renderApp(`/commandes/${ORDER_ID}`);
    const reason = await screen.findByTestId("order-blocked-reason");
    expect(reason).toHaveTextContent(
      "Votre commune ne peut pas encore commander : la convention d'adhésion n'est pas active (état : Signée par la commune, en attente de la contresignature de la centrale).",
    );
    expect(reason).toHaveTextContent("La centrale doit encore contresigner la convention.");
    const submit = screen.getByTestId("order-submit");
    expect(submit).toBeDisabled();
    expect(submit).toHaveAccessibleDescription(/la convention d'adhésion n'est pas active/);
    expect(screen.getByTestId("order-blocked-adhesion")).toHaveAttribute("href", "#/adhesion");
  });

  it("with no adhesion at all, says so", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen(null));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-blocked-reason")).toHaveTextContent("aucune convention signée");
    expect(screen.getByTestId("order-submit")).toBeDisabled();
  });

  it("when the adhesion is active, asks for the conseil's decision and the budget article first", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
    await user.click(submit);
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez la référence de la décision");
    expect(summary).toHaveTextContent("Indiquez la date de la séance");
    expect(summary).toHaveTextContent("Indiquez l'article budgétaire");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // The conseil, or the collège by its delegation (CDLD L1222-3): never the collège alone.
    const organs = within(screen.getByTestId("submit-decision-organ")).getAllByRole("option").map((o) => o.textContent);
    expect(organs).toEqual(["Conseil communal", "Collège communal, par délégation du conseil"]);
    // The estimate is under 22 000 € TVAC: no financial opinion asked.
    expect(screen.queryByTestId("submit-decision-opinion")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("above 22 000 € TVAC (the domain says so), asks for the directeur financier's opinion", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(orderDetail({ decisions: decisionsView({ launch_opinion_required: true }) }));
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
    await fillLaunchDecision(user);
    await user.click(submit);
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence de l'avis du directeur financier.");
    await user.type(screen.getByTestId("submit-decision-opinion-reference"), "DF/2027/031");
    await user.type(screen.getByTestId("submit-decision-opinion-date"), "28/02/2027");
    await user.selectOptions(screen.getByTestId("submit-decision-opinion-kind"), "reserved");
    await user.click(submit);
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "submit_order",
      input: {
        order_id: ORDER_ID,
        budget_article: "104/123-13",
        decision: {
          organ: { kind: "conseil" },
          reference: "CC/2027/012",
          date: "2027-03-01",
          financial_opinion: { reference: "DF/2027/031", date: "2027-02-28", kind: "reserved" },
        },
      },
    });
  });

  it("when the adhesion is active, asks confirmation showing what is sent, then sends and gives a receipt", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
    expect(screen.queryByTestId("order-blocked-reason")).not.toBeInTheDocument();
    await fillLaunchDecision(user);
    await user.click(submit);

    const dialog = screen.getByRole("dialog", { name: "Envoyer la demande « E-guichet état civil 2027 » à la centrale ?" });
    expect(dialog).toHaveTextContent("Voici exactement ce qui sera envoyé");
    expect(dialog).toHaveTextContent("2 × Licence e-guichet (par an)");
    expect(dialog).toHaveTextContent("12 500,00 € TVAC");
    expect(api.perform).not.toHaveBeenCalled();

    expect(within(dialog).getByTestId("submit-decision-summary")).toHaveTextContent(
      "Conseil communal : décision CC/2027/012 du 01/03/2027. Article budgétaire : 104/123-13.",
    );
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "submit_order",
      input: {
        order_id: ORDER_ID,
        budget_article: "104/123-13",
        decision: { organ: { kind: "conseil" }, reference: "CC/2027/012", date: "2027-03-01", financial_opinion: null },
      },
    });
    const receipt = await screen.findByTestId("order-receipt");
    expect(receipt).toHaveTextContent("Demande « E-guichet état civil 2027 » envoyée à la centrale d'achat");
    expect(receipt).toHaveTextContent("Marie Dupont, directeur général");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("cancelling the confirmation sends nothing", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
    await fillLaunchDecision(user);
    await user.click(submit);
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });
});

describe("Order page — sent and in competition", () => {
  it("after submit: « Demande envoyée — en attente de la remise en concurrence », and it can be cancelled with a reason", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(
      orderDetail({ next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null } }, { status: "submitted", submitted_at: "2027-03-01T12:00:00Z" }),
    );
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-status")).toHaveTextContent("Demande envoyée — en attente de la remise en concurrence");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Qui : La centrale d'achat");
    expect(screen.queryByTestId("order-submit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("order-cancel"));
    const dialog = screen.getByRole("dialog", { name: "Annuler la demande « E-guichet état civil 2027 » ?" });
    // Too short a reason: said next to the field, nothing sent, the dialog stays.
    await user.type(within(dialog).getByTestId("close-reason"), "Non");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByText("Indiquez le motif en une phrase (5 à 2 000 caractères).")).toBeInTheDocument();
    expect(within(dialog).getByTestId("close-reason")).toHaveValue("Non");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(within(dialog).getByTestId("close-reason"));
    await user.type(within(dialog).getByTestId("close-reason"), "Le besoin est couvert par un autre marché.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "cancel_order",
      input: { order_id: ORDER_ID, reason: "Le besoin est couvert par un autre marché." },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Motif : Le besoin est couvert par un autre marché.");
  });

  it("shows the invitations and the sealed deadline in Brussels time; withdrawing is for the signatories", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(competitionDetail());
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-status")).toHaveTextContent(
      "Remise en concurrence — offres scellées jusqu'au 14/03/2027 à 12:00 (heure de Bruxelles)",
    );
    const rows = screen.getAllByTestId("invitation-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Atelier Numérique SA");
    expect(rows[0]).toHaveTextContent("Invité — une offre éventuelle reste scellée jusqu'à la date limite");
    expect(screen.getByTestId("order-deadline")).toHaveTextContent("Offres scellées jusqu'au 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.getByTestId("order-next-due")).toHaveTextContent("Avant le 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.queryByTestId("order-cancel")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("order-withdraw"));
    const dialog = screen.getByRole("dialog", { name: "Retirer la commande « E-guichet état civil 2027 » ?" });
    await user.type(within(dialog).getByTestId("close-decision-reference"), "COL/2027/118");
    await user.type(within(dialog).getByTestId("close-decision-date"), "10/03/2027");
    await user.type(within(dialog).getByTestId("close-reason"), "Budget supprimé par le conseil communal.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "withdraw_order",
      input: {
        order_id: ORDER_ID,
        reason: "Budget supprimé par le conseil communal.",
        college_decision: { organ: { kind: "college" }, reference: "COL/2027/118", date: "2027-03-10", financial_opinion: null },
      },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent(
      "Commande « E-guichet état civil 2027 » retirée par la décision du collège COL/2027/118 du 10/03/2027. Motivation : Budget supprimé par le conseil communal.",
    );
  });

  it("a commune agent may not withdraw: the page says who can", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Paul Agent" }) }));
    vi.mocked(api.orderDetail).mockResolvedValue(competitionDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-withdraw-blocked")).toHaveTextContent("Seuls le bourgmestre ou le directeur général");
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
  });

  it("an agent the commune designated directeur général f.f. withdraws on a covered day (CDLD L1123-5)", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Sophie Renard", gender: "female" }) }));
    vi.mocked(api.orderDetail).mockResolvedValue(
      { ...competitionDetail(), signer: { role: "director_general", capacity: "director_general_acting", title: "directrice générale f.f.", signs: ["adhesion", "termination", "withdrawal", "set_aside", "award", "acceptance"] } },
    );
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-withdraw")).toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw-blocked")).not.toBeInTheDocument();
  });

  it("an échevin délégué for the award only is not offered the withdrawal (CDLD L1132-4)", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Julien Mathieu", gender: "male" }) }));
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...competitionDetail(),
      signer: { role: "mayor", capacity: "delegated_alderman", title: "échevin délégué", signs: ["award"] },
    });
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("order-status");
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
  });
});

describe("Order page — the award", () => {
  beforeEach(() => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
  });

  it("checks the collège decision and the justification first", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const award = (await screen.findAllByTestId("award-offer")).find((b) => b.getAttribute("data-offer-id") === OFFER_A)!;
    await user.type(screen.getByTestId("award-college-date"), "1/4/2027");
    await user.type(screen.getByTestId("award-justification"), "Trop court");
    await user.click(award);
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez la référence de la décision");
    expect(summary).toHaveTextContent("La date ne peut pas être dans le futur");
    expect(summary).toHaveTextContent(`Motivez la décision d'attribution (au moins ${LIMITS.AWARD_JUSTIFICATION_MIN_CHARS} caractères)`);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    // The domain's maximum, too (LIMITS, generated from centrale_domain::limits).
    fireEvent.change(screen.getByTestId("award-justification"), { target: { value: "x".repeat(LIMITS.AWARD_JUSTIFICATION_MAX_CHARS + 1) } });
    await user.click(award);
    await waitFor(() => expect(screen.getByTestId("error-summary")).toHaveTextContent("La motivation est limitée à 10 000 caractères"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("a perfect tie ranks both offers first: either may be awarded after the drawing of lots, and the page says so", async () => {
    const detail = evaluatedDetail();
    const ev = detail.evaluation!;
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...detail,
      evaluation: { ...ev, outcome: "tie", ranking: ev.ranking.map((r) => ({ ...r, rank: 1 })) },
    });
    renderApp(`/commandes/${ORDER_ID}`);
    const buttons = await screen.findAllByTestId("award-offer");
    expect(buttons).toHaveLength(2);
    for (const button of buttons) expect(button).toBeEnabled();
    expect(screen.getByText(/classées premières ex æquo/)).toBeInTheDocument();
    expect(screen.getByText(/tirage au sort en séance du collège/)).toBeInTheDocument();
  });

  it("« Attribuer à » asks confirmation with a summary, then sends offer, justification and collège decision, then a receipt", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const buttons = await screen.findAllByTestId("award-offer");
    expect(buttons).toHaveLength(2);
    const toA = buttons.find((b) => b.getAttribute("data-offer-id") === OFFER_A)!;
    const toB = buttons.find((b) => b.getAttribute("data-offer-id") === OFFER_B)!;
    expect(toA).toHaveTextContent("Attribuer à Atelier Numérique SA");
    // The award follows the ranking: the second cannot be chosen, and the page says why.
    expect(toB).toBeDisabled();
    expect(toB).toHaveAccessibleDescription("Classée 2e : l'attribution doit suivre le classement.");

    await user.type(screen.getByTestId("award-college-reference"), "COL/2027/045");
    // Day first on a PC set to English: 10 March, not 3 October.
    await user.type(screen.getByTestId("award-college-date"), "10/03/2027");
    await user.type(screen.getByTestId("award-justification"), "Offre classée première : meilleur prix et qualité solide.");
    await user.click(toA);

    const dialog = screen.getByRole("dialog", { name: "Attribuer la commande à Atelier Numérique SA ?" });
    const summary = within(dialog).getByTestId("award-summary");
    expect(summary).toHaveTextContent("Atelier Numérique SA est classée 1re, avec 90,00 points sur 100.");
    expect(summary).toHaveTextContent("6 000,00 € HTVA · 7 260,00 € TVAC");
    expect(summary).toHaveTextContent("Collège communal : décision COL/2027/045 du 10/03/2027.");
    expect(summary).toHaveTextContent("Offre classée première : meilleur prix et qualité solide.");
    expect(dialog).toHaveTextContent("Cet acte engage la commune");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "award_order",
      input: {
        order_id: ORDER_ID,
        offer_id: OFFER_A,
        justification: "Offre classée première : meilleur prix et qualité solide.",
        college_decision: { organ: { kind: "college" as const }, reference: "COL/2027/045", date: "2027-03-10", financial_opinion: null },
      },
    });
    const receipt = await screen.findByTestId("order-receipt");
    expect(receipt).toHaveTextContent("Attribution enregistrée");
    expect(receipt).toHaveTextContent(
      "Commande « E-guichet état civil 2027 » attribuée à Atelier Numérique SA pour 6 000,00 € HTVA (7 260,00 € TVAC) — décision du collège COL/2027/045 du 10/03/2027.",
    );
    expect(receipt).toHaveTextContent("Marie Dupont, directeur général");
  });

  it("a refusal naming a field puts the message next to it and keeps what was typed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "invalid_input",
      message: "Indiquez la référence de la décision du collège (exemple : COL/2026/123).",
      params: { field: "college_decision.reference" },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const toA = (await screen.findAllByTestId("award-offer"))[0]!;
    await user.type(screen.getByTestId("award-college-reference"), "COL/2027/045");
    fireEvent.change(screen.getByTestId("award-college-date"), { target: { value: "10/03/2027" } });
    await user.type(screen.getByTestId("award-justification"), "Offre classée première : meilleur prix.");
    await user.click(toA);
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence de la décision du collège");
    expect(screen.getByTestId("award-college-reference")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("award-justification")).toHaveValue("Offre classée première : meilleur prix.");
  });

  it("a signatory sets an irregular offer aside with a motivation the provider reads", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const buttons = await screen.findAllByTestId("set-aside-open");
    expect(buttons[0]).toHaveTextContent("Écarter l'offre de");
    await user.click(buttons[0]!);
    await user.type(screen.getByTestId("set-aside-motivation"), "Offre irrégulière : délai au-delà du maximum.");
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith(
      expect.objectContaining({ kind: "set_offer_aside", input: expect.objectContaining({ motivation: "Offre irrégulière : délai au-delà du maximum." }) }),
    );
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("écartée comme irrégulière");
  });

  it("only the signatories award", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff" }) }));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("award-blocked-role")).toBeInTheDocument();
    expect(screen.queryByTestId("award-offer")).not.toBeInTheDocument();
  });

  it("once awarded, shows who, when, what and why", async () => {
    const d = evaluatedDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      order: { ...d.order, status: "awarded" },
      award: {
        offer_id: OFFER_A,
        provider_id: "p",
        provider_name: "Atelier Numérique SA",
        direct: false,
        amount: { excl_vat: 600000, vat: 126000, incl_vat: 726000 },
        justification: "Meilleur total pondéré.",
        college_decision: { organ: { kind: "college" as const }, reference: "COL/2027/045", date: "2027-03-10", financial_opinion: null },
        awarded_at: "2027-03-16T09:00:00Z",
        awarded_by: "Marie Dupont",
      },
      next_action: { code: "issue_purchase_order", by: "centrale", due_at: null, due_on: null },
    });
    renderApp(`/commandes/${ORDER_ID}`);
    const award = await screen.findByTestId("order-award");
    expect(award).toHaveTextContent("Commande attribuée à Atelier Numérique SA");
    expect(award).toHaveTextContent("COL/2027/045 du 10/03/2027");
    expect(award).toHaveTextContent("Par Marie Dupont, le 16/03/2027 à 10:00");
    expect(screen.queryByTestId("award-offer")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
  });
});

describe("Order page — a direct call-off by rotation (issue 11 rule 5)", () => {
  /** A request sent under a framework called off directly, by rotation: Bureau Civique's turn. */
  const directDetail = (declared = true) =>
    orderDetail(
      {
        designation: {
          rule: "rotation",
          provider_id: PROVIDER_B,
          provider_name: "Bureau Civique SRL",
          rank: 2,
          previous: {
            order_id: "0190f0aa-0000-7000-8000-0000000000ab",
            title: "E-guichet 2026",
            provider_id: PROVIDER_A,
            provider_name: "Atelier Numérique SA",
            awarded_at: "2026-10-05T09:00:00Z",
          },
          passed_over: [],
          up_to: null,
        },
        decisions: decisionsView({ declared_by_me: declared }),
        next_action: null,
      },
      { status: "submitted", submitted_at: "2027-03-01T12:00:00Z" },
    );

  it("says who the rotation designates and why, and awards to that provider only after the declaration of no conflict", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(directDetail(false));
    renderApp(`/commandes/${ORDER_ID}`);
    const panel = await screen.findByTestId("designation-next");
    expect(within(panel).getByTestId("designation-provider")).toHaveTextContent("Prestataire désigné pour cette commande directe : Bureau Civique SRL");
    expect(within(panel).getByTestId("designation-why")).toHaveTextContent("« E-guichet 2026 », attribuée le 05/10/2026, est allée à Atelier Numérique SA");
    // No competition to wait for; the declaration comes first.
    expect(screen.queryByText(/lancer la remise en concurrence/)).not.toBeInTheDocument();
    expect(screen.getByTestId("coi-gate")).toBeInTheDocument();
    expect(screen.queryByTestId("order-direct-award-form")).not.toBeInTheDocument();
  });

  it("records the collège's direct award to the designated provider, after a confirmation", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(directDetail());
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const form = await screen.findByTestId("order-direct-award-form");
    expect(form).toHaveTextContent("à Bureau Civique SRL");
    await user.type(screen.getByTestId("direct-award-college-reference"), "COL/2027/046");
    await user.type(screen.getByTestId("direct-award-college-date"), "10/03/2027");
    await user.type(screen.getByTestId("direct-award-justification"), "Commande directe au prestataire désigné par la rotation de l'accord-cadre.");
    await user.click(screen.getByTestId("direct-award-submit"));
    const dialog = screen.getByRole("dialog", { name: "Attribuer la commande à Bureau Civique SRL ?" });
    expect(within(dialog).getByTestId("direct-award-summary")).toHaveTextContent("Attribution directe aux conditions de l'accord-cadre");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "direct_award_order",
      input: {
        order_id: ORDER_ID,
        provider_id: PROVIDER_B,
        justification: "Commande directe au prestataire désigné par la rotation de l'accord-cadre.",
        college_decision: { organ: { kind: "college" }, reference: "COL/2027/046", date: "2027-03-10", financial_opinion: null },
      },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Attribution enregistrée");
  });
});

// ── The centrale's side ────────────────────────────────────────────────────────────

const PROVIDER_C = "0190f0aa-0000-7000-8000-0000000000c3";

/** A request sent by Namur, waiting for the centrale to launch the competition. */
const submittedDetail = (over: Parameters<typeof orderDetail>[0] = {}) =>
  orderDetail(
    {
      terms: terms({
        providers: [
          { provider_id: PROVIDER_A, name: "Atelier Numérique SA", enterprise_number: "0403.170.701", contact_email: "offres@atelier.be", status: "active" },
          { provider_id: PROVIDER_B, name: "Bureau Civique SRL", enterprise_number: "0202.239.951", contact_email: null, status: "active" },
          { provider_id: PROVIDER_C, name: "Cité Lente SA", enterprise_number: null, contact_email: null, status: "suspended" },
        ],
        documents: [{ title: "Cahier des charges", version: "2", file_name: "cdc-v2.pdf", sha256: "abc" }],
      }),
      next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null },
      ...over,
    },
    { status: "submitted", submitted_at: "2027-03-01T12:00:00Z" },
  );

const namur = (): CommuneRow => appState().commune!;

describe("Order page — the centrale launches the mini-competition", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([namur()]);
    vi.mocked(api.orderDetail).mockResolvedValue(submittedDetail());
  });

  it("shows the commune, who will be invited (not the suspended provider), the documents and the deadline by default", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("launch-competition");
    expect(within(section).getByRole("heading", { level: 2 })).toHaveTextContent("Lancer la remise en concurrence");
    expect(await screen.findByTestId("order-page-commune")).toHaveTextContent("Commune de Namur");
    expect(screen.getByTestId("order-status")).toHaveTextContent("Demande envoyée par la commune — à mettre en concurrence par la centrale");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Qui : Vous (la centrale d'achat)");

    const invitees = within(screen.getByTestId("competition-invitees")).getAllByTestId("competition-invitee");
    expect(invitees.map((i) => i.getAttribute("data-provider-id"))).toEqual([PROVIDER_A, PROVIDER_B]);
    expect(invitees[0]).toHaveTextContent("Atelier Numérique SA");
    expect(invitees[0]).toHaveTextContent("Invitation envoyée à offres@atelier.be");
    expect(section).toHaveTextContent("2 prestataires seront invités.");
    expect(screen.getByTestId("competition-excluded")).toHaveTextContent("Cité Lente SA");
    expect(screen.getByTestId("competition-excluded")).toHaveTextContent("Suspendu — ne sera pas invité");
    expect(screen.getByTestId("competition-documents")).toHaveTextContent("Cahier des charges, version 2 (cdc-v2.pdf)");

    // Today 12/03/2027, minimum 10 days: 14 days ahead at noon, the earliest date said.
    expect(screen.getByTestId("competition-deadline-date")).toHaveValue("26/03/2027");
    expect(screen.getByTestId("competition-deadline-time")).toHaveValue("12:00");
    expect(screen.getByTestId("competition-earliest")).toHaveTextContent("Au plus tôt le 22/03/2027 : l'intercommunale impose au moins 10 jours");

    // The commune's own acts are not the centrale's.
    expect(screen.queryByTestId("order-cancel")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-submit")).not.toBeInTheDocument();
  });

  it("refuses a deadline too early or without an hour, with the summary and the message by the field, keeping what was typed", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const date = await screen.findByTestId("competition-deadline-date");
    fireEvent.change(date, { target: { value: "20/03/2027" } });
    fireEvent.change(screen.getByTestId("competition-deadline-time"), { target: { value: "" } });
    await user.click(screen.getByTestId("launch-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("La date limite doit laisser au moins 10 jours aux prestataires : choisissez le 22/03/2027 ou plus tard.");
    expect(summary).toHaveTextContent("Indiquez l'heure au format HH:MM, par exemple 12:00.");
    expect(date).toHaveAttribute("aria-invalid", "true");
    expect(date).toHaveValue("20/03/2027");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    fireEvent.change(date, { target: { value: "01/06/2028" } });
    fireEvent.change(screen.getByTestId("competition-deadline-time"), { target: { value: "12:00" } });
    await user.click(screen.getByTestId("launch-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La date limite ne peut pas dépasser un an");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("in winter: confirms what every provider receives, then sends 12:00 Brussels time as 11:00 UTC and says it waits for the sync", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click(await screen.findByTestId("launch-submit"));
    const dialog = screen.getByRole("dialog", { name: "Lancer la remise en concurrence pour « E-guichet état civil 2027 » ?" });
    expect(within(dialog).getByTestId("launch-confirm-body")).toHaveTextContent(
      "Les 2 prestataires de l'accord-cadre recevront la même invitation, avec les mêmes documents et la même date limite : 26/03/2027 à 12:00 (heure de Bruxelles)",
    );
    expect(dialog).toHaveTextContent("Namur");
    expect(dialog).toHaveTextContent("Cahier des charges");
    expect(dialog).not.toHaveTextContent("Cité Lente SA");
    expect(api.perform).not.toHaveBeenCalled();

    // The wall time typed went to Rust, which answered the instant (chrono-tz, not the WebView).
    expect(api.brusselsInstant).toHaveBeenCalledWith("2027-03-26", "12:00");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "launch_competition", input: { order_id: ORDER_ID, deadline: "2027-03-26T11:00:00Z" } });
    expect(await screen.findByTestId("launch-pending")).toHaveTextContent(
      "Remise en concurrence envoyée à l'intercommunale ; les invitations apparaîtront après la synchronisation.",
    );
    expect(screen.getByTestId("launch-pending")).toHaveTextContent("Date limite demandée : 26/03/2027 à 12:00 (heure de Bruxelles).");
    expect(screen.queryByTestId("launch-submit")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-receipt")).toHaveTextContent("Thomas Henrotte, chargé de compte de la centrale");
  });

  it("in summer: 14:30 Brussels time is sent as 12:30 UTC", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const date = await screen.findByTestId("competition-deadline-date");
    const time = screen.getByTestId("competition-deadline-time");
    await user.clear(date);
    await user.type(date, "9/4/2027");
    await user.clear(time);
    await user.type(time, "14h30");
    await user.click(screen.getByTestId("launch-submit"));
    expect(within(screen.getByRole("dialog")).getByTestId("launch-confirm-body")).toHaveTextContent("09/04/2027 à 14:30 (heure de Bruxelles)");
    await user.click(screen.getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "launch_competition", input: { order_id: ORDER_ID, deadline: "2027-04-09T12:30:00Z" } });
  });

  it("on a PC set to English, 04/09/2027 at 9:05 is 4 September at 09:05, and 2:00 PM is refused", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const date = await screen.findByTestId("competition-deadline-date");
    const time = screen.getByTestId("competition-deadline-time");
    expect(date).toHaveValue("26/03/2027");
    expect(time).toHaveAttribute("type", "text");
    await user.clear(date);
    await user.type(date, "04/09/2027");
    await user.clear(time);
    await user.type(time, "2:00 PM");
    await user.click(screen.getByTestId("launch-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez l'heure sur 24 heures au format HH:MM, par exemple 14:30 (et non 2:30 PM).");
    expect(time).toHaveValue("2:00 PM");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.clear(time);
    await user.type(time, "9:05");
    await user.click(screen.getByTestId("launch-submit"));
    expect(within(screen.getByRole("dialog")).getByTestId("launch-confirm-body")).toHaveTextContent("04/09/2027 à 09:05 (heure de Bruxelles)");
    await user.click(screen.getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "launch_competition", input: { order_id: ORDER_ID, deadline: "2027-09-04T07:05:00Z" } });
  });

  it("the hour that happens twice in October: Rust refuses it, the message is next to the time, nothing is sent", async () => {
    vi.mocked(api.brusselsInstant).mockRejectedValueOnce({
      code: "wall_time_repeated",
      message:
        "Le 31/10/2027 à 02:30 a lieu deux fois à Bruxelles : cette nuit-là, les horloges reviennent de 3 h à 2 h (heure d'hiver). Choisissez une heure avant 2 h ou à partir de 3 h.",
      params: { field: "time", date: "2027-10-31", time: "02:30" },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const date = await screen.findByTestId("competition-deadline-date");
    const time = screen.getByTestId("competition-deadline-time");
    await user.clear(date);
    await user.type(date, "31/10/2027");
    await user.clear(time);
    await user.type(time, "02:30");
    await user.click(screen.getByTestId("launch-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("a lieu deux fois à Bruxelles");
    expect(api.brusselsInstant).toHaveBeenCalledWith("2027-10-31", "02:30");
    expect(time).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("a deadline the server refuses comes back next to the date, the dialog closed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "invalid_input",
      message: "La date limite doit laisser au moins 12 jours aux prestataires : choisissez une date après le 24/03/2027 à 10:00.",
      params: { field: "deadline" },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click(await screen.findByTestId("launch-submit"));
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("au moins 12 jours");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("competition-deadline-date")).toHaveValue("26/03/2027");
  });

  it("a launch waiting in the outbox shows as pending (after a reload too); a refused one says why and where to settle it", async () => {
    vi.mocked(api.outbox).mockResolvedValue([
      outboxEntry({ name: "order.launch_competition", payload: { order_id: ORDER_ID, deadline: "2027-03-26T11:00:00Z" }, state: "pending", error_code: null, error_message: null }),
    ]);
    const { unmount } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("launch-pending")).toHaveTextContent("Date limite demandée : 26/03/2027 à 12:00 (heure de Bruxelles).");
    expect(screen.queryByTestId("launch-submit")).not.toBeInTheDocument();
    unmount();

    vi.mocked(api.outbox).mockResolvedValue([
      outboxEntry({
        mutation_id: "mut-launch",
        name: "order.launch_competition",
        payload: { order_id: ORDER_ID, deadline: "2027-03-13T11:00:00Z" },
        state: "needs_attention",
        error_code: "invalid_input",
        error_message: "La date limite doit laisser au moins 10 jours aux prestataires.",
      }),
    ]);
    renderApp(`/commandes/${ORDER_ID}`);
    const refused = await screen.findByTestId("launch-refused");
    expect(refused).toHaveTextContent("La remise en concurrence n'a pas été acceptée : La date limite doit laisser au moins 10 jours aux prestataires.");
    expect(within(refused).getByRole("link", { name: "Régler la modification refusée" })).toHaveAttribute("href", "#/a-regler/mut-launch");
  });

  it("before the first sync, says the server will check the minimum; without the framework's terms, launching waits for them", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState({ settings: null }));
    const { unmount } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("competition-earliest")).toHaveTextContent("l'intercommunale le vérifiera à l'envoi");
    expect(screen.getByTestId("competition-deadline-date")).toHaveValue("26/03/2027");
    unmount();

    vi.mocked(api.orderDetail).mockResolvedValue(submittedDetail({ terms: null }));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("launch-blocked")).toHaveTextContent("Les conditions de l'accord-cadre ne sont pas encore sur ce PC");
    expect(screen.queryByTestId("launch-submit")).not.toBeInTheDocument();
  });

  it("a commune account does not see the launch", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-status")).toHaveTextContent("Demande envoyée — en attente de la remise en concurrence");
    expect(screen.queryByTestId("launch-competition")).not.toBeInTheDocument();
  });
});

describe("Order page — no offer: the centrale relaunches the same needs", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([namur()]);
  });

  it("offers the relaunch with the launch's form and sends relaunch_competition", async () => {
    const d = submittedDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({ ...d, next_action: null, order: { ...d.order, status: "no_offer", offers_received: 0 } });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("launch-competition");
    expect(within(section).getByRole("heading", { level: 2 })).toHaveTextContent("Relancer la remise en concurrence");
    expect(screen.getByTestId("relaunch-explain")).toHaveTextContent("avec les mêmes besoins");
    expect(screen.getByTestId("order-no-offer")).toHaveTextContent("la centrale peut relancer la remise en concurrence");
    await user.click(screen.getByTestId("launch-submit"));
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "relaunch_competition", input: { order_id: ORDER_ID, deadline: "2027-03-26T11:00:00Z" } });
  });

  it("after a second empty round, says the commune may buy elsewhere", async () => {
    const d = submittedDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      next_action: null,
      order: { ...d.order, status: "no_offer", offers_received: 0, may_buy_elsewhere: true },
    });
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-no-offer")).toHaveTextContent("La commune peut satisfaire ce besoin en dehors de l'accord-cadre.");
  });
});

describe("Order page — the centrale follows the sealed competition", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([namur()]);
    const d = competitionDetail();
    const [a, b] = d.invitations;
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      invitations: [{ ...a!, status: "offer_submitted", offer_submitted: true, offer_submitted_at: "2027-03-10T15:00:00Z" }, b!],
    });
  });

  it("not even who has submitted (Annex IV: sealed until the deadline), the time left by the server's clock, and the automatic opening", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ server_time: "2027-03-12T09:00:00Z" }));
    renderApp(`/commandes/${ORDER_ID}`);
    const countdown = await screen.findByTestId("competition-countdown");
    await waitFor(() => expect(countdown).toHaveTextContent("Il reste 2 jours et 2 heures avant la date limite."));
    expect(countdown).toHaveTextContent("Compté selon l'horloge de l'intercommunale.");
    const follow = screen.getByTestId("competition-follow");
    expect(follow).toHaveTextContent("Date limite : 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(follow).toHaveTextContent("Les offres seront ouvertes automatiquement à la date limite");
    expect(screen.getByTestId("competition-invited")).toHaveTextContent("2 prestataires invités.");
    expect(follow).toHaveTextContent("personne — ni la commune ni la centrale — ne sait quel prestataire a remis une offre");
    // Even a record that says an offer came in (written by an earlier server) shows nothing of it.
    const rows = screen.getAllByTestId("invitation-row");
    for (const row of rows) {
      expect(row).toHaveTextContent("Invité — une offre éventuelle reste scellée jusqu'à la date limite");
      expect(row).not.toHaveTextContent("Offre remise");
    }
    expect(follow).not.toHaveTextContent("offre remise");
    expect(screen.queryByTestId("offer-comparison")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw-blocked")).not.toBeInTheDocument();
  });

  it("extends the deadline for every provider: the new date and the reason are sent, then a receipt", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ server_time: "2027-03-12T09:00:00Z" }));
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click(await screen.findByTestId("extend-open"));
    // A week after the current deadline (14/03/2027) by default.
    expect(screen.getByTestId("extend-deadline-date")).toHaveValue("21/03/2027");
    await user.type(screen.getByTestId("extend-deadline-reason"), "Réponse à une question : une semaine de plus.");
    await user.click(screen.getByTestId("extend-submit"));
    const dialog = await screen.findByRole("dialog", { name: "Prolonger la date limite de « E-guichet état civil 2027 » ?" });
    expect(within(dialog).getByTestId("extend-confirm-body")).toHaveTextContent(
      "La date limite passera du 14/03/2027 à 12:00 (heure de Bruxelles) au 21/03/2027 à 12:00 (heure de Bruxelles)",
    );
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "extend_deadline",
      input: { order_id: ORDER_ID, deadline: "2027-03-21T11:00:00Z", reason: "Réponse à une question : une semaine de plus." },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Motif : Réponse à une question : une semaine de plus.");
  });

  it("a deadline the domain refuses (not later) comes back next to the date", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "deadline_not_later",
      message: "La nouvelle date limite doit tomber après la date limite actuelle.",
      params: { field: "deadline" },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click(await screen.findByTestId("extend-open"));
    await user.type(screen.getByTestId("extend-deadline-reason"), "Motif de la prolongation.");
    await user.click(screen.getByTestId("extend-submit"));
    await user.click(within(await screen.findByRole("dialog")).getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La nouvelle date limite doit tomber après la date limite actuelle.");
    expect(screen.getByTestId("extend-deadline-date")).toHaveAttribute("aria-invalid", "true");
  });

  it("reads a provider's question (never who asked) and answers it to every invited provider", async () => {
    const d = competitionDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      order: {
        ...d.order,
        questions: [{ id: "q-1", text: "Faut-il chiffrer la formation ?", asked_at: "2027-03-05T10:00:00Z", answer: null, answered_at: null }],
      },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("order-questions");
    expect(section).toHaveTextContent("Faut-il chiffrer la formation ?");
    expect(section).toHaveTextContent("Personne ne sait quel prestataire les a posées");
    await user.type(screen.getByTestId("answer-text"), "Oui, sur la ligne de mise en service.");
    await user.click(screen.getByTestId("answer-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "answer_question",
      input: { order_id: ORDER_ID, question_id: "q-1", answer: "Oui, sur la ligne de mise en service." },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Réponse communiquée à tous les prestataires invités");
  });

  it("says why an answer is refused when the refusal is not about the answer's text", async () => {
    const d = competitionDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...d,
      order: {
        ...d.order,
        questions: [{ id: "q-1", text: "Faut-il chiffrer la formation ?", asked_at: "2027-03-05T10:00:00Z", answer: null, answered_at: null }],
      },
    });
    // Was thrown from the click's handler: an unhandled rejection, and nothing on screen.
    vi.mocked(api.perform).mockRejectedValueOnce({ code: "unauthorized", message: "Session expirée.", params: {} });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.type(await screen.findByTestId("answer-text"), "Oui.");
    await user.click(screen.getByTestId("answer-submit"));
    const form = screen.getByTestId("answer-form");
    expect(await within(form).findByTestId("error-panel")).toHaveTextContent("Votre session n'est plus valable.");
    expect(screen.getByTestId("answer-text")).toHaveValue("Oui.");
    expect(screen.getByTestId("answer-submit")).toBeEnabled();
    expect(screen.queryByTestId("order-receipt")).not.toBeInTheDocument();
  });

  it("before any sync, counts from the server's today on this PC's clock and says so", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    const countdown = await screen.findByTestId("competition-countdown");
    // The PC's clock is not on 12/03/2027: the count starts at the server's today.
    expect(countdown).toHaveTextContent("Il reste 2 jours et 12 heures avant la date limite.");
    expect(countdown).toHaveTextContent("Compté selon l'horloge de ce PC");
  });
});

describe("Order page — the centrale records the purchase order", () => {
  const awardedDetail = (over: Partial<ReturnType<typeof evaluatedDetail>> = {}) => {
    const d = evaluatedDetail();
    return {
      ...d,
      order: { ...d.order, status: "awarded" as const },
      award: {
        offer_id: OFFER_A,
        provider_id: PROVIDER_A,
        provider_name: "Atelier Numérique SA",
        direct: false,
        amount: { excl_vat: 600000, vat: 126000, incl_vat: 726000 },
        justification: "Meilleur total pondéré.",
        college_decision: { organ: { kind: "college" as const }, reference: "COL/2027/045", date: "2027-03-10", financial_opinion: null },
        awarded_at: "2027-03-16T09:00:00Z",
        awarded_by: "Marie Dupont",
      },
      next_action: { code: "issue_purchase_order" as const, by: "centrale" as const, due_at: null, due_on: null },
      ...over,
    };
  };

  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([namur()]);
    vi.mocked(api.orderDetail).mockResolvedValue(awardedDetail());
  });

  it("shows the winner and the amount; the reference is required, trimmed, LIMITS.REFERENCE_MAX_CHARS characters at most; confirmed, then pending", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("purchase-order-section");
    expect(within(section).getByTestId("purchase-order-winner")).toHaveTextContent("Atelier Numérique SA");
    expect(within(section).getByTestId("purchase-order-amount")).toHaveTextContent("6 000,00 € HTVA · 7 260,00 € TVAC");
    expect(section).toHaveTextContent("COL/2027/045 du 10/03/2027");
    // The commune's award form is not the centrale's.
    expect(screen.queryByTestId("order-evaluation")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("issue-purchase-order"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence du bon de commande, par exemple BC-2026-0042.");
    // Rule 16: the commune's fonctionnaire dirigeant is required, name and quality.
    expect(screen.getByTestId("error-summary")).toHaveTextContent("Indiquez le nom du fonctionnaire dirigeant désigné par la commune.");
    expect(screen.getByTestId("error-summary")).toHaveTextContent("Indiquez la qualité (fonction) du fonctionnaire dirigeant.");
    expect(screen.getByTestId("purchase-order-manager-name")).toHaveAttribute("aria-invalid", "true");
    const longName = "é".repeat(LIMITS.CONTRACT_MANAGER_NAME_MAX_CHARS + 1);
    fireEvent.change(screen.getByTestId("purchase-order-manager-name"), { target: { value: longName } });
    await user.click(screen.getByTestId("issue-purchase-order"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(`Ce texte est limité à ${LIMITS.CONTRACT_MANAGER_NAME_MAX_CHARS} caractères`);
    await user.clear(screen.getByTestId("purchase-order-manager-name"));
    await user.type(screen.getByTestId("purchase-order-manager-name"), " Marie Dupont ");
    await user.type(screen.getByTestId("purchase-order-manager-quality"), "Responsable informatique");
    const input = screen.getByTestId("purchase-order-reference");
    expect(input).toHaveAttribute("aria-invalid", "true");

    const tooLong = "X".repeat(LIMITS.REFERENCE_MAX_CHARS + 1);
    fireEvent.change(input, { target: { value: tooLong } });
    await user.click(screen.getByTestId("issue-purchase-order"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(`La référence est limitée à ${LIMITS.REFERENCE_MAX_CHARS} caractères`);
    expect(input).toHaveValue(tooLong);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.clear(input);
    await user.type(input, "  BC-2027-0042 ");
    await user.click(screen.getByTestId("issue-purchase-order"));
    const dialog = screen.getByRole("dialog", { name: "Émettre le bon de commande à Atelier Numérique SA ?" });
    const summary = within(dialog).getByTestId("purchase-order-summary");
    expect(summary).toHaveTextContent("BC-2027-0042");
    expect(summary).toHaveTextContent("Namur");
    expect(summary).toHaveTextContent("6 000,00 € HTVA · 7 260,00 € TVAC");
    expect(summary).toHaveTextContent("Marie Dupont, Responsable informatique");
    expect(api.perform).not.toHaveBeenCalled();
    // The purchase order is signed with the centrale staff's one-time code (issue 17 point 9).
    await user.type(within(dialog).getByRole("textbox", { name: "Code de double authentification" }), "123456");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith(
      {
        kind: "issue_purchase_order",
        input: { order_id: ORDER_ID, reference: "BC-2027-0042", contract_manager_name: "Marie Dupont", contract_manager_quality: "Responsable informatique" },
      },
      "123456",
    );
    const pending = await screen.findByTestId("purchase-order-pending");
    expect(pending).toHaveTextContent("Bon de commande envoyé à l'intercommunale ; il apparaîtra ici après la synchronisation.");
    expect(pending).toHaveTextContent("Référence : BC-2027-0042.");
    expect(screen.queryByTestId("issue-purchase-order")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-receipt")).toHaveTextContent("Bon de commande BC-2027-0042 pour « E-guichet état civil 2027 », à Atelier Numérique SA (6 000,00 € HTVA)");
  });

  it("a reference the server refuses comes back next to the field, as typed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({ code: "invalid_input", message: "Cette référence est déjà utilisée.", params: { field: "reference" } });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.type(await screen.findByTestId("purchase-order-reference"), "BC-2027-0001");
    await user.type(screen.getByTestId("purchase-order-manager-name"), "Marie Dupont");
    await user.type(screen.getByTestId("purchase-order-manager-quality"), "Responsable informatique");
    await user.click(screen.getByTestId("issue-purchase-order"));
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Cette référence est déjà utilisée.");
    expect(screen.getByTestId("purchase-order-reference")).toHaveValue("BC-2027-0001");
  });

  it("a fonctionnaire dirigeant the server refuses comes back next to its field", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "contract_manager_quality_missing",
      message: "Indiquez la qualité (fonction) du fonctionnaire dirigeant (120 caractères au plus).",
      params: { field: "contract_manager_quality", max_chars: 120 },
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.type(await screen.findByTestId("purchase-order-reference"), "BC-2027-0001");
    await user.type(screen.getByTestId("purchase-order-manager-name"), "Marie Dupont");
    await user.type(screen.getByTestId("purchase-order-manager-quality"), "Responsable informatique");
    await user.click(screen.getByTestId("issue-purchase-order"));
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la qualité (fonction) du fonctionnaire dirigeant");
    expect(screen.getByTestId("purchase-order-manager-quality")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("purchase-order-manager-name")).toHaveValue("Marie Dupont");
  });

  it("once issued, shows its reference, date and who issued it", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(
      awardedDetail({
        order: { ...awardedDetail().order, status: "purchase_order_issued" },
        purchase_order: {
          reference: "BC-2027-0042",
          issued_at: "2027-03-17T08:30:00Z",
          issued_by: "Thomas Henrotte",
          contract_manager: { name: "Marie Dupont", quality: "Responsable informatique" },
        },
        next_action: { code: "start_deployment", by: "provider", due_at: null, due_on: "2027-03-31" },
      }),
    );
    renderApp(`/commandes/${ORDER_ID}`);
    const issued = await screen.findByTestId("purchase-order-issued");
    expect(issued).toHaveTextContent("BC-2027-0042");
    expect(issued).toHaveTextContent("17/03/2027 à 09:30");
    expect(issued).toHaveTextContent("Thomas Henrotte");
    expect(screen.getByTestId("purchase-order-manager")).toHaveTextContent("Fonctionnaire dirigeantMarie Dupont, Responsable informatique");
    expect(screen.queryByTestId("purchase-order-section")).not.toBeInTheDocument();
    expect(screen.queryByTestId("purchase-order-reference")).not.toBeInTheDocument();
  });

  it("a purchase order issued before the fonctionnaire dirigeant was asked for says « non indiqué »", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(
      awardedDetail({
        order: { ...awardedDetail().order, status: "purchase_order_issued" },
        purchase_order: { reference: "BC-2026-0001", issued_at: "2026-03-17T08:30:00Z", issued_by: "Thomas Henrotte", contract_manager: null },
        next_action: { code: "start_deployment", by: "provider", due_at: null, due_on: "2026-03-31" },
      }),
    );
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("purchase-order-manager")).toHaveTextContent("non indiqué");
  });

  it("at the commune's steps (evaluation, award) the centrale only follows", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-commune-step")).toHaveTextContent("la commune évalue les offres puis son collège attribue la commande");
    expect(screen.getByTestId("offer-comparison")).toBeInTheDocument();
    expect(screen.queryByTestId("order-award-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-evaluation")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-status")).toHaveTextContent("Offres évaluées — en attente de l'attribution par le collège de la commune");
    await waitFor(() => expect(screen.getByTestId("order-next")).toHaveTextContent("Qui : La commune de Namur"));
  });
});

describe("Order page — no conflict of interest before the offers", () => {
  it("asks whoever evaluates or decides to declare first (law of 17 June 2016 art. 6), then shows the offers", async () => {
    const detail = openedDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...detail,
      decisions: decisionsView({ declared_by_me: false, conflict_statement: "Je déclare sur l'honneur n'avoir aucun intérêt." }),
    });
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const gate = await screen.findByTestId("coi-gate");
    expect(within(gate).getByTestId("coi-statement")).toHaveTextContent("Je déclare sur l'honneur n'avoir aucun intérêt.");
    expect(screen.queryByTestId("offer-column")).not.toBeInTheDocument();
    expect(screen.queryByTestId("presentation-open")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("coi-declare"));
    expect(await screen.findByText("Cochez la case pour faire la déclaration.")).toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("coi-accept"));
    await user.click(screen.getByTestId("coi-declare"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "declare_no_conflict",
      input: { order_id: ORDER_ID, statement_sha256: "c0ffee" },
    });
  });

  it("shows who has declared, with the offers", async () => {
    const detail = openedDetail();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...detail,
      decisions: decisionsView({
        conflict_declarations: [
          { user_id: "u1", name: "Marie Dupont", role: "director_general", declared_at: "2027-03-11T09:00:00Z", statement_sha256: "c0ffee" },
        ],
      }),
    });
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("coi-declarations")).toHaveTextContent("Marie Dupont, directeur général, le 11/03/2027");
    expect(screen.getAllByTestId("offer-column")).toHaveLength(2);
  });
});
