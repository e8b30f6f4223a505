/**
 * The fields of a commune's decision: which organ decided (the conseil communal, the collège
 * « par délégation du conseil du … », or the collège), the reference and date of the meeting,
 * and — when the domain says the amount needs it (`*_opinion_required` in the read models) —
 * the directeur financier's opinion on legality (reference, date, its sense). Which organ may
 * decide what, and above which amount the opinion is required, are decided in Rust
 * (crates/domain/src/decision.rs); this form only offers the organs the act allows and maps
 * the server's refusals back onto its fields.
 */
import { Field } from "../components/Field";
import type { FieldError } from "../components/ErrorSummary";
import { formatDate } from "../format";
import { isIsoDate } from "../calendar";
import { useT, type Translate } from "../i18n";
import type { Decision } from "../bindings/Decision";
import type { OpinionKind } from "../bindings/OpinionKind";
import type { Organ } from "../bindings/Organ";
import { LIMITS, ORGAN_RECORDED_BY } from "../bindings/rules";

export type OrganChoice = Organ["kind"];

/** What the user typed, before it is a `Decision`. */
export type DecisionDraft = {
  organ: OrganChoice;
  delegationDate: string;
  /** The collège's authorisation, when the directeur général designates his replacement. */
  authorisationDate: string;
  reference: string;
  date: string;
  opinionReference: string;
  opinionDate: string;
  opinionKind: OpinionKind;
};

export function emptyDecision(organ: OrganChoice): DecisionDraft {
  return { organ, delegationDate: "", authorisationDate: "", reference: "", date: "", opinionReference: "", opinionDate: "", opinionKind: "favourable" };
}

/** A recorded decision back into the form (to correct it). */
export function draftOf(decision: Decision): DecisionDraft {
  return {
    organ: decision.organ.kind,
    delegationDate: decision.organ.kind === "college_by_delegation" ? decision.organ.delegation_date : "",
    authorisationDate: decision.organ.kind === "director_general" ? decision.organ.authorisation_date : "",
    reference: decision.reference,
    date: decision.date,
    opinionReference: decision.financial_opinion?.reference ?? "",
    opinionDate: decision.financial_opinion?.date ?? "",
    opinionKind: decision.financial_opinion?.kind ?? "favourable",
  };
}

/** The control ids of a decision's fields. */
export function decisionIds(prefix: string) {
  return {
    organ: `${prefix}-organ`,
    delegationDate: `${prefix}-delegation-date`,
    authorisationDate: `${prefix}-authorisation-date`,
    reference: `${prefix}-reference`,
    date: `${prefix}-date`,
    opinionReference: `${prefix}-opinion-reference`,
    opinionDate: `${prefix}-opinion-date`,
    opinionKind: `${prefix}-opinion-kind`,
  };
}

/** The decision as the mutation carries it; the opinion only when the form shows it. */
export function toDecision(d: DecisionDraft, withOpinion: boolean): Decision {
  const organ: Organ =
    d.organ === "college_by_delegation"
      ? { kind: "college_by_delegation", delegation_date: d.delegationDate }
      : d.organ === "director_general"
        ? { kind: "director_general", authorisation_date: d.authorisationDate }
        : { kind: d.organ };
  return {
    organ,
    reference: d.reference.trim(),
    date: d.date,
    financial_opinion: withOpinion ? { reference: d.opinionReference.trim(), date: d.opinionDate, kind: d.opinionKind } : null,
  };
}

function checkDate(t: Translate, value: string, today: string, missing: string): string | null {
  if (value === "") return missing;
  if (!isIsoDate(value)) return t("common.dateInvalid");
  if (value > today) return t("decision.dateFuture", { today: formatDate(today) });
  return null;
}

