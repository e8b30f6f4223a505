/**
 * Adhésion (#/adhesion): the commune's convention d'adhésion to the centrale. The text in force
 * (readable, scrollable, with its fingerprint), where the adhesion stands in words, and its steps
 * as a checklist: the collège decision (a form), the director general's and the mayor's
 * signatures (each from their own account: the signed-in role decides which button shows), the
 * centrale's countersignature, the activation. Signing asks for confirmation showing exactly
 * what is signed, then shows a receipt. Everything works offline (sent at the next sync).
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DateText } from "../components/DateText";
import { ErrorPanel } from "../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { Icon, type IconName } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { Receipt } from "../components/Receipt";
import { useSecondFactor } from "../components/SecondFactorField";
import { StatusTag } from "../components/StatusTag";
import { useCommand, useSyncStatus } from "../data";
import { AppError } from "../errors";
import { formatDate, formatDateTime } from "../format";
import { useErrorText, useT, type Translate } from "../i18n";
import { useSession } from "../session";
import { adhesionTone } from "../statuses";
import type { DelegatedDocument } from "../bindings/DelegatedDocument";
import type { AdhesionScreen } from "../bindings/AdhesionScreen";
import type { AdhesionView } from "../bindings/AdhesionView";
import type { ConventionView } from "../bindings/ConventionView";
import type { Decision } from "../bindings/Decision";
import type { Me } from "../bindings/Me";
import type { Signature } from "../bindings/Signature";
import { isCommuneRole, isSignatory, shortHash } from "./screenHelpers";
import { nameWithTitle, personLabel, signatureLabel } from "../people";
import { Substitutions } from "./Substitutions";
import { DocumentsBlock } from "./orders/Documents";
import {
  controlOfField,
  decisionErrors,
  DecisionFields,
  decisionSentence,
  draftOf,
  emptyDecision,
  toDecision,
  type DecisionDraft,
} from "./DecisionFields";
import type { ScreenProps } from "./ScreenProps";

// ── The convention text ─────────────────────────────────────────────────────────────

/** `**gras**` inside a line. */
function Inline({ text }: { text: string }) {
  const parts = text.split(/(\*\*[^*]+\*\*)/g).filter((p) => p !== "");
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith("**") && p.endsWith("**") && p.length > 4 ? <strong key={i}>{p.slice(2, -2)}</strong> : <span key={i}>{p}</span>,
      )}
    </>
  );
}

const NUMBERED = /^(\d+)\.\s+/;

/**
 * The convention's text laid out for reading: `#`/`##` titles, numbered lists, paragraphs and
 * `**bold**` (the text is stored as simple Markdown; what is signed is that text, byte for byte).
 */
export function ConventionText({ text }: { text: string }) {
  const blocks = text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split("\n");
        if (block.startsWith("## ")) return <h4 key={i}>{block.slice(3)}</h4>;
        if (block.startsWith("# ")) return <h3 key={i}>{block.slice(2)}</h3>;
        if (lines.every((l) => NUMBERED.test(l))) {
          const start = Number(NUMBERED.exec(lines[0] ?? "")?.[1] ?? "1");
          return (
            <ol key={i} start={start}>
              {lines.map((l, j) => (
                <li key={j}>
                  <Inline text={l.replace(NUMBERED, "")} />
                </li>
              ))}
            </ol>
          );
        }
        if (lines.every((l) => l.startsWith("- "))) {
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>
                  <Inline text={l.slice(2)} />
                </li>
              ))}
            </ul>
          );
        }
        return (
          <p key={i}>
            {lines.map((l, j) => (
              <span key={j}>
                {j > 0 && <br />}
                <Inline text={l} />
              </span>
            ))}
          </p>
        );
      })}
    </>
  );
}

