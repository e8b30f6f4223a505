import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, centraleState } from "../test/fixtures";
import { PROVIDER_A, PROVIDER_B } from "../test/orderFixtures";
import { LIMITS } from "../bindings/rules";
import { members, ORDER_ANDENNE, openedPool, POOL_ID, poolPage, runningPool } from "../test/poolFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.pool).mockResolvedValue(poolPage());
});

describe("Marché groupé — a commune that can join", () => {
  it("says what the pool is, what joining means, and leads to a new order bound to it", async () => {
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Caméras des parkings 2027");
    expect(screen.getByTestId("nav-marchesGroupes")).toHaveAttribute("aria-current", "page");
    expect(api.pool).toHaveBeenCalledWith(POOL_ID);
    expect(screen.getByTestId("pool-service")).toHaveTextContent("E-guichet");
    expect(screen.getByTestId("pool-framework")).toHaveTextContent("Accord-cadre CA-2025-01");
    expect(screen.getByTestId("pool-phase")).toHaveTextContent("Ouvert aux communes");
    expect(screen.getByTestId("pool-join-date")).toHaveTextContent("Les communes peuvent le rejoindre jusqu'au 31/03/2027 inclus · 2 communes");
    expect(screen.getByTestId("pool-description")).toHaveTextContent("Caméras pour les parkings communaux, avec installation et maintenance.");

    const join = await screen.findByTestId("pool-join");
    expect(within(join).getByRole("heading", { level: 2 })).toHaveTextContent("Rejoindre ce marché groupé");
    expect(within(join).getByTestId("pool-join-explain")).toHaveTextContent(
      "Votre commune garde sa propre décision d'attribution et son propre bon de commande ; la remise en concurrence et l'analyse des offres sont faites une seule fois par la centrale pour toutes les communes.",
    );
    expect(within(join).getByTestId("pool-join-until")).toHaveTextContent("Vous pouvez rejoindre jusqu'au 31/03/2027 inclus.");
    const button = within(join).getByTestId("pool-join-button");
    expect(button).toHaveTextContent("Rejoindre ce marché groupé");
    expect(button).toHaveAttribute("href", `#/commandes/nouvelle?groupe=${POOL_ID}`);

    // The communes: who is in, who left, each one's order and quantities.
    const rows = within(screen.getByTestId("pool-members")).getAllByTestId("pool-member");
    expect(rows.map((r) => r.getAttribute("data-nis"))).toEqual(["91005", "91030", "92054"]);
    expect(screen.getByTestId("pool-members")).toHaveTextContent("Les communes (2)");
    expect(within(rows[0]!).getByTestId("pool-member-joined")).toHaveTextContent("02/03/2027");
    expect(within(rows[0]!).getByTestId("pool-member-status")).toHaveTextContent("Demande envoyée à la centrale");
    // A commune opens its own order only: Andenne's is not Namur's.
    expect(within(rows[0]!).queryByTestId("pool-member-order")).not.toBeInTheDocument();
    expect(within(rows[0]!).getByTestId("pool-member-quantities")).toHaveTextContent("Licence e-guichet : 3 licences");
    expect(within(rows[0]!).getByTestId("pool-member-quantities")).toHaveTextContent("Mise en service : 1 forfait");
    expect(within(rows[2]!).getByTestId("pool-member-left")).toHaveTextContent("A quitté le 08/03/2027");
    expect(within(rows[2]!).getByTestId("pool-member-status")).toHaveTextContent("Pas sur ce PC");

    const volume = screen.getByTestId("pool-volume");
    expect(within(volume).getByRole("heading", { level: 2 })).toHaveTextContent("Volume groupé");
    expect(within(volume).getAllByTestId("pool-volume-line").map((l) => l.textContent)).toEqual(["Licence e-guichet5 licences", "Mise en service1 forfait"]);
    expect(screen.getByTestId("pool-not-launched")).toHaveTextContent("La centrale lancera une seule remise en concurrence pour toutes les communes après le 31/03/2027");

    // The centrale's acts are not the commune's.
    expect(screen.queryByTestId("pool-launch")).not.toBeInTheDocument();
    expect(screen.queryByTestId("pool-coi-gate")).not.toBeInTheDocument();
    expect(screen.queryByTestId("pool-offers")).not.toBeInTheDocument();
  });

  it("in the pool already: no second way in, the way to the commune's own order", async () => {
    const mine = members();
    mine[0] = { ...mine[0]!, commune_nis: "92094", commune_name: "Namur" };
    vi.mocked(api.pool).mockResolvedValue(poolPage({ joinable: false, my_order_id: ORDER_ANDENNE, members: mine }));
    renderApp(`/marches-groupes/${POOL_ID}`);
    const section = await screen.findByTestId("pool-mine");
    expect(section).toHaveTextContent("Votre commune fait partie de ce marché groupé");
    expect(within(section).getByTestId("pool-mine-next")).toHaveTextContent("Vous pouvez encore quitter le marché groupé en annulant votre demande avant le lancement");
    expect(within(section).getByTestId("pool-my-order")).toHaveAttribute("href", `#/commandes/${ORDER_ANDENNE}`);
    expect(screen.queryByTestId("pool-join")).not.toBeInTheDocument();
    // Its own order is linked from its row.
    expect(within(screen.getAllByTestId("pool-member")[0]!).getByTestId("pool-member-order")).toHaveAttribute("href", `#/commandes/${ORDER_ANDENNE}`);
  });

  it("closed to new communes: says so, no way in", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage({ joinable: false, phase: "joining_closed" }));
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-join-closed")).toHaveTextContent("Ce marché groupé n'accepte plus de nouvelles communes");
    expect(screen.queryByTestId("pool-join-button")).not.toBeInTheDocument();
  });

  it("a pool not on this PC says so", async () => {
    vi.mocked(api.pool).mockResolvedValue(null);
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-not-found")).toHaveTextContent("Ce marché groupé n'est pas (encore) sur ce PC.");
  });
});

