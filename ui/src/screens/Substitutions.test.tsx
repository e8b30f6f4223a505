import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { Decision } from "../bindings/Decision";
import type { Substitution } from "../bindings/Substitution";
import { mockBackend } from "../test/api";
import { appState, me } from "../test/fixtures";
import { renderApp } from "../test/render";
import { ADHESION_ID, adhesionScreen, adhesionView, CONVENTION_SHA, signature } from "../test/screenFixtures";

vi.mock("../api");

const decided: Decision = { organ: { kind: "conseil" }, reference: "COL/2027/045", date: "2027-03-03", financial_opinion: null };
const designation: Decision = { organ: { kind: "college" }, reference: "COL/2027/050", date: "2027-03-10", financial_opinion: null };
const sophie = me({ user_id: "u-3", username: "agent.92094", display_name: "Sophie Renard", role: "commune_staff", gender: "female" });

const substitution = (over: Partial<Substitution> = {}): Substitution => ({
  id: "sub-1",
  commune_nis: "92094",
  capacity: "mayor_acting",
  substitute_username: "agent.92094",
  substitute_user_id: "u-3",
  substitute_name: "Sophie Renard",
  substitute_gender: "female",
  from: "2027-03-10",
  to: "2027-03-20",
  decision: designation,
  recorded_by: "Marie Dupont, directeur général",
  recorded_at: "2027-03-10T09:00:00Z",
  ended: null,
  ranked_before_unavailable: null,
  documents: null,
  ...over,
});

beforeEach(() => {
  mockBackend();
});

