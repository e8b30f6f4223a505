/**
 * The app: loads the app state, sends the user to installation or log-in when needed, and
 * shows the screen of the current hash route in its frame.
 */
import { Suspense, useEffect } from "react";
import { ErrorPanel } from "./components/ErrorPanel";
import { Layout, PublicLayout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { Page } from "./components/Page";
import { LocaleProvider, useT } from "./i18n";
import { paths } from "./paths";
import { resolve } from "./routes";
import { navigate, useLocation } from "./router";
import { SessionProvider, useSession } from "./session";
import type { CommandError } from "./bindings/CommandError";

/** Replaces the current address (a redirect leaves no history entry). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Where the user must go first, if anywhere: no server → installation; no session → log-in. */
function guard(path: string, hasServer: boolean, signedIn: boolean): string | null {
  if (!hasServer) return path === paths.installation() ? null : paths.installation();
  if (!signedIn) return path === paths.login() || path === paths.installation() ? null : paths.login();
  if (path === paths.installation()) return paths.home();
  return null;
}

/** The local data cannot be used at all (e.g. written by a newer version): say why, stop. */
function Fatal({ error }: { error: CommandError }) {
  const t = useT();
  return (
    <PublicLayout>
      <Page title={t("app.fatalTitle")}>
        <ErrorPanel error={error} title={t("common.errorTitle")} />
      </Page>
    </PublicLayout>
  );
}

function Screen() {
  const { state } = useSession();
  const location = useLocation();
  if (state.fatal) return <Fatal error={state.fatal} />;
  const signedIn = state.session !== null;
  const target = guard(location.path, state.server_url !== null, signedIn);
  if (target) return <Redirect to={target} />;

  const { route, params } = resolve(location.path);
  const ScreenComponent = route.screen;
  // The key remounts the screen on every address change (fresh state, focus on its title).
  // A screen other than the first ones loads its chunk when first shown (`routes.tsx`).
  const screen = (
    <Suspense fallback={<Loading />}>
      <ScreenComponent key={location.path} params={params} query={location.query} />
    </Suspense>
  );
  if (route.frame === "bare") return <main id="contenu" className="main main--bare">{screen}</main>;
  if (route.frame === "public" && !signedIn) return <PublicLayout>{screen}</PublicLayout>;
  return <Layout>{screen}</Layout>;
}

export function App() {
  return (
    <LocaleProvider locale="fr">
      <SessionProvider
        loading={<Loading />}
        failed={(error, retry) => (
          <PublicLayout>
            <ErrorPanel error={error} onRetry={retry} />
          </PublicLayout>
        )}
      >
        <Screen />
      </SessionProvider>
    </LocaleProvider>
  );
}
