/**
 * The map of the province (issue 15.9): each commune an SVG `<path>` coloured by a state the
 * caller decides, drawn from shipped data (`luxembourg-communes.json`, Statbel open data, see
 * ATTRIBUTION.md) — no tile server, it works offline.
 *
 * Read without colour too: the three looks are a solid dark fill, a hatch and a light plain
 * fill, each contrasted at least 3:1 with the others and with the page (WCAG 1.4.11), and the
 * legend says what each means with its count. With a link, each commune is an SVG link: the
 * Tab key reaches it, its accessible name says its name and its state, Enter or a click opens
 * its page; the name and the state also show under the map while it is hovered or focused.
 * The same facts are a table under « Voir les données », as for the overview's charts.
 */
import { useId, useMemo, useState } from "react";
import { useT } from "../i18n";
import { navigate } from "../router";
import { ChartData, type DataTable } from "../screens/centrale/charts/ChartFrame";
import shapes from "./luxembourg-communes.json";
import "./provinceMap.css";

/** How a state looks on the map: solid dark, hatched, or light and plain. */
export type MapLook = "solid" | "hatched" | "plain";

/** One state a commune can be in, in the order of the legend. */
export type MapState = { key: string; label: string; look: MapLook };

/** One commune as the caller sees it. */
export type MapCommune = {
  nis: string;
  name: string;
  /** The `key` of one of the `states`. */
  state: string;
  /** More words for the table and the accessible name (« 3 commandes envoyées, 2 attribuées »). */
  detail?: string;
  /** Where a click or Enter goes (a path from `paths`, `/communes/84009`); none: not a link. */
  to?: string;
  /** The reader's own commune: outlined on the map (its name says so in words too). */
  own?: boolean;
};

type Shape = { nis: string; name: string; d: string; replaces?: string[] };

const SHAPES: Shape[] = shapes.communes;
const WIDTH = shapes.width;
const HEIGHT = shapes.height;

/** The NIS codes the shipped map can draw (the 44 communes and Bastogne since 2025). */
export const MAP_NIS: readonly string[] = SHAPES.map((s) => s.nis);

/**
 * The shapes to draw under the caller's communes: every shape the caller did not give, except
 * the ones that would overlap a drawn one (a merged commune and its former communes), the
 * merged commune winning over its former ones when the caller gave neither.
 */
function backgroundShapes(given: Set<string>): Shape[] {
  const replacer = new Map<string, Shape>();
  for (const s of SHAPES) for (const old of s.replaces ?? []) replacer.set(old, s);
  const drawnAsBackground = (s: Shape): boolean => {
    if (given.has(s.nis)) return false;
    if ((s.replaces ?? []).some((old) => given.has(old))) return false;
    const newer = replacer.get(s.nis);
    return newer === undefined || !(given.has(newer.nis) || drawnAsBackground(newer));
  };
  return SHAPES.filter(drawnAsBackground);
}

const collator = new Intl.Collator("fr-BE");

