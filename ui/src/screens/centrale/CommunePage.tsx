/**
 * One commune (#/communes/:nis, centrale): who it is (name, NIS code, arrondissement,
 * population) and its adhesion, laid out as the checks the centrale makes before
 * countersigning: the convention's text and version, the collège decision, the director
 * general's and the mayor's signatures (each with the fingerprint of the text signed, compared
 * with the convention's), then the countersignature and the activation. « Contresigner
 * l'adhésion » and « Activer l'adhésion » show only when they apply; each asks for
 * confirmation showing exactly what is committed, then shows a receipt that says honestly
 * whether the server has received it yet. The server decides: nothing is refused here.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DateText } from "../../components/DateText";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Icon, type IconName } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { Receipt } from "../../components/Receipt";
import { useSecondFactor } from "../../components/SecondFactorField";
import { StatusTag } from "../../components/StatusTag";
import { useCommand, useSyncStatus } from "../../data";
import { formatDate, formatDateTime, formatInteger } from "../../format";
import { useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { useSession } from "../../session";
import { decisionSentence } from "../DecisionFields";
import type { AdhesionScreen } from "../../bindings/AdhesionScreen";
import type { AdhesionView } from "../../bindings/AdhesionView";
import type { CommuneRow } from "../../bindings/CommuneRow";
import type { Me } from "../../bindings/Me";
import type { Signature } from "../../bindings/Signature";
import { isSignatory, shortHash } from "../screenHelpers";
import type { ScreenProps } from "../ScreenProps";
import { CommuneStatusTag, mergedNote } from "./Communes";
import "./centrale.css";
import { personLabel, signatureLabel } from "../../people";

// ── The checks ──────────────────────────────────────────────────────────────────────

/** How one check stands: done and right, not done yet, wrong, for the centrale now, later. */
type CheckState = "ok" | "missing" | "problem" | "todo" | "later";

const CHECK_CLASS: Record<CheckState, string> = {
  ok: "done",
  missing: "waiting",
  problem: "problem",
  todo: "current",
  later: "later",
};

const CHECK_ICON: Record<CheckState, IconName> = {
  ok: "check",
  missing: "clock",
  problem: "warning",
  todo: "arrow-right",
  later: "pending",
};

