/**
 * Every address of the app (hash routes), built in one place: screens link with these
 * builders, never with hand-written strings. The route table is in routes.tsx.
 */
const id = (value: string) => encodeURIComponent(value);

export const paths = {
  home: () => "/",
  catalogue: () => "/catalogue",
  /** Catalogue management (centrale): a new service with its framework. */
  newService: (need?: { surveyId: string; question: string; choice: string }) =>
    `/catalogue/nouveau-service${
      need ? `?enquete=${id(need.surveyId)}&question=${id(need.question)}&choix=${id(need.choice)}` : ""
    }`,
  /** Catalogue management (centrale): a new version of the service's framework. */
  newFrameworkVersion: (serviceId: string) => `/catalogue/${id(serviceId)}/nouvelle-version`,
  /** The registered providers (centrale). */
  providers: () => "/prestataires",
  /** Every commune and its adhesion (centrale). */
  communes: () => "/communes",
  /** One commune's adhesion, checked and countersigned by the centrale. */
  commune: (nis: string) => `/communes/${id(nis)}`,
  /** Charts across communes and services (centrale). */
  overview: () => "/vue-d-ensemble",
  /** « E-mails non remis » (centrale, issue 14): the messages given up, sent again from here. */
  failedMail: () => "/e-mails-non-remis",
  /** « Suivi des accords-cadres » (centrale, issue 16.5): ends, consumption, who uses what. */
  tracking: () => "/suivi-des-accords-cadres",
  service: (serviceId: string) => `/catalogue/${id(serviceId)}`,
  adhesion: () => "/adhesion",
  orders: () => "/commandes",
  /** The new-order form; `serviceId` preselects the service (« Commander ce service »). */
  newOrder: (serviceId?: string) => `/commandes/nouvelle${serviceId ? `?service=${id(serviceId)}` : ""}`,
  order: (orderId: string) => `/commandes/${id(orderId)}`,
  /** The order's edit form; `correction` is the refused change being fixed, if any. */
  editOrder: (orderId: string, correction?: string) =>
    `/commandes/${id(orderId)}/modifier${correction ? `?correction=${id(correction)}` : ""}`,
  presentation: (orderId: string) => `/commandes/${id(orderId)}/presentation`,
  deployments: () => "/deploiement",
  /** « Accompagnement de l'intercommunale » (issue 16 §2): its price list, the accompaniment
   * orders; `callOffId` preselects the call-off the commune's new order accompanies. */
  accompaniment: (callOffId?: string) => `/accompagnement${callOffId ? `?commande=${id(callOffId)}` : ""}`,
  /** « Enquêtes » (issue 16 §3): the needs surveys — a commune answers, the centrale publishes. */
  surveys: () => "/enquetes",
  /** A new survey (centrale). */
  newSurvey: () => "/enquetes/nouvelle",
  /** One survey, as a commune answers it. */
  survey: (surveyId: string) => `/enquetes/${id(surveyId)}`,
  /** The centrale's results of one survey, per commune and per need. */
  surveyResults: (surveyId: string) => `/enquetes/${id(surveyId)}/resultats`,
  /** « Marchés groupés » (issue 16 §4): pooled call-offs several communes join — one
   * competition and one analysis by the centrale, each commune its own award and order. */
  pools: () => "/marches-groupes",
  /** A new pooled call-off (centrale). */
  newPool: () => "/marches-groupes/nouveau",
  /** One pooled call-off. */
  pool: (poolId: string) => `/marches-groupes/${id(poolId)}`,
  /** The new-order form for joining a pooled call-off: its service fixed, the draft bound to it. */
  joinPool: (poolId: string) => `/commandes/nouvelle?groupe=${id(poolId)}`,
  attention: () => "/a-regler",
  attentionEntry: (mutationId: string) => `/a-regler/${id(mutationId)}`,
  /** « Mon compte »: the double authentification, the e-mail notifications. */
  account: () => "/mon-compte",
  installation: () => "/installation",
  login: () => "/connexion",
};
