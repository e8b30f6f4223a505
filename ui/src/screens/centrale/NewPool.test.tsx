import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { AppError } from "../../errors";
import { LIMITS } from "../../bindings/rules";
import { mockBackend } from "../../test/api";
import { appState, centraleState } from "../../test/fixtures";
import { SERVICE_ID, serviceRow } from "../../test/orderFixtures";
import { renderApp } from "../../test/render";

vi.mock("../../api");

const NEW_ID = "0190f0aa-0000-7000-8000-0000000000ff";

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.services).mockResolvedValue([
    serviceRow({ end_date: "2028-12-31" }),
    serviceRow({ id: "svc-old", name: "Capteurs de parking", call_off_possible: false, call_off_blocker: "ended" }),
  ]);
});

type User = ReturnType<typeof renderApp>["user"];

async function open() {
  const rendered = renderApp("/marches-groupes/nouveau");
  await screen.findByTestId("pool-form");
  return rendered;
}

async function paste(user: User, testId: string, value: string) {
  await user.click(screen.getByTestId(testId));
  await user.paste(value);
}

const DESCRIPTION = "Caméras pour les parkings communaux, avec installation et maintenance.";

describe("Ouvrir un marché groupé", () => {
  it("checks every field against the domain's limits before anything is sent, keeping what was typed", async () => {
    const { user } = await open();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Ouvrir un marché groupé");
    // The limits are the domain's, read from the generated rules.
    expect(screen.getByTestId("pool-title")).toHaveAccessibleDescription(new RegExp(`De ${LIMITS.POOL_TITLE_MIN_CHARS} à ${LIMITS.POOL_TITLE_MAX_CHARS} caractères`));

    await user.click(screen.getByTestId("pool-create"));
    let summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Choisissez le service du marché groupé.");
    expect(summary).toHaveTextContent(`Donnez un titre au marché groupé (${LIMITS.POOL_TITLE_MIN_CHARS} à ${LIMITS.POOL_TITLE_MAX_CHARS} caractères).`);
    expect(summary).toHaveTextContent("Décrivez le besoin commun");
    expect(summary).toHaveTextContent("Indiquez jusqu'à quand les communes peuvent rejoindre");
    expect(within(summary).getByRole("link", { name: /Donnez un titre/ })).toHaveAttribute("href", "#pool-title");

    await user.selectOptions(screen.getByTestId("pool-service"), "svc-old");
    await paste(user, "pool-title", "a".repeat(LIMITS.POOL_TITLE_MIN_CHARS - 1));
    await paste(user, "pool-description", "Trop court");
    await user.type(screen.getByTestId("pool-join-until"), "01/03/2027");
    await user.click(screen.getByTestId("pool-create"));
    summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Le service « Capteurs de parking » ne peut pas être commandé pour le moment");
    expect(summary).toHaveTextContent(`Le titre compte ${LIMITS.POOL_TITLE_MIN_CHARS - 1} caractères : il en faut au moins ${LIMITS.POOL_TITLE_MIN_CHARS}.`);
    expect(summary).toHaveTextContent(`La description compte 10 caractères : il en faut au moins ${LIMITS.POOL_DESCRIPTION_MIN_CHARS}.`);
    expect(summary).toHaveTextContent("La date limite pour rejoindre ne peut pas être passée : indiquez le 12/03/2027 ou plus tard.");
    expect(screen.getByTestId("pool-title")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("pool-description")).toHaveValue("Trop court");

    await user.clear(screen.getByTestId("pool-title"));
    await paste(user, "pool-title", "a".repeat(LIMITS.POOL_TITLE_MAX_CHARS + 1));
    await user.selectOptions(screen.getByTestId("pool-service"), SERVICE_ID);
    await user.clear(screen.getByTestId("pool-join-until"));
    await user.type(screen.getByTestId("pool-join-until"), "01/01/2029");
    await user.click(screen.getByTestId("pool-create"));
    summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent(`Le titre compte ${LIMITS.POOL_TITLE_MAX_CHARS + 1} caractères : ${LIMITS.POOL_TITLE_MAX_CHARS} au plus.`);
    expect(summary).toHaveTextContent("La date limite pour rejoindre doit tomber avant la fin de l'accord-cadre, le 31/12/2028.");
    expect(summary).not.toHaveTextContent("Choisissez le service");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("confirms what opens, sends create_pool and opens the pool's page", async () => {
    const { user } = await open();
    await user.selectOptions(screen.getByTestId("pool-service"), SERVICE_ID);
    expect(screen.getByTestId("pool-service-framework")).toHaveTextContent("Accord-cadre");
    await paste(user, "pool-title", "  Caméras des parkings 2027 ");
    await paste(user, "pool-description", DESCRIPTION);
    await user.type(screen.getByTestId("pool-join-until"), "31/03/2027");
    await user.click(screen.getByTestId("pool-create"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Ouvrir le marché groupé « Caméras des parkings 2027 » ?");
    expect(within(dialog).getByTestId("pool-confirm-join-until")).toHaveTextContent("31/03/2027");
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("confirm-accept"));

    expect(api.perform).toHaveBeenCalledWith({
      kind: "create_pool",
      input: { pool_id: NEW_ID, pool: { service_id: SERVICE_ID, title: "Caméras des parkings 2027", description: DESCRIPTION, join_until: "2027-03-31" } },
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/marches-groupes/${NEW_ID}`));
  });

  it("a refusal of the domain comes back next to its field, what was typed kept", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce(
      new AppError("pool_join_until_invalid", "La date limite pour rejoindre le marché groupé doit tomber entre aujourd'hui et la fin de l'accord-cadre.", {
        field: "pool.join_until",
      }),
    );
    const { user } = await open();
    await user.selectOptions(screen.getByTestId("pool-service"), SERVICE_ID);
    await paste(user, "pool-title", "Caméras des parkings 2027");
    await paste(user, "pool-description", DESCRIPTION);
    await user.type(screen.getByTestId("pool-join-until"), "31/03/2027");
    await user.click(screen.getByTestId("pool-create"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument());
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("La date limite pour rejoindre le marché groupé doit tomber");
    expect(screen.getByTestId("pool-join-until")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("pool-title")).toHaveValue("Caméras des parkings 2027");
    expect(window.location.hash).toBe("#/marches-groupes/nouveau");
  });

  it("is the centrale's: a commune reads why and goes back to the pools", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/marches-groupes/nouveau");
    expect(await screen.findByTestId("pool-admin-forbidden")).toHaveTextContent("réservée au personnel de la centrale");
    expect(screen.queryByTestId("pool-form")).not.toBeInTheDocument();
  });
});
