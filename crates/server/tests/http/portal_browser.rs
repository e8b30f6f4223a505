//! The providers' portal in a real browser: headless Debian Chromium driven by chromedriver
//! (WebDriver, through `fantoccini`) against the in-process server and its manual clock.
//!
//! Journey: « a provider's account manager logs in, submits an offer (first above the ceiling,
//! then corrected), replaces it, is refused once the deadline has passed, then reads the
//! outcome and records the kick-off ».
//!
//! Chromium and chromedriver are required (`apt-get install -y chromium chromium-driver`;
//! `cargo xtask test` installs them): without them the test fails and says so. Each run starts
//! its own chromedriver on a free port with a fresh profile directory, so runs in parallel do
//! not meet. Set `CENTRALE_PORTAL_SCREENSHOTS=<folder>` to keep a PNG of each page.

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use centrale_protocol::records::RecordKind;
use centrale_server::seed::demo_provider_id;
use chrono::Duration;
use common::portal::{evaluate_and_award, stored_offers};
use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use uuid::Uuid;

/// The first of `candidates` that exists (absolute) or is found on PATH (bare name).
fn locate(candidates: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    candidates.iter().find_map(|c| {
        let p = Path::new(c);
        if p.is_absolute() {
            return p.is_file().then(|| p.to_path_buf());
        }
        std::env::split_paths(&path)
            .map(|dir| dir.join(c))
            .find(|full| full.is_file())
    })
}

fn required(what: &str, env: &str, candidates: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    locate(candidates).unwrap_or_else(|| {
        panic!(
            "{what} est introuvable ({}) : ce test a besoin de Chromium et de chromedriver. \
             Installez-les avec `apt-get install -y chromium chromium-driver` (ce que fait \
             `cargo xtask test` en root), ou indiquez leur chemin dans {env}.",
            candidates.join(", ")
        )
    })
}

/// A chromedriver of our own, killed with its browsers when the test ends (even by a panic).
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    #[allow(unsafe_code, reason = "killpg: std cannot signal a process group")]
    fn drop(&mut self) {
        // chromedriver leads its own process group: end it and the Chromium it started. Not
        // through the `kill` command: procps' `kill -KILL -<pgid>` was seen to signal every
        // process of the user (as `kill -1` does), taking the test runner down with it.
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            if pgid > 1 {
                // SAFETY: killpg only sends a signal; the group is the one chromedriver leads
                // (spawned with `process_group(0)`), still ours until `wait` below reaps it.
                unsafe {
                    libc::killpg(pgid, libc::SIGKILL);
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

async fn start_driver(chromedriver: &Path) -> Driver {
    use std::os::unix::process::CommandExt;
    let http = reqwest::Client::new();
    // A port found free may be taken before chromedriver binds it: try a few.
    for _ in 0..3 {
        let port = free_port();
        let mut child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver ne démarre pas ({}) : {e}",
                    chromedriver.display()
                )
            });
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while started.elapsed() < StdDuration::from_secs(20) {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if let Ok(r) = http.get(format!("{url}/status")).send().await {
                if r.status().is_success() {
                    return Driver {
                        child,
                        url,
                        _profile: tempfile::tempdir().expect("profile directory"),
                    };
                }
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("chromedriver n'a pas répondu sur un port libre (3 essais)");
}

async fn open_browser(driver: &Driver, chromium: &Path) -> Client {
    let profile = driver._profile.path().display().to_string();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=fr-BE", "--window-size=1280,1000",
                format!("--user-data-dir={profile}"),
            ]
        }
    });
    let caps = caps.as_object().cloned().unwrap_or_default();
    // reqwest (ring) and fantoccini (aws-lc-rs) both bring a rustls backend: name one, or
    // rustls cannot pick. Only plain http to the local chromedriver is used anyway.
    let _ = rustls::crypto::ring::default_provider().install_default();
    ClientBuilder::rustls()
        .expect("WebDriver client")
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("Chromium ne démarre pas sous chromedriver : {e}"))
}

/// Runs axe-core (the UI's own copy, `ui/node_modules/axe-core`, which `cargo xtask test`
/// installs) on the page as Chromium lays it out, and fails on a serious or critical issue
/// (issue 15, point 8: the portal's pages are checked like the app's screens).
async fn check_accessibility(client: &Client, page: &str) {
    let axe =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe).unwrap_or_else(|e| {
        panic!(
            "{} ({e}): run `npm ci` in ui/ (cargo xtask test does)",
            axe.display()
        )
    });
    let script = format!(
        "if (!window.axe) {{ {source}\n }}\n{}",
        include_str!("../../../../tests/axe_serious.js")
    );
    let found = client
        .execute_async(&script, vec![])
        .await
        .expect("run axe in the page");
    let issues: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    assert!(
        issues.is_empty(),
        "accessibility issues on the portal's « {page} »:\n  {}",
        issues.join("\n  ")
    );
}

