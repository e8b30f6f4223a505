/**
 * The interoperability sheets of a new framework version (issue 16 §1): for each party of the
 * version in force, the sheet of its solution as the centrale records it — its name, the open
 * data it publishes, its interfaces, the citizen sign-on services it accepts, the formats of a
 * full export, where the data is hosted, what the commune gets back at the end of the contract,
 * the other catalogue solutions it works with, and what the intercommunale checked of each
 * aspect. A party without a sheet gets one with « Établir la fiche »; a sheet can be left out of
 * the new version (and kept again).
 *
 * The checks mirror the domain's (`centrale_domain::interoperability::validate_sheets`) with its
 * limits (`LIMITS` of the generated rules.ts) and its words (`INTEROPERABILITY_LABELS`): every
 * entry complete, a way out stated, one check per aspect dated on or before today (Brussels)
 * and explained unless confirmed, links to other solutions only, each once. Each problem comes
 * next to its field; a refusal of the domain comes back there too by its `params.field`
 * (`interoperability[0].checks[2].checked_on`, …), read against the sheets that were sent.
 *
 * The solutions to link to are read from the catalogue on this PC: the services
 * (`api.services`) and, for each, its framework's parties (`api.serviceDetail`, a local read
 * like the providers' screen does; no command lists every framework's parties at once). The
 * framework's own service takes its parties from the version in force.
 */
import type { ReactNode } from "react";
import { api } from "../../../api";
import { Button } from "../../../components/Button";
import type { FieldError } from "../../../components/ErrorSummary";
import { describedByOf, Field } from "../../../components/Field";
import { isIsoDate } from "../../../calendar";
import { formatDate } from "../../../format";
import { useT, type Translate } from "../../../i18n";
import type { CheckOutcome } from "../../../bindings/CheckOutcome";
import type { CitizenIdentity } from "../../../bindings/CitizenIdentity";
import type { HostingLocation } from "../../../bindings/HostingLocation";
import type { InteropAspect } from "../../../bindings/InteropAspect";
import type { InteroperabilitySheet } from "../../../bindings/InteroperabilitySheet";
import type { InteropCheck } from "../../../bindings/InteropCheck";
import type { Solution } from "../../../bindings/Solution";
import type { SolutionLink } from "../../../bindings/SolutionLink";
import { INTEROPERABILITY_LABELS, LIMITS } from "../../../bindings/rules";
import { Checkbox, TextInput } from "./fields";

/** The domain's enums, in the order of its labels (the forms' order). */
export const ASPECTS = Object.keys(INTEROPERABILITY_LABELS.aspect) as InteropAspect[];
const IDENTITIES = Object.keys(INTEROPERABILITY_LABELS.citizen_identity) as CitizenIdentity[];
const HOSTINGS = Object.keys(INTEROPERABILITY_LABELS.hosting) as HostingLocation[];
const OUTCOMES = Object.keys(INTEROPERABILITY_LABELS.outcome) as CheckOutcome[];

const SHORT = LIMITS.INTEROPERABILITY_SHORT_TEXT_MAX_CHARS;
const LONG = LIMITS.INTEROPERABILITY_TEXT_MAX_CHARS;
const ENTRIES = LIMITS.INTEROPERABILITY_ENTRIES_MAX;

// ── Drafts: what the form holds, as typed ───────────────────────────────────────────────

export type OpenDataDraft = { key: string; format: string; licence: string };
export type ApiDraft = { key: string; name: string; specification: string; documentationUrl: string };
export type ExportDraft = { key: string; format: string };
/** `solution` is a catalogue solution's key (`service/provider`, see `solutionKey`), "" when none is chosen. */
export type LinkDraft = { key: string; solution: string; how: string; checkedOn: string };
/** `outcome` "" = not checked (no check is recorded for the aspect). */
export type CheckDraft = { outcome: CheckOutcome | ""; checkedOn: string; note: string };

/** One party's sheet as the form holds it. */
export type SheetDraft = {
  providerId: string;
  solutionName: string;
  openData: OpenDataDraft[];
  apis: ApiDraft[];
  citizenIdentity: CitizenIdentity[];
  dataExports: ExportDraft[];
  /** "" until chosen (a new sheet says nothing of its hosting yet). */
  hosting: HostingLocation | "";
  hostingDetail: string;
  reversibility: string;
  worksWith: LinkDraft[];
  checks: Record<InteropAspect, CheckDraft>;
};

/** The select's value of a catalogue solution. */
export function solutionKey(s: Solution): string {
  return `${s.service_id}/${s.provider_id}`;
}

function parseSolutionKey(key: string): Solution | null {
  const [service_id, provider_id, ...rest] = key.split("/");
  return service_id && provider_id && rest.length === 0 ? { service_id, provider_id } : null;
}

function noChecks(): Record<InteropAspect, CheckDraft> {
  return Object.fromEntries(ASPECTS.map((a) => [a, { outcome: "", checkedOn: "", note: "" }])) as Record<InteropAspect, CheckDraft>;
}

