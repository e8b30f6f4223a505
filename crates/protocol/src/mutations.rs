//! The named mutations: every write a client can ask for, with its typed payload.
//!
//! Names are stable; a change of shape gets a new name (never a silent change of meaning).

use centrale_domain::adhesion::Decision;
use centrale_domain::catalogue::{
    CallOffMethod, FrameworkDocument, FrameworkProvider, FrameworkTerms, LegalBasis, PriceLine,
};
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::evaluation::QualityScore;
use centrale_domain::mail::MailKindChoice;
use centrale_domain::money::Cents;
use centrale_domain::offer::OfferLineInput;
use centrale_domain::order::{ContractManager, OrderNeeds, SetAsideGround};
use centrale_domain::permission::Act;
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// `adhesion.start`: a commune opens its adhesion on the convention in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StartAdhesion {
    /// New adhesion id.
    pub adhesion_id: Uuid,
    /// The convention template.
    pub template_id: Uuid,
}

/// `adhesion.record_college_decision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RecordCollegeDecision {
    /// The adhesion.
    pub adhesion_id: Uuid,
    /// The decision.
    pub college_decision: Decision,
}

/// `adhesion.sign` (mayor or director general, each from their own account) and
/// `adhesion.countersign` (centrale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SignAdhesion {
    /// The adhesion.
    pub adhesion_id: Uuid,
    /// SHA-256 of the text the signatory read.
    pub text_sha256: String,
}

/// `adhesion.activate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ActivateAdhesion {
    /// The adhesion.
    pub adhesion_id: Uuid,
}

/// `adhesion.terminate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TerminateAdhesion {
    /// The adhesion.
    pub adhesion_id: Uuid,
    /// Why (the second signatory signs the same reason). The notice is dated by the server
    /// and its effective date follows from it (convention art. 12).
    pub reason: String,
}

/// `substitution.record` (the commune's bourgmestre or directeur général): an account signs
/// in the place of the bourgmestre or the directeur général for a period, on a decision (CDLD
/// L1123-5, L1132-4; DG f.f.).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RecordSubstitution {
    /// New substitution id.
    pub substitution_id: Uuid,
    /// Bourgmestre f.f., échevin délégué or directeur général f.f.
    pub capacity: centrale_domain::signatory::Capacity,
    /// The substitute's login (an account of the commune, not the titulars').
    pub substitute_username: String,
    /// First day covered (Brussels).
    pub from: NaiveDate,
    /// Last day covered, included.
    pub to: NaiveDate,
    /// The decision designating the substitute.
    pub decision: centrale_domain::adhesion::Decision,
    /// For a bourgmestre f.f. by rank who is not the first échevin in rank: which échevins
    /// ranked before are empêchés, and why (CDLD L1123-5).
    #[serde(default)]
    pub ranked_before_unavailable: Option<String>,
    /// For an échevin délégué: the documents whose signature the bourgmestre's written act
    /// delegates (CDLD L1132-4).
    #[serde(default)]
    pub documents: Option<Vec<centrale_domain::signatory::DelegatedDocument>>,
}

/// `substitution.end` (the commune's bourgmestre or directeur général): the substitute no
/// longer signs from the server's today on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EndSubstitution {
    /// The substitution.
    pub substitution_id: Uuid,
}

/// `order.create_draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CreateOrderDraft {
    /// New order id.
    pub order_id: Uuid,
    /// The service ordered.
    pub service_id: Uuid,
    /// Title.
    pub title: String,
    /// Needs.
    pub needs: OrderNeeds,
    /// The pooled call-off the order takes part in (issue 16 §4), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pool_id: Option<Uuid>,
}

/// `order.update_draft` (send `base_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrderDraft {
    /// The order.
    pub order_id: Uuid,
    /// Title.
    pub title: String,
    /// Needs.
    pub needs: OrderNeeds,
}

/// `order.delete_draft`, `order.submit`, `order.open_offers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OrderRef {
    /// The order.
    pub order_id: Uuid,
}

/// `order.submit`: the request goes to the centrale with the decision that launches it
/// (CDLD L1222-3). Both fields are required by the rule (the domain refuses without them,
/// with its own code); they are optional here so that an older client's payload is read and
/// refused with that explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SubmitOrder {
    /// The order.
    pub order_id: Uuid,
    /// The conseil's decision (or the collège's by delegation) fixing the conditions.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The budget article the expense goes to.
    #[serde(default)]
    pub budget_article: String,
}

