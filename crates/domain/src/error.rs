//! The one error type of the domain: a stable code for programs, raw parameters, and a message
//! read from the catalogue (`crates/domain/messages/fr.json`) for people.
//!
//! Adding a refusal is: one [`ErrorCode`] variant (in the `error_codes!` list below, with the
//! names of its parameters), one catalogue entry under `errors`, and either a call site
//! `DomainError::rule(ErrorCode::X).field("…").with("min", 5)` or, for a refusal with typed
//! fields, one `DomainError` variant with its `code()` and `params()` arms. Parameters are raw:
//! ISO dates and instants, numbers, amounts in cents (`*_cents`), ids, stable names of statuses
//! and roles — never French already formatted. The catalogue's renderer (`crate::messages`)
//! turns them into French words; the UI renders the same catalogue (`ui/src/errors.ts`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use uuid::Uuid;

use crate::adhesion::{DecidingAct, DF_OPINION_THRESHOLD_TVAC_CENTS};
use crate::catalogue::Widening;
use crate::money::Cents;
use crate::permission::Act;
use crate::role::Role;

/// Declares [`ErrorCode`]: each variant with its stable name and the names of its parameters
/// (besides `field`, which any refusal may carry). `ErrorCode::ALL` lists every variant, so a
/// code cannot be added without the tests seeing it (catalogue entry, placeholders).
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal [$($param:literal),* $(,)?] ),* $(,)?) => {
        /// Every refusal's stable code, exported to TypeScript: the key of the message
        /// catalogue (`crates/domain/messages/fr.json`, `errors.<code>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The stable name (`deadline_too_soon`), as on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// The names of the parameters the code's message may use (besides `field`).
            pub fn param_names(self) -> &'static [&'static str] {
                match self {
                    $(ErrorCode::$variant => &[$($param),*],)*
                }
            }
        }
    };
}

