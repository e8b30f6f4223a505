import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, me } from "../test/fixtures";
import {
  adhesionScreen,
  adhesionView,
  competitionDetail,
  evaluatedDetail,
  OFFER_A,
  OFFER_B,
  openedDetail,
  ORDER_ID,
  orderDetail,
  serviceDetail,
} from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(orderDetail());
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

const column = (offerId: string) => screen.getAllByTestId("offer-column").find((c) => c.getAttribute("data-offer-id") === offerId)!;

describe("Order page — a draft", () => {
  it("shows the status, the next action and the needs, with the order's title as heading", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("E-guichet état civil 2027");
    expect(screen.getByTestId("order-status")).toHaveTextContent("Brouillon — pas encore envoyé à la centrale");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Envoyer la demande à la centrale");
    expect(screen.getByTestId("order-next")).toHaveTextContent("Qui : Votre commune");
    const needs = screen.getByTestId("order-needs");
    expect(needs).toHaveTextContent("2 × Licence e-guichet (par an)");
    expect(within(needs).getByTestId("order-needs-budget")).toHaveTextContent("12 500,00 € HTVA");
    expect(within(needs).getByTestId("order-needs-total")).toHaveTextContent("7 000,00 € HTVA · 8 470,00 € TVAC");
    expect(screen.getByTestId("order-history")).toHaveTextContent("Brouillon créé par Marie Dupont");
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

  it("when the adhesion is active, asks confirmation showing what is sent, then sends and gives a receipt", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
    expect(screen.queryByTestId("order-blocked-reason")).not.toBeInTheDocument();
    await user.click(submit);

    const dialog = screen.getByRole("dialog", { name: "Envoyer la demande « E-guichet état civil 2027 » à la centrale ?" });
    expect(dialog).toHaveTextContent("Voici exactement ce qui sera envoyé");
    expect(dialog).toHaveTextContent("2 × Licence e-guichet (par an)");
    expect(dialog).toHaveTextContent("12 500,00 € HTVA");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "submit_order", input: { order_id: ORDER_ID } });
    const receipt = await screen.findByTestId("order-receipt");
    expect(receipt).toHaveTextContent("Demande « E-guichet état civil 2027 » envoyée à la centrale d'achat");
    expect(receipt).toHaveTextContent("Marie Dupont (directeur général)");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("cancelling the confirmation sends nothing", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const submit = await screen.findByTestId("order-submit");
    await waitFor(() => expect(submit).toBeEnabled());
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
    expect(rows[0]).toHaveTextContent("En attente de son offre");
    expect(screen.getByTestId("order-deadline")).toHaveTextContent("Offres scellées jusqu'au 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.getByTestId("order-next-due")).toHaveTextContent("Avant le 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.queryByTestId("order-cancel")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("order-withdraw"));
    const dialog = screen.getByRole("dialog", { name: "Retirer la commande « E-guichet état civil 2027 » ?" });
    await user.type(within(dialog).getByTestId("close-reason"), "Budget supprimé par le conseil.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "withdraw_order", input: { order_id: ORDER_ID, reason: "Budget supprimé par le conseil." } });
  });

  it("a commune agent may not withdraw: the page says who can", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Paul Agent" }) }));
    vi.mocked(api.orderDetail).mockResolvedValue(competitionDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-withdraw-blocked")).toHaveTextContent("Seuls le bourgmestre ou le directeur général");
    expect(screen.queryByTestId("order-withdraw")).not.toBeInTheDocument();
  });
});

