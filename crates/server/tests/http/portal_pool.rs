//! The providers' web portal and pooled call-offs (« marchés groupés », issue 16 §4): two
//! communes join one call-off the centrale launches; the provider sees the pool on its
//! invitations, answers once with one set of unit prices, and one offer is written per commune
//! on that commune's own quantities. The ordinary offer form of a pooled invitation leads to
//! the pool's.

use std::sync::Arc;

use crate::common;

use centrale_domain::offer::Offer;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_provider_id, demo_service_id};
use centrale_server::Clock;
use chrono::{DateTime, Days, Duration, Utc};
use common::portal::{stored_offers, Browser};
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// A launched pool of Bertrix (9 licences) and Libramont-Chevigny (3 licences).
struct LaunchedPool {
    id: Uuid,
    /// Bertrix's order, then Libramont's.
    orders: [Uuid; 2],
    deadline: DateTime<Utc>,
}

impl LaunchedPool {
    fn form_path(&self) -> String {
        format!("/portail/marches-groupes/{}/offre", self.id)
    }
}

/// `pool.create` by the centrale (the e-guichet service of the demo).
async fn create_pool(app: &TestApp, title: &str) -> Uuid {
    let id = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "pool.create",
        json!({"pool_id": id, "pool": {
            "service_id": demo_service_id("e-guichet"),
            "title": title,
            "description": "Un e-guichet commun pour l'état civil et la population des communes.",
            "join_until": today0() + Days::new(10),
        }}),
    )
    .await;
    id
}

async fn launched_pool(app: &TestApp) -> LaunchedPool {
    activate_adhesion(app, "84009").await;
    activate_adhesion(app, "84077").await;
    let id = create_pool(app, "E-guichet 2027 — achat groupé").await;
    let mut orders = [Uuid::nil(); 2];
    for (i, (dg, licences)) in [(DG, "9"), (DG_OTHER, "3")].into_iter().enumerate() {
        let order_id = Uuid::now_v7();
        let mut needs = eguichet_needs();
        needs["lines"][1]["quantity"] = json!(licences);
        let mut draft = create_draft(order_id, "e-guichet", "E-guichet (achat groupé)", needs);
        draft["pool_id"] = json!(id);
        app.apply(dg, "order.create_draft", draft).await;
        app.apply(dg, "order.submit", submit(order_id)).await;
        orders[i] = order_id;
    }
    let deadline = app.clock.now() + Duration::days(15);
    app.apply(
        CENTRALE,
        "pool.launch_competition",
        json!({"pool_id": id, "deadline": deadline}),
    )
    .await;
    LaunchedPool {
        id,
        orders,
        deadline,
    }
}

/// The provider's invitation on each member's order (Bertrix's, then Libramont's).
async fn invitations_of(app: &TestApp, pool: &LaunchedPool, short: &str) -> Vec<Value> {
    let view = app.state_of(CENTRALE).await;
    let provider = demo_provider_id(short).to_string();
    pool.orders
        .iter()
        .map(|order| {
            view.find(RecordKind::Invitation, "order_id", order.to_string())
                .into_iter()
                .find(|i| i["provider_id"] == provider.as_str())
                .expect("the provider is invited on every member's order")
        })
        .collect()
}

/// The typed form of the pooled offer (setup, then licence).
fn typed(csrf: &str, setup: &str, licence: &str, step: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf),
        ("prix-0", setup),
        ("prix-1", licence),
        ("delai", "60"),
        ("remarques", "Hébergement en Belgique, support en français."),
        ("etape", step),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn post(browser: &Browser, path: &str, fields: &[(String, String)]) -> common::portal::Page {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    browser.post(path, &fields).await
}

/// The provider's offers, per member order (Bertrix's, then Libramont's).
async fn offers_per_member(app: &TestApp, pool: &LaunchedPool) -> Vec<Offer> {
    let offers = stored_offers(app).await;
    assert_eq!(offers.len(), 2, "one offer per commune: {offers:?}");
    pool.orders
        .iter()
        .map(|order| {
            offers
                .iter()
                .find(|o| o.order_id == *order)
                .expect("an offer on each member's order")
                .clone()
        })
        .collect()
}

fn unit_prices(offer: &Offer) -> Vec<(String, i64)> {
    offer
        .lines
        .iter()
        .map(|l| (l.price_line_code.clone(), l.unit_price_cents.0))
        .collect()
}

fn quantities(offer: &Offer) -> Vec<String> {
    offer
        .lines
        .iter()
        .map(|l| l.quantity.normalize().to_string())
        .collect()
}

