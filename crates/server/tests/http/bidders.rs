//! What a bidder receives, on SQLite and PostgreSQL: during a mini-competition a provider's
//! account pulls the need (lines, quantities, sites, dates), the framework and its own offer,
//! the same for every provider (Dir. 2014/24 art. 33(5)(a)), and never the commune's budget.
//! Every field of every record it receives is checked against an explicit allow-list: a new
//! field fails here until someone decides it may go to bidders.

use crate::common;

use std::collections::BTreeSet;

use centrale_protocol::records::RecordKind;
use centrale_server::Clock;
use chrono::Duration;
use common::portal::Browser;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// A budget no other amount of the demo data equals (43 219,87 € HTVA).
const BUDGET: i64 = 4_321_987;

/// Every field path a provider may receive during a competition, per record kind (`[]` for
/// the items of a list). Adding one is a decision: may bidders see it?
const ALLOWED: &[&str] = &[
    // Public registry data of the communes (Statbel).
    "commune.arrondissement_fr",
    "commune.arrondissement_nis",
    "commune.main_postal_code",
    "commune.name_fr",
    "commune.name_nl",
    "commune.nis_code",
    "commune.population",
    "commune.population_date",
    "commune.successor",
    "commune.valid_from",
    "commune.valid_until",
    // A commune's public standing (issue 15.9): its adhesion and its count of awarded
    // call-offs, public acts (the awards are in the OCDS publication); no amount, no provider.
    "commune_standing.adhesion",
    "commune_standing.awarded_call_offs",
    "commune_standing.commune_nis",
    "commune_standing.joined_since",
    "commune_standing.joined_until",
    // The adhesion convention, public.
    "convention_template.id",
    "convention_template.sha256",
    "convention_template.text_fr",
    "convention_template.title_fr",
    "convention_template.version",
    // The framework agreement: public terms every party to it holds.
    "framework.call_off_method",
    "framework.id",
    "framework.reference",
    "framework.service_id",
    "framework.title_fr",
    "framework.versions",
    "framework.versions[].award_criteria",
    "framework.versions[].award_criteria[].code",
    "framework.versions[].award_criteria[].kind",
    "framework.versions[].award_criteria[].label_fr",
    "framework.versions[].award_criteria[].weight",
    "framework.versions[].change_note",
    // The value and the conditions of the framework (issue 11 rules 4, 5, 9): public terms.
    "framework.versions[].contract_months",
    "framework.versions[].direct_call_off",
    "framework.versions[].direct_call_off.ranking",
    "framework.versions[].direct_call_off.rule",
    "framework.versions[].direct_call_off.up_to",
    "framework.versions[].documents",
    "framework.versions[].documents[].file_name",
    "framework.versions[].documents[].sha256",
    "framework.versions[].documents[].title_fr",
    "framework.versions[].documents[].version",
    "framework.versions[].end_date",
    "framework.versions[].guarantee_months",
    // The legal basis of a version is public: every party may check why the framework changed.
    // Issue 16 §1: the interoperability sheets are published to every commune and party of
    // the framework (the solutions' standards and the centrale's checks, nothing of an offer).
    "framework.versions[].interoperability",
    "framework.versions[].interoperability[].apis",
    "framework.versions[].interoperability[].apis[].documentation_url",
    "framework.versions[].interoperability[].apis[].name",
    "framework.versions[].interoperability[].apis[].specification",
    "framework.versions[].interoperability[].checks",
    "framework.versions[].interoperability[].checks[].aspect",
    "framework.versions[].interoperability[].checks[].checked_on",
    "framework.versions[].interoperability[].checks[].note",
    "framework.versions[].interoperability[].checks[].outcome",
    "framework.versions[].interoperability[].citizen_identity",
    "framework.versions[].interoperability[].data_exports",
    "framework.versions[].interoperability[].hosting",
    "framework.versions[].interoperability[].hosting_detail",
    "framework.versions[].interoperability[].open_data",
    "framework.versions[].interoperability[].open_data[].format",
    "framework.versions[].interoperability[].open_data[].licence",
    "framework.versions[].interoperability[].provider_id",
    "framework.versions[].interoperability[].reversibility",
    "framework.versions[].interoperability[].solution_name",
    "framework.versions[].interoperability[].works_with",
    "framework.versions[].interoperability[].works_with[].checked_on",
    "framework.versions[].interoperability[].works_with[].how",
    "framework.versions[].interoperability[].works_with[].with",
    "framework.versions[].interoperability[].works_with[].with.provider_id",
    "framework.versions[].interoperability[].works_with[].with.service_id",
    // Issue 16 §2: the intercommunale's public price list of its own services to its communes.
    "accompaniment_price_list.versions",
    "accompaniment_price_list.versions[].note",
    "accompaniment_price_list.versions[].published_at",
    "accompaniment_price_list.versions[].services",
    "accompaniment_price_list.versions[].services[].code",
    "accompaniment_price_list.versions[].services[].description_fr",
    "accompaniment_price_list.versions[].services[].label_fr",
    "accompaniment_price_list.versions[].services[].price_cents",
    "accompaniment_price_list.versions[].services[].unit",
    "accompaniment_price_list.versions[].services[].vat_rate",
    "accompaniment_price_list.versions[].version",
    "framework.versions[].legal_basis",
    "framework.versions[].legal_basis.act",
    "framework.versions[].legal_basis.clause",
    "framework.versions[].legal_basis.kind",
    "framework.versions[].legal_basis.note",
    "framework.versions[].legal_basis.predecessor",
    "framework.versions[].legal_basis.successor",
    "framework.versions[].max_value",
    "framework.versions[].milestone_plan",
    "framework.versions[].milestone_plan.configuration",
    "framework.versions[].milestone_plan.final_acceptance",
    "framework.versions[].milestone_plan.go_live",
    "framework.versions[].milestone_plan.integration",
    "framework.versions[].milestone_plan.kickoff",
    "framework.versions[].milestone_plan.provisional_acceptance",
    "framework.versions[].milestone_plan.training",
    // The price formula is part of the award method every bidder reads before pricing (Dir.
    // 2014/24 art. 67(5), issue 11 rule 8).
    "framework.versions[].price_formula",
    "framework.versions[].price_schedule",
    "framework.versions[].price_schedule[].ceiling_cents",
    "framework.versions[].price_schedule[].code",
    "framework.versions[].price_schedule[].estimate",
    "framework.versions[].price_schedule[].estimate.basis",
    "framework.versions[].price_schedule[].estimate.default_sites",
    "framework.versions[].price_schedule[].estimate.months",
    "framework.versions[].price_schedule[].estimate.per",
    "framework.versions[].price_schedule[].estimate.quantity",
    "framework.versions[].price_schedule[].label_fr",
    "framework.versions[].price_schedule[].recurrence",
    "framework.versions[].price_schedule[].unit_fr",
    "framework.versions[].price_schedule[].vat_rate",
    "framework.versions[].providers",
    "framework.versions[].providers[].provider_id",
    "framework.versions[].providers[].status",
    "framework.versions[].published_at",
    "framework.versions[].start_date",
    "framework.versions[].version",
    // The invitation: the need as every tenderer receives it (`TenderNeeds`), the
    // documents, the deadline; never the budget.
    "invitation.commune_nis",
    "invitation.deadline",
    "invitation.documents",
    "invitation.documents[].file_name",
    "invitation.documents[].sha256",
    "invitation.documents[].title_fr",
    "invitation.documents[].version",
    "invitation.framework_version",
    "invitation.id",
    "invitation.needs",
    "invitation.needs.description",
    "invitation.needs.desired_go_live",
    "invitation.needs.desired_start",
    "invitation.needs.lines",
    "invitation.needs.lines[].note",
    "invitation.needs.lines[].price_line_code",
    "invitation.needs.lines[].quantity",
    "invitation.needs.sites",
    "invitation.offer_submitted_at",
    "invitation.order_id",
    "invitation.order_title",
    "invitation.outcome",
    "invitation.withdrawal",
    "invitation.extensions",
    "invitation.clarifications",
    "invitation.set_aside",
    // The commune's requests to justify this provider's own prices (empty during the
    // competition; only the provider asked ever receives one).
    "invitation.price_requests",
    "invitation.provider_id",
    "invitation.sent_at",
    "invitation.status",
    // Its own offer only (sealed for everyone else).
    "offer.commune_nis",
    "offer.content_sha256",
    "offer.id",
    "offer.invitation_id",
    "offer.lead_time_days",
    "offer.lines",
    "offer.lines[].amount",
    "offer.lines[].amount.excl_vat",
    "offer.lines[].amount.incl_vat",
    "offer.lines[].amount.vat",
    "offer.lines[].periods",
    "offer.lines[].price_line_code",
    "offer.lines[].quantity",
    "offer.lines[].unit_price_cents",
    "offer.lines[].vat_rate",
    "offer.notes",
    "offer.order_id",
    "offer.provider_id",
    "offer.revision",
    "offer.submitted_at",
    "offer.total",
    "offer.total.excl_vat",
    "offer.total.incl_vat",
    "offer.total.vat",
    // The providers party to the frameworks.
    "provider.address",
    "provider.contact_email",
    "provider.enterprise_number",
    "provider.id",
    "provider.name",
    "provider.short_name",
    // The catalogue.
    "service.category_fr",
    "service.code",
    "service.description_fr",
    "service.framework_id",
    "service.id",
    "service.name_fr",
    "service.summary_fr",
];

