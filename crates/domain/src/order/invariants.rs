//! The facts every reachable state of an order satisfies, checked by the tests and by the
//! server as a last guard.

use super::{Order, OrderStatus};

impl Order {
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
