//! One order in full: its needs, the framework terms it is made under, invitations, the opened
//! offers side by side, the evaluation, the award and the deployment.

use std::collections::HashMap;

use centrale_domain::adhesion::{financial_opinion_required, Decision};
use centrale_domain::catalogue::{
    CriterionKind, FrameworkAgreement, FrameworkTerms, Provider, ProviderStatus,
};
use centrale_domain::deployment::Milestone;
use centrale_domain::evaluation::RankingOutcome;
use centrale_domain::money::{Amount, Cents};
use centrale_domain::offer::{Invitation, InvitationStatus, Offer};
use centrale_domain::order::{
    no_conflict_statement_sha256, Acceptance, Closure, Competition, ConflictDeclaration,
    LaunchDecision, Order, OrderStatus, PriceJustificationRequest, PurchaseOrder, Question,
    SetAside, NO_CONFLICT_STATEMENT_FR,
};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::{terms_view, CriterionView, FrameworkProviderView, TermsView};
use super::deployments::{self, MilestoneView, Progress};
use super::live::{self, Live, Names};
use super::orders::{next_action, NextAction};
use crate::error::Result;

/// The decisions an order asks of the commune and what they need (CDLD L1222-3, L1222-4,
/// L1124-40), and the declarations of absence of conflict of interest (law of 17 June 2016
/// art. 6): all decided by the domain, the screen only shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionsView {
    /// The decision that launched the order (recorded when it was sent).
    pub launch_decision: Option<LaunchDecision>,
    /// Sending the order needs the directeur financier's opinion (its estimate at the
    /// ceilings exceeds 22 000 € TVAC).
    pub launch_opinion_required: bool,
    /// The award needs the directeur financier's opinion (the offer ranked first, or the
    /// needs at the ceilings for a direct award, exceeds 22 000 € TVAC).
    pub award_opinion_required: bool,
    /// Who has declared no conflict of interest, and when.
    pub conflict_declarations: Vec<ConflictDeclaration>,
    /// The statement to declare (French).
    pub conflict_statement: String,
    /// Its SHA-256 (sent back with the declaration).
    pub conflict_statement_sha256: String,
    /// The signed-in account has declared on this order.
    pub declared_by_me: bool,
}

/// The order itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderSummary {
    /// Order id.
    pub id: Uuid,
    /// Short title.
    pub title: String,
    /// The commune ordering.
    pub commune_nis: String,
    /// The service.
    pub service_id: Uuid,
    /// Its name, when on this PC.
    pub service_name: Option<String>,
    /// The framework agreement.
    pub framework_id: Uuid,
    /// Its reference, when on this PC.
    pub framework_reference: Option<String>,
    /// The framework version the order is made under.
    pub framework_version: u32,
    /// Where it stands.
    pub status: OrderStatus,
    /// Author.
    pub created_by: String,
    /// Created (server time).
    pub created_at: DateTime<Utc>,
    /// Submitted (server time).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The reopening of competition.
    pub competition: Option<Competition>,
    /// When the offers were opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// Number of offers opened.
    pub offers_received: Option<u32>,
    /// Cancellation or withdrawal.
    pub closure: Option<Closure>,
    /// The competitions that received no offer before the current one (relaunches).
    pub earlier_competitions: Vec<Competition>,
    /// A relaunched competition again received no offer: the commune may buy elsewhere.
    pub may_buy_elsewhere: bool,
    /// The providers' questions during the competition (without who asked).
    pub questions: Vec<Question>,
    /// The opened offers set aside as irregular (left out of the comparison and the ranking).
    pub set_aside: Vec<SetAside>,
    /// The requests to justify prices (abnormally low offers), with the answers.
    pub price_requests: Vec<PriceJustificationRequest>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// One need, priced at the framework's ceiling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedLineView {
    /// Price line code.
    pub price_line_code: String,
    /// Label (French), when the line is in the terms.
    pub label: Option<String>,
    /// Unit (French).
    pub unit: Option<String>,
    /// Quantity needed.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// The commune's precision.
    pub note: String,
    /// Ceiling unit price excluding VAT.
    pub ceiling_excl_vat: Option<Cents>,
    /// Ceiling × quantity.
    pub amount_at_ceiling: Option<Amount>,
}