/// `order.declare_no_conflict`: the acting account declares, before the offers are shown to
/// it, that it has no conflict of interest (law of 17 June 2016 art. 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DeclareNoConflict {
    /// The order.
    pub order_id: Uuid,
    /// SHA-256 of the statement the person read.
    pub statement_sha256: String,
}

/// `order.cancel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CloseOrder {
    /// The order.
    pub order_id: Uuid,
    /// Why.
    pub reason: String,
}

/// `order.withdraw`: a running competition is withdrawn by a motivated decision, told to
/// every invited provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct WithdrawOrder {
    /// The order.
    pub order_id: Uuid,
    /// The motivation (at least 20 characters), read by every invited provider.
    pub reason: String,
    /// The decision withdrawing the competition.
    pub college_decision: Decision,
}

/// `order.set_offer_aside` (signatories): an opened offer set aside as irregular, or as
/// abnormally low after a request to justify its prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SetOfferAside {
    /// The order.
    pub order_id: Uuid,
    /// The opened offer.
    pub offer_id: Uuid,
    /// Why (at least 20 characters), told to the provider.
    pub motivation: String,
    /// Irregular (the default, what older clients mean) or abnormally low.
    #[serde(default)]
    pub ground: SetAsideGround,
}

/// `order.ask_price_justification` (the commune, or the centrale for it): the provider of an
/// opened offer is asked in writing to justify prices, by a deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AskPriceJustification {
    /// The order.
    pub order_id: Uuid,
    /// New request id.
    pub request_id: Uuid,
    /// The opened offer.
    pub offer_id: Uuid,
    /// Which prices, in the commune's words.
    pub prices: String,
    /// The answer is awaited until then (at least twelve calendar days).
    pub deadline: DateTime<Utc>,
}

/// `order.answer_price_justification` (the provider asked, on the portal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AnswerPriceJustification {
    /// The provider's invitation.
    pub invitation_id: Uuid,
    /// The request answered.
    pub request_id: Uuid,
    /// The written justification.
    pub answer: String,
}

/// `order.accept_price_justification` (signatories): the offer stays in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AcceptPriceJustification {
    /// The order.
    pub order_id: Uuid,
    /// The request whose answer is accepted.
    pub request_id: Uuid,
}

/// `order.ask_question` (an invited provider, before the deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AskQuestion {
    /// The provider's invitation.
    pub invitation_id: Uuid,
    /// New question id.
    pub question_id: Uuid,
    /// The question.
    pub text: String,
}

/// `order.answer_question` (centrale): the answer goes to every invited provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AnswerQuestion {
    /// The order.
    pub order_id: Uuid,
    /// The question.
    pub question_id: Uuid,
    /// The answer.
    pub answer: String,
}

/// `order.extend_deadline` (centrale): the deadline moves later for every invited provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ExtendDeadline {
    /// The order.
    pub order_id: Uuid,
    /// The new deadline (later than the current one).
    pub deadline: DateTime<Utc>,
    /// Why, told to every invited provider.
    pub reason: String,
}

/// `order.launch_competition` (centrale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LaunchCompetition {
    /// The order.
    pub order_id: Uuid,
    /// Deadline for offers (server time decides).
    pub deadline: DateTime<Utc>,
}

/// `order.evaluate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EvaluateOffers {
    /// The order.
    pub order_id: Uuid,
    /// Quality points per offer and criterion.
    pub scores: Vec<QualityScore>,
}

/// `order.award`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AwardOrder {
    /// The order.
    pub order_id: Uuid,
    /// The winning offer (ranked first).
    pub offer_id: Uuid,
    /// Reasons.
    pub justification: String,
    /// The collège decision.
    pub college_decision: Decision,
}

/// `order.direct_award`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DirectAwardOrder {
    /// The order.
    pub order_id: Uuid,
    /// The provider chosen.
    pub provider_id: Uuid,
    /// Reasons.
    pub justification: String,
    /// The collège decision.
    pub college_decision: Decision,
}

/// `order.issue_purchase_order` (centrale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct IssuePurchaseOrder {
    /// The order.
    pub order_id: Uuid,
    /// Purchase order reference.
    pub reference: String,
    /// The commune's fonctionnaire dirigeant: name. Optional at parse so an old client is
    /// refused by the rule (`contract_manager_name_missing`), not by a parse error.
    #[serde(default)]
    pub contract_manager_name: Option<String>,
    /// The fonctionnaire dirigeant's quality (function).
    #[serde(default)]
    pub contract_manager_quality: Option<String>,
}