/// Collects `kind.path` of every field of `value` into `out`.
fn paths(prefix: &str, value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{prefix}.{k}");
                out.insert(p.clone());
                paths(&p, v, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                paths(&format!("{prefix}[]"), v, out);
            }
        }
        _ => {}
    }
}

/// True when `value` holds a `budget` key or the budget's amount anywhere.
fn mentions_budget(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains("budget") || mentions_budget(v)),
        Value::Array(items) => items.iter().any(mentions_budget),
        Value::Number(n) => n.as_i64() == Some(BUDGET),
        Value::String(s) => s.contains(&BUDGET.to_string()) || s.contains("43 219"),
        _ => false,
    }
}

#[tokio::test]
async fn a_bidder_receives_the_need_and_never_the_budget() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let mut needs = eguichet_needs();
    needs["budget"] = json!(BUDGET);
    needs["desired_start"] = json!("2027-02-01");
    needs["desired_go_live"] = json!("2027-04-01");
    let order_id = draft_order(&app, "e-guichet", "E-guichet état civil 2027", needs).await;
    app.apply(DG, "order.submit", submit(order_id)).await;
    let deadline = app.clock.now() + Duration::days(15);
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
    .await;
    // The commune keeps its budget on its order.
    let commune = app.state_of(DG).await;
    assert_eq!(order_of(&commune, order_id)["needs"]["budget"], BUDGET);

    for provider in [NUAGIX, CIVITECH] {
        let view = app.state_of(provider).await;
        let invitations = view.find(RecordKind::Invitation, "order_id", order_id.to_string());
        assert_eq!(invitations.len(), 1, "{provider} is invited");
        let inv = &invitations[0];
        // The need as every tenderer receives it.
        assert_eq!(inv["needs"]["lines"][1]["quantity"], "9");
        assert_eq!(inv["needs"]["lines"][1]["note"], "9 000 habitants");
        assert_eq!(
            inv["needs"]["sites"][0],
            "Administration communale, Place des Trois Fers 1"
        );
        assert_eq!(inv["needs"]["desired_go_live"], "2027-04-01");
        let inv_id = inv["id"].as_str().unwrap().to_string();
        app.apply(
            provider,
            "offer.submit",
            offer_payload(Uuid::now_v7(), &inv_id, 400_000, 15_000),
        )
        .await;

        // Everything the account can pull during the competition.
        let token = app.token(provider).await;
        let changes = app.pull_all(&token).await;
        let mut seen = BTreeSet::new();
        for change in &changes {
            assert!(
                !mentions_budget(&change.record),
                "{provider} receives the budget in {:?} {}: {}",
                change.kind,
                change.id,
                change.record
            );
            paths(change.kind.as_str(), &change.record, &mut seen);
        }
        let kinds: BTreeSet<_> = changes.iter().map(|c| c.kind).collect();
        assert!(kinds.contains(&RecordKind::Invitation) && kinds.contains(&RecordKind::Offer));
        let allowed: BTreeSet<String> = ALLOWED.iter().map(|s| s.to_string()).collect();
        let unexpected: Vec<_> = seen.difference(&allowed).collect();
        assert!(
            unexpected.is_empty(),
            "{provider} receives fields nobody allowed for bidders: {unexpected:#?}"
        );

        // The portal's page of the invitation shows no budget either.
        let browser = Browser::new(&app);
        browser.login(provider).await;
        let page = browser.get(&format!("/portail/invitations/{inv_id}")).await;
        assert!(page.has("9 000 habitants"), "{}", page.html);
        assert!(
            !page.html.to_lowercase().contains("budget") && !page.has("43 219"),
            "{}",
            page.html
        );
    }
}