#[tokio::test]
async fn a_pooled_offer_is_sent_once_and_priced_on_each_communes_quantities() {
    let app = spawn_app().await;
    let pool = launched_pool(&app).await;
    let invitations = invitations_of(&app, &pool, "nuagix").await;
    for inv in &invitations {
        assert_eq!(inv["pool_id"], pool.id.to_string().as_str());
    }
    let inv_ids: Vec<String> = invitations
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let browser = Browser::new(&app);
    let list = browser.login(NUAGIX).await;
    // One card per commune, each saying it is answered once for the pool.
    assert_eq!(
        list.html
            .matches("Marché groupé : une seule offre pour toutes les communes")
            .count(),
        2,
        "{}",
        list.html
    );
    assert!(list.has(&format!("href=\"{}\"", pool.form_path())));
    assert!(list.has("Remettre une offre pour le marché groupé"));
    assert!(list.has(&format!("href=\"/portail/invitations/{}\"", inv_ids[0])));

    // The invitation page sends to the pool's form, and says why.
    let page = browser
        .get(&format!("/portail/invitations/{}", inv_ids[0]))
        .await;
    assert!(
        page.has("data-testid=\"pooled-explanation\""),
        "{}",
        page.html
    );
    assert!(page.has(&format!("href=\"{}\"", pool.form_path())));
    assert!(!page.has(&format!("/portail/invitations/{}/offre", inv_ids[0])));

    // The form: the pool, the communes with their quantities, the pooled volume.
    let form = browser.get(&pool.form_path()).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.has("data-testid=\"pooled-offer-form\""));
    assert!(form.has("E-guichet 2027 — achat groupé"));
    assert!(form.has("Un e-guichet commun pour l'état civil et la population des communes."));
    assert!(form.has(
        "Une seule offre pour toutes les communes du marché groupé : vos prix unitaires s'appliquent aux quantités de chaque commune"
    ));
    assert!(
        form.has("Bertrix") && form.has("Libramont-Chevigny"),
        "{}",
        form.html
    );
    assert_eq!(form.html.matches("data-testid=\"pool-commune\"").count(), 2);
    assert!(
        form.has("data-testid=\"pooled-quantity\"><strong>2</strong>")
            && form.has("data-testid=\"pooled-quantity\"><strong>12</strong>"),
        "{}",
        form.html
    );
    assert!(form.has("Volume groupé : 12"), "{}", form.html);
    assert!(form.has("14/12/2026 à 10:00"), "the deadline");

    // A price above the ceiling: next to its field, what was typed kept, nothing stored.
    let csrf = form.csrf();
    let path = pool.form_path();
    let refused = post(
        &browser,
        &path,
        &typed(&csrf, "4 600,00", "140", "verifier"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.has("data-testid=\"prix-0-error\""),
        "{}",
        refused.html
    );
    assert!(refused.has("dépasse le plafond de l'accord-cadre"));
    assert!(refused.has("value=\"4 600,00\""));

    // The summary: each commune's amounts on its own quantities, and the pooled total. The
    // yearly licence over the 48-month contract: 4 000 + 9 × 140 × 4, and 4 000 + 3 × 140 × 4.
    let review = post(
        &browser,
        &path,
        &typed(&csrf, "4 000,00", "140", "verifier"),
    )
    .await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.html);
    assert_eq!(review.html.matches("data-testid=\"pool-share\"").count(), 2);
    assert!(review.has("9\u{202f}040,00\u{a0}€ HTVA"), "{}", review.html);
    assert!(review.has("5\u{202f}680,00\u{a0}€ HTVA"), "{}", review.html);
    assert!(
        review.has("14\u{202f}720,00\u{a0}€ HTVA"),
        "{}",
        review.html
    );
    assert!(review.has("data-testid=\"confirm-offer\""));
    assert!(
        stored_offers(&app).await.is_empty(),
        "nothing stored before confirming"
    );
    // « Modifier l'offre »: the form, as typed.
    let back = post(
        &browser,
        &path,
        &typed(&csrf, "4 000,00", "140", "modifier"),
    )
    .await;
    assert!(back.has("data-testid=\"pooled-offer-form\"") && back.has("value=\"4 000,00\""));

    // Confirmed: one offer per commune, the same unit prices on each commune's quantities.
    let sent = post(
        &browser,
        &path,
        &typed(&csrf, "4 000,00", "140", "confirmer"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.html);
    assert_eq!(sent.path, path);
    assert!(
        sent.has("Votre offre pour le marché groupé est enregistrée"),
        "{}",
        sent.html
    );
    for inv in &inv_ids {
        assert!(sent.has(&format!("href=\"/portail/invitations/{inv}/recu\"")));
    }
    let [bertrix, libramont]: [Offer; 2] = offers_per_member(&app, &pool).await.try_into().unwrap();
    for (offer, nis, inv) in [
        (&bertrix, "84009", &inv_ids[0]),
        (&libramont, "84077", &inv_ids[1]),
    ] {
        assert_eq!(offer.provider_id, demo_provider_id("nuagix"));
        assert_eq!(offer.commune_nis, nis);
        assert_eq!(offer.invitation_id.to_string(), *inv);
        assert_eq!(offer.revision, 1);
        assert_eq!(offer.lead_time_days, 60);
        assert_eq!(
            unit_prices(offer),
            vec![
                ("setup".to_string(), 400_000),
                ("licence".to_string(), 14_000)
            ]
        );
    }
    assert_eq!(quantities(&bertrix), ["1", "9"]);
    assert_eq!(quantities(&libramont), ["1", "3"]);
    assert_eq!(bertrix.total.excl_vat.0, 904_000);
    assert_eq!(libramont.total.excl_vat.0, 568_000);
    let audit = app.db.list_audit(0, 100_000).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "offer.submit_pooled")
            .count(),
        1
    );
    // Each commune's receipt is there, and offers to replace through the pool.
    let receipt = browser
        .get(&format!("/portail/invitations/{}/recu", inv_ids[1]))
        .await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.html);
    assert!(receipt.has(&libramont.content_sha256));
    assert!(receipt.has(&format!("href=\"{path}\"")));

    // Replaced an hour later: the form comes back filled in; the same two offers, revision 2.
    app.clock.advance(Duration::hours(1));
    let form = browser.get(&path).await;
    assert!(
        form.has("value=\"4 000,00\"") && form.has("value=\"140,00\"") && form.has("value=\"60\""),
        "{}",
        form.html
    );
    assert!(form.has("Remplacer votre offre pour le marché groupé"));
    let sent = post(
        &browser,
        &path,
        &typed(&form.csrf(), "3 900,00", "135", "confirmer"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.html);
    let [b2, l2]: [Offer; 2] = offers_per_member(&app, &pool).await.try_into().unwrap();
    assert_eq!((b2.id, b2.revision), (bertrix.id, 2));
    assert_eq!((l2.id, l2.revision), (libramont.id, 2));
    assert_eq!(unit_prices(&b2), unit_prices(&l2));
    assert_eq!(unit_prices(&b2)[1], ("licence".to_string(), 13_500));

    // Past the deadline (signed in again: a session lasts 8 hours), the form is closed.
    app.clock.set(pool.deadline);
    browser.login(NUAGIX).await;
    let closed = browser.get(&path).await;
    assert!(
        closed.has("data-testid=\"offer-closed\""),
        "{}",
        closed.html
    );
    assert!(!closed.has("data-testid=\"pooled-offer-form\""));
}