impl IssuePurchaseOrder {
    /// The fonctionnaire dirigeant as typed, trimmed (rule 16): `None` when an old client
    /// sends neither half, which the rule refuses like an empty name.
    pub fn contract_manager(&self) -> Option<ContractManager> {
        if self.contract_manager_name.is_none() && self.contract_manager_quality.is_none() {
            return None;
        }
        let text = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
        Some(ContractManager {
            name: text(&self.contract_manager_name),
            quality: text(&self.contract_manager_quality),
        })
    }
}

/// `order.accept_provisional`, `order.accept_final`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AcceptOrder {
    /// The order.
    pub order_id: Uuid,
    /// Date of the acceptance act.
    pub date: NaiveDate,
    /// Remarks or reserves.
    #[serde(default)]
    pub remarks: String,
}

/// `offer.submit` (provider): a first offer or its replacement, before the deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SubmitOffer {
    /// Offer id (reuse it to replace the offer).
    pub offer_id: Uuid,
    /// The invitation answered.
    pub invitation_id: Uuid,
    /// Unit prices per needed line.
    pub lines: Vec<OfferLineInput>,
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Technical notes.
    #[serde(default)]
    pub notes: String,
}

/// `milestone.update` (winning provider or centrale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct UpdateMilestone {
    /// The milestone.
    pub milestone_id: Uuid,
    /// New planned date.
    #[serde(default)]
    pub planned_date: Option<NaiveDate>,
    /// Actual date (done).
    #[serde(default)]
    pub actual_date: Option<NaiveDate>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// `milestone.acknowledge` (commune).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeMilestone {
    /// The milestone.
    pub milestone_id: Uuid,
}

/// `milestone.request_replan` (winning provider or centrale; issue 17 point 5): asks the
/// commune to move a milestone's planned date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RequestReplan {
    /// The milestone.
    pub milestone_id: Uuid,
    /// The request's id (client-made, so that a retry does not ask twice).
    pub request_id: Uuid,
    /// The date asked for.
    pub requested_date: NaiveDate,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// `milestone.decide_replan` (commune; issue 17 point 5): accepts or refuses the waiting
/// request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DecideReplan {
    /// The milestone.
    pub milestone_id: Uuid,
    /// The request decided on.
    pub request_id: Uuid,
    /// True: the planned date moves to the requested one.
    pub accepted: bool,
    /// The commune's reason (required for a refusal).
    #[serde(default)]
    pub reason: String,
}

/// `provider.register` (centrale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RegisterProvider {
    /// New provider id.
    pub provider_id: Uuid,
    /// Lowercase short name.
    pub short_name: String,
    /// Legal name.
    pub name: String,
    /// BCE/KBO number (checked).
    pub enterprise_number: EnterpriseNumber,
    /// Address.
    pub address: String,
    /// Contact e-mail.
    pub contact_email: String,
}

/// `framework.publish_version` (centrale): new terms without rewriting history. Fields left
/// out keep their current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PublishFrameworkVersion {
    /// The framework.
    pub framework_id: Uuid,
    /// Why it changes.
    pub change_note: String,
    /// New end date.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// New price schedule.
    #[serde(default)]
    pub price_schedule: Option<Vec<PriceLine>>,
    /// New documents.
    #[serde(default)]
    pub documents: Option<Vec<FrameworkDocument>>,
    /// New statuses of the parties (suspend, reinstate). A provider enters only as a party's
    /// successor, named in `legal_basis`.
    #[serde(default)]
    pub providers: Option<Vec<FrameworkProvider>>,
    /// Why the framework may be modified; none only for a version that merely suspends or
    /// reinstates parties.
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// New maximum value excluding VAT (raising it needs a review clause).
    #[serde(default)]
    pub max_value: Option<Cents>,
    /// New contract duration of a call-off, in months (lengthening it needs a review clause).
    #[serde(default)]
    pub contract_months: Option<u32>,
    /// Another price formula (a change of the award method: needs a review clause).
    #[serde(default)]
    pub price_formula: Option<centrale_domain::evaluation::PriceFormula>,
    /// Another rule designating a direct call-off's provider, cascade or rotation (a change
    /// of the framework's objective conditions: needs a review clause).
    #[serde(default)]
    pub designation_rule: Option<centrale_domain::catalogue::DesignationRule>,
    /// New interoperability sheets of the parties' solutions (issue 16 §1): the centrale's
    /// record, not a term, so they need no legal basis on their own.
    #[serde(default)]
    pub interoperability: Option<Vec<centrale_domain::interoperability::InteroperabilitySheet>>,
}

