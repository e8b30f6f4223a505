//! The order life cycle: draft → submitted → mini-competition → offers opened → evaluated →
//! awarded → purchase order → deploying → provisionally accepted → finally accepted, with the
//! cancelled, withdrawn, no-offer and direct-award branches.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::adhesion::{Adhesion, DecidingAct, Decision};
use crate::catalogue::FrameworkAgreement;
use crate::error::{CallOffAsked, ErrorCode, RecordState};
use crate::evaluation::{QualityScore, Ranking, RankingOutcome};
use crate::limits;
use crate::money::Amount;
use crate::role::Role;
use crate::time::{
    brussels_today, calendar_days_after, end_of_brussels_day, full_days_from_next_day,
};
use crate::DomainError;

pub use crate::needs::{NeedLine, OrderNeeds};

/// Minimum calendar days between launching a mini-competition and its deadline, unless the
/// server is configured otherwise (no statutory minimum exists for a mini-competition: the
/// time limit must be « sufficiently long », Dir. 2014/24 art. 33(5)(b); ten days is the
/// centrale's choice).
pub const DEFAULT_MIN_COMPETITION_DAYS: u32 = 10;

/// The shortest motivation the tenderers read (withdrawing a running competition): the same
/// minimum as the award's justification (law of 29 July 1991 on the formal motivation of
/// administrative acts, art. 3: the motivation states the reasons in fact and in law, and
/// must be adequate — a word is not).
pub const MOTIVATION_MIN_CHARS: u32 = 20;
/// The longest motivation accepted.
pub const MOTIVATION_MAX_CHARS: u32 = 10_000;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Being written by the commune.
    Draft,
    /// Sent to the centrale.
    Submitted,
    /// Invitations sent; offers sealed until the deadline.
    CompetitionOpen,
    /// Deadline passed, offers readable.
    OffersOpened,
    /// Scores recorded.
    Evaluated,
    /// Winner chosen by the collège.
    Awarded,
    /// Purchase order sent to the winner.
    PurchaseOrderIssued,
    /// Deployment under way.
    Deploying,
    /// Provisional acceptance signed.
    ProvisionallyAccepted,
    /// Final acceptance signed: the order is complete.
    FinallyAccepted,
    /// Cancelled by the commune before the competition.
    Cancelled,
    /// Withdrawn by the commune after invitations, before award.
    Withdrawn,
    /// No offer received by the deadline.
    NoOffer,
}

impl OrderStatus {
    /// French words.
    pub fn label_fr(self) -> &'static str {
        match self {
            OrderStatus::Draft => "brouillon",
            OrderStatus::Submitted => "demande envoyée à la centrale",
            OrderStatus::CompetitionOpen => "remise en concurrence en cours",
            OrderStatus::OffersOpened => "offres ouvertes",
            OrderStatus::Evaluated => "offres évaluées",
            OrderStatus::Awarded => "attribuée",
            OrderStatus::PurchaseOrderIssued => "bon de commande émis",
            OrderStatus::Deploying => "déploiement en cours",
            OrderStatus::ProvisionallyAccepted => "réception provisoire",
            OrderStatus::FinallyAccepted => "réception définitive",
            OrderStatus::Cancelled => "annulée",
            OrderStatus::Withdrawn => "retirée",
            OrderStatus::NoOffer => "aucune offre reçue",
        }
    }

    /// No further transition possible (`NoOffer` is not: the centrale may relaunch).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::FinallyAccepted | OrderStatus::Cancelled | OrderStatus::Withdrawn
        )
    }
}

/// The statuses each act on an order may be done from. The transitions of [`Order`] check
/// these lists and nothing else, and the desktop UI reads the same table (`ORDER_ACTS_FROM` in
/// the generated `ui/src/bindings/rules.ts`) to offer an act or not.
pub mod allowed_from {
    use super::OrderStatus::{self, *};

    /// Editing a draft.
    pub const UPDATE_DRAFT: &[OrderStatus] = &[Draft];
    /// Deleting a draft (a sent request is cancelled instead).
    pub const DELETE_DRAFT: &[OrderStatus] = &[Draft];
    /// Sending the request to the centrale.
    pub const SUBMIT: &[OrderStatus] = &[Draft];
    /// Cancelling: before any competition.
    pub const CANCEL: &[OrderStatus] = &[Draft, Submitted];
    /// Withdrawing: after the invitations, before the award.
    pub const WITHDRAW: &[OrderStatus] = &[CompetitionOpen, OffersOpened, Evaluated];
    /// Launching the mini-competition.
    pub const LAUNCH_COMPETITION: &[OrderStatus] = &[Submitted];
    /// Opening the offers once the deadline has passed.
    pub const OPEN_OFFERS: &[OrderStatus] = &[CompetitionOpen];
    /// Scoring the offers (again, until the award).
    pub const EVALUATE: &[OrderStatus] = &[OffersOpened, Evaluated];
    /// Awarding on the ranking.
    pub const AWARD: &[OrderStatus] = &[Evaluated];
    /// Awarding directly under the framework's terms.
    pub const DIRECT_AWARD: &[OrderStatus] = &[Submitted];
    /// Recording the purchase order.
    pub const ISSUE_PURCHASE_ORDER: &[OrderStatus] = &[Awarded];
    /// Starting the deployment.
    pub const START_DEPLOYMENT: &[OrderStatus] = &[PurchaseOrderIssued];
    /// Signing the provisional acceptance.
    pub const ACCEPT_PROVISIONAL: &[OrderStatus] = &[Deploying];
    /// Signing the final acceptance.
    pub const ACCEPT_FINAL: &[OrderStatus] = &[ProvisionallyAccepted];
    /// Extending the deadline for every invited provider, while the competition runs.
    pub const EXTEND_DEADLINE: &[OrderStatus] = &[CompetitionOpen];
    /// A provider's question, while the competition runs.
    pub const ASK_QUESTION: &[OrderStatus] = &[CompetitionOpen];
    /// The centrale's answer to every invited provider, while the competition runs.
    pub const ANSWER_QUESTION: &[OrderStatus] = &[CompetitionOpen];
    /// Relaunching the same needs after a competition without offer.
    pub const RELAUNCH_COMPETITION: &[OrderStatus] = &[NoOffer];
    /// Setting an opened offer aside (irregular, or abnormally low), before the award.
    pub const SET_OFFER_ASIDE: &[OrderStatus] = &[OffersOpened, Evaluated];
    /// Asking a tenderer to justify its prices: after the opening, before the evaluation.
    pub const ASK_PRICE_JUSTIFICATION: &[OrderStatus] = &[OffersOpened];
    /// The tenderer's written justification (the evaluation waits for it).
    pub const ANSWER_PRICE_JUSTIFICATION: &[OrderStatus] = &[OffersOpened];
    /// Accepting a justification: the offer stays in the ranking.
    pub const ACCEPT_PRICE_JUSTIFICATION: &[OrderStatus] = &[OffersOpened];
    /// Declaring no conflict of interest, from the request until the award.
    pub const DECLARE_NO_CONFLICT: &[OrderStatus] =
        &[Submitted, CompetitionOpen, OffersOpened, Evaluated];