describe("Substitute signatories (CDLD L1123-5, L1132-4)", () => {
  it("the directeur général designates a bourgmestre f.f. with typed dates and the decision", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ may_designate: true }));
    vi.mocked(api.newId).mockResolvedValue("sub-new");
    const { user } = renderApp("/adhesion");
    const section = await screen.findByTestId("adhesion-substitutions");
    expect(section).toHaveTextContent("Aucun remplacement enregistré.");
    await user.click(within(section).getByTestId("substitution-add"));

    // Nothing typed: the French error summary, nothing sent.
    await user.clear(screen.getByTestId("substitution-from"));
    await user.click(screen.getByTestId("substitution-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez l'identifiant de connexion de la personne.");
    expect(summary).toHaveTextContent("Indiquez une date au format jj/mm/aaaa.");
    expect(api.perform).not.toHaveBeenCalled();

    await user.selectOptions(screen.getByTestId("substitution-capacity"), "mayor_acting");
    await user.type(screen.getByTestId("substitution-username"), "agent.92094");
    await user.type(screen.getByTestId("substitution-from"), "12/03/2027");
    await user.type(screen.getByTestId("substitution-to"), "20/03/2027");
    await user.type(screen.getByTestId("substitution-reference"), "COL/2027/050");
    await user.type(screen.getByTestId("substitution-date"), "10/03/2027");
    await user.click(screen.getByTestId("substitution-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "record_substitution",
      input: {
        substitution_id: "sub-new",
        capacity: "mayor_acting",
        substitute_username: "agent.92094",
        from: "2027-03-12",
        to: "2027-03-20",
        decision: designation,
        ranked_before_unavailable: null,
        documents: null,
      },
    });
  });

  it("a bourgmestre f.f. by rank who is not the first échevin: the server's refusal lands on the statement, then it is sent", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ may_designate: true }));
    vi.mocked(api.newId).mockResolvedValue("sub-new");
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "substitute_not_first_in_rank",
      message: "« agent.92094 » est l'échevin de rang 2 ; le premier en rang est Julien Mathieu (rang 1).",
      params: { field: "ranked_before_unavailable", username: "agent.92094", rank: 2, first_name: "Julien Mathieu", first_rank: 1, min_chars: 20, max_chars: 1000 },
    });
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("substitution-add"));
    await user.selectOptions(screen.getByTestId("substitution-capacity"), "mayor_acting");
    // Asked only for the collège's record by rank.
    const statement = screen.getByTestId("substitution-ranked-before");
    expect(screen.getByText(/le premier échevin en rang \(CDLD, art. L1123-5\)/)).toBeInTheDocument();
    await user.type(screen.getByTestId("substitution-username"), "agent.92094");
    await user.type(screen.getByTestId("substitution-to"), "20/03/2027");
    await user.type(screen.getByTestId("substitution-reference"), "COL/2027/050");
    await user.type(screen.getByTestId("substitution-date"), "10/03/2027");
    await user.click(screen.getByTestId("substitution-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("le premier en rang est Julien Mathieu");
    expect(within(summary).getByRole("link")).toHaveAttribute("href", "#substitution-ranked-before");
    await user.type(statement, "Julien Mathieu, premier échevin, en congé jusqu'au 15/12/2026.");
    await user.click(screen.getByTestId("substitution-submit"));
    expect(api.perform).toHaveBeenLastCalledWith({
      kind: "record_substitution",
      input: expect.objectContaining({
        capacity: "mayor_acting",
        ranked_before_unavailable: "Julien Mathieu, premier échevin, en congé jusqu'au 15/12/2026.",
      }),
    });
  });

  it("shows which documents an échevin délégué signs", async () => {
    const act: Decision = { organ: { kind: "mayor" }, reference: "BGM/2027/003", date: "2027-03-01", financial_opinion: null };
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        may_designate: true,
        substitutions: [{ substitution: substitution({ capacity: "delegated_alderman", decision: act, documents: ["award", "acceptance"] }), in_force: true, pending: false, may_end: true }],
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("substitution-documents-list")).toHaveTextContent(
      "Signature déléguée pour : La décision d'attribution (après remise en concurrence ou directe), Les réceptions provisoire et définitive",
    );
  });

  it("shows the collège's statement of the échevins ranked before", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        may_designate: true,
        substitutions: [
          { substitution: substitution({ ranked_before_unavailable: "Julien Mathieu, premier échevin, en congé." }), in_force: true, pending: false, may_end: true },
        ],
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("substitution-ranked-before")).toHaveTextContent(
      "Échevins de rang précédent empêchés : Julien Mathieu, premier échevin, en congé.",
    );
  });

  it("offers the directeur général only what the CDLD lets her record: no échevin délégué, the collège for a DG f.f.", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ may_designate: true }));
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("substitution-add"));
    const capacity = screen.getByTestId("substitution-capacity");
    const offered = within(capacity)
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    // The délégation of the bourgmestre's signature is his own written act (L1132-4).
    expect(offered).toEqual(["mayor_acting", "director_general_acting"]);
    // The bourgmestre f.f. by rank, as the collège records it (L1123-5): one act, no choice.
    expect(screen.getByTestId("substitution-organ")).toHaveTextContent("Décision de l'organe compétent : Collège communal.");
    await user.selectOptions(capacity, "director_general_acting");
    expect(screen.getByText(/pour 3 mois au plus/)).toBeInTheDocument();
    expect(screen.getByText(/Pour 30 jours au plus, le directeur général peut désigner lui-même son remplaçant/)).toBeInTheDocument();
    // The collège's designation, or her own act on the collège's authorisation (L1124-19).
    const organs = within(screen.getByTestId("substitution-organ"))
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    expect(organs).toEqual(["college", "director_general"]);
  });

  it("the directeur général designates her own replacement on the collège's authorisation (L1124-19)", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ may_designate: true }));
    vi.mocked(api.newId).mockResolvedValue("sub-new");
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("substitution-add"));
    await user.selectOptions(screen.getByTestId("substitution-capacity"), "director_general_acting");
    await user.selectOptions(screen.getByTestId("substitution-organ"), "director_general");
    expect(screen.getByText("Date de l'acte")).toBeInTheDocument();
    await user.type(screen.getByTestId("substitution-username"), "agent.92094");
    await user.type(screen.getByTestId("substitution-to"), "20/03/2027");
    await user.type(screen.getByTestId("substitution-reference"), "DG/2027/004");
    await user.type(screen.getByTestId("substitution-date"), "01/03/2027");
    // The collège's authorisation is part of the act: asked for, in French, nothing sent.
    await user.click(screen.getByTestId("substitution-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(
      "Indiquez la date de la décision du collège qui autorise le directeur général à désigner lui-même son remplaçant.",
    );
    expect(api.perform).not.toHaveBeenCalled();
    await user.type(screen.getByTestId("substitution-authorisation-date"), "15/02/2027");
    await user.click(screen.getByTestId("substitution-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "record_substitution",
      input: expect.objectContaining({
        capacity: "director_general_acting",
        decision: {
          organ: { kind: "director_general", authorisation_date: "2027-02-15" },
          reference: "DG/2027/004",
          date: "2027-03-01",
          financial_opinion: null,
        },
      }),
    });
  });

  it("shows the directeur général's own designation with the collège's authorisation", async () => {
    const own: Decision = { organ: { kind: "director_general", authorisation_date: "2027-02-15" }, reference: "DG/2027/004", date: "2027-03-01", financial_opinion: null };
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        may_designate: true,
        substitutions: [{ substitution: substitution({ capacity: "director_general_acting", decision: own }), in_force: true, pending: false, may_end: true }],
      }),
    );
    renderApp("/adhesion");
    const row = await screen.findByTestId("substitution");
    expect(row).toHaveTextContent("Acte écrit du directeur général, sur autorisation du collège du 15/02/2027 : décision DG/2027/004 du 01/03/2027.");
  });

  it("the bourgmestre delegates his signature by his written act", async () => {
    vi.mocked(api.appState).mockResolvedValue(
      appState({ session: me({ user_id: "u-2", username: "bourgmestre.92094", display_name: "Jean Collard", role: "mayor", gender: "male" }) }),
    );
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ may_designate: true }));
    vi.mocked(api.newId).mockResolvedValue("sub-new");
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("substitution-add"));
    await user.selectOptions(screen.getByTestId("substitution-capacity"), "delegated_alderman");
    // One act allowed: the bourgmestre's own.
    expect(screen.getByTestId("substitution-organ")).toHaveTextContent("Acte écrit du bourgmestre");
    expect(screen.getByText("Date de l'acte")).toBeInTheDocument();
    await user.type(screen.getByTestId("substitution-username"), "echevin.92094");
    await user.type(screen.getByTestId("substitution-to"), "31/03/2027");
    await user.type(screen.getByTestId("substitution-reference"), "BGM/2027/003");
    await user.type(screen.getByTestId("substitution-date"), "01/03/2027");
    // « Certain documents » (L1132-4): which ones, as his act lists them.
    await user.click(screen.getByTestId("substitution-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Cochez au moins un document dont le bourgmestre délègue la signature.");
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("substitution-documents-acceptance"));
    await user.click(screen.getByTestId("substitution-documents-award"));
    await user.click(screen.getByTestId("substitution-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "record_substitution",
      input: expect.objectContaining({
        capacity: "delegated_alderman",
        substitute_username: "echevin.92094",
        decision: { organ: { kind: "mayor" }, reference: "BGM/2027/003", date: "2027-03-01", financial_opinion: null },
        documents: ["award", "acceptance"],
      }),
    });
    // For a bourgmestre f.f. he may enter his act or the collège's.
    await user.click(await screen.findByTestId("substitution-add"));
    await user.selectOptions(screen.getByTestId("substitution-capacity"), "mayor_acting");
    const organs = within(screen.getByTestId("substitution-organ"))
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    expect(organs).toEqual(["college", "mayor"]);
    // The directeur général's own designation is hers: he enters the collège's only.
    await user.selectOptions(screen.getByTestId("substitution-capacity"), "director_general_acting");
    expect(screen.getByTestId("substitution-organ")).toHaveTextContent("Décision de l'organe compétent : Collège communal.");
  });

  it("lists a substitution with its gender-correct title and lets a titular end it", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        may_designate: true,
        substitutions: [{ substitution: substitution(), in_force: true, may_end: true, pending: false }],
      }),
    );
    const { user } = renderApp("/adhesion");
    const row = await screen.findByTestId("substitution");
    expect(within(row).getByTestId("substitution-who")).toHaveTextContent("Sophie Renard, échevine, bourgmestre f.f., du 10/03/2027 au 20/03/2027");
    expect(row).toHaveTextContent("En cours aujourd'hui");
    expect(row).toHaveTextContent("Collège communal : décision COL/2027/050 du 10/03/2027.");
    await user.click(within(row).getByTestId("substitution-end"));
    const dialog = await screen.findByRole("dialog", { name: "Mettre fin à ce remplacement ?" });
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "end_substitution", input: { substitution_id: "sub-1" } });
  });

  it("the bourgmestre f.f. gets the mayor's sign button on a covered day, and signs as such", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: sophie }));
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({
          college_decision: decided,
          next_step: "commune_signatures",
          director_general_signature: signature(),
          missing_signatures: ["mayor"],
        }),
        signer: { role: "mayor", capacity: "mayor_acting", title: "échevine, bourgmestre f.f.", signs: ["adhesion", "termination", "withdrawal", "set_aside", "award", "acceptance"] },
        substitutions: [{ substitution: substitution(), in_force: true, may_end: true, pending: false }],
      }),
    );
    const { user } = renderApp("/adhesion");
    expect(await screen.findByTestId("substitution-you")).toHaveTextContent("Aujourd'hui, vous signez en qualité de échevine, bourgmestre f.f.");
    // Only the titulars designate or end.
    expect(screen.queryByTestId("substitution-end")).not.toBeInTheDocument();
    expect(screen.queryByTestId("substitution-add")).not.toBeInTheDocument();
    await user.click(within(screen.getByTestId("signature-mayor")).getByTestId("sign-convention"));
    const dialog = await screen.findByRole("dialog", { name: "Signer la convention d'adhésion ?" });
    expect(within(dialog).getByTestId("sign-signatory")).toHaveTextContent("Sophie Renard, échevine, bourgmestre f.f.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "sign_adhesion", input: { adhesion_id: ADHESION_ID, text_sha256: CONVENTION_SHA } });
  });

  it("an agent without a substitution covering today gets no sign button", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: sophie }));
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({ college_decision: decided, next_step: "commune_signatures" }),
        signer: null,
        substitutions: [{ substitution: substitution({ from: "2027-04-01", to: "2027-04-10" }), in_force: false, may_end: true, pending: false }],
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("substitution")).toHaveTextContent("du 01/04/2027 au 10/04/2027");
    expect(screen.queryByTestId("sign-convention")).not.toBeInTheDocument();
    expect(screen.queryByTestId("substitution-in-force")).not.toBeInTheDocument();
  });

  it("a signature reads with the title it was signed with", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({
          college_decision: decided,
          status: "signed_by_commune",
          director_general_signature: signature({ name: "Marie Lambert", title: "directrice générale" }),
          mayor_signature: signature({
            user_id: "u-3",
            name: "Sophie Renard",
            role: "mayor",
            capacity: "mayor_acting",
            title: "échevine, bourgmestre f.f.",
          }),
          missing_signatures: [],
          next_step: "countersign",
        }),
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("signature-dg-by")).toHaveTextContent("Signée par Marie Lambert, directrice générale le 12/03/2027");
    expect(screen.getByTestId("signature-mayor-by")).toHaveTextContent("Signée par Sophie Renard, échevine, bourgmestre f.f. le 12/03/2027");
  });
});