function ConventionSection({ convention, newerVersion }: { convention: ConventionView; newerVersion: number | null }) {
  const t = useT();
  return (
    <section className="convention" aria-labelledby="convention-title" data-testid="convention">
      <h2 id="convention-title">{t("adhesion.convention.title")}</h2>
      <p className="convention__meta">
        <strong>{convention.title}</strong>
        <br />
        <span data-testid="convention-version">
          {convention.in_force
            ? t("adhesion.convention.versionInForce", { version: convention.version })
            : t("adhesion.convention.version", { version: convention.version })}
        </span>
      </p>
      {newerVersion !== null && (
        <p className="panel" data-testid="convention-newer">
          {t("adhesion.convention.newer", { version: newerVersion, signed: convention.version })}
        </p>
      )}
      {!convention.intact && (
        <div className="panel panel--danger" role="alert" data-testid="convention-altered">
          <h3 className="panel__title">
            <Icon name="error" />
            {t("adhesion.convention.alteredTitle")}
          </h3>
          <p>{t("adhesion.convention.altered")}</p>
        </div>
      )}
      <div
        className="convention__text"
        // Keyboard users scroll the text with the arrow keys once it has the focus.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        role="region"
        aria-label={t("adhesion.convention.textLabel")}
        data-testid="convention-text"
      >
        <ConventionText text={convention.text} />
      </div>
      <details className="technical-details convention__hash" data-testid="convention-technical">
        <summary>{t("common.technicalDetails")}</summary>
        <p>
          {t("adhesion.convention.fingerprint")}{" "}
          <code className="identifier" data-testid="convention-sha256">
            {convention.sha256}
          </code>
        </p>
        <p className="muted">{t("adhesion.convention.fingerprintHelp")}</p>
      </details>
    </section>
  );
}

// ── The collège decision ────────────────────────────────────────────────────────────

const COLLEGE = "college";

