//! The order life cycle: draft → submitted → mini-competition → offers opened → evaluated →
//! awarded → purchase order → deploying → provisionally accepted → finally accepted, with the
//! cancelled, withdrawn, no-offer and direct-award branches.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::adhesion::{Adhesion, CollegeDecision};
use crate::catalogue::FrameworkAgreement;
use crate::evaluation::{QualityScore, Ranking, RankingOutcome};
use crate::money::Amount;
use crate::time::{brussels_today, calendar_days_after, end_of_brussels_day, format_brussels};
use crate::DomainError;

pub use crate::needs::{NeedLine, OrderNeeds};

/// Minimum calendar days between launching a mini-competition and its deadline, unless the
/// server is configured otherwise (no statutory minimum exists for a mini-competition: the
/// time limit must be « sufficiently long », Dir. 2014/24 art. 33(5)(b); ten days is the
/// centrale's choice).
pub const DEFAULT_MIN_COMPETITION_DAYS: u32 = 10;

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

    /// No further transition possible.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::FinallyAccepted
                | OrderStatus::Cancelled
                | OrderStatus::Withdrawn
                | OrderStatus::NoOffer
        )
    }
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
    pub college_decision: CollegeDecision,
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
}

/// Input of a direct award on the framework's terms.
#[derive(Debug, Clone)]
pub struct DirectAward {
    /// The provider chosen.
    pub provider_id: Uuid,
    /// Reasons.
    pub justification: String,
    /// The collège decision.
    pub college_decision: CollegeDecision,
}

fn check_title(title: &str) -> Result<(), DomainError> {
    let len = title.trim().chars().count();
    if len == 0 || len > 200 {
        return Err(DomainError::invalid(
            "title",
            "Donnez un titre à votre demande (200 caractères au plus), par exemple « E-guichet état civil 2027 ».",
        ));
    }
    Ok(())
}

fn check_reason(reason: &str) -> Result<(), DomainError> {
    let len = reason.trim().chars().count();
    if !(5..=2000).contains(&len) {
        return Err(DomainError::invalid(
            "reason",
            "Indiquez le motif en une phrase (5 à 2 000 caractères).",
        ));
    }
    Ok(())
}

