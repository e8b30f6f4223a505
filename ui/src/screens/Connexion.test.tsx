import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState } from "../test/fixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(appState({ session: null }));
});

describe("first run and log-in", () => {
  it("without a server address, asks for it, then goes to the log-in", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ server_url: null, session: null }));
    vi.mocked(api.setServerUrl).mockResolvedValue(appState({ session: null }));
    const { user } = renderApp("/");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Relier Centrale à l'intercommunale");
    expect(window.location.hash).toBe("#/installation");
    await user.type(screen.getByTestId("server-url-input"), "https://centrale.exemple.be");
    await user.click(screen.getByTestId("server-url-submit"));
    expect(api.setServerUrl).toHaveBeenCalledWith("https://centrale.exemple.be");
    expect(await screen.findByRole("heading", { level: 1, name: "Se connecter à Centrale" })).toBeInTheDocument();
    expect(window.location.hash).toBe("#/connexion");
  });

  it("shows the Rust side's refusal of a server address, translated, in the error summary", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ server_url: null, session: null }));
    vi.mocked(api.setServerUrl).mockRejectedValue({
      code: "invalid_server_url",
      message: "Adresse invalide (message de l'intercommunale).",
      params: {},
    });
    const { user } = renderApp("/installation");
    await user.type(await screen.findByTestId("server-url-input"), "centrale");
    await user.click(screen.getByTestId("server-url-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Cette adresse n'est pas valable. Indiquez l'adresse donnée par l'intercommunale");
    expect(screen.getByTestId("server-url-input")).toHaveValue("centrale");
    expect(screen.getByTestId("server-url-input")).toHaveAttribute("aria-invalid", "true");
  });

  it("an address that was tried and failed: says what is wrong, naming the server", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ server_url: null, session: null }));
    vi.mocked(api.setServerUrl).mockRejectedValue({
      code: "server_certificate_refused",
      message: "Certificat refusé (message de l'intercommunale).",
      params: { host: "centrale.exemple.be" },
    });
    const { user } = renderApp("/installation");
    await user.type(await screen.findByTestId("server-url-input"), "centrale.exemple.be");
    await user.click(screen.getByTestId("server-url-submit"));
    expect(api.setServerUrl).toHaveBeenCalledWith("centrale.exemple.be");
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent(
      "Le certificat de sécurité de l'adresse « centrale.exemple.be » n'est pas reconnu par ce PC.",
    );
  });

  it("without a session, opens the log-in; a wrong password is said in French", async () => {
    vi.mocked(api.logIn).mockRejectedValue({ code: "invalid_credentials", message: "Invalid credentials", params: {} });
    const { user } = renderApp("/commandes");
    await waitFor(() => expect(window.location.hash).toBe("#/connexion"));
    await user.type(await screen.findByTestId("login-username"), "dg.92094");
    await user.type(screen.getByTestId("login-password"), "mauvais");
    await user.click(screen.getByTestId("login-submit"));
    expect(api.logIn).toHaveBeenCalledWith("dg.92094", "mauvais");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Nom d'utilisateur ou mot de passe incorrect. Vérifiez-les et réessayez.",
    );
    expect(screen.getByTestId("login-username")).toHaveValue("dg.92094");
  });

  it("an unreachable server: says the first log-in needs the network", async () => {
    vi.mocked(api.logIn).mockRejectedValue({
      code: "offline_first_login",
      message: "L'intercommunale est injoignable.",
      params: { cause: "error sending request" },
    });
    const { user } = renderApp("/connexion");
    await user.type(await screen.findByTestId("login-username"), "dg.92094");
    await user.type(screen.getByTestId("login-password"), "secret");
    await user.click(screen.getByTestId("login-submit"));
    expect(await screen.findByRole("alert")).toHaveTextContent("doit être relié au réseau une première fois");
  });

  it("empty fields: an error summary links to each field, and nothing is sent", async () => {
    const { user } = renderApp("/connexion");
    await user.click(await screen.findByTestId("login-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez votre nom d'utilisateur");
    expect(summary).toHaveTextContent("Indiquez votre mot de passe");
    expect(api.logIn).not.toHaveBeenCalled();
    await user.click(screen.getByRole("link", { name: /Indiquez votre mot de passe/ }));
    expect(screen.getByTestId("login-password")).toHaveFocus();
  });

  it("signs in and opens the Accueil with the commune and the user", async () => {
    vi.mocked(api.logIn).mockResolvedValue(appState());
    const { user } = renderApp("/connexion");
    await user.type(await screen.findByTestId("login-username"), "dg.92094");
    await user.type(screen.getByTestId("login-password"), "secret");
    await user.click(screen.getByTestId("login-submit"));
    expect(await screen.findByRole("heading", { level: 1, name: "Accueil" })).toBeInTheDocument();
    expect(screen.getByTestId("header-user")).toHaveTextContent("Marie Dupont, directeur général");
    expect(screen.getByTestId("header-commune")).toHaveTextContent("Namur");
    expect(screen.getByTestId("nav-accueil")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("sync-bar")).toBeInTheDocument();
  });

  it("hands the PC to another account (two signatories, one PC)", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    vi.mocked(api.switchAccount).mockResolvedValue(appState({ session: null }));
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("switch-account"));
    expect(api.switchAccount).toHaveBeenCalled();
    expect(api.logOut).not.toHaveBeenCalled();
    expect(await screen.findByRole("heading", { level: 1, name: "Se connecter à Centrale" })).toBeInTheDocument();
  });

  it("stops with an explanation when the local data cannot be used", async () => {
    vi.mocked(api.appState).mockResolvedValue(
      appState({
        fatal: {
          code: "cache_too_new",
          message: "Données trop récentes.",
          params: { found: 7, supported: 5 },
        },
      }),
    );
    renderApp("/");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Centrale ne peut pas ouvrir les données de ce PC");
    expect(screen.getByRole("alert")).toHaveTextContent("schéma 7 ; cette version connaît le schéma 5");
    expect(screen.queryByTestId("nav-accueil")).not.toBeInTheDocument();
  });

  it("tells when a damaged cache was rebuilt", async () => {
    vi.mocked(api.appState).mockResolvedValue(
      appState({ cache_notice: { code: "cache_corrupt", message: "Endommagées.", params: { kept: 2, complete: true } } }),
    );
    renderApp("/");
    expect(await screen.findByTestId("cache-notice")).toHaveTextContent("Modifications non envoyées conservées : 2.");
  });

  it("warns when the keyring is unavailable", async () => {
    vi.mocked(api.appState).mockResolvedValue(
      appState({ session: null, keyring: { available: false, code: "keyring_unavailable", message: "no secret service" } }),
    );
    renderApp("/connexion");
    const warning = await screen.findByTestId("keyring-warning");
    expect(warning).toHaveTextContent("vous devrez vous connecter à chaque démarrage");
    expect(warning).toHaveTextContent("no secret service");
  });

  it("logs out from the header", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    vi.mocked(api.logOut).mockResolvedValue(appState({ session: null }));
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("logout"));
    expect(api.logOut).toHaveBeenCalled();
    expect(await screen.findByTestId("login-submit")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/connexion");
  });
});