/// Checks the page with axe at that size, then saves the viewport as `portal-<name>.png`
/// when screenshots are asked for.
async fn shot(client: &Client, name: &str, width: u32, height: u32) {
    client
        .set_window_size(width, height)
        .await
        .expect("window size");
    check_accessibility(client, name).await;
    if let Some(dir) = std::env::var_os("CENTRALE_PORTAL_SCREENSHOTS") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(Path::new(&dir).join(format!("portal-{name}.png")), png).expect("write png");
    }
    client
        .set_window_size(1280, 1000)
        .await
        .expect("window size");
}

async fn css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(StdDuration::from_secs(20))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("élément {selector} absent : {e}"))
}

async fn type_into(client: &Client, selector: &str, text: &str) {
    let field = css(client, selector).await;
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn text_of(client: &Client, selector: &str) -> String {
    css(client, selector).await.text().await.expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_submits_replaces_and_is_refused_after_the_deadline_in_chromium() {
    let chromium = required(
        "Chromium",
        "CENTRALE_CHROMIUM",
        &["/usr/lib/chromium/chromium", "chromium", "chromium-browser"],
    );
    let chromedriver = required(
        "chromedriver",
        "CENTRALE_CHROMEDRIVER",
        &["chromedriver", "/usr/lib/chromium/chromedriver"],
    );
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    // The other provider answers through its desktop app (the API).
    let civitech_offer = Uuid::now_v7();
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            civitech_offer,
            &competition.invitation_id("civitech"),
            420_000,
            17_000,
        ),
    )
    .await;
    // An hour before the deadline, so that the session lasts past it.
    app.clock.set(competition.deadline - Duration::hours(1));

    let driver = start_driver(&chromedriver).await;
    let client = open_browser(&driver, &chromium).await;
    let base = app.base.clone();

    // Log in.
    client
        .goto(&format!("{base}/portail/invitations"))
        .await
        .unwrap();
    css(&client, "[data-testid=login-form]").await;
    shot(&client, "login", 1280, 800).await;
    type_into(&client, "#identifiant", NUAGIX).await;
    type_into(
        &client,
        "#mot-de-passe",
        centrale_server::seed::DEMO_PASSWORD,
    )
    .await;
    css(&client, "[data-testid=login-submit]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=invitations]").await;
    assert!(text_of(&client, "[data-testid=account]")
        .await
        .contains("Nuagix Services SA"));
    shot(&client, "invitations", 1280, 800).await;

    // Open the invitation, then the offer form; a price above the ceiling is explained.
    css(&client, "[data-testid=invitation-link]")
        .await
        .click()
        .await
        .unwrap();
    let countdown = text_of(&client, "[data-testid=countdown]").await;
    assert!(countdown.starts_with("Il reste"), "{countdown}");
    assert_eq!(
        text_of(&client, "[data-testid=deadline]").await,
        "14/12/2026 à 10:00"
    );
    css(&client, "[data-testid=offer-link]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=offer-form]").await;
    type_into(&client, "#prix-0", "4 600,00").await;
    type_into(&client, "#prix-1", "150").await;
    type_into(&client, "#delai", "60").await;
    css(&client, "[data-testid=submit-offer]")
        .await
        .click()
        .await
        .unwrap();
    let error = text_of(&client, "[data-testid=prix-0-error]").await;
    assert!(
        error.contains("dépasse le plafond de l'accord-cadre"),
        "{error}"
    );
    shot(&client, "offer-form-error", 1280, 1500).await;
    shot(&client, "offer-form-error-phone", 390, 1400).await;
    assert!(stored_offers(&app)
        .await
        .iter()
        .all(|o| o.provider_id != demo_provider_id("nuagix")));

    // Correct it: first the summary of exactly what will be sent (nothing stored yet), then
    // the confirmation; the receipt shows the stored offer's hash.
    type_into(&client, "#prix-0", "4 200,00").await;
    css(&client, "[data-testid=submit-offer]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=offer-summary]").await;
    assert_eq!(
        text_of(&client, "[data-testid=total-excl-vat]").await,
        // WebDriver's text turns the no-break space before € into a plain one. The yearly
        // licence over the 48-month contract: 4 200 + 9 × 150 × 4 (issue 11 rule 9).
        "9\u{202f}600,00 € HTVA"
    );
    shot(&client, "offer-review", 1280, 1100).await;
    assert!(stored_offers(&app)
        .await
        .iter()
        .all(|o| o.provider_id != demo_provider_id("nuagix")));
    css(&client, "[data-testid=confirm-offer]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=confirmation]").await;
    let own = |offers: Vec<centrale_domain::offer::Offer>| {
        offers
            .into_iter()
            .find(|o| o.provider_id == demo_provider_id("nuagix"))
            .expect("Nuagix's offer is stored")
    };
    let first = own(stored_offers(&app).await);
    assert_eq!(first.lines[0].unit_price_cents.0, 420_000);
    assert_eq!(
        text_of(&client, "[data-testid=receipt-hash]").await,
        first.content_sha256
    );
    shot(&client, "receipt", 1280, 1500).await;

    // Replace it.
    css(&client, "[data-testid=offer-link]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=replace-notice]").await;
    type_into(&client, "#prix-0", "3 950,00").await;
    css(&client, "[data-testid=submit-offer]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=replace-notice]").await;
    css(&client, "[data-testid=confirm-offer]")
        .await
        .click()
        .await
        .unwrap();
    let confirmation = text_of(&client, "[data-testid=confirmation]").await;
    assert!(confirmation.contains("remplacée"), "{confirmation}");
    let second = own(stored_offers(&app).await);
    assert_eq!((second.id, second.revision), (first.id, 2));
    assert_eq!(second.lines[0].unit_price_cents.0, 395_000);
    assert_eq!(
        text_of(&client, "[data-testid=receipt-hash]").await,
        second.content_sha256
    );

    // A third version is reviewed in time, then the deadline passes before it is confirmed:
    // the server refuses it.
    css(&client, "[data-testid=offer-link]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=offer-form]").await;
    type_into(&client, "#prix-0", "3 000,00").await;
    css(&client, "[data-testid=submit-offer]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=offer-summary]").await;
    app.clock.set(competition.deadline + Duration::minutes(1));
    css(&client, "[data-testid=confirm-offer]")
        .await
        .click()
        .await
        .unwrap();
    let refusal = text_of(&client, "[data-testid=offer-closed]").await;
    assert!(
        refusal.contains("La date limite de remise des offres est dépassée"),
        "{refusal}"
    );
    let after = own(stored_offers(&app).await);
    assert_eq!(
        (after.revision, after.lines[0].unit_price_cents.0),
        (2, 395_000)
    );
    client
        .goto(&format!("{base}/portail/invitations/{inv}/offre"))
        .await
        .unwrap();
    css(&client, "[data-testid=offer-closed]").await;
    assert!(client
        .find(Locator::Css("[data-testid=offer-form]"))
        .await
        .is_err());

    // The commune opens, evaluates and awards; the provider reads its outcome.
    let _ = app.state_of(DG).await;
    evaluate_and_award(&app, competition.order_id, second.id, civitech_offer).await;
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": competition.order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
    client
        .goto(&format!("{base}/portail/invitations/{inv}"))
        .await
        .unwrap();
    let verdict = text_of(&client, "[data-testid=outcome-verdict]").await;
    assert!(verdict.contains("Votre offre a été retenue"), "{verdict}");
    shot(&client, "outcome", 1280, 1300).await;

    // The winner records the kick-off.
    css(&client, "[data-testid=milestones-link]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=milestones]").await;
    let milestones = app.state_of(NUAGIX).await;
    let kickoff = milestones
        .find(RecordKind::Milestone, "kind", "kickoff")
        .pop()
        .expect("kick-off milestone");
    let id = kickoff["id"].as_str().unwrap();
    let today = centrale_domain::format_date(centrale_server::Clock::today(&*app.clock));
    type_into(&client, &format!("#realise-{id}"), &today).await;
    type_into(&client, &format!("#notes-{id}"), "Réunion tenue à Bertrix.").await;
    css(&client, "[data-testid=save-milestones]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=milestone-saved]").await;
    shot(&client, "milestones", 1280, 1400).await;
    let stored = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, id)
        .unwrap();
    assert_eq!(stored["notes"], "Réunion tenue à Bertrix.");
    assert!(stored["actual_date"].is_string());

    // « Mon compte »: the person's name once, the second factor off, then its first step.
    css(&client, "[data-testid=my-account]")
        .await
        .click()
        .await
        .unwrap();
    let status = text_of(&client, "[data-testid=second-factor-status]").await;
    assert!(status.contains("Non activée"), "{status}");
    shot(&client, "account-second-factor", 1280, 1000).await;
    css(&client, "[data-testid=second-factor-start]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "[data-testid=second-factor-qr]").await;
    assert!(!text_of(&client, "[data-testid=second-factor-secret]")
        .await
        .is_empty());
    shot(&client, "account-second-factor-setup", 1280, 1300).await;

    client.close().await.expect("closing the browser");
}
