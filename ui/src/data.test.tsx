// Backend commands started from effects: whatever a command does (throw, answer no promise),
// the screen shows an error and nothing is thrown out of the effect. Such a throw escapes
// every handler: React drops the whole screen and, in the tests, vitest reports an unhandled
// error after the test has passed (« Errors 1 error » with every test green). It happened
// when a screen still mounting saw the mocked commands reset between two tests
// (`restoreMocks`: a reset mock answers `undefined`).
import { act, render, renderHook, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { holdReads, startCommand, useCommand, useSyncStatus } from "./data";
import { LocaleProvider } from "./i18n";
import { paths } from "./paths";
import { navigate } from "./router";
import { DocumentsBlock } from "./screens/orders/Documents";
import { mockBackend } from "./test/api";
import { renderApp } from "./test/render";

vi.mock("./api");

beforeEach(() => {
  mockBackend();
});

describe("startCommand", () => {
  it("gives the command's promise", async () => {
    await expect(startCommand(async () => 42)).resolves.toBe(42);
  });

  it("turns a throw into a rejection", async () => {
    await expect(
      startCommand(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("turns an answer that is not a promise into a rejection", async () => {
    await expect(startCommand(() => undefined as unknown as Promise<number>)).rejects.toThrow("instead of a promise");
  });
});

describe("useCommand with an answer already there", () => {
  it("draws it at once, does not read again at mount, and reads again when data changed", async () => {
    const backend = mockBackend();
    const read = vi.fn(async () => "relu");
    const { result } = renderHook(() => useCommand(read, [], { initial: "déjà là" }));
    expect(result.current.data).toBe("déjà là");
    expect(result.current.loading).toBe(false);
    await act(async () => {
      await Promise.resolve();
    });
    expect(read).not.toHaveBeenCalled();
    await act(async () => {
      backend.emitDataChanged();
      await Promise.resolve();
    });
    await waitFor(() => expect(result.current.data).toBe("relu"));
    expect(read).toHaveBeenCalledTimes(1);
  });
});

describe("useCommand while the window's first frame is awaited", () => {
  it("reads once released, not before; then at once again", async () => {
    const release = holdReads();
    const read = vi.fn(async () => "réponse");
    const first = renderHook(() => useCommand(read, []));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(read).not.toHaveBeenCalled();
    expect(first.result.current.loading).toBe(true);
    release();
    await waitFor(() => expect(first.result.current.data).toBe("réponse"));
    expect(read).toHaveBeenCalledTimes(1);
    // Released: a screen mounted now reads in its first effect, as always.
    const again = vi.fn(async () => "encore");
    renderHook(() => useCommand(again, []));
    expect(again).toHaveBeenCalledTimes(1);
  });

  it("renders a reading section once until its answer comes, not twice before the first frame", async () => {
    const release = holdReads();
    try {
      for (const keepWhileReading of [false, true]) {
        let renders = 0;
        const { result } = renderHook(() => {
          renders++;
          return useCommand(async () => "réponse", [], { keepWhileReading });
        });
        await act(async () => {
          await new Promise((r) => setTimeout(r, 10));
        });
        expect(result.current.loading).toBe(true);
        expect(renders).toBe(1);
      }
    } finally {
      release();
    }
  });
});

describe("useCommand when its deps change", () => {
  it("forgets the last answer, unless asked to keep it while the new one is read", async () => {
    let answer: (value: string) => void = () => undefined;
    const read = vi.fn((n: number) => (n === 1 ? Promise.resolve("un") : new Promise<string>((r) => (answer = r))));
    for (const keepWhileReading of [false, true]) {
      const { result, rerender } = renderHook(({ n }) => useCommand(() => read(n), [n], { keepWhileReading }), {
        initialProps: { n: 1 },
      });
      await waitFor(() => expect(result.current.data).toBe("un"));
      rerender({ n: 2 });
      expect(result.current.loading).toBe(true);
      expect(result.current.data).toBe(keepWhileReading ? "un" : undefined);
      await act(async () => answer("deux"));
      expect(result.current.data).toBe("deux");
      expect(result.current.loading).toBe(false);
    }
  });
});

describe("a command answering no promise is an error on screen, never a throw", () => {
  it("in a read (useCommand)", async () => {
    vi.mocked(api.outbox).mockReset();
    const { result } = renderHook(() => useCommand(() => api.outbox(), []));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.error).not.toBeNull();
  });

  it("in the sync status", async () => {
    vi.mocked(api.syncStatus).mockReset();
    const { result } = renderHook(() => useSyncStatus());
    await waitFor(() => expect(result.current.error).not.toBeNull());
    expect(result.current.status).toBeNull();
  });

  it("in the app's state", async () => {
    vi.mocked(api.appState).mockReset();
    renderApp("/");
    expect(await screen.findByTestId("error-panel")).toBeInTheDocument();
  });

  it("in the documents of an order", async () => {
    vi.mocked(api.documentChoices).mockReset();
    render(
      <LocaleProvider locale="fr">
        <main>
          <DocumentsBlock recordId="o-1" />
        </main>
      </LocaleProvider>,
    );
    expect(await within(screen.getByTestId("documents")).findByTestId("error-panel")).toBeInTheDocument();
  });

  it("in a screen opened after every command was reset, as between two tests", async () => {
    renderApp(paths.orders());
    await screen.findByTestId("sync-bar");
    for (const fn of Object.values(vi.mocked(api))) fn.mockReset();
    act(() => navigate(paths.home()));
    expect((await screen.findAllByTestId("error-panel")).length).toBeGreaterThan(0);
  });
});
