/**
 * The commune's substitute signatories, in its adhesion area: who signs in the place of the
 * bourgmestre (bourgmestre f.f., CDLD L1123-5; échevin délégué, L1132-4) or of the directeur
 * général (DG f.f., L1124-19), for which days, on which act. The titulars record and end them;
 * the substitute sees in which capacity they sign today. Whether a substitute may sign on a day,
 * which organ designates whom and for how long are decided in Rust
 * (`crates/domain/src/signatory.rs`): this screen offers what the generated
 * `SUBSTITUTE_DESIGNATIONS` and `ORGAN_RECORDED_BY` allow the signed-in account, and sends.
 */
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorPanel } from "../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { StatusTag } from "../components/StatusTag";
import { AppError } from "../errors";
import { isIsoDate } from "../calendar";
import { formatDate } from "../format";
import { useErrorText, useT } from "../i18n";
import { nameWithTitle, titleOf } from "../people";
import type { AdhesionScreen } from "../bindings/AdhesionScreen";
import type { Capacity } from "../bindings/Capacity";
import type { Substitution } from "../bindings/Substitution";
import type { SubstitutionView } from "../bindings/SubstitutionView";
import type { Role } from "../bindings/Role";
import type { DelegatedDocument } from "../bindings/DelegatedDocument";
import { DELEGATED_DOCUMENTS, LIMITS, ORGAN_RECORDED_BY, SUBSTITUTE_DESIGNATIONS } from "../bindings/rules";
import { useSession } from "../session";
import { controlOfField, decisionErrors, DecisionFields, decisionSentence, emptyDecision, toDecision, type DecisionDraft, type OrganChoice } from "./DecisionFields";

const PREFIX = "substitution";
type SubstituteCapacity = Exclude<Capacity, "titular">;
const CAPACITIES: SubstituteCapacity[] = ["mayor_acting", "delegated_alderman", "director_general_acting"];

/** The acts this account may enter for a capacity: the organs the CDLD allows, less a
 * titular's own written act (the bourgmestre's, the directeur général's) when the other one is
 * signed in. */
function organsFor(capacity: SubstituteCapacity, role: Role | undefined): OrganChoice[] {
  return SUBSTITUTE_DESIGNATIONS[capacity].organs.filter((organ) => {
    const by = ORGAN_RECORDED_BY[organ];
    return by === undefined || by === role;
  });
}
const IDS = {
  capacity: "substitution-capacity",
  username: "substitution-username",
  from: "substitution-from",
  to: "substitution-to",
  rankedBefore: "substitution-ranked-before",
  documents: "substitution-documents",
};
/** Where an error about the delegated documents points: the first checkbox. */
const DOCUMENTS_FIELD = `${IDS.documents}-${DELEGATED_DOCUMENTS[0]}`;

/** The collège records a bourgmestre f.f. by rank (CDLD L1123-5): the first échevin in rank,
 * or another if it says which échevins ranked before are empêchés (the server knows the
 * ranks and decides). */
function byRank(draft: Draft): boolean {
  return draft.capacity === "mayor_acting" && draft.decision.organ === "college";
}

/** « Sophie Renard, échevine, bourgmestre f.f. » (the login until the server names the account). */
export function substituteLabel(s: Substitution): string {
  const role = s.capacity === "director_general_acting" ? "director_general" : "mayor";
  return nameWithTitle(s.substitute_name || s.substitute_username, titleOf(role, s.substitute_gender, s.capacity));
}