/** What is missing or unreadable (the limits themselves are the server's). */
export function decisionErrors(t: Translate, d: DecisionDraft, today: string, prefix: string, withOpinion: boolean): FieldError[] {
  const ids = decisionIds(prefix);
  const out: FieldError[] = [];
  const push = (fieldId: string, message: string | null) => {
    if (message) out.push({ fieldId, message });
  };
  if (d.organ === "college_by_delegation")
    push(ids.delegationDate, checkDate(t, d.delegationDate, today, t("decision.delegationDateMissing")));
  if (d.organ === "director_general")
    push(ids.authorisationDate, checkDate(t, d.authorisationDate, today, t("decision.authorisationDateMissing")));
  const reference = d.reference.trim();
  if (reference === "" || [...reference].length > LIMITS.REFERENCE_MAX_CHARS) push(ids.reference, t("decision.referenceMissing"));
  push(ids.date, checkDate(t, d.date, today, t("decision.dateMissing")));
  if (withOpinion) {
    const opinion = d.opinionReference.trim();
    if (opinion === "" || [...opinion].length > LIMITS.REFERENCE_MAX_CHARS) push(ids.opinionReference, t("decision.opinion.referenceMissing"));
    push(ids.opinionDate, checkDate(t, d.opinionDate, today, t("decision.opinion.dateMissing")));
  }
  return out;
}

/** The control of a server refusal's `field` (`decision.financial_opinion.date` …), if any. */
export function controlOfField(field: string, root: string, prefix: string): string | null {
  const ids = decisionIds(prefix);
  const map: Record<string, string> = {
    [`${root}.organ`]: ids.organ,
    [`${root}.organ.delegation_date`]: ids.delegationDate,
    [`${root}.organ.authorisation_date`]: ids.authorisationDate,
    [`${root}.reference`]: ids.reference,
    [`${root}.date`]: ids.date,
    [`${root}.financial_opinion`]: ids.opinionReference,
    [`${root}.financial_opinion.reference`]: ids.opinionReference,
    [`${root}.financial_opinion.date`]: ids.opinionDate,
  };
  return map[field] ?? null;
}

/** « le conseil communal », « le collège communal, par délégation du conseil du 20/01/2025 ». */
export function organLabel(t: Translate, organ: Organ): string {
  if (organ.kind === "college_by_delegation") return t("decision.organLabel.college_by_delegation", { date: formatDate(organ.delegation_date) });
  if (organ.kind === "director_general") return t("decision.organLabel.director_general", { date: formatDate(organ.authorisation_date) });
  return t(`decision.organLabel.${organ.kind}`);
}

/** « Conseil communal — décision CC/2026/12 du 05/11/2026 (avis du directeur financier …) ». */
export function decisionSentence(t: Translate, decision: Decision): string {
  const base = t("decision.recorded", { organ: organLabel(t, decision.organ), reference: decision.reference, date: formatDate(decision.date) });
  const o = decision.financial_opinion;
  if (!o) return base;
  return `${base} ${t("decision.opinion.recorded", { kind: t(`decision.opinion.kinds.${o.kind}`), reference: o.reference, date: formatDate(o.date) })}`;
}

