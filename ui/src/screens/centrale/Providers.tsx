/**
 * Providers (#/prestataires), for the centrale's staff: the companies registered to take part
 * in framework agreements — name, BCE/KBO number, e-mail for invitations, address, and the
 * frameworks they are in — and the form « Enregistrer un prestataire ». The enterprise number
 * is checked here with the rule of the Banque-Carrefour des Entreprises (ten digits, the last two
 * a mod-97 check), as the server checks it. A registration is sent at the next synchronisation:
 * until then it is listed as waiting.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { StatusTag } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { useErrorText, useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import type { ProviderRow } from "../../bindings/ProviderRow";
import type { ProviderStatus } from "../../bindings/ProviderStatus";
import type { RegisterProvider } from "../../bindings/RegisterProvider";
import type { ScreenProps } from "../ScreenProps";
import { CentraleOnly, outboxOf, payloadOf } from "./catalogueAdmin/common";
import { TextInput } from "./catalogueAdmin/fields";
import { formatEnterpriseNumber, isEmail, parseEnterpriseNumber, SHORT_NAME, shortNameFrom } from "./catalogueAdmin/rules";
import { LIMITS } from "../../bindings/rules";

type Values = { name: string; shortName: string; shortTouched: boolean; enterpriseNumber: string; address: string; email: string };

const EMPTY: Values = { name: "", shortName: "", shortTouched: false, enterpriseNumber: "", address: "", email: "" };

export const FIELD_IDS = {
  name: "provider-name",
  shortName: "provider-short-name",
  enterpriseNumber: "provider-enterprise-number",
  address: "provider-address",
  email: "provider-email",
} as const;

/** The control of a field the server names in a refusal. */
const SERVER_FIELDS: Record<string, string> = {
  name: FIELD_IDS.name,
  short_name: FIELD_IDS.shortName,
  enterprise_number: FIELD_IDS.enterpriseNumber,
  address: FIELD_IDS.address,
  contact_email: FIELD_IDS.email,
};

/** A registration waiting in the outbox, as far as its payload says. */
type Waiting = { entry: OutboxEntry; name: string; shortName: string; number: string; email: string; address: string };

function waitingOf(entries: OutboxEntry[] | undefined): Waiting[] {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return outboxOf(entries, "provider.register").map((entry) => {
    const p = payloadOf(entry);
    return {
      entry,
      name: str(p.name),
      shortName: str(p.short_name),
      number: str(p.enterprise_number),
      email: str(p.contact_email),
      address: str(p.address),
    };
  });
}

/** Checks the form against the server's rules and the providers already known here. */
export function checkProvider(
  t: Translate,
  values: Values,
  known: { name: string; shortName: string; number: string }[],
): { input: Omit<RegisterProvider, "provider_id"> } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = values.name.trim();
  if (name === "") errors.push({ fieldId: FIELD_IDS.name, message: t("catalogueAdmin.providers.form.nameMissing") });
  else if ([...name].length > LIMITS.PROVIDER_NAME_MAX_CHARS) {
    errors.push({ fieldId: FIELD_IDS.name, message: t("catalogueAdmin.providers.form.tooLong", { max: LIMITS.PROVIDER_NAME_MAX_CHARS }) });
  }

  const shortName = values.shortName.trim();
  if (shortName === "") errors.push({ fieldId: FIELD_IDS.shortName, message: t("catalogueAdmin.providers.form.shortNameMissing") });
  else if (!SHORT_NAME.test(shortName) || shortName.length > LIMITS.PROVIDER_SHORT_NAME_MAX_CHARS) {
    errors.push({ fieldId: FIELD_IDS.shortName, message: t("catalogueAdmin.providers.form.shortNameInvalid", { max: LIMITS.PROVIDER_SHORT_NAME_MAX_CHARS }) });
  } else {
    const same = known.find((k) => k.shortName === shortName);
    if (same) errors.push({ fieldId: FIELD_IDS.shortName, message: t("catalogueAdmin.providers.form.shortNameTaken", { shortName, provider: same.name }) });
  }

  const number = parseEnterpriseNumber(values.enterpriseNumber);
  let formatted = "";
  if (number.kind === "empty") errors.push({ fieldId: FIELD_IDS.enterpriseNumber, message: t("catalogueAdmin.providers.form.numberMissing") });
  else if (number.kind === "error") {
    errors.push({
      fieldId: FIELD_IDS.enterpriseNumber,
      message: t(`catalogueAdmin.providers.form.numberError.${number.reason}`, { number: values.enterpriseNumber.trim() }),
    });
  } else {
    formatted = number.formatted;
    const same = known.find((k) => k.number.replace(/\D/g, "") === number.digits);
    if (same) errors.push({ fieldId: FIELD_IDS.enterpriseNumber, message: t("catalogueAdmin.providers.form.numberTaken", { number: formatted, provider: same.name }) });
  }

  const address = values.address.trim();
  if (address === "") errors.push({ fieldId: FIELD_IDS.address, message: t("catalogueAdmin.providers.form.addressMissing") });
  else if ([...address].length > LIMITS.PROVIDER_ADDRESS_MAX_CHARS) {
    errors.push({ fieldId: FIELD_IDS.address, message: t("catalogueAdmin.providers.form.tooLong", { max: LIMITS.PROVIDER_ADDRESS_MAX_CHARS }) });
  }

  const email = values.email.trim();
  if (email === "") errors.push({ fieldId: FIELD_IDS.email, message: t("catalogueAdmin.providers.form.emailMissing") });
  else if (!isEmail(email) || [...email].length > LIMITS.EMAIL_MAX_CHARS) errors.push({ fieldId: FIELD_IDS.email, message: t("catalogueAdmin.providers.form.emailInvalid") });

  if (errors.length > 0) return { errors };
  return { input: { short_name: shortName, name, enterprise_number: formatted, address, contact_email: email } };
}