impl PublishFrameworkVersion {
    /// The change asked, as the domain decides it (`centrale_domain::decide::catalogue`).
    pub fn change(&self) -> centrale_domain::decide::catalogue::FrameworkChange<'_> {
        centrale_domain::decide::catalogue::FrameworkChange {
            change_note: &self.change_note,
            end_date: self.end_date,
            price_schedule: self.price_schedule.as_deref(),
            documents: self.documents.as_deref(),
            providers: self.providers.as_deref(),
            legal_basis: self.legal_basis.as_ref(),
            max_value: self.max_value,
            contract_months: self.contract_months,
            price_formula: self.price_formula,
            designation_rule: self.designation_rule,
            interoperability: self.interoperability.as_deref(),
        }
    }
}

/// `service.add` (centrale): a new service of the catalogue with its framework agreement, in
/// one act (a service is never bought without one). The terms become version 1; their
/// `version` and `published_at` are set by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AddService {
    /// New service id.
    pub service_id: Uuid,
    /// New framework id.
    pub framework_id: Uuid,
    /// Stable code, lowercase, e.g. `stationnement-intelligent`.
    pub code: String,
    /// Name in French.
    pub name_fr: String,
    /// One sentence.
    pub summary_fr: String,
    /// A few sentences.
    pub description_fr: String,
    /// Category shown as a filter.
    pub category_fr: String,
    /// Framework reference, e.g. `CA-2026-11`.
    pub reference: String,
    /// Framework title in French.
    pub title_fr: String,
    /// How orders are placed.
    pub call_off_method: CallOffMethod,
    /// The terms (version 1).
    pub terms: FrameworkTerms,
    /// The need of a survey the service answers (issue 16 §3; none: a service of the
    /// centrale's own initiative).
    #[serde(default)]
    pub need: Option<centrale_domain::survey::NeedRef>,
}

/// `survey.publish` (centrale; issue 16 §3): a survey of the communes' needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PublishSurvey {
    /// New record id.
    pub survey_id: Uuid,
    /// The survey.
    pub survey: centrale_domain::survey::SurveyDraft,
}

/// `survey.save_answers` (commune) and `survey.send_answers` (its directeur général): the
/// commune's answers, a draft or sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    /// The survey.
    pub survey_id: Uuid,
    /// Every answer given so far (the whole set: it replaces the draft).
    pub answers: Vec<centrale_domain::survey::SurveyAnswer>,
}

/// `pool.create` (centrale; issue 16 §4): a pooled call-off the communes may join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CreatePool {
    /// New record id.
    pub pool_id: Uuid,
    /// The pool.
    pub pool: centrale_domain::pool::PoolDraft,
}

/// `pool.launch_competition` (centrale): one competition for every member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LaunchPool {
    /// The pool.
    pub pool_id: Uuid,
    /// Deadline for offers (the same for every member and provider).
    pub deadline: DateTime<Utc>,
}

/// `pool.declare_no_conflict` (centrale): before the common analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DeclarePoolNoConflict {
    /// The pool.
    pub pool_id: Uuid,
    /// SHA-256 of the statement the person read.
    pub statement_sha256: String,
}

/// `pool.evaluate` (centrale): the common analysis, on the pooled volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EvaluatePool {
    /// The pool.
    pub pool_id: Uuid,
    /// Quality points per provider and criterion (the price is scored by the rule).
    pub scores: Vec<centrale_domain::pool::PoolScore>,
}

/// `pool.set_offer_aside` (centrale): a provider's pooled offer left out of the common
/// analysis, motivated (told to the provider on each commune's invitation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SetPooledOfferAside {
    /// The pool.
    pub pool_id: Uuid,
    /// The provider whose offer is set aside.
    pub provider_id: Uuid,
    /// Why (at least 20 characters), told to the provider.
    pub motivation: String,
    /// Irregular (abnormally low needs a price verification, not built on pools).
    #[serde(default)]
    pub ground: SetAsideGround,
}

