//! The order life cycle: draft → submitted → mini-competition → offers opened → evaluated →
//! awarded → purchase order → deploying → provisionally accepted → finally accepted, with the
//! cancelled, withdrawn, no-offer and direct-award branches.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::adhesion::{Adhesion, CollegeDecision};
use crate::catalogue::{FrameworkAgreement, FrameworkTerms};
use crate::evaluation::{QualityScore, Ranking, RankingOutcome};
use crate::money::{Amount, Cents};
use crate::offer::format_brussels;
use crate::DomainError;

/// One need: a line of the price schedule and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NeedLine {
    /// Code of the framework's price line.
    pub price_line_code: String,
    /// Quantity needed (> 0).
    #[schema(value_type = String, example = "9")]
    pub quantity: Decimal,
    /// Precision from the commune.
    #[serde(default)]
    pub note: String,
}

/// What the commune needs, in its own words and in price-schedule lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderNeeds {
    /// Free description of the need.
    pub description: String,
    /// Quantities per price line.
    pub lines: Vec<NeedLine>,
    /// Sites concerned (buildings, streets…).
    #[serde(default)]
    pub sites: Vec<String>,
    /// Desired start.
    #[serde(default)]
    pub desired_start: Option<NaiveDate>,
    /// Desired go-live.
    #[serde(default)]
    pub desired_go_live: Option<NaiveDate>,
    /// Budget excluding VAT, if the commune gives one.
    #[serde(default)]
    pub budget: Option<Cents>,
}