type Membership = { serviceId: string; reference: string; service: string; status: ProviderStatus };

/** Which frameworks each provider is in, from the services on this PC (a few local reads). */
async function memberships(): Promise<Map<string, Membership[]>> {
  const services = await api.services({ text: null, category: null });
  const details = await Promise.all(services.map((s) => api.serviceDetail(s.id)));
  const out = new Map<string, Membership[]>();
  for (const d of details) {
    if (!d?.framework) continue;
    for (const p of d.framework.terms.providers) {
      const list = out.get(p.provider_id) ?? [];
      list.push({ serviceId: d.service.id, reference: d.framework.reference, service: d.service.name, status: p.status });
      out.set(p.provider_id, list);
    }
  }
  return out;
}

function ProviderItem({ row, frameworks }: { row: ProviderRow; frameworks: Membership[] | undefined }) {
  const t = useT();
  const p = row.provider;
  return (
    <li className="line-card" data-testid="provider-row" data-provider-id={p.id}>
      <h3 className="line-card__title">
        {p.name}
        {row.pending && (
          <>
            {" "}
            <StatusTag tone="pending" label={t("catalogueAdmin.providers.pending")} />
          </>
        )}
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.number")}</dt>
          <dd data-testid="provider-row-number">{formatEnterpriseNumber(p.enterprise_number)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.email")}</dt>
          <dd>{p.contact_email}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.address")}</dt>
          <dd>{p.address}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.login")}</dt>
          <dd>
            <code className="identifier">{t("catalogueAdmin.providers.loginValue", { shortName: p.short_name })}</code>
          </dd>
        </div>
        {frameworks !== undefined && (
          <div className="facts__row">
            <dt>{t("catalogueAdmin.providers.frameworks")}</dt>
            <dd data-testid="provider-row-frameworks">
              {frameworks.length === 0 ? (
                <span className="muted">{t("catalogueAdmin.providers.frameworksNone")}</span>
              ) : (
                <ul className="plain-list">
                  {frameworks.map((f) => (
                    <li key={f.serviceId}>
                      <Link to={paths.service(f.serviceId)}>{t("catalogueAdmin.providers.frameworkValue", { reference: f.reference, service: f.service })}</Link>
                      {f.status === "suspended" && (
                        <>
                          {" "}
                          <StatusTag tone="warning" label={t("catalogueAdmin.version.status.suspended")} />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
      </dl>
    </li>
  );
}

function WaitingItem({ waiting }: { waiting: Waiting }) {
  const t = useT();
  const refused = waiting.entry.state !== "pending";
  return (
    <li className="line-card" data-testid={refused ? "provider-refused" : "provider-row"} data-pending="true">
      <h3 className="line-card__title">
        {waiting.name}{" "}
        {refused ? (
          <StatusTag tone="danger" label={t("catalogueAdmin.providers.refused")} />
        ) : (
          <StatusTag tone="pending" label={t("catalogueAdmin.providers.waiting")} />
        )}
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.number")}</dt>
          <dd data-testid="provider-row-number">{formatEnterpriseNumber(waiting.number)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.email")}</dt>
          <dd>{waiting.email}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("catalogueAdmin.providers.address")}</dt>
          <dd>{waiting.address}</dd>
        </div>
      </dl>
      {refused ? (
        <p>
          <Link to={paths.attentionEntry(waiting.entry.mutation_id)}>{t("catalogueAdmin.providers.refusedLink")}</Link>
        </p>
      ) : (
        <p className="muted">{t("catalogueAdmin.providers.waitingNote")}</p>
      )}
    </li>
  );
}

function RegisterForm({ known }: { known: { name: string; shortName: string; number: string }[] }) {
  const t = useT();
  const errorText = useErrorText();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = (key: "address" | "email" | "enterpriseNumber", value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    setSent(null);
    const checked = checkProvider(t, values, known);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const providerId = await api.newId();
      await api.perform({ kind: "register_provider", input: { provider_id: providerId, ...checked.input } });
      setValues(EMPTY);
      setSent(checked.input.name);
    } catch (e) {
      const error = AppError.from(e);
      const field = typeof error.params?.field === "string" ? SERVER_FIELDS[error.params.field] : undefined;
      if (field) setErrors([{ fieldId: field, message: errorText(error) }]);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const numberPreview = parseEnterpriseNumber(values.enterpriseNumber);

  return (
    <section className="section" aria-labelledby="provider-form-title">
      <h2 id="provider-form-title">{t("catalogueAdmin.providers.form.title")}</h2>
      <p className="muted">{t("catalogueAdmin.providers.form.intro")}</p>
      {sent && (
        <div className="notice notice--success" role="status" data-testid="provider-sent">
          <Icon name="check" />
          <p>{t("catalogueAdmin.providers.form.sent", { provider: sent })}</p>
        </div>
      )}
      <form className="admin-form" noValidate onSubmit={(e) => void submit(e)} data-testid="provider-form">
        <ErrorSummary errors={errors} />
        {failure && <ErrorPanel error={failure} />}
        <TextInput
          id={FIELD_IDS.name}
          label={t("catalogueAdmin.providers.form.name")}
          hint={t("catalogueAdmin.providers.form.nameHint")}
          required
          value={values.name}
          onChange={(v) => setValues((s) => ({ ...s, name: v, shortName: s.shortTouched ? s.shortName : shortNameFrom(v) }))}
          error={errorFor(FIELD_IDS.name)}
          testId="provider-name"
          autoComplete="organization"
        />
        <TextInput
          id={FIELD_IDS.shortName}
          label={t("catalogueAdmin.providers.form.shortName")}
          hint={t("catalogueAdmin.providers.form.shortNameHint")}
          required
          width="medium"
          value={values.shortName}
          onChange={(v) => setValues((s) => ({ ...s, shortName: v, shortTouched: true }))}
          error={errorFor(FIELD_IDS.shortName)}
          testId="provider-short-name"
          spellCheck={false}
        />
        <TextInput
          id={FIELD_IDS.enterpriseNumber}
          label={t("catalogueAdmin.providers.form.number")}
          hint={
            numberPreview.kind === "ok"
              ? t("catalogueAdmin.providers.form.numberRead", { number: numberPreview.formatted })
              : t("catalogueAdmin.providers.form.numberHint")
          }
          required
          width="short"
          value={values.enterpriseNumber}
          onChange={(v) => set("enterpriseNumber", v)}
          error={errorFor(FIELD_IDS.enterpriseNumber)}
          testId="provider-enterprise-number"
          spellCheck={false}
        />
        <TextInput
          id={FIELD_IDS.address}
          label={t("catalogueAdmin.providers.form.address")}
          hint={t("catalogueAdmin.providers.form.addressHint")}
          required
          value={values.address}
          onChange={(v) => set("address", v)}
          error={errorFor(FIELD_IDS.address)}
          testId="provider-address"
          autoComplete="street-address"
        />
        <TextInput
          type="email"
          id={FIELD_IDS.email}
          label={t("catalogueAdmin.providers.form.email")}
          hint={t("catalogueAdmin.providers.form.emailHint")}
          required
          width="medium"
          value={values.email}
          onChange={(v) => set("email", v)}
          error={errorFor(FIELD_IDS.email)}
          testId="provider-email"
          autoComplete="email"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" busy={busy} data-testid="provider-submit">
          {t("catalogueAdmin.providers.form.submit")}
        </Button>
      </form>
    </section>
  );
}

function Screen() {
  const t = useT();
  const providers = useCommand(() => api.providers(), []);
  const outbox = useCommand(() => api.outbox(), []);
  const frameworks = useCommand(memberships, []);
  const rows = providers.data ?? [];
  const waiting = waitingOf(outbox.data);
  const known = [
    ...rows.map((r) => ({ name: r.provider.name, shortName: r.provider.short_name, number: r.provider.enterprise_number })),
    ...waiting.filter((w) => w.entry.state === "pending").map((w) => ({ name: w.name, shortName: w.shortName, number: w.number })),
  ];

  return (
    <>
      <section className="section" aria-labelledby="providers-list-title">
        <h2 id="providers-list-title">{t("catalogueAdmin.providers.listTitle")}</h2>
        {providers.error && <ErrorPanel error={providers.error} onRetry={providers.reload} />}
        {providers.loading && !providers.data && <Loading />}
        {providers.data && (
          <>
            {rows.length === 0 && waiting.length === 0 ? (
              <EmptyState testId="providers-empty" message={t("catalogueAdmin.providers.empty")} />
            ) : (
              <p className="result-count" data-testid="providers-count">
                {t("catalogueAdmin.providers.count", { count: rows.length })}
              </p>
            )}
            <ul className="admin-list" data-testid="providers-list">
              {waiting.map((w) => (
                <WaitingItem key={w.entry.mutation_id} waiting={w} />
              ))}
              {rows.map((r) => (
                <ProviderItem key={r.provider.id} row={r} frameworks={frameworks.data?.get(r.provider.id) ?? (frameworks.data ? [] : undefined)} />
              ))}
            </ul>
          </>
        )}
      </section>
      <RegisterForm known={known} />
    </>
  );
}

export function Providers(_props: ScreenProps) {
  const t = useT();
  return (
    <Page title={t("catalogueAdmin.providers.title")} intro={<p className="lead">{t("catalogueAdmin.providers.intro")}</p>}>
      <CentraleOnly>
        <Screen />
      </CentraleOnly>
    </Page>
  );
}
