import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { mockBackend } from "../../test/api";
import { appState, centraleState, outboxEntry } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { serviceDetail, serviceRow } from "../../test/screenFixtures";
import { CIVITAS, GUICHET, registeredProviders } from "./catalogueAdmin/testData";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.providers).mockResolvedValue(registeredProviders());
  vi.mocked(api.newId).mockResolvedValue("0190f0aa-0000-7000-8000-00000000b001");
});

async function fill(user: ReturnType<typeof renderApp>["user"], values: Partial<Record<string, string>>) {
  for (const [testId, value] of Object.entries(values)) {
    const input = screen.getByTestId(testId);
    await user.clear(input);
    if (value) await user.type(input, value);
  }
}

describe("Providers", () => {
  it("lists the registered providers with their BCE number, e-mail, address and frameworks", async () => {
    const detail = serviceDetail();
    const framework = detail.framework!;
    vi.mocked(api.services).mockResolvedValue([serviceRow()]);
    vi.mocked(api.serviceDetail).mockResolvedValue({
      ...detail,
      framework: {
        ...framework,
        terms: {
          ...framework.terms,
          providers: [
            { ...framework.terms.providers[0]!, provider_id: CIVITAS },
            { ...framework.terms.providers[1]!, provider_id: GUICHET, status: "suspended" },
          ],
        },
      },
    });
    renderApp("/prestataires");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Prestataires");
    const rows = await within(await screen.findByTestId("providers-list")).findAllByTestId("provider-row");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("Civitas Digital SA");
    expect(within(rows[0]!).getByTestId("provider-row-number")).toHaveTextContent("0123.456.749");
    expect(rows[0]).toHaveTextContent("offres@civitas.example");
    expect(rows[0]).toHaveTextContent("Rue de Fer 12, 5000 Namur");
    expect(rows[0]).toHaveTextContent("prestataire.civitas");
    await waitFor(() => expect(within(rows[0]!).getByTestId("provider-row-frameworks")).toHaveTextContent("CA-2025-01 — E-guichet"));
    expect(within(rows[1]!).getByTestId("provider-row-frameworks")).toHaveTextContent("Suspendu");
    expect(within(rows[2]!).getByTestId("provider-row-frameworks")).toHaveTextContent("Aucun accord-cadre pour le moment");
    expect(screen.getByTestId("providers-count")).toHaveTextContent("3 prestataires enregistrés");
  });

  it("suggests the short name from the name and registers the provider with the number as the BCE writes it", async () => {
    vi.mocked(api.providers).mockResolvedValue([]);
    const { user } = renderApp("/prestataires");
    expect(await screen.findByTestId("providers-empty")).toHaveTextContent("Aucun prestataire");
    await user.type(screen.getByTestId("provider-name"), "Smart Parking Wallonie SRL");
    expect(screen.getByTestId("provider-short-name")).toHaveValue("smartparkingwallonie");
    await fill(user, {
      "provider-enterprise-number": "BE 0800 000 075",
      "provider-address": "Avenue de la Gare 3, 6700 Arlon",
      "provider-email": "offres@smartparking.example",
    });
    expect(screen.getByText("Numéro lu : 0800.000.075")).toBeInTheDocument();
    await user.click(screen.getByTestId("provider-submit"));

    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "register_provider",
        input: {
          provider_id: "0190f0aa-0000-7000-8000-00000000b001",
          short_name: "smartparkingwallonie",
          name: "Smart Parking Wallonie SRL",
          enterprise_number: "0800.000.075",
          address: "Avenue de la Gare 3, 6700 Arlon",
          contact_email: "offres@smartparking.example",
        },
      }),
    );
    expect(await screen.findByTestId("provider-sent")).toHaveTextContent(
      "« Smart Parking Wallonie SRL » est enregistré sur ce PC et sera envoyé à l'intercommunale à la prochaine synchronisation.",
    );
    expect(screen.getByTestId("provider-name")).toHaveValue("");
  });

  it("refuses a wrong check digit, a missing address and a bad e-mail, keeping what was typed", async () => {
    const { user } = renderApp("/prestataires");
    await screen.findByTestId("providers-list");
    await fill(user, {
      "provider-name": "Nouvelle Ville SA",
      "provider-enterprise-number": "0123.456.748",
      "provider-email": "offres-at-nouvelleville",
    });
    await user.click(screen.getByTestId("provider-submit"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent(
      "Le numéro d'entreprise « 0123.456.748 » n'est pas valide : les deux derniers chiffres de contrôle ne correspondent pas.",
    );
    expect(summary).toHaveTextContent("Indiquez l'adresse du siège du prestataire.");
    expect(summary).toHaveTextContent("Indiquez une adresse e-mail valide");
    expect(screen.getByTestId("provider-enterprise-number")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("provider-enterprise-number")).toHaveValue("0123.456.748");
    expect(screen.getByTestId("provider-name")).toHaveValue("Nouvelle Ville SA");
    expect(api.perform).not.toHaveBeenCalled();

    await fill(user, { "provider-enterprise-number": "2123.456.749" });
    await user.click(screen.getByTestId("provider-submit"));
    await waitFor(() => expect(screen.getByTestId("error-summary")).toHaveTextContent("il commence par 0 ou 1"));
    await fill(user, { "provider-enterprise-number": "0123.456" });
    await user.click(screen.getByTestId("provider-submit"));
    await waitFor(() => expect(screen.getByTestId("error-summary")).toHaveTextContent("il doit compter 10 chiffres"));
  });

  it("refuses a number or short name already registered", async () => {
    const { user } = renderApp("/prestataires");
    await screen.findByTestId("providers-list");
    await fill(user, {
      "provider-name": "Civitas Bis SA",
      "provider-short-name": "civitas",
      "provider-enterprise-number": "0123456749",
      "provider-address": "Rue Haute 1, 1000 Bruxelles",
      "provider-email": "offres@bis.example",
    });
    await user.click(screen.getByTestId("provider-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Le numéro d'entreprise 0123.456.749 est déjà enregistré, pour Civitas Digital SA.");
    expect(summary).toHaveTextContent("Le nom court « civitas » est déjà utilisé par Civitas Digital SA.");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("shows a registration waiting for the sync, and one refused by the server with where to fix it", async () => {
    vi.mocked(api.outbox).mockResolvedValue([
      outboxEntry({
        mutation_id: "m-wait",
        name: "provider.register",
        state: "pending",
        payload: { provider_id: "x", short_name: "nuagix", name: "Nuagix SRL", enterprise_number: "0800.000.075", address: "Arlon", contact_email: "o@n.be" },
      }),
      outboxEntry({
        mutation_id: "m-refused",
        name: "provider.register",
        state: "needs_attention",
        payload: { provider_id: "y", short_name: "autre", name: "Autre SA", enterprise_number: "0123.456.749", address: "Namur", contact_email: "o@a.be" },
      }),
    ]);
    renderApp("/prestataires");
    const list = await screen.findByTestId("providers-list");
    const waiting = (await within(list).findAllByTestId("provider-row")).find((r) => r.getAttribute("data-pending") === "true");
    expect(waiting).toHaveTextContent("Nuagix SRL");
    expect(waiting).toHaveTextContent("Envoyé à l'intercommunale à la prochaine synchronisation");
    const refused = within(list).getByTestId("provider-refused");
    expect(refused).toHaveTextContent("Refusé par l'intercommunale");
    expect(within(refused).getByRole("link", { name: "Voir la raison et corriger" })).toHaveAttribute("href", "#/a-regler/m-refused");
  });

  it("is for the centrale's staff only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/prestataires");
    expect(await screen.findByTestId("catalogue-admin-forbidden")).toHaveTextContent("réservée au personnel de la centrale");
    expect(screen.queryByTestId("provider-form")).not.toBeInTheDocument();
  });
});
