//! The providers' web portal over HTTP, on SQLite and PostgreSQL: an offer submitted, reviewed
//! and replaced with a receipt, the ceilings, the deadline, then the outcome and the milestones.

use crate::common;

use centrale_domain::offer::offer_hash;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::demo_provider_id;
use centrale_server::Clock;
use chrono::Duration;
use common::portal::{evaluate_and_award, stored_offers, Browser};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
#[tokio::test]
async fn an_offer_is_submitted_then_replaced_with_a_receipt() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    let browser = Browser::new(&app);
    let list = browser.login(NUAGIX).await;
    assert!(list.has("Offre à remettre"));
    let page = browser.get(&format!("/portail/invitations/{inv}")).await;
    assert!(page.has("E-guichet état civil 2027") && page.has("Bertrix"));
    assert!(page.has("Mise en service et paramétrage") && page.has("Cahier spécial des charges"));
    assert!(page.has("Administration communale, Place des Trois Fers 1"));
    // Deadline: t0 + 15 days = 14/12/2026 09:00 UTC = 10:00 in Brussels.
    assert!(page.has("14/12/2026 à 10:00"), "{}", page.html);
    assert!(page.has("Il reste 15 jours."), "{}", page.html);
    // The award method as the framework states it, before pricing (Dir. 2014/24 art. 33(5)(d),
    // art. 67(5)): criteria and weights, the price formula, the tie-break.
    assert!(
        page.has("Comment les offres seront comparées"),
        "{}",
        page.html
    );
    assert!(page.has("tirage au sort") && page.has("prix total le plus bas"));
    assert!(page.has("L'heure de remise d'une offre n'intervient jamais"));

    let receipt = browser.submit_offer(&inv, &["4 200,00", "150"], "60").await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.html);
    assert_eq!(receipt.path, format!("/portail/invitations/{inv}/recu"));
    assert!(receipt.has("Votre offre a été remise"));
    assert_eq!(receipt.headers["cache-control"], "no-store");
    let offers = stored_offers(&app).await;
    assert_eq!(offers.len(), 1);
    let first = offers[0].clone();
    assert_eq!(first.provider_id, demo_provider_id("nuagix"));
    assert_eq!(
        first
            .lines
            .iter()
            .map(|l| l.unit_price_cents.0)
            .collect::<Vec<_>>(),
        vec![420_000, 15_000],
        "Belgian decimals become integer cents"
    );
    assert_eq!(first.revision, 1);
    // The receipt's hash is the stored offer's, and is its content hash.
    assert_eq!(offer_hash(&first), first.content_sha256);
    assert!(receipt.has(&format!(">{}</code>", first.content_sha256)));
    assert!(
        receipt.has("29/11/2026 à 10:00:00"),
        "server time of submission"
    );
    // The API view of the provider agrees: one offer, the same hash.
    let api = app.state_of(NUAGIX).await;
    assert_eq!(
        api.get(RecordKind::Offer, first.id).unwrap()["content_sha256"],
        first.content_sha256.as_str()
    );

    // Replace it an hour later: the form comes back filled in; same offer, revision 2.
    app.clock.advance(Duration::hours(1));
    let form = browser
        .get(&format!("/portail/invitations/{inv}/offre"))
        .await;
    assert!(
        form.has("value=\"4 200,00\"") && form.has("value=\"150,00\""),
        "{}",
        form.html
    );
    assert!(form.has("Remplacer votre offre"));
    let receipt = browser
        .submit_offer(&inv, &["1.234,5", "99,90"], "45")
        .await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.html);
    assert!(receipt.has("Votre offre a été remplacée"));
    assert!(receipt.has("remplace la version 1"));
    let offers = stored_offers(&app).await;
    assert_eq!(offers.len(), 1, "a replacement, not a second offer");
    let second = offers[0].clone();
    assert_eq!((second.id, second.revision), (first.id, 2));
    assert_eq!(second.lines[0].unit_price_cents.0, 123_450);
    assert_eq!(second.lines[1].unit_price_cents.0, 9_990);
    assert_eq!(second.lead_time_days, 45);
    assert_ne!(second.content_sha256, first.content_sha256);
    assert_eq!(offer_hash(&second), second.content_sha256);
    assert!(receipt.has(&second.content_sha256) && !receipt.has(&first.content_sha256));
    assert!(receipt.has("29/11/2026 à 11:00:00"));
    // Written through the one write path: audited as offer.submit, twice.
    let audit = app.db.list_audit(0, 100_000).await.unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "offer.submit").count(),
        2
    );
    let list = browser.get("/portail/invitations").await;
    assert!(list.has("Offre remise le 29/11/2026 à 11:00"));
}