function Check({
  state,
  number,
  title,
  testId,
  children,
}: {
  state: CheckState;
  number: number;
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const t = useT();
  const look = CHECK_CLASS[state];
  return (
    <li className={`checklist__item checklist__item--${look}`} data-testid={testId} data-state={state}>
      <span className="checklist__marker" aria-hidden="true">
        <Icon name={CHECK_ICON[state]} />
      </span>
      <div className="checklist__body">
        <h3 className="checklist__title">
          <span className="visually-hidden">{t("communes.page.stepNumber", { number })} </span>
          {title}
        </h3>
        <p className={`checklist__state checklist__state--${look}`}>{t(`communes.page.state.${state}`)}</p>
        {children}
      </div>
    </li>
  );
}

/** What the checks found, for the steps and for the confirmation. */
type Findings = {
  /** The convention's text on this PC is the adhesion's, intact. */
  textOk: boolean;
  /** Why it is not (a sentence), or null. */
  textProblem: string | null;
  /** Each signature present signed exactly the adhesion's text. */
  signaturesOk: boolean;
};

function findingsOf(t: Translate, data: AdhesionScreen, adhesion: AdhesionView): Findings {
  const c = data.convention;
  let textProblem: string | null = null;
  if (!c) textProblem = t("communes.page.convention.missing", { version: adhesion.template_version });
  else if (c.id !== adhesion.template_id) textProblem = t("communes.page.convention.otherText", { version: c.version });
  else if (!c.intact) textProblem = t("communes.page.convention.altered");
  else if (c.sha256 !== adhesion.text_sha256) textProblem = t("communes.page.convention.otherText", { version: c.version });
  const signed = [adhesion.director_general_signature, adhesion.mayor_signature].filter((s): s is Signature => s !== null);
  return {
    textOk: textProblem === null,
    textProblem,
    signaturesOk: signed.every((s) => s.text_sha256 === adhesion.text_sha256),
  };
}

function SignatureCheck({ adhesion, who, number }: { adhesion: AdhesionView; who: "director_general" | "mayor"; number: number }) {
  const t = useT();
  const s = who === "mayor" ? adhesion.mayor_signature : adhesion.director_general_signature;
  const title = t(`communes.page.signature.${who}`);
  const testId = `commune-signature-${who}`;
  if (!s) {
    return (
      <Check state="missing" number={number} title={title} testId={testId}>
        <p>{t("communes.page.signature.missing")}</p>
      </Check>
    );
  }
  const identical = s.text_sha256 === adhesion.text_sha256;
  return (
    <Check state={identical ? "ok" : "problem"} number={number} title={title} testId={testId}>
      <p data-testid={`${testId}-by`}>
        {t("communes.page.signature.by", { who: signatureLabel(s), when: formatDateTime(s.signed_at) })}
      </p>
      <p
        className={`commune-check commune-check--${identical ? "ok" : "problem"}`}
        data-testid={`${testId}-text`}
        data-identical={identical}
        role={identical ? undefined : "alert"}
      >
        <Icon name={identical ? "check" : "different"} />
        <span>
          {identical
            ? t("communes.page.signature.identical", { version: adhesion.template_version })
            : t("communes.page.signature.different", { version: adhesion.template_version })}
        </span>
      </p>
      <dl className="commune-hash">
        <dt>{t("communes.page.signature.signedHash")}</dt>
        <dd>
          <code className="identifier" title={s.text_sha256}>
            {s.text_sha256}
          </code>
        </dd>
        {!identical && (
          <>
            <dt>{t("communes.page.signature.conventionHash")}</dt>
            <dd>
              <code className="identifier" title={adhesion.text_sha256}>
                {adhesion.text_sha256}
              </code>
            </dd>
          </>
        )}
      </dl>
    </Check>
  );
}

function Checklist({ data, adhesion, findings }: { data: AdhesionScreen; adhesion: AdhesionView; findings: Findings }) {
  const t = useT();
  const c = data.convention;
  const decision = adhesion.college_decision;
  const countersigned = adhesion.countersignature;
  return (
    <section aria-labelledby="commune-checks-title" className="section">
      <h2 id="commune-checks-title">{t("communes.page.checklistTitle")}</h2>
      <p>{t("communes.page.checklistIntro")}</p>
      <ol className="checklist">
        <Check state={findings.textOk ? "ok" : "problem"} number={1} title={t("communes.page.convention.title")} testId="commune-convention">
          {c && c.id === adhesion.template_id && <p>{c.title}</p>}
          <p data-testid="commune-convention-version">
            <strong>{t("communes.page.convention.version", { version: adhesion.template_version })}</strong>
          </p>
          <dl className="commune-hash">
            <dt>{t("communes.page.convention.fingerprint")}</dt>
            <dd>
              <code className="identifier" data-testid="commune-convention-sha256">
                {adhesion.text_sha256}
              </code>
            </dd>
          </dl>
          {findings.textProblem && (
            <p className="commune-check commune-check--problem" role="alert" data-testid="commune-convention-problem">
              <Icon name="warning" />
              <span>{findings.textProblem}</span>
            </p>
          )}
          {data.newer_convention_version !== null && (
            <p className="muted">
              {t("communes.page.convention.newer", { version: data.newer_convention_version, signed: adhesion.template_version })}
            </p>
          )}
        </Check>
        <Check state={decision ? "ok" : "missing"} number={2} title={t("communes.page.college.title")} testId="commune-college">
          <p data-testid="commune-college-decision">
            {decision
              ? decisionSentence(t, decision)
              : t("communes.page.college.missing")}
          </p>
        </Check>
        <SignatureCheck adhesion={adhesion} who="director_general" number={3} />
        <SignatureCheck adhesion={adhesion} who="mayor" number={4} />
        <Check
          state={countersigned ? "ok" : adhesion.status === "signed_by_commune" ? "todo" : "later"}
          number={5}
          title={t("communes.page.countersignature.title")}
          testId="commune-step-countersignature"
        >
          {countersigned ? (
            <p data-testid="commune-countersignature">
              {t("communes.page.countersignature.by", {
                who: signatureLabel(countersigned),
                when: formatDateTime(countersigned.signed_at),
              })}
            </p>
          ) : (
            <p className={adhesion.status === "signed_by_commune" ? undefined : "muted"}>
              {adhesion.status === "signed_by_commune" ? t("communes.page.countersignature.waiting") : t("communes.page.countersignature.later")}
            </p>
          )}
        </Check>
        <Check
          state={adhesion.activated_at ? "ok" : adhesion.status === "countersigned" ? "todo" : "later"}
          number={6}
          title={t("communes.page.activation.title")}
          testId="commune-step-activation"
        >
          {adhesion.activated_at ? (
            <p data-testid="commune-activated">{t("communes.page.activation.done", { date: formatDate(adhesion.activated_at) })}</p>
          ) : (
            <p className={adhesion.status === "countersigned" ? undefined : "muted"}>
              {adhesion.status === "countersigned" ? t("communes.page.activation.waiting") : t("communes.page.activation.later")}
            </p>
          )}
        </Check>
      </ol>
    </section>
  );
}

// ── Where it stands ─────────────────────────────────────────────────────────────────

/** What remains, in the centrale's words. */
function nextLine(t: Translate, a: AdhesionView): string {
  switch (a.status) {
    case "draft": {
      if (a.college_decision === null) return t("communes.page.next.college");
      const missing = a.missing_signatures.filter(isSignatory);
      if (missing.length === 1 && missing[0] === "mayor") return t("communes.page.next.mayor");
      if (missing.length === 1 && missing[0] === "director_general") return t("communes.page.next.director_general");
      return t("communes.page.next.both");
    }
    case "signed_by_commune":
      return t("communes.page.next.countersign");
    case "countersigned":
      return t("communes.page.next.activate");
    case "active":
      return t("communes.page.next.active", { date: a.activated_at ? formatDate(a.activated_at) : "" });
    case "terminated":
      return a.termination
        ? t("communes.page.next.terminated", {
            notice: formatDate(a.termination.notice_date),
            end: formatDate(a.termination.effective_date),
          })
        : t("communes.status.terminated");
  }
}

function CommuneFacts({ commune, byNis }: { commune: CommuneRow; byNis: Map<string, CommuneRow> }) {
  const t = useT();
  const merged = mergedNote(t, commune, byNis);
  return (
    <section aria-labelledby="commune-facts-title" className="commune-facts">
      <h2 id="commune-facts-title" className="visually-hidden">
        {t("communes.page.facts")}
      </h2>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("communes.page.name")}</dt>
          <dd data-testid="commune-name">{commune.name_fr}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("communes.page.nis")}</dt>
          <dd>
            <span className="identifier" data-testid="commune-nis">
              {commune.nis_code}
            </span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t("communes.page.arrondissement")}</dt>
          <dd>{commune.arrondissement_fr}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("communes.page.population")}</dt>
          <dd>{t("communes.populationOn", { population: formatInteger(commune.population), date: formatDate(commune.population_date) })}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("communes.page.postalCode")}</dt>
          <dd>{commune.main_postal_code}</dd>
        </div>
      </dl>
      {merged && (
        <p className="panel panel--warning" data-testid="commune-merged">
          {merged}
        </p>
      )}
    </section>
  );
}