function Row({ view, mayEnd }: { view: SubstitutionView; mayEnd: boolean }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const s = view.substitution;
  const who = substituteLabel(s);
  const end = async () => {
    await api.perform({ kind: "end_substitution", input: { substitution_id: s.id } });
    setConfirming(false);
  };
  return (
    <li className="summary-list__row" data-testid="substitution">
      <p>
        <strong data-testid="substitution-who">
          {t("adhesion.substitutions.row", { who, from: formatDate(s.from), to: formatDate(s.to) })}
        </strong>{" "}
        {view.in_force && <StatusTag tone="success" label={t("adhesion.substitutions.inForce")} testId="substitution-in-force" />}{" "}
        {view.pending && <StatusTag tone="pending" label={t("adhesion.substitutions.pending")} />}
      </p>
      <p className="muted">{t("adhesion.substitutions.decision", { decision: decisionSentence(t, s.decision) })}</p>
      {s.documents && s.documents.length > 0 && (
        <p className="muted" data-testid="substitution-documents-list">
          {t("adhesion.substitutions.documentsRecorded", {
            documents: s.documents.map((d) => t(`adhesion.substitutions.documentNames.${d}`)).join(", "),
          })}
        </p>
      )}
      {s.ranked_before_unavailable && (
        <p className="muted" data-testid="substitution-ranked-before">
          {t("adhesion.substitutions.rankedBeforeRecorded", { text: s.ranked_before_unavailable })}
        </p>
      )}
      <p className="muted">{t("adhesion.substitutions.recordedBy", { who: s.recorded_by })}</p>
      {s.ended && <p data-testid="substitution-ended">{t("adhesion.substitutions.ended", { date: formatDate(s.ended.from_day), who: s.ended.by })}</p>}
      {mayEnd && view.may_end && (
        <Button variant="secondary" onClick={() => setConfirming(true)} data-testid="substitution-end">
          {t("adhesion.substitutions.end")}
        </Button>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("adhesion.substitutions.endConfirmTitle")}
          confirmLabel={t("adhesion.substitutions.end")}
          onConfirm={end}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("adhesion.substitutions.endConfirmIntro", { who })}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

type Draft = {
  capacity: Capacity;
  username: string;
  from: string;
  to: string;
  rankedBefore: string;
  /** For an échevin délégué: the documents the bourgmestre's act delegates (CDLD L1132-4). */
  documents: DelegatedDocument[];
  decision: DecisionDraft;
};

function SubstitutionForm({ today, onDone }: { today: string; onDone: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const role = useSession().state.session?.role;
  const capacities = CAPACITIES.filter((c) => organsFor(c, role).length > 0);
  const first = capacities[0] ?? "director_general_acting";
  const [draft, setDraft] = useState<Draft>({ capacity: first, username: "", from: today, to: "", rankedBefore: "", documents: [], decision: emptyDecision(organsFor(first, role)[0] ?? "college") });
  const organs = organsFor(draft.capacity as SubstituteCapacity, role);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const check = (): FieldError[] => {
    const out: FieldError[] = [];
    if (draft.username.trim() === "") out.push({ fieldId: IDS.username, message: t("adhesion.substitutions.usernameMissing") });
    if (!isIsoDate(draft.from)) out.push({ fieldId: IDS.from, message: t("adhesion.substitutions.dateMissing") });
    if (!isIsoDate(draft.to)) out.push({ fieldId: IDS.to, message: t("adhesion.substitutions.dateMissing") });
    else if (isIsoDate(draft.from) && draft.to < draft.from) out.push({ fieldId: IDS.to, message: t("adhesion.substitutions.toBeforeFrom") });
    if (draft.capacity === "delegated_alderman" && draft.documents.length === 0)
      out.push({ fieldId: DOCUMENTS_FIELD, message: t("adhesion.substitutions.documentsMissing") });
    return [...out, ...decisionErrors(t, draft.decision, today, PREFIX, false)];
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found = check();
    setErrors(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const id = await api.newId();
      await api.perform({
        kind: "record_substitution",
        input: {
          substitution_id: id,
          capacity: draft.capacity,
          substitute_username: draft.username.trim(),
          from: draft.from,
          to: draft.to,
          decision: toDecision(draft.decision, false),
          ranked_before_unavailable: byRank(draft) && draft.rankedBefore.trim() !== "" ? draft.rankedBefore.trim() : null,
          documents: draft.capacity === "delegated_alderman" ? DELEGATED_DOCUMENTS.filter((d) => draft.documents.includes(d)) : null,
        },
      });
      onDone();
    } catch (e) {
      const error = AppError.from(e);
      const field = typeof error.params.field === "string" ? error.params.field : "";
      const control =
        field === "substitute_username"
          ? IDS.username
          : field === "from" || field === "to" || field === "capacity"
            ? IDS[field]
            : field === "ranked_before_unavailable"
              ? IDS.rankedBefore
              : field === "documents"
                ? DOCUMENTS_FIELD
                : controlOfField(field, "decision", PREFIX);
      if (control) setErrors([{ fieldId: control, message: errorText(error) }]);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="step-form" onSubmit={(e) => void submit(e)} noValidate data-testid="substitution-form">
      <h3>{t("adhesion.substitutions.formTitle")}</h3>
      <ErrorSummary errors={errors} />
      {failure && <ErrorPanel error={failure} />}
      <Field
        type="select"
        id={IDS.capacity}
        label={t("adhesion.substitutions.capacity")}
        required
        value={draft.capacity}
        hint={t(`adhesion.substitutions.capacityHints.${draft.capacity as SubstituteCapacity}`, {
          months: LIMITS.DIRECTOR_GENERAL_ACTING_MAX_MONTHS,
          days: LIMITS.DIRECTOR_GENERAL_OWN_DESIGNATION_MAX_DAYS,
        })}
        onChange={(v) => {
          const capacity = v as SubstituteCapacity;
          const allowed = organsFor(capacity, role);
          // An act the new capacity does not allow gives way to the first it allows.
          const organ = allowed.includes(draft.decision.organ) ? draft.decision.organ : (allowed[0] ?? "college");
          set({ capacity, decision: { ...draft.decision, organ } });
        }}
        options={capacities.map((c) => ({ value: c, label: t(`adhesion.substitutions.capacities.${c}`) }))}
        error={errorFor(IDS.capacity)}
        testId={IDS.capacity}
      />
      <Field
        id={IDS.username}
        label={t("adhesion.substitutions.username")}
        hint={t(SUBSTITUTE_DESIGNATIONS[draft.capacity as SubstituteCapacity].alderman ? "adhesion.substitutions.usernameHintAlderman" : "adhesion.substitutions.usernameHint")}
        required
        value={draft.username}
        onChange={(v) => set({ username: v })}
        error={errorFor(IDS.username)}
        testId={IDS.username}
        width="medium"
        autoComplete="off"
      />
      <Field
        type="date"
        id={IDS.from}
        label={t("adhesion.substitutions.from")}
        required
        value={draft.from}
        onChange={(v) => set({ from: v })}
        error={errorFor(IDS.from)}
        testId={IDS.from}
        width="short"
      />
      <Field
        type="date"
        id={IDS.to}
        label={t("adhesion.substitutions.to")}
        required
        value={draft.to}
        onChange={(v) => set({ to: v })}
        error={errorFor(IDS.to)}
        testId={IDS.to}
        width="short"
      />
      <h4>{t("adhesion.substitutions.decisionTitle")}</h4>
      <DecisionFields
        prefix={PREFIX}
        organs={organs}
        organHint={t("adhesion.substitutions.organHint")}
        value={draft.decision}
        onChange={(decision) => set({ decision })}
        errors={errors}
        withOpinion={false}
      />
      {draft.capacity === "delegated_alderman" && (
        <fieldset className="fieldset" data-testid={IDS.documents}>
          <legend className="fieldset__legend">{t("adhesion.substitutions.documents")}</legend>
          <p className="muted">{t("adhesion.substitutions.documentsHint")}</p>
          {errorFor(DOCUMENTS_FIELD) && (
            <p className="field__error">{errorFor(DOCUMENTS_FIELD)}</p>
          )}
          <div style={{ display: "flex", flexDirection: "column", gap: "0.5rem" }}>
            {DELEGATED_DOCUMENTS.map((document) => {
              const id = `${IDS.documents}-${document}`;
              return (
                <label key={document} htmlFor={id} style={{ display: "inline-flex", alignItems: "center", gap: "0.5rem" }}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={draft.documents.includes(document)}
                    onChange={(e) =>
                      set({ documents: e.target.checked ? [...draft.documents, document] : draft.documents.filter((d) => d !== document) })
                    }
                    data-testid={id}
                  />
                  {t(`adhesion.substitutions.documentNames.${document}`)}
                </label>
              );
            })}
          </div>
        </fieldset>
      )}
      {byRank(draft) && (
        <Field
          type="textarea"
          rows={3}
          id={IDS.rankedBefore}
          label={t("adhesion.substitutions.rankedBefore")}
          hint={t("adhesion.substitutions.rankedBeforeHint", {
            min: LIMITS.RANKED_BEFORE_UNAVAILABLE_MIN_CHARS,
            max: LIMITS.RANKED_BEFORE_UNAVAILABLE_MAX_CHARS,
          })}
          value={draft.rankedBefore}
          onChange={(v) => set({ rankedBefore: v })}
          error={errorFor(IDS.rankedBefore)}
          testId={IDS.rankedBefore}
        />
      )}
      <div className="button-group">
        <Button type="submit" variant="primary" busy={busy} data-testid="substitution-submit">
          {t("adhesion.substitutions.submit")}
        </Button>
        <Button variant="link" onClick={onDone} disabled={busy} data-testid="substitution-cancel">
          {t("adhesion.substitutions.cancel")}
        </Button>
      </div>
    </form>
  );
}

/** The section: shown to the commune's titulars, and to anyone a substitution names. */
export function Substitutions({ data, today }: { data: AdhesionScreen; today: string }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const substitutions = data.substitutions ?? [];
  const signer = data.signer ?? null;
  const substitute = signer !== null && signer.capacity !== "titular";
  if (!data.may_designate && substitutions.length === 0 && !substitute) return null;
  return (
    <section className="section" aria-labelledby="substitutions-title" data-testid="adhesion-substitutions">
      <h2 id="substitutions-title">{t("adhesion.substitutions.title")}</h2>
      <p>{t("adhesion.substitutions.intro")}</p>
      {substitute && (
        <p className="panel" data-testid="substitution-you">
          {t("adhesion.substitutions.youSignAs", { title: signer.title })}
        </p>
      )}
      {substitutions.length === 0 ? (
        <p className="muted">{t("adhesion.substitutions.none")}</p>
      ) : (
        <ul className="summary-list" data-testid="substitution-list">
          {substitutions.map((v) => (
            <Row key={v.substitution.id} view={v} mayEnd={data.may_designate} />
          ))}
        </ul>
      )}
      {data.may_designate &&
        (adding ? (
          <SubstitutionForm today={today} onDone={() => setAdding(false)} />
        ) : (
          <Button variant="secondary" onClick={() => setAdding(true)} data-testid="substitution-add">
            {t("adhesion.substitutions.add")}
          </Button>
        ))}
      {!data.may_designate && <p className="muted">{t("adhesion.substitutions.titularsOnly")}</p>}
    </section>
  );
}
