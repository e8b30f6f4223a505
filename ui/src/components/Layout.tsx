/**
 * The frame of every signed-in screen: skip link, header (Centrale, the commune, who is
 * signed in, « Se déconnecter »), the main navigation, the sync bar, then the screen.
 */
import { useState, type ReactNode } from "react";
import { api } from "../api";
import { AppError } from "../errors";
import { useErrorText, useT } from "../i18n";
import { paths } from "../paths";
import { Link, navigate, useLocation } from "../router";
import { useSession } from "../session";
import { useCommand } from "../data";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";
import { Icon } from "./Icon";
import { FlashNotice } from "./Notice";
import { SyncBar } from "./SyncBar";
import { UpdateNotice } from "./UpdateNotice";
import type { Role } from "../bindings/Role";
import { personLabel } from "../people";
import { PrintHeader } from "../print/PrintHeader";

/** The sections of the main navigation. */
export type Section =
  | "accueil"
  | "catalogue"
  | "adhesion"
  | "commandes"
  | "deploiement"
  | "accompagnement"
  | "enquetes"
  | "marchesGroupes"
  | "communes"
  | "vueEnsemble"
  | "suivi";

type SectionLink = { id: Section; to: string; also?: string[] };

/** A commune's sections. */
const COMMUNE_SECTIONS: SectionLink[] = [
  { id: "accueil", to: paths.home() },
  { id: "catalogue", to: paths.catalogue() },
  { id: "adhesion", to: paths.adhesion() },
  { id: "commandes", to: paths.orders() },
  { id: "deploiement", to: paths.deployments() },
  { id: "accompagnement", to: paths.accompaniment() },
  { id: "enquetes", to: paths.surveys() },
  { id: "marchesGroupes", to: paths.pools() },
];

/** The centrale staff's sections: the same orders and deployments, across every commune. */
const CENTRALE_SECTIONS: SectionLink[] = [
  { id: "accueil", to: paths.home(), also: [paths.failedMail()] },
  { id: "communes", to: paths.communes() },
  { id: "commandes", to: paths.orders() },
  { id: "deploiement", to: paths.deployments() },
  { id: "catalogue", to: paths.catalogue(), also: [paths.providers()] },
  { id: "vueEnsemble", to: paths.overview() },
  { id: "suivi", to: paths.tracking() },
  { id: "accompagnement", to: paths.accompaniment() },
  { id: "enquetes", to: paths.surveys() },
  { id: "marchesGroupes", to: paths.pools() },
];

/** The sections a role sees. */
export function sectionsFor(role: Role | undefined): SectionLink[] {
  return role === "centrale_staff" ? CENTRALE_SECTIONS : COMMUNE_SECTIONS;
}

/** The section a path belongs to (for `aria-current`). */
export function sectionOf(path: string, role?: Role): Section | null {
  if (path === "/") return "accueil";
  const under = (to: string) => to !== "/" && (path === to || path.startsWith(`${to}/`));
  const found = sectionsFor(role).find((s) => under(s.to) || (s.also ?? []).some(under));
  return found?.id ?? null;
}

function SkipLink() {
  const t = useT();
  return (
    <a
      className="skip-link"
      href="#contenu"
      onClick={(e) => {
        // The hash holds the route: move the focus without changing it.
        e.preventDefault();
        document.getElementById("contenu")?.focus();
      }}
    >
      {t("app.skipLink")}
    </a>
  );
}

/** The header for screens before sign-in (installation, log-in). */
export function PublicLayout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <>
      <SkipLink />
      <header className="header">
        <div className="header__inner">
          <p className="header__brand">
            <span className="header__logo" aria-hidden="true" />
            <span>{t("app.name")}</span>
            <span className="header__tagline">{t("app.tagline")}</span>
          </p>
        </div>
      </header>
      <main id="contenu" className="main main--narrow" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const { state, setState } = useSession();
  const { path } = useLocation();
  const me = state.session;
  const sections = sectionsFor(me?.role);
  const current = sectionOf(path, me?.role);
  const errorText = useErrorText();
  const [leaving, setLeaving] = useState<"logout" | "switch" | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // The menu's count: what waits for this person (read again after every sync).
  const signedIn = me?.user_id;
  const waiting = useCommand(() => (signedIn ? api.waiting() : Promise.resolve(null)), [signedIn]);
  const waitingCount = waiting.data?.items.length ?? 0;

  /** Log out, or hand the PC to another account; then the log-in page. */
  const leave = async (how: "logout" | "switch") => {
    setLeaving(how);
    setError(null);
    try {
      const next = how === "logout" ? await api.logOut() : await api.switchAccount();
      setState(next);
      navigate(paths.login());
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setLeaving(null);
    }
  };

  return (
    <>
      <SkipLink />
      <header className="header">
        <div className="header__inner">
          <Link to={paths.home()} className="header__brand">
            <span className="header__logo" aria-hidden="true" />
            <span>{t("app.name")}</span>
          </Link>
          {state.commune && (
            <p className="header__commune" data-testid="header-commune">
              <span className="visually-hidden">{t("header.communeLabel")} </span>
              {state.commune.name_fr}
            </p>
          )}
          {me && (
            <div className="header__account">
              <p className="header__user" data-testid="header-user">
                <span className="visually-hidden">{t("header.userLabel")} </span>
                {personLabel(me)}
              </p>
              <Link to={paths.account()} className="header__link" aria-current={path === paths.account() ? "page" : undefined} data-testid="my-account">
                {t("header.myAccount")}
              </Link>
              <Button variant="link" onClick={() => void leave("switch")} busy={leaving === "switch"} data-testid="switch-account">
                {t("header.switchAccount")}
              </Button>
              <Button variant="link" onClick={() => void leave("logout")} busy={leaving === "logout"} data-testid="logout">
                {t("header.logout")}
              </Button>
            </div>
          )}
        </div>
        <nav className="nav" aria-label={t("nav.label")}>
          <ul className="nav__list">
            {sections.map((s) => (
              <li key={s.id}>
                <Link
                  to={s.to}
                  className="nav__link"
                  aria-current={current === s.id ? "page" : undefined}
                  data-testid={`nav-${s.id}`}
                >
                  {t(`nav.${s.id}`)}
                  {s.id === "accueil" && waitingCount > 0 && (
                    <span className="nav__count" data-testid="nav-waiting-count" title={t("nav.waitingCount", { count: waitingCount })}>
                      <span aria-hidden="true">{waitingCount}</span>
                      <span className="visually-hidden">{t("nav.waitingCount", { count: waitingCount })}</span>
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <SyncBar />
      <main id="contenu" className="main" tabIndex={-1}>
        {error && <ErrorPanel error={error} />}
        {state.cache_notice && (
          <div className="panel panel--warning" role="note" data-testid="cache-notice">
            <h2 className="panel__title">
              <Icon name="warning" />
              {t("app.cacheNoticeTitle")}
            </h2>
            <p>{errorText(state.cache_notice)}</p>
          </div>
        )}
        <UpdateNotice />
        <FlashNotice />
        <PrintHeader commune={state.commune?.name_fr ?? null} person={me ? personLabel(me) : null} />
        {children}
      </main>
    </>
  );
}
