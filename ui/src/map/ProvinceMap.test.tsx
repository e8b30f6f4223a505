/// <reference types="vite/client" />
// The map of the province (issue 15.9): shipped shapes for every commune, each drawn with its
// state in its look and in its accessible name, reachable by keyboard, explained by a legend
// and by a data table.
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import shapes from "./luxembourg-communes.json";
import { MAP_NIS, ProvinceMap, type MapCommune, type MapState } from "./ProvinceMap";

const seed = import.meta.glob("../../../crates/server/seed/communes-luxembourg.csv", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The seed's communes: NIS code and French name, one per line after the header. */
function seedCommunes(): Array<{ nis: string; name: string }> {
  const raw = Object.values(seed)[0] as string;
  return raw
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [nis = "", name = ""] = line.split(",");
      return { nis, name };
    });
}

const STATES: MapState[] = [
  { key: "joined", label: "Adhérente", look: "solid" },
  { key: "inProgress", label: "Adhésion en cours", look: "hatched" },
  { key: "notYet", label: "Pas encore adhérente", look: "plain" },
];

const commune = (nis: string, name: string, state: string, over: Partial<MapCommune> = {}): MapCommune => ({
  nis,
  name,
  state,
  to: `/communes/${nis}`,
  ...over,
});

const three = (): MapCommune[] => [
  commune("84009", "Bertrix", "joined", { detail: "Adhésion active" }),
  commune("81001", "Arlon", "inProgress", { detail: "Signée par la commune — à contresigner" }),
  commune("81003", "Attert", "notYet"),
];

const drawn = () => screen.getAllByTestId("province-map-commune");
const drawnNis = () => drawn().map((p) => p.getAttribute("data-nis"));
const background = () => screen.getByTestId("province-map").querySelectorAll(".province-map__commune--background");

beforeEach(() => {
  window.location.hash = "#/";
});