/// The commune's needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedsView {
    /// Free description.
    pub description: String,
    /// Lines.
    pub lines: Vec<NeedLineView>,
    /// Sites.
    pub sites: Vec<String>,
    /// Desired start.
    pub desired_start: Option<NaiveDate>,
    /// Desired go-live.
    pub desired_go_live: Option<NaiveDate>,
    /// Budget including VAT (issue 11 rule 9).
    pub budget: Option<Cents>,
    /// Every line at its ceiling (the most the order can cost).
    pub total_at_ceilings: Amount,
}

/// One provider's invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InvitationRow {
    /// Invitation id.
    pub id: Uuid,
    /// The provider.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// Where it stands.
    pub status: InvitationStatus,
    /// True once the provider has submitted an offer (its content stays sealed until
    /// the deadline).
    pub offer_submitted: bool,
    /// Time of the last submission.
    pub offer_submitted_at: Option<DateTime<Utc>>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Deadline for offers.
    pub deadline: DateTime<Utc>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// One opened offer: a column of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferColumn {
    /// Offer id.
    pub offer_id: Uuid,
    /// The provider.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// 1 for the first submission, +1 per replacement.
    pub revision: u32,
    /// Time of the last submission.
    pub submitted_at: DateTime<Utc>,
    /// Total excluding and including VAT.
    pub total: Amount,
    /// Lead time in days from the purchase order.
    pub lead_time_days: u32,
    /// Technical notes.
    pub notes: String,
    /// Hash given as a receipt.
    pub content_sha256: String,
    /// Rank in the evaluation, once evaluated.
    pub rank: Option<u32>,
    /// True for the lowest total excluding VAT (every offer tied for it).
    pub lowest_total: bool,
    /// True for the shortest lead time (every offer tied for it).
    pub shortest_lead_time: bool,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// One offer's price on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferCell {
    /// Offered unit price excluding VAT.
    pub unit_price_excl_vat: Cents,
    /// VAT rate in percent.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub vat_rate_percent: Decimal,
    /// Line amount excluding and including VAT.
    pub amount: Amount,
    /// The framework's ceiling for the unit price, excluding VAT.
    pub ceiling_excl_vat: Option<Cents>,
    /// True when the unit price is at most the ceiling.
    pub within_ceiling: bool,
    /// True for the lowest unit price on the line (every offer tied for it).
    pub best: bool,
}

/// One line of the comparison: the same line in every offer, in the columns' order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComparisonRow {
    /// Price line code.
    pub price_line_code: String,
    /// Label (French), when the line is in the terms.
    pub label: Option<String>,
    /// Unit (French).
    pub unit: Option<String>,
    /// Quantity.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// The framework's ceiling, excluding VAT.
    pub ceiling_excl_vat: Option<Cents>,
    /// The framework's ceiling, including VAT.
    pub ceiling_incl_vat: Option<Cents>,
    /// How often the line is paid over the call-off's contract (a yearly licence is priced
    /// once a year), when the line is in the terms.
    pub recurrence: Option<centrale_domain::catalogue::Recurrence>,
    /// The call-off's contract length, in months (the offers are priced over it).
    pub contract_months: Option<u32>,
    /// One cell per column; none when an offer does not price the line.
    pub cells: Vec<Option<OfferCell>>,
}

/// The opened offers side by side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferComparison {
    /// One column per offer: by rank once evaluated, else by provider name.
    pub columns: Vec<OfferColumn>,
    /// The lines of the needs, in the needs' order.
    pub rows: Vec<ComparisonRow>,
}

