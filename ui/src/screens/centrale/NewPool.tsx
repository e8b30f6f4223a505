/**
 * « Ouvrir un marché groupé » (#/marches-groupes/nouveau), for the centrale's staff (issue 16
 * §4): the service of the catalogue whose framework the pool calls off, a title, the common
 * need in a few sentences and the last day communes may join. Every limit comes from the
 * domain's rules (`LIMITS`); the form checks them first, with an error summary linking to each
 * field and nothing typed lost; a refusal of the domain comes back next to the field it names.
 * After a summary and a confirmation, the pool opens on this PC and reaches the communes at
 * the next synchronisation; its page opens.
 */
import { useRef, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { flash } from "../../components/Notice";
import { Page } from "../../components/Page";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { formatDate } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";
import type { ServiceRow } from "../../bindings/ServiceRow";
import { LIMITS } from "../../bindings/rules";
import { isIsoDate } from "../../calendar";
import { fieldOf } from "../orders/common";
import type { ScreenProps } from "../ScreenProps";
import "../pool/pool.css";

/** The ids of the controls (the error summary links to them). */
export const POOL_FIELDS = {
  form: "pool-form",
  service: "pool-service",
  title: "pool-title",
  description: "pool-description",
  joinUntil: "pool-join-until",
} as const;

export type PoolValues = { serviceId: string; title: string; description: string; joinUntil: string };

/** What `create_pool` sends as the pool. */
export type PoolDraftInput = { service_id: string; title: string; description: string; join_until: string };

const chars = (text: string) => [...text].length;

/** Checks what was typed against the domain's limits; the draft, or a message per field. */
export function checkPool(
  t: Translate,
  values: PoolValues,
  services: ServiceRow[],
  today: string,
): { pool: PoolDraftInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const service = services.find((s) => s.id === values.serviceId);
  if (!values.serviceId) errors.push({ fieldId: POOL_FIELDS.service, message: t("pools.form.serviceMissing") });
  else if (service && !service.call_off_possible) errors.push({ fieldId: POOL_FIELDS.service, message: t("pools.form.serviceBlocked", { name: service.name }) });

  const title = values.title.trim();
  const titleLimits = { min: LIMITS.POOL_TITLE_MIN_CHARS, max: LIMITS.POOL_TITLE_MAX_CHARS };
  if (title === "") errors.push({ fieldId: POOL_FIELDS.title, message: t("pools.form.titleMissing", titleLimits) });
  else if (chars(title) < titleLimits.min) errors.push({ fieldId: POOL_FIELDS.title, message: t("pools.form.titleTooShort", { ...titleLimits, length: chars(title) }) });
  else if (chars(title) > titleLimits.max) errors.push({ fieldId: POOL_FIELDS.title, message: t("pools.form.titleTooLong", { ...titleLimits, length: chars(title) }) });

  const description = values.description.trim();
  const descriptionLimits = { min: LIMITS.POOL_DESCRIPTION_MIN_CHARS, max: LIMITS.POOL_DESCRIPTION_MAX_CHARS };
  if (description === "") errors.push({ fieldId: POOL_FIELDS.description, message: t("pools.form.descriptionMissing", descriptionLimits) });
  else if (chars(description) < descriptionLimits.min)
    errors.push({ fieldId: POOL_FIELDS.description, message: t("pools.form.descriptionTooShort", { ...descriptionLimits, length: chars(description) }) });
  else if (chars(description) > descriptionLimits.max)
    errors.push({ fieldId: POOL_FIELDS.description, message: t("pools.form.descriptionTooLong", { ...descriptionLimits, length: chars(description) }) });

  const joinUntil = values.joinUntil.trim();
  if (joinUntil === "") errors.push({ fieldId: POOL_FIELDS.joinUntil, message: t("pools.form.joinUntilMissing") });
  else if (!isIsoDate(joinUntil)) errors.push({ fieldId: POOL_FIELDS.joinUntil, message: t("common.dateInvalid") });
  else if (joinUntil < today) errors.push({ fieldId: POOL_FIELDS.joinUntil, message: t("pools.form.joinUntilPast", { today: formatDate(today) }) });
  else if (service?.end_date && joinUntil > service.end_date)
    errors.push({ fieldId: POOL_FIELDS.joinUntil, message: t("pools.form.joinUntilAfterEnd", { end: formatDate(service.end_date) }) });

  if (errors.length > 0) return { errors };
  return { pool: { service_id: values.serviceId, title, description, join_until: joinUntil } };
}

/** The control that shows a refusal naming `field` (`pool.title`, `title`…). */
function controlOf(field: string | null): string | null {
  const last = field?.split(".").pop() ?? "";
  switch (last) {
    case "service_id":
      return POOL_FIELDS.service;
    case "title":
      return POOL_FIELDS.title;
    case "description":
      return POOL_FIELDS.description;
    case "join_until":
      return POOL_FIELDS.joinUntil;
    default:
      return null;
  }
}

function Form({ services }: { services: ServiceRow[] }) {
  const t = useT();
  const errorText = useErrorText();
  const { state } = useSession();
  const today = state.today;
  const [values, setValues] = useState<PoolValues>({ serviceId: "", title: "", description: "", joinUntil: "" });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirm, setConfirm] = useState<PoolDraftInput | null>(null);
  // One id for this new pool, kept if the first try is refused (nothing was queued then).
  const poolId = useRef<string | null>(null);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = <K extends keyof PoolValues>(key: K, value: PoolValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const chosen = services.find((s) => s.id === values.serviceId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkPool(t, values, services, today);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setConfirm(checked.pool);
  };

  const create = async () => {
    if (!confirm) return;
    poolId.current ??= await api.newId();
    const id = poolId.current;
    try {
      await api.perform({ kind: "create_pool", input: { pool_id: id, pool: confirm } });
    } catch (e) {
      const error = AppError.from(e);
      const fieldId = controlOf(fieldOf(error.params));
      if (!fieldId) throw error;
      // Back to the form, the reason next to its field; what was typed stays.
      setConfirm(null);
      setErrors([{ fieldId, message: errorText(error) }]);
      return;
    }
    flash(t("pools.form.flash", { title: confirm.title }), paths.pool(id), { untilSent: true });
    navigate(paths.pool(id));
  };

  const options = services.map((s) => ({
    value: s.id,
    label: s.call_off_possible ? s.name : t("orders.form.serviceUnavailable", { name: s.name }),
  }));

  return (
    <>
      <form className="pool-form" noValidate onSubmit={submit} data-testid={POOL_FIELDS.form}>
        <ErrorSummary errors={errors} />
        <Field
          type="select"
          id={POOL_FIELDS.service}
          testId={POOL_FIELDS.service}
          label={t("pools.form.service")}
          hint={t("pools.form.serviceHint")}
          required
          value={values.serviceId}
          onChange={(v) => set("serviceId", v)}
          options={options}
          placeholderOption={t("pools.form.servicePlaceholder")}
          error={errorFor(POOL_FIELDS.service)}
        />
        {chosen?.framework_reference && (
          <p className="muted" data-testid="pool-service-framework">
            {chosen.end_date
              ? t("pools.form.frameworkUntil", { reference: chosen.framework_reference, end: formatDate(chosen.end_date) })
              : t("pools.page.framework", { reference: chosen.framework_reference })}
          </p>
        )}
        <Field
          id={POOL_FIELDS.title}
          testId={POOL_FIELDS.title}
          label={t("pools.form.title")}
          hint={t("pools.form.titleHint", { min: LIMITS.POOL_TITLE_MIN_CHARS, max: LIMITS.POOL_TITLE_MAX_CHARS })}
          required
          autoComplete="off"
          value={values.title}
          onChange={(v) => set("title", v)}
          error={errorFor(POOL_FIELDS.title)}
        />
        <Field
          type="textarea"
          id={POOL_FIELDS.description}
          testId={POOL_FIELDS.description}
          rows={5}
          label={t("pools.form.description")}
          hint={t("pools.form.descriptionHint", { min: LIMITS.POOL_DESCRIPTION_MIN_CHARS, max: LIMITS.POOL_DESCRIPTION_MAX_CHARS })}
          required
          value={values.description}
          onChange={(v) => set("description", v)}
          error={errorFor(POOL_FIELDS.description)}
        />
        <Field
          type="date"
          id={POOL_FIELDS.joinUntil}
          testId={POOL_FIELDS.joinUntil}
          label={t("pools.form.joinUntil")}
          hint={t("pools.form.joinUntilHint", { today: formatDate(today) })}
          required
          width="short"
          value={values.joinUntil}
          onChange={(v) => set("joinUntil", v)}
          error={errorFor(POOL_FIELDS.joinUntil)}
        />
        <div className="button-group">
          <Button type="submit" variant="primary" data-testid="pool-create">
            {t("pools.form.submit")}
          </Button>
          <Link to={paths.pools()} className="button button--secondary" data-testid="pool-cancel">
            {t("pools.form.cancel")}
          </Link>
        </div>
      </form>

      {confirm && (
        <ConfirmDialog title={t("pools.form.confirmTitle", { title: confirm.title })} confirmLabel={t("pools.form.submit")} onConfirm={create} onCancel={() => setConfirm(null)}>
          <dl className="summary-list" data-testid="pool-confirm-summary">
            <div className="summary-list__row">
              <dt>{t("pools.form.service")}</dt>
              <dd>{services.find((s) => s.id === confirm.service_id)?.name ?? confirm.service_id}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("pools.form.title")}</dt>
              <dd>{confirm.title}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("pools.form.description")}</dt>
              <dd className="pre-line">{confirm.description}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("pools.form.joinUntil")}</dt>
              <dd data-testid="pool-confirm-join-until">{formatDate(confirm.join_until)}</dd>
            </div>
          </dl>
          <p>{t("pools.form.confirmEffect")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Content() {
  const t = useT();
  const services = useCommand(() => api.services({ text: null, category: null }), []);
  if (services.error) return <ErrorPanel error={services.error} onRetry={services.reload} />;
  if (services.loading && !services.data) return <Loading />;
  const list = services.data ?? [];
  if (list.length === 0) {
    return (
      <EmptyState
        testId="pool-no-services"
        message={t("pools.form.noServices")}
        action={
          <Link to={paths.catalogue()} className="button button--secondary">
            {t("pools.form.toCatalogue")}
          </Link>
        }
      />
    );
  }
  return <Form services={list} />;
}

export function NewPool(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const centrale = state.session?.role === "centrale_staff";
  return (
    <Page title={t("pools.form.pageTitle")} intro={<p className="lead">{t("pools.form.pageIntro")}</p>}>
      {centrale ? (
        <Content />
      ) : (
        <EmptyState
          testId="pool-admin-forbidden"
          message={t("pools.form.forbidden")}
          action={
            <Link to={paths.pools()} className="button button--secondary">
              {t("pools.page.backToList")}
            </Link>
          }
        />
      )}
    </Page>
  );
}