#[tokio::test]
async fn an_offer_is_reviewed_in_full_before_it_is_sent_and_can_be_changed() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let path = format!("/portail/invitations/{inv}/offre");
    let csrf = browser.get(&path).await.csrf();
    let typed = |step: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("prix-0", "4 200,00".to_string()),
            ("prix-1", "150".to_string()),
            ("delai", "45".to_string()),
            (
                "remarques",
                "Hébergement à Namur <b>certifié</b>.".to_string(),
            ),
            ("etape", step.to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let browser = &browser;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(&path, &fields).await
        }
    };

    // The summary: every line, totals excluding and including VAT, lead time, remarks
    // (escaped), and the values carried to both buttons. Nothing is stored yet.
    let review = post(typed("verifier")).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.html);
    assert!(review.has("Vérifiez votre offre avant de la remettre"));
    // The yearly licence over the 48-month contract: 4 200 + 9 × 150 × 4 (issue 11 rule 9).
    assert!(review.has("9\u{202f}600,00\u{a0}€ HTVA"), "{}", review.html);
    assert!(
        review.has("11\u{202f}616,00\u{a0}€ TVAC"),
        "{}",
        review.html
    );
    assert!(
        review.has("9 × 4"),
        "the licence counted four times: {}",
        review.html
    );
    assert!(review.has("45 jours"));
    assert!(review.has("Hébergement à Namur &lt;b&gt;certifié&lt;/b&gt;."));
    assert!(review.has("data-testid=\"confirm-offer\""));
    assert_eq!(
        review
            .html
            .matches("name=\"prix-0\" value=\"4 200,00\"")
            .count(),
        2
    );
    assert!(
        stored_offers(&app).await.is_empty(),
        "nothing stored before confirming"
    );

    // « Modifier l'offre »: the form again, as typed.
    let form = post(typed("modifier")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("data-testid=\"offer-form\""));
    assert!(form.has("value=\"4 200,00\"") && form.has("value=\"45\""));
    assert!(stored_offers(&app).await.is_empty());

    // Confirmed: stored once, with what the summary showed.
    let receipt = post(typed("confirmer")).await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.html);
    let offers = stored_offers(&app).await;
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].total.excl_vat.0, 960_000);
    assert_eq!(offers[0].total.incl_vat.0, 1_161_600);
    assert_eq!(offers[0].lead_time_days, 45);

    // Past the deadline (signed in again: a session lasts 8 hours), even the summary is refused.
    app.clock.set(competition.deadline);
    browser.login(NUAGIX).await;
    let mut fields = typed("verifier");
    fields[0].1 = browser.get("/portail/invitations").await.csrf();
    let late = post(fields).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.has("data-testid=\"offer-closed\""));
}

#[tokio::test]
async fn a_price_above_the_ceiling_is_explained_next_to_its_field() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let page = browser
        .submit_offer(&inv, &["4 600,00", "150,00"], "60")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = "Le prix unitaire de « Mise en service et paramétrage » (4\u{202f}600,00\u{a0}€ HTVA) dépasse le plafond de l'accord-cadre (4\u{202f}500,00\u{a0}€ HTVA). Indiquez un prix inférieur ou égal.";
    assert!(page.has(message), "{}", page.html);
    // Next to the field, and linked from the summary; what was typed is kept.
    let at_field = page
        .html
        .find("data-testid=\"prix-0-error\"")
        .expect("error at the field");
    assert!(page.html[at_field..].find(message).unwrap() < 300);
    assert!(page.has("href=\"#prix-0\""));
    assert!(page.has("value=\"4 600,00\"") && page.has("value=\"150,00\""));
    assert!(stored_offers(&app).await.is_empty(), "nothing stored");
    // An unreadable amount and a missing lead time: both explained.
    let path = format!("/portail/invitations/{inv}/offre");
    let csrf = page.csrf();
    let page = browser
        .post(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("prix-0", "12,505"),
                ("prix-1", "150"),
                ("delai", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.has("« 12,505 » n'est pas un montant lisible"),
        "{}",
        page.html
    );
    assert!(page.has("Indiquez le délai de mise en œuvre en nombre de jours"));
    // A zero price is the domain's refusal, put next to the line.
    let page = browser.submit_offer(&inv, &["0", "150"], "60").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("doit être positif"), "{}", page.html);
    assert!(page.has("data-testid=\"prix-0-error\""));
    assert!(stored_offers(&app).await.is_empty());
}