    /// Every act above by its snake_case name (as the UI reads it).
    pub const ALL: &[(&str, &[OrderStatus])] = &[
        ("update_draft", UPDATE_DRAFT),
        ("delete_draft", DELETE_DRAFT),
        ("submit", SUBMIT),
        ("cancel", CANCEL),
        ("withdraw", WITHDRAW),
        ("launch_competition", LAUNCH_COMPETITION),
        ("open_offers", OPEN_OFFERS),
        ("evaluate", EVALUATE),
        ("award", AWARD),
        ("direct_award", DIRECT_AWARD),
        ("issue_purchase_order", ISSUE_PURCHASE_ORDER),
        ("start_deployment", START_DEPLOYMENT),
        ("accept_provisional", ACCEPT_PROVISIONAL),
        ("accept_final", ACCEPT_FINAL),
        ("extend_deadline", EXTEND_DEADLINE),
        ("ask_question", ASK_QUESTION),
        ("answer_question", ANSWER_QUESTION),
        ("relaunch_competition", RELAUNCH_COMPETITION),
        ("set_offer_aside", SET_OFFER_ASIDE),
        ("ask_price_justification", ASK_PRICE_JUSTIFICATION),
        ("answer_price_justification", ANSWER_PRICE_JUSTIFICATION),
        ("accept_price_justification", ACCEPT_PRICE_JUSTIFICATION),
        ("declare_no_conflict", DECLARE_NO_CONFLICT),
    ];
}

/// The reopening of competition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Competition {
    /// When the invitations were sent.
    pub launched_at: DateTime<Utc>,
    /// Deadline for offers (the same for every provider).
    pub deadline: DateTime<Utc>,
    /// Providers invited.
    pub invited_provider_ids: Vec<Uuid>,
    /// Who launched it.
    pub launched_by: String,
    /// The extensions of the deadline, oldest first (the deadline above is the last one).
    #[serde(default)]
    pub extensions: Vec<DeadlineExtension>,
}

/// A provider's question during the competition. Who asked is recorded nowhere a client can
/// read (not here, not on any invitation): the answer goes to every invited provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Question {
    /// Question id (client-generated).
    pub id: Uuid,
    /// The question, as asked.
    pub text: String,
    /// When (server time).
    pub asked_at: DateTime<Utc>,
    /// The centrale's answer, once given.
    pub answer: Option<String>,
    /// When it was answered.
    pub answered_at: Option<DateTime<Utc>>,
}

/// A question and its answer, as told to every invited provider (the asker not named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Clarification {
    /// The question.
    pub question_id: Uuid,
    /// Its text.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// When it was answered.
    pub answered_at: DateTime<Utc>,
}

fn check_question_text(field: &str, text: &str) -> Result<(), DomainError> {
    let len = crate::limits::chars(text);
    if !(crate::limits::QUESTION_MIN_CHARS..=crate::limits::QUESTION_MAX_CHARS).contains(&len) {
        return Err(DomainError::field(ErrorCode::QuestionTextLength, field)
            .with("min_chars", crate::limits::QUESTION_MIN_CHARS)
            .with("max_chars", crate::limits::QUESTION_MAX_CHARS));
    }
    Ok(())
}

/// The deadline of a running competition moved later, for every invited provider at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeadlineExtension {
    /// The deadline before the extension.
    pub previous: DateTime<Utc>,
    /// The new deadline.
    pub deadline: DateTime<Utc>,
    /// Why (told to every invited provider).
    pub reason: String,
    /// When (server time).
    pub at: DateTime<Utc>,
    /// Who (the centrale).
    pub by: String,
}

/// The evaluation recorded by the commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationRecord {
    /// Quality points with justifications.
    pub quality_scores: Vec<QualityScore>,
    /// The computed ranking.
    pub ranking: Ranking,
    /// When.
    pub evaluated_at: DateTime<Utc>,
    /// Who.
    pub evaluated_by: String,
}

/// Why an opened offer is set aside before the ranking.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SetAsideGround {
    /// Irregular (Dir. 2014/24 art. 56(1); AR 18 April 2017 art. 76 (substantial
    /// irregularity); law of 17 June 2016 art. 66 [verify: the law's article on regular offers
    /// was not read, only the AR's preamble citing its art. 66 §2 and §4]). The ground of
    /// every set-aside recorded before grounds were.
    #[default]
    Irregular,
    /// Abnormally low, after the provider was asked to justify its prices (law of 17 June
    /// 2016 art. 84; AR 18 April 2017 art. 36 §2; Dir. 2014/24 art. 69).
    AbnormallyLow,
}

/// An opened offer set aside before the ranking, with the commune's motivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SetAside {
    /// The offer.
    pub offer_id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// Irregular or abnormally low (irregular on records written before grounds were).
    #[serde(default)]
    pub ground: SetAsideGround,
    /// Why, in the commune's words (told to the provider).
    pub motivation: String,
    /// When (server time).
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
}

/// The commune (or the centrale for it) asks a tenderer, in writing, to justify prices of its
/// opened offer that look abnormally low, by a deadline; the tenderer answers in writing on
/// the portal; the commune then accepts the justification or sets the offer aside as
/// abnormally low (law of 17 June 2016 art. 84; AR 18 April 2017 art. 36 §2; Dir.
/// 2014/24 art. 69(1) and (3)). The provider reads the same record on its
/// invitation; no other provider does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PriceJustificationRequest {
    /// Request id (client-generated).
    pub id: Uuid,
    /// The opened offer.
    pub offer_id: Uuid,
    /// Its provider (the only one told).
    pub provider_id: Uuid,
    /// Which prices, in the commune's words.
    pub prices: String,
    /// The answer is awaited until then (server time).
    pub deadline: DateTime<Utc>,
    /// When it was asked (server time).
    pub asked_at: DateTime<Utc>,
    /// Who asked.
    pub asked_by: String,
    /// The provider's written justification.
    pub answer: Option<String>,
    /// When it arrived (server time).
    pub answered_at: Option<DateTime<Utc>>,
    /// When the commune accepted the justification (the offer stays in the ranking).
    pub accepted_at: Option<DateTime<Utc>>,
    /// Who accepted it.
    pub accepted_by: Option<String>,
}

impl PriceJustificationRequest {
    /// The answer is still awaited: none arrived and the deadline has not passed.
    pub fn is_awaited(&self, now: DateTime<Utc>) -> bool {
        self.answer.is_none() && now < self.deadline
    }
}

fn check_price_justification_text(field: &str, text: &str) -> Result<(), DomainError> {
    let len = limits::chars(text.trim());
    if !(limits::PRICE_JUSTIFICATION_MIN_CHARS..=limits::PRICE_JUSTIFICATION_MAX_CHARS)
        .contains(&len)
    {
        return Err(
            DomainError::field(ErrorCode::PriceJustificationTextLength, field)
                .with("min_chars", limits::PRICE_JUSTIFICATION_MIN_CHARS)
                .with("max_chars", limits::PRICE_JUSTIFICATION_MAX_CHARS),
        );
    }
    Ok(())
}

