/**
 * The French words of every screen but the first ones (issue 19 §5): loaded with the first
 * screen that needs them (`loadMessages`), not with the window. The first screens — the
 * commune's home, the sign-in, the installation, the frame — read fr.json, fr.communes.json
 * and fr.map.json only (`firstScreen.test.ts` checks it).
 */
import frScreens from "./fr.screens.json";
import frOrders from "./fr.orders.json";
import frQueue from "./fr.queue.json";
import frCatalogueAdmin from "./fr.catalogueAdmin.json";
import frOverview from "./fr.overview.json";
import frTracking from "./fr.tracking.json";
import frAccompaniment from "./fr.accompaniment.json";
import frSurveys from "./fr.surveys.json";
import frSurveyAdmin from "./fr.surveyAdmin.json";
import frPools from "./fr.pools.json";

export const later = {
  ...frScreens,
  ...frOrders,
  ...frQueue,
  ...frCatalogueAdmin,
  ...frOverview,
  ...frTracking,
  ...frAccompaniment,
  ...frSurveys,
  ...frSurveyAdmin,
  ...frPools,
};
