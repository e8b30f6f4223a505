/**
 * The centrale's map of the communes (issue 15.9), on the overview and on the communes' list:
 * the communes in force coloured by their adhesion (adhérente / en cours / pas encore) or by
 * their orders (one awarded / sent, none awarded yet / none), a switch between the two. Each
 * commune opens its page. Only what these screens already get: the communes' list (with each
 * one's adhesion status) and the overview's orders per commune.
 */
import { useId, useState } from "react";
import type { AdhesionStatus } from "../bindings/AdhesionStatus";
import type { CommuneOrders } from "../bindings/CommuneOrders";
import type { CommuneRow } from "../bindings/CommuneRow";
import type { StandingAdhesion } from "../bindings/StandingAdhesion";
import type { StandingRow } from "../bindings/StandingRow";
import { formatDate } from "../format";
import { useT, type Translate } from "../i18n";
import { paths } from "../paths";
import { ProvinceMap, type MapCommune, type MapState } from "./ProvinceMap";

/** What the communes are coloured by. */
export type MapBy = "adhesion" | "orders";

/** A commune's place in the adhesion view: active; started and not yet active; none or ended. */
export function adhesionState(status: AdhesionStatus | null): "joined" | "inProgress" | "notYet" {
  switch (status) {
    case "active":
      return "joined";
    case "draft":
    case "signed_by_commune":
    case "countersigned":
      return "inProgress";
    default:
      return "notYet";
  }
}

/** A commune's place in the orders view: one awarded; sent, none awarded yet; none sent. */
export function ordersState(orders: CommuneOrders | undefined): "awarded" | "ordered" | "none" {
  if (!orders || orders.orders === 0) return "none";
  return orders.awarded > 0 ? "awarded" : "ordered";
}

function adhesionStates(t: Translate): MapState[] {
  return [
    { key: "joined", label: t("provinceMap.adhesion.joined"), look: "solid" },
    { key: "inProgress", label: t("provinceMap.adhesion.inProgress"), look: "hatched" },
    { key: "notYet", label: t("provinceMap.adhesion.notYet"), look: "plain" },
  ];
}

/**
 * The step behind an adhesion state, when it says more than the state: which signature an
 * adhesion in progress waits for, an adhesion ended (« Adhésion résiliée »).
 */
function adhesionDetail(t: Translate, status: AdhesionStatus | null): string | undefined {
  return status === null || status === "active" ? undefined : t(`communes.status.${status}`);
}

function ordersStates(t: Translate): MapState[] {
  return [
    { key: "awarded", label: t("provinceMap.orders.awarded"), look: "solid" },
    { key: "ordered", label: t("provinceMap.orders.ordered"), look: "hatched" },
    { key: "none", label: t("provinceMap.orders.none"), look: "plain" },
  ];
}

/** The counts behind an orders state; nothing to add to « Aucune commande ». */
function ordersDetail(t: Translate, orders: CommuneOrders | undefined): string | undefined {
  if (!orders || orders.orders === 0) return undefined;
  return t("provinceMap.orders.detail", {
    sent: t("provinceMap.orders.sent", { count: orders.orders }),
    awarded: t("provinceMap.orders.awardedCount", { count: orders.awarded }),
  });
}