/// The award decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Award {
    /// The winning offer (None for a direct award on the framework's terms).
    pub offer_id: Option<Uuid>,
    /// The winner.
    pub provider_id: Uuid,
    /// Reasons, in the commune's words.
    pub justification: String,
    /// The collège decision.
    pub college_decision: Decision,
    /// Amount awarded.
    pub amount: Amount,
    /// True for a direct award without reopening of competition.
    pub direct: bool,
    /// Server time.
    pub awarded_at: DateTime<Utc>,
    /// Who recorded it.
    pub awarded_by: String,
}

/// The purchase order sent to the winner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PurchaseOrder {
    /// Reference (e.g. `BC-2027-0042`).
    pub reference: String,
    /// When.
    pub issued_at: DateTime<Utc>,
    /// Who.
    pub issued_by: String,
    /// The commune's fonctionnaire dirigeant named on the purchase order (AR 14 January 2013
    /// on execution, art. 11; the convention's art. 7). `None` on purchase orders issued before
    /// it was asked for (shown « non indiqué »).
    #[serde(default)]
    pub contract_manager: Option<ContractManager>,
}

/// The fonctionnaire dirigeant: the commune's agent who directs and checks the execution
/// of an order (convention d'adhésion, art. 7; AR 14 January 2013, art. 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContractManager {
    /// Name (e.g. « Marie Dupont »).
    pub name: String,
    /// Quality, i.e. function (e.g. « responsable informatique »).
    pub quality: String,
}

/// A formal acceptance by the commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Acceptance {
    /// Date of the acceptance act.
    pub date: NaiveDate,
    /// Remarks, reserves.
    pub remarks: String,
    /// Who signed.
    pub by: String,
    /// Server time of recording.
    pub recorded_at: DateTime<Utc>,
}

/// Why an order was cancelled or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Closure {
    /// Reason in the user's words.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
    /// The decision that withdrew a running competition (None for a cancellation, and for a
    /// withdrawal recorded before the decision was required).
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// The decision that launches an order: it chooses the procedure (a call-off under the
/// centrale's framework) and fixes the conditions, with the budget article the expense goes
/// to (CDLD L1222-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LaunchDecision {
    /// The conseil's decision, or the collège's by its delegation.
    pub decision: Decision,
    /// The budget article (e.g. `104/123-13`).
    pub budget_article: String,
    /// The order's estimate at the framework's ceilings when it was sent (the amount the
    /// directeur financier's opinion threshold is measured on).
    pub estimate: Amount,
    /// Who recorded it (the account that sent the order).
    pub recorded_by: String,
}

/// The statement each person who evaluates the offers or decides the award signs before the
/// offers are shown to them (law of 17 June 2016 art. 6; Dir. 2014/24 art. 24).
pub const NO_CONFLICT_STATEMENT_FR: &str = "Je déclare sur l'honneur n'avoir, avec aucun des prestataires de l'accord-cadre qui peuvent recevoir cette commande, aucun intérêt financier, économique ou personnel qui pourrait compromettre mon impartialité ou mon indépendance dans l'évaluation des offres ou dans la décision d'attribution (loi du 17 juin 2016, art. 6). Si un tel intérêt apparaît, je m'engage à le signaler sans délai et à ne plus prendre part à la procédure.";

/// SHA-256 of [`NO_CONFLICT_STATEMENT_FR`], the hash a declaration carries.
pub fn no_conflict_statement_sha256() -> String {
    crate::sha256_hex(NO_CONFLICT_STATEMENT_FR.as_bytes())
}

/// A declaration of absence of conflict of interest, in the order's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictDeclaration {
    /// The account that declared.
    pub user_id: String,
    /// Its name as shown.
    pub name: String,
    /// In which capacity.
    pub role: Role,
    /// Server time of the declaration.
    pub declared_at: DateTime<Utc>,
    /// SHA-256 of the statement declared.
    pub statement_sha256: String,
}

/// A commune's order request and its whole life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Order {
    /// Record id (client-generated UUID v7).
    pub id: Uuid,
    /// The commune ordering.
    pub commune_nis: String,
    /// The service ordered.
    pub service_id: Uuid,
    /// Its framework agreement.
    pub framework_id: Uuid,
    /// The framework version the order is made under (fixed at submission).
    pub framework_version: u32,
    /// Short title.
    pub title: String,
    /// The needs.
    pub needs: OrderNeeds,
    /// Where it stands.
    pub status: OrderStatus,
    /// Author.
    pub created_by: String,
    /// Created (server time).
    pub created_at: DateTime<Utc>,
    /// Submitted (server time).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The mini-competition.
    pub competition: Option<Competition>,
    /// When the offers were opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// Number of offers opened.
    pub offers_received: Option<u32>,
    /// The evaluation.
    pub evaluation: Option<EvaluationRecord>,
    /// The award.
    pub award: Option<Award>,
    /// The purchase order.
    pub purchase_order: Option<PurchaseOrder>,
    /// Provisional acceptance.
    pub provisional_acceptance: Option<Acceptance>,
    /// Final acceptance.
    pub final_acceptance: Option<Acceptance>,
    /// Cancellation or withdrawal.
    pub closure: Option<Closure>,
    /// The decision that launched the order, recorded when it was sent.
    #[serde(default)]
    pub launch_decision: Option<LaunchDecision>,
    /// Declarations of absence of conflict of interest of those who evaluate or decide.
    #[serde(default)]
    pub conflict_declarations: Vec<ConflictDeclaration>,
    /// The competitions that received no offer before the one in `competition` (a relaunch
    /// keeps them here, oldest first).
    #[serde(default)]
    pub earlier_competitions: Vec<Competition>,
    /// Set when a relaunched competition again received no offer: the commune may then meet
    /// this need outside the framework (see ARCHITECTURE.md, "Rules chosen where the issues
    /// were silent").
    #[serde(default)]
    pub may_buy_elsewhere: bool,
    /// The providers' questions during the competition, without who asked.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// The opened offers set aside as irregular: the ranking leaves them out.
    #[serde(default)]
    pub set_aside: Vec<SetAside>,
    /// The requests to justify prices (abnormally low offers), oldest first.
    #[serde(default)]
    pub price_requests: Vec<PriceJustificationRequest>,
    /// The merged commune it came from (issue 11 rule 17); none for the commune's own.
    #[serde(default)]
    pub formerly: Option<crate::commune::Succession>,
    /// The pooled call-off the order takes part in (issue 16 §4; `crate::pool`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<Uuid>,
}

/// Input of a direct award on the framework's terms.
#[derive(Debug, Clone)]
pub struct DirectAward {
    /// The provider chosen.
    pub provider_id: Uuid,
    /// Reasons.
    pub justification: String,
    /// The collège decision.
    pub college_decision: Decision,
}

fn check_title(title: &str) -> Result<(), DomainError> {
    let len = limits::chars(title);
    if len == 0 || len > limits::ORDER_TITLE_MAX_CHARS {
        return Err(DomainError::field(ErrorCode::OrderTitleInvalid, "title")
            .with("max_chars", limits::ORDER_TITLE_MAX_CHARS));
    }
    Ok(())
}

fn check_reason(reason: &str) -> Result<(), DomainError> {
    let len = limits::chars(reason);
    if !(limits::CLOSE_REASON_MIN_CHARS..=limits::CLOSE_REASON_MAX_CHARS).contains(&len) {
        return Err(DomainError::field(ErrorCode::ReasonLengthInvalid, "reason")
            .with("min_chars", limits::CLOSE_REASON_MIN_CHARS)
            .with("max_chars", limits::CLOSE_REASON_MAX_CHARS));
    }
    Ok(())
}

