/**
 * What a new framework version changes against the terms in force: the parts to send (only the
 * changed ones, null for the others, so that the server keeps their current value) and the
 * differences in words for the staff to check before publishing — the interoperability sheets
 * (issue 16 §1) included, one line per party whose sheet is established, changed or removed.
 */
import { formatDate, formatDecimal, formatMoney } from "../../../format";
import type { Translate } from "../../../i18n";
import type { FrameworkDocument } from "../../../bindings/FrameworkDocument";
import type { FrameworkProvider } from "../../../bindings/FrameworkProvider";
import type { FrameworkTerms } from "../../../bindings/FrameworkTerms";
import type { InteropAspect } from "../../../bindings/InteropAspect";
import type { InteroperabilitySheet } from "../../../bindings/InteroperabilitySheet";
import type { PriceLine } from "../../../bindings/PriceLine";
import { INTEROPERABILITY_LABELS } from "../../../bindings/rules";
import type { DocumentDraft } from "./documents";
import { normalizeVat } from "./rules";

/** The parts of the terms a new version may change. */
export type Proposal = {
  end_date: string;
  price_schedule: PriceLine[];
  documents: FrameworkDocument[];
  providers: FrameworkProvider[];
  /** Maximum value, cents HTVA. */
  max_value: number | null;
  /** Contract duration of an order, in months. */
  contract_months: number;
  /** The interoperability sheets of the parties' solutions (issue 16 §1). */
  interoperability: InteroperabilitySheet[];
};

/** The same parts as sent: null where nothing changed. */
export type ChangedParts = {
  end_date: string | null;
  price_schedule: PriceLine[] | null;
  documents: FrameworkDocument[] | null;
  providers: FrameworkProvider[] | null;
  max_value: number | null;
  contract_months: number | null;
  interoperability: InteroperabilitySheet[] | null;
};

/** JSON with sorted keys, and VAT rates compared as numbers (`"21.00"` is `"21"`). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === "vat_rate" && typeof v === "string") return normalizeVat(v);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * A sheet as compared: its checks by aspect and its identity services sorted (their order says
 * nothing), the rest as it is.
 */
function comparable(sheet: InteroperabilitySheet): InteroperabilitySheet {
  return {
    ...sheet,
    citizen_identity: [...sheet.citizen_identity].sort(),
    checks: [...sheet.checks].sort((a, b) => a.aspect.localeCompare(b.aspect)),
  };
}

/** Whether two sets of sheets say the same, whatever their order (one sheet per party). */
function sameSheets(a: InteroperabilitySheet[], b: InteroperabilitySheet[]): boolean {
  const sorted = (list: InteroperabilitySheet[]) => [...list].sort((x, y) => x.provider_id.localeCompare(y.provider_id)).map(comparable);
  return same(sorted(a), sorted(b));
}

/** Only what differs from the terms in force; null for each unchanged part. */
export function changedParts(base: FrameworkTerms, proposal: Proposal): ChangedParts {
  return {
    end_date: proposal.end_date === base.end_date ? null : proposal.end_date,
    price_schedule: same(proposal.price_schedule, base.price_schedule) ? null : proposal.price_schedule,
    documents: same(proposal.documents, base.documents) ? null : proposal.documents,
    providers: same(proposal.providers, base.providers) ? null : proposal.providers,
    max_value: proposal.max_value === base.max_value ? null : proposal.max_value,
    contract_months: proposal.contract_months === base.contract_months ? null : proposal.contract_months,
    interoperability: sameSheets(proposal.interoperability, base.interoperability ?? []) ? null : proposal.interoperability,
  };
}

/** True when nothing would change. */
export function nothingChanged(parts: ChangedParts): boolean {
  return (
    parts.end_date === null &&
    parts.price_schedule === null &&
    parts.documents === null &&
    parts.providers === null &&
    parts.max_value === null &&
    parts.contract_months === null &&
    parts.interoperability === null
  );
}

/** The differences of one part, in sentences. */
export type DiffSection = { part: "end_date" | "value" | "price_schedule" | "documents" | "providers" | "interoperability"; items: string[] };

/** The parts of a sheet named in « modifiée (…) », in the form's order; the aspects in the domain's words. */
const SHEET_PARTS: Array<{ name: "solution_name" | "works_with" | "checks" | InteropAspect; differs: (a: InteroperabilitySheet, b: InteroperabilitySheet) => boolean }> = [
  { name: "solution_name", differs: (a, b) => a.solution_name !== b.solution_name },
  { name: "open_data", differs: (a, b) => !same(a.open_data, b.open_data) },
  { name: "api", differs: (a, b) => !same(a.apis, b.apis) },
  { name: "citizen_identity", differs: (a, b) => !same([...a.citizen_identity].sort(), [...b.citizen_identity].sort()) },
  { name: "data_export", differs: (a, b) => !same(a.data_exports, b.data_exports) },
  { name: "hosting", differs: (a, b) => a.hosting !== b.hosting || a.hosting_detail !== b.hosting_detail },
  { name: "reversibility", differs: (a, b) => a.reversibility !== b.reversibility },
  { name: "works_with", differs: (a, b) => !same(a.works_with, b.works_with) },
  { name: "checks", differs: (a, b) => !same(comparable(a).checks, comparable(b).checks) },
];

