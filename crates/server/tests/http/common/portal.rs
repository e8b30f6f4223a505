//! Helpers for the providers' web portal tests: a browser-like HTTP client (cookie store), the
//! CSRF token of a page, and the evaluation + award that end a competition.

use centrale_domain::offer::Offer;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, DEMO_PASSWORD};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{TestApp, AGENT, DG, MAYOR};

/// A page as the browser got it.
#[derive(Debug)]
pub struct Page {
    /// Final status (after redirects).
    pub status: StatusCode,
    /// Final path (after redirects).
    pub path: String,
    /// Headers of the final response.
    pub headers: reqwest::header::HeaderMap,
    /// The HTML.
    pub html: String,
}

impl Page {
    /// The CSRF token of the first form of the page.
    pub fn csrf(&self) -> String {
        csrf_of(&self.html)
    }

    /// True when the page contains `needle`.
    pub fn has(&self, needle: &str) -> bool {
        self.html.contains(needle)
    }
}

/// The value of the first `name="csrf"` hidden input.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF token in the page: {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

/// A browser: cookie store, follows redirects.
pub struct Browser {
    /// The server's base URL.
    pub base: String,
    /// HTTP client with a cookie jar.
    pub http: reqwest::Client,
}

impl Browser {
    /// A fresh browser (no cookie).
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("HTTP client"),
        }
    }

    async fn page(response: reqwest::Response) -> Page {
        Page {
            status: response.status(),
            path: response.url().path().to_string(),
            headers: response.headers().clone(),
            html: response.text().await.expect("page body"),
        }
    }

    /// GET a portal path.
    pub async fn get(&self, path: &str) -> Page {
        Browser::page(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// POST a form to a portal path.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Browser::page(
            self.http
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// Logs in through the login page; returns the page reached.
    pub async fn login_with(&self, username: &str, password: &str) -> Page {
        let form = self.get("/portail/connexion").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        let csrf = form.csrf();
        self.post(
            "/portail/connexion",
            &[
                ("csrf", csrf.as_str()),
                ("identifiant", username),
                ("mot_de_passe", password),
            ],
        )
        .await
    }

    /// Logs in with the demo password; must land on the invitations.
    pub async fn login(&self, username: &str) -> Page {
        let page = self.login_with(username, DEMO_PASSWORD).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert_eq!(page.path, "/portail/invitations", "{}", page.html);
        page
    }

    /// Submits the offer form of an invitation with these prices (as typed).
    pub async fn submit_offer(
        &self,
        invitation_id: &str,
        prices: &[&str],
        lead_time: &str,
    ) -> Page {
        let path = format!("/portail/invitations/{invitation_id}/offre");
        let form = self.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        let csrf = form.csrf();
        let names: Vec<String> = (0..prices.len()).map(|i| format!("prix-{i}")).collect();
        let mut fields: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        for (name, price) in names.iter().zip(prices) {
            fields.push((name.as_str(), price));
        }
        fields.push(("delai", lead_time));
        fields.push(("remarques", "Hébergement en Belgique, support en français."));
        fields.push(("etape", "verifier"));
        let review = self.post(&path, &fields).await;
        if !review.has("data-testid=\"confirm-offer\"") {
            // Refused before the summary: the form with its errors.
            return review;
        }
        assert!(review.has("data-testid=\"offer-lines\""), "{}", review.html);
        // What the summary sends back is what was typed.
        fields.pop();
        fields.push(("etape", "confirmer"));
        self.post(&path, &fields).await
    }
}

/// Every stored offer (all providers), as the domain type.
pub async fn stored_offers(app: &TestApp) -> Vec<Offer> {
    app.db
        .list_records(RecordKind::Offer.as_str())
        .await
        .expect("offers")
        .into_iter()
        .filter(|r| !r.deleted)
        .map(|r| serde_json::from_value(r.body).expect("stored offer"))
        .collect()
}

/// The commune evaluates (the first offer gets full quality points, the second half) and the
/// mayor awards the first; the offers must be open already.
pub async fn evaluate_and_award(app: &TestApp, order_id: Uuid, first: Uuid, second: Uuid) {
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .expect("framework");
    let terms = framework["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let mut scores = Vec::new();
    for c in terms["award_criteria"].as_array().unwrap() {
        if c["kind"] != "quality" {
            continue;
        }
        let weight = c["weight"].as_u64().unwrap();
        scores.push(
            json!({"offer_id": first, "criterion_code": c["code"], "points": weight.to_string(),
            "justification": "Solution complète, bien documentée et éprouvée."}),
        );
        scores.push(json!({"offer_id": second, "criterion_code": c["code"], "points": (weight / 2).to_string(),
            "justification": "Solution correcte mais moins aboutie sur ce point."}));
    }
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": order_id, "scores": scores}),
    )
    .await;
    app.apply(
        MAYOR,
        "order.award",
        json!({
            "order_id": order_id,
            "offer_id": first,
            "justification": "Offre classée première selon les critères et pondérations de l'accord-cadre.",
            "college_decision": app.college("COL/2026/245"),
        }),
    )
    .await;
}