/** A sheet in force, ready to be edited (keys from its position). */
export function draftFromSheet(sheet: InteroperabilitySheet): SheetDraft {
  const prefix = `in-force-${sheet.provider_id}`;
  const checks = noChecks();
  for (const c of sheet.checks) checks[c.aspect] = { outcome: c.outcome, checkedOn: c.checked_on, note: c.note };
  return {
    providerId: sheet.provider_id,
    solutionName: sheet.solution_name,
    openData: sheet.open_data.map((d, j) => ({ key: `${prefix}-open-data-${j}`, format: d.format, licence: d.licence })),
    apis: sheet.apis.map((a, j) => ({ key: `${prefix}-api-${j}`, name: a.name, specification: a.specification, documentationUrl: a.documentation_url })),
    citizenIdentity: [...sheet.citizen_identity],
    dataExports: sheet.data_exports.map((format, j) => ({ key: `${prefix}-export-${j}`, format })),
    hosting: sheet.hosting,
    hostingDetail: sheet.hosting_detail,
    reversibility: sheet.reversibility,
    worksWith: sheet.works_with.map((l, j) => ({ key: `${prefix}-link-${j}`, solution: solutionKey(l.with), how: l.how, checkedOn: l.checked_on ?? "" })),
    checks,
  };
}

/** An empty sheet for a party that has none. */
export function emptySheet(providerId: string): SheetDraft {
  return {
    providerId,
    solutionName: "",
    openData: [],
    apis: [],
    citizenIdentity: [],
    dataExports: [],
    hosting: "",
    hostingDetail: "",
    reversibility: "",
    worksWith: [],
    checks: noChecks(),
  };
}

// ── Field ids (stable: by party, then by row position or aspect) ────────────────────────

/** The ids of a sheet's controls (also their test ids). */
export function sheetIds(providerId: string) {
  const p = `interop-${providerId}`;
  return {
    sheet: p,
    name: `${p}-name`,
    openData: (j: number, f: "format" | "licence" | "remove") => `${p}-open-data-${j}-${f}`,
    openDataAdd: `${p}-open-data-add`,
    api: (j: number, f: "name" | "specification" | "documentation" | "remove") => `${p}-api-${j}-${f}`,
    apiAdd: `${p}-api-add`,
    identity: (c: CitizenIdentity) => `${p}-identity-${c}`,
    exportFormat: (j: number) => `${p}-export-${j}-format`,
    exportRemove: (j: number) => `${p}-export-${j}-remove`,
    exportAdd: `${p}-export-add`,
    hosting: (h: HostingLocation) => `${p}-hosting-${h}`,
    hostingDetail: `${p}-hosting-detail`,
    reversibility: `${p}-reversibility`,
    link: (j: number, f: "solution" | "how" | "date" | "remove") => `${p}-link-${j}-${f}`,
    linkAdd: `${p}-link-add`,
    check: (a: InteropAspect, f: "none" | CheckOutcome | "date" | "note") => `${p}-check-${a}-${f}`,
    remove: `${p}-remove`,
    establish: `${p}-establish`,
    restore: `${p}-restore`,
  };
}

/**
 * The control showing the domain's refusal of `field` (`interoperability[i]…`), read against
 * the sheets that were sent (the i-th sheet's party, the j-th check's aspect); null when the
 * field is not a sheet's.
 */
export function sheetRefusalField(field: string, sent: InteroperabilitySheet[]): string | null {
  const m = /^interoperability\[(\d+)\](?:\.(.*))?$/.exec(field);
  if (!m) return null;
  const sheet = sent[Number(m[1])];
  if (!sheet) return null;
  const ids = sheetIds(sheet.provider_id);
  const rest = m[2] ?? "";
  const entry = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$/.exec(rest);
  if (!entry) return ids.name;
  const [, list = "", index, part] = entry;
  const j = Number(index ?? "0");
  const indexed = index !== undefined;
  switch (list) {
    case "open_data":
      if (!indexed) return ids.openDataAdd;
      return ids.openData(j, part === "licence" ? "licence" : "format");
    case "apis":
      if (!indexed) return ids.apiAdd;
      return ids.api(j, part === "specification" ? "specification" : part === "documentation_url" ? "documentation" : "name");
    case "data_exports":
      return indexed ? ids.exportFormat(j) : ids.exportAdd;
    case "citizen_identity":
      return ids.identity(IDENTITIES[0] ?? "csam");
    case "hosting":
      return ids.hosting(sheet.hosting);
    case "hosting_detail":
      return ids.hostingDetail;
    case "reversibility":
      return ids.reversibility;
    case "works_with":
      if (!indexed) return ids.linkAdd;
      return ids.link(j, part === "how" ? "how" : part === "checked_on" ? "date" : "solution");
    case "checks": {
      const aspect = (indexed ? sheet.checks[j]?.aspect : undefined) ?? ASPECTS[0] ?? "open_data";
      if (part === "checked_on") return ids.check(aspect, "date");
      if (part === "note") return ids.check(aspect, "note");
      return ids.check(aspect, "none");
    }
    default:
      return ids.name;
  }
}