error_codes! {
    // --- Kept from before the catalogue (clients and tests know these names). ---
    /// A field failed validation (legacy: the message is given whole; use a precise code).
    InvalidInput = "invalid_input" ["message"],
    /// The record is not in a state that allows this action.
    InvalidState = "invalid_state" ["kind", "action", "order_status", "adhesion_status"],
    /// The commune's adhesion is not active.
    AdhesionNotActive = "adhesion_not_active" ["adhesion_status"],
    /// The framework agreement is not in force on that day.
    FrameworkNotInForce = "framework_not_in_force" ["reference", "start", "end"],
    /// The framework's call-off method does not allow this way of ordering.
    CallOffMethodNotAllowed = "call_off_method_not_allowed" ["kind"],
    /// A price is above the framework's ceiling.
    PriceAboveCeiling = "price_above_ceiling" ["line", "code", "price_cents", "ceiling_cents"],
    /// The deadline for offers has passed.
    DeadlinePassed = "deadline_passed" ["deadline"],
    /// Offers are still sealed.
    OffersSealed = "offers_sealed" ["deadline"],
    /// The award does not follow the ranking.
    AwardNotFollowingRanking = "award_not_following_ranking" ["expected", "expected_provider_id"],
    /// Not allowed (legacy: the message is given whole; use a precise code).
    NotAllowed = "not_allowed" ["message"],
    /// The account's role may not do this act at all.
    Forbidden = "forbidden" ["role", "act", "allowed_roles"],
    /// Not found, or not visible to the caller (the same answer, so nothing leaks).
    NotFound = "not_found" [],
    /// The competition's deadline leaves less than the minimum number of calendar days.
    DeadlineTooSoon = "deadline_too_soon" ["min_days", "earliest"],
    /// The competition's deadline falls after the framework's last day.
    DeadlineAfterFrameworkEnd = "deadline_after_framework_end" ["end"],
    /// An award decision dated before what it decides on existed.
    DecisionBeforeOffers = "decision_before_offers" ["date", "earliest", "what"],
    /// A date typed for an act falls outside the bounds the act allows.
    DateOutOfRange = "date_out_of_range" ["what", "date", "earliest", "latest"],
    /// A new framework version names a provider that is not party to the framework.
    ProviderNotParty = "provider_not_party" ["provider"],
    /// A ceiling raised, a line added or the end extended without a review clause.
    ModificationWithoutReviewClause = "modification_without_review_clause"
        ["kind", "code", "line", "before_cents", "after_cents", "before", "after"],
    /// A version that changes the terms without stating why it may.
    LegalBasisMissing = "legal_basis_missing" [],

    // --- Adhesion. ---
    /// The collège decision has no reference.
    CollegeDecisionReferenceMissing = "college_decision_reference_missing" ["max_chars"],
    /// A signature rests on the collège decision: it cannot change any more.
    CollegeDecisionAlreadyRelied = "college_decision_already_relied" [],
    /// Signing before the collège decision is recorded.
    CollegeDecisionMissing = "college_decision_missing" [],
    /// The signed text is not the convention's text.
    SignedTextMismatch = "signed_text_mismatch" [],
    /// Only the mayor and the director general sign for the commune.
    SignatoryRoleNotAllowed = "signatory_role_not_allowed" ["role"],
    /// The two signatures come from the same person.
    SameSignatoryTwice = "same_signatory_twice" [],
    /// This signatory has already signed.
    AlreadySigned = "already_signed" ["role"],
    /// Only the centrale countersigns.
    CountersignatoryRoleNotAllowed = "countersignatory_role_not_allowed" ["role"],
    /// The countersigned text is not the text the commune signed.
    CountersignedTextMismatch = "countersigned_text_mismatch" [],
    /// The termination takes effect before the three months' notice.
    TerminationTooEarly = "termination_too_early" ["earliest", "notice_months"],
    /// The termination has no reason.
    TerminationReasonMissing = "termination_reason_missing" ["max_chars"],

    // --- Who signs: substitutes of the bourgmestre and the directeur général. ---
    /// A substitution must say in which capacity (bourgmestre f.f., échevin délégué, DG f.f.).
    SubstitutionCapacityMissing = "substitution_capacity_missing" [],
    /// A substitution must name the substitute's account.
    SubstituteAccountMissing = "substitute_account_missing" ["max_chars"],
    /// The substitute's account is not a staff account of this commune.
    SubstituteAccountInvalid = "substitute_account_invalid" ["username"],
    /// The period ends before it starts, or is already over.
    SubstitutionPeriodInvalid = "substitution_period_invalid" ["kind", "from", "to", "today"],
    /// The decision designating the substitute comes after the first day covered.
    SubstitutionDecisionAfterStart = "substitution_decision_after_start" ["decision_date", "from"],
    /// The same account already stands in for someone on some of these days.
    SubstitutionOverlaps = "substitution_overlaps" ["username", "other_capacity", "from", "to"],
    /// The substitution is already over or ended.
    SubstitutionAlreadyOver = "substitution_already_over" ["to"],
    /// The account's substitution does not cover today.
    SubstitutionNotInForce = "substitution_not_in_force" ["capacity", "from", "to", "today"],
    /// A directeur général f.f. designated for longer than three months (CDLD L1124-19).
    SubstitutionTooLong = "substitution_too_long" ["max_months", "latest", "to"],
    /// The directeur général's own designation of his replacement covering more than thirty
    /// days (CDLD L1124-19).
    SubstitutionTooLongOwnAct = "substitution_too_long_own_act" ["max_days", "latest", "to"],
    /// A bourgmestre f.f. or an échevin délégué who is not an échevin (CDLD L1123-5, L1132-4).
    SubstituteNotAlderman = "substitute_not_alderman" ["username", "capacity"],
    /// An échevin délégué without the documents the bourgmestre delegates (CDLD L1132-4).
    DelegationDocumentsMissing = "delegation_documents_missing" [],
    /// An échevin délégué signing a document the delegation does not list (CDLD L1132-4).
    DelegationDoesNotCover = "delegation_does_not_cover" ["document", "from", "to"],
    /// A bourgmestre f.f. who is not of Belgian nationality (CDLD L1123-5).
    SubstituteNotBelgian = "substitute_not_belgian" ["username"],
    /// A bourgmestre f.f. by rank whose rank the centrale has not recorded (CDLD L1123-5,
    /// L1123-8).
    AldermanRankMissing = "alderman_rank_missing" ["username"],
    /// A bourgmestre f.f. by rank who is not the first échevin in rank, without a statement of
    /// which échevins ranked before are empêchés (CDLD L1123-5).
    SubstituteNotFirstInRank = "substitute_not_first_in_rank" ["username", "rank", "first_name", "first_rank", "min_chars", "max_chars"],
    /// The bourgmestre's own written act recorded from another account (CDLD L1132-4).
    DesignationMayorsOwnAct = "designation_mayors_own_act" ["capacity"],
    /// The directeur général's own written act recorded from another account (CDLD L1124-19).
    DesignationDirectorGeneralsOwnAct = "designation_director_generals_own_act" [],

    // --- How each account is told by e-mail (issue 14). ---
    /// An account sets its own e-mail preferences only.
    MailPreferencesNotOwn = "mail_preferences_not_own" [],
    /// A legal notification is always sent at once: no choice for it.
    MailKindLegal = "mail_kind_legal" ["mail_kind"],
    /// The account never receives this kind of message.
    MailKindNotForRole = "mail_kind_not_for_role" ["mail_kind", "role"],
    /// The same kind is chosen twice.
    MailKindRepeated = "mail_kind_repeated" ["mail_kind"],
    /// An e-mail address that cannot be written to.
    EmailInvalid = "email_invalid" ["email"],
    /// The failed e-mail to send again is not (or no longer) among the failed ones.
    FailedMailNotFound = "failed_mail_not_found" [],

    // --- Catalogue: providers, frameworks, versions. ---
    /// The provider has no name.
    ProviderNameMissing = "provider_name_missing" [],
    /// The provider's short name is not lowercase letters.
    ProviderShortNameInvalid = "provider_short_name_invalid" [],
    /// The provider's e-mail address is not valid.
    ProviderEmailInvalid = "provider_email_invalid" [],
    /// A framework that ends before it starts.
    FrameworkEndBeforeStart = "framework_end_before_start" ["start", "end"],
    /// A start date that cannot be computed with.
    FrameworkStartInvalid = "framework_start_invalid" ["start"],
    /// A framework longer than four years.
    FrameworkTooLong = "framework_too_long" ["max_years", "latest"],
    /// A framework without provider.
    FrameworkProvidersMissing = "framework_providers_missing" [],
    /// The same provider twice in a framework.
    FrameworkProviderDuplicate = "framework_provider_duplicate" [],
    /// No award criterion.
    AwardCriteriaMissing = "award_criteria_missing" [],
    /// Weights that do not total 100.
    AwardCriteriaWeightsTotal = "award_criteria_weights_total" ["total", "expected"],
    /// More than one price criterion.
    PriceCriterionDuplicate = "price_criterion_duplicate" [],
    /// Two criteria with the same code.
    AwardCriterionCodeDuplicate = "award_criterion_code_duplicate" [],
    /// An empty price schedule.
    PriceScheduleEmpty = "price_schedule_empty" [],
    /// Two price lines with the same code.
    PriceLineCodeDuplicate = "price_line_code_duplicate" [],
    /// A ceiling at zero or below.
    PriceCeilingNotPositive = "price_ceiling_not_positive" ["line", "code", "ceiling_cents"],
    /// A framework with no published version.
    FrameworkNotPublished = "framework_not_published" ["reference"],
    /// A version that moves the framework's start date.
    FrameworkStartChanged = "framework_start_changed" ["start", "requested"],
    /// A framework version that does not exist.
    FrameworkVersionNotFound = "framework_version_not_found" ["reference", "version"],
    /// A review-clause version without the clause.
    ReviewClauseMissing = "review_clause_missing" [],
    /// A correction without its description.
    CorrectionNoteMissing = "correction_note_missing" [],
    /// A succession without the act that establishes it.
    SuccessionActMissing = "succession_act_missing" [],
    /// The replaced provider is not party to the framework.
    PredecessorNotParty = "predecessor_not_party" ["provider"],
    /// The successor is already party to the framework.
    SuccessorAlreadyParty = "successor_already_party" ["provider"],
    /// A replaced provider named again.
    ReplacedProviderReturns = "replaced_provider_returns" ["provider"],
    /// A party left out of a new version.
    PartyProviderRemoved = "party_provider_removed" ["provider"],
    /// A version without a change note.
    ChangeNoteMissing = "change_note_missing" [],
    /// A decision taken by an organ not competent for it (CDLD L1222-3, L1222-4, L1222-7);
    /// `kind` is the decision asked for.
    DecisionOrganNotCompetent = "decision_organ_not_competent" ["kind", "organ"],
    /// A decision above 22 000 € TVAC without the directeur financier's opinion (CDLD L1124-40).
    FinancialOpinionMissing = "financial_opinion_missing" ["amount_incl_vat_cents", "threshold_cents"],
    /// An order sent without the decision fixing its conditions (CDLD L1222-3).
    LaunchDecisionMissing = "launch_decision_missing" [],
    /// An order sent without its budget article.
    BudgetArticleMissing = "budget_article_missing" [],
    /// The second signatory of a notice of termination signs another reason than the first.
    TerminationReasonDiffers = "termination_reason_differs" ["reason"],
    /// Evaluating or deciding without a declaration of no conflict of interest (law of 17 June
    /// 2016 art. 6).
    ConflictDeclarationMissing = "conflict_declaration_missing" [],
    /// The declaration signed is not the text in force.
    ConflictStatementChanged = "conflict_statement_changed" [],
    /// A motivated decision (withdrawing a running competition, setting an offer aside) with
    /// too short or too long a motivation.
    MotivationTooShort = "motivation_too_short" ["min_chars", "max_chars"],
    /// A deadline extension that does not move the deadline later.
    DeadlineNotLater = "deadline_not_later" ["current"],
    /// A provider suspended after its invitation submits or replaces an offer.
    ProviderSuspended = "provider_suspended" ["provider"],
    /// A question of the competition already answered.
    QuestionAlreadyAnswered = "question_already_answered" ["question"],
    /// A withdrawal decision dated before the competition was launched.
    WithdrawalBeforeLaunch = "withdrawal_before_launch" ["date", "earliest"],
    /// A call-off that would take its framework beyond its maximum value (CJEU C-23/20).
    MaximumValueExceeded = "maximum_value_exceeded" ["reference", "maximum_cents", "consumed_cents", "amount_cents"],
    /// Framework terms without a positive maximum value (CJEU C-216/17, C-23/20).
    MaximumValueMissing = "maximum_value_missing" [],
    /// Direct call-offs allowed by the method without the framework's objective conditions.
    DirectCallOffConditionsMissing = "direct_call_off_conditions_missing" [],
    /// A direct award to another provider than the one the framework's conditions designate
    /// (cascade or rotation).
    NotDesignatedProvider = "not_designated_provider" ["expected"],
    /// At or below the framework's threshold the order is placed directly.
    DirectCallOffRequired = "direct_call_off_required" ["amount_cents", "up_to_cents"],
    /// Above the framework's threshold competition is reopened.
    CompetitionRequired = "competition_required" ["amount_cents", "up_to_cents"],
    /// A final acceptance before the end of the guarantee period.
    GuaranteePeriodRunning = "guarantee_period_running" ["months", "provisional", "earliest"],
    /// A call-off contract duration outside 1..=48 months.
    ContractMonthsOutOfRange = "contract_months_out_of_range" ["months", "max"],
    /// A question or an answer of a competition too short or too long.
    QuestionTextLength = "question_text_length" ["min_chars", "max_chars"],
    /// An offer already set aside.
    OfferAlreadySetAside = "offer_already_set_aside" [],
    /// A question already recorded (the same id sent twice).
    QuestionAlreadyAsked = "question_already_asked" [],
    /// A request to justify prices, or its answer, too short or too long.
    PriceJustificationTextLength = "price_justification_text_length" ["min_chars", "max_chars"],
    /// A request to justify the prices of this offer awaits its answer until the deadline.
    PriceJustificationAwaited = "price_justification_awaited" ["offer", "deadline"],
    /// A justification answered (or expired) but neither accepted nor followed by a set-aside.
    PriceJustificationUndecided = "price_justification_undecided" ["offer"],
    /// Setting aside as abnormally low without having asked for the justification of prices.
    PriceJustificationNotAsked = "price_justification_not_asked" ["offer"],
    /// The provider already answered this request.
    PriceJustificationAlreadyAnswered = "price_justification_already_answered" [],
    /// The justification was already accepted, or the offer already set aside.
    PriceJustificationDecided = "price_justification_decided" [],
    /// The answer to a request to justify prices arrives after its deadline.
    PriceJustificationDeadlinePassed = "price_justification_deadline_passed" ["deadline"],
    /// The directeur financier's opinion without its reference.
    FinancialOpinionReferenceMissing = "financial_opinion_reference_missing" ["max_chars"],
    /// No provider of the framework's ranking can take a direct call-off.
    NoDesignatableProvider = "no_designatable_provider" [],
    /// A new framework version changes how a direct call-off's provider is designated
    /// (cascade, rotation) without a review clause as its legal basis (Dir. 2014/24 art.
    /// 33(4)(a) and 72(1)(a)).
    DesignationRuleChanged = "designation_rule_changed" ["before", "after"],
    /// A budget above the amounts the application accepts.
    BudgetTooHigh = "budget_too_high" ["max_cents"],
    /// A framework version's change note is too short or too long (`crate::limits`).
    ChangeNoteLength = "change_note_length" ["length", "min_chars", "max_chars"],
    /// A text typed longer than its maximum (`crate::limits`).
    TextTooLong = "text_too_long" ["max_chars", "length"],
    /// A survey closing before today (issue 16 §3).
    SurveyClosesInPast = "survey_closes_in_past" ["date", "today"],
    /// A survey without themes, or a theme without questions.
    SurveyEmpty = "survey_empty" [],
    /// More questions than a survey may hold.
    SurveyTooManyQuestions = "survey_too_many_questions" ["max"],
    /// A question's or a choice's code that is not lowercase letters, digits and dashes.
    SurveyCodeInvalid = "survey_code_invalid" [],
    /// The same question or choice code twice (or a question answered twice).
    SurveyCodeDuplicate = "survey_code_duplicate" ["code"],
    /// A choice question with fewer than two choices, or too many.
    SurveyChoicesCount = "survey_choices_count" ["max"],
    /// A number question's maximum not above zero, or too large.
    SurveyNumberMaxInvalid = "survey_number_max_invalid" ["max"],
    /// An answer of the wrong kind, or a choice the question does not offer.
    SurveyAnswerInvalid = "survey_answer_invalid" ["question"],
    /// A number below zero or above the question's maximum.
    SurveyNumberOutOfRange = "survey_number_out_of_range" ["question", "max"],
    /// An answer to a question the survey does not ask.
    SurveyQuestionUnknown = "survey_question_unknown" ["code"],
    /// A required question left unanswered when the answers are sent.
    SurveyAnswerMissing = "survey_answer_missing" ["question"],
    /// Answers after the survey's closing day.
    SurveyClosed = "survey_closed" ["closes_on", "today"],
    /// Answers already sent: they no longer change.
    SurveyResponseSent = "survey_response_sent" ["name", "date"],
    /// A service said to answer a need no survey asks.
    SurveyNeedUnknown = "survey_need_unknown" [],
    /// A pooled call-off's title too short or too long.
    PoolTitleLength = "pool_title_length" ["min_chars", "max_chars"],
    /// A pooled call-off's description too short or too long.
    PoolDescriptionLength = "pool_description_length" ["min_chars", "max_chars"],
    /// The last day to join a pooled call-off in the past or after the framework's end.
    PoolJoinUntilInvalid = "pool_join_until_invalid" ["today", "end"],
    /// An order joining a pooled call-off of another service.
    PoolServiceMismatch = "pool_service_mismatch" [],
    /// Joining a pooled call-off after its last day, or after its competition was launched.
    PoolClosed = "pool_closed" ["date"],
    /// The commune is in the pooled call-off already, by another order.
    PoolAlreadyMember = "pool_already_member" [],
    /// Launching a pooled call-off no commune is in.
    PoolNoMember = "pool_no_member" [],
    /// Launching a pooled call-off a second time.
    PoolAlreadyLaunched = "pool_already_launched" [],
    /// An act done once on the pooled call-off, asked on one member's order.
    PoolActOnPool = "pool_act_on_pool" ["pool"],
    /// The common analysis before the offers of every member are opened.
    PoolOffersNotOpened = "pool_offers_not_opened" [],
    /// Changing the common analysis after a commune decided on it.
    PoolMemberDecided = "pool_member_decided" [],
    /// An offer on a pooled call-off whose competition was not launched.
    PoolNotLaunched = "pool_not_launched" [],
    /// Members sent under different versions of the framework: one competition has one set
    /// of terms.
    PoolVersionsDiffer = "pool_versions_differ" [],
    /// An accompaniment price list without any service (or none published yet).
    AccompanimentListEmpty = "accompaniment_list_empty" [],
    /// An accompaniment service's code that is not lowercase letters, digits and dashes.
    AccompanimentCodeInvalid = "accompaniment_code_invalid" [],
    /// The same accompaniment service twice (on the list, or on an order).
    AccompanimentCodeDuplicate = "accompaniment_code_duplicate" ["code"],
    /// An accompaniment service's price not above zero or above the amounts accepted.
    AccompanimentPriceInvalid = "accompaniment_price_invalid" ["code"],
    /// An accompaniment order without any line.
    AccompanimentLinesMissing = "accompaniment_lines_missing" [],
    /// A service that is not on the price list in force (or not on the order).
    AccompanimentServiceUnknown = "accompaniment_service_unknown" ["code"],
    /// A quantity not above zero, too large, or a package split / a day not in halves.
    AccompanimentQuantityInvalid = "accompaniment_quantity_invalid" ["unit", "max"],
    /// An accompaniment linked to another commune's call-off.
    AccompanimentCallOffOtherCommune = "accompaniment_call_off_other_commune" [],
    /// An act an accompaniment order's state does not allow.
    AccompanimentWrongStatus = "accompaniment_wrong_status" ["status"],
    /// A planned date before the day the accompaniment was ordered.
    AccompanimentPlannedBeforeOrder = "accompaniment_planned_before_order" ["date", "ordered"],
    /// A delivery dated in the future or before the order.
    AccompanimentDeliveryDate = "accompaniment_delivery_date" ["date", "ordered", "today"],
    /// An interoperability sheet for a provider that is not a party to the framework.
    InteroperabilityProviderNotParty = "interoperability_provider_not_party" ["provider"],
    /// Two interoperability sheets for the same provider.
    InteroperabilitySheetDuplicate = "interoperability_sheet_duplicate" ["provider"],
    /// An interoperability sheet without the solution's name.
    InteroperabilityNameMissing = "interoperability_name_missing" ["max_chars"],
    /// An interoperability sheet that does not say what the commune gets back at the end.
    InteroperabilityReversibilityMissing = "interoperability_reversibility_missing" [],
    /// An entry of a sheet (format, licence, interface, export, link) left incomplete.
    InteroperabilityEntryIncomplete = "interoperability_entry_incomplete" [],
    /// The same entry twice on a sheet (identity service, linked solution, aspect checked).
    InteroperabilityEntryDuplicate = "interoperability_entry_duplicate" [],
    /// More entries in one list of a sheet than the forms accept.
    InteroperabilityTooManyEntries = "interoperability_too_many_entries" ["max"],
    /// A sheet that says its solution works with itself.
    InteroperabilityLinkToItself = "interoperability_link_to_itself" [],
    /// A check dated after the day of publication.
    InteroperabilityCheckAhead = "interoperability_check_ahead" ["date", "today"],
    /// A check that found a gap without saying which.
    InteroperabilityCheckNoteMissing = "interoperability_check_note_missing" [],
    /// A Brussels wall time that does not exist: the hour skipped when summer time starts.
    WallTimeSkipped = "wall_time_skipped" ["date", "time"],
    /// A Brussels wall time that happens twice: the hour repeated when summer time ends.
    WallTimeRepeated = "wall_time_repeated" ["date", "time"],

    // --- Communes. ---
    /// A NIS code that is not five digits.
    NisCodeInvalid = "nis_code_invalid" ["value"],
    /// A line of the communes' reference file cannot be read.
    CommunesCsvLineInvalid = "communes_csv_line_invalid" ["line", "column"],
    /// A line of the communes' enterprise numbers that cannot be read.
    EnterpriseNumbersCsvLineInvalid = "enterprise_numbers_csv_line_invalid" ["line", "column"],
    /// A commune code that is not in the reference list.
    CommuneUnknown = "commune_unknown" ["nis_code"],
    /// A merger naming an unknown commune.
    MergerCommuneUnknown = "merger_commune_unknown" ["nis_code"],
    /// A merger of no commune.
    MergerEmpty = "merger_empty" [],
    /// A merged commune already ended (merged before).
    MergerCommuneEnded = "merger_commune_ended" ["nis_code"],
    /// The new commune's code already names another commune.
    MergerNewCodeInUse = "merger_new_code_in_use" ["nis_code"],

    // --- Enterprise numbers and money. ---
    /// An enterprise number that is not ten digits.
    EnterpriseNumberLength = "enterprise_number_length" ["value"],
    /// An enterprise number that starts with neither 0 nor 1.
    EnterpriseNumberPrefix = "enterprise_number_prefix" ["value"],
    /// An enterprise number whose check digits are wrong.
    EnterpriseNumberChecksum = "enterprise_number_checksum" ["value"],
    /// A VAT rate Belgium does not have.
    VatRateInvalid = "vat_rate_invalid" ["rate", "allowed"],
    /// An amount too large to compute.
    AmountTooLarge = "amount_too_large" [],

    // --- Needs of an order. ---
    /// No description of the need.
    NeedsDescriptionMissing = "needs_description_missing" [],
    /// A description that is too long.
    NeedsDescriptionTooLong = "needs_description_too_long" ["max_chars"],
    /// No line with a quantity.
    NeedsLinesMissing = "needs_lines_missing" [],
    /// A line the framework's price schedule does not have.
    PriceLineUnknown = "price_line_unknown" ["code"],
    /// The same line twice in the needs.
    NeedLineDuplicate = "need_line_duplicate" ["line", "code"],
    /// A quantity at zero or below.
    QuantityNotPositive = "quantity_not_positive" ["line", "code"],
    /// Too many sites, or sites too long.
    NeedsSitesInvalid = "needs_sites_invalid" ["max_sites", "max_chars"],
    /// Go-live before the start.
    GoLiveBeforeStart = "go_live_before_start" ["start", "go_live"],
    /// A negative budget.
    BudgetNegative = "budget_negative" [],

    // --- Offers. ---
    /// A price line without a unit price.
    UnitPriceMissing = "unit_price_missing" ["line", "code"],
    /// A price line priced twice.
    UnitPriceDuplicate = "unit_price_duplicate" ["line", "code"],
    /// A unit price at zero or below.
    UnitPriceNotPositive = "unit_price_not_positive" ["line", "code"],
    /// A price line the commune did not ask for.
    OfferLineNotNeeded = "offer_line_not_needed" ["code"],
    /// A lead time outside 1..=730 days.
    LeadTimeOutOfRange = "lead_time_out_of_range" ["min", "max"],
    /// Technical notes that are too long.
    OfferNotesTooLong = "offer_notes_too_long" ["max_chars"],
    /// The competition is closed (`kind`: `question` for a question asked; none: an offer).
    CompetitionClosed = "competition_closed" ["kind"],
    /// An offer replacing an offer of another invitation.
    OfferReplacesOtherInvitation = "offer_replaces_other_invitation" [],

    // --- Evaluation. ---
    /// A criterion the framework does not have.
    CriterionUnknown = "criterion_unknown" ["code"],
    /// A price criterion scored by hand.
    PriceScoreAutomatic = "price_score_automatic" [],
    /// A score for an offer that was not opened.
    OfferNotOpened = "offer_not_opened" [],
    /// Points outside 0..=weight.
    ScoreOutOfRange = "score_out_of_range" ["criterion", "code", "max"],
    /// A score without justification.
    ScoreJustificationTooShort = "score_justification_too_short" ["criterion", "code", "min_chars"],
    /// A criterion scored twice for one offer.
    CriterionScoredTwice = "criterion_scored_twice" ["code"],
    /// A criterion left unscored for an offer.
    CriterionNotScored = "criterion_not_scored" ["criterion", "code"],

    // --- Orders. ---
    /// A title empty or too long.
    OrderTitleInvalid = "order_title_invalid" ["max_chars"],
    /// A reason too short or too long.
    ReasonLengthInvalid = "reason_length_invalid" ["min_chars", "max_chars"],
    /// An award justification too short.
    JustificationTooShort = "justification_too_short" ["min_chars", "max_chars"],
    /// A competition deadline more than a year away.
    DeadlineTooFar = "deadline_too_far" ["max_days"],
    /// No provider can be invited.
    NoCallableProvider = "no_callable_provider" [],
    /// Evaluating with no offer.
    NoOfferToEvaluate = "no_offer_to_evaluate" [],
    /// Awarding with no offer.
    NoOfferToAward = "no_offer_to_award" [],
    /// A direct award to a provider not active in the framework.
    ProviderNotActive = "provider_not_active" ["provider"],
    /// A purchase order without reference.
    PurchaseOrderReferenceMissing = "purchase_order_reference_missing" [],
    /// A purchase order without the fonctionnaire dirigeant's name (or too long).
    ContractManagerNameMissing = "contract_manager_name_missing" ["max_chars"],
    /// A purchase order without the fonctionnaire dirigeant's quality (or too long).
    ContractManagerQualityMissing = "contract_manager_quality_missing" ["max_chars"],
    /// Provisional acceptance before go-live.
    GoLiveNotDone = "go_live_not_done" [],
    /// Final acceptance dated before the provisional one.
    FinalBeforeProvisional = "final_before_provisional" ["date", "provisional"],

    // --- Deployment. ---
    /// Milestones out of order.
    MilestonePlanOutOfOrder = "milestone_plan_out_of_order" [],
    /// Milestone notes too long.
    MilestoneNotesTooLong = "milestone_notes_too_long" ["max_chars"],
    /// A provider marking an acceptance done.
    AcceptanceIsCommuneAct = "acceptance_is_commune_act" ["milestone"],
    /// Changing an acknowledged milestone's date.
    MilestoneAcknowledged = "milestone_acknowledged" ["milestone"],
    /// Acknowledging a milestone not done.
    MilestoneNotDone = "milestone_not_done" ["milestone"],
    /// Acknowledging twice.
    MilestoneAlreadyAcknowledged = "milestone_already_acknowledged" ["milestone"],
    /// Moving a planned date directly (issue 17 point 5: a re-plan request instead).
    MilestonePlannedDateByRequest = "milestone_planned_date_by_request" ["milestone"],
    /// A re-plan request for a milestone already done.
    MilestoneAlreadyDone = "milestone_already_done" ["milestone"],
    /// A second re-plan request while one waits.
    ReplanAlreadyPending = "replan_already_pending" ["milestone", "requested_date"],
    /// A re-plan request to the date already planned.
    ReplanSameDate = "replan_same_date" ["milestone", "date"],
    /// A re-plan request or refusal without its reason (or too long).
    ReplanReasonMissing = "replan_reason_missing" ["min_chars", "max_chars"],
    /// Deciding on a re-plan request that does not wait.
    NoPendingReplan = "no_pending_replan" ["milestone"],

    // --- The second factor (issue 17 point 9). ---
    /// A signing act without the one-time code the account's second factor asks for.
    SecondFactorRequired = "second_factor_required" [],
    /// A centrale staff account acts without having turned its second factor on.
    SecondFactorNotSetUp = "second_factor_not_set_up" [],
    /// What was typed is neither six digits nor a recovery code.
    SecondFactorCodeMalformed = "second_factor_code_malformed" ["digits"],
    /// The code is not the application's code for that moment, nor an unused recovery code.
    SecondFactorWrong = "second_factor_wrong" [],
    /// The code already served for another act.
    SecondFactorReused = "second_factor_reused" [],
    /// An act signed offline reached the server more than a week after its code.
    SecondFactorExpired = "second_factor_expired" ["typed_at", "validity_days"],
    /// The PC's clock is ahead of the server's: the moment of the code cannot be trusted.
    SecondFactorClockAhead = "second_factor_clock_ahead" ["typed_at", "server_time"],
    /// Too many wrong codes: wait.
    SecondFactorLocked = "second_factor_locked" ["retry_after_secs", "retry_after_minutes"],
    /// Turning on a second factor the account already has.
    SecondFactorAlreadyOn = "second_factor_already_on" [],
    /// Confirming or turning off a second factor the account does not have (or not set up).
    SecondFactorNotOn = "second_factor_not_on" [],
    /// A centrale staff account cannot turn its second factor off.
    SecondFactorStaysOn = "second_factor_stays_on" [],

    // --- The server's own refusals (HTTP layer): same catalogue. ---
    /// The client must be updated.
    UpdateNeeded = "update_needed" ["client_version", "min_protocol_version", "protocol_version"],
    /// No valid session.
    Unauthorized = "unauthorized" [],
    /// Wrong username or password.
    InvalidCredentials = "invalid_credentials" [],
    /// Disabled account.
    AccountDisabled = "account_disabled" [],
    /// Too many failed logins.
    TooManyAttempts = "too_many_attempts" ["retry_after_secs", "retry_after_minutes"],
    /// The server is busy or its database unreachable.
    ServiceUnavailable = "service_unavailable" ["kind", "retry_after_secs"],
    /// A server fault.
    InternalError = "internal_error" [],
    /// A request the server cannot read.
    MalformedRequest = "malformed_request" ["reason"],
    /// A request body too large.
    BodyTooLarge = "body_too_large" ["max_bytes"],
    /// A mutation name nobody knows.
    UnknownMutation = "unknown_mutation" ["name"],
    /// An identifier already used.
    DuplicateId = "duplicate_id" ["id"],
    /// An operation id already used by another account.
    MutationIdReused = "mutation_id_reused" [],
    /// A second offer for one invitation (replace the first instead).
    OfferExists = "offer_exists" [],
    /// A second adhesion while one is under way.
    AdhesionExists = "adhesion_exists" [],
    /// A provider with this enterprise number is already registered.
    DuplicateEnterpriseNumber = "duplicate_enterprise_number" ["enterprise_number"],
    /// A successor that is not registered as a provider.
    SuccessorNotRegistered = "successor_not_registered" ["provider"],
    /// A framework provider that is not registered.
    ProviderNotRegistered = "provider_not_registered" ["provider"],
    /// A required text missing or too long (`labels.field` names it).
    TextRequired = "text_required" ["max_chars"],
    /// A service code that is not lowercase letters, digits and hyphens.
    ServiceCodeInvalid = "service_code_invalid" [],
    /// A service code already used.
    DuplicateCode = "duplicate_code" ["code"],
    /// A framework reference already used.
    DuplicateReference = "duplicate_reference" ["reference"],
    /// A login without username or password, or with one too long.
    LoginFieldsInvalid = "login_fields_invalid" ["max_chars"],
    /// A device without a name, or with one too long.
    DeviceNameInvalid = "device_name_invalid" ["max_chars"],
    /// Too many operations in one push.
    TooManyMutations = "too_many_mutations" ["max"],

    // --- The framework's own document files (issue 12 §2). ---
    /// An empty file.
    DocumentFileEmpty = "document_file_empty" ["file_name"],
    /// A file above `limits::DOCUMENT_FILE_MAX_BYTES`.
    DocumentFileTooLarge = "document_file_too_large" ["file_name", "size_bytes", "max_mb"],
    /// A file whose content is not one of the accepted types, or whose name says another.
    DocumentFileTypeRefused = "document_file_type_refused" ["file_name", "allowed"],
    /// The file received is not the one declared (its SHA-256 differs).
    DocumentFileHashMismatch = "document_file_hash_mismatch" ["declared", "computed"],
    /// The transfer stopped before the end of the file: nothing was stored.
    DocumentFileIncomplete = "document_file_incomplete" [],
    /// A framework version names a document whose file the server does not hold.
    DocumentFileMissing = "document_file_missing" ["title", "file_name"],
    /// The file is not on this PC and the server cannot be reached.
    DocumentFileNotCached = "document_file_not_cached" ["title"],
    /// The copy on this PC is damaged and the server cannot be reached for a new one.
    DocumentFileCorrupt = "document_file_corrupt" ["title"],

    // --- Updates of the desktop app (issue 13 §2). ---
    /// A version that is not `major.minor.patch`.
    AppVersionInvalid = "app_version_invalid" ["version"],
    /// A system the app is not built for.
    AppTargetUnknown = "app_target_unknown" ["target", "known"],
    /// A release's file: empty, too large or with a name that is not a plain file name.
    AppReleaseFileInvalid = "app_release_file_invalid" ["file_name", "max_mb"],
    /// A signature that is not the one Tauri's signer writes (the base64 of a `.sig` file).
    AppReleaseSignatureInvalid = "app_release_signature_invalid" [],
    /// Release notes above `app_release::APP_RELEASE_NOTES_MAX_CHARS`.
    AppReleaseNotesTooLong = "app_release_notes_too_long" ["max_chars"],
    /// This version is already published for this system.
    AppReleaseExists = "app_release_exists" ["version"],
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl From<ErrorCode> for String {
    fn from(code: ErrorCode) -> String {
        code.as_str().to_string()
    }
}

impl ErrorCode {
    /// Parses a stable name.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// The French sentence of this code with these parameters (from the catalogue).
    pub fn message_fr(self, params: &Value) -> String {
        crate::messages::render_fr(self, params)
    }
}

/// A domain rule was broken. `code()` is stable (clients translate it), `params()` are raw
/// values, and `Display` is the French sentence rendered from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// A refusal described by its code and raw parameters only (most refusals): build it with
    /// [`DomainError::rule`], [`DomainError::field`] and [`DomainError::with`].
    Rule {
        /// The refusal.
        code: ErrorCode,
        /// Raw parameters (`field` for the form, limits, ISO dates, cents, names).
        params: Map<String, Value>,
    },
    /// Legacy: a field failed validation, with a message given whole. Prefer [`DomainError::rule`].
    Invalid {
        /// The field in error (dotted path, e.g. `needs.lines[0].quantity`).
        field: String,
        /// Plain French explanation with what to do.
        message: String,
    },
    /// The record is not in a state that allows this action. The catalogue says why, per
    /// action (`labels.action`), and names the state (`labels.order_status`, …).
    InvalidTransition {
        /// The action attempted (stable name, e.g. `order.submit`).
        action: &'static str,
        /// The record's state.
        state: RecordState,
    },
    /// The commune's adhesion is not active (`None`: there is no signed convention).
    AdhesionNotActive {
        /// The adhesion's status.
        status: Option<crate::adhesion::AdhesionStatus>,
    },
    /// The framework agreement has ended (or not started).
    FrameworkNotInForce {
        /// Framework reference.
        reference: String,
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// The framework's call-off method does not allow this way of ordering.
    CallOffMethodNotAllowed(CallOffAsked),
    /// A price is above the framework's ceiling.
    PriceAboveCeiling {
        /// Price line label.
        line: String,
        /// Price line code.
        code: String,
        /// The offered price.
        price: crate::money::Cents,
        /// The ceiling.
        ceiling: crate::money::Cents,
    },
    /// The deadline for offers has passed.
    DeadlinePassed {
        /// The deadline.
        deadline: DateTime<Utc>,
    },
    /// Offers are still sealed.
    OffersSealed {
        /// The deadline.
        deadline: DateTime<Utc>,
    },
    /// The award does not follow the ranking.
    AwardNotFollowingRanking {
        /// The provider ranked first (its name).
        expected: String,
        /// The provider ranked first (its id).
        expected_provider_id: Uuid,
    },
    /// Legacy: the actor may not do this, with a message given whole. Prefer [`DomainError::rule`].
    NotAllowed(String),
    /// The account's role may not do this act at all.
    Forbidden {
        /// The act refused.
        act: Act,
        /// The actor's role.
        role: Role,
    },
    /// The record does not exist, or belongs to another commune or provider (the same answer,
    /// so nothing leaks).
    NotFound,
    /// The competition's deadline leaves the providers less than the minimum number of
    /// calendar days.
    DeadlineTooSoon {
        /// The minimum, in calendar days (server setting).
        min_days: u32,
        /// The earliest deadline allowed.
        earliest: DateTime<Utc>,
    },
    /// The competition's deadline falls after the framework's last day.
    DeadlineAfterFrameworkEnd {
        /// The framework's last day.
        end: NaiveDate,
    },
    /// An award decision dated before the offers (or the request) it decides on existed.
    DecisionBeforeOffers {
        /// The decision's date.
        date: NaiveDate,
        /// The earliest date possible.
        earliest: NaiveDate,
        /// What it cannot precede (stable name, `labels.what` in the catalogue).
        what: &'static str,
    },
    /// A date a person typed for an act falls outside the bounds the act allows (ten years
    /// around today, not in the future for what has happened, not before the award…).
    DateOutOfRange {
        /// The field in error.
        field: String,
        /// Which date (stable name, `labels.what` in the catalogue).
        what: &'static str,
        /// The date typed.
        date: NaiveDate,
        /// The earliest date allowed.
        earliest: NaiveDate,
        /// The latest date allowed.
        latest: NaiveDate,
    },
    /// A new framework version names a provider that is not party to the framework and is not
    /// a party's successor.
    ProviderNotParty {
        /// The provider refused.
        provider: Uuid,
    },
    /// A ceiling raised, a price line added or the end date extended without a review clause.
    ModificationWithoutReviewClause {
        /// What widens the framework.
        change: Widening,
    },
    /// A version that changes the terms without stating why it may.
    LegalBasisMissing,
    /// A decision taken by an organ that is not competent for it (CDLD L1222-3, L1222-4,
    /// L1222-7).
    DecisionOrganNotCompetent {
        /// The field in error (`….organ`).
        field: String,
        /// The decision asked for.
        act: DecidingAct,
        /// The organ given (`conseil`, `college_by_delegation`, `college`).
        organ: &'static str,
    },
    /// A decision above 22 000 € TVAC without the directeur financier's opinion (CDLD
    /// L1124-40 §1 3°).
    FinancialOpinionMissing {
        /// The field in error (`….financial_opinion`).
        field: String,
        /// The amount decided, including VAT.
        amount_incl_vat: Cents,
    },
    /// An order sent without the decision fixing its conditions (CDLD L1222-3).
    LaunchDecisionMissing,
    /// An order sent without its budget article.
    BudgetArticleMissing,
    /// The second signatory of a notice of termination signs another reason than the first.
    TerminationReasonDiffers {
        /// The reason already signed.
        reason: String,
    },
    /// Someone evaluates or decides on offers without having declared the absence of any
    /// conflict of interest (law of 17 June 2016 art. 6; Dir. 2014/24 art. 24).
    ConflictDeclarationMissing,
    /// The declaration signed is not the text in force.
    ConflictStatementChanged,
    /// A decision that must be motivated (withdrawing a running competition…) carries too
    /// short (or too long) a motivation.
    MotivationTooShort {
        /// The field in error.
        field: &'static str,
        /// The minimum length, in characters.
        min_chars: u32,
        /// The maximum length, in characters.
        max_chars: u32,
    },
    /// A deadline extension that does not move the deadline later.
    DeadlineNotLater {
        /// The deadline in force.
        current: DateTime<Utc>,
    },
    /// A decision withdrawing a running competition dated before the competition was launched.
    WithdrawalBeforeLaunch {
        /// The decision's date.
        date: NaiveDate,
        /// The earliest date possible (the launch's day in Brussels).
        earliest: NaiveDate,
    },
    /// A question of the competition already answered.
    QuestionAlreadyAnswered {
        /// The question.
        question: Uuid,
    },
    /// A provider suspended in the framework after its invitation submits or replaces an offer.
    ProviderSuspended {
        /// The provider.
        provider: Uuid,
    },
    /// A call-off that would take its framework beyond the maximum value (CJEU C-23/20).
    MaximumValueExceeded {
        /// The framework's reference.
        reference: String,
        /// Its maximum value excluding VAT.
        maximum: Cents,
        /// Already awarded under it, excluding VAT.
        consumed: Cents,
        /// This call-off's amount excluding VAT.
        amount: Cents,
    },
    /// Framework terms without a positive maximum value (CJEU C-216/17, C-23/20).
    MaximumValueMissing,
    /// Direct call-offs allowed by the method without the framework's conditions.
    DirectCallOffConditionsMissing,
    /// A direct award to another provider than the one the framework's cascade designates.
    NotDesignatedProvider {
        /// The provider the cascade designates.
        expected: Uuid,
    },
    /// Above the framework's threshold, competition is reopened; at or below it, the order is
    /// placed directly.
    CallOffThreshold {
        /// True: the order must be placed directly (at or below the threshold).
        direct: bool,
        /// The order's needs at the ceilings over the contract, excluding VAT.
        amount: Cents,
        /// The framework's threshold, excluding VAT.
        up_to: Cents,
    },
    /// A final acceptance before the end of the guarantee period.
    GuaranteePeriodRunning {
        /// The framework's guarantee period.
        months: u32,
        /// The provisional acceptance's date.
        provisional: NaiveDate,
        /// The first day the final acceptance is possible.
        earliest: NaiveDate,
    },
    /// A call-off contract duration outside 1..=48 months.
    ContractMonthsOutOfRange {
        /// Months asked.
        months: u32,
        /// The longest.
        max: u32,
    },
}

/// The state a record was in when an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// An order.
    Order(crate::order::OrderStatus),
    /// An adhesion.
    Adhesion(crate::adhesion::AdhesionStatus),
}

