//! Typed reads for the screens: plain read models (no JSON values, money in cents, decimals
//! as `Decimal`, codes instead of sentences) built from the live records of the cache.
//!
//! Every read runs on a reader connection and never waits for a sync in progress. Records with
//! a local change not yet accepted by the server are shown with `pending: true`; deleted
//! records are never shown. Anything that depends on the day (late milestones, whether a
//! call-off is possible) takes `today` (Europe/Brussels) from the caller.

mod accompaniment;
mod adhesion;
mod admin;
mod catalogue;
mod communes;
mod deployments;
mod exports;
mod home;
mod interoperability;
mod live;
mod order_detail;
mod orders;
mod overview;
mod paper;
mod pool;
mod standings;
mod summary;
mod survey;
#[cfg(test)]
mod tests;
mod tracking;
mod waiting;

use centrale_domain::mail::{mail_account, preference_lines, MailPreferenceLine, MailPreferences};
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{Result, StoreError};
use crate::Store;

pub use accompaniment::{AccompanimentRow, AccompanimentScreen, CallOffChoice};
pub use adhesion::{
    AdhesionScreen, AdhesionStep, AdhesionView, ConventionView, SignerView, SubstitutionView,
};
pub use admin::{FrameworkTermsInForce, ProviderRow};
pub use catalogue::{
    CallOffBlocker, CostEstimate, CriterionView, DesignationView, DirectCallOffView, DocumentView,
    EstimateLineView, FrameworkProviderView, FrameworkView, PreviousCallOffView, PriceLineView,
    RankedProviderView, ServiceDetail, ServiceFilter, ServiceRow, TermsView,
};
pub use communes::CommuneRow;
pub use deployments::{DeploymentPage, DeploymentQuery, DeploymentRow, MilestoneView, Progress};
pub use exports::OrderLine;
pub use home::{
    ActionItem, AdhesionSummary, DeploymentSummary, Home, NextMilestone, StatusCount,
    HOME_NEXT_ACTIONS,
};
pub use interoperability::{LinkView, SolutionName, SolutionSheetView};
pub use order_detail::{
    AwardView, ComparisonRow, EvaluationView, InvitationRow, NeedLineView, NeedsView, OfferCell,
    OfferColumn, OfferComparison, OrderDetail, OrderSummary, RankedOffer, ScoreView,
};
pub use orders::{NextAction, NextActionCode, OrderFilter, OrderRow, Party};
pub use overview::{
    AdhesionMonth, AdhesionStatusCount, AdhesionsOverTime, AwardTime, AwardTimeMonth,
    CommuneOrders, FrameworkCommuneValue, FrameworkValue, Overview, OverviewTotals, ServiceOrders,
    AWARD_PROMISE_DAYS,
};
pub use paper::{AdhesionPaper, OrderPaper};
pub use pool::{
    PoolCriterion, PoolLink, PoolMemberView, PoolPage, PoolQualityView, PoolQuantity, PoolRow,
    PoolUnitPrice, PooledOfferView, PoolsScreen,
};
pub use standings::StandingRow;
pub use survey::{
    CommuneResponseLine, ServedNeed, SurveyPage, SurveyResultsView, SurveyRow, SurveysScreen,
};
pub use waiting::{Waiting, WaitingKind};

/// The signed-in account's « Mes notifications » form (issue 14 §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MailPreferencesScreen {
    /// Whose (the payload's `account` when the form is sent).
    pub account: String,
    /// Each kind the account receives, in order.
    pub lines: Vec<MailPreferenceLine>,
    /// The last change is not yet accepted by the server (made offline).
    pub pending: bool,
}

impl Store {
    /// The catalogue's services matching `filter`, by name, with whether a call-off is
    /// possible on `today`.
    pub fn services(&self, filter: &ServiceFilter, today: NaiveDate) -> Result<Vec<ServiceRow>> {
        self.read(|c| catalogue::services(c, filter, today))
    }

    /// The « Accompagnement » screen (issue 16 §2): the price list in force, the accompaniment
    /// orders this account sees, and a commune's call-offs to attach one to.
    pub fn accompaniment(&self) -> Result<AccompanimentScreen> {
        self.read(accompaniment::screen)
    }

    /// One accompaniment order; `None` when it is not on this PC.
    pub fn accompaniment_order(&self, id: Uuid) -> Result<Option<AccompanimentRow>> {
        self.read(|c| accompaniment::one(c, id))
    }

    /// The « Enquêtes » screen (issue 16 §3): the surveys, with where this commune stands (or
    /// how many communes answered, for the centrale).
    pub fn surveys(&self, today: NaiveDate) -> Result<SurveysScreen> {
        self.read(|c| survey::screen(c, today))
    }