/// A motivation the tenderers read: [`MOTIVATION_MIN_CHARS`] to [`MOTIVATION_MAX_CHARS`].
pub fn check_motivation(field: &'static str, text: &str) -> Result<(), DomainError> {
    let len = text.trim().chars().count();
    if (MOTIVATION_MIN_CHARS as usize..=MOTIVATION_MAX_CHARS as usize).contains(&len) {
        Ok(())
    } else {
        Err(DomainError::MotivationTooShort {
            field,
            min_chars: MOTIVATION_MIN_CHARS,
            max_chars: MOTIVATION_MAX_CHARS,
        })
    }
}

fn check_justification(text: &str) -> Result<(), DomainError> {
    let len = limits::chars(text);
    if !(limits::AWARD_JUSTIFICATION_MIN_CHARS..=limits::AWARD_JUSTIFICATION_MAX_CHARS)
        .contains(&len)
    {
        return Err(
            DomainError::field(ErrorCode::JustificationTooShort, "justification")
                .with("min_chars", limits::AWARD_JUSTIFICATION_MIN_CHARS)
                .with("max_chars", limits::AWARD_JUSTIFICATION_MAX_CHARS),
        );
    }
    Ok(())
}

impl Order {
    /// A new draft, validated against the framework's current terms.
    #[allow(clippy::too_many_arguments)]
    pub fn new_draft(
        id: Uuid,
        commune_nis: &str,
        framework: &FrameworkAgreement,
        title: String,
        needs: OrderNeeds,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Order, DomainError> {
        let terms = framework.current()?;
        check_title(&title)?;
        needs.validate(terms)?;
        Ok(Order {
            id,
            commune_nis: commune_nis.to_string(),
            service_id: framework.service_id,
            framework_id: framework.id,
            framework_version: terms.version,
            title,
            needs,
            status: OrderStatus::Draft,
            created_by: created_by.to_string(),
            created_at: now,
            submitted_at: None,
            competition: None,
            opened_at: None,
            offers_received: None,
            evaluation: None,
            award: None,
            purchase_order: None,
            provisional_acceptance: None,
            final_acceptance: None,
            closure: None,
            launch_decision: None,
            conflict_declarations: Vec::new(),
            earlier_competitions: Vec::new(),
            may_buy_elsewhere: false,
            questions: Vec::new(),
            set_aside: Vec::new(),
            price_requests: Vec::new(),
            formerly: None,
            pool_id: None,
        })
    }

    /// Refuses an act that, in a pooled call-off, is done once for every member on the pool
    /// (its launch, the providers' offers, the analysis: `crate::pool`), not on one member's
    /// order.
    pub fn check_not_pooled(&self) -> Result<(), DomainError> {
        match self.pool_id {
            Some(pool) => Err(DomainError::rule(ErrorCode::PoolActOnPool).with("pool", pool)),
            None => Ok(()),
        }
    }

    /// The action is not possible in this state (the catalogue says why, per action).
    fn refuse(&self, action: &'static str) -> DomainError {
        DomainError::InvalidTransition {
            action,
            state: RecordState::Order(self.status),
        }
    }

    fn expect(&self, allowed: &[OrderStatus], action: &'static str) -> Result<(), DomainError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(self.refuse(action))
        }
    }

    /// Only a draft is deleted (a submitted request is cancelled instead, and stays on record).
    pub fn check_deletable(&self) -> Result<(), DomainError> {
        self.expect(allowed_from::DELETE_DRAFT, "order.delete_draft")
    }