// ── Checks: the domain's rules, on this PC ──────────────────────────────────────────────

/** What the checks need to know besides the drafts. */
export type SheetContext = {
  /** Today in Brussels (`YYYY-MM-DD`): no check is dated after it. */
  today: string;
  /** The framework's service (a sheet's own solution is this service from its party). */
  serviceId: string;
  providerName: (providerId: string) => string;
};

const length = (text: string) => [...text].length;

/**
 * Checks the sheets and builds them to send, in the drafts' order; each problem points to its
 * field. Texts are sent trimmed; checks and identity services in the order of the labels.
 */
export function checkSheets(t: Translate, drafts: SheetDraft[], ctx: SheetContext): { sheets: InteroperabilitySheet[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const sheets: InteroperabilitySheet[] = [];
  for (const d of drafts) {
    const ids = sheetIds(d.providerId);
    const provider = ctx.providerName(d.providerId);
    const problem = (fieldId: string, message: string) => errors.push({ fieldId, message });
    const tooLong = (fieldId: string, text: string, max: number) => {
      if (length(text) > max) problem(fieldId, t("catalogueAdmin.version.interoperability.error.tooLong", { provider, max }));
    };
    /** A short text an entry needs: missing → `missing`, else at most SHORT characters. */
    const required = (fieldId: string, text: string, missing: string) => {
      const value = text.trim();
      if (!value) problem(fieldId, missing);
      else tooLong(fieldId, value, SHORT);
      return value;
    };
    const tooMany = (fieldId: string, count: number) => {
      if (count > ENTRIES) problem(fieldId, t("catalogueAdmin.version.interoperability.error.tooMany", { provider, max: ENTRIES }));
    };
    const ahead = (date: string) => ({ provider, date: formatDate(date), today: formatDate(ctx.today) });

    const name = d.solutionName.trim();
    if (!name) problem(ids.name, t("catalogueAdmin.version.interoperability.error.nameMissing", { provider, max: LIMITS.SOLUTION_NAME_MAX_CHARS }));
    else tooLong(ids.name, name, LIMITS.SOLUTION_NAME_MAX_CHARS);

    tooMany(ids.openDataAdd, d.openData.length);
    const openData = d.openData.map((row, j) => {
      const n = j + 1;
      return {
        format: required(ids.openData(j, "format"), row.format, t("catalogueAdmin.version.interoperability.error.openDataFormat", { provider, n })),
        licence: required(ids.openData(j, "licence"), row.licence, t("catalogueAdmin.version.interoperability.error.openDataLicence", { provider, n })),
      };
    });

    tooMany(ids.apiAdd, d.apis.length);
    const apis = d.apis.map((row, j) => {
      const n = j + 1;
      const documentation = row.documentationUrl.trim();
      tooLong(ids.api(j, "documentation"), documentation, SHORT);
      return {
        name: required(ids.api(j, "name"), row.name, t("catalogueAdmin.version.interoperability.error.apiName", { provider, n })),
        specification: required(ids.api(j, "specification"), row.specification, t("catalogueAdmin.version.interoperability.error.apiSpecification", { provider, n })),
        documentation_url: documentation,
      };
    });

    tooMany(ids.exportAdd, d.dataExports.length);
    const dataExports = d.dataExports.map((row, j) =>
      required(ids.exportFormat(j), row.format, t("catalogueAdmin.version.interoperability.error.exportFormat", { provider, n: j + 1 })),
    );

    const hosting = d.hosting;
    if (!hosting) problem(ids.hosting(HOSTINGS[0] ?? "belgium"), t("catalogueAdmin.version.interoperability.error.hostingMissing", { provider }));
    const hostingDetail = d.hostingDetail.trim();
    tooLong(ids.hostingDetail, hostingDetail, SHORT);

    const reversibility = d.reversibility.trim();
    if (!reversibility) problem(ids.reversibility, t("catalogueAdmin.version.interoperability.error.reversibilityMissing", { provider }));
    else tooLong(ids.reversibility, reversibility, LONG);

    tooMany(ids.linkAdd, d.worksWith.length);
    const own = solutionKey({ service_id: ctx.serviceId, provider_id: d.providerId });
    const linked = new Set<string>();
    const worksWith: SolutionLink[] = [];
    d.worksWith.forEach((row, j) => {
      const n = j + 1;
      const solution = parseSolutionKey(row.solution);
      if (!solution) problem(ids.link(j, "solution"), t("catalogueAdmin.version.interoperability.error.linkMissing", { provider, n }));
      else if (row.solution === own) problem(ids.link(j, "solution"), t("catalogueAdmin.version.interoperability.error.linkItself", { provider, n }));
      else if (linked.has(row.solution)) problem(ids.link(j, "solution"), t("catalogueAdmin.version.interoperability.error.linkTwice", { provider, n }));
      linked.add(row.solution);
      const how = required(ids.link(j, "how"), row.how, t("catalogueAdmin.version.interoperability.error.linkHow", { provider, n }));
      const date = row.checkedOn.trim();
      let checkedOn: string | null = null;
      if (date) {
        if (!isIsoDate(date)) problem(ids.link(j, "date"), t("catalogueAdmin.version.interoperability.error.linkDateInvalid", { provider, n }));
        else if (date > ctx.today) problem(ids.link(j, "date"), t("catalogueAdmin.version.interoperability.error.linkDateAhead", { ...ahead(date), n }));
        else checkedOn = date;
      }
      if (solution) worksWith.push({ with: solution, how, checked_on: checkedOn });
    });

    const checks: InteropCheck[] = [];
    for (const aspect of ASPECTS) {
      const c = d.checks[aspect];
      if (c.outcome === "") continue;
      const label = INTEROPERABILITY_LABELS.aspect[aspect];
      const date = c.checkedOn.trim();
      if (!isIsoDate(date)) problem(ids.check(aspect, "date"), t("catalogueAdmin.version.interoperability.error.checkDate", { provider, aspect: label }));
      else if (date > ctx.today) problem(ids.check(aspect, "date"), t("catalogueAdmin.version.interoperability.error.checkDateAhead", { ...ahead(date), aspect: label }));
      const note = c.note.trim();
      if (c.outcome !== "confirmed" && !note) problem(ids.check(aspect, "note"), t("catalogueAdmin.version.interoperability.error.checkNote", { provider, aspect: label }));
      else tooLong(ids.check(aspect, "note"), note, LONG);
      checks.push({ aspect, checked_on: date, outcome: c.outcome, note });
    }

    sheets.push({
      provider_id: d.providerId,
      solution_name: name,
      open_data: openData,
      apis,
      citizen_identity: IDENTITIES.filter((c) => d.citizenIdentity.includes(c)),
      data_exports: dataExports,
      hosting: hosting || "belgium",
      hosting_detail: hostingDetail,
      reversibility,
      works_with: worksWith,
      checks,
    });
  }
  return { sheets, errors };
}

// ── The catalogue's solutions, to link to ──────────────────────────────────────────────

/** One solution of the catalogue on this PC, with what names it. */
export type CatalogueSolution = {
  solution: Solution;
  service: string;
  /** The provider's name, when on this PC. */
  provider: string | null;
  /** The solution's own name, from its sheet in force, when recorded. */
  solutionName: string | null;
};

/** Every (service, party) of the catalogue on this PC: the services, then each one's framework (local reads). */
export async function catalogueSolutions(): Promise<CatalogueSolution[]> {
  const services = await api.services({ text: null, category: null });
  const details = await Promise.all(services.map((s) => api.serviceDetail(s.id)));
  const out: CatalogueSolution[] = [];
  for (const d of details) {
    if (!d?.framework) continue;
    const sheets = new Map((d.interoperability ?? []).map((v) => [v.provider_id, v.sheet?.solution_name ?? null]));
    for (const p of d.framework.terms.providers) {
      out.push({
        solution: { service_id: d.service.id, provider_id: p.provider_id },
        service: d.service.name,
        provider: p.name,
        solutionName: sheets.get(p.provider_id) ?? null,
      });
    }
  }
  return out;
}

// ── The editor ──────────────────────────────────────────────────────────────────────────

type EditorProps = {
  /** The parties of the version in force, in its order. */
  parties: string[];
  /** The sheets of the version in force. */
  inForce: InteroperabilitySheet[];
  drafts: SheetDraft[];
  onChange: (drafts: SheetDraft[]) => void;
  newKey: () => string;
  errorFor: (fieldId: string) => string | null;
  providerName: (providerId: string) => string;
  /** The framework's service. */
  serviceId: string;
  /** The service's name (its own parties' solutions are named with it). */
  serviceName: string;
  /** The catalogue's other services' solutions (this service's are its parties). */
  catalogue: CatalogueSolution[];
};

/** « Fiches d'interopérabilité »: one sheet per party, or the button that establishes it. */
export function InteroperabilityEditor({ parties, inForce, drafts, onChange, newKey, errorFor, providerName, serviceId, serviceName, catalogue }: EditorProps) {
  const t = useT();
  const byProvider = new Map(drafts.map((d) => [d.providerId, d]));
  const inForceOf = new Map(inForce.map((s) => [s.provider_id, s]));
  const update = (next: SheetDraft) => onChange(drafts.map((d) => (d.providerId === next.providerId ? next : d)));
  // The button pressed goes away: focus what replaces it (the sheet's first field, or the button that brings it back).
  const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);
  const add = (draft: SheetDraft) => {
    onChange([...drafts, draft]);
    focusSoon(sheetIds(draft.providerId).name);
  };

  // Every solution one may link to: this service's parties (the version in force), then the others'.
  const ownNames = new Map(drafts.map((d) => [d.providerId, d.solutionName.trim() || null]));
  const solutions: CatalogueSolution[] = [
    ...parties.map((id) => ({
      solution: { service_id: serviceId, provider_id: id },
      service: serviceName,
      provider: providerName(id),
      solutionName: ownNames.get(id) ?? inForceOf.get(id)?.solution_name ?? null,
    })),
    ...catalogue.filter((c) => c.solution.service_id !== serviceId),
  ];

  return (
    <section className="section" aria-labelledby="version-interop-title" data-testid="interoperability">
      <h2 id="version-interop-title">{t("catalogueAdmin.version.interoperability.title")}</h2>
      <p className="muted">{t("catalogueAdmin.version.interoperability.intro")}</p>
      {parties.map((providerId) => {
        const draft = byProvider.get(providerId);
        const ids = sheetIds(providerId);
        const name = providerName(providerId);
        const original = inForceOf.get(providerId);
        if (draft) {
          return (
            <SheetEditor
              key={providerId}
              draft={draft}
              onChange={update}
              onRemove={() => {
                onChange(drafts.filter((d) => d.providerId !== providerId));
                focusSoon(original ? ids.restore : ids.establish);
              }}
              newKey={newKey}
              errorFor={errorFor}
              provider={name}
              serviceId={serviceId}
              solutions={solutions}
              providerName={providerName}
            />
          );
        }
        return (
          <div key={providerId} className={`line-card${original ? " line-card--removed" : ""}`} data-testid={`${ids.sheet}-missing`}>
            <p>
              {original
                ? t("catalogueAdmin.version.interoperability.removedNote", { provider: name, solution: original.solution_name })
                : t("catalogueAdmin.version.interoperability.none", { provider: name })}
            </p>
            {original ? (
              <Button className="button--small" id={ids.restore} data-testid={ids.restore} onClick={() => add(draftFromSheet(original))}>
                {t("catalogueAdmin.version.interoperability.restore", { provider: name })}
              </Button>
            ) : (
              <Button className="button--small" id={ids.establish} data-testid={ids.establish} onClick={() => add(emptySheet(providerId))}>
                {t("catalogueAdmin.version.interoperability.establish", { provider: name })}
              </Button>
            )}
          </div>
        );
      })}
    </section>
  );
}