describe("Marché groupé — the centrale launches the one competition", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  it("confirms the communes and the deadline, sends 12:00 Brussels time as UTC and says it waits for the sync", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage({ phase: "joining_closed", joinable: false }));
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    const section = await screen.findByTestId("pool-launch");
    expect(within(section).getByRole("heading", { level: 2 })).toHaveTextContent("Lancer la remise en concurrence");
    expect(section).toHaveTextContent("Une seule remise en concurrence pour les 2 communes du marché groupé");
    expect(screen.queryByTestId("pool-join")).not.toBeInTheDocument();
    // Today 12/03/2027, minimum 10 days: 14 days ahead at noon.
    expect(screen.getByTestId("pool-deadline-date")).toHaveValue("26/03/2027");
    expect(screen.getByTestId("pool-deadline-time")).toHaveValue("12:00");
    // The centrale opens every member's order.
    expect(within(screen.getAllByTestId("pool-member")[0]!).getByTestId("pool-member-order")).toHaveAttribute("href", `#/commandes/${ORDER_ANDENNE}`);

    await user.click(screen.getByTestId("pool-launch-submit"));
    const dialog = await screen.findByRole("dialog", { name: "Lancer la remise en concurrence du marché groupé « Caméras des parkings 2027 » ?" });
    expect(within(dialog).getByTestId("pool-launch-summary")).toHaveTextContent("Andenne");
    expect(within(dialog).getByTestId("pool-launch-summary")).toHaveTextContent("Ciney");
    expect(within(dialog).getByTestId("pool-launch-summary")).not.toHaveTextContent("Gesves");
    expect(within(dialog).getByTestId("pool-launch-summary")).toHaveTextContent("26/03/2027 à 12:00 (heure de Bruxelles)");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "launch_pool", input: { pool_id: POOL_ID, deadline: "2027-03-26T11:00:00Z" } });
    expect(await screen.findByTestId("pool-launch-pending")).toHaveTextContent("Date limite demandée : 26/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.queryByTestId("pool-launch-submit")).not.toBeInTheDocument();
    expect(screen.getByTestId("pool-receipt")).toHaveTextContent("Remise en concurrence du marché groupé « Caméras des parkings 2027 » pour 2 communes");
  });

  it("a deadline too early is refused by the field, nothing sent", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage({ phase: "joining_closed", joinable: false }));
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    const date = await screen.findByTestId("pool-deadline-date");
    await user.clear(date);
    await user.type(date, "20/03/2027");
    await user.click(screen.getByTestId("pool-launch-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("au moins 10 jours");
    expect(date).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("before the joining date, warns that launching closes the pool", async () => {
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-launch-early")).toHaveTextContent("La date limite pour rejoindre (31/03/2027) n'est pas encore passée");
    expect(screen.queryByTestId("pool-join")).not.toBeInTheDocument();
  });

  it("without a commune, there is nothing to launch", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage({ members: [], pooled: [] }));
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-launch-no-member")).toHaveTextContent("Aucune commune n'a encore rejoint ce marché groupé");
    expect(screen.queryByTestId("pool-launch")).not.toBeInTheDocument();
    expect(screen.getByTestId("pool-members-empty")).toBeInTheDocument();
  });
});