    /// The « Marchés groupés » screen (issue 16 §4): the pooled call-offs, with what the
    /// signed-in commune may join.
    pub fn pools(&self, today: NaiveDate) -> Result<PoolsScreen> {
        self.read(|c| pool::screen(c, today))
    }

    /// One pooled call-off; `None` when it is not on this PC. `user_id`: the account whose
    /// declaration of no conflict is looked up.
    pub fn pool(
        &self,
        id: Uuid,
        user_id: Option<&str>,
        today: NaiveDate,
    ) -> Result<Option<PoolPage>> {
        self.read(|c| pool::page(c, id, user_id, today))
    }

    /// One survey with this commune's answers; `None` when it is not on this PC.
    pub fn survey(&self, id: Uuid, today: NaiveDate) -> Result<Option<SurveyPage>> {
        self.read(|c| survey::page(c, id, today))
    }

    /// The centrale's results of one survey, per commune and per need.
    pub fn survey_results(&self, id: Uuid, today: NaiveDate) -> Result<Option<SurveyResultsView>> {
        self.read(|c| survey::results(c, id, today))
    }

    /// The surveys with their answers sent (the CSV export): the one `only` names, every one
    /// when `None`.
    pub fn survey_answers_sent(
        &self,
        only: Option<Uuid>,
    ) -> Result<
        Vec<(
            centrale_domain::survey::Survey,
            Vec<centrale_domain::survey::SurveyResponse>,
        )>,
    > {
        self.read(|c| survey::sent_answers(c, only))
    }

    /// The catalogue's categories (for the filter), sorted, each once.
    pub fn service_categories(&self) -> Result<Vec<String>> {
        self.read(catalogue::categories)
    }

    /// One service with its framework's terms in force and the signed-in commune's cost
    /// estimate; `None` when the service is not on this PC.
    pub fn service_detail(
        &self,
        service_id: Uuid,
        today: NaiveDate,
    ) -> Result<Option<ServiceDetail>> {
        self.read(|c| catalogue::service_detail(c, service_id, today))
    }

    /// Every commune on this PC, by name, with its adhesion status and whether it is in force
    /// on `today` (the centrale's list).
    pub fn communes(&self, today: NaiveDate) -> Result<Vec<CommuneRow>> {
        self.read(|c| communes::list(c, today))
    }

    /// One commune by NIS code; `None` when it is not on this PC.
    pub fn commune(&self, nis: &str, today: NaiveDate) -> Result<Option<CommuneRow>> {
        self.read(|c| communes::one(c, nis, today))
    }

    /// The signed-in commune's adhesion screen on `today`. Refused for accounts without a
    /// commune.
    pub fn adhesion(&self, today: NaiveDate) -> Result<AdhesionScreen> {
        self.read(|c| {
            let me = live::session(c)?.ok_or(StoreError::NoSession)?;
            let nis = me.commune_nis.ok_or_else(|| {
                StoreError::refused(
                    "not_a_commune_account",
                    "Ce compte n'est pas celui d'une commune : il n'a pas de convention d'adhésion.",
                )
            })?;
            adhesion::screen(c, &nis, today)
        })
    }

    /// The adhesion screen of a given commune on `today` (for the centrale).
    pub fn adhesion_of(&self, commune_nis: &str, today: NaiveDate) -> Result<AdhesionScreen> {
        self.read(|c| adhesion::screen(c, commune_nis, today))
    }

    /// The convention text in force (the newest version), if any is on this PC.
    pub fn convention_template_in_force(&self) -> Result<Option<ConventionView>> {
        self.read(adhesion::template_in_force)
    }

