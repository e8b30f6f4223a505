/**
 * The route table: which screen answers which hash path, and with which frame. Add a screen by
 * adding a line here (and its path builder in paths.ts). Order matters: the first match wins,
 * so fixed paths (`/commandes/nouvelle`) come before parameters (`/commandes/:orderId`).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import { loadMessages } from "./i18n";
import { matchPath } from "./router";
import type { ScreenProps } from "./screens/ScreenProps";
import { Accueil } from "./screens/Accueil";
import { Connexion } from "./screens/Connexion";
import { Installation } from "./screens/Installation";
import { NotFound } from "./screens/NotFound";

/** A screen loaded when first shown (issue 19 §5): the first screen's code (Accueil, the
 * sign-in) is all the window loads at start; each other screen is its own chunk, shown once it
 * and the words of the later screens (`loadMessages`) are there. */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType<ScreenProps>>>, name: K) {
  return lazy(() => Promise.all([load(), loadMessages()]).then(([module]) => ({ default: module[name] })));
}

const Accompaniment = screen(() => import("./screens/Accompaniment"), "Accompaniment");
const Surveys = screen(() => import("./screens/Surveys"), "Surveys");
const SurveyAnswer = screen(() => import("./screens/SurveyAnswer"), "SurveyAnswer");
const NewSurvey = screen(() => import("./screens/centrale/NewSurvey"), "NewSurvey");
const SurveyResults = screen(() => import("./screens/centrale/SurveyResults"), "SurveyResults");
const Pools = screen(() => import("./screens/Pools"), "Pools");
const PoolPage = screen(() => import("./screens/PoolPage"), "PoolPage");
const NewPool = screen(() => import("./screens/centrale/NewPool"), "NewPool");
const Adhesion = screen(() => import("./screens/Adhesion"), "Adhesion");
const AttentionEntry = screen(() => import("./screens/AttentionEntry"), "AttentionEntry");
const Catalogue = screen(() => import("./screens/Catalogue"), "Catalogue");
const Deployments = screen(() => import("./screens/Deployments"), "Deployments");
const EditOrder = screen(() => import("./screens/EditOrder"), "EditOrder");
const MonCompte = screen(() => import("./screens/MonCompte"), "MonCompte");
const NeedsAttention = screen(() => import("./screens/NeedsAttention"), "NeedsAttention");
const NewOrder = screen(() => import("./screens/NewOrder"), "NewOrder");
const OrderPage = screen(() => import("./screens/OrderPage"), "OrderPage");
const Orders = screen(() => import("./screens/Orders"), "Orders");
const Presentation = screen(() => import("./screens/Presentation"), "Presentation");
const ServicePage = screen(() => import("./screens/ServicePage"), "ServicePage");
const CommunePage = screen(() => import("./screens/centrale/CommunePage"), "CommunePage");
const Communes = screen(() => import("./screens/centrale/Communes"), "Communes");
const FailedMail = screen(() => import("./screens/centrale/FailedMail"), "FailedMail");
const NewFrameworkVersion = screen(() => import("./screens/centrale/NewFrameworkVersion"), "NewFrameworkVersion");
const NewService = screen(() => import("./screens/centrale/NewService"), "NewService");
const Overview = screen(() => import("./screens/centrale/Overview"), "Overview");
const Providers = screen(() => import("./screens/centrale/Providers"), "Providers");
const Tracking = screen(() => import("./screens/centrale/Tracking"), "Tracking");

/**
 * How a screen is framed: `app` (header, navigation, sync bar; signed-in only), `public`
 * (before sign-in: installation, log-in), `bare` (no chrome: presentation mode).
 */
export type Frame = "app" | "public" | "bare";

export type RouteDef = {
  pattern: string;
  screen: ComponentType<ScreenProps> | LazyExoticComponent<ComponentType<ScreenProps>>;
  frame: Frame;
};

export const routes: RouteDef[] = [
  { pattern: "/", screen: Accueil, frame: "app" },
  { pattern: "/catalogue", screen: Catalogue, frame: "app" },
  { pattern: "/catalogue/nouveau-service", screen: NewService, frame: "app" },
  { pattern: "/catalogue/:serviceId", screen: ServicePage, frame: "app" },
  { pattern: "/catalogue/:serviceId/nouvelle-version", screen: NewFrameworkVersion, frame: "app" },
  { pattern: "/prestataires", screen: Providers, frame: "app" },
  { pattern: "/communes", screen: Communes, frame: "app" },
  { pattern: "/communes/:nis", screen: CommunePage, frame: "app" },
  { pattern: "/vue-d-ensemble", screen: Overview, frame: "app" },
  { pattern: "/suivi-des-accords-cadres", screen: Tracking, frame: "app" },
  { pattern: "/e-mails-non-remis", screen: FailedMail, frame: "app" },
  { pattern: "/adhesion", screen: Adhesion, frame: "app" },
  { pattern: "/commandes", screen: Orders, frame: "app" },
  { pattern: "/commandes/nouvelle", screen: NewOrder, frame: "app" },
  { pattern: "/commandes/:orderId", screen: OrderPage, frame: "app" },
  { pattern: "/commandes/:orderId/modifier", screen: EditOrder, frame: "app" },
  { pattern: "/commandes/:orderId/presentation", screen: Presentation, frame: "bare" },
  { pattern: "/deploiement", screen: Deployments, frame: "app" },
  { pattern: "/accompagnement", screen: Accompaniment, frame: "app" },
  { pattern: "/enquetes", screen: Surveys, frame: "app" },
  { pattern: "/enquetes/nouvelle", screen: NewSurvey, frame: "app" },
  { pattern: "/enquetes/:surveyId", screen: SurveyAnswer, frame: "app" },
  { pattern: "/enquetes/:surveyId/resultats", screen: SurveyResults, frame: "app" },
  { pattern: "/marches-groupes", screen: Pools, frame: "app" },
  { pattern: "/marches-groupes/nouveau", screen: NewPool, frame: "app" },
  { pattern: "/marches-groupes/:poolId", screen: PoolPage, frame: "app" },
  { pattern: "/a-regler", screen: NeedsAttention, frame: "app" },
  { pattern: "/mon-compte", screen: MonCompte, frame: "app" },
  { pattern: "/a-regler/:mutationId", screen: AttentionEntry, frame: "app" },
  { pattern: "/installation", screen: Installation, frame: "public" },
  { pattern: "/connexion", screen: Connexion, frame: "public" },
];

/** The route for a path, with its params; the « page introuvable » screen when none. */
export function resolve(path: string): { route: RouteDef; params: Record<string, string> } {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return { route: { pattern: "*", screen: NotFound, frame: "app" }, params: {} };
}