/// A score on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScoreView {
    /// Criterion code.
    pub criterion_code: String,
    /// Label (French), when the criterion is in the terms.
    pub label: Option<String>,
    /// Price or quality.
    pub kind: Option<CriterionKind>,
    /// Out of.
    pub weight: u32,
    /// Points obtained.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub points: Decimal,
    /// The commune's reasons (quality criteria).
    pub justification: Option<String>,
}

/// One offer in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RankedOffer {
    /// 1 = best.
    pub rank: u32,
    /// The offer.
    pub offer_id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// The provider's name, when on this PC.
    pub provider_name: Option<String>,
    /// Total excluding VAT (the price the price score is computed on).
    pub total_excl_vat: Cents,
    /// Per criterion, in the framework's order.
    pub scores: Vec<ScoreView>,
    /// The price criterion's points, if the framework has one.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub price_score: Option<Decimal>,
    /// Weighted total.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub total: Decimal,
}

/// The evaluation recorded by the commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationView {
    /// How the ranking came about (ties and how they were broken).
    pub outcome: RankingOutcome,
    /// When.
    pub evaluated_at: DateTime<Utc>,
    /// Who.
    pub evaluated_by: String,
    /// The criteria and weights of the terms the order is made under.
    pub criteria: Vec<CriterionView>,
    /// Best first.
    pub ranking: Vec<RankedOffer>,
}

/// The award decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardView {
    /// The winning offer (none for a direct award).
    pub offer_id: Option<Uuid>,
    /// The winner.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// True for a direct award on the framework's terms.
    pub direct: bool,
    /// Amount awarded.
    pub amount: Amount,
    /// Reasons.
    pub justification: String,
    /// The collège decision.
    pub college_decision: Decision,
    /// Server time.
    pub awarded_at: DateTime<Utc>,
    /// Who recorded it.
    pub awarded_by: String,
}

/// One order in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderDetail {
    /// The order.
    pub order: OrderSummary,
    /// What the commune needs.
    pub needs: NeedsView,
    /// The framework's terms at the version the order is made under, when on this PC.
    pub terms: Option<TermsView>,
    /// One per invited provider.
    pub invitations: Vec<InvitationRow>,
    /// The opened offers side by side (empty before the opening).
    pub comparison: OfferComparison,
    /// The evaluation.
    pub evaluation: Option<EvaluationView>,
    /// The award.
    pub award: Option<AwardView>,
    /// The purchase order.
    pub purchase_order: Option<PurchaseOrder>,
    /// Provisional acceptance.
    pub provisional_acceptance: Option<Acceptance>,
    /// Final acceptance.
    pub final_acceptance: Option<Acceptance>,
    /// Deployment milestones in order.
    pub milestones: Vec<MilestoneView>,
    /// Done / total / late.
    pub progress: Progress,
    /// What the order waits for.
    pub next_action: Option<NextAction>,
    /// The decisions and declarations.
    pub decisions: DecisionsView,
    /// The merged commune the order came from (issue 11 rule 17), if any.
    pub formerly: Option<centrale_domain::commune::Succession>,
    /// Who the signed-in account signs as for this commune today (the signatories' acts:
    /// withdrawal, setting aside, award, acceptances): the titular, or a substitute on a day
    /// their substitution covers; none for anyone else.
    pub signer: Option<super::adhesion::SignerView>,
    /// Before the award, under a framework with direct call-offs: who the framework's
    /// conditions designate for this commune's direct call-off, and why (issue 11 rule 5).
    pub designation: Option<super::catalogue::DesignationView>,
    /// The interoperability sheet of each party's solution under the pinned version, with
    /// what each works with among the solutions the order's commune already runs (issue 16
    /// §1), for the comparison of offers.
    pub interoperability: Vec<super::interoperability::SolutionSheetView>,
    /// The intercommunale's accompaniment services ordered with this call-off (issue 16 §2;
    /// cancelled ones left out), planned beside the provider's milestones.
    pub accompaniments: Vec<super::accompaniment::AccompanimentRow>,
    /// The pooled call-off the order is part of (issue 16 §4): its launch, offers and
    /// analysis are the pool's, its decision and purchase order the commune's own.
    pub pool: Option<super::pool::PoolLink>,
}