/// `pool.extend_deadline` (centrale): the pool's deadline moved later for every member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ExtendPoolDeadline {
    /// The pool.
    pub pool_id: Uuid,
    /// The new deadline (later than the current one).
    pub deadline: DateTime<Utc>,
    /// Why, told to every invited provider.
    pub reason: String,
}

/// `offer.submit_pooled` (provider): one offer for every member of a pooled call-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SubmitPooledOffer {
    /// A new id for the pooled offer (each commune's first share has its id derived from it; a
    /// share already offered keeps its id: sending again replaces every share).
    pub offer_id: Uuid,
    /// The pool.
    pub pool_id: Uuid,
    /// Unit prices per needed line, for the pooled volume.
    pub lines: Vec<OfferLineInput>,
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Technical notes.
    #[serde(default)]
    pub notes: String,
}

/// `accompaniment.publish_price_list` (centrale; issue 16 §2): the next version of the price
/// list of the intercommunale's accompaniment services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PublishAccompanimentPriceList {
    /// Every service of the new version.
    pub services: Vec<centrale_domain::accompaniment::AccompanimentService>,
    /// What changes, in French.
    pub note: String,
}

/// `accompaniment.order` (commune; issue 16 §2): accompaniment services ordered from the
/// intercommunale, with one of the commune's call-offs or alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OrderAccompaniment {
    /// New record id.
    pub accompaniment_id: Uuid,
    /// What it is for.
    pub title: String,
    /// The call-off it accompanies (none: alone).
    #[serde(default)]
    pub call_off_id: Option<Uuid>,
    /// Services and quantities, from the list in force.
    pub lines: Vec<centrale_domain::accompaniment::AccompanimentRequestLine>,
    /// The commune's decision to order.
    pub decision: Decision,
}

/// `accompaniment.plan` (centrale): planned dates of lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PlanAccompaniment {
    /// The accompaniment order.
    pub accompaniment_id: Uuid,
    /// A date per line planned.
    pub dates: Vec<centrale_domain::accompaniment::PlannedLine>,
}

/// `accompaniment.record_delivery` (centrale): a line delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RecordAccompanimentDelivery {
    /// The accompaniment order.
    pub accompaniment_id: Uuid,
    /// The line's code.
    pub code: String,
    /// When it was delivered.
    pub delivered_on: NaiveDate,
}

/// `accompaniment.invoice` (centrale): the invoice of a delivered accompaniment (its number is
/// the server's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct InvoiceAccompaniment {
    /// The accompaniment order.
    pub accompaniment_id: Uuid,
}

/// `accompaniment.cancel` (commune): an accompaniment not yet planned, cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CancelAccompaniment {
    /// The accompaniment order.
    pub accompaniment_id: Uuid,
    /// Why.
    pub reason: String,
}

/// `account.set_mail_preferences` (issue 14): how the signed-in account (or, for a provider's
/// account, its provider) is told, per kind of message. The kinds not listed keep their
/// default; legal notifications are never listed (always sent at once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SetMailPreferences {
    /// Whose: the account's own id, or `provider:<id>` for a provider's account.
    pub account: String,
    /// One choice per kind at most.
    pub choices: Vec<MailKindChoice>,
}

/// The first of one or two types: a payload's schema type when the list names one (a boxed
/// payload is described as its content), else the payload's own.
macro_rules! first_type {
    ($first:ty, $second:ty) => {
        $first
    };
    ($only:ty) => {
        $only
    };
}

