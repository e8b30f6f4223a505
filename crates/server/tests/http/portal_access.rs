//! The providers' web portal over HTTP, as a browser uses it (cookies, forms, redirects), on
//! SQLite and PostgreSQL: who gets in (login, roles, throttling, cookie flags, headers), CSRF,
//! escaping, and the isolation between providers.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::{Clock, Settings};
use chrono::Duration;
use common::portal::{csrf_of, stored_offers, Browser};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

/// A client that does not follow redirects (to read `Set-Cookie` and `Location`).
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Logs in without following the redirect; returns the response and the login form's cookie.
async fn raw_login(app: &TestApp, username: &str) -> reqwest::Response {
    let client = raw_client();
    let form = client
        .get(app.url("/portail/connexion"))
        .send()
        .await
        .unwrap();
    let login_cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("centrale_portail_connexion="))
        .expect("the login page sets its token cookie");
    let pair = login_cookie.split(';').next().unwrap().to_string();
    let csrf = csrf_of(&form.text().await.unwrap());
    client
        .post(app.url("/portail/connexion"))
        .header("cookie", pair)
        .form(&[
            ("csrf", csrf.as_str()),
            ("identifiant", username),
            ("mot_de_passe", centrale_server::seed::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("centrale_portail="))
        .expect("a session cookie is set")
}

#[tokio::test]
async fn login_logout_roles_cookie_flags_and_headers() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);

    // No page without a session: back to the login page.
    for path in [
        "/portail",
        "/portail/invitations",
        "/portail/invitations/abc/offre",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.path, "/portail/connexion", "{path}");
        assert!(page.has("Connexion au portail des prestataires"));
    }
    let page = browser.get("/portail/connexion").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-eval") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["cache-control"], "no-store");

    // Wrong password; then a commune account with the right password is refused.
    let page = browser.login_with(NUAGIX, "pas-le-bon").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.has("Nom d'utilisateur ou mot de passe incorrect"));
    let page = browser
        .login_with(DG, centrale_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.has("Ce portail est réservé aux prestataires. Votre compte (directeur général)"),
        "{}",
        page.html
    );
    assert_eq!(
        browser.get("/portail/invitations").await.path,
        "/portail/connexion"
    );
    let page = browser
        .login_with(CENTRALE, centrale_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // A provider logs in and lands on its invitations.
    let page = browser.login(NUAGIX).await;
    assert!(page.has("Nuagix Services SA"));
    assert!(page.has("Aucune invitation pour le moment"));
    assert_eq!(page.headers["cache-control"], "no-store");

    // The session cookie: HttpOnly, SameSite=Strict, Path=/portail, not Secure over http.
    let response = raw_login(&app, NUAGIX).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/portail/invitations");
    let cookie = session_cookie(&response);
    let flags = attributes(&cookie);
    assert!(
        ["Path=/portail", "HttpOnly", "SameSite=Strict"]
            .iter()
            .all(|a| flags.contains(*a))
            && !flags.contains("Secure"),
        "{cookie}"
    );
    let value = cookie.split(';').next().unwrap().to_string();
    let with_cookie = |path: &str| {
        raw_client()
            .get(app.url(path))
            .header("cookie", value.clone())
            .send()
    };
    assert_eq!(
        with_cookie("/portail/invitations").await.unwrap().status(),
        StatusCode::OK
    );

    // Logout needs the CSRF token; then the session is gone, even for a replayed cookie.
    let page = browser.get("/portail/invitations").await;
    let refused = browser
        .post("/portail/deconnexion", &[("csrf", "faux")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/portail/invitations").await.status,
        StatusCode::OK
    );
    let page = browser
        .post("/portail/deconnexion", &[("csrf", page.csrf().as_str())])
        .await;
    assert_eq!(page.path, "/portail/connexion");
    assert!(page.has("Vous êtes déconnecté."));
    assert_eq!(
        browser.get("/portail/invitations").await.path,
        "/portail/connexion"
    );
    let other = with_cookie("/portail/invitations").await.unwrap();
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "logging out one session leaves the other"
    );
    let csrf = csrf_of(&other.text().await.unwrap());
    let out = raw_client()
        .post(app.url("/portail/deconnexion"))
        .header("cookie", value.clone())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        session_cookie(&out).contains("Max-Age=0"),
        "the cookie is cleared"
    );
    // Replaying the cookie of a closed session leads to the login page.
    let replay = with_cookie("/portail/invitations").await.unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(replay.headers()["location"], "/portail/connexion");

    // A session expires after its lifetime (server time).
    let response = raw_login(&app, NUAGIX).await;
    let value = session_cookie(&response)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let with_cookie = |path: &str| {
        raw_client()
            .get(app.url(path))
            .header("cookie", value.clone())
            .send()
    };
    app.clock
        .advance(Duration::hours(centrale_server::portal::SESSION_HOURS) - Duration::seconds(1));
    assert_eq!(
        with_cookie("/portail/invitations").await.unwrap().status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::seconds(1));
    let expired = with_cookie("/portail/invitations").await.unwrap();
    assert_eq!(expired.status(), StatusCode::SEE_OTHER);
    assert_eq!(expired.headers()["location"], "/portail/connexion");
}