describe("Marché groupé — the centrale analyses the offers", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  it("shows the declaration first: the offers and the analysis stay hidden until it is made", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool());
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    const gate = await screen.findByTestId("pool-coi-gate");
    expect(within(gate).getByRole("heading", { level: 2 })).toHaveTextContent("Déclaration d'absence de conflit d'intérêts");
    expect(await within(gate).findByTestId("pool-coi-statement")).toHaveTextContent("Je déclare sur l'honneur n'avoir aucun conflit d'intérêts.");
    // The statement is the domain's, carried by the pool's page.
    expect(screen.queryByTestId("pool-offers")).not.toBeInTheDocument();
    expect(screen.queryByTestId("pool-evaluation")).not.toBeInTheDocument();
    expect(screen.getByTestId("pool-phase")).toHaveTextContent("Offres ouvertes — analyse de la centrale attendue");
    expect(screen.getByTestId("pool-deadline")).toHaveTextContent("Offres attendues avant le 11/03/2027 à 12:00 (heure de Bruxelles)");

    // Not ticked: said, nothing sent.
    await user.click(within(gate).getByTestId("pool-coi-declare"));
    expect(await within(gate).findByRole("alert")).toHaveTextContent("Cochez la case pour faire la déclaration.");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(gate).getByTestId("pool-coi-accept"));
    await user.click(within(gate).getByTestId("pool-coi-declare"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "declare_pool_no_conflict", input: { pool_id: POOL_ID, statement_sha256: "c0ffee" } });
  });

  it("once declared: the offers side by side, the price computed, the quality points checked then sent", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true }));
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    const offers = await screen.findByTestId("pool-offers");
    expect(screen.queryByTestId("pool-coi-gate")).not.toBeInTheDocument();
    expect(within(offers).getByRole("heading", { level: 2 })).toHaveTextContent("Les 2 offres reçues");
    expect(within(offers).getAllByTestId("pool-offer-column").map((c) => c.getAttribute("data-provider-id"))).toEqual([PROVIDER_A, PROVIDER_B]);
    const cell = (provider: string, row: string) =>
      within(offers)
        .getAllByTestId("pool-offer-cell")
        .find((c) => c.getAttribute("data-provider-id") === provider && c.getAttribute("data-row") === row)!;
    expect(cell(PROVIDER_A, "total")).toHaveTextContent("10 500,00 € HTVA");
    expect(cell(PROVIDER_A, "total")).toHaveTextContent("Prix le plus bas");
    expect(cell(PROVIDER_B, "total")).not.toHaveTextContent("Prix le plus bas");
    expect(cell(PROVIDER_A, "line-licence")).toHaveTextContent("1 100,00 € HTVA");
    expect(cell(PROVIDER_B, "lead-time")).toHaveTextContent("30 jours");
    expect(cell(PROVIDER_B, "lead-time")).toHaveTextContent("Délai le plus court");
    expect(cell(PROVIDER_B, "notes")).toHaveTextContent("Aucune note");

    const form = screen.getByTestId("pool-evaluation");
    expect(within(form).getByTestId("pool-evaluation-price")).toHaveTextContent("Prix (sur 60 points) : calculé automatiquement");
    // The price is never typed: one score per provider, on the quality criterion only.
    expect(within(form).getAllByTestId("pool-quality-score")).toHaveLength(2);

    await user.click(within(form).getByTestId("pool-evaluation-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez la note pour « Qualité technique » (Atelier Numérique SA)");
    expect(summary).toHaveTextContent("Justifiez la note pour « Qualité technique » (Bureau Civique SRL) : 10 caractères au moins.");
    expect(api.perform).not.toHaveBeenCalled();

    const [scoreA, scoreB] = within(form).getAllByTestId("pool-quality-score");
    const [whyA, whyB] = within(form).getAllByTestId("pool-quality-justification");
    await user.type(scoreA!, "45");
    await user.type(scoreB!, "32,5");
    await user.type(whyA!, "Démonstration convaincante.");
    await user.type(whyB!, "Solution correcte, formation légère.");
    await user.click(within(form).getByTestId("pool-evaluation-save"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La note pour « Qualité technique » (Atelier Numérique SA) doit être comprise entre 0 et 40.");
    expect(scoreA).toHaveValue("45");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(scoreA!);
    await user.type(scoreA!, "35");
    await user.click(within(form).getByTestId("pool-evaluation-save"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "evaluate_pool",
        input: {
          pool_id: POOL_ID,
          scores: [
            { provider_id: PROVIDER_A, criterion_code: "qualite", points: "35", justification: "Démonstration convaincante." },
            { provider_id: PROVIDER_B, criterion_code: "qualite", points: "32.5", justification: "Solution correcte, formation légère." },
          ],
        },
      }),
    );
    expect(await screen.findByTestId("pool-evaluation-saved")).toHaveTextContent("Analyse enregistrée");
  });

  it("after the analysis and a collège's award: the ranking, each commune's decision, no more changes", async () => {
    const pool = openedPool({ declared: true, decided: true });
    vi.mocked(api.pool).mockResolvedValue({
      ...pool,
      phase: "evaluated",
      evaluated: { at: "2027-03-12T10:00:00Z", by: "Thomas Henrotte" },
      members: [
        { ...pool.members[0]!, status: "awarded", awarded_excl_vat: 630_000 },
        { ...pool.members[1]!, status: "evaluated" },
      ],
      offers: [
        { ...pool.offers[0]!, points: "95.00", rank: 1, quality: [{ criterion_code: "qualite", points: "35", justification: "Démonstration convaincante." }] },
        { ...pool.offers[1]!, points: "84.50", rank: 2, quality: [{ criterion_code: "qualite", points: "32.5", justification: "Solution correcte." }] },
      ],
    });
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-ranking")).toHaveTextContent("Atelier Numérique SA est classé en tête de l'analyse, avec 95,00 points sur 100.");
    expect(screen.getByTestId("pool-offer-first")).toHaveTextContent("Classée première");
    expect(screen.getByTestId("pool-evaluated")).toHaveTextContent("Offres analysées le 12/03/2027 à 11:00 par Thomas Henrotte.");
    expect(screen.getByTestId("pool-decided")).toHaveTextContent("ne peut plus être modifiée");
    expect(screen.queryByTestId("pool-evaluation")).not.toBeInTheDocument();

    expect(screen.getByTestId("pool-awarded-count")).toHaveTextContent("1 commune sur 2 a attribué.");
    const [andenne, ciney] = screen.getAllByTestId("pool-member");
    expect(within(andenne!).getByTestId("pool-member-award")).toHaveTextContent("Attribuée par le collège");
    expect(within(andenne!).getByTestId("pool-member-award")).toHaveTextContent("6 300,00 € HTVA");
    expect(within(ciney!).getByTestId("pool-member-award")).toHaveTextContent("Décision du collège attendue");
  });
});

