//! Scoring offers on the framework's weighted criteria, with a tie-break stated in advance.
//!
//! Price score: by the framework's [`PriceFormula`] — relative (weight × lowest price / offer
//! price) or against the ceiling (weight × (ceiling total − price) / ceiling total), both
//! excluding VAT. Quality criteria are
//! scored by the commune from 0 to the criterion's weight, each with a justification.
//! Ties ([`TIE_BREAK_RULE_FR`]): the higher weighted total; then the lower price; offers equal on
//! both are ranked first together (ex æquo) and the commune draws lots in its collège's meeting.
//! Nothing depends on when an offer was submitted (that would penalise a provider who improves
//! its offer before the deadline) nor on the order of registration (the provider id).

use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::{AwardCriterion, CriterionKind};
use crate::error::ErrorCode;
use crate::money::Cents;
use crate::DomainError;

/// Decimal places kept on scores.
pub const SCORE_DECIMALS: u32 = 2;

/// Rounded to [`SCORE_DECIMALS`] and written with all of them (« 64,50 » beside « 57,81 »,
/// not « 64,5 »): the comparison, the presentation and the report line the scores up.
fn round(d: Decimal) -> Decimal {
    let mut rounded =
        d.round_dp_with_strategy(SCORE_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(SCORE_DECIMALS);
    rounded
}

/// The facts of an opened offer that scoring needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferForScoring {
    /// The offer.
    pub offer_id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// Total excluding VAT.
    pub total_excl_vat: Cents,
    /// Final submission time.
    pub submitted_at: DateTime<Utc>,
}

/// The commune's points on one quality criterion for one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QualityScore {
    /// The offer.
    pub offer_id: Uuid,
    /// The criterion's code.
    pub criterion_code: String,
    /// From 0 to the criterion's weight, read exactly (a JSON string or integer).
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[schema(value_type = String, example = "25.5")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub points: Decimal,
    /// Why these points.
    pub justification: String,
}

/// A score on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CriterionScore {
    /// Criterion code.
    pub criterion_code: String,
    /// Points obtained.
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub points: Decimal,
    /// Out of.
    pub weight: u32,
}

/// One offer with its scores and rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScoredOffer {
    /// The offer.
    pub offer_id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// Total excluding VAT.
    pub total_excl_vat: Cents,
    /// Per criterion, in the framework's order.
    pub scores: Vec<CriterionScore>,
    /// Weighted total (sum of the scores).
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub total: Decimal,
    /// 1 = best.
    pub rank: u32,
}

/// How the ranking came about: the defined outcomes of the two-provider cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RankingOutcome {
    /// No offer was received: the order cannot be awarded (no-offer branch).
    NoOffer,
    /// One offer: it is ranked first if it is regular; the commune may still withdraw.
    SingleOffer,
    /// Distinct totals.
    Ranked,
    /// Equal totals, separated by the lower price.
    TieBrokenByPrice,
    /// Former rule (earlier submission), no longer applied: kept so stored evaluations read.
    TieBrokenBySubmissionTime,
    /// Former rule (provider id), no longer applied: kept so stored evaluations read.
    TieBrokenByProviderId,
    /// Equal totals and equal prices: the offers share the first rank; the commune draws lots
    /// and may award either, saying so in the award's justification.
    Tie,
}

/// The tie-break rule, as the framework's documents state it and the invitations repeat it.
pub const TIE_BREAK_RULE_FR: &str = "En cas d'égalité du total pondéré, l'offre au prix total le plus bas (HTVA) est classée première. Des offres égales sur le total et sur le prix sont classées premières ex æquo : la commune procède à un tirage au sort en séance du collège et en consigne le résultat dans la décision d'attribution. L'heure de remise d'une offre n'intervient jamais.";

/// The relative price formula, as the framework's documents state it, with its known flaw said.
pub const PRICE_FORMULA_FR: &str = "Points de prix = pondération × prix total le plus bas / prix total de l'offre (HTVA), arrondis à deux décimales. Formule relative : avec trois offres ou plus, une offre classée troisième peut modifier l'écart entre les deux premières.";

