/**
 * The route table: which screen answers which hash path, and with which frame. Add a screen by
 * adding a line here (and its path builder in paths.ts). Order matters: the first match wins,
 * so fixed paths (`/commandes/nouvelle`) come before parameters (`/commandes/:orderId`).
 */
import type { ComponentType } from "react";
import { matchPath } from "./router";
import type { ScreenProps } from "./screens/ScreenProps";
import { Accueil } from "./screens/Accueil";
import { Adhesion } from "./screens/Adhesion";
import { AttentionEntry } from "./screens/AttentionEntry";
import { Catalogue } from "./screens/Catalogue";
import { Connexion } from "./screens/Connexion";
import { Deployments } from "./screens/Deployments";
import { EditOrder } from "./screens/EditOrder";
import { Installation } from "./screens/Installation";
import { MonCompte } from "./screens/MonCompte";
import { NeedsAttention } from "./screens/NeedsAttention";
import { NewOrder } from "./screens/NewOrder";
import { NotFound } from "./screens/NotFound";
import { OrderPage } from "./screens/OrderPage";
import { Orders } from "./screens/Orders";
import { Presentation } from "./screens/Presentation";
import { ServicePage } from "./screens/ServicePage";
import { CommunePage } from "./screens/centrale/CommunePage";
import { Communes } from "./screens/centrale/Communes";
import { FailedMail } from "./screens/centrale/FailedMail";
import { NewFrameworkVersion } from "./screens/centrale/NewFrameworkVersion";
import { NewService } from "./screens/centrale/NewService";
import { Overview } from "./screens/centrale/Overview";
import { Providers } from "./screens/centrale/Providers";
import { Tracking } from "./screens/centrale/Tracking";

/**
 * How a screen is framed: `app` (header, navigation, sync bar; signed-in only), `public`
 * (before sign-in: installation, log-in), `bare` (no chrome: presentation mode).
 */
export type Frame = "app" | "public" | "bare";

export type RouteDef = {
  pattern: string;
  screen: ComponentType<ScreenProps>;
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
