//! What the user does, as the UI sends it: one tagged union over the protocol's mutations,
//! so that the UI's calls are typed end to end and a command never parses a name.

use serde::Serialize;
use ts_rs::TS;

/// A user action: `{ kind, input }`, `input` being the mutation's payload. Generated with the
/// mutations themselves from their one list (`centrale_protocol::mutations`), with its
/// conversion `From<Action> for Mutation`.
pub use centrale_protocol::mutations::Action;

/// What a write returns: the id of the change, to find it in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Performed {
    /// The mutation's id.
    pub mutation_id: String,
}

#[cfg(test)]
mod tests {
    use centrale_protocol::mutations::Mutation;
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