#[tokio::test]
async fn after_the_deadline_the_form_is_gone_and_a_late_post_is_refused() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("civitech");
    app.clock.set(competition.deadline - Duration::minutes(10));
    let browser = Browser::new(&app);
    browser.login(CIVITECH).await;
    let path = format!("/portail/invitations/{inv}/offre");
    let form = browser.get(&path).await;
    assert!(form.has("data-testid=\"offer-form\""));
    assert!(form.has("Il reste 10 minutes."));
    // The form was loaded in time, but it is sent exactly at the deadline: too late.
    app.clock.set(competition.deadline);
    let fields = [
        ("csrf", form.csrf()),
        ("prix-0", "4 000,00".to_string()),
        ("prix-1", "150,00".to_string()),
        ("delai", "60".to_string()),
        ("etape", "confirmer".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = browser.post(&path, &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.has("La date limite de remise des offres est dépassée (14/12/2026 à 10:00, heure de Bruxelles)"),
        "{}",
        page.html
    );
    assert!(!page.has("data-testid=\"offer-form\""));
    assert!(stored_offers(&app).await.is_empty());
    let audit = app.db.list_audit(0, 100_000).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "offer.submit.refused"));
    // The form is no longer offered.
    let page = browser.get(&path).await;
    assert!(!page.has("data-testid=\"offer-form\"") && page.has("est passée"));
    let page = browser.get(&format!("/portail/invitations/{inv}")).await;
    assert!(!page.has("data-testid=\"offer-link\""));
    assert!(page.has("Date limite dépassée"));
    // Later still (after the opening), still refused.
    app.clock.advance(Duration::hours(2));
    let _ = app.state_of(DG).await;
    let page = browser.post(&path, &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(stored_offers(&app).await.is_empty());
}