describe("Marché groupé — the centrale sets an irregular offer aside for every commune", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  const MOTIVATION = "Offre irrégulière : le délai de mise en œuvre dépasse le maximum du cahier des charges.";

  it("only after the declaration: no way to set an offer aside behind the gate", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool());
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-coi-gate")).toBeInTheDocument();
    expect(screen.queryByTestId("pool-set-aside-open")).not.toBeInTheDocument();
  });

  it("not once a collège has awarded on the analysis", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true, decided: true, phase: "evaluated", evaluated: { at: "2027-03-12T10:00:00Z", by: "Thomas Henrotte" } }));
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-offers")).toBeInTheDocument();
    expect(screen.getByTestId("pool-decided")).toBeInTheDocument();
    expect(screen.queryByTestId("pool-set-aside-open")).not.toBeInTheDocument();
  });

  it("not for a commune", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true }));
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-competition")).toBeInTheDocument();
    expect(screen.queryByTestId("pool-set-aside-open")).not.toBeInTheDocument();
  });

  it("confirms what it does for every commune, checks the motivation, then sends exactly the set-aside", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true, phase: "evaluated", evaluated: { at: "2027-03-12T10:00:00Z", by: "Thomas Henrotte" } }));
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    const buttons = await screen.findAllByTestId("pool-set-aside-open");
    expect(buttons.map((b) => b.getAttribute("data-provider-id"))).toEqual([PROVIDER_A, PROVIDER_B]);
    expect(buttons[1]).toHaveTextContent("Écarter l'offre de Bureau Civique SRL");

    await user.click(buttons[1]!);
    const dialog = await screen.findByRole("dialog", { name: "Écarter l'offre de Bureau Civique SRL du marché groupé ?" });
    expect(within(dialog).getByTestId("pool-set-aside-effect")).toHaveTextContent(
      "L'offre de Bureau Civique SRL est écartée comme irrégulière pour chacune des communes du marché groupé. Le prestataire reçoit la motivation et les voies de recours.",
    );
    expect(within(dialog).getByTestId("pool-set-aside-analysis")).toHaveTextContent("L'analyse faite le 12/03/2027 à 11:00 est annulée : elle est à refaire sans cette offre.");
    expect(within(dialog).getByTestId("pool-set-aside-ground")).toHaveTextContent("Motif : offre irrégulière");
    expect(within(dialog).getByTestId("pool-set-aside-low")).toHaveTextContent("Une offre anormalement basse ne peut pas être écartée ici");

    // Too short: said next to the field, nothing sent, the dialog stays.
    const motivation = within(dialog).getByTestId("pool-set-aside-motivation");
    await user.type(motivation, "Irrégulière.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByText(`Motivez la décision en au moins ${LIMITS.MOTIVATION_MIN_CHARS} caractères : le prestataire lira ce texte.`)).toBeInTheDocument();
    expect(motivation).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(motivation);
    await user.type(motivation, `  ${MOTIVATION}  `);
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "set_pooled_offer_aside",
      input: { pool_id: POOL_ID, provider_id: PROVIDER_B, motivation: MOTIVATION, ground: "irregular" },
    });
    expect(await screen.findByTestId("pool-receipt")).toHaveTextContent(`Offre de Bureau Civique SRL écartée comme irrégulière du marché groupé « Caméras des parkings 2027 », pour toutes les communes. Motivation : ${MOTIVATION}`);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("a refusal of the intercommunale is said in French: on the motivation next to it, otherwise in the dialog", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true }));
    vi.mocked(api.perform)
      .mockRejectedValueOnce({ code: "motivation_length_invalid", message: "La motivation doit compter de 20 à 10000 caractères.", params: { field: "motivation" } })
      .mockRejectedValueOnce({ code: "pool_already_decided", message: "Un collège a déjà attribué sur la base de cette analyse : l'offre ne peut plus être écartée." });
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    await user.click((await screen.findAllByTestId("pool-set-aside-open"))[0]!);
    const dialog = await screen.findByRole("dialog");
    const motivation = within(dialog).getByTestId("pool-set-aside-motivation");
    await user.type(motivation, MOTIVATION);
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByText("La motivation doit compter de 20 à 10000 caractères.")).toBeInTheDocument();
    expect(motivation).toHaveAttribute("aria-invalid", "true");

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByText(/Un collège a déjà attribué sur la base de cette analyse/)).toBeInTheDocument();
    expect(screen.queryByTestId("pool-receipt")).not.toBeInTheDocument();
  });

  it("an offer already set aside is marked, cannot be set aside again, is neither best nor analysed", async () => {
    const pool = openedPool({ declared: true });
    vi.mocked(api.pool).mockResolvedValue({ ...pool, offers: [{ ...pool.offers[0]!, set_aside: true }, pool.offers[1]!] });
    renderApp(`/marches-groupes/${POOL_ID}`);
    const offers = await screen.findByTestId("pool-offers");
    expect(within(offers).getAllByTestId("pool-set-aside-open").map((b) => b.getAttribute("data-provider-id"))).toEqual([PROVIDER_B]);
    expect(within(offers).getByTestId("pool-offer-set-aside-tag")).toHaveTextContent("Offre écartée");
    expect(within(offers).getByTestId("pool-offer-set-aside")).toHaveTextContent("Écartée comme irrégulière");
    // Atelier Numérique's lower total is no longer « le plus bas »: Bureau Civique is the only one left.
    expect(within(offers).queryByTestId("pool-offer-lowest")).not.toBeInTheDocument();
    const form = screen.getByTestId("pool-evaluation");
    expect(within(form).getAllByTestId("pool-evaluation-offer").map((f) => f.getAttribute("data-provider-id"))).toEqual([PROVIDER_B]);
  });
});

