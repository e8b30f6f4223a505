import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { openedDetail, ORDER_ID } from "../test/orderFixtures";
import { renderApp } from "../test/render";
import { PRINT_SCOPE_ATTRIBUTE } from "./print";
import { PrintHeader } from "./PrintHeader";

vi.mock("../api");

let printed: (string | null)[];

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
  printed = [];
  // The print dialog is the system's: here, note what was to be printed when it would open.
  vi.spyOn(window, "print").mockImplementation(() => {
    printed.push(document.documentElement.getAttribute(PRINT_SCOPE_ATTRIBUTE));
  });
});

// No `vi.restoreAllMocks()` here: this hook would run before the setup's (src/test/setup.ts:
// axe, then unmount), so the screen, still mounted, would see every command reset and answer
// `undefined` — the CI's « Errors 1 error » with every test green. `restoreMocks` (vite.config.ts)
// restores the mocks and the spy on `window.print` before each test, once the screen is gone.
afterEach(() => {
  vi.useRealTimers();
});

describe("Printing an order (issue 12: a clean printout, not a screenshot)", () => {
  it("prints the whole order from « Imprimer », then forgets the scope once the print is over", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    fireEvent.click(await screen.findByTestId("print-page"));
    expect(printed).toEqual(["page"]);
    expect(document.documentElement.getAttribute(PRINT_SCOPE_ATTRIBUTE)).toBe("page");
    act(() => {
      window.dispatchEvent(new Event("afterprint"));
    });
    expect(document.documentElement.hasAttribute(PRINT_SCOPE_ATTRIBUTE)).toBe(false);
  });

  it("narrows the printout to the offers from « Imprimer la comparaison », which the stylesheet keeps", async () => {
    renderApp(`/commandes/${ORDER_ID}`);
    const offers = await screen.findByTestId("order-offers");
    fireEvent.click(within(offers).getByTestId("print-comparison"));
    expect(printed).toEqual(["comparison"]);
    // What the print stylesheet keeps under `html[data-print="comparison"]`.
    expect(offers.getAttribute("data-print-keep")).toBe("comparison");
    expect(within(offers).getByTestId("offer-comparison")).toBeTruthy();
    act(() => {
      window.dispatchEvent(new Event("afterprint"));
    });
  });

  it("heads the paper with the commune, who printed and when, stamped at the moment of printing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-03-02T08:00:00Z"));
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("order-offers");
    vi.setSystemTime(new Date("2027-03-15T13:05:00Z"));
    act(() => {
      window.dispatchEvent(new Event("beforeprint"));
    });
    const header = screen.getByTestId("print-header");
    // Brussels time (UTC+1 in March before the change to summer time).
    expect(header.textContent).toContain("imprimé le 15/03/2027 à 14:05");
    expect(header.textContent).toContain("Namur");
    expect(header.textContent).toContain("par Marie Dupont");
    expect(header.className).toContain("print-only");
  });

  it("stamps the header once the window has painted, not while it draws its first screen (issue 19 §5)", async () => {
    const { container } = render(<PrintHeader commune="Namur" person="Marie Dupont" />);
    // Drawn without the line (and without formatting a time): only paper shows it.
    expect(container.querySelector('[data-testid="print-header"]')).toBeNull();
    // Stamped after the next frame.
    expect((await screen.findByTestId("print-header")).textContent).toMatch(/imprimé le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
  });
});
