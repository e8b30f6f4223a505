/**
 * What a new framework version changes against the terms in force: the parts to send (only the
 * changed ones, null for the others, so that the server keeps their current value) and the
 * differences in words for the staff to check before publishing.
 */
import { formatDate, formatDecimal, formatMoney } from "../../../format";
import type { Translate } from "../../../i18n";
import type { FrameworkDocument } from "../../../bindings/FrameworkDocument";
import type { FrameworkProvider } from "../../../bindings/FrameworkProvider";
import type { FrameworkTerms } from "../../../bindings/FrameworkTerms";
import type { PriceLine } from "../../../bindings/PriceLine";
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
};

/** The same parts as sent: null where nothing changed. */
export type ChangedParts = {
  end_date: string | null;
  price_schedule: PriceLine[] | null;
  documents: FrameworkDocument[] | null;
  providers: FrameworkProvider[] | null;
  max_value: number | null;
  contract_months: number | null;
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

/** Only what differs from the terms in force; null for each unchanged part. */
export function changedParts(base: FrameworkTerms, proposal: Proposal): ChangedParts {
  return {
    end_date: proposal.end_date === base.end_date ? null : proposal.end_date,
    price_schedule: same(proposal.price_schedule, base.price_schedule) ? null : proposal.price_schedule,
    documents: same(proposal.documents, base.documents) ? null : proposal.documents,
    providers: same(proposal.providers, base.providers) ? null : proposal.providers,
    max_value: proposal.max_value === base.max_value ? null : proposal.max_value,
    contract_months: proposal.contract_months === base.contract_months ? null : proposal.contract_months,
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
    parts.contract_months === null
  );
}

/** The differences of one part, in sentences. */
export type DiffSection = { part: "end_date" | "value" | "price_schedule" | "documents" | "providers"; items: string[] };

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

  return sections;
}