/// The pinned version's providers as a competition launched now would reach them, as the
/// server decides (`FrameworkAgreement::callable_providers`): one suspended or replaced since
/// shows its status in force, and a successor shows active in its predecessor's place.
fn callable_now(
    view: &mut TermsView,
    framework: &FrameworkAgreement,
    pinned: u32,
    names: &HashMap<Uuid, Provider>,
) {
    let (Ok(callable), Ok(current)) = (framework.callable_providers(pinned), framework.current())
    else {
        return;
    };
    let status_now = |id: Uuid| {
        current
            .providers
            .iter()
            .find(|p| p.provider_id == id)
            .map(|p| p.status)
    };
    for p in &mut view.providers {
        if p.status == ProviderStatus::Active && !callable.contains(&p.provider_id) {
            p.status = status_now(p.provider_id).unwrap_or(ProviderStatus::Suspended);
        }
    }
    for id in callable {
        if !view.providers.iter().any(|p| p.provider_id == id) {
            let p = names.get(&id);
            view.providers.push(FrameworkProviderView {
                provider_id: id,
                name: p.map(|p| p.name.clone()),
                enterprise_number: p.map(|p| p.enterprise_number.formatted()),
                contact_email: p.map(|p| p.contact_email.clone()),
                status: ProviderStatus::Active,
            });
        }
    }
}

pub(crate) fn needs_view(order: &Order, terms: Option<&FrameworkTerms>) -> NeedsView {
    let mut total = Amount::default();
    let lines = order
        .needs
        .lines
        .iter()
        .map(|n| {
            let line = terms.and_then(|t| t.price_line(&n.price_line_code));
            // Over the call-off's contract, as the offers are priced (issue 11 rule 9): a
            // yearly line's ceiling counts once a year, so the offers and their ceiling compare.
            let amount = terms.zip(line).and_then(|(t, l)| {
                centrale_domain::value::line_total(
                    l.ceiling_cents,
                    n.quantity,
                    l.recurrence.periods(t.contract_months),
                )
                .map(|excl| Amount::at_rate(excl, l.vat_rate))
            });
            if let Some(a) = amount {
                total = total.plus(a);
            }
            NeedLineView {
                price_line_code: n.price_line_code.clone(),
                label: line.map(|l| l.label_fr.clone()),
                unit: line.map(|l| l.unit_fr.clone()),
                quantity: n.quantity,
                note: n.note.clone(),
                ceiling_excl_vat: line.map(|l| l.ceiling_cents),
                amount_at_ceiling: amount,
            }
        })
        .collect();
    NeedsView {
        description: order.needs.description.clone(),
        lines,
        sites: order.needs.sites.clone(),
        desired_start: order.needs.desired_start,
        desired_go_live: order.needs.desired_go_live,
        budget: order.needs.budget,
        total_at_ceilings: total,
    }
}

