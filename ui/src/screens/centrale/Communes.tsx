/**
 * Communes (#/communes, centrale): every member commune of the province and where its adhesion
 * stands, in words. The adhesions that wait for the centrale (signed by the commune → to
 * countersign; countersigned → to activate) come first and are marked. A search (name or NIS
 * code, case and accents ignored) and a filter by adhesion status narrow the list; the counts
 * per status are above the table. Each commune links to its page (the checks and the
 * countersignature). Under the list, the map of the province, by adhesion or by orders.
 */
import { useMemo, useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ExportCsv } from "../../components/ExportCsv";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { StatusTag } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { formatDate, formatInteger } from "../../format";
import { useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { CommunesMap } from "../../map/CommunesMap";
import { adhesionTone } from "../../statuses";
import type { AdhesionStatus } from "../../bindings/AdhesionStatus";
import type { CommuneRow } from "../../bindings/CommuneRow";
import type { ScreenProps } from "../ScreenProps";
import "./centrale.css";

/** A commune's adhesion status, `none` when it has not started one. */
export type CommuneAdhesion = AdhesionStatus | "none";

/** The statuses in the order the centrale deals with them (what waits for it first). */
export const ADHESION_ORDER: CommuneAdhesion[] = ["signed_by_commune", "countersigned", "draft", "active", "terminated", "none"];

/** The status of a row, `none` for a commune without adhesion. */
export function adhesionOfRow(row: CommuneRow): CommuneAdhesion {
  return row.adhesion_status ?? "none";
}

/** True when the adhesion waits for the centrale: to countersign, or to activate. */
export function awaitsCentrale(status: CommuneAdhesion | null | undefined): boolean {
  return status === "signed_by_commune" || status === "countersigned";
}

/** The status in the centrale's words (« Signée par la commune — à contresigner »). */
export function communeStatusLabel(t: Translate, status: CommuneAdhesion): string {
  return t(`communes.status.${status}`);
}

/** The status as a tag: words + colour + icon. */
export function CommuneStatusTag({ status, testId }: { status: CommuneAdhesion; testId?: string }) {
  const t = useT();
  return (
    <StatusTag
      tone={status === "none" ? "neutral" : adhesionTone(status)}
      icon={awaitsCentrale(status) ? "arrow-right" : undefined}
      label={communeStatusLabel(t, status)}
      testId={testId}
    />
  );
}

/** Lower case, no accents, punctuation as spaces: « Saint-Hubert » and « saint hubert » match. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** True when the commune's name or NIS code contains what was typed. */
function matches(row: CommuneRow, query: string): boolean {
  const q = fold(query);
  if (q === "") return true;
  return fold(row.name_fr).includes(q) || fold(row.name_nl).includes(q) || row.nis_code.includes(q.replace(/ /g, ""));
}

/** What waits for the centrale first (to countersign, then to activate), then by name. */
function sortForCentrale(rows: CommuneRow[]): CommuneRow[] {
  const rank = (r: CommuneRow) => {
    const s = adhesionOfRow(r);
    return s === "signed_by_commune" ? 0 : s === "countersigned" ? 1 : 2;
  };
  // The list comes sorted by name: a stable sort keeps that order within each rank.
  return [...rows].sort((a, b) => rank(a) - rank(b));
}

/** The filter value listing the codes of merged communes (kept for their history). */
const MERGED = "merged";

function countBy(rows: CommuneRow[]): Record<CommuneAdhesion, number> {
  const out: Record<CommuneAdhesion, number> = {
    signed_by_commune: 0,
    countersigned: 0,
    draft: 0,
    active: 0,
    terminated: 0,
    none: 0,
  };
  for (const r of rows) out[adhesionOfRow(r)] += 1;
  return out;
}

/** « Commune fusionnée le … : devenue … » for a code no longer valid; null otherwise. */
export function mergedNote(t: Translate, row: CommuneRow, byNis: Map<string, CommuneRow>): string | null {
  if (!row.valid_until) return null;
  const successor = row.successor ? (byNis.get(row.successor)?.name_fr ?? row.successor) : null;
  return successor
    ? t("communes.mergedInto", { date: formatDate(row.valid_until), successor })
    : t("communes.merged", { date: formatDate(row.valid_until) });
}

/** The counts above the table: always what waits for the centrale, then the other statuses. */
function Counts({ counts }: { counts: Record<CommuneAdhesion, number> }) {
  const t = useT();
  const parts = ADHESION_ORDER.filter((s) => awaitsCentrale(s) || counts[s] > 0).map((s) => ({
    status: s,
    text: t(`communes.count.${s}`, { count: counts[s] }),
  }));
  return (
    <p className="communes-count" data-testid="communes-count">
      <span className="visually-hidden">{t("communes.count.label")} </span>
      {parts.map((p, i) => (
        <span key={p.status} data-status={p.status} className={awaitsCentrale(p.status) && counts[p.status] > 0 ? "communes-count__todo" : undefined}>
          {i > 0 && <span aria-hidden="true">{" · "}</span>}
          {p.text}
        </span>
      ))}
    </p>
  );
}

function CommuneTableRow({ row, byNis }: { row: CommuneRow; byNis: Map<string, CommuneRow> }) {
  const t = useT();
  const status = adhesionOfRow(row);
  const todo = awaitsCentrale(status);
  const merged = mergedNote(t, row, byNis);
  return (
    <tr
      data-testid="commune-row"
      data-nis={row.nis_code}
      data-status={status}
      className={[todo ? "communes-row--todo" : "", merged ? "communes-row--merged" : ""].filter(Boolean).join(" ") || undefined}
    >
      <th scope="row">
        <Link to={paths.commune(row.nis_code)} data-testid={`commune-link-${row.nis_code}`} className="communes-row__name">
          {row.name_fr}
        </Link>
        {merged && (
          <span className="communes-row__merged" data-testid="commune-merged">
            {merged}
          </span>
        )}
      </th>
      <td>
        <span className="identifier">{row.nis_code}</span>
      </td>
      <td>{row.arrondissement_fr}</td>
      <td className="num">{formatInteger(row.population)}</td>
      <td>
        <CommuneStatusTag status={status} testId={`commune-status-${row.nis_code}`} />
        {todo && <span className="visually-hidden">{` — ${t("communes.awaitsCentrale")}`}</span>}
        {row.pending && (
          <>
            {" "}
            <StatusTag tone="pending" label={t("common.notSynced")} />
          </>
        )}
      </td>
    </tr>
  );
}

export function Communes(_props: ScreenProps) {
  const t = useT();
  const communes = useCommand(() => api.communes(), []);
  // For the map's « by orders » view: the orders per commune, as the overview counts them.
  const overview = useCommand(() => api.overview(), []);
  const [text, setText] = useState("");
  const [filter, setFilter] = useState("");
  const rows = useMemo(() => communes.data ?? [], [communes.data]);
  const byNis = useMemo(() => new Map(rows.map((r) => [r.nis_code, r])), [rows]);
  // The counts are of the communes in force today (Rust decides `current`), as on the overview:
  // a merged commune's old code stays listable, for its history, under its own filter.
  const inForce = useMemo(() => rows.filter((r) => r.current), [rows]);
  const merged = rows.length - inForce.length;
  const counts = useMemo(() => countBy(inForce), [inForce]);
  const shown = useMemo(() => {
    const searching = text.trim() !== "";
    const kept = (r: CommuneRow) => {
      if (filter === MERGED) return !r.current;
      // A search finds an old code too (someone looks for « Bertogne »), marked as merged.
      if (filter === "") return r.current || searching;
      return r.current && adhesionOfRow(r) === filter;
    };
    return sortForCentrale(rows.filter((r) => kept(r) && matches(r, text)));
  }, [rows, text, filter]);
  const filtered = text.trim() !== "" || filter !== "";

  const clear = () => {
    setText("");
    setFilter("");
  };

  return (
    <Page title={t("communes.title")} intro={<p>{t("communes.intro")}</p>}>
      {rows.length > 0 && <ExportCsv kind="communes" />}
      {communes.error && <ErrorPanel error={communes.error} onRetry={communes.reload} />}
      {communes.loading && !communes.data && <Loading />}
      {communes.data && rows.length === 0 && <EmptyState message={t("communes.empty")} testId="communes-empty" />}
      {rows.length > 0 && (
        <>
          <Counts counts={counts} />
          <div className="filters" role="search">
            <Field
              type="search"
              id="communes-search"
              label={t("communes.search.label")}
              hint={t("communes.search.hint")}
              value={text}
              onChange={setText}
              testId="communes-search"
              autoComplete="off"
            />
            <Field
              type="select"
              id="communes-status-filter"
              label={t("communes.filter.label")}
              value={filter}
              onChange={setFilter}
              testId="communes-status-filter"
              options={[
                { value: "", label: t("communes.filter.all", { count: inForce.length }) },
                ...ADHESION_ORDER.map((s) => ({ value: s, label: t(`communes.filter.${s}`, { count: counts[s] }) })),
                ...(merged > 0 ? [{ value: MERGED, label: t("communes.filter.merged", { count: merged }) }] : []),
              ]}
            />
          </div>
          <p className="result-count" role="status" data-testid="communes-shown">
            {filtered ? t("communes.shown", { count: shown.length, total: inForce.length }) : null}
          </p>
          {shown.length === 0 ? (
            <EmptyState
              message={t("communes.noMatch")}
              testId="communes-no-match"
              action={
                <Button variant="secondary" onClick={clear}>
                  {t("communes.clear")}
                </Button>
              }
            />
          ) : (
            // Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it.
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t("communes.tableLabel")}>
              <table className="table communes-table">
                <thead>
                  <tr>
                    <th scope="col">{t("communes.column.commune")}</th>
                    <th scope="col">{t("communes.column.nis")}</th>
                    <th scope="col">{t("communes.column.arrondissement")}</th>
                    <th scope="col" className="num">
                      {t("communes.column.population")}
                    </th>
                    <th scope="col">{t("communes.column.adhesion")}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <CommuneTableRow key={r.nis_code} row={r} byNis={byNis} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <CommunesMap communes={rows} orders={overview.data?.communes ?? null} />
        </>
      )}
    </Page>
  );
}