/** « nom de la solution, hébergement » — what differs between two sheets of a party. */
function sheetChanges(t: Translate, before: InteroperabilitySheet, after: InteroperabilitySheet): string {
  const lower = (text: string) => text.charAt(0).toLocaleLowerCase("fr-BE") + text.slice(1);
  return SHEET_PARTS.filter((p) => p.differs(before, after))
    .map((p) => {
      switch (p.name) {
        case "solution_name":
        case "works_with":
        case "checks":
          return t(`catalogueAdmin.diff.sheetPart.${p.name}`);
        default:
          return lower(INTEROPERABILITY_LABELS.aspect[p.name]);
      }
    })
    .join(", ");
}

/**
 * The differences in words, part by part (only the parts that change). Documents are told
 * from the form's drafts (a replaced document is the same document in a new version).
 */
export function describeChanges(
  t: Translate,
  base: FrameworkTerms,
  parts: ChangedParts,
  documentDrafts: DocumentDraft[],
  providerName: (id: string) => string,
): DiffSection[] {
  const sections: DiffSection[] = [];

  if (parts.end_date !== null) {
    sections.push({
      part: "end_date",
      items: [t("catalogueAdmin.diff.endDate", { before: formatDate(base.end_date), after: formatDate(parts.end_date) })],
    });
  }

  if (parts.max_value !== null || parts.contract_months !== null) {
    const items: string[] = [];
    if (parts.max_value !== null) {
      items.push(
        t("catalogueAdmin.value.diffMax", {
          before: base.max_value === null ? t("catalogueAdmin.value.notStated") : formatMoney(base.max_value, "htva"),
          after: formatMoney(parts.max_value, "htva"),
        }),
      );
    }
    if (parts.contract_months !== null) {
      items.push(t("catalogueAdmin.value.diffMonths", { before: base.contract_months, after: parts.contract_months }));
    }
    sections.push({ part: "value", items });
  }

  if (parts.price_schedule !== null) {
    const items: string[] = [];
    const after = new Map(parts.price_schedule.map((l) => [l.code, l]));
    const before = new Map(base.price_schedule.map((l) => [l.code, l]));
    for (const line of base.price_schedule) {
      const next = after.get(line.code);
      if (!next) {
        items.push(t("catalogueAdmin.diff.lineRemoved", { line: line.label_fr }));
      } else if (next.ceiling_cents !== line.ceiling_cents) {
        items.push(
          t("catalogueAdmin.diff.ceiling", {
            line: line.label_fr,
            before: formatMoney(line.ceiling_cents, "htva"),
            after: formatMoney(next.ceiling_cents, "htva"),
          }),
        );
      }
    }
    for (const line of parts.price_schedule) {
      if (before.has(line.code)) continue;
      items.push(
        t("catalogueAdmin.diff.lineAdded", {
          line: line.label_fr,
          unit: line.unit_fr,
          amount: formatMoney(line.ceiling_cents, "htva"),
          vat: formatDecimal(normalizeVat(line.vat_rate)),
        }),
      );
    }
    sections.push({ part: "price_schedule", items });
  }

  if (parts.documents !== null) {
    const items: string[] = [];
    for (const d of documentDrafts) {
      const o = d.original;
      if (d.mode === "remove" && o) items.push(t("catalogueAdmin.diff.documentRemoved", { document: o.title_fr, version: o.version }));
      if (d.mode === "new") {
        items.push(t("catalogueAdmin.diff.documentAdded", { document: d.title.trim(), version: d.version.trim(), file: d.fileName.trim() }));
      }
      if (d.mode === "replace" && o) {
        const changed =
          o.title_fr !== d.title.trim() ||
          o.version !== d.version.trim() ||
          o.file_name !== d.fileName.trim() ||
          o.sha256.toLowerCase() !== d.sha256.trim().toLowerCase();
        if (changed) {
          items.push(
            t("catalogueAdmin.diff.documentReplaced", {
              document: o.title_fr,
              before: o.version,
              after: d.version.trim(),
              file: d.fileName.trim(),
            }),
          );
        }
      }
    }
    sections.push({ part: "documents", items });
  }

  if (parts.providers !== null) {
    const items: string[] = [];
    const before = new Map(base.providers.map((p) => [p.provider_id, p.status]));
    for (const p of parts.providers) {
      const was = before.get(p.provider_id);
      const name = providerName(p.provider_id);
      if (was === undefined) {
        items.push(t(p.status === "active" ? "catalogueAdmin.diff.providerAdded" : "catalogueAdmin.diff.providerAddedSuspended", { provider: name }));
      } else if (was !== p.status) {
        items.push(t(p.status === "suspended" ? "catalogueAdmin.diff.providerSuspended" : "catalogueAdmin.diff.providerReactivated", { provider: name }));
      }
    }
    sections.push({ part: "providers", items });
  }

  if (parts.interoperability !== null) {
    const items: string[] = [];
    const before = new Map((base.interoperability ?? []).map((s) => [s.provider_id, s]));
    const after = new Map(parts.interoperability.map((s) => [s.provider_id, s]));
    // In the parties' order, then any other sheet.
    const order = [...new Set([...base.providers.map((p) => p.provider_id), ...before.keys(), ...after.keys()])];
    for (const id of order) {
      const was = before.get(id);
      const is = after.get(id);
      const provider = providerName(id);
      if (!was && is) items.push(t("catalogueAdmin.diff.sheetAdded", { provider, solution: is.solution_name }));
      else if (was && !is) items.push(t("catalogueAdmin.diff.sheetRemoved", { provider }));
      else if (was && is && !sameSheets([was], [is])) items.push(t("catalogueAdmin.diff.sheetChanged", { provider, what: sheetChanges(t, was, is) }));
    }
    sections.push({ part: "interoperability", items });
  }

  return sections;
}