// ── The acts ────────────────────────────────────────────────────────────────────────

type Act = "countersign" | "activate";

type ActReceipt = { act: Act; who: string; when: string; what: string; offline: boolean };

function Summary({ rows }: { rows: { label: string; value: ReactNode; testId?: string }[] }) {
  return (
    <dl className="summary-list" data-testid="commune-act-summary">
      {rows.map((r) => (
        <div className="summary-list__row" key={r.label}>
          <dt>{r.label}</dt>
          <dd data-testid={r.testId}>{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function signedLine(t: Translate, s: Signature | null): string | null {
  return s ? t("communes.page.countersign.signedLine", { who: signatureLabel(s), when: formatDateTime(s.signed_at) }) : null;
}

function ConfirmAct({
  act,
  commune,
  data,
  adhesion,
  findings,
  me,
  today,
  offline,
  secondFactorField,
  onConfirm,
  onCancel,
}: {
  act: Act;
  commune: CommuneRow;
  data: AdhesionScreen;
  adhesion: AdhesionView;
  findings: Findings;
  me: Me;
  today: string;
  offline: boolean;
  /** « Code de double authentification », when the countersignature asks for one. */
  secondFactorField: ReactNode;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const communeValue = t("communes.page.countersign.communeValue", { name: commune.name_fr, nis: commune.nis_code });
  const version = t("communes.page.countersign.versionValue", { version: adhesion.template_version });
  const signatories = [signedLine(t, adhesion.director_general_signature), signedLine(t, adhesion.mayor_signature)].filter(
    (s): s is string => s !== null,
  );
  const decision = adhesion.college_decision;
  const meWho = personLabel(me);

  if (act === "countersign") {
    const allOk = findings.textOk && findings.signaturesOk && decision !== null;
    return (
      <ConfirmDialog
        title={t("communes.page.countersign.confirmTitle", { commune: commune.name_fr })}
        confirmLabel={t("communes.page.countersign.confirm")}
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        <p>{t("communes.page.countersign.intro")}</p>
        {!allOk && (
          <p className="panel panel--warning" data-testid="countersign-warning">
            {t("communes.page.countersign.warning")}
          </p>
        )}
        <Summary
          rows={[
            { label: t("communes.page.countersign.commune"), value: communeValue, testId: "countersign-commune" },
            { label: t("communes.page.countersign.document"), value: data.convention?.title ?? t("communes.page.convention.title") },
            { label: t("communes.page.countersign.version"), value: version, testId: "countersign-version" },
            {
              label: t("communes.page.countersign.fingerprint"),
              value: (
                <code className="identifier" title={adhesion.text_sha256}>
                  {shortHash(adhesion.text_sha256)}
                </code>
              ),
            },
            ...(decision
              ? [
                  {
                    label: t("communes.page.countersign.college"),
                    value: decisionSentence(t, decision),
                  },
                ]
              : []),
            {
              label: t("communes.page.countersign.signatories"),
              value: (
                <ul className="readable-list">
                  {signatories.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              ),
              testId: "countersign-signatories",
            },
            { label: t("communes.page.countersign.countersignatory"), value: meWho, testId: "countersign-signatory" },
            { label: t("communes.page.countersign.date"), value: <DateText value={today} /> },
          ]}
        />
        <p>{t("communes.page.countersign.legal")}</p>
        {secondFactorField}
        {offline && (
          <p className="muted">
            <Icon name="offline" /> {t("communes.page.offline")}
          </p>
        )}
      </ConfirmDialog>
    );
  }

  const c = adhesion.countersignature;
  return (
    <ConfirmDialog
      title={t("communes.page.activate.confirmTitle", { commune: commune.name_fr })}
      confirmLabel={t("communes.page.activate.confirm")}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{t("communes.page.activate.intro")}</p>
      <Summary
        rows={[
          { label: t("communes.page.countersign.commune"), value: communeValue, testId: "activate-commune" },
          { label: t("communes.page.countersign.version"), value: version, testId: "activate-version" },
          ...(c ? [{ label: t("communes.page.activate.countersignedBy"), value: signedLine(t, c) ?? "" }] : []),
          { label: t("communes.page.countersign.date"), value: <DateText value={today} /> },
        ]}
      />
      {offline && (
        <p className="muted">
          <Icon name="offline" /> {t("communes.page.offline")}
        </p>
      )}
    </ConfirmDialog>
  );
}

function AdhesionSection({
  commune,
  data,
  me,
  today,
  onDone,
}: {
  commune: CommuneRow;
  data: AdhesionScreen;
  me: Me | null;
  today: string;
  onDone: (receipt: ActReceipt) => void;
}) {
  const t = useT();
  const { status: sync } = useSyncStatus();
  const offline = sync?.phase === "offline";
  const [confirming, setConfirming] = useState<Act | null>(null);
  const secondFactor = useSecondFactor("countersign_adhesion");
  const adhesion = data.adhesion;

  if (!adhesion) {
    return (
      <section className="status-box" aria-labelledby="commune-adhesion-title" data-testid="commune-adhesion">
        <h2 id="commune-adhesion-title">{t("communes.page.adhesionTitle")}</h2>
        <p className="status-line">
          <span className="status-line__label">{t("communes.page.statusLabel")}</span>{" "}
          <CommuneStatusTag status="none" testId="commune-adhesion-status" />
        </p>
        <p data-testid="commune-no-adhesion">{t("communes.page.noAdhesion")}</p>
      </section>
    );
  }

  const findings = findingsOf(t, data, adhesion);
  const centrale = me?.role === "centrale_staff";
  const canCountersign = centrale && adhesion.status === "signed_by_commune";
  const canActivate = centrale && adhesion.status === "countersigned";

  const perform = async (act: Act) => {
    if (!me) return;
    if (act === "countersign") {
      try {
        await secondFactor.perform({ kind: "countersign_adhesion", input: { adhesion_id: adhesion.id, text_sha256: adhesion.text_sha256 } });
      } catch (e) {
        // A missing or malformed code: said under its field, the dialog stays open.
        if (secondFactor.claims(e)) return;
        throw e;
      }
      secondFactor.reset();
    } else {
      await api.perform({ kind: "activate_adhesion", input: { adhesion_id: adhesion.id } });
    }
    setConfirming(null);
    onDone({
      act,
      who: personLabel(me),
      when: new Date().toISOString(),
      what:
        act === "countersign"
          ? t("communes.page.countersign.receiptWhat", { commune: commune.name_fr, version: adhesion.template_version })
          : t("communes.page.activate.receiptWhat", { commune: commune.name_fr, version: adhesion.template_version }),
      offline,
    });
  };

  return (
    <>
      <section className="status-box" aria-labelledby="commune-adhesion-title" data-testid="commune-adhesion">
        <h2 id="commune-adhesion-title">{t("communes.page.adhesionTitle")}</h2>
        <p className="status-line">
          <span className="status-line__label">{t("communes.page.statusLabel")}</span>{" "}
          <CommuneStatusTag status={adhesion.status} testId="commune-adhesion-status" />{" "}
          {adhesion.pending && <StatusTag tone="pending" label={t("communes.page.pending")} testId="commune-adhesion-pending" />}
        </p>
        <p data-testid="commune-next">
          <strong>{nextLine(t, adhesion)}</strong>
        </p>
        {adhesion.pending && <p className="muted">{t("communes.page.pendingHelp")}</p>}
        {(canCountersign || canActivate) && (
          <div className="commune-actions">
            {canCountersign && (
              <Button variant="primary" onClick={() => setConfirming("countersign")} data-testid="countersign-adhesion">
                <Icon name="lock" />
                {t("communes.page.countersign.button")}
              </Button>
            )}
            {canActivate && (
              <Button variant="primary" onClick={() => setConfirming("activate")} data-testid="activate-adhesion">
                {t("communes.page.activate.button")}
              </Button>
            )}
          </div>
        )}
      </section>
      <Checklist data={data} adhesion={adhesion} findings={findings} />
      {confirming && me && (
        <ConfirmAct
          act={confirming}
          commune={commune}
          data={data}
          adhesion={adhesion}
          findings={findings}
          me={me}
          today={today}
          offline={offline}
          secondFactorField={secondFactor.field}
          onConfirm={() => perform(confirming)}
          onCancel={() => {
            secondFactor.reset();
            setConfirming(null);
          }}
        />
      )}
    </>
  );
}

// ── The screen ──────────────────────────────────────────────────────────────────────

function NotFoundBody({ nis }: { nis: string }) {
  const t = useT();
  return (
    <div className="panel panel--warning" data-testid="commune-not-found">
      <p>{t("communes.page.notFound", { nis })}</p>
      <p>
        <Link to={paths.communes()} data-testid="commune-back">
          {t("communes.page.back")}
        </Link>
      </p>
    </div>
  );
}

export function CommunePage({ params }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const nis = params.nis ?? "";
  const communes = useCommand(() => api.communes(), []);
  const screen = useCommand(() => api.adhesionOf(nis), [nis]);
  const [receipt, setReceipt] = useState<ActReceipt | null>(null);
  const receiptRef = useRef<HTMLDivElement>(null);

  // After an act, the receipt takes the focus (and is scrolled to), so that it is seen and read.
  useEffect(() => {
    if (!receipt) return;
    receiptRef.current?.focus();
    receiptRef.current?.scrollIntoView?.({ block: "start" });
  }, [receipt]);

  const rows = communes.data;
  const commune = rows?.find((r) => r.nis_code === nis) ?? null;
  const byNis = new Map((rows ?? []).map((r) => [r.nis_code, r]));
  const notFound = rows !== undefined && commune === null;
  const title = commune ? commune.name_fr : notFound ? t("communes.page.notFoundTitle") : t("communes.page.loadingTitle");
  const error = communes.error ?? screen.error;
  const loading = (communes.loading && !communes.data) || (screen.loading && !screen.data);
  // Received once the adhesion read back shows the act done and nothing left to send (right
  // after the act, the screen may still hold the adhesion as it was before).
  const shown = screen.data?.adhesion ?? null;
  const received =
    receipt !== null &&
    shown !== null &&
    !shown.pending &&
    (receipt.act === "countersign" ? shown.countersignature !== null : shown.status === "active");

  return (
    <Page title={title}>
      <p>
        <Link to={paths.communes()}>{t("communes.page.back")}</Link>
      </p>
      {error && (
        <ErrorPanel
          error={error}
          onRetry={() => {
            communes.reload();
            screen.reload();
          }}
        />
      )}
      {loading && !error && <Loading />}
      {notFound && <NotFoundBody nis={nis} />}
      {receipt && (
        <div tabIndex={-1} ref={receiptRef} className="receipt-wrap">
          <Receipt
            title={t(receipt.act === "countersign" ? "communes.page.countersign.receiptTitle" : "communes.page.activate.receiptTitle")}
            who={receipt.who}
            when={receipt.when}
            what={receipt.what}
            testId="commune-receipt"
          >
            <p className="muted" data-testid="commune-receipt-sync">
              {received
                ? t("communes.page.receiptReceived")
                : receipt.offline
                  ? t("communes.page.offline")
                  : t("communes.page.receiptPending")}
            </p>
          </Receipt>
        </div>
      )}
      {commune && (
        <>
          <CommuneFacts commune={commune} byNis={byNis} />
          {screen.data && (
            <AdhesionSection commune={commune} data={screen.data} me={state.session} today={state.today} onDone={setReceipt} />
          )}
        </>
      )}
    </Page>
  );
}
