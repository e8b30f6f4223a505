import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { AppError } from "../errors";
import { mockBackend } from "../test/api";
import { appState, centraleState, me } from "../test/fixtures";
import { renderApp } from "../test/render";
import { bertrix, SERVICE_ID, serviceDetail, serviceRow, sheetViews } from "../test/screenFixtures";
import { DESIGNATION_RULES } from "../bindings/rules";
import type { ServiceDetail } from "../bindings/ServiceDetail";

/** The service under a framework called off directly by rotation, Civitas then Guichet Wallon
 * (issue 11 rule 5), with the designation for Bertrix. */
function byRotation(designation: ServiceDetail["designation"]): ServiceDetail {
  const base = serviceDetail();
  const framework = base.framework!;
  return {
    ...base,
    framework: {
      ...framework,
      call_off_method: "both",
      terms: {
        ...framework.terms,
        direct_call_off: {
          rule: "rotation",
          ranking: [
            { rank: 1, provider_id: "p-1", name: "Civitas Digital SA" },
            { rank: 2, provider_id: "p-2", name: "Guichet Wallon SRL" },
          ],
          up_to: 500_000,
        },
      },
    },
    designation,
  };
}

vi.mock("../api");

/** Spaces as fr-BE writes them (narrow no-break in numbers, no-break before € and HTVA). */
const plain = (text: string | null) => (text ?? "").replace(/[\u202f\u00a0]/g, " ");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(bertrix());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