/// The one list of the mutations: the variant of [`Mutation`], its payload, its name on the wire
/// and the desktop UI's kind for it (`Action`, feature `ts`). Every list the code needs — the
/// enum, [`MUTATION_NAMES`], reading and writing a payload, the OpenAPI schemas of the push,
/// the UI's typed actions — is generated from it, so adding a mutation is one line here that the
/// compiler then follows into the engine's and the PC's dispatch (their `match` is exhaustive).
macro_rules! mutations {
    ($($variant:ident($payload:ty $(as $schema:ty)?) = $name:literal, kind $kind:literal, act $act:ident;)*) => {
        /// A parsed mutation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Mutation {
            $(
                #[doc = $name]
                $variant($payload),
            )*
        }

        /// Every mutation name, in a stable order.
        pub const MUTATION_NAMES: [&str; [$($name),*].len()] = [$($name),*];

        /// Every mutation's kind (the UI's name for it) with its act, in the same order.
        pub const MUTATION_KIND_ACTS: [(&str, Act); [$($name),*].len()] = [$((
            $kind,
            Act::$act
        )),*];

        impl Mutation {
            /// Reads a mutation from its name and payload.
            pub fn parse(name: &str, payload: Value) -> Result<Mutation, ParseError> {
                Ok(match name {
                    $($name => Mutation::$variant(parse(name, payload)?),)*
                    other => {
                        return Err(ParseError::UnknownName(other.chars().take(100).collect()))
                    }
                })
            }

            /// The act this mutation is, as the permission matrix and the second factor
            /// (`centrale_domain::second_factor::signs`) see it.
            pub fn act(&self) -> Act {
                match self {
                    $(Mutation::$variant(_) => Act::$act,)*
                }
            }

            /// The mutation's stable name.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Mutation::$variant(_) => $name,)*
                }
            }

            /// The payload as sent on the wire (the inverse of [`Mutation::parse`]).
            pub fn payload(&self) -> Value {
                let value = match self {
                    $(Mutation::$variant(p) => serde_json::to_value(p),)*
                };
                // Payload types are plain data (no maps with non-string keys): this cannot fail.
                value.unwrap_or(Value::Null)
            }
        }

        /// Each mutation's name with the OpenAPI schema of its payload (named, in
        /// `components.schemas`), and every schema those refer to: the push's description
        /// lists the payload each name takes instead of an opaque object.
        pub fn payload_schemas() -> PayloadSchemas {
            let mut out = PayloadSchemas::default();
            $(out.add::<first_type!($($schema,)? $payload)>($name);)*
            out
        }

        /// What the desktop UI sends for a user's act: `{ kind, input }`, `input` being the
        /// mutation's payload (the UI's calls are typed end to end; a command never parses a
        /// name).
        #[cfg(feature = "ts")]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
        #[serde(tag = "kind", content = "input")]
        pub enum Action {
            $(
                #[doc = $name]
                #[serde(rename = $kind)]
                $variant($payload),
            )*
        }

        #[cfg(feature = "ts")]
        impl From<Action> for Mutation {
            fn from(action: Action) -> Mutation {
                match action {
                    $(Action::$variant(input) => Mutation::$variant(input),)*
                }
            }
        }
    };
}