#[tokio::test]
async fn the_login_is_throttled_like_the_api() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    for _ in 0..5 {
        let page = browser.login_with(CIVITECH, "mauvais").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    // The sixth attempt waits, even with the right password, in French, with Retry-After.
    let page = browser
        .login_with(CIVITECH, centrale_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.has("Trop de tentatives de connexion"), "{}", page.html);
    assert_eq!(page.headers["retry-after"], "30");
    // The API shares the same counter.
    assert_eq!(
        app.login_raw(CIVITECH, centrale_server::seed::DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::seconds(31));
    browser.login(CIVITECH).await;
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_address_is_https() {
    let settings = Settings {
        public_url: "https://centrale.example.be".into(),
        ..Settings::default()
    };
    let app = spawn_app_with(settings).await;
    let response = raw_login(&app, NUAGIX).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = session_cookie(&response);
    let flags = attributes(&cookie);
    assert!(flags.contains("Secure"), "{cookie}");
    assert!(
        flags.contains("HttpOnly") && flags.contains("SameSite=Strict"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_writes_nothing() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    let nuagix = Browser::new(&app);
    nuagix.login(NUAGIX).await;
    let civitech = Browser::new(&app);
    civitech.login(CIVITECH).await;
    let civitech_token = civitech.get("/portail/invitations").await.csrf();
    let before = app.db.max_seq().await.unwrap();
    let path = format!("/portail/invitations/{inv}/offre");
    let fields = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("prix-0", "4 000,00"),
            ("prix-1", "150,00"),
            ("delai", "60"),
            ("etape", "confirmer"),
        ]
    };
    let missing: Vec<(&str, &str)> = fields("").into_iter().skip(1).collect();
    let page = nuagix.post(&path, &missing).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.has("rien n'a été enregistré"), "{}", page.html);
    let page = nuagix.post(&path, &fields("0000")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // Another session's token is not this session's token.
    let mut stolen = fields("");
    stolen[0].1 = civitech_token.as_str();
    let page = nuagix.post(&path, &stolen).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(stored_offers(&app).await.is_empty());
    assert_eq!(
        app.db.max_seq().await.unwrap(),
        before,
        "no record was written"
    );
    let audit = app.db.list_audit(0, 100_000).await.unwrap();
    assert!(audit.iter().all(|e| !e.action.starts_with("offer.submit")));
}

#[tokio::test]
async fn what_a_commune_typed_is_escaped() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let mut needs = eguichet_needs();
    needs["description"] = json!("Besoin <script>alert('description')</script> & <b>gras</b>");
    needs["sites"] = json!(["<img src=x onerror=alert(1)>"]);
    let order_id = draft_order(
        &app,
        "e-guichet",
        "<script>alert('titre')</script> E-guichet",
        needs,
    )
    .await;
    app.apply(DG, "order.submit", submit(order_id)).await;
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": app.clock.now() + Duration::days(15)}),
    )
    .await;
    let browser = Browser::new(&app);
    let list = browser.login(NUAGIX).await;
    assert!(
        list.has("&lt;script&gt;alert('titre')&lt;/script&gt; E-guichet"),
        "{}",
        list.html
    );
    assert!(!list.has("<script>alert"));
    let inv = app
        .state_of(NUAGIX)
        .await
        .find(RecordKind::Invitation, "order_id", order_id.to_string())
        .pop()
        .unwrap();
    for path in ["", "/offre"] {
        let page = browser
            .get(&format!(
                "/portail/invitations/{}{path}",
                inv["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.has(
            "&lt;script&gt;alert('description')&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;"
        ));
        assert!(page.has("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!page.has("<script>alert") && !page.has("<img src=x") && !page.has("<b>gras"));
    }
}

#[tokio::test]
async fn another_providers_invitation_is_a_plain_404() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let civitech_inv = competition.invitation_id("civitech");
    let nuagix_inv = competition.invitation_id("nuagix");
    let nuagix = Browser::new(&app);
    let list = nuagix.login(NUAGIX).await;
    assert!(list.has(&nuagix_inv) && !list.has(&civitech_inv));
    let unknown = Uuid::now_v7().to_string();
    let not_found = nuagix.get(&format!("/portail/invitations/{unknown}")).await;
    assert_eq!(not_found.status, StatusCode::NOT_FOUND);
    for path in ["", "/offre", "/recu", "/jalons"] {
        let page = nuagix
            .get(&format!("/portail/invitations/{civitech_inv}{path}"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        // Word for word the answer for an id that does not exist: nothing leaks.
        assert_eq!(page.html, not_found.html, "{path}");
        assert!(!page.has("E-guichet état civil"));
    }
    let bad = nuagix.get("/portail/invitations/pas-un-identifiant").await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    // Posting an offer to the other provider's invitation: 404 and nothing written.
    let csrf = list.csrf();
    let page = nuagix
        .post(
            &format!("/portail/invitations/{civitech_inv}/offre"),
            &[
                ("csrf", csrf.as_str()),
                ("prix-0", "4 000,00"),
                ("prix-1", "150,00"),
                ("delai", "60"),
                ("etape", "confirmer"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(stored_offers(&app).await.is_empty());
    // A provider of another framework sees no invitation at all.
    let other = Browser::new(&app);
    let page = other.login("prestataire.agoralux").await;
    assert!(page.has("Aucune invitation pour le moment"));
}

const NEW_PASSWORD: &str = "nouveau-mot-de-passe";

/// Runs `centrale-server <args>` on the test server's database, as the administrator would.
async fn admin(app: &TestApp, args: &[&str]) -> String {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_centrale-server"));
    for var in [
        "CENTRALE_DATABASE_URL",
        "CENTRALE_CONFIG",
        "CENTRALE_BIND",
        "CENTRALE_LOG_FORMAT",
        "CENTRALE_MIN_COMPETITION_DAYS",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    let output = command
        .env("CENTRALE_NEW_PASSWORD", NEW_PASSWORD)
        .arg("--database")
        .arg(app.database_url())
        .args(args)
        .output()
        .await
        .expect("running centrale-server");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn a_password_reset_or_a_disable_ends_the_portal_sessions_of_the_account() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let token = app.login(NUAGIX).await;
    // Another provider's session is not touched.
    let other = Browser::new(&app);
    other.login(CIVITECH).await;

    let said = admin(&app, &["user", "reset-password", NUAGIX]).await;
    assert!(said.contains("sessions du portail fermées : 1"), "{said}");
    // The cookie taken before the reset no longer opens anything, nor does the API token.
    let page = browser.get("/portail/invitations").await;
    assert_eq!(page.path, "/portail/connexion", "{}", page.html);
    assert_error(
        app.get("/api/v1/me", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        other.get("/portail/invitations").await.path,
        "/portail/invitations"
    );

    // Disabled then enabled again: the session opened before does not come back to life.
    let page = browser.login_with(NUAGIX, NEW_PASSWORD).await;
    assert_eq!(page.path, "/portail/invitations", "{}", page.html);
    let said = admin(&app, &["user", "disable", NUAGIX]).await;
    assert!(said.contains("sessions du portail fermées : 1"), "{said}");
    admin(&app, &["user", "enable", NUAGIX]).await;
    let page = browser.get("/portail/invitations").await;
    assert_eq!(page.path, "/portail/connexion", "{}", page.html);
}

/// A portal page for a person: HTML in the portal's layout, in French, never axum's English
/// text or the API's JSON.
#[track_caller]
fn assert_portal_page(
    response_status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    html: &str,
    status: StatusCode,
    title: &str,
) {
    assert_eq!(response_status, status, "{html}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}: {html}",
        headers["content-type"]
    );
    assert!(
        html.contains("/portail/static/portail.css"),
        "not the portal's layout: {html}"
    );
    assert!(html.contains(title), "{html}");
    assert!(headers.contains_key("content-security-policy"));
    for english in [
        "Failed",
        "Expected",
        "Method Not Allowed",
        "protocol_version",
    ] {
        assert!(!html.contains(english), "{english} in {html}");
    }
}

#[tokio::test]
async fn what_axum_would_answer_by_itself_is_a_french_portal_page() {
    let app = spawn_app().await;
    let client = raw_client();
    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        // A GET on a POST-only address, a POST on a GET-only one.
        (
            client.get(app.url("/portail/deconnexion")),
            StatusCode::METHOD_NOT_ALLOWED,
            "Adresse utilisée autrement",
        ),
        (
            client.post(app.url("/portail/invitations")),
            StatusCode::METHOD_NOT_ALLOWED,
            "Adresse utilisée autrement",
        ),
        // A form not sent as a form.
        (
            client
                .post(app.url("/portail/connexion"))
                .header("content-type", "application/json")
                .body("{\"identifiant\": \"prestataire.nuagix\"}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Formulaire non reconnu",
        ),
    ];
    for (request, status, title) in cases {
        let response = request.send().await.unwrap();
        let got = response.status();
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        assert_portal_page(got, &headers, &html, status, title);
    }
    // A form larger than the server takes. Sent over a bare socket, one byte over the limit
    // and no more, so that the server reads all of it before answering and closing (an HTTP
    // client still writing would see the connection reset instead of the answer).
    let max = centrale_protocol::MAX_BODY_BYTES;
    let body = format!("identifiant={}", "a".repeat(max + 1 - "identifiant=".len()));
    let head = format!(
        "POST /portail/connexion HTTP/1.1\r\nHost: centrale\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let answer = raw_exchange(&app, &[head.as_bytes(), body.as_bytes()].concat()).await;
    let (head, html) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_lowercase().contains("content-type: text/html"),
        "{head}"
    );
    assert!(html.contains("Formulaire trop volumineux"), "{html}");
    assert!(html.contains("/portail/static/portail.css"), "{html}");
}

/// Writes `bytes` on a fresh connection and reads the whole answer until the server closes.
async fn raw_exchange(app: &TestApp, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server answers and closes")
    .expect("reading the answer");
    String::from_utf8_lossy(&answer).into_owned()
}

/// A `Set-Cookie` value's attributes, whatever their order.
fn attributes(cookie: &str) -> std::collections::BTreeSet<String> {
    cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_string())
        .collect()
}

/// Issue 15 point 10: the providers reach the centrale from the portal. Its name, e-mail and
/// phone (settings `centrale_name`, `contact_email`, `contact_phone`) are on the login page
/// and in the footer of every page after, the pages the handlers write and the portal's own
/// error pages alike, with `mailto:` and `tel:` links.
#[tokio::test]
async fn the_centrales_contact_is_on_the_login_page_and_every_page_after() {
    let settings = Settings {
        centrale_name: "Centrale d'achat IDELUX".into(),
        contact_email: "achats@idelux.example.be".into(),
        contact_phone: "+32 63 23 18 11".into(),
        ..Settings::default()
    };
    let app = spawn_app_with(settings).await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    // The block of `testid` (a `div` on the login page, the footer's `p`) holds the name and
    // both links.
    let has_contact = |page: &common::portal::Page, testid: &str| {
        let marker = format!("data-testid=\"{testid}\"");
        let start = page
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no {testid} on {}: {}", page.path, page.html));
        let rest = &page.html[start..];
        let end = if testid == "login-contact" {
            "</div>"
        } else {
            "</p>"
        };
        let block = &rest[..rest.find(end).unwrap_or(rest.len())];
        assert!(block.contains("Centrale d'achat IDELUX"), "{block}");
        assert!(
            block.contains("href=\"mailto:achats@idelux.example.be\""),
            "{block}"
        );
        assert!(block.contains("href=\"tel:+3263231811\""), "{block}");
        assert!(block.contains(">+32 63 23 18 11</a>"), "{block}");
    };
    let browser = Browser::new(&app);
    let login = browser.get("/portail/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    has_contact(&login, "login-contact");
    has_contact(&login, "footer-contact");
    // A failed login shows it again, where the provider needs it.
    let failed = browser.login_with(NUAGIX, "pas-le-bon").await;
    has_contact(&failed, "login-contact");
    browser.login(NUAGIX).await;
    let pages = [
        "/portail/invitations".to_string(),
        format!("/portail/invitations/{inv}"),
        format!("/portail/invitations/{inv}/offre"),
        // The portal's 404, and axum's own refusals turned into French pages.
        "/portail/nulle-part".to_string(),
        "/portail/deconnexion".to_string(),
    ];
    for path in &pages {
        let page = browser.get(path).await;
        assert!(page.has("<footer"), "{path}");
        has_contact(&page, "footer-contact");
    }
    // A refused form's page too.
    let refused = browser
        .post(&format!("/portail/invitations/{inv}/offre"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    has_contact(&refused, "footer-contact");

    // Unset: the default name, and no empty links.
    let plain = spawn_app().await;
    let login = Browser::new(&plain).get("/portail/connexion").await;
    assert!(login.has("data-testid=\"login-contact\""));
    assert!(login.has("Centrale d'achat de l'intercommunale"));
    assert!(
        !login.has("mailto:") && !login.has("tel:"),
        "{}",
        login.html
    );
}