/// The formula against the ceiling, as the framework's documents state it.
pub const PRICE_FORMULA_CEILING_FR: &str = "Points de prix = pondération × (total aux prix plafonds − prix total de l'offre) / total aux prix plafonds (HTVA, les besoins de la commande aux prix plafonds de l'accord-cadre sur la durée du contrat), arrondis à deux décimales, entre 0 et la pondération. Chaque offre est notée sur son seul prix : une autre offre ne change jamais ses points.";

/// How the price criterion is scored, stated in the framework's documents (Dir. 2014/24 art.
/// 67(5): the relative weighting and how it is applied are stated in advance; art. 33(5)(d):
/// a competition under a framework follows the award criteria of its documents). Records
/// written before the choice existed scored relatively: the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PriceFormula {
    /// weight × lowest price / offer price: depends on the other offers (its known flaw: a
    /// third offer can change the gap between the first two).
    #[default]
    Relative,
    /// weight × (ceiling total − price) / ceiling total, in [0, weight]: depends only on the
    /// offer and the framework.
    AgainstCeiling,
}

impl PriceFormula {
    /// Every formula, in the order the centrale is offered them.
    pub const ALL: [PriceFormula; 2] = [PriceFormula::Relative, PriceFormula::AgainstCeiling];

    /// The French sentence stating the formula (and, for the relative one, its known flaw).
    pub fn statement_fr(self) -> &'static str {
        match self {
            PriceFormula::Relative => PRICE_FORMULA_FR,
            PriceFormula::AgainstCeiling => PRICE_FORMULA_CEILING_FR,
        }
    }
}

/// What the price score of one competition is computed from: the framework's formula with, for
/// the formula against the ceiling, the order's needs priced at the ceilings over the contract
/// (HTVA, the same basis as the offers' totals: [`crate::needs::OrderNeeds::amount_at_ceilings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceBasis {
    /// Against the lowest offer.
    Relative,
    /// Against the ceiling total.
    AgainstCeiling {
        /// The needs at the ceiling prices, excluding VAT.
        ceiling_total: Cents,
    },
}

impl PriceBasis {
    /// The basis of an order's competition under the pinned terms.
    pub fn of(
        terms: &crate::catalogue::FrameworkTerms,
        needs: &crate::needs::OrderNeeds,
    ) -> Result<Self, DomainError> {
        Ok(match terms.price_formula {
            PriceFormula::Relative => PriceBasis::Relative,
            PriceFormula::AgainstCeiling => PriceBasis::AgainstCeiling {
                ceiling_total: needs.amount_at_ceilings(terms)?.excl_vat,
            },
        })
    }
}