/** The switch between the two colourings. */
function ByChoice({ by, setBy, testId, ordersLabel }: { by: MapBy; setBy: (by: MapBy) => void; testId: string; ordersLabel?: string }) {
  const t = useT();
  const name = useId();
  return (
    <fieldset className="fieldset" data-testid={`${testId}-by`}>
      <legend className="fieldset__legend">{t("provinceMap.by.label")}</legend>
      <div className="province-map__by-options">
        {(["adhesion", "orders"] as const).map((option) => (
          <label key={option}>
            <input
              type="radio"
              name={name}
              value={option}
              checked={by === option}
              onChange={() => setBy(option)}
              data-testid={`${testId}-by-${option}`}
            />
            {option === "orders" && ordersLabel ? ordersLabel : t(`provinceMap.by.${option}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function CommunesMap({
  communes,
  orders,
  testId = "province-map",
}: {
  /** The communes' list; only those in force today are drawn. */
  communes: CommuneRow[];
  /** Orders per commune (the overview's); null: not known here, the switch is not offered. */
  orders: CommuneOrders[] | null;
  testId?: string;
}) {
  const t = useT();
  const [by, setBy] = useState<MapBy>("adhesion");
  const titleId = useId();
  const shownBy: MapBy = orders === null ? "adhesion" : by;
  const ordersOf = new Map((orders ?? []).map((o) => [o.commune_nis, o]));
  const inForce = communes.filter((c) => c.current);

  const mapCommunes: MapCommune[] = inForce.map((c) =>
    shownBy === "adhesion"
      ? {
          nis: c.nis_code,
          name: c.name_fr,
          state: adhesionState(c.adhesion_status),
          detail: adhesionDetail(t, c.adhesion_status),
          to: paths.commune(c.nis_code),
        }
      : {
          nis: c.nis_code,
          name: c.name_fr,
          state: ordersState(ordersOf.get(c.nis_code)),
          detail: ordersDetail(t, ordersOf.get(c.nis_code)),
          to: paths.commune(c.nis_code),
        },
  );

  if (inForce.length === 0) return null;
  return (
    <section className="section" aria-labelledby={titleId} data-testid={`${testId}-section`}>
      <h2 id={titleId}>{t("provinceMap.title")}</h2>
      <p className="muted">{t("provinceMap.intro")}</p>
      {orders !== null && <ByChoice by={by} setBy={setBy} testId={testId} />}
      <ProvinceMap
        communes={mapCommunes}
        states={shownBy === "adhesion" ? adhesionStates(t) : ordersStates(t)}
        caption={t("provinceMap.caption")}
        testId={testId}
      />
    </section>
  );
}

/** A public standing's place in the adhesion view. */
export function standingState(adhesion: StandingAdhesion): "joined" | "inProgress" | "notYet" {
  switch (adhesion) {
    case "joined":
      return "joined";
    case "in_progress":
      return "inProgress";
    default:
      return "notYet";
  }
}

function awardsStates(t: Translate): MapState[] {
  return [
    { key: "awarded", label: t("provinceMap.orders.awarded"), look: "solid" },
    { key: "none", label: t("provinceMap.standings.noAward"), look: "plain" },
  ];
}

/**
 * Where the province's communes stand, as a commune sees it on its « Accueil » (issue 15.9):
 * the public standings only (adhesion, call-offs awarded), no links (a commune opens no other
 * commune's page), its own commune outlined and named « votre commune ».
 */
export function StandingsMap({ standings, testId = "standings-map" }: { standings: StandingRow[]; testId?: string }) {
  const t = useT();
  const [by, setBy] = useState<MapBy>("adhesion");
  const titleId = useId();

  const mapCommunes: MapCommune[] = standings.map((s) => {
    const name = s.own ? t("provinceMap.standings.own", { name: s.name_fr }) : s.name_fr;
    return by === "adhesion"
      ? {
          nis: s.nis_code,
          name,
          own: s.own,
          state: standingState(s.adhesion),
          detail: s.joined_since ? t("provinceMap.standings.since", { date: formatDate(s.joined_since) }) : undefined,
        }
      : {
          nis: s.nis_code,
          name,
          own: s.own,
          state: s.awarded_call_offs > 0 ? "awarded" : "none",
          detail: s.awarded_call_offs > 0 ? t("provinceMap.standings.awards", { count: s.awarded_call_offs }) : undefined,
        };
  });

  if (standings.length === 0) return null;
  return (
    <section className="card" aria-labelledby={titleId} data-testid={`${testId}-section`}>
      <h2 className="card__title" id={titleId}>
        {t("provinceMap.standings.title")}
      </h2>
      <p className="muted">{t("provinceMap.standings.intro")}</p>
      <ByChoice by={by} setBy={setBy} testId={testId} ordersLabel={t("provinceMap.standings.byAwards")} />
      <ProvinceMap
        communes={mapCommunes}
        states={by === "adhesion" ? adhesionStates(t) : awardsStates(t)}
        caption={t("provinceMap.standings.caption")}
        hint={t("provinceMap.standings.hint")}
        testId={testId}
      />
    </section>
  );
}