mutations! {
    StartAdhesion(StartAdhesion) = "adhesion.start", kind "start_adhesion", act StartAdhesion;
    RecordCollegeDecision(RecordCollegeDecision) = "adhesion.record_college_decision", kind "record_college_decision", act RecordAdhesionDecision;
    SignAdhesion(SignAdhesion) = "adhesion.sign", kind "sign_adhesion", act SignAdhesion;
    CountersignAdhesion(SignAdhesion) = "adhesion.countersign", kind "countersign_adhesion", act CountersignAdhesion;
    ActivateAdhesion(ActivateAdhesion) = "adhesion.activate", kind "activate_adhesion", act ActivateAdhesion;
    TerminateAdhesion(TerminateAdhesion) = "adhesion.terminate", kind "terminate_adhesion", act TerminateAdhesion;
    RecordSubstitution(RecordSubstitution) = "substitution.record", kind "record_substitution", act RecordSubstitution;
    EndSubstitution(EndSubstitution) = "substitution.end", kind "end_substitution", act EndSubstitution;
    CreateOrderDraft(CreateOrderDraft) = "order.create_draft", kind "create_order_draft", act CreateOrderDraft;
    UpdateOrderDraft(UpdateOrderDraft) = "order.update_draft", kind "update_order_draft", act UpdateOrderDraft;
    DeleteOrderDraft(OrderRef) = "order.delete_draft", kind "delete_order_draft", act DeleteOrderDraft;
    SubmitOrder(SubmitOrder) = "order.submit", kind "submit_order", act SubmitOrder;
    DeclareNoConflict(DeclareNoConflict) = "order.declare_no_conflict", kind "declare_no_conflict", act DeclareNoConflict;
    CancelOrder(CloseOrder) = "order.cancel", kind "cancel_order", act CancelOrder;
    WithdrawOrder(WithdrawOrder) = "order.withdraw", kind "withdraw_order", act WithdrawOrder;
    LaunchCompetition(LaunchCompetition) = "order.launch_competition", kind "launch_competition", act LaunchCompetition;
    RelaunchCompetition(LaunchCompetition) = "order.relaunch_competition", kind "relaunch_competition", act LaunchCompetition;
    ExtendDeadline(ExtendDeadline) = "order.extend_deadline", kind "extend_deadline", act ExtendDeadline;
    AskQuestion(AskQuestion) = "order.ask_question", kind "ask_question", act AskQuestion;
    SetOfferAside(SetOfferAside) = "order.set_offer_aside", kind "set_offer_aside", act SetOfferAside;
    AskPriceJustification(AskPriceJustification) = "order.ask_price_justification", kind "ask_price_justification", act AskPriceJustification;
    AnswerPriceJustification(AnswerPriceJustification) = "order.answer_price_justification", kind "answer_price_justification", act AnswerPriceJustification;
    AcceptPriceJustification(AcceptPriceJustification) = "order.accept_price_justification", kind "accept_price_justification", act AcceptPriceJustification;
    AnswerQuestion(AnswerQuestion) = "order.answer_question", kind "answer_question", act AnswerQuestion;
    OpenOffers(OrderRef) = "order.open_offers", kind "open_offers", act OpenOffers;
    EvaluateOffers(EvaluateOffers) = "order.evaluate", kind "evaluate_offers", act EvaluateOffers;
    AwardOrder(AwardOrder) = "order.award", kind "award_order", act AwardOrder;
    DirectAwardOrder(DirectAwardOrder) = "order.direct_award", kind "direct_award_order", act DirectAwardOrder;
    IssuePurchaseOrder(IssuePurchaseOrder) = "order.issue_purchase_order", kind "issue_purchase_order", act IssuePurchaseOrder;
    AcceptProvisional(AcceptOrder) = "order.accept_provisional", kind "accept_provisional", act AcceptOrder;
    AcceptFinal(AcceptOrder) = "order.accept_final", kind "accept_final", act AcceptOrder;
    SubmitOffer(SubmitOffer) = "offer.submit", kind "submit_offer", act SubmitOffer;
    UpdateMilestone(UpdateMilestone) = "milestone.update", kind "update_milestone", act UpdateMilestone;
    AcknowledgeMilestone(AcknowledgeMilestone) = "milestone.acknowledge", kind "acknowledge_milestone", act AcknowledgeMilestone;
    RequestReplan(RequestReplan) = "milestone.request_replan", kind "request_replan", act RequestReplan;
    DecideReplan(DecideReplan) = "milestone.decide_replan", kind "decide_replan", act DecideReplan;
    RegisterProvider(RegisterProvider) = "provider.register", kind "register_provider", act RegisterProvider;
    PublishFrameworkVersion(PublishFrameworkVersion) = "framework.publish_version", kind "publish_framework_version", act PublishFrameworkVersion;
    AddService(Box<AddService> as AddService) = "service.add", kind "add_service", act AddService;
    SetMailPreferences(SetMailPreferences) = "account.set_mail_preferences", kind "set_mail_preferences", act SetMailPreferences;
    PublishAccompanimentPriceList(PublishAccompanimentPriceList) = "accompaniment.publish_price_list", kind "publish_accompaniment_price_list", act PublishAccompanimentPriceList;
    OrderAccompaniment(OrderAccompaniment) = "accompaniment.order", kind "order_accompaniment", act OrderAccompaniment;
    PlanAccompaniment(PlanAccompaniment) = "accompaniment.plan", kind "plan_accompaniment", act PlanAccompaniment;
    RecordAccompanimentDelivery(RecordAccompanimentDelivery) = "accompaniment.record_delivery", kind "record_accompaniment_delivery", act PlanAccompaniment;
    InvoiceAccompaniment(InvoiceAccompaniment) = "accompaniment.invoice", kind "invoice_accompaniment", act InvoiceAccompaniment;
    CancelAccompaniment(CancelAccompaniment) = "accompaniment.cancel", kind "cancel_accompaniment", act CancelAccompaniment;
    PublishSurvey(PublishSurvey) = "survey.publish", kind "publish_survey", act PublishSurvey;
    SaveSurveyAnswers(SurveyAnswers) = "survey.save_answers", kind "save_survey_answers", act SaveSurveyAnswers;
    SendSurveyAnswers(SurveyAnswers) = "survey.send_answers", kind "send_survey_answers", act SendSurveyAnswers;
    CreatePool(CreatePool) = "pool.create", kind "create_pool", act CreatePool;
    LaunchPool(LaunchPool) = "pool.launch_competition", kind "launch_pool", act LaunchPooledCompetition;
    DeclarePoolNoConflict(DeclarePoolNoConflict) = "pool.declare_no_conflict", kind "declare_pool_no_conflict", act DeclarePoolNoConflict;
    EvaluatePool(EvaluatePool) = "pool.evaluate", kind "evaluate_pool", act EvaluatePooledOffers;
    SubmitPooledOffer(SubmitPooledOffer) = "offer.submit_pooled", kind "submit_pooled_offer", act SubmitPooledOffer;
    SetPooledOfferAside(SetPooledOfferAside) = "pool.set_offer_aside", kind "set_pooled_offer_aside", act SetPooledOfferAside;
    ExtendPoolDeadline(ExtendPoolDeadline) = "pool.extend_deadline", kind "extend_pool_deadline", act ExtendPoolDeadline;
}