fn check_justification(text: &str) -> Result<(), DomainError> {
    let len = text.trim().chars().count();
    if !(20..=10_000).contains(&len) {
        return Err(DomainError::invalid(
            "justification",
            "Motivez la décision d'attribution (au moins 20 caractères) : critères, notes et raisons du choix.",
        ));
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
        })
    }

    fn refuse(&self, action: &'static str, hint: &str) -> DomainError {
        DomainError::InvalidTransition {
            action,
            current: format!("la commande est « {} »", self.status.label_fr()),
            hint: hint.to_string(),
        }
    }

    fn expect(
        &self,
        allowed: &[OrderStatus],
        action: &'static str,
        hint: &str,
    ) -> Result<(), DomainError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(self.refuse(action, hint))
        }
    }

    /// Edits a draft.
    pub fn update_draft(
        &mut self,
        framework: &FrameworkAgreement,
        title: String,
        needs: OrderNeeds,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Draft],
            "order.update_draft",
            "Seul un brouillon peut être modifié.",
        )?;
        let terms = framework.current()?;
        check_title(&title)?;
        needs.validate(terms)?;
        self.title = title;
        self.needs = needs;
        self.framework_version = terms.version;
        Ok(())
    }

    /// Sends the request to the centrale: adhesion active, framework in force, needs valid.
    /// The order is pinned to the framework version in force at that moment.
    pub fn submit(
        &mut self,
        adhesion: Option<&Adhesion>,
        framework: &FrameworkAgreement,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Draft],
            "order.submit",
            "Cette demande a déjà été envoyée.",
        )?;
        match adhesion {
            Some(a) => a.check_allows_orders()?,
            None => {
                return Err(DomainError::AdhesionNotActive {
                    status: "aucune convention signée".into(),
                })
            }
        }
        let terms = framework.check_in_force(today)?;
        self.needs.validate(terms)?;
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
        self.expect(
            &[OrderStatus::Submitted],
            "order.launch_competition",
            "La remise en concurrence se lance sur une demande envoyée par la commune.",
        )?;
        if !framework.call_off_method.allows_mini_competition() {
            return Err(DomainError::CallOffMethodNotAllowed(
                "Cet accord-cadre ne prévoit pas de remise en concurrence : la commande se passe directement aux conditions de l'accord-cadre.".into(),
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
            return Err(DomainError::invalid(
                "deadline",
                "La date limite ne peut pas dépasser un an.",
            ));
        }
        let providers = framework.callable_providers(self.framework_version)?;
        if providers.is_empty() {
            return Err(DomainError::NotAllowed(
                "Aucun prestataire actif dans cet accord-cadre ne peut recevoir d'invitation."
                    .into(),
            ));
        }
        self.status = OrderStatus::CompetitionOpen;
        self.competition = Some(Competition {
            launched_at: now,
            deadline,
            invited_provider_ids: providers.clone(),
            launched_by: by.to_string(),
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
        self.expect(
            &[OrderStatus::CompetitionOpen],
            "order.open_offers",
            "Les offres ne s'ouvrent qu'une fois, à l'issue de la remise en concurrence.",
        )?;
        let deadline = self
            .deadline()
            .ok_or_else(|| self.refuse("order.open_offers", ""))?;
        if now < deadline {
            return Err(DomainError::OffersSealed {
                deadline: format_brussels(deadline),
            });
        }
        self.opened_at = Some(now);
        self.offers_received = Some(offers);
        self.status = if offers == 0 {
            OrderStatus::NoOffer
        } else {
            OrderStatus::OffersOpened
        };
        Ok(())
    }

    /// Refuses an evaluation outside the window between opening and award.
    pub fn check_evaluable(&self) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::OffersOpened, OrderStatus::Evaluated],
            "order.evaluate",
            "L'évaluation se fait après l'ouverture des offres et avant l'attribution.",
        )
    }

    /// Records the evaluation (may be corrected until the award).
    pub fn record_evaluation(&mut self, evaluation: EvaluationRecord) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::OffersOpened, OrderStatus::Evaluated],
            "order.evaluate",
            "L'évaluation se fait après l'ouverture des offres et avant l'attribution.",
        )?;
        if evaluation.ranking.outcome == RankingOutcome::NoOffer {
            return Err(DomainError::NotAllowed("Aucune offre à évaluer.".into()));
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
        college_decision: CollegeDecision,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
        provider_name: impl Fn(Uuid) -> String,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Evaluated],
            "order.award",
            "Évaluez d'abord les offres : l'attribution suit le classement.",
        )?;
        let ranking = &self
            .evaluation
            .as_ref()
            .ok_or_else(|| self.refuse("order.award", "Évaluez d'abord les offres."))?
            .ranking;
        let winner = ranking
            .winner()
            .ok_or_else(|| DomainError::NotAllowed("Aucune offre à attribuer.".into()))?;
        // Any offer ranked first: with a perfect tie (ex æquo), the one the lots designated.
        let Some(chosen) = ranking
            .offers
            .iter()
            .find(|o| o.offer_id == offer_id && o.rank == 1)
        else {
            return Err(DomainError::AwardNotFollowingRanking {
                expected: provider_name(winner.provider_id),
            });
        };
        framework.check_in_force(today)?;
        check_justification(&justification)?;
        college_decision.validate(today, "college_decision")?;
        if let Some(opened) = self.opened_at {
            let earliest = brussels_today(opened);
            if college_decision.date < earliest {
                return Err(DomainError::DecisionBeforeOffers {
                    date: college_decision.date,
                    earliest,
                    what: "l'ouverture des offres",
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

    /// Awards directly on the framework's terms, where its call-off method allows it: to a
    /// provider party to the order's framework version, priced at that version's ceilings (the
    /// terms the commune ordered under), while the framework is in force. The decision cannot
    /// be dated before the request it decides on.
    pub fn direct_award(
        &mut self,
        framework: &FrameworkAgreement,
        input: DirectAward,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Submitted],
            "order.direct_award",
            "L'attribution directe se fait sur une demande envoyée, avant toute remise en concurrence.",
        )?;
        if !framework.call_off_method.allows_direct() {
            return Err(DomainError::CallOffMethodNotAllowed(
                "Cet accord-cadre impose une remise en concurrence entre ses prestataires : l'attribution directe n'est pas permise.".into(),
            ));
        }
        framework.check_in_force(today)?;
        if !framework
            .callable_providers(self.framework_version)?
            .contains(&input.provider_id)
        {
            return Err(DomainError::invalid(
                "provider_id",
                "Ce prestataire n'est pas (ou plus) actif dans l'accord-cadre.",
            ));
        }
        // Issue 11 rule 5 (Dir. 2014/24 art. 33(4)): the framework's conditions decide whether
        // the order is placed directly and with whom; the commune chooses neither.
        self.check_threshold(framework, true)?;
        let expected = framework.designated_provider(self.framework_version)?;
        if input.provider_id != expected {
            return Err(DomainError::NotDesignatedProvider { expected });
        }
        check_justification(&input.justification)?;
        input.college_decision.validate(today, "college_decision")?;
        if let Some(submitted) = self.submitted_at {
            let earliest = brussels_today(submitted);
            if input.college_decision.date < earliest {
                return Err(DomainError::DecisionBeforeOffers {
                    date: input.college_decision.date,
                    earliest,
                    what: "la demande de la commune",
                });
            }
        }
        let terms = framework.pinned(self.framework_version)?;
        let amount = self.needs.amount_at_ceilings(terms)?;
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
    pub fn issue_purchase_order(
        &mut self,
        reference: String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Awarded],
            "order.issue_purchase_order",
            "Le bon de commande suit l'attribution.",
        )?;
        let len = reference.trim().chars().count();
        if len == 0 || len > 100 {
            return Err(DomainError::invalid(
                "reference",
                "Indiquez la référence du bon de commande (exemple : BC-2027-0042).",
            ));
        }
        self.purchase_order = Some(PurchaseOrder {
            reference,
            issued_at: now,
            issued_by: by.to_string(),
        });
        self.status = OrderStatus::PurchaseOrderIssued;
        Ok(())
    }

    /// The deployment starts (the kick-off took place).
    pub fn start_deployment(&mut self) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::PurchaseOrderIssued],
            "order.start_deployment",
            "Le déploiement commence après l'émission du bon de commande.",
        )?;
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
        self.expect(
            &[OrderStatus::Deploying],
            "order.accept_provisional",
            "La réception provisoire se fait pendant le déploiement, après la mise en production.",
        )?;
        if !go_live_done {
            return Err(DomainError::NotAllowed(
                "La réception provisoire suit la mise en production : le jalon « Mise en production » n'est pas encore réalisé.".into(),
            ));
        }
        crate::time::check_past_act_date(
            "date",
            "La date de la réception provisoire (pas avant l'attribution, pas dans le futur)",
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
        self.expect(
            &[OrderStatus::ProvisionallyAccepted],
            "order.accept_final",
            "La réception définitive suit la réception provisoire.",
        )?;
        crate::time::check_past_act_date(
            "date",
            "La date de la réception définitive (pas avant l'attribution, pas dans le futur)",
            acceptance.date,
            self.awarded_on(),
            today,
        )?;
        if let Some(provisional) = &self.provisional_acceptance {
            if acceptance.date < provisional.date {
                return Err(DomainError::invalid(
                    "date",
                    "La réception définitive ne peut pas précéder la réception provisoire.",
                ));
            }
        }
        self.final_acceptance = Some(acceptance);
        self.status = OrderStatus::FinallyAccepted;
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

    /// The commune cancels before any competition.
    pub fn cancel(
        &mut self,
        reason: String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(
            &[OrderStatus::Draft, OrderStatus::Submitted],
            "order.cancel",
            "Une fois la remise en concurrence lancée, la commande peut être retirée, pas annulée.",
        )?;
        check_reason(&reason)?;
        self.closure = Some(Closure {
            reason,
            at: now,
            by: by.to_string(),
        });
        self.status = OrderStatus::Cancelled;
        Ok(())
    }

    /// The commune withdraws after the invitations and before the award.
    pub fn withdraw(
        &mut self,
        reason: String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.expect(
            &[
                OrderStatus::CompetitionOpen,
                OrderStatus::OffersOpened,
                OrderStatus::Evaluated,
            ],
            "order.withdraw",
            "Une commande se retire pendant la remise en concurrence, avant l'attribution.",
        )?;
        check_reason(&reason)?;
        self.closure = Some(Closure {
            reason,
            at: now,
            by: by.to_string(),
        });
        self.status = OrderStatus::Withdrawn;
        Ok(())
    }
}

mod invariants;

#[cfg(test)]
mod tests;