function CollegeForm({
  adhesion,
  today,
  initial,
  onDone,
  onCancel,
}: {
  adhesion: AdhesionView;
  today: string;
  initial?: Decision;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  // Joining a centrale is the conseil's decision, or the collège's by its delegation (CDLD
  // L1222-7): the server refuses any other organ.
  const [draft, setDraft] = useState<DecisionDraft>(initial ? draftOf(initial) : emptyDecision("conseil"));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found = decisionErrors(t, draft, today, COLLEGE, false);
    setErrors(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await api.perform({
        kind: "record_college_decision",
        input: { adhesion_id: adhesion.id, college_decision: toDecision(draft, false) },
      });
      onDone();
    } catch (e) {
      const error = AppError.from(e);
      const field = typeof error.params.field === "string" ? error.params.field : "";
      const control = controlOfField(field, "college_decision", COLLEGE);
      if (control) setErrors([{ fieldId: control, message: errorText(error) }]);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="step-form" onSubmit={(e) => void submit(e)} noValidate data-testid="college-form">
      <ErrorSummary errors={errors} />
      {failure && <ErrorPanel error={failure} />}
      <DecisionFields
        prefix={COLLEGE}
        organs={["conseil", "college_by_delegation"]}
        value={draft}
        onChange={setDraft}
        errors={errors}
        withOpinion={false}
      />
      <div className="button-group">
        <Button type="submit" variant="primary" busy={busy} data-testid="college-submit">
          {t("adhesion.college.submit")}
        </Button>
        {onCancel && (
          <Button variant="link" onClick={onCancel} disabled={busy}>
            {t("adhesion.college.cancelEdit")}
          </Button>
        )}
      </div>
    </form>
  );
}

// ── The checklist ───────────────────────────────────────────────────────────────────

type StepState = "done" | "current" | "waiting" | "later";

const STEP_ICON: Record<StepState, IconName> = {
  done: "check",
  current: "arrow-right",
  waiting: "clock",
  later: "pending",
};

function Step({
  state,
  number,
  title,
  testId,
  children,
}: {
  state: StepState;
  number: number;
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <li className={`checklist__item checklist__item--${state}`} data-testid={testId} data-state={state}>
      <span className="checklist__marker" aria-hidden="true">
        <Icon name={STEP_ICON[state]} />
      </span>
      <div className="checklist__body">
        <h3 className="checklist__title">
          <span className="visually-hidden">{t("adhesion.steps.number", { number })} </span>
          {title}
        </h3>
        <p className={`checklist__state checklist__state--${state}`}>{t(`adhesion.steps.state.${state}`)}</p>
        {children}
      </div>
    </li>
  );
}

function signedBy(t: Translate, s: Signature): string {
  return t("adhesion.signedBy", { who: signatureLabel(s), when: formatDateTime(s.signed_at) });
}

/** The signatory the signed-in account signs as today: the store says (titular, or a
 * substitute on a covered day); a screen read before that existed falls back on the role. */
function signsAsOf(data: AdhesionScreen, me: Me | null, document: DelegatedDocument): Signatory | null {
  if (data.signer) return data.signer.signs.includes(document) ? (data.signer.role === "mayor" ? "mayor" : "director_general") : null;
  return me && isSignatory(me.role) ? (me.role === "mayor" ? "mayor" : "director_general") : null;
}

type Signatory = "director_general" | "mayor";


function SignatureStep({
  adhesion,
  who: role,
  number,
  me,
  signsAs,
  canSign,
  editingDecision,
  onSign,
}: {
  adhesion: AdhesionView;
  /** Whose signature this step is. */
  who: "director_general" | "mayor";
  number: number;
  me: Me | null;
  /** Whom the signed-in account signs as today (titular or substitute), if anyone. */
  signsAs: Signatory | null;
  /** False while the text cannot be signed (altered, or not the adhesion's text). */
  canSign: boolean;
  /** True while the collège decision is being corrected: signing waits for it. */
  editingDecision: boolean;
  onSign: () => void;
}) {
  const t = useT();
  const signature = role === "mayor" ? adhesion.mayor_signature : adhesion.director_general_signature;
  const other = role === "mayor" ? adhesion.director_general_signature : adhesion.mayor_signature;
  const title = t(role === "mayor" ? "adhesion.steps.mayor" : "adhesion.steps.dg");
  const testId = role === "mayor" ? "signature-mayor" : "signature-dg";
  const decided = adhesion.college_decision !== null && !editingDecision;

  if (signature) {
    return (
      <Step state="done" number={number} title={title} testId={testId}>
        <p data-testid={`${testId}-by`}>{signedBy(t, signature)}</p>
      </Step>
    );
  }
  if (adhesion.status !== "draft") {
    return (
      <Step state="later" number={number} title={title} testId={testId}>
        <p className="muted">{t("adhesion.steps.notSigned")}</p>
      </Step>
    );
  }
  const mine = signsAs === role;
  const samePerson = mine && other !== null && other.user_id === me?.user_id;
  let body: ReactNode;
  if (!decided) body = <p>{t(mine ? "adhesion.steps.youAfterCollege" : "adhesion.steps.afterCollege")}</p>;
  else if (!mine) body = <p>{t(role === "mayor" ? "adhesion.steps.waitMayor" : "adhesion.steps.waitDg")}</p>;
  else if (samePerson) body = <p>{t("adhesion.steps.samePerson")}</p>;
  else if (!canSign) body = <p>{t("adhesion.steps.cannotSign")}</p>;
  else
    body = (
      <>
        <p>{t("adhesion.steps.yourTurn")}</p>
        <Button variant="primary" onClick={onSign} data-testid="sign-convention">
          <Icon name="lock" />
          {t("adhesion.sign.button")}
        </Button>
      </>
    );
  return (
    <Step state={decided ? (mine ? "current" : "waiting") : "later"} number={number} title={title} testId={testId}>
      {body}
    </Step>
  );
}

function CountersignStep({ adhesion, number }: { adhesion: AdhesionView; number: number }) {
  const t = useT();
  const title = t("adhesion.steps.countersign");
  const c = adhesion.countersignature;
  if (c) {
    return (
      <Step state="done" number={number} title={title} testId="countersignature">
        <p data-testid="countersignature-by">{signedBy(t, c)}</p>
      </Step>
    );
  }
  if (adhesion.status === "signed_by_commune") {
    return (
      <Step state="waiting" number={number} title={title} testId="countersignature">
        <p>{t("adhesion.steps.waitCountersign")}</p>
        {adhesion.pending && <p className="muted">{t("adhesion.steps.waitSend")}</p>}
      </Step>
    );
  }
  return (
    <Step state="later" number={number} title={title} testId="countersignature">
      <p className="muted">{t("adhesion.steps.countersignLater")}</p>
    </Step>
  );
}

function ActivationStep({ adhesion, number }: { adhesion: AdhesionView; number: number }) {
  const t = useT();
  const title = t("adhesion.steps.activation");
  if (adhesion.activated_at) {
    return (
      <Step state="done" number={number} title={title} testId="adhesion-activation">
        <p data-testid="adhesion-activated-at">
          {t("adhesion.steps.activatedOn", { date: formatDate(adhesion.activated_at) })}
        </p>
      </Step>
    );
  }
  if (adhesion.status === "countersigned") {
    return (
      <Step state="waiting" number={number} title={title} testId="adhesion-activation">
        <p>{t("adhesion.steps.waitActivation")}</p>
      </Step>
    );
  }
  return (
    <Step state="later" number={number} title={title} testId="adhesion-activation">
      <p className="muted">{t("adhesion.steps.activationLater")}</p>
    </Step>
  );
}

// ── Where it stands ─────────────────────────────────────────────────────────────────

/** The status in words, precise about who must act while the commune signs. */
function statusLabel(t: Translate, adhesion: AdhesionView): string {
  if (adhesion.status !== "draft") return t(`status.adhesion.${adhesion.status}`);
  if (adhesion.college_decision === null) return t("adhesion.statusDetail.college");
  const missing = adhesion.missing_signatures.filter(isSignatory);
  if (missing.length === 1 && missing[0] === "mayor") return t("adhesion.statusDetail.mayor");
  if (missing.length === 1 && missing[0] === "director_general") return t("adhesion.statusDetail.dg");
  return t("adhesion.statusDetail.both");
}

/**
 * The notice of termination in words (convention art. 12): waiting for the second signature,
 * given with its effective date (orders still possible until then), or in effect.
 */
function terminationSentence(t: Translate, adhesion: AdhesionView): string {
  const n = adhesion.termination;
  if (!n) return "";
  const notice = formatDate(n.notice_date);
  const end = formatDate(n.effective_date);
  if (adhesion.missing_termination_signatures.length > 0) {
    const missing = adhesion.missing_termination_signatures.map((r) => t(`roles.${r}`)).join(", ");
    return t("adhesion.terminationPending", { by: n.by, notice, missing });
  }
  if (adhesion.status === "terminated") return t("adhesion.terminatedDone", { notice, end });
  return t("adhesion.terminated", { notice, end });
}

/**
 * Notice of termination (convention art. 12), for the commune's two signatories: the first
 * signs a notice with its reason, the second co-signs the same one. The server dates it and
 * computes its effective date; the screen then shows them.
 */
function TerminationSection({ adhesion, me, signsAs }: { adhesion: AdhesionView; me: Me | null; signsAs: Signatory | null }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The notice bears both signatories' signatures: with a second factor, it carries the code.
  const secondFactor = useSecondFactor("terminate_adhesion");
  if (adhesion.status !== "active" || !me || !signsAs) return null;
  const pending = adhesion.termination !== null && adhesion.missing_termination_signatures.length > 0;
  if (adhesion.termination !== null && !pending) return null;
  const notice = adhesion.termination;
  const mine = notice && (signsAs === "mayor" ? notice.mayor_signature : notice.director_general_signature);
  const samePerson =
    notice !== null && [notice.mayor_signature, notice.director_general_signature].some((s) => s !== null && s.user_id === me.user_id);
  if (pending && (mine || samePerson)) return null;
  const text = notice ? notice.reason : reason.trim();

  const ask = () => {
    if (text === "") {
      setError(t("adhesion.termination.reasonMissing"));
      return;
    }
    setError(null);
    setConfirming(true);
  };
  const sign = async () => {
    try {
      await secondFactor.perform({ kind: "terminate_adhesion", input: { adhesion_id: adhesion.id, reason: text } });
    } catch (e) {
      // A missing or refused code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      throw e;
    }
    secondFactor.reset();
    setConfirming(false);
  };

  return (
    <section className="section" aria-labelledby="termination-title" data-testid="adhesion-terminate">
      <h2 id="termination-title">{t("adhesion.termination.title")}</h2>
      <p>{t("adhesion.termination.explain")}</p>
      {notice ? (
        <p data-testid="termination-reason">{t("adhesion.termination.reasonValue", { reason: notice.reason })}</p>
      ) : (
        <Field
          type="textarea"
          id="termination-reason"
          label={t("adhesion.termination.reason")}
          required
          rows={3}
          value={reason}
          onChange={setReason}
          error={error}
          testId="termination-reason"
        />
      )}
      <Button variant="secondary" onClick={ask} data-testid="termination-sign">
        {t(notice ? "adhesion.termination.cosign" : "adhesion.termination.sign")}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={t("adhesion.termination.confirmTitle")}
          confirmLabel={t(notice ? "adhesion.termination.cosign" : "adhesion.termination.sign")}
          onConfirm={sign}
          onCancel={() => {
            secondFactor.reset();
            setConfirming(false);
          }}
        >
          <p>{t("adhesion.termination.confirmIntro", { reason: text })}</p>
          <p className="confirm-note">{t("adhesion.termination.legal")}</p>
          {secondFactor.field}
        </ConfirmDialog>
      )}
    </section>
  );
}