#[tokio::test]
async fn the_ordinary_offer_form_of_a_pooled_invitation_leads_to_the_pools() {
    let app = spawn_app().await;
    let pool = launched_pool(&app).await;
    let inv = invitations_of(&app, &pool, "civitech").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Two clients on one cookie jar: one follows redirects (to sign in), one shows them.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let browser = Browser {
        base: app.base.clone(),
        http: reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .build()
            .unwrap(),
    };
    let list = browser.login(CIVITECH).await;
    let raw = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let offer_path = format!("/portail/invitations/{inv}/offre");
    let got = raw.get(app.url(&offer_path)).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::SEE_OTHER);
    assert_eq!(got.headers()["location"], pool.form_path().as_str());
    let csrf = list.csrf();
    let posted = raw
        .post(app.url(&offer_path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("prix-0", "4 000,00"),
            ("prix-1", "150"),
            ("delai", "60"),
            ("etape", "confirmer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(posted.headers()["location"], pool.form_path().as_str());
    assert!(stored_offers(&app).await.is_empty(), "nothing sent");
    // Followed, it is the pool's form.
    let page = browser.get(&offer_path).await;
    assert_eq!(page.path, pool.form_path());
    assert!(
        page.has("data-testid=\"pooled-offer-form\""),
        "{}",
        page.html
    );
    // The ordinary mutation on a pooled invitation is refused by the server anyway.
    app.reject(
        CIVITECH,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &inv, 400_000, 15_000),
        "pool_act_on_pool",
    )
    .await;

    // A pool the provider is not invited to, and no pool at all: the same 404.
    let other = create_pool(&app, "Autre marché groupé").await;
    for id in [other, Uuid::now_v7()] {
        let page = browser
            .get(&format!("/portail/marches-groupes/{id}/offre"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.has("Page introuvable"));
        assert!(!page.has("Autre marché groupé"));
    }
    let page = browser
        .get("/portail/marches-groupes/pas-un-id/offre")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