/** A group of radio buttons or checkboxes: its legend, hint and error, tied to the group. */
function ChoiceGroup({ id, legend, hint, error, children, testId }: { id: string; legend: string; hint?: string; error: string | null; children: ReactNode; testId?: string }) {
  return (
    <fieldset className="fieldset interop-group" aria-describedby={describedByOf(id, hint, error)} data-testid={testId}>
      <legend className="interop-group__legend">{legend}</legend>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children}
    </fieldset>
  );
}

/** A radio button with its label after it. */
function Radio({ id, name, label, checked, onChange }: { id: string; name: string; label: string; checked: boolean; onChange: () => void }) {
  return (
    <div className="choice">
      <input
        type="radio"
        id={id}
        name={name}
        className="choice__input"
        checked={checked}
        onChange={onChange}
        data-testid={id}
      />
      <label className="choice__label interop-choice__label" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

function SheetEditor({
  draft,
  onChange,
  onRemove,
  newKey,
  errorFor,
  provider,
  serviceId,
  solutions,
  providerName,
}: {
  draft: SheetDraft;
  onChange: (draft: SheetDraft) => void;
  onRemove: () => void;
  newKey: () => string;
  errorFor: (fieldId: string) => string | null;
  provider: string;
  serviceId: string;
  solutions: CatalogueSolution[];
  providerName: (providerId: string) => string;
}) {
  const t = useT();
  const ids = sheetIds(draft.providerId);
  const set = (change: Partial<SheetDraft>) => onChange({ ...draft, ...change });
  /** Changes row `key` of a list. */
  const row = <R extends { key: string }>(list: R[], key: string, change: Partial<R>) => list.map((r) => (r.key === key ? { ...r, ...change } : r));
  const label = (c: CatalogueSolution) => {
    const who = c.provider ?? providerName(c.solution.provider_id);
    return c.solutionName
      ? t("catalogueAdmin.version.interoperability.linkOptionNamed", { service: c.service, provider: who, solution: c.solutionName })
      : t("catalogueAdmin.version.interoperability.linkOption", { service: c.service, provider: who });
  };
  const own = solutionKey({ service_id: serviceId, provider_id: draft.providerId });
  const options = solutions.filter((c) => solutionKey(c.solution) !== own).map((c) => ({ value: solutionKey(c.solution), label: label(c) }));
  const known = new Set(options.map((o) => o.value));
  const hostingError = errorFor(ids.hosting(HOSTINGS[0] ?? "belgium"));
  const identityError = errorFor(ids.identity(IDENTITIES[0] ?? "csam"));
  const L = INTEROPERABILITY_LABELS;

  return (
    <fieldset className="line-card interop-sheet" data-testid={ids.sheet} data-provider-id={draft.providerId}>
      <legend className="line-card__title">{t("catalogueAdmin.version.interoperability.sheetTitle", { provider })}</legend>
      <TextInput
        id={ids.name}
        label={t("catalogueAdmin.version.interoperability.solutionName")}
        hint={t("catalogueAdmin.version.interoperability.solutionNameHint", { max: LIMITS.SOLUTION_NAME_MAX_CHARS })}
        required
        value={draft.solutionName}
        onChange={(v) => set({ solutionName: v })}
        error={errorFor(ids.name)}
        testId={ids.name}
      />

      <fieldset className="fieldset interop-group">
        <legend className="interop-group__legend">{L.aspect.open_data}</legend>
        <p className="field__hint">{t("catalogueAdmin.version.interoperability.openDataHint")}</p>
        {draft.openData.map((d, j) => (
          <fieldset key={d.key} className="line-card" data-testid={`${ids.sheet}-open-data-row`}>
            <legend className="visually-hidden">{t("catalogueAdmin.version.interoperability.openDataRow", { n: j + 1 })}</legend>
            <div className="admin-row">
              <TextInput
                id={ids.openData(j, "format")}
                label={t("catalogueAdmin.version.interoperability.openDataFormat")}
                hint={t("catalogueAdmin.version.interoperability.openDataFormatHint")}
                required
                width="medium"
                value={d.format}
                onChange={(v) => set({ openData: row(draft.openData, d.key, { format: v }) })}
                error={errorFor(ids.openData(j, "format"))}
                testId={ids.openData(j, "format")}
              />
              <TextInput
                id={ids.openData(j, "licence")}
                label={t("catalogueAdmin.version.interoperability.openDataLicence")}
                hint={t("catalogueAdmin.version.interoperability.openDataLicenceHint")}
                required
                width="medium"
                value={d.licence}
                onChange={(v) => set({ openData: row(draft.openData, d.key, { licence: v }) })}
                error={errorFor(ids.openData(j, "licence"))}
                testId={ids.openData(j, "licence")}
              />
            </div>
            <Button className="button--small" data-testid={ids.openData(j, "remove")} onClick={() => set({ openData: draft.openData.filter((x) => x.key !== d.key) })}>
              {t("catalogueAdmin.version.interoperability.openDataRemove", { n: j + 1 })}
            </Button>
          </fieldset>
        ))}
        <AddButton id={ids.openDataAdd} error={errorFor(ids.openDataAdd)} onClick={() => set({ openData: [...draft.openData, { key: newKey(), format: "", licence: "" }] })}>
          {t("catalogueAdmin.version.interoperability.openDataAdd")}
        </AddButton>
      </fieldset>

      <fieldset className="fieldset interop-group">
        <legend className="interop-group__legend">{L.aspect.api}</legend>
        <p className="field__hint">{t("catalogueAdmin.version.interoperability.apiHint")}</p>
        {draft.apis.map((d, j) => (
          <fieldset key={d.key} className="line-card" data-testid={`${ids.sheet}-api-row`}>
            <legend className="visually-hidden">{t("catalogueAdmin.version.interoperability.apiRow", { n: j + 1 })}</legend>
            <TextInput
              id={ids.api(j, "name")}
              label={t("catalogueAdmin.version.interoperability.apiName")}
              hint={t("catalogueAdmin.version.interoperability.apiNameHint")}
              required
              value={d.name}
              onChange={(v) => set({ apis: row(draft.apis, d.key, { name: v }) })}
              error={errorFor(ids.api(j, "name"))}
              testId={ids.api(j, "name")}
            />
            <TextInput
              id={ids.api(j, "specification")}
              label={t("catalogueAdmin.version.interoperability.apiSpecification")}
              hint={t("catalogueAdmin.version.interoperability.apiSpecificationHint")}
              required
              width="medium"
              value={d.specification}
              onChange={(v) => set({ apis: row(draft.apis, d.key, { specification: v }) })}
              error={errorFor(ids.api(j, "specification"))}
              testId={ids.api(j, "specification")}
            />
            <Field
              type="url"
              id={ids.api(j, "documentation")}
              label={t("catalogueAdmin.version.interoperability.apiDocumentation")}
              hint={t("catalogueAdmin.version.interoperability.apiDocumentationHint")}
              autoComplete="off"
              value={d.documentationUrl}
              onChange={(v) => set({ apis: row(draft.apis, d.key, { documentationUrl: v }) })}
              error={errorFor(ids.api(j, "documentation"))}
              testId={ids.api(j, "documentation")}
            />
            <Button className="button--small" data-testid={ids.api(j, "remove")} onClick={() => set({ apis: draft.apis.filter((x) => x.key !== d.key) })}>
              {t("catalogueAdmin.version.interoperability.apiRemove", { n: j + 1 })}
            </Button>
          </fieldset>
        ))}
        <AddButton id={ids.apiAdd} error={errorFor(ids.apiAdd)} onClick={() => set({ apis: [...draft.apis, { key: newKey(), name: "", specification: "", documentationUrl: "" }] })}>
          {t("catalogueAdmin.version.interoperability.apiAdd")}
        </AddButton>
      </fieldset>

      <ChoiceGroup
        id={ids.identity(IDENTITIES[0] ?? "csam")}
        legend={L.aspect.citizen_identity}
        hint={t("catalogueAdmin.version.interoperability.identityHint")}
        error={identityError}
      >
        {IDENTITIES.map((c) => (
          <Checkbox
            key={c}
            id={ids.identity(c)}
            label={L.citizen_identity[c]}
            checked={draft.citizenIdentity.includes(c)}
            onChange={(on) => set({ citizenIdentity: on ? [...draft.citizenIdentity.filter((x) => x !== c), c] : draft.citizenIdentity.filter((x) => x !== c) })}
            testId={ids.identity(c)}
          />
        ))}
      </ChoiceGroup>

      <fieldset className="fieldset interop-group">
        <legend className="interop-group__legend">{L.aspect.data_export}</legend>
        <p className="field__hint">{t("catalogueAdmin.version.interoperability.exportHint")}</p>
        {draft.dataExports.map((d, j) => (
          <div key={d.key} className="admin-row interop-inline" data-testid={`${ids.sheet}-export-row`}>
            <TextInput
              id={ids.exportFormat(j)}
              label={t("catalogueAdmin.version.interoperability.exportFormat", { n: j + 1 })}
              required
              width="medium"
              value={d.format}
              onChange={(v) => set({ dataExports: row(draft.dataExports, d.key, { format: v }) })}
              error={errorFor(ids.exportFormat(j))}
              testId={ids.exportFormat(j)}
            />
            <Button className="button--small" data-testid={ids.exportRemove(j)} onClick={() => set({ dataExports: draft.dataExports.filter((x) => x.key !== d.key) })}>
              {t("catalogueAdmin.version.interoperability.exportRemove", { n: j + 1 })}
            </Button>
          </div>
        ))}
        <AddButton id={ids.exportAdd} error={errorFor(ids.exportAdd)} onClick={() => set({ dataExports: [...draft.dataExports, { key: newKey(), format: "" }] })}>
          {t("catalogueAdmin.version.interoperability.exportAdd")}
        </AddButton>
      </fieldset>

      <ChoiceGroup id={ids.hosting(HOSTINGS[0] ?? "belgium")} legend={L.aspect.hosting} hint={t("catalogueAdmin.version.interoperability.hostingHint")} error={hostingError}>
        {HOSTINGS.map((h) => (
          <Radio
            key={h}
            id={ids.hosting(h)}
            name={`${ids.sheet}-hosting`}
            label={t("catalogueAdmin.version.interoperability.hostingOption", { where: L.hosting[h] })}
            checked={draft.hosting === h}
            onChange={() => set({ hosting: h })}
          />
        ))}
        <TextInput
          id={ids.hostingDetail}
          label={t("catalogueAdmin.version.interoperability.hostingDetail")}
          hint={t("catalogueAdmin.version.interoperability.hostingDetailHint")}
          value={draft.hostingDetail}
          onChange={(v) => set({ hostingDetail: v })}
          error={errorFor(ids.hostingDetail)}
          testId={ids.hostingDetail}
        />
      </ChoiceGroup>

      <Field
        type="textarea"
        id={ids.reversibility}
        label={L.aspect.reversibility}
        hint={t("catalogueAdmin.version.interoperability.reversibilityHint", { max: LONG })}
        required
        rows={3}
        value={draft.reversibility}
        onChange={(v) => set({ reversibility: v })}
        error={errorFor(ids.reversibility)}
        testId={ids.reversibility}
      />

      <fieldset className="fieldset interop-group">
        <legend className="interop-group__legend">{t("catalogueAdmin.version.interoperability.worksWith")}</legend>
        <p className="field__hint">{t("catalogueAdmin.version.interoperability.worksWithHint")}</p>
        {options.length === 0 && draft.worksWith.length === 0 && <p className="muted">{t("catalogueAdmin.version.interoperability.noOtherSolution")}</p>}
        {draft.worksWith.map((d, j) => (
          <fieldset key={d.key} className="line-card" data-testid={`${ids.sheet}-link-row`}>
            <legend className="visually-hidden">{t("catalogueAdmin.version.interoperability.linkRow", { n: j + 1 })}</legend>
            <Field
              type="select"
              id={ids.link(j, "solution")}
              label={t("catalogueAdmin.version.interoperability.linkSolution")}
              required
              value={d.solution}
              onChange={(v) => set({ worksWith: row(draft.worksWith, d.key, { solution: v }) })}
              placeholderOption={t("catalogueAdmin.version.interoperability.linkPlaceholder")}
              options={
                d.solution && !known.has(d.solution)
                  ? [...options, { value: d.solution, label: t("catalogueAdmin.version.interoperability.linkUnknown") }]
                  : options
              }
              error={errorFor(ids.link(j, "solution"))}
              testId={ids.link(j, "solution")}
            />
            <TextInput
              id={ids.link(j, "how")}
              label={t("catalogueAdmin.version.interoperability.linkHow")}
              hint={t("catalogueAdmin.version.interoperability.linkHowHint")}
              required
              value={d.how}
              onChange={(v) => set({ worksWith: row(draft.worksWith, d.key, { how: v }) })}
              error={errorFor(ids.link(j, "how"))}
              testId={ids.link(j, "how")}
            />
            <TextInput
              type="date"
              id={ids.link(j, "date")}
              label={t("catalogueAdmin.version.interoperability.linkDate")}
              hint={t("catalogueAdmin.version.interoperability.linkDateHint")}
              width="short"
              value={d.checkedOn}
              onChange={(v) => set({ worksWith: row(draft.worksWith, d.key, { checkedOn: v }) })}
              error={errorFor(ids.link(j, "date"))}
              testId={ids.link(j, "date")}
            />
            <Button className="button--small" data-testid={ids.link(j, "remove")} onClick={() => set({ worksWith: draft.worksWith.filter((x) => x.key !== d.key) })}>
              {t("catalogueAdmin.version.interoperability.linkRemove", { n: j + 1 })}
            </Button>
          </fieldset>
        ))}
        <AddButton id={ids.linkAdd} error={errorFor(ids.linkAdd)} onClick={() => set({ worksWith: [...draft.worksWith, { key: newKey(), solution: "", how: "", checkedOn: "" }] })}>
          {t("catalogueAdmin.version.interoperability.linkAdd")}
        </AddButton>
      </fieldset>

      <fieldset className="fieldset interop-group">
        <legend className="interop-group__legend">{t("catalogueAdmin.version.interoperability.checks")}</legend>
        <p className="field__hint">{t("catalogueAdmin.version.interoperability.checksHint")}</p>
        {ASPECTS.map((aspect) => {
          const c = draft.checks[aspect];
          const setCheck = (change: Partial<CheckDraft>) => set({ checks: { ...draft.checks, [aspect]: { ...c, ...change } } });
          const groupError = errorFor(ids.check(aspect, "none"));
          return (
            <div key={aspect} className="line-card" data-testid={`${ids.sheet}-check-${aspect}`}>
              <ChoiceGroup id={ids.check(aspect, "none")} legend={L.aspect[aspect]} error={groupError}>
                <div className="interop-outcomes">
                  <Radio
                    id={ids.check(aspect, "none")}
                    name={`${ids.sheet}-check-${aspect}`}
                    label={t("catalogueAdmin.version.interoperability.notChecked")}
                    checked={c.outcome === ""}
                    onChange={() => setCheck({ outcome: "" })}
                  />
                  {OUTCOMES.map((o) => (
                    <Radio
                      key={o}
                      id={ids.check(aspect, o)}
                      name={`${ids.sheet}-check-${aspect}`}
                      label={L.outcome[o]}
                      checked={c.outcome === o}
                      onChange={() => setCheck({ outcome: o })}
                    />
                  ))}
                </div>
              </ChoiceGroup>
              {c.outcome !== "" && (
                <>
                  <TextInput
                    type="date"
                    id={ids.check(aspect, "date")}
                    label={t("catalogueAdmin.version.interoperability.checkDate", { aspect: L.aspect[aspect] })}
                    hint={t("catalogueAdmin.version.interoperability.checkDateHint")}
                    required
                    width="short"
                    value={c.checkedOn}
                    onChange={(v) => setCheck({ checkedOn: v })}
                    error={errorFor(ids.check(aspect, "date"))}
                    testId={ids.check(aspect, "date")}
                  />
                  <Field
                    type="textarea"
                    id={ids.check(aspect, "note")}
                    label={t("catalogueAdmin.version.interoperability.checkNote", { aspect: L.aspect[aspect] })}
                    hint={t("catalogueAdmin.version.interoperability.checkNoteHint")}
                    required={c.outcome !== "confirmed"}
                    rows={2}
                    value={c.note}
                    onChange={(v) => setCheck({ note: v })}
                    error={errorFor(ids.check(aspect, "note"))}
                    testId={ids.check(aspect, "note")}
                  />
                </>
              )}
            </div>
          );
        })}
      </fieldset>

      <Button className="button--small" id={ids.remove} data-testid={ids.remove} onClick={onRemove}>
        {t("catalogueAdmin.version.interoperability.remove", { provider })}
      </Button>
    </fieldset>
  );
}

/** « Ajouter … » under a list, with the list's own error (too many lines) above it. */
function AddButton({ id, error, onClick, children }: { id: string; error: string | null; onClick: () => void; children: ReactNode }) {
  return (
    <div className={error ? "field field--error" : undefined}>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <Button id={id} data-testid={id} onClick={onClick} aria-describedby={error ? `${id}-error` : undefined}>
        {children}
      </Button>
    </div>
  );
}