/// The way of ordering a framework's call-off method refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOffAsked {
    /// Reopening competition, on a framework that orders directly.
    Competition,
    /// Awarding directly, on a framework that requires a competition.
    DirectAward,
}

/// The stable snake_case name of a unit enum variant, from its serde name.
fn name_of(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The stable snake_case name of an act (`SignAdhesion` → `sign_adhesion`).
pub fn act_name(act: Act) -> String {
    let debug = format!("{act:?}");
    let mut out = String::with_capacity(debug.len() + 4);
    for (i, ch) in debug.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

impl DomainError {
    /// A refusal with a code and no parameter yet.
    pub fn rule(code: ErrorCode) -> Self {
        DomainError::Rule {
            code,
            params: Map::new(),
        }
    }

    /// A refusal of a form field (`params.field`, so the UI puts the message under it).
    pub fn field(code: ErrorCode, field: impl Into<String>) -> Self {
        DomainError::rule(code).with("field", field.into())
    }

    /// Adds a raw parameter (a number, an ISO date, cents, a stable name). The name must be one
    /// the code declares (checked in debug builds, so every test that reaches a refusal checks
    /// it).
    pub fn with(mut self, name: &'static str, value: impl Serialize) -> Self {
        if let DomainError::Rule { code, params } = &mut self {
            debug_assert!(
                name == "field" || code.param_names().contains(&name),
                "{code} does not declare the parameter {name}"
            );
            params.insert(name.to_string(), name_of(value));
        }
        self
    }

    /// Stable machine code, translated by clients.
    pub fn code(&self) -> ErrorCode {
        match self {
            DomainError::Rule { code, .. } => *code,
            DomainError::Invalid { .. } => ErrorCode::InvalidInput,
            DomainError::InvalidTransition { .. } => ErrorCode::InvalidState,
            DomainError::AdhesionNotActive { .. } => ErrorCode::AdhesionNotActive,
            DomainError::FrameworkNotInForce { .. } => ErrorCode::FrameworkNotInForce,
            DomainError::CallOffMethodNotAllowed(_) => ErrorCode::CallOffMethodNotAllowed,
            DomainError::PriceAboveCeiling { .. } => ErrorCode::PriceAboveCeiling,
            DomainError::DeadlinePassed { .. } => ErrorCode::DeadlinePassed,
            DomainError::OffersSealed { .. } => ErrorCode::OffersSealed,
            DomainError::AwardNotFollowingRanking { .. } => ErrorCode::AwardNotFollowingRanking,
            DomainError::NotAllowed(_) => ErrorCode::NotAllowed,
            DomainError::Forbidden { .. } => ErrorCode::Forbidden,
            DomainError::NotFound => ErrorCode::NotFound,
            DomainError::DeadlineTooSoon { .. } => ErrorCode::DeadlineTooSoon,
            DomainError::DeadlineAfterFrameworkEnd { .. } => ErrorCode::DeadlineAfterFrameworkEnd,
            DomainError::DecisionBeforeOffers { .. } => ErrorCode::DecisionBeforeOffers,
            DomainError::DateOutOfRange { .. } => ErrorCode::DateOutOfRange,
            DomainError::ProviderNotParty { .. } => ErrorCode::ProviderNotParty,
            DomainError::ModificationWithoutReviewClause { .. } => {
                ErrorCode::ModificationWithoutReviewClause
            }
            DomainError::LegalBasisMissing => ErrorCode::LegalBasisMissing,
            DomainError::DecisionOrganNotCompetent { .. } => ErrorCode::DecisionOrganNotCompetent,
            DomainError::FinancialOpinionMissing { .. } => ErrorCode::FinancialOpinionMissing,
            DomainError::LaunchDecisionMissing => ErrorCode::LaunchDecisionMissing,
            DomainError::BudgetArticleMissing => ErrorCode::BudgetArticleMissing,
            DomainError::TerminationReasonDiffers { .. } => ErrorCode::TerminationReasonDiffers,
            DomainError::ConflictDeclarationMissing => ErrorCode::ConflictDeclarationMissing,
            DomainError::ConflictStatementChanged => ErrorCode::ConflictStatementChanged,
            DomainError::MotivationTooShort { .. } => ErrorCode::MotivationTooShort,
            DomainError::DeadlineNotLater { .. } => ErrorCode::DeadlineNotLater,
            DomainError::ProviderSuspended { .. } => ErrorCode::ProviderSuspended,
            DomainError::QuestionAlreadyAnswered { .. } => ErrorCode::QuestionAlreadyAnswered,
            DomainError::WithdrawalBeforeLaunch { .. } => ErrorCode::WithdrawalBeforeLaunch,
            DomainError::MaximumValueExceeded { .. } => ErrorCode::MaximumValueExceeded,
            DomainError::MaximumValueMissing => ErrorCode::MaximumValueMissing,
            DomainError::DirectCallOffConditionsMissing => {
                ErrorCode::DirectCallOffConditionsMissing
            }
            DomainError::NotDesignatedProvider { .. } => ErrorCode::NotDesignatedProvider,
            DomainError::CallOffThreshold { direct: true, .. } => ErrorCode::DirectCallOffRequired,
            DomainError::CallOffThreshold { direct: false, .. } => ErrorCode::CompetitionRequired,
            DomainError::GuaranteePeriodRunning { .. } => ErrorCode::GuaranteePeriodRunning,
            DomainError::ContractMonthsOutOfRange { .. } => ErrorCode::ContractMonthsOutOfRange,
        }
    }

    /// Raw parameters of the message (ISO dates and instants, numbers, cents, ids, stable
    /// names), never pre-formatted French; `field` names the form field in error.
    pub fn params(&self) -> Value {
        match self {
            DomainError::Rule { params, .. } => Value::Object(params.clone()),
            DomainError::Invalid { field, message } => {
                json!({ "field": field, "message": message })
            }
            DomainError::InvalidTransition { action, state } => match state {
                RecordState::Order(status) => json!({ "kind": "order", "action": action,
                    "order_status": name_of(status) }),
                RecordState::Adhesion(status) => json!({ "kind": "adhesion", "action": action,
                    "adhesion_status": name_of(status) }),
            },
            DomainError::AdhesionNotActive { status } => json!({
                "adhesion_status": status.map_or(Value::String("none".into()), name_of)
            }),
            DomainError::FrameworkNotInForce {
                reference,
                start,
                end,
            } => json!({ "reference": reference, "start": start, "end": end }),
            DomainError::CallOffMethodNotAllowed(asked) => json!({ "kind": match asked {
                CallOffAsked::Competition => "competition",
                CallOffAsked::DirectAward => "direct_award",
            } }),
            DomainError::PriceAboveCeiling {
                line,
                code,
                price,
                ceiling,
            } => json!({ "line": line, "code": code, "price_cents": price.0,
                         "ceiling_cents": ceiling.0 }),
            DomainError::DeadlinePassed { deadline } | DomainError::OffersSealed { deadline } => {
                json!({ "deadline": deadline })
            }
            DomainError::AwardNotFollowingRanking {
                expected,
                expected_provider_id,
            } => json!({ "field": "offer_id", "expected": expected,
                         "expected_provider_id": expected_provider_id }),
            DomainError::NotAllowed(message) => json!({ "message": message }),
            DomainError::NotFound => json!({}),
            DomainError::Forbidden { role, act } => json!({
                "role": role.as_str(),
                "act": act_name(*act),
                "allowed_roles": act.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            }),
            DomainError::DeadlineTooSoon { min_days, earliest } => {
                json!({ "field": "deadline", "min_days": min_days, "earliest": earliest })
            }
            DomainError::DeadlineAfterFrameworkEnd { end } => {
                json!({ "field": "deadline", "end": end })
            }
            DomainError::DecisionBeforeOffers {
                date,
                earliest,
                what,
            } => json!({ "field": "college_decision.date", "date": date,
                         "earliest": earliest, "what": what }),
            DomainError::DateOutOfRange {
                field,
                what,
                date,
                earliest,
                latest,
            } => json!({ "field": field, "what": what, "date": date, "earliest": earliest,
                         "latest": latest }),
            DomainError::ProviderNotParty { provider } => {
                json!({ "field": "providers", "provider": provider })
            }
            DomainError::ModificationWithoutReviewClause { change } => match change {
                Widening::CeilingRaised {
                    line,
                    label,
                    before,
                    after,
                } => json!({ "field": "price_schedule", "kind": "ceiling_raised", "code": line,
                             "line": label, "before_cents": before.0, "after_cents": after.0 }),
                Widening::LineAdded { line, label } => json!({ "field": "price_schedule",
                    "kind": "line_added", "code": line, "line": label }),
                Widening::EndExtended { before, after } => json!({ "field": "end_date",
                    "kind": "end_extended", "before": before, "after": after }),
                Widening::MaximumRaised { before, after } => json!({ "field": "max_value",
                    "kind": "maximum_raised", "before_cents": before.map(|c| c.0),
                    "after_cents": after.map(|c| c.0) }),
                Widening::ContractLengthened { before, after } => json!({
                    "field": "contract_months", "kind": "contract_lengthened",
                    "before": before, "after": after }),
                Widening::PriceFormulaChanged { before, after } => json!({
                    "field": "price_formula", "kind": "price_formula_changed",
                    "before": before, "after": after }),
            },
            DomainError::LegalBasisMissing => json!({ "field": "legal_basis" }),
            DomainError::DecisionOrganNotCompetent { field, act, organ } => {
                json!({ "field": field, "kind": act.as_str(), "organ": organ })
            }
            DomainError::FinancialOpinionMissing {
                field,
                amount_incl_vat,
            } => json!({ "field": field, "amount_incl_vat_cents": amount_incl_vat.0,
                         "threshold_cents": DF_OPINION_THRESHOLD_TVAC_CENTS.0 }),
            DomainError::LaunchDecisionMissing => json!({ "field": "decision" }),
            DomainError::BudgetArticleMissing => json!({ "field": "budget_article" }),
            DomainError::TerminationReasonDiffers { reason } => {
                json!({ "field": "reason", "reason": reason })
            }
            DomainError::ConflictDeclarationMissing | DomainError::ConflictStatementChanged => {
                json!({})
            }
            DomainError::MotivationTooShort {
                field,
                min_chars,
                max_chars,
            } => json!({ "field": field, "min_chars": min_chars, "max_chars": max_chars }),
            DomainError::DeadlineNotLater { current } => {
                json!({ "field": "deadline", "current": current })
            }
            DomainError::ProviderSuspended { provider } => json!({ "provider": provider }),
            DomainError::QuestionAlreadyAnswered { question } => json!({ "question": question }),
            DomainError::WithdrawalBeforeLaunch { date, earliest } => {
                json!({ "field": "college_decision.date", "date": date, "earliest": earliest })
            }
            DomainError::MaximumValueExceeded {
                reference,
                maximum,
                consumed,
                amount,
            } => json!({ "reference": reference, "maximum_cents": maximum.0,
                         "consumed_cents": consumed.0, "amount_cents": amount.0 }),
            DomainError::MaximumValueMissing => json!({ "field": "max_value" }),
            DomainError::ContractMonthsOutOfRange { months, max } => {
                json!({ "field": "contract_months", "months": months, "max": max })
            }
            DomainError::DirectCallOffConditionsMissing => json!({ "field": "direct_call_off" }),
            DomainError::GuaranteePeriodRunning {
                months,
                provisional,
                earliest,
            } => json!({ "field": "date", "months": months, "provisional": provisional,
                         "earliest": earliest }),
            DomainError::NotDesignatedProvider { expected } => {
                json!({ "field": "provider_id", "expected": expected })
            }
            DomainError::CallOffThreshold { amount, up_to, .. } => {
                json!({ "amount_cents": amount.0, "up_to_cents": up_to.0 })
            }
        }
    }

    /// The field in error, when the refusal is about one.
    pub fn field_name(&self) -> Option<String> {
        self.params()
            .get("field")
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// The French sentence, rendered from the catalogue.
    pub fn message_fr(&self) -> String {
        self.code().message_fr(&self.params())
    }

    /// Legacy shorthand for a field validation error with a whole message. New refusals take
    /// their own code: [`DomainError::field`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_fr())
    }
}

impl std::error::Error for DomainError {}

#[cfg(test)]
mod tests;