describe("Order page — the offers side by side", () => {
  it("two columns, the same rows in the same order, ceilings beside the prices, totals HTVA and TVAC, the better value marked", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    const columns = within(comparison).getAllByTestId("offer-column");
    expect(columns.map((c) => c.getAttribute("data-offer-id"))).toEqual([OFFER_A, OFFER_B]);
    const rowsOf = (c: HTMLElement) => Array.from(c.querySelectorAll(":scope > [data-row]")).map((r) => r.getAttribute("data-row"));
    expect(rowsOf(columns[0]!)).toEqual(rowsOf(columns[1]!));
    expect(rowsOf(columns[0]!)).toEqual([
      "provider",
      "line-licence",
      "line-setup",
      "total-htva",
      "total-tvac",
      "lead-time",
      "notes",
      "criterion-price",
      "criterion-quality",
      "weighted-total",
      "rank",
    ]);

    const a = column(OFFER_A);
    const b = column(OFFER_B);
    expect(within(a).getByRole("heading", { level: 3 })).toHaveTextContent("Atelier Numérique SA");
    const licenceA = within(a).getAllByTestId("offer-line").find((l) => l.getAttribute("data-line-code") === "licence")!;
    expect(licenceA).toHaveTextContent("Prix unitaire 1 000,00 € HTVA plafond 1 250,00 € HTVA");
    expect(licenceA).toHaveTextContent("Montant 2 000,00 € HTVA plafond 2 500,00 € HTVA");
    expect(licenceA).toHaveTextContent("Montant 2 420,00 € TVAC plafond 3 025,00 € TVAC");
    expect(licenceA).toHaveTextContent("Meilleur prix");
    expect(within(a).getByTestId("offer-total-htva")).toHaveTextContent("6 000,00 € HTVA");
    expect(within(b).getByTestId("offer-total-htva")).toHaveTextContent("6 600,00 € HTVA");
    expect(within(a).getByTestId("offer-total-tvac")).toHaveTextContent("7 260,00 € TVAC");
    expect(within(b).getByTestId("offer-total-tvac")).toHaveTextContent("7 986,00 € TVAC");

    // The better value: marked with a word, in the right column only.
    const cell = (c: HTMLElement, row: string) => c.querySelector(`:scope > [data-row="${row}"]`) as HTMLElement;
    expect(cell(a, "total-htva")).toHaveTextContent("Prix le plus bas");
    expect(cell(b, "total-htva")).not.toHaveTextContent("Prix le plus bas");
    expect(cell(b, "lead-time")).toHaveTextContent("45 jours");
    expect(cell(b, "lead-time")).toHaveTextContent("Délai le plus court");
    expect(cell(a, "lead-time")).not.toHaveTextContent("Délai le plus court");
    // Before the evaluation: the price score is computed, the rest comes after.
    expect(cell(a, "criterion-price")).toHaveTextContent("60,00 / 60");
    expect(cell(b, "criterion-price")).toHaveTextContent("54,55 / 60");
    expect(cell(a, "criterion-quality")).toHaveTextContent("À évaluer");
    expect(within(a).getByTestId("offer-rank")).toHaveTextContent("Après l'évaluation");
    // Every cell names its row for screen readers.
    expect(cell(a, "total-htva")).toHaveTextContent("Total HTVA");
    expect(screen.getByTestId("presentation-open")).toHaveAttribute("href", `#/commandes/${ORDER_ID}/presentation`);
  });

  it("a quality score « 7,5 » is sent as \"7.5\", with the justification of each offer", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const score = (offer: string) =>
      screen.getAllByTestId("quality-score").find((s) => s.getAttribute("data-offer-id") === offer && s.getAttribute("data-criterion") === "quality")!;
    const justification = (offer: string) => screen.getAllByTestId("quality-justification").find((s) => s.getAttribute("data-offer-id") === offer)!;
    await screen.findByTestId("order-evaluation");

    // Missing and out-of-range scores are said before anything is sent.
    await user.type(score(OFFER_A), "41");
    await user.click(screen.getByTestId("evaluation-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("La note pour « Qualité technique et accompagnement » (Atelier Numérique SA) doit être comprise entre 0 et 40.");
    expect(summary).toHaveTextContent("Indiquez la note pour « Qualité technique et accompagnement » (Bureau Civique SRL)");
    expect(summary).toHaveTextContent("Justifiez en une phrase au moins les notes de l'offre « Atelier Numérique SA »");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(score(OFFER_A));
    await user.type(score(OFFER_A), "7,5");
    await user.type(score(OFFER_B), "32");
    await user.type(justification(OFFER_A), "Démonstration peu convaincante.");
    await user.type(justification(OFFER_B), "Formation sur place appréciée.");
    await user.click(screen.getByTestId("evaluation-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "evaluate_offers",
      input: {
        order_id: ORDER_ID,
        scores: [
          { offer_id: OFFER_A, criterion_code: "quality", points: "7.5", justification: "Démonstration peu convaincante." },
          { offer_id: OFFER_B, criterion_code: "quality", points: "32", justification: "Formation sur place appréciée." },
        ],
      },
    });
    expect(await screen.findByTestId("evaluation-saved")).toHaveTextContent("Évaluation enregistrée");
  });

  it("after the evaluation: scores, weighted totals and ranks, the first marked", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("offer-comparison");
    const a = column(OFFER_A);
    const b = column(OFFER_B);
    expect(within(a).getByTestId("offer-rank")).toHaveTextContent("1re");
    expect(within(a).getByTestId("offer-rank").parentElement).toHaveTextContent("Classée première");
    expect(within(b).getByTestId("offer-rank")).toHaveTextContent("2e");
    expect(within(a).getByTestId("offer-weighted-total")).toHaveTextContent("90,00 / 100");
    expect(within(b).getByTestId("offer-weighted-total")).toHaveTextContent("87,05 / 100");
    const quality = (c: HTMLElement) => c.querySelector(':scope > [data-row="criterion-quality"]') as HTMLElement;
    expect(quality(b)).toHaveTextContent("32,50 / 40");
    expect(quality(b)).toHaveTextContent("Meilleure note");
    expect(quality(b)).toHaveTextContent("Formation sur place appréciée.");
    // The evaluation can be corrected: the form is filled with the saved scores.
    const score = screen.getAllByTestId("quality-score").find((s) => s.getAttribute("data-offer-id") === OFFER_B)!;
    expect(score).toHaveValue("32,50");
  });
});