    /// The orders of the signed-in commune (every commune's for the centrale), newest first.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
        self.read(|c| orders::list(c, filter))
    }

    /// One order in full on `today`; `None` when it is not on this PC.
    pub fn order_detail(&self, order_id: Uuid, today: NaiveDate) -> Result<Option<OrderDetail>> {
        self.read(|c| order_detail::detail(c, order_id, today))
    }

    /// Every order of the account's scope with its award and purchase order, newest first
    /// (the CSV export of the orders, issue 12 §3).
    pub fn order_lines(&self) -> Result<Vec<OrderLine>> {
        self.read(exports::order_lines)
    }

    /// Every running deployment with its milestones, late ones flagged on `today`, the most
    /// worrying first (the CSV export).
    pub fn deployments(&self, today: NaiveDate) -> Result<Vec<DeploymentRow>> {
        self.read(|c| deployments::list(c, today))
    }

    /// The first running deployments `query` keeps, in the same order as
    /// [`Store::deployments`], and how many there are (the Déploiement screen).
    pub fn deployment_page(
        &self,
        query: &DeploymentQuery,
        today: NaiveDate,
    ) -> Result<DeploymentPage> {
        self.read(|c| deployments::page(c, query, today))
    }

    /// Every registered provider, by name (the centrale's catalogue management).
    pub fn providers(&self) -> Result<Vec<ProviderRow>> {
        self.read(admin::providers)
    }

    /// A framework's terms in force, as the domain holds them (the start of a new version);
    /// `None` when the framework is not on this PC.
    pub fn framework_terms(&self, framework_id: Uuid) -> Result<Option<FrameworkTermsInForce>> {
        self.read(|c| admin::framework_terms(c, framework_id))
    }

    /// An order and what its documents print (the analysis report…); `None` when the order
    /// or its framework is not on this PC.
    pub fn order_paper(&self, order_id: Uuid) -> Result<Option<OrderPaper>> {
        self.read(|c| paper::order_paper(c, order_id))
    }

    /// An adhesion and its convention text (its deliberation, the convention as signed);
    /// `None` when either is not on this PC.
    pub fn adhesion_paper(&self, adhesion_id: Uuid) -> Result<Option<AdhesionPaper>> {
        self.read(|c| paper::adhesion_paper(c, adhesion_id))
    }

    /// The signed-in account's « Mes notifications » form (issue 14 §1): each kind of e-mail
    /// it receives with its current choice (its record `mail_preferences`, changed here
    /// offline too, else the defaults); legal notifications marked as such. `None` when no one
    /// is signed in.
    pub fn mail_preferences(&self) -> Result<Option<MailPreferencesScreen>> {
        self.read(|c| {
            let Some(me) = live::session(c)? else {
                return Ok(None);
            };
            let account = mail_account(&me.user_id, me.role, me.provider_id);
            let record = live::one::<MailPreferences>(c, RecordKind::MailPreferences, &account)?;
            let pending = record.as_ref().is_some_and(|r| r.pending);
            let prefs = record.map(|r| r.body);
            Ok(Some(MailPreferencesScreen {
                account,
                lines: preference_lines(me.role, prefs.as_ref()),
                pending,
            }))
        })
    }

    /// What waits for the signed-in person on `today` (issue 14 §2): the acts they may do
    /// now, and the late milestones of the deployments on this PC.
    pub fn waiting(&self, today: NaiveDate) -> Result<Vec<Waiting>> {
        self.read(|c| waiting::waiting(c, today))
    }

    /// What waits and was not told yet to the signed-in person on this PC, now recorded as
    /// told (in one write transaction: two syncs ending together cannot tell it twice).
    pub fn take_unnotified(&self, today: NaiveDate) -> Result<Vec<Waiting>> {
        self.write(|tx| {
            let Some(me) = live::session(tx)? else {
                return Ok(Vec::new());
            };
            let now = waiting::waiting(tx, today)?;
            let mut told = waiting::notified(tx, &me.user_id)?;
            let new: Vec<Waiting> = now
                .into_iter()
                .filter(|w| told.insert(w.key.clone()))
                .collect();
            if !new.is_empty() {
                waiting::remember(tx, &me.user_id, &told)?;
            }
            Ok(new)
        })
    }

    /// The home screen on `today`.
    pub fn home(&self, today: NaiveDate) -> Result<Home> {
        self.read(|c| home::home(c, today))
    }

    /// Where the province's communes stand on `today` (issue 15.9): every commune in force,
    /// by name, with its public standing as pulled (none without one), the signed-in
    /// commune marked.
    pub fn standings(&self, today: NaiveDate) -> Result<Vec<StandingRow>> {
        self.read(|c| standings::standings(c, today))
    }

    /// The centrale's overview on `today`: orders and awarded amounts per commune and per
    /// service, the time from order to award against the 20-day promise, adhesions over time.
    pub fn overview(&self, today: NaiveDate) -> Result<Overview> {
        self.read(|c| overview::overview(c, today))
    }

    /// « Suivi des accords-cadres » on `today` (issue 16 point 5): the frameworks in force and
    /// their end, each framework's consumption with the 80 % flag, which communes use which
    /// solutions — computed by the domain (`centrale_domain::tracking`).
    pub fn tracking(
        &self,
        today: NaiveDate,
    ) -> Result<centrale_domain::tracking::FrameworkTracking> {
        self.read(|c| tracking::tracking(c, today))
    }
}