/// Why a mutation could not even be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// No mutation has this name.
    #[error("L'opération « {0} » est inconnue de l'intercommunale.")]
    UnknownName(String),
    /// The payload does not have the expected shape.
    #[error("Les données de l'opération « {name} » sont invalides : {reason}")]
    BadPayload {
        /// Mutation name.
        name: String,
        /// What is wrong (from the decoder, or the domain's French message).
        reason: String,
    },
}

fn parse<T: DeserializeOwned>(name: &str, payload: Value) -> Result<T, ParseError> {
    serde_json::from_value(payload).map_err(|e| ParseError::BadPayload {
        name: name.to_string(),
        reason: e.to_string(),
    })
}

/// The payload schemas of the mutations, for the OpenAPI document (see [`payload_schemas`]).
#[derive(Default)]
pub struct PayloadSchemas {
    /// (mutation name, name of its payload's schema).
    pub payloads: Vec<(&'static str, String)>,
    /// Every named schema the payloads need, their own included.
    pub schemas: Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
}

impl PayloadSchemas {
    fn add<T: utoipa::ToSchema>(&mut self, name: &'static str) {
        self.payloads.push((name, T::name().into_owned()));
        self.schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(&mut self.schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_name_is_known_and_round_trips() {
        for name in MUTATION_NAMES {
            // Each name is recognised: a bad payload gives BadPayload, not UnknownName.
            let err = Mutation::parse(name, json!({"nonsense": true})).unwrap_err();
            assert!(matches!(err, ParseError::BadPayload { .. }), "{name}");
        }
        let m = Mutation::parse(
            "order.submit",
            json!({"order_id": "0193a5b0-0000-7000-8000-000000000002"}),
        )
        .unwrap();
        assert_eq!(m.name(), "order.submit");
    }

    #[test]
    fn unknown_and_invalid_enterprise_number() {
        assert!(matches!(
            Mutation::parse("order.explode", json!({})),
            Err(ParseError::UnknownName(_))
        ));
        let err = Mutation::parse(
            "provider.register",
            json!({"provider_id": "0193a5b0-0000-7000-8000-000000000002", "short_name": "x",
                   "name": "X", "enterprise_number": "0123.456.748", "address": "a", "contact_email": "a@b"}),
        )
        .unwrap_err();
        assert!(err.to_string().contains("numéro d'entreprise"), "{err}");
    }
}

#[cfg(test)]
mod act_tests {
    use super::*;

    #[test]
    fn the_signing_acts_are_the_ones_that_ask_for_a_second_factor() {
        let signing: Vec<&str> = MUTATION_KIND_ACTS
            .iter()
            .filter(|(_, act)| centrale_domain::second_factor::signs(*act))
            .map(|(kind, _)| *kind)
            .collect();
        assert_eq!(
            signing,
            [
                "sign_adhesion",
                "countersign_adhesion",
                "terminate_adhesion",
                "award_order",
                "direct_award_order",
                "issue_purchase_order",
                "accept_provisional",
                "accept_final",
                "submit_offer",
                "submit_pooled_offer"
            ]
        );
        let sign = Mutation::parse(
            "adhesion.countersign",
            serde_json::json!({"adhesion_id": Uuid::nil(), "text_sha256": "x"}),
        )
        .unwrap();
        assert_eq!(sign.act(), Act::CountersignAdhesion);
    }
}