fn comparison(
    order: &Order,
    offers: Vec<Live<Offer>>,
    terms: Option<&FrameworkTerms>,
    names: &Names,
) -> OfferComparison {
    // An offer set aside as irregular leaves the comparison (the order lists it apart).
    let offers: Vec<Live<Offer>> = offers
        .into_iter()
        .filter(|o| !order.is_set_aside(o.body.id))
        .collect();
    if offers.is_empty() {
        return OfferComparison::default();
    }
    let ranks: HashMap<Uuid, u32> = order
        .evaluation
        .iter()
        .flat_map(|e| e.ranking.offers.iter().map(|s| (s.offer_id, s.rank)))
        .collect();
    let mut offers: Vec<(Option<String>, Live<Offer>)> = offers
        .into_iter()
        .map(|o| (names.provider(o.body.provider_id), o))
        .collect();
    offers.sort_by(|(na, a), (nb, b)| {
        let rank = |o: &Offer| ranks.get(&o.id).copied().unwrap_or(u32::MAX);
        rank(&a.body)
            .cmp(&rank(&b.body))
            .then_with(|| na.cmp(nb))
            .then(a.body.provider_id.cmp(&b.body.provider_id))
    });
    let lowest_total = offers.iter().map(|(_, o)| o.body.total.excl_vat).min();
    let shortest = offers.iter().map(|(_, o)| o.body.lead_time_days).min();

    // Rows: the needs' lines in order, then any line an offer prices beyond them.
    let mut codes: Vec<(String, Decimal)> = order
        .needs
        .lines
        .iter()
        .map(|n| (n.price_line_code.clone(), n.quantity))
        .collect();
    for (_, o) in &offers {
        for l in &o.body.lines {
            if !codes.iter().any(|(c, _)| *c == l.price_line_code) {
                codes.push((l.price_line_code.clone(), l.quantity));
            }
        }
    }
    let rows = codes
        .into_iter()
        .map(|(code, quantity)| {
            let line = terms.and_then(|t| t.price_line(&code));
            let ceiling = line.map(|l| l.ceiling_cents);
            let prices: Vec<Option<&centrale_domain::offer::OfferLine>> = offers
                .iter()
                .map(|(_, o)| o.body.lines.iter().find(|l| l.price_line_code == code))
                .collect();
            let best = prices.iter().flatten().map(|l| l.unit_price_cents).min();
            ComparisonRow {
                label: line.map(|l| l.label_fr.clone()),
                unit: line.map(|l| l.unit_fr.clone()),
                quantity,
                ceiling_excl_vat: ceiling,
                ceiling_incl_vat: line
                    .map(|l| Amount::at_rate(l.ceiling_cents, l.vat_rate).incl_vat),
                recurrence: line.map(|l| l.recurrence),
                contract_months: terms.map(|t| t.contract_months),
                cells: prices
                    .into_iter()
                    .map(|p| {
                        p.map(|l| OfferCell {
                            unit_price_excl_vat: l.unit_price_cents,
                            vat_rate_percent: l.vat_rate.0,
                            amount: l.amount,
                            ceiling_excl_vat: ceiling,
                            within_ceiling: ceiling.is_none_or(|c| l.unit_price_cents <= c),
                            best: Some(l.unit_price_cents) == best,
                        })
                    })
                    .collect(),
                price_line_code: code,
            }
        })
        .collect();
    let columns = offers
        .into_iter()
        .map(|(provider_name, o)| {
            let b = o.body;
            OfferColumn {
                rank: ranks.get(&b.id).copied(),
                lowest_total: Some(b.total.excl_vat) == lowest_total,
                shortest_lead_time: Some(b.lead_time_days) == shortest,
                offer_id: b.id,
                provider_id: b.provider_id,
                provider_name,
                revision: b.revision,
                submitted_at: b.submitted_at,
                total: b.total,
                lead_time_days: b.lead_time_days,
                notes: b.notes,
                content_sha256: b.content_sha256,
                pending: o.pending,
            }
        })
        .collect();
    OfferComparison { columns, rows }
}