describe("Order page — the award", () => {
  beforeEach(() => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
  });

  it("checks the collège decision and the justification first", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const award = (await screen.findAllByTestId("award-offer")).find((b) => b.getAttribute("data-offer-id") === OFFER_A)!;
    fireEvent.change(screen.getByTestId("award-college-date"), { target: { value: "2027-04-01" } });
    await user.type(screen.getByTestId("award-justification"), "Trop court");
    await user.click(award);
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez la référence de la décision du collège");
    expect(summary).toHaveTextContent("La date de la décision du collège ne peut pas être dans le futur.");
    expect(summary).toHaveTextContent("Motivez la décision d'attribution (au moins 20 caractères)");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
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
    fireEvent.change(screen.getByTestId("award-college-date"), { target: { value: "2027-03-10" } });
    await user.type(screen.getByTestId("award-justification"), "Offre classée première : meilleur prix et qualité solide.");
    await user.click(toA);

    const dialog = screen.getByRole("dialog", { name: "Attribuer la commande à Atelier Numérique SA ?" });
    const summary = within(dialog).getByTestId("award-summary");
    expect(summary).toHaveTextContent("Atelier Numérique SA est classée 1re, avec 90,00 points sur 100.");
    expect(summary).toHaveTextContent("6 000,00 € HTVA · 7 260,00 € TVAC");
    expect(summary).toHaveTextContent("COL/2027/045 du 10/03/2027");
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
        college_decision: { reference: "COL/2027/045", date: "2027-03-10" },
      },
    });
    const receipt = await screen.findByTestId("order-receipt");
    expect(receipt).toHaveTextContent("Attribution enregistrée");
    expect(receipt).toHaveTextContent(
      "Commande « E-guichet état civil 2027 » attribuée à Atelier Numérique SA pour 6 000,00 € HTVA (7 260,00 € TVAC) — décision du collège COL/2027/045 du 10/03/2027.",
    );
    expect(receipt).toHaveTextContent("Marie Dupont (directeur général)");
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
    fireEvent.change(screen.getByTestId("award-college-date"), { target: { value: "2027-03-10" } });
    await user.type(screen.getByTestId("award-justification"), "Offre classée première : meilleur prix.");
    await user.click(toA);
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence de la décision du collège");
    expect(screen.getByTestId("award-college-reference")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("award-justification")).toHaveValue("Offre classée première : meilleur prix.");
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
        college_decision: { reference: "COL/2027/045", date: "2027-03-10" },
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