describe("Marché groupé — the centrale extends the deadline for every commune", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  const REASON = "Réponse à une question qui précise le besoin : une semaine de plus.";

  it("while the competition runs: the order's form, confirmed for every commune, then exactly the extension", async () => {
    vi.mocked(api.pool).mockResolvedValue(runningPool());
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    await user.click(await screen.findByTestId("pool-extend-open"));
    const form = screen.getByTestId("pool-extend-form");
    expect(within(form).getByRole("heading", { level: 3 })).toHaveTextContent("Prolonger la date limite du marché groupé");
    // A week after the current deadline (20/03/2027) by default, at noon.
    expect(screen.getByTestId("pool-extend-date")).toHaveValue("27/03/2027");
    expect(screen.getByTestId("pool-extend-time")).toHaveValue("12:00");

    // Without a reason: said next to it, nothing sent.
    await user.click(screen.getByTestId("pool-extend-submit"));
    // The limits are the domain's (LIMITS.CLOSE_REASON_MIN_CHARS and _MAX_CHARS), in French.
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(/Indiquez le motif de la prolongation, de \d+ à [\d\s]+ caractères/);
    expect(screen.getByTestId("pool-extend-reason")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.type(screen.getByTestId("pool-extend-reason"), REASON);
    await user.click(screen.getByTestId("pool-extend-submit"));
    const dialog = await screen.findByRole("dialog", { name: "Prolonger la date limite du marché groupé « Caméras des parkings 2027 » ?" });
    expect(within(dialog).getByTestId("pool-extend-confirm-body")).toHaveTextContent(
      "La date limite passera du 20/03/2027 à 12:00 (heure de Bruxelles) au 27/03/2027 à 12:00 (heure de Bruxelles) pour la remise en concurrence de chacune des 2 communes du marché groupé. Chaque prestataire invité reçoit la nouvelle date et le motif.",
    );
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "extend_pool_deadline",
      input: { pool_id: POOL_ID, deadline: "2027-03-27T11:00:00Z", reason: REASON },
    });
    expect(await screen.findByTestId("pool-receipt")).toHaveTextContent(`Date limite du marché groupé « Caméras des parkings 2027 » reportée au 27/03/2027 à 12:00 (heure de Bruxelles), pour toutes les communes. Motif : ${REASON}`);
    expect(screen.queryByTestId("pool-extend-form")).not.toBeInTheDocument();
  });

  it("a deadline the domain refuses comes back next to the date", async () => {
    vi.mocked(api.pool).mockResolvedValue(runningPool());
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "deadline_not_later",
      message: "La nouvelle date limite doit tomber après la date limite actuelle.",
      params: { field: "deadline" },
    });
    const { user } = renderApp(`/marches-groupes/${POOL_ID}`);
    await user.click(await screen.findByTestId("pool-extend-open"));
    await user.type(screen.getByTestId("pool-extend-reason"), REASON);
    await user.click(screen.getByTestId("pool-extend-submit"));
    await user.click(within(await screen.findByRole("dialog")).getByTestId("confirm-accept"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La nouvelle date limite doit tomber après la date limite actuelle.");
    expect(screen.getByTestId("pool-extend-date")).toHaveAttribute("aria-invalid", "true");
  });

  it("only in competition_open, only for the centrale", async () => {
    vi.mocked(api.pool).mockResolvedValue(openedPool({ declared: true }));
    const first = renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-offers")).toBeInTheDocument();
    expect(screen.queryByTestId("pool-extend-open")).not.toBeInTheDocument();
    first.unmount();

    vi.mocked(api.pool).mockResolvedValue(poolPage({ phase: "joining_closed", joinable: false }));
    const second = renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-launch")).toBeInTheDocument();
    expect(screen.queryByTestId("pool-extend-open")).not.toBeInTheDocument();
    second.unmount();

    vi.mocked(api.appState).mockResolvedValue(appState());
    vi.mocked(api.pool).mockResolvedValue(runningPool());
    renderApp(`/marches-groupes/${POOL_ID}`);
    expect(await screen.findByTestId("pool-deadline")).toHaveTextContent("Offres attendues avant le 20/03/2027 à 12:00 (heure de Bruxelles)");
    expect(screen.queryByTestId("pool-extend-open")).not.toBeInTheDocument();
  });
});