type SignReceipt = {
  who: string;
  when: string;
  what: string;
  version: number;
  sha256: string;
  offline: boolean;
  /** Whose signature it is: the receipt says « reçue » only once the adhesion shows it. */
  role: Signatory;
};

/** True when the adhesion on screen holds the receipt's signature and nothing left to send. */
function receivedByServer(adhesion: AdhesionView | null | undefined, receipt: SignReceipt): boolean {
  if (!adhesion || adhesion.pending) return false;
  const signature = receipt.role === "mayor" ? adhesion.mayor_signature : adhesion.director_general_signature;
  return signature !== null;
}

function AdhesionBody({
  data,
  me,
  today,
  communeName,
  onSigned,
}: {
  data: AdhesionScreen;
  me: Me | null;
  today: string;
  communeName: string;
  onSigned: (receipt: SignReceipt) => void;
}) {
  const t = useT();
  const { status: sync } = useSyncStatus();
  const offline = sync?.phase === "offline";
  const [editingCollege, setEditingCollege] = useState(false);
  const [signing, setSigning] = useState(false);
  const secondFactor = useSecondFactor("sign_adhesion");
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<AppError | null>(null);
  const { adhesion, convention } = data;
  const commune = isCommuneRole(me?.role);

  const start = async () => {
    if (!convention) return;
    setStarting(true);
    setStartError(null);
    try {
      const id = await api.newId();
      await api.perform({ kind: "start_adhesion", input: { adhesion_id: id, template_id: convention.id } });
    } catch (e) {
      setStartError(AppError.from(e));
    } finally {
      setStarting(false);
    }
  };

  if (!adhesion) {
    return (
      <>
        <div className="status-box" data-testid="adhesion-summary">
          <p className="status-line">
            <span className="status-line__label">{t("adhesion.statusLabel")}</span>{" "}
            <StatusTag tone="neutral" label={t("adhesion.none")} testId="adhesion-status" />
          </p>
          <p>{t("adhesion.noneIntro")}</p>
          {startError && <ErrorPanel error={startError} />}
          {commune && convention?.in_force && convention.intact && (
            <Button variant="primary" busy={starting} onClick={() => void start()} data-testid="adhesion-start">
              {t("adhesion.start")}
            </Button>
          )}
          {!commune && <p className="muted">{t("adhesion.communeOnly")}</p>}
        </div>
        {convention ? (
          <ConventionSection convention={convention} newerVersion={data.newer_convention_version} />
        ) : (
          <NoText />
        )}
      </>
    );
  }

  const textMatches =
    convention !== null && convention.id === adhesion.template_id && convention.intact && convention.sha256 === adhesion.text_sha256;
  const canRecord = commune && adhesion.status === "draft";
  const decision = adhesion.college_decision;
  const canCorrect = canRecord && decision !== null && !adhesion.mayor_signature && !adhesion.director_general_signature;
  const signsAs = signsAsOf(data, me, "adhesion");
  const signatory = me && signsAs ? me : null;
  // « Marie Lambert, directrice générale », « Jean Dupont, échevin, bourgmestre f.f. »: the
  // title the signature will carry.
  const signatoryLabel = signatory
    ? data.signer
      ? nameWithTitle(signatory.display_name, data.signer.title)
      : personLabel(signatory)
    : "";

  const sign = async () => {
    if (!convention || !signatory) return;
    try {
      await secondFactor.perform({ kind: "sign_adhesion", input: { adhesion_id: adhesion.id, text_sha256: convention.sha256 } });
    } catch (e) {
      // A missing or malformed code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      throw e;
    }
    secondFactor.reset();
    setSigning(false);
    onSigned({
      who: signatoryLabel,
      when: new Date().toISOString(),
      what: t("adhesion.receipt.what", { title: convention.title }),
      version: convention.version,
      sha256: convention.sha256,
      offline,
      role: signsAs ?? "director_general",
    });
  };

  return (
    <>
      <div className="status-box" data-testid="adhesion-summary">
        <p className="status-line">
          <span className="status-line__label">{t("adhesion.statusLabel")}</span>{" "}
          <StatusTag tone={adhesionTone(adhesion.status)} label={statusLabel(t, adhesion)} testId="adhesion-status" />{" "}
          {adhesion.pending && <StatusTag tone="pending" label={t("adhesion.pending")} testId="adhesion-pending" />}
        </p>
        <p>
          <strong>{adhesion.allows_orders ? t("adhesion.mayOrder") : t("adhesion.mayNotOrder")}</strong>
        </p>
        {adhesion.pending && <p className="muted">{t("adhesion.pendingHelp")}</p>}
        {adhesion.termination && (
          <p data-testid="adhesion-termination">{terminationSentence(t, adhesion)}</p>
        )}
      </div>

      <div className="adhesion-layout">
        <section className="adhesion-steps" aria-labelledby="steps-title">
          <h2 id="steps-title">{t("adhesion.steps.title")}</h2>
          <ol className="checklist">
            {decision && !editingCollege ? (
              <Step state="done" number={1} title={t("adhesion.steps.college")} testId="college-step">
                <p data-testid="college-decision">{decisionSentence(t, decision)}</p>
                {canCorrect && (
                  <Button variant="link" onClick={() => setEditingCollege(true)} data-testid="college-edit">
                    {t("adhesion.college.edit")}
                  </Button>
                )}
              </Step>
            ) : (
              <Step state={canRecord ? "current" : "waiting"} number={1} title={t("adhesion.steps.college")} testId="college-step">
                {canRecord ? (
                  <>
                    <p>{t("adhesion.college.intro")}</p>
                    <CollegeForm
                      adhesion={adhesion}
                      today={today}
                      initial={decision ?? undefined}
                      onDone={() => setEditingCollege(false)}
                      onCancel={decision ? () => setEditingCollege(false) : undefined}
                    />
                  </>
                ) : (
                  <p>{t("adhesion.college.waiting")}</p>
                )}
              </Step>
            )}
            <SignatureStep
              adhesion={adhesion}
              who="director_general"
              number={2}
              me={me}
              signsAs={signsAs}
              canSign={textMatches}
              editingDecision={editingCollege}
              onSign={() => setSigning(true)}
            />
            <SignatureStep
              adhesion={adhesion}
              who="mayor"
              number={3}
              me={me}
              signsAs={signsAs}
              canSign={textMatches}
              editingDecision={editingCollege}
              onSign={() => setSigning(true)}
            />
            <CountersignStep adhesion={adhesion} number={4} />
            <ActivationStep adhesion={adhesion} number={5} />
          </ol>
        </section>
        {convention ? <ConventionSection convention={convention} newerVersion={data.newer_convention_version} /> : <NoText />}
      </div>
      <TerminationSection adhesion={adhesion} me={me} signsAs={signsAsOf(data, me, "termination")} />
      <DocumentsBlock recordId={adhesion.id} refreshKey={`${adhesion.status}-${adhesion.pending}`} />
      <Substitutions data={data} today={today} />

      {signing && convention && signatory && (
        <ConfirmDialog
          title={t("adhesion.sign.confirmTitle")}
          confirmLabel={t("adhesion.sign.confirm")}
          onConfirm={sign}
          onCancel={() => {
            secondFactor.reset();
            setSigning(false);
          }}
        >
          <p>{t("adhesion.sign.confirmIntro", { commune: communeName })}</p>
          <dl className="summary-list" data-testid="sign-summary">
            <div className="summary-list__row">
              <dt>{t("adhesion.sign.document")}</dt>
              <dd>{convention.title}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("adhesion.sign.version")}</dt>
              <dd>{t("adhesion.sign.versionValue", { version: convention.version })}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("adhesion.sign.signatory")}</dt>
              <dd data-testid="sign-signatory">{signatoryLabel}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("adhesion.sign.commune")}</dt>
              <dd>{communeName}</dd>
            </div>
            {decision && (
              <div className="summary-list__row">
                <dt>{t("adhesion.sign.college")}</dt>
                <dd>{decisionSentence(t, decision)}</dd>
              </div>
            )}
            <div className="summary-list__row">
              <dt>{t("adhesion.sign.date")}</dt>
              <dd data-testid="sign-date">
                <DateText value={today} />
              </dd>
            </div>
          </dl>
          {/* Technical details one click away (issue 15.5): the fingerprint proves which text is signed. */}
          <details className="technical-details" data-testid="sign-technical">
            <summary>{t("common.technicalDetails")}</summary>
            <p>
              {t("adhesion.sign.fingerprint")}{" "}
              <code className="identifier" title={convention.sha256} data-testid="sign-fingerprint">
                {shortHash(convention.sha256)}
              </code>
            </p>
          </details>
          <p>{t("adhesion.sign.legal")}</p>
          {secondFactor.field}
          {offline && (
            <p className="muted">
              <Icon name="offline" /> {t("adhesion.sign.offline")}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function NoText() {
  const t = useT();
  return (
    <div className="panel panel--warning" data-testid="convention-missing">
      <h2 className="panel__title">
        <Icon name="warning" />
        {t("adhesion.convention.title")}
      </h2>
      <p>{t("adhesion.convention.missing")}</p>
    </div>
  );
}

export function Adhesion(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const screen = useCommand(() => api.adhesion(), []);
  const [receipt, setReceipt] = useState<SignReceipt | null>(null);
  const receiptRef = useRef<HTMLDivElement>(null);
  const data = screen.data ?? null;

  // After signing, the proof takes the focus (and is scrolled to), so that it is seen and read.
  useEffect(() => {
    if (!receipt) return;
    receiptRef.current?.focus();
    receiptRef.current?.scrollIntoView?.({ block: "start" });
  }, [receipt]);

  return (
    <Page title={t("adhesion.title")} intro={<p className="lead">{t("adhesion.intro")}</p>}>
      {screen.error && <ErrorPanel error={screen.error} onRetry={screen.reload} />}
      {screen.loading && !screen.data && <Loading />}
      {receipt && (
        <div tabIndex={-1} ref={receiptRef} className="receipt-wrap">
        <Receipt title={t("adhesion.receipt.title")} who={receipt.who} when={receipt.when} what={receipt.what} testId="adhesion-receipt">
          <p>
            {t("adhesion.receipt.version", { version: receipt.version })} <code className="identifier">{shortHash(receipt.sha256)}</code>
          </p>
          <p className="muted">
            {receivedByServer(data?.adhesion, receipt)
              ? t("adhesion.receipt.received")
              : receipt.offline
                ? t("adhesion.receipt.offline")
                : t("adhesion.receipt.sent")}
          </p>
        </Receipt>
        </div>
      )}
      {data && (
        <AdhesionBody
          data={data}
          me={state.session}
          today={state.today}
          communeName={state.commune?.name_fr ?? ""}
          onSigned={setReceipt}
        />
      )}
    </Page>
  );
}