export function ProvinceMap({
  communes,
  states,
  caption,
  hint,
  testId = "province-map",
}: {
  communes: MapCommune[];
  states: MapState[];
  /** The data table's caption. */
  caption: string;
  /** The line under the map while nothing is hovered (default: hover or select a commune). */
  hint?: string;
  /** On the SVG; the legend, the table and the hover line get it as a prefix. */
  testId?: string;
}) {
  const t = useT();
  // An id without the colons of React's ids: it goes inside `url(#…)`.
  const hatchId = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const [current, setCurrent] = useState<string | null>(null);

  const stateOf = useMemo(() => new Map(states.map((s) => [s.key, s])), [states]);
  const shapeOf = useMemo(() => new Map(SHAPES.map((s) => [s.nis, s])), []);
  const drawn = communes.filter((c) => shapeOf.has(c.nis));
  const offMap = communes.filter((c) => !shapeOf.has(c.nis));
  const background = useMemo(() => backgroundShapes(new Set(communes.map((c) => c.nis))), [communes]);
  const counts = new Map(states.map((s) => [s.key, drawn.filter((c) => c.state === s.key).length]));

  const spoken = (c: MapCommune): string => {
    const state = stateOf.get(c.state)?.label ?? c.state;
    return c.detail
      ? t("provinceMap.currentDetail", { name: c.name, state, detail: c.detail })
      : t("provinceMap.current", { name: c.name, state });
  };
  const summary = t("provinceMap.summary", {
    count: drawn.length,
    parts: states.map((s) => t("provinceMap.summaryPart", { label: s.label, count: counts.get(s.key) ?? 0 })).join(", "),
  });
  const focused = drawn.find((c) => c.nis === current) ?? null;
  const ownShapes = drawn.filter((c) => c.own).flatMap((c) => shapeOf.get(c.nis) ?? []);
  const focusedShape = focused ? shapeOf.get(focused.nis) : undefined;

  const table: DataTable = {
    caption,
    columns: [
      { label: t("provinceMap.column.commune") },
      { label: t("provinceMap.column.state") },
      { label: t("provinceMap.column.detail") },
    ],
    rows: [...communes]
      .sort((a, b) => collator.compare(a.name, b.name))
      .map((c) => ({ key: c.nis, cells: [c.name, stateOf.get(c.state)?.label ?? c.state, c.detail ?? ""] })),
  };

  return (
    <div className="province-map">
      <svg
        className="province-map__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={summary}
        data-testid={testId}
      >
        <defs>
          <pattern id={hatchId} patternUnits="userSpaceOnUse" width="14" height="14" patternTransform="rotate(45)">
            <rect width="14" height="14" className="province-map__hatch-ground" />
            <rect width="6" height="14" className="province-map__hatch-line" />
          </pattern>
        </defs>
        {background.map((s) => (
          <path key={s.nis} d={s.d} className="province-map__commune province-map__commune--background" aria-hidden="true" />
        ))}
        {drawn.map((c) => {
          const look = stateOf.get(c.state)?.look ?? "plain";
          const name = spoken(c);
          const shape = (
            <path
              d={shapeOf.get(c.nis)?.d}
              className={`province-map__commune province-map__commune--${look}`}
              fill={look === "hatched" ? `url(#${hatchId})` : undefined}
              data-testid={`${testId}-commune`}
              data-nis={c.nis}
              data-state={c.state}
              data-look={look}
            />
          );
          const show = () => setCurrent(c.nis);
          const hide = () => setCurrent((n) => (n === c.nis ? null : n));
          const to = c.to;
          return to ? (
            // An SVG link: focusable and followed natively; the handlers make Enter and a click
            // go through the app's router in every WebView (WebKitGTK and WebView2 alike).
            <a
              key={c.nis}
              href={`#${to}`}
              tabIndex={0}
              aria-label={name}
              className="province-map__link"
              onClick={(e) => {
                e.preventDefault();
                navigate(to);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  navigate(to);
                }
              }}
              onFocus={show}
              onBlur={hide}
              onMouseEnter={show}
              onMouseLeave={hide}
            >
              <title>{name}</title>
              {shape}
            </a>
          ) : (
            <g key={c.nis} role="img" aria-label={name} onMouseEnter={show} onMouseLeave={hide}>
              <title>{name}</title>
              {shape}
            </g>
          );
        })}
        {ownShapes.map((s) => (
          <path key={`own-${s.nis}`} d={s.d} className="province-map__own" aria-hidden="true" data-testid={`${testId}-own`} data-nis={s.nis} />
        ))}
        {focusedShape && (
          <g aria-hidden="true" data-testid={`${testId}-highlight`} data-nis={focusedShape.nis}>
            <path d={focusedShape.d} className="province-map__highlight" />
            <path d={focusedShape.d} className="province-map__highlight province-map__highlight--inner" />
          </g>
        )}
      </svg>
      {/* What the pointer or the focus is on, for sighted users (screen readers hear the link's name). */}
      <p className="province-map__current" aria-hidden="true" data-testid={`${testId}-current`}>
        {focused ? spoken(focused) : (hint ?? t("provinceMap.hint"))}
      </p>
      <ul className="province-map__legend" aria-label={t("provinceMap.legend")} data-testid={`${testId}-legend`}>
        {states.map((s) => (
          <li key={s.key} data-state={s.key}>
            <span className={`province-map__swatch province-map__swatch--${s.look}`} aria-hidden="true" />
            {t("provinceMap.legendItem", { label: s.label, count: counts.get(s.key) ?? 0 })}
          </li>
        ))}
        {ownShapes.length > 0 && (
          <li data-state="own">
            <span className="province-map__swatch province-map__swatch--own" aria-hidden="true" />
            {t("provinceMap.ownLegend")}
          </li>
        )}
      </ul>
      {offMap.length > 0 && (
        <p className="muted" data-testid={`${testId}-off-map`}>
          {t("provinceMap.offMap", { count: offMap.length, names: offMap.map((c) => c.name).join(", ") })}
        </p>
      )}
      <p className="province-map__source">{t("provinceMap.source")}</p>
      <ChartData table={table} testId={`${testId}-data`} />
    </div>
  );
}