#[tokio::test]
async fn after_the_award_each_provider_sees_its_outcome_and_the_winner_updates_milestones() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let (nuagix_inv, civitech_inv) = (
        competition.invitation_id("nuagix"),
        competition.invitation_id("civitech"),
    );
    let nuagix = Browser::new(&app);
    nuagix.login(NUAGIX).await;
    let civitech = Browser::new(&app);
    civitech.login(CIVITECH).await;
    nuagix
        .submit_offer(&nuagix_inv, &["3 900,00", "140"], "60")
        .await;
    civitech
        .submit_offer(&civitech_inv, &["4 100,00", "170"], "90")
        .await;
    let offers = stored_offers(&app).await;
    let offer_of = |short: &str| {
        offers
            .iter()
            .find(|o| o.provider_id == demo_provider_id(short))
            .unwrap()
            .clone()
    };
    let (nuagix_offer, civitech_offer) = (offer_of("nuagix"), offer_of("civitech"));
    // Open at the deadline (the commune's pull), evaluate, award to Nuagix.
    app.clock.set(competition.deadline);
    let _ = app.state_of(DG).await;
    evaluate_and_award(
        &app,
        competition.order_id,
        nuagix_offer.id,
        civitech_offer.id,
    )
    .await;
    let order = app
        .state_of(DG)
        .await
        .get(RecordKind::Order, competition.order_id)
        .unwrap();
    let ranking = order["evaluation"]["ranking"]["offers"]
        .as_array()
        .unwrap()
        .clone();
    let total_of = |short: &str| {
        let total = ranking
            .iter()
            .find(|o| o["provider_id"] == demo_provider_id(short).to_string().as_str())
            .unwrap()["total"]
            .as_str()
            .unwrap()
            .to_string();
        let d: rust_decimal::Decimal = total.parse().unwrap();
        format!("{d:.2}").replace('.', ",")
    };
    let (nuagix_total, civitech_total) = (total_of("nuagix"), total_of("civitech"));
    assert_ne!(nuagix_total, civitech_total);

    // Sessions from before the award have expired (15 days): log in again.
    nuagix.login(NUAGIX).await;
    civitech.login(CIVITECH).await;
    let won = nuagix
        .get(&format!("/portail/invitations/{nuagix_inv}"))
        .await;
    assert!(won.has("Votre offre a été retenue"), "{}", won.html);
    assert!(
        won.has(&format!("<strong>{nuagix_total}</strong>")),
        "{}",
        won.html
    );
    assert!(won.has("Offre classée première selon les critères"));
    assert!(won.has("Qualité technique de la solution") && won.has("Délai de mise en œuvre"));
    let lost = civitech
        .get(&format!("/portail/invitations/{civitech_inv}"))
        .await;
    assert!(lost.has("Votre offre n'a pas été retenue"), "{}", lost.html);
    assert!(lost.has(&format!("<strong>{civitech_total}</strong>")));
    assert!(lost.has("data-testid=\"outcome-rank\">2e<"));
    // Law of 17 June 2013, Dir. 2014/24 art. 55(2): the loser is told the winner's name, the
    // winner's scores, the motivation and the remedies with their time limits — never the
    // winner's offer, prices or receipt.
    assert!(lost.has("data-testid=\"outcome-winner\""), "{}", lost.html);
    assert!(lost.has("Nuagix"), "{}", lost.html);
    assert!(
        lost.has(&format!("<strong>{nuagix_total}</strong>")),
        "{}",
        lost.html
    );
    assert!(lost.has("data-testid=\"winner-scores\""));
    assert!(lost.has("Voies de recours"));
    assert!(lost.has(
        "Demande de suspension en extrême urgence devant le Conseil d'État : dans les 15 jours"
    ));
    assert!(lost.has("Recours en annulation devant le Conseil d'État : dans les 60 jours"));
    assert!(lost.has("data-testid=\"outcome-notified\""));
    assert!(lost.has("COL/2026/"), "the decision's reference");
    assert!(!lost.has(&nuagix_offer.id.to_string()));
    assert!(!lost.has(&nuagix_offer.content_sha256));
    assert!(!lost.has("3\u{202f}900,00"), "never the winner's prices");
    // The winner learns only its own scores: nothing of the loser, and no remedies.
    assert!(
        !won.has(&format!("<strong>{civitech_total}</strong>")),
        "{}",
        won.html
    );
    assert!(!won.has(&civitech_offer.id.to_string()));
    assert!(!won.has("Civitech"));
    assert!(!won.has(&civitech_offer.content_sha256));
    assert!(!won.has("Voies de recours"));
    let lost_receipt = civitech
        .get(&format!("/portail/invitations/{civitech_inv}/recu"))
        .await;
    assert!(lost_receipt.has(&civitech_offer.content_sha256));
    assert!(
        !lost_receipt.has("3\u{202f}900,00") && !lost_receipt.has(&nuagix_offer.content_sha256)
    );

    // Milestones: the loser has none (404), the winner updates the kick-off.
    assert_eq!(
        civitech
            .get(&format!("/portail/invitations/{civitech_inv}/jalons"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": competition.order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
    // Issue 16 §2: the commune orders the intercommunale's accompaniment of this call-off;
    // the winner reads its services' dates beside its milestones — never their price.
    let accompaniment = uuid::Uuid::now_v7();
    app.apply(
        DG,
        "accompaniment.order",
        json!({"accompaniment_id": accompaniment, "title": "Accompagnement de l'e-guichet",
            "call_off_id": competition.order_id,
            "lines": [{"code": "formation", "quantity": "1"}, {"code": "communication", "quantity": "1"}],
            "decision": college("COL/2026/320")}),
    )
    .await;
    let training_day = app.clock.today() + chrono::Duration::days(20);
    app.apply(
        CENTRALE,
        "accompaniment.plan",
        json!({"accompaniment_id": accompaniment, "dates": [{"code": "formation", "planned_on": training_day}]}),
    )
    .await;
    let path = format!("/portail/invitations/{nuagix_inv}/jalons");
    let page = nuagix.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("data-testid=\"accompaniment-dates\""),
        "{}",
        page.html
    );
    assert!(page.has("Formation des agents"));
    assert!(page.has(&training_day.format("%d/%m/%Y").to_string()));
    assert!(page.has("Communication aux citoyens") && page.has("à planifier"));
    assert!(
        !page.has("600,00") && !page.has("900,00"),
        "no price of the intercommunale"
    );
    // Rule 16: the winner reads who directs the execution for the commune.
    assert!(page.has("BC-2026-0042"));
    assert!(page.has("Fonctionnaire dirigeant de la commune"));
    assert!(page.has("Marie Dupont, Responsable informatique"));
    // Issue 15 point 10: one form for every milestone, one button.
    assert_eq!(
        page.html.matches("data-testid=\"save-milestones\"").count(),
        1
    );
    assert_eq!(
        page.html.matches("data-testid=\"milestones-form\"").count(),
        1
    );
    // A date field for each of the provider's five steps (the two acceptances are the
    // commune's), notes for all seven.
    assert_eq!(page.html.matches("name=\"realise-").count(), 5);
    assert_eq!(page.html.matches("name=\"notes-").count(), 7);
    assert!(page.has("Réunion de lancement") && page.has("Réception définitive"));
    let milestones: Vec<centrale_domain::deployment::Milestone> = app
        .db
        .list_children(
            RecordKind::Milestone.as_str(),
            &competition.order_id.to_string(),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| serde_json::from_value(r.body).unwrap())
        .collect();
    let kickoff = milestones
        .iter()
        .find(|m| m.kind == centrale_domain::deployment::MilestoneKind::Kickoff)
        .unwrap();
    let configuration = milestones
        .iter()
        .find(|m| m.kind == centrale_domain::deployment::MilestoneKind::Configuration)
        .unwrap();
    let today = app.clock.today();
    let action = path.clone();
    let csrf = page.csrf();
    let future = centrale_domain::format_date(today + chrono::Days::new(3));
    let today_text = centrale_domain::format_date(today);
    let realise = format!("realise-{}", kickoff.id);
    let notes = format!("notes-{}", kickoff.id);
    let realise_conf = format!("realise-{}", configuration.id);
    let notes_conf = format!("notes-{}", configuration.id);
    // Without the token: refused, nothing written.
    let before = app.db.max_seq().await.unwrap();
    let refused = nuagix.post(&action, &[(notes.as_str(), "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // An unreadable date on one milestone refuses the whole form: nothing is written, every
    // typed value comes back, the message is at the field.
    let page = nuagix
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                (realise.as_str(), today_text.as_str()),
                (notes.as_str(), "Réunion tenue à Bertrix."),
                (realise_conf.as_str(), "31/13/2026"),
                (notes_conf.as_str(), "Paramétrage en cours."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Rien n'a été enregistré"), "{}", page.html);
    assert!(
        page.has(&format!(
            "data-testid=\"realise-{}-error\"",
            configuration.id
        )),
        "{}",
        page.html
    );
    assert!(page.has("value=\"31/13/2026\""), "{}", page.html);
    assert!(page.has(&format!("value=\"{today_text}\"")));
    assert!(page.has(">Réunion tenue à Bertrix.</textarea>"));
    assert!(page.has(">Paramétrage en cours.</textarea>"));
    assert_eq!(app.db.max_seq().await.unwrap(), before);
    // A date in the future is the domain's refusal, in French; nothing is written.
    let page = nuagix
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                (realise.as_str(), future.as_str()),
                (notes.as_str(), "Réunion tenue à Bertrix."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.has("La date réelle de l'étape") && page.has("doit tomber entre"),
        "{}",
        page.html
    );
    assert!(
        page.has(&format!("value=\"{future}\"")),
        "what was typed is kept"
    );
    assert_eq!(app.db.max_seq().await.unwrap(), before);
    // One send, two milestones: the one the domain refuses keeps what was typed with its
    // message, the other is saved, and the notice says which.
    let page = nuagix
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                (realise.as_str(), today_text.as_str()),
                (notes.as_str(), "Réunion tenue à Bertrix."),
                (realise_conf.as_str(), future.as_str()),
                (notes_conf.as_str(), "Paramétrage en cours."),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.html
    );
    assert!(
        page.has("Jalon « Réunion de lancement » enregistré."),
        "{}",
        page.html
    );
    assert!(page.has("Ce jalon n'a pas été enregistré"), "{}", page.html);
    assert!(page.has(&format!("value=\"{future}\"")));
    assert!(page.has(">Paramétrage en cours.</textarea>"));
    let stored_conf = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, configuration.id)
        .unwrap();
    assert!(stored_conf["actual_date"].is_null());
    assert_eq!(stored_conf["notes"], "");
    let stored = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, kickoff.id)
        .unwrap();
    assert_eq!(stored["actual_date"], json!(today));
    // Issue 17 point 5: the planned date is not the provider's to move.
    assert_eq!(stored["planned_date"], json!(kickoff.planned_date));
    assert_eq!(stored["notes"], "Réunion tenue à Bertrix.");
    // Sent again unchanged, the kick-off writes nothing; the configuration's notes alone are
    // saved; an absent field leaves its value as it is.
    let kickoff_version = app
        .state_of(DG)
        .await
        .version(RecordKind::Milestone, kickoff.id);
    let page = nuagix
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                (realise.as_str(), today_text.as_str()),
                (notes.as_str(), "Réunion tenue à Bertrix."),
                (notes_conf.as_str(), "Paramétrage en cours."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.has("Jalon « Paramétrage » enregistré."),
        "{}",
        page.html
    );
    let after = app.state_of(DG).await;
    let stored_conf = after.get(RecordKind::Milestone, configuration.id).unwrap();
    assert_eq!(stored_conf["notes"], "Paramétrage en cours.");
    assert!(stored_conf["actual_date"].is_null());
    assert_eq!(
        after.version(RecordKind::Milestone, kickoff.id),
        kickoff_version,
        "unchanged, not rewritten"
    );
    // Nothing changed at all: nothing is written, and the page says so.
    let before = app.db.max_seq().await.unwrap();
    let page = nuagix
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                (notes.as_str(), "Réunion tenue à Bertrix."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("il n'y avait rien à enregistrer"), "{}", page.html);
    assert_eq!(app.db.max_seq().await.unwrap(), before);
    // A recorded date cannot be emptied away silently.
    let page = nuagix
        .post(&action, &[("csrf", csrf.as_str()), (realise.as_str(), "")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("ne peut pas être effacée"), "{}", page.html);
    // The old one-form-per-milestone address is gone.
    let old = nuagix
        .post(
            &format!("{path}/{}", kickoff.id),
            &[("csrf", csrf.as_str()), (notes.as_str(), "x")],
        )
        .await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    // The kick-off done starts the deployment (the engine's rule, through the one path).
    let order = app
        .state_of(DG)
        .await
        .get(RecordKind::Order, competition.order_id)
        .unwrap();
    assert_eq!(order["status"], "deploying");
    // Issue 17 point 5: the winner asks for a new go-live date; nothing moves until the
    // commune decides, and the page shows the request waiting.
    let go_live = milestones
        .iter()
        .find(|m| m.kind == centrale_domain::deployment::MilestoneKind::GoLive)
        .unwrap();
    assert!(
        page.has("selon le délai offert : 60 jours"),
        "{}",
        page.html
    );
    let report = format!("{path}/{}/report", go_live.id);
    let new_date = centrale_domain::format_date(go_live.planned_date + chrono::Days::new(20));
    let date_field = format!("nouvelle-date-{}", go_live.id);
    let reason_field = format!("raison-{}", go_live.id);
    let csrf = nuagix.get(&path).await.csrf();
    let refused = nuagix
        .post(
            &report,
            &[
                ("csrf", csrf.as_str()),
                (date_field.as_str(), new_date.as_str()),
                (reason_field.as_str(), "x"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Indiquez la raison"), "{}", refused.html);
    let asked = nuagix
        .post(
            &report,
            &[
                ("csrf", csrf.as_str()),
                (date_field.as_str(), new_date.as_str()),
                (
                    reason_field.as_str(),
                    "Migration retardée par l'ancien fournisseur",
                ),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert!(asked.has("Demande de nouvelle date pour « Mise en production » envoyée"));
    assert!(asked.has("data-testid=\"replan-pending\""));
    let stored = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, go_live.id)
        .unwrap();
    assert_eq!(stored["planned_date"], json!(go_live.planned_date));
    assert_eq!(
        stored["replans"][0]["reason"],
        "Migration retardée par l'ancien fournisseur"
    );
    // The loser cannot post to the winner's milestone either.
    let csrf = civitech.get("/portail/invitations").await.csrf();
    let page = civitech
        .post(
            &format!("/portail/invitations/{civitech_inv}/jalons"),
            &[("csrf", csrf.as_str()), (notes.as_str(), "intrus")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let stored = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, kickoff.id)
        .unwrap();
    assert_eq!(stored["notes"], "Réunion tenue à Bertrix.");
}

/// The portal tells every invited provider of an extension (Dir. 2014/24 art. 33(5)(b)) and
/// of a withdrawal with its motivation and decision (law of 29 July 1991 art. 2–3).
#[tokio::test]
async fn an_extension_and_a_withdrawal_are_told_on_the_invitation_page() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let inv = c.invitation_id("civitech");
    app.apply(
        CENTRALE,
        "order.extend_deadline",
        json!({"order_id": c.order_id, "deadline": c.deadline + Duration::days(5),
               "reason": "Réponse à une question : cinq jours de plus pour tous."}),
    )
    .await;
    let browser = Browser::new(&app);
    browser.login(CIVITECH).await;
    let page = browser.get(&format!("/portail/invitations/{inv}")).await;
    assert!(page.has("data-testid=\"extensions\""), "{}", page.html);
    assert!(page.has("Réponse à une question : cinq jours de plus pour tous."));
    // t0 + 20 days = 19/12/2026 09:00 UTC = 10:00 in Brussels.
    assert!(page.has("19/12/2026 à 10:00"), "{}", page.html);
    let motivation = "Le conseil communal n'a pas voté le crédit budgétaire.";
    app.apply(
        DG,
        "order.withdraw",
        json!({"order_id": c.order_id, "reason": motivation,
               "college_decision": college("COL/2026/60")}),
    )
    .await;
    let page = browser.get(&format!("/portail/invitations/{inv}")).await;
    assert!(page.has("Remise en concurrence retirée"), "{}", page.html);
    assert!(page.has(motivation));
    assert!(page.has("COL/2026/60"));
    assert!(!page.has("data-testid=\"offer-link\""));
}

/// The portal: a provider asks a question; once the centrale answers, every invited provider
/// reads the question and the answer, without who asked (Dir. 2014/24 art. 18(1)).
#[tokio::test]
async fn a_question_asked_on_the_portal_is_answered_to_every_invited_provider() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let nuagix = Browser::new(&app);
    nuagix.login(NUAGIX).await;
    let inv = c.invitation_id("nuagix");
    let page = nuagix.get(&format!("/portail/invitations/{inv}")).await;
    assert!(page.has("data-testid=\"question-form\""), "{}", page.html);
    let sent = nuagix
        .post(
            &format!("/portail/invitations/{inv}/question"),
            &[
                ("csrf", &page.csrf()),
                ("question", "Faut-il chiffrer la formation des agents ?"),
            ],
        )
        .await;
    assert!(sent.has("data-testid=\"question-sent\""), "{}", sent.html);
    let question = order_of(&app.state_of(CENTRALE).await, c.order_id)["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.apply(
        CENTRALE,
        "order.answer_question",
        json!({"order_id": c.order_id, "question_id": question,
               "answer": "Oui, sur la ligne « Mise en service et paramétrage »."}),
    )
    .await;
    let civitech = Browser::new(&app);
    civitech.login(CIVITECH).await;
    let page = civitech
        .get(&format!(
            "/portail/invitations/{}",
            c.invitation_id("civitech")
        ))
        .await;
    assert!(
        page.has("Faut-il chiffrer la formation des agents ?"),
        "{}",
        page.html
    );
    assert!(page.has("Oui, sur la ligne « Mise en service et paramétrage »."));
    assert!(!page.has("Nuagix"), "the asker is not named");
}