export function DecisionFields({
  prefix,
  organs,
  organHint,
  value,
  onChange,
  errors,
  withOpinion,
}: {
  /** Prefix of the control ids and test ids (`college` → `college-reference`). */
  prefix: string;
  /** The organs the act allows; one organ shows no choice. */
  organs: OrganChoice[];
  /** What the organ's choice means here (the default speaks of the conseil's delegation). */
  organHint?: string;
  value: DecisionDraft;
  onChange: (next: DecisionDraft) => void;
  errors: FieldError[];
  /** Show the directeur financier's opinion (the domain requires it for this amount). */
  withOpinion: boolean;
}) {
  const t = useT();
  const ids = decisionIds(prefix);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = (patch: Partial<DecisionDraft>) => onChange({ ...value, ...patch });
  // One person's written act (the bourgmestre's, the directeur général's) has a date of its
  // own, not a meeting's.
  const ownAct = ORGAN_RECORDED_BY[value.organ] !== undefined;
  const referenceHint =
    value.organ === "conseil"
      ? "decision.referenceHintConseil"
      : value.organ === "mayor"
        ? "decision.referenceHintMayor"
        : value.organ === "director_general"
          ? "decision.referenceHintDirectorGeneral"
          : "decision.referenceHint";
  return (
    <>
      {organs.length > 1 ? (
        <Field
          type="select"
          id={ids.organ}
          label={t("decision.organ")}
          hint={organHint ?? t("decision.organHint")}
          required
          value={value.organ}
          onChange={(v) => set({ organ: v as OrganChoice })}
          options={organs.map((o) => ({ value: o, label: t(`decision.organs.${o}`) }))}
          error={errorFor(ids.organ)}
          testId={ids.organ}
          width="full"
        />
      ) : (
        <p data-testid={ids.organ}>{t("decision.organFixed", { organ: t(`decision.organs.${organs[0] ?? "college"}`) })}</p>
      )}
      {value.organ === "college_by_delegation" && (
        <Field
          type="date"
          id={ids.delegationDate}
          label={t("decision.delegationDate")}
          hint={t("decision.delegationDateHint")}
          required
          value={value.delegationDate}
          onChange={(v) => set({ delegationDate: v })}
          error={errorFor(ids.delegationDate)}
          testId={ids.delegationDate}
          width="short"
        />
      )}
      {value.organ === "director_general" && (
        <Field
          type="date"
          id={ids.authorisationDate}
          label={t("decision.authorisationDate")}
          hint={t("decision.authorisationDateHint")}
          required
          value={value.authorisationDate}
          onChange={(v) => set({ authorisationDate: v })}
          error={errorFor(ids.authorisationDate)}
          testId={ids.authorisationDate}
          width="short"
        />
      )}
      <Field
        id={ids.reference}
        label={t("decision.reference")}
        hint={t(referenceHint)}
        required
        value={value.reference}
        onChange={(v) => set({ reference: v })}
        error={errorFor(ids.reference)}
        testId={ids.reference}
        width="medium"
        autoComplete="off"
      />
      <Field
        type="date"
        id={ids.date}
        label={t(ownAct ? "decision.dateOfAct" : "decision.date")}
        hint={t("decision.dateHint")}
        required
        value={value.date}
        onChange={(v) => set({ date: v })}
        error={errorFor(ids.date)}
        testId={ids.date}
        width="short"
      />
      {withOpinion && (
        <fieldset className="fieldset" data-testid={`${prefix}-opinion`}>
          <legend>{t("decision.opinion.title")}</legend>
          <p className="muted">{t("decision.opinion.intro")}</p>
          <Field
            id={ids.opinionReference}
            label={t("decision.opinion.reference")}
            hint={t("decision.opinion.referenceHint")}
            required
            value={value.opinionReference}
            onChange={(v) => set({ opinionReference: v })}
            error={errorFor(ids.opinionReference)}
            testId={ids.opinionReference}
            width="medium"
            autoComplete="off"
          />
          <Field
            type="date"
            id={ids.opinionDate}
            label={t("decision.opinion.date")}
            hint={t("decision.opinion.dateHint")}
            required
            value={value.opinionDate}
            onChange={(v) => set({ opinionDate: v })}
            error={errorFor(ids.opinionDate)}
            testId={ids.opinionDate}
            width="short"
          />
          <Field
            type="select"
            id={ids.opinionKind}
            label={t("decision.opinion.kind")}
            required
            value={value.opinionKind}
            onChange={(v) => set({ opinionKind: v as OpinionKind })}
            options={(["favourable", "reserved", "unfavourable"] as const).map((k) => ({ value: k, label: t(`decision.opinion.kinds.${k}`) }))}
            testId={ids.opinionKind}
            width="medium"
          />
        </fieldset>
      )}
    </>
  );
}
