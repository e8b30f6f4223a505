//! What the user does, as the UI sends it: one tagged union over the protocol's mutations,
//! so that the UI's calls are typed end to end and a command never parses a name.

use centrale_protocol::mutations::Mutation;
use centrale_protocol::mutations::{
    AcceptOrder, AcceptPriceJustification, AcknowledgeMilestone, ActivateAdhesion, AddService,
    AnswerQuestion, AskPriceJustification, AskQuestion, AwardOrder, CloseOrder, CreateOrderDraft,
    DecideReplan, DeclareNoConflict, DirectAwardOrder, EndSubstitution, EvaluateOffers,
    ExtendDeadline, IssuePurchaseOrder, LaunchCompetition, OrderRef, PublishFrameworkVersion,
    RecordCollegeDecision, RecordSubstitution, RegisterProvider, RequestReplan, SetOfferAside,
    SignAdhesion, StartAdhesion, SubmitOffer, SubmitOrder, TerminateAdhesion, UpdateMilestone,
    UpdateOrderDraft, WithdrawOrder,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user action: `{ kind, input }`, `input` being the mutation's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "input", rename_all = "snake_case")]
pub enum Action {
    /// `start_adhesion`
    StartAdhesion(StartAdhesion),
    /// `record_college_decision`
    RecordCollegeDecision(RecordCollegeDecision),
    /// `sign_adhesion`
    SignAdhesion(SignAdhesion),
    /// `countersign_adhesion`
    CountersignAdhesion(SignAdhesion),
    /// `activate_adhesion`
    ActivateAdhesion(ActivateAdhesion),
    /// `terminate_adhesion`
    TerminateAdhesion(TerminateAdhesion),
    /// `record_substitution`
    RecordSubstitution(RecordSubstitution),
    /// `end_substitution`
    EndSubstitution(EndSubstitution),
    /// `create_order_draft`
    CreateOrderDraft(CreateOrderDraft),
    /// `update_order_draft`
    UpdateOrderDraft(UpdateOrderDraft),
    /// `delete_order_draft`
    DeleteOrderDraft(OrderRef),
    /// `submit_order`
    SubmitOrder(SubmitOrder),
    /// `declare_no_conflict`
    DeclareNoConflict(DeclareNoConflict),
    /// `cancel_order`
    CancelOrder(CloseOrder),
    /// `withdraw_order`
    WithdrawOrder(WithdrawOrder),
    /// `launch_competition`
    LaunchCompetition(LaunchCompetition),
    /// `relaunch_competition`
    RelaunchCompetition(LaunchCompetition),
    /// `extend_deadline`
    ExtendDeadline(ExtendDeadline),
    /// `ask_question`
    AskQuestion(AskQuestion),
    /// `set_offer_aside`
    SetOfferAside(SetOfferAside),
    /// `ask_price_justification`
    AskPriceJustification(AskPriceJustification),
    /// `accept_price_justification`
    AcceptPriceJustification(AcceptPriceJustification),
    /// `answer_question`
    AnswerQuestion(AnswerQuestion),
    /// `open_offers`
    OpenOffers(OrderRef),
    /// `evaluate_offers`
    EvaluateOffers(EvaluateOffers),
    /// `award_order`
    AwardOrder(AwardOrder),
    /// `direct_award_order`
    DirectAwardOrder(DirectAwardOrder),
    /// `issue_purchase_order`
    IssuePurchaseOrder(IssuePurchaseOrder),
    /// `accept_provisional`
    AcceptProvisional(AcceptOrder),
    /// `accept_final`
    AcceptFinal(AcceptOrder),
    /// `submit_offer`
    SubmitOffer(SubmitOffer),
    /// `update_milestone`
    UpdateMilestone(UpdateMilestone),
    /// `acknowledge_milestone`
    AcknowledgeMilestone(AcknowledgeMilestone),
    /// `request_replan`
    RequestReplan(RequestReplan),
    /// `decide_replan`
    DecideReplan(DecideReplan),
    /// `register_provider`
    RegisterProvider(RegisterProvider),
    /// `publish_framework_version`
    PublishFrameworkVersion(PublishFrameworkVersion),
    /// `add_service`
    AddService(Box<AddService>),
}

impl From<Action> for Mutation {
    fn from(action: Action) -> Mutation {
        match action {
            Action::StartAdhesion(input) => Mutation::StartAdhesion(input),
            Action::RecordCollegeDecision(input) => Mutation::RecordCollegeDecision(input),
            Action::SignAdhesion(input) => Mutation::SignAdhesion(input),
            Action::CountersignAdhesion(input) => Mutation::CountersignAdhesion(input),
            Action::ActivateAdhesion(input) => Mutation::ActivateAdhesion(input),
            Action::TerminateAdhesion(input) => Mutation::TerminateAdhesion(input),
            Action::RecordSubstitution(input) => Mutation::RecordSubstitution(input),
            Action::EndSubstitution(input) => Mutation::EndSubstitution(input),
            Action::CreateOrderDraft(input) => Mutation::CreateOrderDraft(input),
            Action::UpdateOrderDraft(input) => Mutation::UpdateOrderDraft(input),
            Action::DeleteOrderDraft(input) => Mutation::DeleteOrderDraft(input),
            Action::SubmitOrder(input) => Mutation::SubmitOrder(input),
            Action::DeclareNoConflict(input) => Mutation::DeclareNoConflict(input),
            Action::CancelOrder(input) => Mutation::CancelOrder(input),
            Action::WithdrawOrder(input) => Mutation::WithdrawOrder(input),
            Action::LaunchCompetition(input) => Mutation::LaunchCompetition(input),
            Action::RelaunchCompetition(input) => Mutation::RelaunchCompetition(input),
            Action::ExtendDeadline(input) => Mutation::ExtendDeadline(input),
            Action::AskQuestion(input) => Mutation::AskQuestion(input),
            Action::SetOfferAside(input) => Mutation::SetOfferAside(input),
            Action::AskPriceJustification(input) => Mutation::AskPriceJustification(input),
            Action::AcceptPriceJustification(input) => Mutation::AcceptPriceJustification(input),
            Action::AnswerQuestion(input) => Mutation::AnswerQuestion(input),
            Action::OpenOffers(input) => Mutation::OpenOffers(input),
            Action::EvaluateOffers(input) => Mutation::EvaluateOffers(input),
            Action::AwardOrder(input) => Mutation::AwardOrder(input),
            Action::DirectAwardOrder(input) => Mutation::DirectAwardOrder(input),
            Action::IssuePurchaseOrder(input) => Mutation::IssuePurchaseOrder(input),
            Action::AcceptProvisional(input) => Mutation::AcceptProvisional(input),
            Action::AcceptFinal(input) => Mutation::AcceptFinal(input),
            Action::SubmitOffer(input) => Mutation::SubmitOffer(input),
            Action::UpdateMilestone(input) => Mutation::UpdateMilestone(input),
            Action::AcknowledgeMilestone(input) => Mutation::AcknowledgeMilestone(input),
            Action::RequestReplan(input) => Mutation::RequestReplan(input),
            Action::DecideReplan(input) => Mutation::DecideReplan(input),
            Action::RegisterProvider(input) => Mutation::RegisterProvider(input),
            Action::PublishFrameworkVersion(input) => Mutation::PublishFrameworkVersion(input),
            Action::AddService(input) => Mutation::AddService(input),
        }
    }
}

/// What a write returns: the id of the change, to find it in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Performed {
    /// The mutation's id.
    pub mutation_id: String,
}

#[cfg(test)]
mod tests {
    use centrale_protocol::mutations::SubmitOrder;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn an_action_reads_from_the_uis_json_and_becomes_its_mutation() {
        let order_id = Uuid::now_v7();
        let json = serde_json::json!({"kind": "submit_order", "input": {"order_id": order_id}});
        let action: Action = serde_json::from_value(json).unwrap();
        let mutation: Mutation = action.into();
        assert_eq!(
            mutation,
            Mutation::SubmitOrder(SubmitOrder {
                order_id,
                decision: None,
                budget_article: String::new()
            })
        );
        assert_eq!(mutation.name(), "order.submit");
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let json = serde_json::json!({"kind": "delete_everything", "input": {}});
        assert!(serde_json::from_value::<Action>(json).is_err());
    }
}