describe("the shipped map data", () => {
  it("has a shape for each of the province's 44 communes, named as the seed names them", () => {
    const communes = seedCommunes();
    expect(communes).toHaveLength(44);
    for (const c of communes) {
      const shape = shapes.communes.find((s) => s.nis === c.nis);
      expect(shape, `shape of ${c.nis} ${c.name}`).toBeDefined();
      expect(shape?.name).toBe(c.name);
      // A closed SVG outline, simplified: a few hundred points at most.
      expect(shape?.d).toMatch(/^M\d+ \d+(L\d+ \d+)+Z/);
      expect(shape?.d.split(/[ML]/).length).toBeLessThan(300);
    }
  });

  it("has Bastogne since 2025 as the union of Bastogne and Bertogne, and says where it comes from", () => {
    const merged = shapes.communes.find((s) => s.nis === "82039");
    expect(merged?.name).toBe("Bastogne");
    expect(merged && "replaces" in merged ? merged.replaces : null).toEqual(["82003", "82005"]);
    expect(MAP_NIS).toHaveLength(45);
    expect(shapes.source.producer).toContain("Statbel");
    expect(shapes.source.licence).toContain("open data");
    expect(shapes.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("ProvinceMap", () => {
  it("draws each commune given in the look of its state, named with its state", () => {
    render(<ProvinceMap communes={three()} states={STATES} caption="État de chaque commune" />);
    expect(drawnNis()).toEqual(["84009", "81001", "81003"]);
    const look = (nis: string) => drawn().find((p) => p.getAttribute("data-nis") === nis);
    expect(look("84009")).toHaveAttribute("data-look", "solid");
    expect(look("84009")).toHaveClass("province-map__commune--solid");
    expect(look("81001")).toHaveAttribute("data-look", "hatched");
    // The hatch is a pattern, not a colour alone.
    expect(look("81001")?.getAttribute("fill")).toMatch(/^url\(#hatch-[\w-]+\)$/);
    expect(look("81003")).toHaveClass("province-map__commune--plain");

    expect(screen.getByRole("link", { name: "Bertrix : Adhérente (Adhésion active)" })).toHaveAttribute("href", "#/communes/84009");
    expect(screen.getByRole("link", { name: "Arlon : Adhésion en cours (Signée par la commune — à contresigner)" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Attert : Pas encore adhérente" })).toBeInTheDocument();
    // The other communes of the province are drawn as a background, without a name.
    expect(background()).toHaveLength(45 - 3 - 2);
    for (const path of background()) expect(path).toHaveAttribute("aria-hidden", "true");

    expect(screen.getByTestId("province-map")).toHaveAttribute(
      "aria-label",
      "Carte des 3 communes de la province. Adhérente : 1, Adhésion en cours : 1, Pas encore adhérente : 1.",
    );
  });

  it("explains each look in the legend, with its count, and names the source", () => {
    const communes = [...three(), commune("81004", "Aubange", "joined")];
    render(<ProvinceMap communes={communes} states={STATES} caption="État de chaque commune" />);
    const legend = screen.getByTestId("province-map-legend");
    const items = within(legend).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual(["Adhérente (2)", "Adhésion en cours (1)", "Pas encore adhérente (1)"]);
    expect(legend.querySelector(".province-map__swatch--hatched")).not.toBeNull();
    expect(screen.getByText(/Limites communales : Statbel/)).toBeInTheDocument();
  });

  it("has the same facts as a table under « Voir les données », by name", async () => {
    const user = userEvent.setup();
    render(<ProvinceMap communes={three()} states={STATES} caption="État de chaque commune" />);
    await user.click(screen.getByText("Voir les données"));
    const table = within(screen.getByTestId("province-map-data")).getByRole("table", { name: "État de chaque commune" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => Array.from(r.children).map((c) => c.textContent))).toEqual([
      ["Arlon", "Adhésion en cours", "Signée par la commune — à contresigner"],
      ["Attert", "Pas encore adhérente", ""],
      ["Bertrix", "Adhérente", "Adhésion active"],
    ]);
  });

  it("is reached by keyboard: each commune in turn shows its name, Enter opens its page", async () => {
    const user = userEvent.setup();
    render(<ProvinceMap communes={three()} states={STATES} caption="État de chaque commune" />);
    expect(screen.getByTestId("province-map-current")).toHaveTextContent("Survolez ou sélectionnez une commune");

    await user.tab();
    expect(screen.getByRole("link", { name: /^Bertrix/ })).toHaveFocus();
    expect(screen.getByTestId("province-map-current")).toHaveTextContent("Bertrix : Adhérente (Adhésion active)");
    expect(screen.getByTestId("province-map-highlight")).toHaveAttribute("data-nis", "84009");

    await user.tab();
    expect(screen.getByRole("link", { name: /^Arlon/ })).toHaveFocus();
    expect(screen.getByTestId("province-map-highlight")).toHaveAttribute("data-nis", "81001");
    await user.keyboard("{Enter}");
    expect(window.location.hash).toBe("#/communes/81001");

    await user.click(screen.getByRole("link", { name: /^Attert/ }));
    expect(window.location.hash).toBe("#/communes/81003");
  });

  it("names a commune without a page but does not make it a link", () => {
    render(
      <ProvinceMap communes={three().map((c) => ({ ...c, to: undefined }))} states={STATES} caption="État de chaque commune" />,
    );
    expect(screen.queryAllByRole("link")).toHaveLength(0);
    expect(screen.getByRole("img", { name: "Bertrix : Adhérente (Adhésion active)" })).toBeInTheDocument();
  });

  it("draws Bastogne since 2025 instead of the communes it replaces, and the reverse", () => {
    const { unmount } = render(
      <ProvinceMap communes={[commune("82039", "Bastogne", "joined")]} states={STATES} caption="x" />,
    );
    const backgroundNis = () => Array.from(background()).map((p) => p.getAttribute("d"));
    const d = (nis: string) => shapes.communes.find((s) => s.nis === nis)?.d;
    expect(drawnNis()).toEqual(["82039"]);
    expect(backgroundNis()).not.toContain(d("82003"));
    expect(backgroundNis()).not.toContain(d("82005"));
    expect(background()).toHaveLength(45 - 1 - 2);
    unmount();

    render(<ProvinceMap communes={[commune("82003", "Bastogne", "joined")]} states={STATES} caption="x" />);
    expect(backgroundNis()).not.toContain(d("82039"));
    expect(backgroundNis()).toContain(d("82005"));
  });

  it("lists in words the communes it cannot draw", () => {
    render(
      <ProvinceMap
        communes={[...three(), commune("62063", "Liège", "notYet"), commune("92094", "Namur", "joined")]}
        states={STATES}
        caption="x"
      />,
    );
    expect(drawnNis()).toEqual(["84009", "81001", "81003"]);
    expect(screen.getByTestId("province-map-off-map")).toHaveTextContent(
      "Hors de la carte (communes d'une autre province ou inconnues de la carte) : Liège, Namur.",
    );
  });
});
