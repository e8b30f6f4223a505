import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { askHomeEarly, forgetEarlyHome, takeEarlyHome } from "./early";
import { mockBackend } from "./test/api";
import { emptyHome } from "./test/fixtures";

vi.mock("./api");

beforeEach(() => {
  mockBackend();
  takeEarlyHome();
});

describe("the Accueil's early read", () => {
  it("is asked when the window opens on the Accueil, and taken once", async () => {
    const home = emptyHome({ next_actions_total: 3 });
    vi.mocked(api.home).mockResolvedValue(home);
    askHomeEarly("#/");
    expect(api.home).toHaveBeenCalledTimes(1);
    await expect(takeEarlyHome()).resolves.toBe(home);
    expect(takeEarlyHome()).toBeNull();
    expect(api.home).toHaveBeenCalledTimes(1);
  });

  it("is not asked for another screen", () => {
    askHomeEarly("#/commandes");
    askHomeEarly("#/catalogue?q=wifi");
    expect(api.home).not.toHaveBeenCalled();
    expect(takeEarlyHome()).toBeNull();
  });

  it("once refused (nobody signed in yet), is asked again when taken", async () => {
    const home = emptyHome();
    vi.mocked(api.home).mockRejectedValueOnce(new Error("no session")).mockResolvedValueOnce(home);
    askHomeEarly("");
    await expect(takeEarlyHome()).resolves.toBe(home);
    expect(api.home).toHaveBeenCalledTimes(2);
  });

  it("is forgotten when the account changes", () => {
    askHomeEarly("#/");
    forgetEarlyHome();
    expect(takeEarlyHome()).toBeNull();
  });
});