    /// Edits a draft.
    pub fn update_draft(
        &mut self,
        framework: &FrameworkAgreement,
        title: String,
        needs: OrderNeeds,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::UPDATE_DRAFT, "order.update_draft")?;
        let terms = framework.current()?;
        check_title(&title)?;
        needs.validate(terms)?;
        self.title = title;
        self.needs = needs;
        self.framework_version = terms.version;
        Ok(())
    }

    /// Sends the request to the centrale: adhesion active, framework in force, needs valid,
    /// and the decision that launches it: the conseil's or the collège's by delegation (CDLD
    /// L1222-3), with its budget article, and above 22 000 € TVAC (the needs priced at the
    /// ceilings) the directeur financier's opinion (CDLD L1124-40 §1 3°). An agent prepares
    /// the draft; sending it records the decision. The order is pinned to the framework
    /// version in force at that moment.
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &mut self,
        adhesion: Option<&Adhesion>,
        framework: &FrameworkAgreement,
        decision: Option<Decision>,
        budget_article: &str,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::SUBMIT, "order.submit")?;
        match adhesion {
            Some(a) => a.check_allows_orders(today)?,
            None => return Err(DomainError::AdhesionNotActive { status: None }),
        }
        let terms = framework.check_in_force(today)?;
        self.needs.validate(terms)?;
        let decision = decision.ok_or(DomainError::LaunchDecisionMissing)?;
        let budget_article = budget_article.trim();
        if budget_article.is_empty() || budget_article.chars().count() > 50 {
            return Err(DomainError::BudgetArticleMissing);
        }
        let estimate = self.needs.amount_at_ceilings(terms)?;
        decision.check_for(
            DecidingAct::LaunchOrder,
            estimate.incl_vat,
            today,
            "decision",
        )?;
        self.launch_decision = Some(LaunchDecision {
            decision,
            budget_article: budget_article.to_string(),
            estimate,
            recorded_by: by.to_string(),
        });
        self.framework_version = terms.version;
        self.status = OrderStatus::Submitted;
        self.submitted_at = Some(now);
        Ok(())
    }

    /// The centrale reopens competition: every provider the order's framework version may go
    /// to is invited with the same deadline. The deadline leaves at least `min_days` calendar
    /// days in Brussels (law of 17 June 2016 art. 43, Dir. 2014/24 art. 33(5)(b): a time limit
    /// sufficiently long) and falls at the latest on the framework's last day (Dir. 2014/24
    /// recital 62: call-offs are awarded before the framework ends). Returns the providers to
    /// invite.
    pub fn launch_competition(
        &mut self,
        framework: &FrameworkAgreement,
        deadline: DateTime<Utc>,
        min_days: u32,
        now: DateTime<Utc>,
        today: NaiveDate,
        by: &str,
    ) -> Result<Vec<Uuid>, DomainError> {
        self.expect(allowed_from::LAUNCH_COMPETITION, "order.launch_competition")?;
        if !framework.call_off_method.allows_mini_competition() {
            return Err(DomainError::CallOffMethodNotAllowed(
                CallOffAsked::Competition,
            ));
        }
        let in_force = framework.check_in_force(today)?;
        self.check_threshold(framework, false)?;
        let earliest = calendar_days_after(now, min_days);
        if deadline < earliest {
            return Err(DomainError::DeadlineTooSoon { min_days, earliest });
        }
        if deadline > end_of_brussels_day(in_force.end_date) {
            return Err(DomainError::DeadlineAfterFrameworkEnd {
                end: in_force.end_date,
            });
        }
        if deadline > now + Duration::days(365) {
            return Err(
                DomainError::field(ErrorCode::DeadlineTooFar, "deadline").with("max_days", 365)
            );
        }
        let providers = framework.callable_providers(self.framework_version)?;
        if providers.is_empty() {
            return Err(DomainError::rule(ErrorCode::NoCallableProvider));
        }
        self.status = OrderStatus::CompetitionOpen;
        self.competition = Some(Competition {
            launched_at: now,
            deadline,
            invited_provider_ids: providers.clone(),
            launched_by: by.to_string(),
            extensions: Vec::new(),
        });
        Ok(providers)
    }

    /// The deadline of the competition, if one was launched.
    pub fn deadline(&self) -> Option<DateTime<Utc>> {
        self.competition.as_ref().map(|c| c.deadline)
    }

    /// Opens the offers once the deadline has passed (server time). With no offer, the order
    /// ends in the no-offer branch.
    pub fn open_offers(&mut self, now: DateTime<Utc>, offers: u32) -> Result<(), DomainError> {
        self.expect(allowed_from::OPEN_OFFERS, "order.open_offers")?;
        let deadline = self
            .deadline()
            .ok_or_else(|| self.refuse("order.open_offers"))?;
        if now < deadline {
            return Err(DomainError::OffersSealed { deadline });
        }
        self.opened_at = Some(now);
        self.offers_received = Some(offers);
        self.status = if offers == 0 {
            OrderStatus::NoOffer
        } else {
            OrderStatus::OffersOpened
        };
        // A relaunch of the same needs that again receives no offer frees the commune to meet
        // the need elsewhere (law of 17 June 2016 art. 42 §1 1° a: after an unsuccessful
        // procedure, another one may follow on the same terms; see ARCHITECTURE.md).
        if offers == 0 && !self.earlier_competitions.is_empty() {
            self.may_buy_elsewhere = true;
        }
        Ok(())
    }

    /// The centrale moves the deadline of a running competition later, for every invited
    /// provider at once, before it passes (equal treatment: the same time limit for all, Dir.
    /// 2014/24 art. 33(5)(b) and art. 18(1); law of 17 June 2016 art. 4). The new deadline
    /// is later than the current one, on or before the framework's last day (recital 62), at
    /// most a year after the launch; the reason is told to every invited provider.
    #[allow(clippy::too_many_arguments)]
    pub fn extend_deadline(
        &mut self,
        framework: &FrameworkAgreement,
        deadline: DateTime<Utc>,
        reason: String,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::EXTEND_DEADLINE, "order.extend_deadline")?;
        let (current, launched_at) = match &self.competition {
            Some(c) => (c.deadline, c.launched_at),
            None => return Err(self.refuse("order.extend_deadline")),
        };
        crate::offer::check_before_deadline(now, current)?;
        if deadline <= current {
            return Err(DomainError::DeadlineNotLater { current });
        }
        check_reason(&reason)?;
        let in_force = framework.check_in_force(today)?;
        if deadline > end_of_brussels_day(in_force.end_date) {
            return Err(DomainError::DeadlineAfterFrameworkEnd {
                end: in_force.end_date,
            });
        }
        if deadline > launched_at + Duration::days(365) {
            return Err(
                DomainError::field(ErrorCode::DeadlineTooFar, "deadline").with("max_days", 365)
            );
        }
        if let Some(competition) = self.competition.as_mut() {
            competition.extensions.push(DeadlineExtension {
                previous: current,
                deadline,
                reason,
                at: now,
                by: by.to_string(),
            });
            competition.deadline = deadline;
        }
        Ok(())
    }

    /// The commune sets an opened offer aside, with a motivation, before the award: as
    /// irregular (Dir. 2014/24 art. 56(1) and art. 33(5)(d): the award goes to the best
    /// *regular* tender; AR 18 April 2017 art. 76; law of 17 June 2016 art. 66 [verify: the
    /// law's article on regular offers was not read]), or as abnormally low, only
    /// after its provider was asked to justify its prices and either answered or let the
    /// deadline pass, and not once the justification was accepted (law of 17 June 2016 art.
    /// 84; AR 18 April 2017 art. 36; Dir. 2014/24 art. 69(3): rejected only where
    /// the evidence supplied does not satisfactorily account for the low price). A recorded
    /// evaluation is dropped: the offers are ranked again without it. Returns the record the
    /// provider is told.
    #[allow(clippy::too_many_arguments)]
    pub fn set_offer_aside(
        &mut self,
        offer_id: Uuid,
        provider_id: Uuid,
        ground: SetAsideGround,
        motivation: String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<SetAside, DomainError> {
        self.expect(allowed_from::SET_OFFER_ASIDE, "order.set_offer_aside")?;
        check_motivation("motivation", &motivation)?;
        if self.set_aside.iter().any(|s| s.offer_id == offer_id) {
            return Err(DomainError::rule(ErrorCode::OfferAlreadySetAside));
        }
        if ground == SetAsideGround::AbnormallyLow {
            let Some(request) = self
                .price_requests
                .iter()
                .rev()
                .find(|r| r.offer_id == offer_id)
            else {
                return Err(DomainError::rule(ErrorCode::PriceJustificationNotAsked)
                    .with("offer", offer_id));
            };
            if request.is_awaited(now) {
                return Err(DomainError::rule(ErrorCode::PriceJustificationAwaited)
                    .with("offer", offer_id)
                    .with("deadline", request.deadline));
            }
            if request.accepted_at.is_some() {
                return Err(DomainError::rule(ErrorCode::PriceJustificationDecided));
            }
        }
        let record = SetAside {
            offer_id,
            provider_id,
            ground,
            motivation,
            at: now,
            by: by.to_string(),
        };
        self.set_aside.push(record.clone());
        self.evaluation = None;
        self.status = OrderStatus::OffersOpened;
        Ok(record)
    }

    /// The commune (or the centrale for it) asks the provider of an opened offer to justify,
    /// in writing, prices that look abnormally low, before the evaluation (law of 17 June 2016
    /// art. 84; AR 18 April 2017 art. 36 §2: in writing, with a time limit of at least
    /// [`limits::PRICE_JUSTIFICATION_MIN_DAYS`] days, longer if the request says so; Dir.
    /// 2014/24 art. 69(1)). One request per offer at a time. Returns the request its provider
    /// is told.
    #[allow(clippy::too_many_arguments)]
    pub fn ask_price_justification(
        &mut self,
        id: Uuid,
        offer_id: Uuid,
        provider_id: Uuid,
        prices: String,
        deadline: DateTime<Utc>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PriceJustificationRequest, DomainError> {
        self.expect(
            allowed_from::ASK_PRICE_JUSTIFICATION,
            "order.ask_price_justification",
        )?;
        if self.price_requests.iter().any(|r| r.id == id) {
            return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", id));
        }
        if self.is_set_aside(offer_id) {
            return Err(DomainError::rule(ErrorCode::OfferAlreadySetAside));
        }
        if let Some(open) = self
            .price_requests
            .iter()
            .find(|r| r.offer_id == offer_id && r.is_awaited(now))
        {
            return Err(DomainError::rule(ErrorCode::PriceJustificationAwaited)
                .with("offer", offer_id)
                .with("deadline", open.deadline));
        }
        check_price_justification_text("prices", &prices)?;
        // Twelve whole days from the day after the request: a request made on Friday at
        // 16:00 cannot be due on the twelfth day at 16:00, only at its end.
        let min_days = limits::PRICE_JUSTIFICATION_MIN_DAYS;
        let earliest = full_days_from_next_day(now, min_days);
        if deadline < earliest {
            return Err(DomainError::DeadlineTooSoon { min_days, earliest });
        }
        if deadline > now + Duration::days(365) {
            return Err(
                DomainError::field(ErrorCode::DeadlineTooFar, "deadline").with("max_days", 365)
            );
        }
        let request = PriceJustificationRequest {
            id,
            offer_id,
            provider_id,
            prices: prices.trim().to_string(),
            deadline,
            asked_at: now,
            asked_by: by.to_string(),
            answer: None,
            answered_at: None,
            accepted_at: None,
            accepted_by: None,
        };
        self.price_requests.push(request.clone());
        Ok(request)
    }

    /// The provider answers a request to justify its prices, in writing, before its deadline
    /// (AR 18 April 2017 art. 36 §2). Only the provider asked may answer; once.
    pub fn answer_price_justification(
        &mut self,
        id: Uuid,
        provider_id: Uuid,
        answer: String,
        now: DateTime<Utc>,
    ) -> Result<PriceJustificationRequest, DomainError> {
        self.expect(
            allowed_from::ANSWER_PRICE_JUSTIFICATION,
            "order.answer_price_justification",
        )?;
        let request = self
            .price_requests
            .iter_mut()
            .find(|r| r.id == id && r.provider_id == provider_id)
            .ok_or(DomainError::NotFound)?;
        if request.answer.is_some() {
            return Err(DomainError::rule(
                ErrorCode::PriceJustificationAlreadyAnswered,
            ));
        }
        if now >= request.deadline {
            return Err(
                DomainError::rule(ErrorCode::PriceJustificationDeadlinePassed)
                    .with("deadline", request.deadline),
            );
        }
        check_price_justification_text("answer", &answer)?;
        request.answer = Some(answer.trim().to_string());
        request.answered_at = Some(now);
        Ok(request.clone())
    }

    /// The commune accepts the justification: the offer stays in the ranking. Only once the
    /// answer arrived or the deadline passed, and not for an offer set aside.
    pub fn accept_price_justification(
        &mut self,
        id: Uuid,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PriceJustificationRequest, DomainError> {
        self.expect(
            allowed_from::ACCEPT_PRICE_JUSTIFICATION,
            "order.accept_price_justification",
        )?;
        let set_aside: Vec<Uuid> = self.set_aside.iter().map(|s| s.offer_id).collect();
        let request = self
            .price_requests
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or(DomainError::NotFound)?;
        if request.accepted_at.is_some() || set_aside.contains(&request.offer_id) {
            return Err(DomainError::rule(ErrorCode::PriceJustificationDecided));
        }
        if request.is_awaited(now) {
            return Err(DomainError::rule(ErrorCode::PriceJustificationAwaited)
                .with("offer", request.offer_id)
                .with("deadline", request.deadline));
        }
        request.accepted_at = Some(now);
        request.accepted_by = Some(by.to_string());
        Ok(request.clone())
    }

    /// Regularity before ranking (issue 11 rule 7): no evaluation while a request to justify
    /// prices awaits its answer, nor while an answered (or expired) one is not decided —
    /// accepted, or the offer set aside (law of 17 June 2016 art. 84; Dir. 2014/24 art. 69).
    fn check_prices_verified(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        for r in &self.price_requests {
            if r.accepted_at.is_some() || self.is_set_aside(r.offer_id) {
                continue;
            }
            if r.is_awaited(now) {
                return Err(DomainError::rule(ErrorCode::PriceJustificationAwaited)
                    .with("offer", r.offer_id)
                    .with("deadline", r.deadline));
            }
            return Err(
                DomainError::rule(ErrorCode::PriceJustificationUndecided).with("offer", r.offer_id)
            );
        }
        Ok(())
    }

    /// Whether an opened offer was set aside (the ranking leaves it out).
    pub fn is_set_aside(&self, offer_id: Uuid) -> bool {
        self.set_aside.iter().any(|s| s.offer_id == offer_id)
    }

    /// An invited provider asks a question while the competition runs, before the deadline
    /// (the questions close with it). Who asked is not recorded on the order (equal treatment
    /// and secrecy: Dir. 2014/24 art. 18(1) and art. 33(5)(c)).
    pub fn ask_question(
        &mut self,
        id: Uuid,
        text: String,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::ASK_QUESTION, "order.ask_question")?;
        let deadline = self
            .deadline()
            .ok_or_else(|| self.refuse("order.ask_question"))?;
        crate::offer::check_before_deadline(now, deadline)?;
        check_question_text("text", &text)?;
        if self.questions.iter().any(|q| q.id == id) {
            return Err(DomainError::rule(ErrorCode::QuestionAlreadyAsked));
        }
        self.questions.push(Question {
            id,
            text,
            asked_at: now,
            answer: None,
            answered_at: None,
        });
        Ok(())
    }

    /// The centrale answers a question, before the deadline, to every invited provider at
    /// once, without naming who asked (Dir. 2014/24 art. 18(1), art. 33(5)(a): the same
    /// information to each). Returns what every invitation carries.
    pub fn answer_question(
        &mut self,
        id: Uuid,
        answer: String,
        now: DateTime<Utc>,
    ) -> Result<Clarification, DomainError> {
        self.expect(allowed_from::ANSWER_QUESTION, "order.answer_question")?;
        let deadline = self
            .deadline()
            .ok_or_else(|| self.refuse("order.answer_question"))?;
        crate::offer::check_before_deadline(now, deadline)?;
        check_question_text("answer", &answer)?;
        let question = self
            .questions
            .iter_mut()
            .find(|q| q.id == id)
            .ok_or(DomainError::NotFound)?;
        if question.answer.is_some() {
            return Err(DomainError::QuestionAlreadyAnswered { question: id });
        }
        question.answer = Some(answer.clone());
        question.answered_at = Some(now);
        Ok(Clarification {
            question_id: id,
            question: question.text.clone(),
            answer,
            answered_at: now,
        })
    }

    /// After a competition that received no offer, the centrale relaunches the same needs in
    /// one act: a new competition on the same order, under the same pinned framework version,
    /// with the same rules as a launch (minimum days, framework's end, providers callable
    /// now). The empty competition is kept in `earlier_competitions`. Returns the providers
    /// to invite.
    pub fn relaunch_competition(
        &mut self,
        framework: &FrameworkAgreement,
        deadline: DateTime<Utc>,
        min_days: u32,
        now: DateTime<Utc>,
        today: NaiveDate,
        by: &str,
    ) -> Result<Vec<Uuid>, DomainError> {
        self.expect(
            allowed_from::RELAUNCH_COMPETITION,
            "order.relaunch_competition",
        )?;
        let mut next = self.clone();
        let empty = next.competition.take();
        next.status = OrderStatus::Submitted;
        next.opened_at = None;
        next.offers_received = None;
        let providers = next.launch_competition(framework, deadline, min_days, now, today, by)?;
        next.earlier_competitions.extend(empty);
        *self = next;
        Ok(providers)
    }

    /// Refuses an evaluation outside the window between opening and award, and while a
    /// price verification is not settled (`check_prices_verified`).
    pub fn check_evaluable(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.expect(allowed_from::EVALUATE, "order.evaluate")?;
        self.check_prices_verified(now)
    }

    /// Records the evaluation (may be corrected until the award).
    pub fn record_evaluation(&mut self, evaluation: EvaluationRecord) -> Result<(), DomainError> {
        self.expect(allowed_from::EVALUATE, "order.evaluate")?;
        // Regularity before ranking (issue 11 rule 7), at the evaluation's own time.
        self.check_prices_verified(evaluation.evaluated_at)?;
        if evaluation.ranking.outcome == RankingOutcome::NoOffer {
            return Err(DomainError::rule(ErrorCode::NoOfferToEvaluate));
        }
        self.evaluation = Some(evaluation);
        self.status = OrderStatus::Evaluated;
        Ok(())
    }

    /// Awards to the offer ranked first, with a justification and the collège decision, while
    /// the framework is in force (Dir. 2014/24 recital 62). The decision cannot be dated before
    /// the opening of the offers it decides on (loi du 29 juillet 1991 and law of 17 June 2013:
    /// a motivated decision rests on the offers; a decision dated earlier cannot have).
    #[allow(clippy::too_many_arguments)]
    pub fn award(
        &mut self,
        framework: &FrameworkAgreement,
        offer_id: Uuid,
        offer_amount: Amount,
        justification: String,
        college_decision: Decision,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
        provider_name: impl Fn(Uuid) -> String,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::AWARD, "order.award")?;
        let ranking = &self
            .evaluation
            .as_ref()
            .ok_or_else(|| self.refuse("order.award"))?
            .ranking;
        let winner = ranking
            .winner()
            .ok_or_else(|| DomainError::rule(ErrorCode::NoOfferToAward))?;
        // Any offer ranked first: with a perfect tie (ex æquo), the one the lots designated.
        let Some(chosen) = ranking
            .offers
            .iter()
            .find(|o| o.offer_id == offer_id && o.rank == 1)
        else {
            return Err(DomainError::AwardNotFollowingRanking {
                expected: provider_name(winner.provider_id),
                expected_provider_id: winner.provider_id,
            });
        };
        framework.check_in_force(today)?;
        check_justification(&justification)?;
        // The award is the collège's (CDLD L1222-4); above 22 000 € TVAC after the directeur
        // financier's opinion (CDLD L1124-40 §1 3°).
        college_decision.check_for(
            DecidingAct::Award,
            offer_amount.incl_vat,
            today,
            "college_decision",
        )?;
        if let Some(opened) = self.opened_at {
            let earliest = brussels_today(opened);
            if college_decision.date < earliest {
                return Err(DomainError::DecisionBeforeOffers {
                    date: college_decision.date,
                    earliest,
                    what: "offers_opened",
                });
            }
        }
        let provider_id = chosen.provider_id;
        self.award = Some(Award {
            offer_id: Some(offer_id),
            provider_id,
            justification,
            college_decision,
            amount: offer_amount,
            direct: false,
            awarded_at: now,
            awarded_by: by.to_string(),
        });
        self.status = OrderStatus::Awarded;
        Ok(())
    }

    /// Awards directly on the framework's terms, where its call-off method allows it: to the
    /// provider the framework's conditions designate for this commune (cascade or rotation,
    /// over the commune's direct call-offs among `orders`: `designation::designate`), party to
    /// the order's framework version, priced at that version's ceilings (the terms the commune
    /// ordered under), while the framework is in force. The decision cannot be dated before
    /// the request it decides on.
    pub fn direct_award(
        &mut self,
        framework: &FrameworkAgreement,
        orders: &[Order],
        input: DirectAward,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::DIRECT_AWARD, "order.direct_award")?;
        if !framework.call_off_method.allows_direct() {
            return Err(DomainError::CallOffMethodNotAllowed(
                CallOffAsked::DirectAward,
            ));
        }
        framework.check_in_force(today)?;
        if !framework
            .callable_providers(self.framework_version)?
            .contains(&input.provider_id)
        {
            return Err(
                DomainError::field(ErrorCode::ProviderNotActive, "provider_id")
                    .with("provider", input.provider_id),
            );
        }
        // Issue 11 rule 5 (Dir. 2014/24 art. 33(4)): the framework's conditions decide whether
        // the order is placed directly and with whom; the commune chooses neither.
        self.check_threshold(framework, true)?;
        let expected = crate::designation::designate(
            framework,
            self.framework_version,
            &self.commune_nis,
            orders,
        )?
        .provider_id;
        if input.provider_id != expected {
            return Err(DomainError::NotDesignatedProvider { expected });
        }
        check_justification(&input.justification)?;
        let terms = framework.pinned(self.framework_version)?;
        let amount = self.needs.amount_at_ceilings(terms)?;
        // The award is the collège's (CDLD L1222-4); above 22 000 € TVAC after the directeur
        // financier's opinion (CDLD L1124-40 §1 3°).
        input.college_decision.check_for(
            DecidingAct::Award,
            amount.incl_vat,
            today,
            "college_decision",
        )?;
        if let Some(submitted) = self.submitted_at {
            let earliest = brussels_today(submitted);
            if input.college_decision.date < earliest {
                return Err(DomainError::DecisionBeforeOffers {
                    date: input.college_decision.date,
                    earliest,
                    what: "order_submitted",
                });
            }
        }
        self.award = Some(Award {
            offer_id: None,
            provider_id: input.provider_id,
            justification: input.justification,
            college_decision: input.college_decision,
            amount,
            direct: true,
            awarded_at: now,
            awarded_by: by.to_string(),
        });
        self.status = OrderStatus::Awarded;
        Ok(())
    }

    /// With `CallOffMethod::Both`, the framework's threshold decides between a direct call-off
    /// (needs at the ceilings over the contract at most `up_to`, excluding VAT) and a
    /// competition (above it): refuses the other (Dir. 2014/24 art. 33(4)(b): objective
    /// criteria written in the framework). Other methods: nothing to decide here.
    fn check_threshold(
        &self,
        framework: &FrameworkAgreement,
        direct: bool,
    ) -> Result<(), DomainError> {
        if framework.call_off_method != crate::catalogue::CallOffMethod::Both {
            return Ok(());
        }
        let terms = framework.pinned(self.framework_version)?;
        let Some(up_to) = terms.direct_call_off.as_ref().and_then(|c| c.up_to) else {
            return Err(DomainError::DirectCallOffConditionsMissing);
        };
        let amount = self.needs.amount_at_ceilings(terms)?.excl_vat;
        let below = amount.0 <= up_to.0;
        if below != direct {
            return Err(DomainError::CallOffThreshold {
                direct: below,
                amount,
                up_to,
            });
        }
        Ok(())
    }

    /// The centrale records the purchase order sent to the winner.
    ///
    /// Rule 16 (issue 11 §2; AR 14 January 2013, art. 11; convention d'adhésion, art. 7): the
    /// purchase order names the commune's fonctionnaire dirigeant — name and quality, both
    /// required (`None` is what an old client sends: refused with the same code).
    pub fn issue_purchase_order(
        &mut self,
        reference: String,
        contract_manager: Option<ContractManager>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(
            allowed_from::ISSUE_PURCHASE_ORDER,
            "order.issue_purchase_order",
        )?;
        let len = limits::chars(&reference);
        if len == 0 || len > limits::REFERENCE_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::PurchaseOrderReferenceMissing,
                "reference",
            ));
        }
        let manager = contract_manager.unwrap_or(ContractManager {
            name: String::new(),
            quality: String::new(),
        });
        let len = limits::chars(&manager.name);
        if len == 0 || len > limits::CONTRACT_MANAGER_NAME_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::ContractManagerNameMissing,
                "contract_manager_name",
            )
            .with("max_chars", limits::CONTRACT_MANAGER_NAME_MAX_CHARS));
        }
        let len = limits::chars(&manager.quality);
        if len == 0 || len > limits::CONTRACT_MANAGER_QUALITY_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::ContractManagerQualityMissing,
                "contract_manager_quality",
            )
            .with("max_chars", limits::CONTRACT_MANAGER_QUALITY_MAX_CHARS));
        }
        self.purchase_order = Some(PurchaseOrder {
            reference,
            issued_at: now,
            issued_by: by.to_string(),
            contract_manager: Some(manager),
        });
        self.status = OrderStatus::PurchaseOrderIssued;
        Ok(())
    }

    /// The deployment starts (the kick-off took place).
    pub fn start_deployment(&mut self) -> Result<(), DomainError> {
        self.expect(allowed_from::START_DEPLOYMENT, "order.start_deployment")?;
        self.status = OrderStatus::Deploying;
        Ok(())
    }

    /// Provisional acceptance, once the service is live.
    pub fn accept_provisionally(
        &mut self,
        acceptance: Acceptance,
        go_live_done: bool,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::ACCEPT_PROVISIONAL, "order.accept_provisional")?;
        if !go_live_done {
            return Err(DomainError::rule(ErrorCode::GoLiveNotDone));
        }
        crate::time::check_past_act_date(
            "date",
            "provisional_acceptance_date",
            acceptance.date,
            self.awarded_on(),
            today,
        )?;
        self.provisional_acceptance = Some(acceptance);
        self.status = OrderStatus::ProvisionallyAccepted;
        Ok(())
    }

    /// The date of the award decision (the collège's), if awarded: nothing done under the
    /// order can be dated before it.
    pub fn awarded_on(&self) -> Option<NaiveDate> {
        self.award.as_ref().map(|a| a.college_decision.date)
    }

    /// Final acceptance, after the provisional one.
    pub fn accept_finally(
        &mut self,
        acceptance: Acceptance,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::ACCEPT_FINAL, "order.accept_final")?;
        crate::time::check_past_act_date(
            "date",
            "final_acceptance_date",
            acceptance.date,
            self.awarded_on(),
            today,
        )?;
        if let Some(provisional) = &self.provisional_acceptance {
            if acceptance.date < provisional.date {
                return Err(
                    DomainError::field(ErrorCode::FinalBeforeProvisional, "date")
                        .with("date", acceptance.date)
                        .with("provisional", provisional.date),
                );
            }
        }
        self.final_acceptance = Some(acceptance);
        self.status = OrderStatus::FinallyAccepted;
        Ok(())
    }

    /// A person who will evaluate the offers or decide the award declares, before the offers
    /// are shown to them, that they have no conflict of interest (law of 17 June 2016 art. 6;
    /// Dir. 2014/24 art. 24). Possible from the request until the award; declaring again
    /// changes nothing.
    pub fn declare_no_conflict(
        &mut self,
        declaration: ConflictDeclaration,
    ) -> Result<(), DomainError> {
        self.expect(
            allowed_from::DECLARE_NO_CONFLICT,
            "order.declare_no_conflict",
        )?;
        if declaration.statement_sha256 != no_conflict_statement_sha256() {
            return Err(DomainError::ConflictStatementChanged);
        }
        if !self.has_declared_no_conflict(&declaration.user_id) {
            self.conflict_declarations.push(declaration);
        }
        Ok(())
    }

    /// Refuses a final acceptance dated before the end of the guarantee period that the
    /// order's framework version sets from the provisional acceptance (issue 11 rule 16; AR 14
    /// January 2013: the réception définitive follows the guarantee period; convention art. 7).
    /// Without a provisional acceptance there is nothing to check here (`accept_finally`
    /// refuses the state).
    pub fn check_guarantee(
        &self,
        framework: &FrameworkAgreement,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        let months = framework.pinned(self.framework_version)?.guarantee_months;
        let Some(provisional) = &self.provisional_acceptance else {
            return Ok(());
        };
        let earliest = provisional
            .date
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(NaiveDate::MAX);
        if date < earliest {
            return Err(DomainError::GuaranteePeriodRunning {
                months,
                provisional: provisional.date,
                earliest,
            });
        }
        Ok(())
    }

    /// Has this account declared the absence of any conflict of interest on this order?
    pub fn has_declared_no_conflict(&self, user_id: &str) -> bool {
        self.conflict_declarations
            .iter()
            .any(|d| d.user_id == user_id)
    }

    /// Refuses an evaluation or an award by someone who has not declared the absence of any
    /// conflict of interest (law of 17 June 2016 art. 6; Dir. 2014/24 art. 24).
    pub fn check_no_conflict_declared(&self, user_id: &str) -> Result<(), DomainError> {
        if self.has_declared_no_conflict(user_id) {
            Ok(())
        } else {
            Err(DomainError::ConflictDeclarationMissing)
        }
    }

    /// The commune cancels before any competition.
    pub fn cancel(
        &mut self,
        reason: String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::CANCEL, "order.cancel")?;
        check_reason(&reason)?;
        self.closure = Some(Closure {
            reason,
            at: now,
            by: by.to_string(),
            decision: None,
        });
        self.status = OrderStatus::Cancelled;
        Ok(())
    }

    /// The commune withdraws after the invitations and before the award, by a motivated
    /// decision of its collège (law of 29 July 1991 art. 2–3: a unilateral act is formally
    /// motivated; law of 17 June 2016 art. 85: the authority may renounce awarding, and says
    /// why to the tenderers). The motivation is at least [`MOTIVATION_MIN_CHARS`] characters,
    /// the decision is dated on or after the launch of the competition and not in the future.
    /// Every invitation then carries the withdrawal (`Invitation::tell_withdrawal`).
    pub fn withdraw(
        &mut self,
        reason: String,
        decision: Decision,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(allowed_from::WITHDRAW, "order.withdraw")?;
        check_motivation("reason", &reason)?;
        decision.validate(today, "college_decision")?;
        if let Some(competition) = &self.competition {
            let earliest = brussels_today(competition.launched_at);
            if decision.date < earliest {
                return Err(DomainError::WithdrawalBeforeLaunch {
                    date: decision.date,
                    earliest,
                });
            }
        }
        self.closure = Some(Closure {
            reason,
            at: now,
            by: by.to_string(),
            decision: Some(decision),
        });
        self.status = OrderStatus::Withdrawn;
        Ok(())
    }
}

mod invariants;

#[cfg(test)]
mod tests;