impl OrderNeeds {
    /// Checks the needs against the framework's price schedule.
    pub fn validate(&self, terms: &FrameworkTerms) -> Result<(), DomainError> {
        if self.description.trim().is_empty() {
            return Err(DomainError::invalid(
                "needs.description",
                "Décrivez votre besoin en quelques phrases (exemple : « E-guichet pour les actes d'état civil et de population, pour 2 agents »).",
            ));
        }
        if self.description.chars().count() > 10_000 {
            return Err(DomainError::invalid(
                "needs.description",
                "La description est limitée à 10 000 caractères.",
            ));
        }
        if self.lines.is_empty() {
            return Err(DomainError::invalid(
                "needs.lines",
                "Indiquez au moins une ligne du bordereau de prix avec une quantité.",
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, line) in self.lines.iter().enumerate() {
            let field = format!("needs.lines[{i}]");
            let schedule = terms.price_line(&line.price_line_code).ok_or_else(|| {
                DomainError::invalid(
                    format!("{field}.price_line_code"),
                    format!(
                        "La ligne « {} » n'existe pas dans le bordereau de prix de l'accord-cadre.",
                        line.price_line_code
                    ),
                )
            })?;
            if !seen.insert(&line.price_line_code) {
                return Err(DomainError::invalid(
                    format!("{field}.price_line_code"),
                    format!(
                        "« {} » figure deux fois : regroupez les quantités.",
                        schedule.label_fr
                    ),
                ));
            }
            if line.quantity <= Decimal::ZERO || line.quantity > Decimal::from(1_000_000) {
                return Err(DomainError::invalid(
                    format!("{field}.quantity"),
                    format!(
                        "La quantité pour « {} » doit être supérieure à 0 (exemple : 12).",
                        schedule.label_fr
                    ),
                ));
            }
        }
        if self.sites.len() > 500 || self.sites.iter().any(|s| s.chars().count() > 200) {
            return Err(DomainError::invalid(
                "needs.sites",
                "Indiquez au plus 500 sites de 200 caractères chacun.",
            ));
        }
        if let (Some(start), Some(live)) = (self.desired_start, self.desired_go_live) {
            if live < start {
                return Err(DomainError::invalid(
                    "needs.desired_go_live",
                    "La mise en production souhaitée ne peut pas précéder le début souhaité.",
                ));
            }
        }
        if let Some(budget) = self.budget {
            if budget.0 < 0 {
                return Err(DomainError::invalid(
                    "needs.budget",
                    "Le budget ne peut pas être négatif.",
                ));
            }
        }
        Ok(())
    }

    /// The needs priced at the framework's ceilings (the amount of a direct award).
    pub fn amount_at_ceilings(&self, terms: &FrameworkTerms) -> Result<Amount, DomainError> {
        self.lines
            .iter()
            .try_fold(Amount::default(), |total, line| {
                let schedule = terms.price_line(&line.price_line_code).ok_or_else(|| {
                    DomainError::invalid("needs.lines", "Ligne du bordereau inconnue.")
                })?;
                let excl = schedule
                    .ceiling_cents
                    .times(line.quantity)
                    .ok_or_else(|| DomainError::invalid("needs.lines", "Montant trop élevé."))?;
                Ok(total.plus(Amount::at_rate(excl, schedule.vat_rate)))
            })
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
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

    /// The centrale reopens competition: every active provider of the framework is invited
    /// with the same deadline, at least `min_days` away. Returns the providers to invite.
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
        let terms = framework.check_in_force(today)?;
        let earliest = now + Duration::days(i64::from(min_days));
        if deadline < earliest {
            return Err(DomainError::invalid(
                "deadline",
                format!(
                    "La date limite doit laisser au moins {min_days} jours aux prestataires : choisissez une date après le {}.",
                    format_brussels(earliest)
                ),
            ));
        }
        if deadline > now + Duration::days(365) {
            return Err(DomainError::invalid(
                "deadline",
                "La date limite ne peut pas dépasser un an.",
            ));
        }
        let providers = terms.active_providers();
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

    /// Awards to the offer ranked first, with a justification and the collège decision.
    #[allow(clippy::too_many_arguments)]
    pub fn award(
        &mut self,
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
        if winner.offer_id != offer_id {
            return Err(DomainError::AwardNotFollowingRanking {
                expected: provider_name(winner.provider_id),
            });
        }
        check_justification(&justification)?;
        college_decision.validate(today, "college_decision")?;
        self.award = Some(Award {
            offer_id: Some(offer_id),
            provider_id: winner.provider_id,
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

    /// Awards directly on the framework's terms, where its call-off method allows it.
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
        let terms = framework.check_in_force(today)?;
        if !terms.active_providers().contains(&input.provider_id) {
            return Err(DomainError::invalid(
                "provider_id",
                "Ce prestataire n'est pas (ou plus) actif dans l'accord-cadre.",
            ));
        }
        check_justification(&input.justification)?;
        input.college_decision.validate(today, "college_decision")?;
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
        if acceptance.date > today {
            return Err(DomainError::invalid(
                "date",
                "La date de réception ne peut pas être dans le futur.",
            ));
        }
        self.provisional_acceptance = Some(acceptance);
        self.status = OrderStatus::ProvisionallyAccepted;
        Ok(())
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
        if acceptance.date > today {
            return Err(DomainError::invalid(
                "date",
                "La date de réception ne peut pas être dans le futur.",
            ));
        }
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

    /// The facts every reachable state must satisfy (used by tests and by the server as a
    /// last guard before writing).
    pub fn check_invariants(&self) -> Result<(), String> {
        use OrderStatus::*;
        let s = self.status;
        let after = |states: &[OrderStatus]| states.contains(&s);
        if !matches!(s, Draft | Cancelled) && self.submitted_at.is_none() {
            return Err("submitted without time".into());
        }
        if after(&[CompetitionOpen, OffersOpened, Evaluated, NoOffer]) && self.competition.is_none()
        {
            return Err(format!("{s:?} without competition"));
        }
        if after(&[OffersOpened, Evaluated, NoOffer]) {
            let (Some(opened), Some(deadline)) = (self.opened_at, self.deadline()) else {
                return Err(format!("{s:?} without opening"));
            };
            if opened < deadline {
                return Err("opened before deadline".into());
            }
        }
        if s == Evaluated && self.evaluation.is_none() {
            return Err("evaluated without evaluation".into());
        }
        let awarded = after(&[
            Awarded,
            PurchaseOrderIssued,
            Deploying,
            ProvisionallyAccepted,
            FinallyAccepted,
        ]);
        if awarded != self.award.is_some() {
            return Err(format!("{s:?} and award {:?}", self.award.is_some()));
        }
        if after(&[
            PurchaseOrderIssued,
            Deploying,
            ProvisionallyAccepted,
            FinallyAccepted,
        ]) && self.purchase_order.is_none()
        {
            return Err("no purchase order".into());
        }
        if after(&[ProvisionallyAccepted, FinallyAccepted]) && self.provisional_acceptance.is_none()
        {
            return Err("no provisional acceptance".into());
        }
        if (s == FinallyAccepted) != self.final_acceptance.is_some() {
            return Err("final acceptance mismatch".into());
        }
        if after(&[Cancelled, Withdrawn]) != self.closure.is_some() {
            return Err("closure mismatch".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adhesion::{Adhesion, ConventionTemplate, Signature};
    use crate::catalogue::tests::{date, sample_terms};
    use crate::catalogue::CallOffMethod;
    use crate::evaluation::{evaluate, OfferForScoring};
    use crate::offer::tests::needs;
    use crate::role::Role;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    const P1: Uuid = Uuid::from_u128(1);
    const P2: Uuid = Uuid::from_u128(2);

    fn framework(method: CallOffMethod) -> FrameworkAgreement {
        let mut f = FrameworkAgreement {
            id: Uuid::from_u128(10),
            service_id: Uuid::from_u128(11),
            reference: "CA-2025-01".into(),
            title_fr: "E-guichet".into(),
            call_off_method: method,
            versions: vec![],
        };
        f.publish(sample_terms(&[P1, P2])).unwrap();
        f
    }

    fn active_adhesion() -> Adhesion {
        let t = ConventionTemplate::new(Uuid::nil(), 1, "C".into(), "texte".into());
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        a.record_college_decision(decision(), date(2026, 11, 29))
            .unwrap();
        for (u, r) in [("dg", Role::DirectorGeneral), ("b", Role::Mayor)] {
            a.sign(Signature {
                user_id: u.into(),
                name: u.into(),
                role: r,
                signed_at: now(),
                text_sha256: t.sha256.clone(),
            })
            .unwrap();
        }
        a.countersign(Signature {
            user_id: "c".into(),
            name: "c".into(),
            role: Role::CentraleStaff,
            signed_at: now(),
            text_sha256: t.sha256.clone(),
        })
        .unwrap();
        a.activate(now()).unwrap();
        a
    }

    fn decision() -> CollegeDecision {
        CollegeDecision {
            reference: "COL/2026/99".into(),
            date: date(2026, 11, 20),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 11, 29)
    }

    fn draft(f: &FrameworkAgreement) -> Order {
        Order::new_draft(
            Uuid::now_v7(),
            "84009",
            f,
            "E-guichet 2027".into(),
            needs(),
            "agent",
            now(),
        )
        .unwrap()
    }

    fn evaluation(offers: &[OfferForScoring]) -> EvaluationRecord {
        let criteria = sample_terms(&[P1]).award_criteria;
        let scores: Vec<_> = offers
            .iter()
            .map(|o| QualityScore {
                offer_id: o.offer_id,
                criterion_code: "quality".into(),
                points: dec!(30),
                justification: "Bonne couverture fonctionnelle".into(),
            })
            .collect();
        EvaluationRecord {
            ranking: evaluate(&criteria, offers, &scores).unwrap(),
            quality_scores: scores,
            evaluated_at: now(),
            evaluated_by: "dg".into(),
        }
    }

    fn scoring(id: u128, provider: Uuid, cents: i64) -> OfferForScoring {
        OfferForScoring {
            offer_id: Uuid::from_u128(id),
            provider_id: provider,
            total_excl_vat: Cents(cents),
            submitted_at: now(),
        }
    }

    #[test]
    fn the_whole_life_of_a_call_off() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        let deadline = now() + Duration::days(15);
        let invited = o
            .launch_competition(&f, deadline, 10, now(), today(), "centrale")
            .unwrap();
        assert_eq!(invited, vec![P1, P2]);
        let err = o
            .open_offers(deadline - Duration::seconds(1), 2)
            .unwrap_err();
        assert_eq!(err.code(), "offers_sealed");
        o.open_offers(deadline, 2).unwrap();
        assert_eq!(o.status, OrderStatus::OffersOpened);
        let offers = [scoring(100, P1, 500_000), scoring(200, P2, 400_000)];
        o.record_evaluation(evaluation(&offers)).unwrap();
        let name = |id: Uuid| format!("prestataire {id}");
        let err = o
            .award(
                Uuid::from_u128(100),
                Amount::default(),
                "Meilleure offre selon les critères".into(),
                decision(),
                "dg",
                now(),
                today(),
                name,
            )
            .unwrap_err();
        assert_eq!(err.code(), "award_not_following_ranking");
        o.award(
            Uuid::from_u128(200),
            Amount::default(),
            "Meilleure offre selon les critères".into(),
            decision(),
            "dg",
            now(),
            today(),
            name,
        )
        .unwrap();
        assert_eq!(o.award.as_ref().unwrap().provider_id, P2);
        o.issue_purchase_order("BC-2027-0001".into(), "centrale", now())
            .unwrap();
        o.start_deployment().unwrap();
        let acc = |d| Acceptance {
            date: d,
            remarks: String::new(),
            by: "dg".into(),
            recorded_at: now(),
        };
        assert!(o
            .accept_provisionally(acc(today()), false, today())
            .is_err());
        o.accept_provisionally(acc(today()), true, today()).unwrap();
        assert!(o.accept_finally(acc(date(2026, 11, 28)), today()).is_err());
        o.accept_finally(acc(today()), today()).unwrap();
        assert_eq!(o.status, OrderStatus::FinallyAccepted);
        assert!(o.status.is_final());
        o.check_invariants().unwrap();
    }

    #[test]
    fn no_order_before_adhesion_is_active() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        assert_eq!(
            o.submit(None, &f, now(), today()).unwrap_err().code(),
            "adhesion_not_active"
        );
        let t = ConventionTemplate::new(Uuid::nil(), 1, "C".into(), "texte".into());
        let draft_adhesion = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        assert_eq!(
            o.submit(Some(&draft_adhesion), &f, now(), today())
                .unwrap_err()
                .code(),
            "adhesion_not_active"
        );
        assert_eq!(o.status, OrderStatus::Draft);
    }

    #[test]
    fn no_order_after_framework_end() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        let err = o
            .submit(Some(&active_adhesion()), &f, now(), date(2029, 3, 1))
            .unwrap_err();
        assert_eq!(err.code(), "framework_not_in_force");
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        let err = o
            .launch_competition(
                &f,
                now() + Duration::days(20),
                10,
                now(),
                date(2029, 3, 1),
                "c",
            )
            .unwrap_err();
        assert_eq!(err.code(), "framework_not_in_force");
    }

    #[test]
    fn deadline_respects_minimum_days() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        let err = o
            .launch_competition(&f, now() + Duration::days(9), 10, now(), today(), "c")
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(o.status, OrderStatus::Submitted);
    }

    #[test]
    fn suspended_providers_are_not_invited() {
        let mut f = framework(CallOffMethod::MiniCompetition);
        let mut terms = f.current().unwrap().clone();
        terms.providers[0].status = crate::catalogue::ProviderStatus::Suspended;
        f.publish(terms).unwrap();
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        assert_eq!(o.framework_version, 2);
        let invited = o
            .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
            .unwrap();
        assert_eq!(invited, vec![P2]);
    }

    #[test]
    fn no_offer_branch() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        let deadline = now() + Duration::days(15);
        o.launch_competition(&f, deadline, 10, now(), today(), "c")
            .unwrap();
        o.open_offers(deadline + Duration::hours(1), 0).unwrap();
        assert_eq!(o.status, OrderStatus::NoOffer);
        assert!(o.withdraw("Plus nécessaire".into(), "dg", now()).is_err());
        o.check_invariants().unwrap();
    }

    #[test]
    fn direct_award_only_where_allowed() {
        let f = framework(CallOffMethod::MiniCompetition);
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        let input = || DirectAward {
            provider_id: P1,
            justification: "Seul prestataire disposant du connecteur".into(),
            college_decision: decision(),
        };
        assert_eq!(
            o.direct_award(&f, input(), "dg", now(), today())
                .unwrap_err()
                .code(),
            "call_off_method_not_allowed"
        );
        let direct = framework(CallOffMethod::Direct);
        let mut o = draft(&direct);
        o.submit(Some(&active_adhesion()), &direct, now(), today())
            .unwrap();
        assert!(o
            .launch_competition(&direct, now() + Duration::days(20), 10, now(), today(), "c")
            .is_err());
        o.direct_award(&direct, input(), "dg", now(), today())
            .unwrap();
        let award = o.award.as_ref().unwrap();
        assert!(award.direct);
        assert_eq!(award.amount.excl_vat, Cents(450_000 + 9 * 18_000));
    }

    #[test]
    fn cancel_and_withdraw_in_their_windows() {
        let f = framework(CallOffMethod::Both);
        let mut o = draft(&f);
        assert!(
            o.cancel("x".into(), "dg", now()).is_err(),
            "reason too short"
        );
        assert!(o.withdraw("Budget non voté".into(), "dg", now()).is_err());
        o.cancel("Budget non voté".into(), "dg", now()).unwrap();
        assert_eq!(o.status, OrderStatus::Cancelled);
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        o.launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
            .unwrap();
        assert!(o.cancel("Budget non voté".into(), "dg", now()).is_err());
        o.withdraw("Budget non voté".into(), "dg", now()).unwrap();
        assert_eq!(o.status, OrderStatus::Withdrawn);
    }

    #[test]
    fn drafts_validate_needs() {
        let f = framework(CallOffMethod::Both);
        let mut bad = needs();
        bad.lines[0].quantity = dec!(0);
        let err =
            Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), bad, "a", now()).unwrap_err();
        assert!(err.to_string().contains("supérieure à 0"));
        let mut unknown = needs();
        unknown.lines[0].price_line_code = "nope".into();
        assert!(
            Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), unknown, "a", now()).is_err()
        );
        let mut dup = needs();
        dup.lines[1].price_line_code = "setup".into();
        assert!(
            Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), dup, "a", now()).is_err()
        );
        assert!(
            Order::new_draft(Uuid::now_v7(), "84009", &f, " ".into(), needs(), "a", now()).is_err()
        );
        let mut o = draft(&f);
        o.submit(Some(&active_adhesion()), &f, now(), today())
            .unwrap();
        assert!(o.update_draft(&f, "T".into(), needs()).is_err());
    }

    #[derive(Debug, Clone)]
    enum Action {
        Submit,
        Launch(i64),
        Open(i64, u32),
        Evaluate,
        Award(bool),
        Direct,
        PurchaseOrder,
        Start,
        Provisional(bool),
        Final,
        Cancel,
        Withdraw,
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Submit),
            (5i64..30).prop_map(Action::Launch),
            (-3i64..40, 0u32..3).prop_map(|(d, n)| Action::Open(d, n)),
            Just(Action::Evaluate),
            any::<bool>().prop_map(Action::Award),
            Just(Action::Direct),
            Just(Action::PurchaseOrder),
            Just(Action::Start),
            any::<bool>().prop_map(Action::Provisional),
            Just(Action::Final),
            Just(Action::Cancel),
            Just(Action::Withdraw),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_keeps_a_reachable_state(actions in proptest::collection::vec(action(), 0..25), method in 0u8..3) {
            let method = [CallOffMethod::MiniCompetition, CallOffMethod::Direct, CallOffMethod::Both][method as usize];
            let f = framework(method);
            let adhesion = active_adhesion();
            let mut o = draft(&f);
            for a in actions {
                let before = o.clone();
                let result = match a {
                    Action::Submit => o.submit(Some(&adhesion), &f, now(), today()),
                    Action::Launch(d) => o.launch_competition(&f, now() + Duration::days(d), 10, now(), today(), "c").map(|_| ()),
                    Action::Open(d, n) => o.open_offers(now() + Duration::days(d), n),
                    Action::Evaluate => {
                        let offers: Vec<_> = (0..o.offers_received.unwrap_or(0)).map(|i| scoring(u128::from(i) + 100, if i == 0 { P1 } else { P2 }, 100_000 + i64::from(i))).collect();
                        if offers.is_empty() { Err(DomainError::NotAllowed("none".into())) } else { o.record_evaluation(evaluation(&offers)) }
                    }
                    Action::Award(first) => {
                        let id = o.evaluation.as_ref().and_then(|e| e.ranking.offers.get(if first { 0 } else { 1 })).map(|s| s.offer_id).unwrap_or(Uuid::nil());
                        o.award(id, Amount::default(), "Conforme au classement des offres".into(), decision(), "dg", now(), today(), |_| "x".into())
                    }
                    Action::Direct => o.direct_award(&f, DirectAward { provider_id: P1, justification: "Conditions de l'accord-cadre".into(), college_decision: decision() }, "dg", now(), today()),
                    Action::PurchaseOrder => o.issue_purchase_order("BC-1".into(), "c", now()),
                    Action::Start => o.start_deployment(),
                    Action::Provisional(live) => o.accept_provisionally(Acceptance { date: today(), remarks: String::new(), by: "dg".into(), recorded_at: now() }, live, today()),
                    Action::Final => o.accept_finally(Acceptance { date: today(), remarks: String::new(), by: "dg".into(), recorded_at: now() }, today()),
                    Action::Cancel => o.cancel("Motif valable".into(), "dg", now()),
                    Action::Withdraw => o.withdraw("Motif valable".into(), "dg", now()),
                };
                if result.is_err() {
                    // A refused action changes nothing.
                    prop_assert_eq!(&o, &before);
                }
                if before.status.is_final() {
                    prop_assert_eq!(o.status, before.status);
                }
                prop_assert!(o.check_invariants().is_ok(), "{:?}", o.check_invariants());
            }
        }
    }
}
