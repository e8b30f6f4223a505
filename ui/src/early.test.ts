import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { askEarly, firstReads, forgetEarlyHome, takeArrivedHome, takeArrivedState, takeEarlyHome, takeEarlyState } from "./early";
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

describe("the window's first reads", () => {
  it("are waited for together, then the state is given once for the session's first frame", async () => {
    let answer: (home: ReturnType<typeof emptyHome>) => void = () => undefined;
    vi.mocked(api.home).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const state = appState();
    vi.mocked(api.appState).mockResolvedValue(state);
    askEarly("#/");
    let done = false;
    void firstReads(10_000).then(() => (done = true));
    await vi.waitFor(() => expect(takeArrivedState()).toBe(state));
    expect(done).toBe(false);
    answer(emptyHome());
    await vi.waitFor(() => expect(done).toBe(true));
    // Taken: neither the arrived state nor the early read is given again.
    expect(takeArrivedState()).toBeUndefined();
    expect(takeEarlyState()).toBeNull();
    expect(api.appState).toHaveBeenCalledTimes(1);
  });

  it("do not wait for the commune's home on the centrale's PC (its home reads its own)", async () => {
    vi.mocked(api.home).mockReturnValue(new Promise(() => undefined));
    const centrale = appState();
    centrale.session = centrale.session && { ...centrale.session, role: "centrale_staff", commune_nis: null };
    vi.mocked(api.appState).mockResolvedValue(centrale);
    askEarly("#/");
    let done = false;
    void firstReads(10_000).then(() => (done = true));
    await vi.waitFor(() => expect(done).toBe(true));
  });

  it("are not waited for longer than asked when the backend is slow", async () => {
    vi.mocked(api.appState).mockReturnValue(new Promise(() => undefined));
    askEarly("#/commandes");
    await firstReads(20);
    expect(takeArrivedState()).toBeUndefined();
    expect(takeEarlyState()).not.toBeNull();
  });
});

