import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { mockBackend } from "./test/api";
import { renderApp } from "./test/render";
import { matchPath, parseHash } from "./router";

vi.mock("./api");

beforeEach(() => {
  mockBackend();
});

describe("router", () => {
  it("parses the hash into a path and a query", () => {
    const l = parseHash("#/commandes/o-1/modifier?correction=m-1");
    expect(l.path).toBe("/commandes/o-1/modifier");
    expect(l.query.get("correction")).toBe("m-1");
    expect(parseHash("").path).toBe("/");
  });

  it("matches parameters", () => {
    expect(matchPath("/commandes/:orderId", "/commandes/o%2D1")).toEqual({ orderId: "o-1" });
    expect(matchPath("/commandes/:orderId", "/commandes/o-1/modifier")).toBeNull();
  });
});

describe("routes", () => {
  it.each([
    ["/catalogue", "Catalogue des services", "nav-catalogue"],
    ["/catalogue/s-1", "Service du catalogue", "nav-catalogue"],
    ["/adhesion", "Convention d'adhésion", "nav-adhesion"],
    ["/commandes", "Commandes", "nav-commandes"],
    ["/commandes/nouvelle", "Nouvelle commande", "nav-commandes"],
    ["/commandes/o-1", "Commande", "nav-commandes"],
    ["/commandes/o-1/modifier", "Modifier la commande", "nav-commandes"],
    ["/deploiement", "Suivi des déploiements", "nav-deploiement"],
    ["/accompagnement", "Accompagnement de l'intercommunale", "nav-accompagnement"],
    ["/enquetes", "Enquêtes sur les besoins", "nav-enquetes"],
    ["/enquetes/e-1", "Enquête", "nav-enquetes"],
    ["/marches-groupes", "Marchés groupés", "nav-marchesGroupes"],
    ["/marches-groupes/g-1", "Marché groupé", "nav-marchesGroupes"],
    ["/a-regler", "Modifications à régler", null],
  ])("%s opens « %s » in the app frame", async (path, title, nav) => {
    renderApp(path);
    expect(await screen.findByRole("heading", { level: 1, name: title })).toHaveAttribute("data-testid", "page-title");
    expect(screen.getByTestId("sync-bar")).toBeInTheDocument();
    if (nav) expect(screen.getByTestId(nav)).toHaveAttribute("aria-current", "page");
    await waitFor(() => expect(document.title).toBe(`${title} — Centrale`));
  });

  it("presentation mode has no navigation chrome", async () => {
    renderApp("/commandes/o-1/presentation");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Présentation au collège");
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
  });

  it("an unknown address says so", async () => {
    renderApp("/nulle-part");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Page introuvable");
  });

  it("installation is not shown once signed in", async () => {
    renderApp("/installation");
    await waitFor(() => expect(window.location.hash).toBe("#/"));
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Accueil");
  });
});
