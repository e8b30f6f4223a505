import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { askEarly, forgetEarlyHome, takeArrivedHome, takeEarlyHome, takeEarlyState } from "./early";
import { mockBackend } from "./test/api";
import { appState, emptyHome } from "./test/fixtures";

vi.mock("./api");

beforeEach(() => {
  mockBackend();
  takeEarlyHome();
  takeEarlyState();
});

describe("the Accueil's early read", () => {
  it("is asked when the window opens on the Accueil, and taken once", async () => {
    const home = emptyHome({ next_actions_total: 3 });
    vi.mocked(api.home).mockResolvedValue(home);
    askEarly("#/");
    expect(api.home).toHaveBeenCalledTimes(1);
    await expect(takeEarlyHome()).resolves.toBe(home);
    expect(takeEarlyHome()).toBeNull();
    expect(api.home).toHaveBeenCalledTimes(1);
  });

  it("is not asked for another screen", () => {
    askEarly("#/commandes");
    askEarly("#/catalogue?q=wifi");
    expect(api.home).not.toHaveBeenCalled();
    expect(takeEarlyHome()).toBeNull();
  });

  it("once refused (nobody signed in yet), is asked again when taken", async () => {
    const home = emptyHome();
    vi.mocked(api.home).mockRejectedValueOnce(new Error("no session")).mockResolvedValueOnce(home);
    askEarly("");
    await expect(takeEarlyHome()).resolves.toBe(home);
    expect(api.home).toHaveBeenCalledTimes(2);
  });

  it("is forgotten when the account changes", async () => {
    askEarly("#/");
    await Promise.resolve();
    forgetEarlyHome();
    expect(takeEarlyHome()).toBeNull();
    expect(takeArrivedHome()).toBeUndefined();
  });

  it("once arrived, is given as it is for the Accueil's first frame, once", async () => {
    const home = emptyHome({ next_actions_total: 2 });
    vi.mocked(api.home).mockResolvedValue(home);
    askEarly("#/");
    expect(takeArrivedHome()).toBeUndefined();
    await vi.waitFor(() => expect(takeArrivedHome()).toBe(home));
    expect(takeArrivedHome()).toBeUndefined();
    expect(takeEarlyHome()).toBeNull();
    expect(api.home).toHaveBeenCalledTimes(1);
  });
});

describe("the app state's early read", () => {
  it("is asked at every start, whatever the screen, and taken once", async () => {
    const state = appState();
    vi.mocked(api.appState).mockResolvedValue(state);
    askEarly("#/commandes");
    expect(api.appState).toHaveBeenCalledTimes(1);
    await expect(takeEarlyState()).resolves.toBe(state);
    expect(takeEarlyState()).toBeNull();
  });

  it("refused, is left to the session's read to show (no unhandled rejection)", async () => {
    vi.mocked(api.appState).mockRejectedValueOnce(new Error("keyring locked"));
    askEarly("#/");
    await expect(takeEarlyState()).rejects.toThrow("keyring locked");
  });
});