describe("ServicePage", () => {
  it("reads the service asked for and titles the page with its name", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByRole("heading", { level: 1, name: /E-guichet/ })).toHaveAttribute("data-testid", "page-title");
    expect(api.serviceDetail).toHaveBeenCalledWith(SERVICE_ID);
    expect(screen.getByText("L'agent traite la demande dans le back-office.")).toBeInTheDocument();
  });

  it("shows the framework: providers, period, price ceilings HTVA and TVAC, criteria and weights, documents", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    const providers = await screen.findByTestId("framework-providers");
    expect(providers).toHaveTextContent("Civitas Digital SA");
    expect(providers).toHaveTextContent("Guichet Wallon SRL");
    expect(providers).toHaveTextContent("Suspendu");
    expect(screen.getByTestId("framework-period")).toHaveTextContent("Du 01/03/2025 au 28/02/2029");

    const rows = within(screen.getByTestId("price-schedule")).getAllByTestId("price-line");
    expect(rows).toHaveLength(2);
    expect(plain(rows[0]!.textContent)).toContain("Mise en service et paramétrage");
    expect(plain(within(rows[0]!).getByTestId("price-ceiling-htva").textContent)).toBe("1 234,56 € HTVA");
    expect(plain(within(rows[0]!).getByTestId("price-ceiling-tvac").textContent)).toBe("1 493,82 € TVAC");
    expect(plain(rows[1]!.textContent)).toContain("par tranche de 1 000 habitants et par an");
    expect(plain(rows[1]!.textContent)).toContain("21 %");

    const criteria = within(screen.getByTestId("award-criteria")).getAllByRole("listitem");
    expect(plain(criteria[0]!.textContent)).toContain("Prix60 %");
    expect(plain(criteria[1]!.textContent)).toContain("Qualité40 %");

    const documents = screen.getByTestId("framework-documents");
    expect(documents).toHaveTextContent("Cahier spécial des charges");
    expect(documents).toHaveTextContent("Fichier csc-ca-2025-01.pdf, version 1.1");
  });

  it("shows each solution's interoperability sheet, what the intercommunale checked, and what fits the commune's own solutions (issue 16 §1)", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue({ ...serviceDetail(), interoperability: sheetViews() });
    renderApp(`/catalogue/${SERVICE_ID}`);
    const civitas = await screen.findByTestId("interop-sheet-0");
    expect(within(civitas).getByRole("heading", { level: 3 })).toHaveTextContent("Civitas Digital SA — Civitas Guichet 4");
    expect(within(civitas).getByTestId("interop-0-open_data")).toHaveTextContent("CSV (Licence ouverte CC BY 4.0)");
    expect(within(civitas).getByTestId("interop-0-open_data")).toHaveTextContent("non vérifié");
    expect(within(civitas).getByTestId("interop-0-citizen_identity")).toHaveTextContent("CSAM (carte d'identité électronique et itsme via le fédéral) ; Mon Espace (Wallonie)");
    expect(within(civitas).getByTestId("interop-0-hosting")).toHaveTextContent("Données hébergées en Belgique (centre de données à Liège)vérifié le 18/09/2025");
    expect(within(civitas).getByTestId("interop-0-reversibility")).toHaveTextContent("vérifié en partie le 22/09/2025 — L'export des paramètres reste à démontrer.");
    expect(within(civitas).getByTestId("interop-fits-0")).toHaveTextContent(
      "Fonctionne avec une solution que votre commune utilise déjà :Payvallée Écoles (Paiement scolaire, Payvallée SRL) — les redevances sont payées en ligne (testé par l'intercommunale le 18/09/2025)",
    );
    expect(within(civitas).getByTestId("interop-links-0")).toHaveTextContent("Payvallée Écoles");
    expect(screen.getByTestId("interop-missing-1")).toHaveTextContent("La centrale n'a pas encore établi la fiche d'interopérabilité de cette solution.");
  });

  it("does not tell the centrale's staff what fits « your commune »", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.serviceDetail).mockResolvedValue({ ...serviceDetail(), interoperability: sheetViews() });
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("interop-sheet-0")).toBeInTheDocument();
    expect(screen.queryByTestId("interop-fits-0")).not.toBeInTheDocument();
  });

  it("opens a framework document from the PC with « Ouvrir », and says why when it cannot", async () => {
    const detail = serviceDetail();
    const doc = detail.framework!.terms.documents[0]!;
    vi.mocked(api.serviceDetail).mockResolvedValue(detail);
    vi.mocked(api.openFrameworkDocument).mockResolvedValueOnce({
      path: "/home/dg/Documents/Centrale/Accords-cadres/abc/csc-ca-2025-01.pdf",
      file_name: "csc-ca-2025-01.pdf",
      fetched: false,
    });
    const { user } = renderApp(`/catalogue/${SERVICE_ID}`);
    const open = await screen.findByTestId("framework-document-open-0");
    expect(open).toHaveTextContent("Ouvrir");
    expect(open).toHaveAccessibleName(`Ouvrir « ${doc.title} »`);
    await user.click(open);
    expect(api.openFrameworkDocument).toHaveBeenCalledWith(doc.sha256, doc.file_name, doc.title);
    expect(await screen.findByTestId("framework-document-opened-0")).toHaveTextContent(
      "Document ouvert. Il est enregistré ici : /home/dg/Documents/Centrale/Accords-cadres/abc/csc-ca-2025-01.pdf",
    );

    vi.mocked(api.openFrameworkDocument).mockRejectedValueOnce(
      new AppError("document_file_not_cached", "", { title: doc.title }),
    );
    await user.click(open);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `Le document « ${doc.title} » n'est pas encore sur ce PC et l'intercommunale est injoignable : il sera téléchargé à la prochaine synchronisation.`,
    );
  });

  it("shows the estimate for the commune, per line and in total, and says it is an estimate from the ceilings", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    const estimate = await screen.findByTestId("cost-estimate");
    expect(plain(within(estimate).getByRole("heading", { level: 2 }).textContent)).toBe(
      "Estimation pour Bertrix (8 962 habitants)",
    );
    expect(plain(estimate.textContent)).toContain("Ceci est une estimation, pas un prix");
    expect(plain(estimate.textContent)).toContain("prix maximaux de l'accord-cadre");
    const lines = within(estimate).getAllByTestId("estimate-line");
    // The yearly licence over the 48-month contract (issue 11 rule 9).
    expect(plain(lines[1]!.textContent)).toContain("Licence annuellepar tranche de 1 000 habitants et par an9 × 4");
    expect(plain(lines[1]!.textContent)).toContain("6 480,00 € HTVA");
    expect(plain(lines[1]!.textContent)).toContain("7 840,80 € TVAC");
    expect(plain(screen.getByTestId("estimate-total-htva").textContent)).toBe("7 714,56 € HTVA");
    expect(plain(screen.getByTestId("estimate-total-tvac").textContent)).toBe("9 334,62 € TVAC");
  });

  it("states the rotation, the ranking and the threshold, and who is next for the commune and why (issue 11 rule 5)", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(
      byRotation({
        rule: "rotation",
        provider_id: "p-2",
        provider_name: "Guichet Wallon SRL",
        rank: 2,
        previous: {
          order_id: "o-1",
          title: "Réservation des salles 2026",
          provider_id: "p-1",
          provider_name: "Civitas Digital SA",
          awarded_at: "2026-10-05T09:00:00Z",
        },
        passed_over: [],
        up_to: 500_000,
      }),
    );
    renderApp(`/catalogue/${SERVICE_ID}`);
    const rule = await screen.findByTestId("designation-rule");
    expect(rule).toHaveTextContent("Par rotation (à tour de rôle)");
    expect(within(rule).getByTestId("designation-rule-statement")).toHaveTextContent(DESIGNATION_RULES.rotation);
    expect(plain(within(rule).getByTestId("designation-threshold").textContent)).toContain("ne dépasse pas 5 000,00 € HTVA");
    const ranking = within(screen.getByTestId("designation-ranking")).getAllByRole("listitem");
    expect(ranking.map((li) => li.textContent)).toEqual(["1. Civitas Digital SA", "2. Guichet Wallon SRL"]);
    const next = screen.getByTestId("designation-next");
    expect(within(next).getByTestId("designation-provider")).toHaveTextContent(
      "Prochaine commande directe de votre commune : Guichet Wallon SRL",
    );
    expect(within(next).getByTestId("designation-why")).toHaveTextContent(
      "La commande directe précédente de la commune, « Réservation des salles 2026 », attribuée le 05/10/2026, est allée à Civitas Digital SA : c'est au tour du suivant, le n° 2 du classement.",
    );
    expect(next).toHaveTextContent("La commune ne choisit pas le prestataire");
  });

  it("a commune's first direct call-off by rotation goes to the first of the ranking, and says so", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(
      byRotation({
        rule: "rotation",
        provider_id: "p-1",
        provider_name: "Civitas Digital SA",
        rank: 1,
        previous: null,
        passed_over: [],
        up_to: 500_000,
      }),
    );
    renderApp(`/catalogue/${SERVICE_ID}`);
    const why = await screen.findByTestId("designation-why");
    expect(why).toHaveTextContent("C'est la première commande directe de la commune sous cet accord-cadre : elle revient au n° 1 du classement.");
  });

  it("a re-competed framework states no designation", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    await screen.findByTestId("framework");
    expect(screen.queryByTestId("designation-rule")).not.toBeInTheDocument();
    expect(screen.queryByTestId("designation-next")).not.toBeInTheDocument();
  });

  it("« Commander ce service » opens the new-order form for this service", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    const order = await screen.findByTestId("order-this-service");
    expect(order).toHaveTextContent("Commander ce service");
    expect(order).toHaveAttribute("href", `#/commandes/nouvelle?service=${SERVICE_ID}`);
    expect(screen.queryByTestId("order-adhesion-note")).not.toBeInTheDocument();
  });

  it("says the request can be prepared but not sent while the adhesion is not active", async () => {
    const state = bertrix();
    vi.mocked(api.appState).mockResolvedValue({ ...state, commune: { ...state.commune!, adhesion_status: "draft" } });
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("order-adhesion-note")).toHaveTextContent("une fois la convention d'adhésion de votre commune active");
    expect(screen.getByTestId("order-this-service")).toBeInTheDocument();
  });

  it("a service that cannot be ordered says why, without the order button", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(
      serviceDetail({ service: serviceRow({ call_off_possible: false, call_off_blocker: "not_started", start_date: "2027-06-01" }) }),
    );
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("order-box")).toHaveTextContent(
      "L'accord-cadre commence le 01/06/2027. Vous pourrez commander ce service à partir de cette date.",
    );
    expect(screen.getByTestId("service-call-off")).toHaveTextContent("Commandable à partir du 01/06/2027");
    expect(screen.queryByTestId("order-this-service")).not.toBeInTheDocument();
  });

  it("for an account outside a commune: no order button and no estimate", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "centrale_staff", commune_nis: null }), commune: null }));
    vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail({ estimate: null }));
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("estimate-none")).toHaveTextContent("n'est pas disponible pour ce compte");
    expect(screen.queryByTestId("order-this-service")).not.toBeInTheDocument();
  });

  it("shows the centrale's staff « Publier une nouvelle version de l'accord-cadre », not the order button", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail({ estimate: null }));
    renderApp(`/catalogue/${SERVICE_ID}`);
    const link = await screen.findByTestId("framework-new-version");
    expect(link).toHaveTextContent("Publier une nouvelle version de l'accord-cadre");
    expect(link).toHaveAttribute("href", `#/catalogue/${SERVICE_ID}/nouvelle-version`);
    expect(screen.queryByTestId("order-this-service")).not.toBeInTheDocument();
    expect(screen.queryByTestId("cost-estimate")).not.toBeInTheDocument();
  });

  it("does not offer a new framework version to a commune", async () => {
    renderApp(`/catalogue/${SERVICE_ID}`);
    await screen.findByTestId("order-this-service");
    expect(screen.queryByTestId("framework-new-version")).not.toBeInTheDocument();
  });

  it("without the framework on this PC, the centrale has nothing to version", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail({ estimate: null, framework: null }));
    renderApp(`/catalogue/${SERVICE_ID}`);
    await screen.findByTestId("framework-missing");
    expect(screen.queryByTestId("framework-new-version")).not.toBeInTheDocument();
  });

  it("says when the service was added and the need of a survey it answers (issue 16 §3)", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(
      serviceDetail({
        service: serviceRow({
          added_on: "2027-03-01",
          is_new: true,
          from_need: {
            need: { survey_id: "0190f0aa-0000-7000-8000-0000000005a1", question: "citoyens-besoins", choice: "e-guichet" },
            survey_title: "Services aux citoyens 2027",
            label_fr: "Commander ses documents en ligne",
            communes: 7,
          },
        }),
      }),
    );
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("service-added-on")).toHaveTextContent("Ajouté au catalogue le 01/03/2027.");
    expect(screen.getByTestId("service-from-need")).toHaveTextContent(
      "Répond au besoin « Commander ses documents en ligne » exprimé par 7 communes dans l'enquête « Services aux citoyens 2027 ».",
    );
    expect(screen.getByTestId("service-new-badge")).toHaveTextContent("Nouveau");
  });

  it("a founding service says nothing of its origin", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
    renderApp(`/catalogue/${SERVICE_ID}`);
    expect(await screen.findByTestId("order-box")).toBeInTheDocument();
    expect(screen.queryByTestId("service-origin")).not.toBeInTheDocument();
    expect(screen.queryByTestId("service-new-badge")).not.toBeInTheDocument();
  });

  it("an unknown service says so and leads back to the catalogue", async () => {
    vi.mocked(api.serviceDetail).mockResolvedValue(null);
    renderApp("/catalogue/inconnu");
    const empty = await screen.findByTestId("service-not-found");
    expect(empty).toHaveTextContent("Ce service est introuvable sur ce PC.");
    expect(within(empty).getByRole("link", { name: "Retour au catalogue" })).toHaveAttribute("href", "#/catalogue");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Service du catalogue");
  });
});