fn evaluation(
    order: &Order,
    terms: Option<&FrameworkTerms>,
    names: &Names,
) -> Option<EvaluationView> {
    let e = order.evaluation.as_ref()?;
    let criterion =
        |code: &str| terms.and_then(|t| t.award_criteria.iter().find(|c| c.code == code));
    Some(EvaluationView {
        outcome: e.ranking.outcome,
        evaluated_at: e.evaluated_at,
        evaluated_by: e.evaluated_by.clone(),
        criteria: terms
            .map(|t| {
                t.award_criteria
                    .iter()
                    .map(|c| CriterionView {
                        code: c.code.clone(),
                        label: c.label_fr.clone(),
                        weight: c.weight,
                        kind: c.kind,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ranking: e
            .ranking
            .offers
            .iter()
            .map(|s| {
                let scores: Vec<ScoreView> = s
                    .scores
                    .iter()
                    .map(|cs| {
                        let c = criterion(&cs.criterion_code);
                        ScoreView {
                            criterion_code: cs.criterion_code.clone(),
                            label: c.map(|c| c.label_fr.clone()),
                            kind: c.map(|c| c.kind),
                            weight: cs.weight,
                            points: cs.points,
                            justification: e
                                .quality_scores
                                .iter()
                                .find(|q| {
                                    q.offer_id == s.offer_id
                                        && q.criterion_code == cs.criterion_code
                                })
                                .map(|q| q.justification.clone()),
                        }
                    })
                    .collect();
                RankedOffer {
                    rank: s.rank,
                    offer_id: s.offer_id,
                    provider_id: s.provider_id,
                    provider_name: names.provider(s.provider_id),
                    total_excl_vat: s.total_excl_vat,
                    price_score: scores
                        .iter()
                        .find(|sv| sv.kind == Some(CriterionKind::Price))
                        .map(|sv| sv.points),
                    scores,
                    total: s.total,
                }
            })
            .collect(),
    })
}

/// One order in full, on `today` (for late milestones).
pub(crate) fn detail(
    conn: &Connection,
    order_id: Uuid,
    today: NaiveDate,
) -> Result<Option<OrderDetail>> {
    let id = order_id.to_string();
    let Some(order) = live::one::<Order>(conn, RecordKind::Order, &id)? else {
        return Ok(None);
    };
    let pending = order.pending;
    let order = order.body;
    let names = Names::load(conn)?;
    let framework = live::one::<FrameworkAgreement>(
        conn,
        RecordKind::Framework,
        &order.framework_id.to_string(),
    )?
    .map(|f| f.body);
    let terms = framework
        .as_ref()
        .and_then(|f| f.version(order.framework_version));
    let invitations = live::children::<Invitation>(conn, RecordKind::Invitation, &id)?;
    let offers = live::children::<Offer>(conn, RecordKind::Offer, &id)?;
    let milestones = deployments::views(
        live::children::<Milestone>(conn, RecordKind::Milestone, &id)?,
        today,
    );
    let mut invitations: Vec<InvitationRow> = invitations
        .into_iter()
        .map(|i| {
            let b = i.body;
            InvitationRow {
                id: b.id,
                provider_id: b.provider_id,
                provider_name: names.provider(b.provider_id),
                offer_submitted: b.offer_submitted_at.is_some()
                    || b.status == InvitationStatus::OfferSubmitted,
                status: b.status,
                offer_submitted_at: b.offer_submitted_at,
                sent_at: b.sent_at,
                deadline: b.deadline,
                pending: i.pending,
            }
        })
        .collect();
    invitations.sort_by(|a, b| {
        a.provider_name
            .cmp(&b.provider_name)
            .then(a.provider_id.cmp(&b.provider_id))
    });
    let award = order.award.as_ref().map(|a| AwardView {
        offer_id: a.offer_id,
        provider_id: a.provider_id,
        provider_name: names.provider(a.provider_id),
        direct: a.direct,
        amount: a.amount,
        justification: a.justification.clone(),
        college_decision: a.college_decision.clone(),
        awarded_at: a.awarded_at,
        awarded_by: a.awarded_by.clone(),
    });
    let next = next_action(
        order.status,
        order.deadline(),
        &deployments::heads_of(&milestones),
        order.pool_id.is_some(),
    );
    let me = live::session(conn)?.map(|m| m.user_id);
    let needs = needs_view(&order, terms);
    let comparison = comparison(&order, offers, terms, &names);
    let winner_total = order
        .evaluation
        .as_ref()
        .and_then(|e| e.ranking.winner())
        .and_then(|w| comparison.columns.iter().find(|c| c.offer_id == w.offer_id))
        .map(|c| c.total.incl_vat);
    let highest_offer = comparison.columns.iter().map(|c| c.total.incl_vat).max();
    let award_amount = winner_total
        .or(highest_offer)
        .unwrap_or(needs.total_at_ceilings.incl_vat);
    let decisions = DecisionsView {
        launch_decision: order.launch_decision.clone(),
        launch_opinion_required: financial_opinion_required(needs.total_at_ceilings.incl_vat),
        award_opinion_required: financial_opinion_required(award_amount),
        conflict_declarations: order.conflict_declarations.clone(),
        conflict_statement: NO_CONFLICT_STATEMENT_FR.to_string(),
        conflict_statement_sha256: no_conflict_statement_sha256(),
        declared_by_me: me.is_some_and(|u| order.has_declared_no_conflict(&u)),
    };
    let signer = super::adhesion::signer_of(conn, &order.commune_nis, today)?;
    // Issue 11 rule 5: before the award, who the framework designates for a direct call-off
    // (with both methods, only when the needs at the ceilings are within the threshold).
    let designation = match &framework {
        Some(f) if order.award.is_none() && order.closure.is_none() => {
            super::catalogue::designation_view(
                conn,
                f,
                order.framework_version,
                &order.commune_nis,
                &names.providers,
            )?
            .filter(|d| match (d.up_to, terms) {
                (Some(up_to), Some(t)) => order
                    .needs
                    .amount_at_ceilings(t)
                    .is_ok_and(|a| a.excl_vat.0 <= up_to.0),
                _ => true,
            })
        }
        _ => None,
    };
    let interoperability = match terms {
        Some(t) => {
            let others: Vec<super::orders::OrderHead> =
                super::orders::heads(conn, Some(&order.commune_nis))?
                    .into_iter()
                    .map(|o| o.body)
                    .filter(|o| o.id != order.id)
                    .collect();
            let running = centrale_domain::interoperability::running(&others, &order.commune_nis);
            super::interoperability::Catalogue::read(conn)?.views(order.service_id, t, &running)
        }
        None => vec![],
    };
    let accompaniments = super::accompaniment::of_call_off(conn, order.id)?;
    let pool = match order.pool_id {
        Some(id) => super::pool::link(conn, id)?,
        None => None,
    };
    Ok(Some(OrderDetail {
        pool,
        signer,
        designation,
        interoperability,
        accompaniments,
        order: OrderSummary {
            id: order.id,
            title: order.title.clone(),
            commune_nis: order.commune_nis.clone(),
            service_id: order.service_id,
            service_name: names.service(order.service_id),
            framework_id: order.framework_id,
            framework_reference: framework.as_ref().map(|f| f.reference.clone()),
            framework_version: order.framework_version,
            status: order.status,
            created_by: order.created_by.clone(),
            created_at: order.created_at,
            submitted_at: order.submitted_at,
            competition: order.competition.clone(),
            opened_at: order.opened_at,
            offers_received: order.offers_received,
            closure: order.closure.clone(),
            earlier_competitions: order.earlier_competitions.clone(),
            may_buy_elsewhere: order.may_buy_elsewhere,
            questions: order.questions.clone(),
            set_aside: order.set_aside.clone(),
            price_requests: order.price_requests.clone(),
            pending,
        },
        needs,
        terms: terms.map(|t| {
            let mut view = terms_view(t, &names.providers);
            if let Some(f) = &framework {
                callable_now(&mut view, f, order.framework_version, &names.providers);
            }
            view
        }),
        invitations,
        comparison,
        evaluation: evaluation(&order, terms, &names),
        award,
        purchase_order: order.purchase_order.clone(),
        provisional_acceptance: order.provisional_acceptance.clone(),
        final_acceptance: order.final_acceptance.clone(),
        progress: deployments::progress(&milestones),
        milestones,
        next_action: next,
        decisions,
        formerly: order.formerly.clone(),
    }))
}