/// Price score against the ceiling: weight × (ceiling − price) / ceiling, clamped to
/// [0, weight] (an offer at or above the ceiling total scores 0; a free one the weight). A
/// ceiling total of zero or less gives every offer the full weight only if it is free too.
pub fn price_score_against_ceiling(weight: u32, ceiling_total: Cents, price: Cents) -> Decimal {
    let weight = Decimal::from(weight);
    if ceiling_total.0 <= 0 {
        return if price.0 <= 0 { weight } else { Decimal::ZERO };
    }
    let raw = weight * Decimal::from(ceiling_total.0.saturating_sub(price.0).max(0))
        / Decimal::from(ceiling_total.0);
    round(raw.clamp(Decimal::ZERO, weight))
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Ranking {
    /// Best first.
    pub offers: Vec<ScoredOffer>,
    /// How it was decided.
    pub outcome: RankingOutcome,
}

impl Ranking {
    /// The offer ranked first, if any.
    pub fn winner(&self) -> Option<&ScoredOffer> {
        self.offers.first()
    }
}

/// Price score: weight × lowest / price, in [0, weight].
pub fn price_score(weight: u32, lowest: Cents, price: Cents) -> Decimal {
    let weight = Decimal::from(weight);
    if price.0 <= 0 {
        return weight;
    }
    if lowest.0 <= 0 {
        return Decimal::ZERO;
    }
    round(weight * Decimal::from(lowest.0) / Decimal::from(price.0))
}

/// Scores and ranks the opened offers with the relative price formula.
pub fn evaluate(
    criteria: &[AwardCriterion],
    offers: &[OfferForScoring],
    quality: &[QualityScore],
) -> Result<Ranking, DomainError> {
    evaluate_with(PriceBasis::Relative, criteria, offers, quality)
}

/// Scores and ranks the opened offers, the price by the framework's formula.
pub fn evaluate_with(
    basis: PriceBasis,
    criteria: &[AwardCriterion],
    offers: &[OfferForScoring],
    quality: &[QualityScore],
) -> Result<Ranking, DomainError> {
    if offers.is_empty() {
        return Ok(Ranking {
            offers: vec![],
            outcome: RankingOutcome::NoOffer,
        });
    }
    validate_quality(criteria, offers, quality)?;
    let lowest = offers
        .iter()
        .map(|o| o.total_excl_vat)
        .min()
        .unwrap_or(Cents::ZERO);
    let mut scored: Vec<(ScoredOffer, &OfferForScoring)> = offers
        .iter()
        .map(|offer| {
            let scores: Vec<CriterionScore> = criteria
                .iter()
                .map(|c| CriterionScore {
                    criterion_code: c.code.clone(),
                    weight: c.weight,
                    points: match c.kind {
                        CriterionKind::Price => match basis {
                            PriceBasis::Relative => {
                                price_score(c.weight, lowest, offer.total_excl_vat)
                            }
                            PriceBasis::AgainstCeiling { ceiling_total } => {
                                price_score_against_ceiling(
                                    c.weight,
                                    ceiling_total,
                                    offer.total_excl_vat,
                                )
                            }
                        },
                        CriterionKind::Quality => quality
                            .iter()
                            .find(|q| q.offer_id == offer.offer_id && q.criterion_code == c.code)
                            .map(|q| round(q.points))
                            .unwrap_or(Decimal::ZERO),
                    },
                })
                .collect();
            let total = scores.iter().map(|s| s.points).sum();
            (
                ScoredOffer {
                    offer_id: offer.offer_id,
                    provider_id: offer.provider_id,
                    total_excl_vat: offer.total_excl_vat,
                    scores,
                    total,
                    rank: 0,
                },
                offer,
            )
        })
        .collect();
    scored.sort_by(|a, b| better(a, b).then(a.0.offer_id.cmp(&b.0.offer_id)));
    let outcome = if scored.len() == 1 {
        RankingOutcome::SingleOffer
    } else {
        let (first, second) = (&scored[0], &scored[1]);
        if first.0.total != second.0.total {
            RankingOutcome::Ranked
        } else if first.1.total_excl_vat != second.1.total_excl_vat {
            RankingOutcome::TieBrokenByPrice
        } else {
            RankingOutcome::Tie
        }
    };
    // Competition ranking: an offer's rank is one more than the number of offers better than
    // it, so offers equal on total and price share their rank (1, 1, 3).
    let ranks: Vec<u32> = scored
        .iter()
        .map(|a| {
            let ahead = scored
                .iter()
                .filter(|b| better(b, a) == Ordering::Less)
                .count();
            u32::try_from(ahead + 1).unwrap_or(u32::MAX)
        })
        .collect();
    let offers = scored
        .into_iter()
        .zip(ranks)
        .map(|((mut s, _), rank)| {
            s.rank = rank;
            s
        })
        .collect();
    Ok(Ranking { offers, outcome })
}

/// `Less` when `a` ranks before `b`: the higher total, then the lower price; nothing else.
fn better(a: &(ScoredOffer, &OfferForScoring), b: &(ScoredOffer, &OfferForScoring)) -> Ordering {
    b.0.total
        .cmp(&a.0.total)
        .then(a.1.total_excl_vat.cmp(&b.1.total_excl_vat))
}

fn validate_quality(
    criteria: &[AwardCriterion],
    offers: &[OfferForScoring],
    quality: &[QualityScore],
) -> Result<(), DomainError> {
    let mut seen = BTreeSet::new();
    for (i, q) in quality.iter().enumerate() {
        let field = format!("scores[{i}]");
        let criterion = criteria
            .iter()
            .find(|c| c.code == q.criterion_code)
            .ok_or_else(|| {
                DomainError::field(ErrorCode::CriterionUnknown, &field)
                    .with("code", &q.criterion_code)
            })?;
        if criterion.kind == CriterionKind::Price {
            return Err(DomainError::field(ErrorCode::PriceScoreAutomatic, &field));
        }
        if !offers.iter().any(|o| o.offer_id == q.offer_id) {
            return Err(DomainError::field(ErrorCode::OfferNotOpened, &field));
        }
        if q.points < Decimal::ZERO || q.points > Decimal::from(criterion.weight) {
            return Err(
                DomainError::field(ErrorCode::ScoreOutOfRange, format!("{field}.points"))
                    .with("criterion", &criterion.label_fr)
                    .with("code", &criterion.code)
                    .with("max", criterion.weight),
            );
        }
        if crate::limits::chars(&q.justification) < crate::limits::SCORE_JUSTIFICATION_MIN_CHARS {
            return Err(DomainError::field(
                ErrorCode::ScoreJustificationTooShort,
                format!("{field}.justification"),
            )
            .with("criterion", &criterion.label_fr)
            .with("code", &criterion.code)
            .with("min_chars", crate::limits::SCORE_JUSTIFICATION_MIN_CHARS));
        }
        if !seen.insert((q.offer_id, q.criterion_code.clone())) {
            return Err(DomainError::field(ErrorCode::CriterionScoredTwice, &field)
                .with("code", &q.criterion_code));
        }
    }
    for c in criteria.iter().filter(|c| c.kind == CriterionKind::Quality) {
        for o in offers {
            if !seen.contains(&(o.offer_id, c.code.clone())) {
                return Err(DomainError::field(ErrorCode::CriterionNotScored, "scores")
                    .with("criterion", &c.label_fr)
                    .with("code", &c.code));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_terms;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn offer(n: u128, cents: i64, second: u32) -> OfferForScoring {
        OfferForScoring {
            offer_id: Uuid::from_u128(n),
            provider_id: Uuid::from_u128(100 + n),
            total_excl_vat: Cents(cents),
            submitted_at: Utc.with_ymd_and_hms(2027, 3, 1, 10, 0, second).unwrap(),
        }
    }

    fn q(n: u128, points: Decimal) -> QualityScore {
        QualityScore {
            offer_id: Uuid::from_u128(n),
            criterion_code: "quality".into(),
            points,
            justification: "Démonstration convaincante".into(),
        }
    }

    fn criteria() -> Vec<AwardCriterion> {
        sample_terms(&[Uuid::nil()]).award_criteria
    }

    #[test]
    fn lowest_price_ratio() {
        assert_eq!(price_score(60, Cents(100), Cents(100)), dec!(60));
        assert_eq!(price_score(60, Cents(100), Cents(200)), dec!(30));
        assert_eq!(price_score(60, Cents(100), Cents(300)), dec!(20));
        assert_eq!(price_score(60, Cents(2), Cents(3)), dec!(40));
        assert_eq!(price_score(50, Cents(1), Cents(3)), dec!(16.67));
    }

    fn price_points(r: &Ranking, n: u128) -> Decimal {
        let o = r
            .offers
            .iter()
            .find(|o| o.offer_id == Uuid::from_u128(n))
            .unwrap();
        o.scores
            .iter()
            .find(|s| s.criterion_code == "price")
            .unwrap()
            .points
    }

    /// Issue 11 rule 8; Dir. 2014/24 art. 67(5): against the ceiling, weight × (ceiling −
    /// price) / ceiling, rounded to two decimals, clamped to [0, weight].
    #[test]
    fn rule_art_67_5_price_against_the_ceiling_is_clamped() {
        let c = Cents(1_000_000);
        assert_eq!(price_score_against_ceiling(60, c, Cents(0)), dec!(60));
        assert_eq!(price_score_against_ceiling(60, c, Cents(250_000)), dec!(45));
        assert_eq!(
            price_score_against_ceiling(60, c, Cents(1_000_000)),
            dec!(0)
        );
        // Above the ceiling total (never accepted, but the score stays in range) and negative.
        assert_eq!(
            price_score_against_ceiling(60, c, Cents(1_500_000)),
            dec!(0)
        );
        assert_eq!(price_score_against_ceiling(60, c, Cents(-5)), dec!(60));
        assert_eq!(
            price_score_against_ceiling(50, Cents(3), Cents(2)),
            dec!(16.67)
        );
        // No ceiling total: only a free offer earns the points.
        assert_eq!(price_score_against_ceiling(60, Cents(0), Cents(1)), dec!(0));
        assert_eq!(
            price_score_against_ceiling(60, Cents(0), Cents(0)),
            dec!(60)
        );
    }

    /// Issue 11 rule 8: the relative formula's known flaw — a third offer changes the gap
    /// between the first two (and here their order); against the ceiling it cannot.
    #[test]
    fn rule_art_67_5_a_third_offer_changes_the_relative_scores_only() {
        let two = [offer(1, 400_000, 0), offer(2, 500_000, 0)];
        let quality = [q(1, dec!(20)), q(2, dec!(30)), q(3, dec!(0))];
        let three = [
            offer(1, 400_000, 0),
            offer(2, 500_000, 0),
            offer(3, 100_000, 0),
        ];
        let rel2 = evaluate(&criteria(), &two, &quality[..2]).unwrap();
        let rel3 = evaluate(&criteria(), &three, &quality).unwrap();
        // 60 + 20 = 80 vs 48 + 30 = 78: offer 1 first; with offer 3 at 1 000 €:
        // 15 + 20 = 35 vs 12 + 30 = 42: offer 2 passes offer 1.
        assert_eq!(rel2.offers[0].offer_id, Uuid::from_u128(1));
        assert_ne!(price_points(&rel2, 1), price_points(&rel3, 1));
        let ahead = |r: &Ranking, a: u128, b: u128| {
            let rank = |n| {
                r.offers
                    .iter()
                    .find(|o| o.offer_id == Uuid::from_u128(n))
                    .unwrap()
                    .rank
            };
            rank(a) < rank(b)
        };
        assert!(ahead(&rel2, 1, 2) && ahead(&rel3, 2, 1));
        let basis = PriceBasis::AgainstCeiling {
            ceiling_total: Cents(1_000_000),
        };
        let abs2 = evaluate_with(basis, &criteria(), &two, &quality[..2]).unwrap();
        let abs3 = evaluate_with(basis, &criteria(), &three, &quality).unwrap();
        for n in [1, 2] {
            assert_eq!(price_points(&abs2, n), price_points(&abs3, n));
        }
        assert_eq!(price_points(&abs2, 1), dec!(36));
        assert_eq!(price_points(&abs2, 2), dec!(30));
    }

    /// Records written before the choice read as the relative formula; the choice round-trips
    /// in snake_case.
    #[test]
    fn rule_art_67_5_old_terms_read_as_relative() {
        let terms = sample_terms(&[Uuid::nil()]);
        let mut json = serde_json::to_value(&terms).unwrap();
        json.as_object_mut().unwrap().remove("price_formula");
        let old: crate::catalogue::FrameworkTerms = serde_json::from_value(json).unwrap();
        assert_eq!(old.price_formula, PriceFormula::Relative);
        assert_eq!(
            serde_json::to_value(PriceFormula::AgainstCeiling).unwrap(),
            serde_json::json!("against_ceiling")
        );
        assert_eq!(PriceFormula::Relative.statement_fr(), PRICE_FORMULA_FR);
    }

    #[test]
    fn two_offers_ranked_on_weighted_total() {
        // A: cheaper (60 pts price) but weaker quality 20; B: 45 pts price, quality 38 -> B wins.
        let offers = [offer(1, 300_000, 0), offer(2, 400_000, 0)];
        let r = evaluate(&criteria(), &offers, &[q(1, dec!(20)), q(2, dec!(38))]).unwrap();
        assert_eq!(r.outcome, RankingOutcome::Ranked);
        assert_eq!(r.winner().unwrap().offer_id, Uuid::from_u128(2));
        assert_eq!(r.offers[0].total, dec!(83));
        assert_eq!(r.offers[1].total, dec!(80));
        assert_eq!(r.offers[1].rank, 2);
        // Every score is written with its two decimals, so that the screens and the report
        // line them up (« 83,00 » beside « 80,00 », « 64,50 » beside « 57,81 »).
        assert_eq!(r.offers[0].total.to_string(), "83.00");
        let scores: Vec<String> = r
            .offers
            .iter()
            .flat_map(|o| o.scores.iter().map(|s| s.points.to_string()))
            .collect();
        assert!(
            scores
                .iter()
                .all(|p| p.split_once('.').is_some_and(|(_, d)| d.len() == 2)),
            "{scores:?}"
        );
    }

    /// Dir. 2014/24 art. 33(5)(d) and art. 67(5): the award method is the one stated in the
    /// framework's documents; a tie is broken by the lower price, never by the time of
    /// submission (which would penalise a provider who improves its offer) nor by the order of
    /// registration; a perfect tie is ranked first ex æquo.
    #[test]
    fn ties_go_to_the_lower_price_then_share_the_first_rank() {
        // Price 60×300/300 = 60 + 20 = 80 ; 60×300/400 = 45 + 35 = 80 -> tie, lower price wins.
        let offers = [offer(1, 400_000, 0), offer(2, 300_000, 5)];
        let r = evaluate(&criteria(), &offers, &[q(1, dec!(35)), q(2, dec!(20))]).unwrap();
        assert_eq!(r.outcome, RankingOutcome::TieBrokenByPrice);
        assert_eq!(r.winner().unwrap().offer_id, Uuid::from_u128(2));
        assert_eq!((r.offers[0].rank, r.offers[1].rank), (1, 2));

        // Equal on total and price: the later submission does not lose, the earlier does not
        // win; both are first, whatever the order they come in.
        for offers in [
            [offer(1, 300_000, 9), offer(2, 300_000, 5)],
            [offer(2, 300_000, 5), offer(1, 300_000, 9)],
        ] {
            let r = evaluate(&criteria(), &offers, &[q(1, dec!(20)), q(2, dec!(20))]).unwrap();
            assert_eq!(r.outcome, RankingOutcome::Tie);
            assert!(r.offers.iter().all(|o| o.rank == 1), "{:?}", r.offers);
        }
    }

    #[test]
    fn three_offers_share_ranks_like_a_competition() {
        let offers = [
            offer(1, 300_000, 0),
            offer(2, 300_000, 1),
            offer(3, 600_000, 2),
        ];
        let r = evaluate(
            &criteria(),
            &offers,
            &[q(1, dec!(20)), q(2, dec!(20)), q(3, dec!(20))],
        )
        .unwrap();
        let ranks: Vec<u32> = r.offers.iter().map(|o| o.rank).collect();
        assert_eq!(ranks, vec![1, 1, 3]);
    }

    #[test]
    fn single_and_no_offer() {
        let r = evaluate(&criteria(), &[offer(1, 500_000, 0)], &[q(1, dec!(10))]).unwrap();
        assert_eq!(r.outcome, RankingOutcome::SingleOffer);
        assert_eq!(r.offers[0].scores[0].points, dec!(60));
        let r = evaluate(&criteria(), &[], &[]).unwrap();
        assert_eq!(r.outcome, RankingOutcome::NoOffer);
        assert!(r.winner().is_none());
    }

    #[test]
    fn quality_scores_are_checked() {
        let offers = [offer(1, 1, 0), offer(2, 2, 0)];
        let c = criteria();
        // missing one
        assert!(evaluate(&c, &offers, &[q(1, dec!(10))]).is_err());
        // above weight
        assert!(evaluate(&c, &offers, &[q(1, dec!(41)), q(2, dec!(1))]).is_err());
        // negative
        assert!(evaluate(&c, &offers, &[q(1, dec!(-1)), q(2, dec!(1))]).is_err());
        // duplicate
        assert!(evaluate(&c, &offers, &[q(1, dec!(1)), q(1, dec!(1)), q(2, dec!(1))]).is_err());
        // unknown offer
        assert!(evaluate(&c, &offers, &[q(1, dec!(1)), q(2, dec!(1)), q(3, dec!(1))]).is_err());
        // price given by hand
        let mut p = q(1, dec!(1));
        p.criterion_code = "price".into();
        assert!(evaluate(&c, &offers, &[p, q(1, dec!(1)), q(2, dec!(1))]).is_err());
        // justification too short
        let mut short = q(1, dec!(1));
        short.justification = "ok".into();
        let err = evaluate(&c, &offers, &[short, q(2, dec!(1))]).unwrap_err();
        assert!(err.to_string().contains("Justifiez"));
    }

    proptest! {
        #[test]
        fn price_score_within_zero_and_weight(weight in 0u32..=100, a in 1i64..10_000_000_000, b in 1i64..10_000_000_000) {
            let lowest = Cents(a.min(b));
            let s = price_score(weight, lowest, Cents(a.max(b)));
            prop_assert!(s >= Decimal::ZERO && s <= Decimal::from(weight));
            prop_assert_eq!(price_score(weight, lowest, lowest), Decimal::from(weight));
        }

        #[test]
        /// Issue 11 rule 8; Dir. 2014/24 art. 67(5): against the ceiling, no other offer changes
        /// an offer's price points, and they stay within [0, weight].
        #[test]
        fn rule_art_67_5_against_the_ceiling_no_other_offer_changes_a_score(ceiling in 1i64..10_000_000_000, a in 0i64..10_000_000_000, b in 0i64..10_000_000_000, c in 0i64..10_000_000_000) {
            let basis = PriceBasis::AgainstCeiling { ceiling_total: Cents(ceiling) };
            let two = [offer(1, a, 0), offer(2, b, 0)];
            let three = [offer(1, a, 0), offer(2, b, 0), offer(3, c, 0)];
            let quality = [q(1, dec!(10)), q(2, dec!(10)), q(3, dec!(10))];
            let r2 = evaluate_with(basis, &criteria(), &two, &quality[..2]).unwrap();
            let r3 = evaluate_with(basis, &criteria(), &three, &quality).unwrap();
            for n in [1, 2] {
                prop_assert_eq!(price_points(&r2, n), price_points(&r3, n));
                prop_assert!(price_points(&r2, n) >= Decimal::ZERO && price_points(&r2, n) <= dec!(60));
            }
            // Nor does it change which of the first two ranks before the other.
            let before = |r: &Ranking| r.offers.iter().position(|o| o.offer_id == Uuid::from_u128(1)) < r.offers.iter().position(|o| o.offer_id == Uuid::from_u128(2));
            prop_assert_eq!(before(&r2), before(&r3));
        }

        #[test]
        fn ranking_is_a_total_order_of_all_offers(prices in proptest::collection::vec(1i64..1_000_000, 1..6), points in proptest::collection::vec(0u32..=40, 6)) {
            let offers: Vec<_> = prices.iter().enumerate().map(|(i, p)| offer(i as u128 + 1, *p, (i % 3) as u32)).collect();
            let scores: Vec<_> = offers.iter().enumerate().map(|(i, o)| QualityScore {
                offer_id: o.offer_id, criterion_code: "quality".into(),
                points: Decimal::from(points[i]), justification: "Justification suffisante".into() }).collect();
            let r = evaluate(&criteria(), &offers, &scores).unwrap();
            prop_assert_eq!(r.offers.len(), offers.len());
            for (i, s) in r.offers.iter().enumerate() {
                // Competition ranking: never after its place, equal ranks only for offers equal
                // on total and price.
                prop_assert!(s.rank as usize <= i + 1);
                prop_assert!(s.total >= Decimal::ZERO && s.total <= dec!(100));
            }
            prop_assert_eq!(r.offers[0].rank, 1);
            for w in r.offers.windows(2) {
                prop_assert!(w[0].total >= w[1].total);
                let tied = w[0].total == w[1].total && w[0].total_excl_vat == w[1].total_excl_vat;
                prop_assert_eq!(w[0].rank == w[1].rank, tied);
            }
            // The order the offers come in (and their submission times) changes no rank.
            let mut reversed = offers.clone();
            reversed.reverse();
            let again = evaluate(&criteria(), &reversed, &scores).unwrap();
            for s in &r.offers {
                let same = again.offers.iter().find(|o| o.offer_id == s.offer_id).unwrap();
                prop_assert_eq!(same.rank, s.rank);
            }
        }
    }
}
