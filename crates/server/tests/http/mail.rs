//! Issue 14: e-mail from the server, delivered to a real SMTP server on loopback (aiosmtpd,
//! from PyPI; `cargo xtask test` installs it) and read back from its maildir: for each event
//! wired, the recipients, subject and body; SMTP down then up, and a sender that died holding
//! a message → delivered once; a bad address → a failure the centrale sees; and, sealed offers,
//! nothing sent before the deadline says anything of a submission. On SQLite and PostgreSQL.

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use centrale_protocol::records::RecordKind;
use centrale_server::mail::{deliver_due, write_due_reminders, write_late_milestones, Delivery};
use centrale_server::seed::{demo_email, demo_framework_id, demo_provider_id};
use centrale_server::{Clock, Settings};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::common::{self, *};

/// A real SMTP server (aiosmtpd) on a free loopback port, writing each message to a maildir.
pub(crate) struct Smtp {
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}

impl Smtp {
    /// A port with nothing listening yet (the SMTP server is « down »).
    fn reserved() -> Smtp {
        Smtp {
            port: free_port(),
            dir: tempfile::tempdir().expect("maildir"),
            child: None,
        }
    }

    /// Starts aiosmtpd on the port and waits until it accepts connections.
    fn start(&mut self) {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (install it: python3 -m pip install aiosmtpd)");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("aiosmtpd did not start on port {}", self.port);
    }

    pub(crate) fn up() -> Smtp {
        let mut smtp = Smtp::reserved();
        smtp.start();
        smtp
    }

    pub(crate) fn maildir(&self) -> PathBuf {
        self.dir.path().join("maildir")
    }

    /// Every message received, decoded by Python's `email` package (headers, text and HTML).
    pub(crate) fn received(&self) -> Vec<Received> {
        read_maildir(&self.maildir())
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Received {
    pub(crate) to: String,
    pub(crate) from: String,
    pub(crate) subject: String,
    pub(crate) message_id: String,
    pub(crate) text: String,
    pub(crate) html: String,
}

const READ_MAILDIR: &str = r#"
import email, email.policy, json, mailbox, sys
out = []
for msg in mailbox.Maildir(sys.argv[1], factory=None, create=False):
    msg = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    out.append({"to": str(msg["To"]), "from": str(msg["From"]), "subject": str(msg["Subject"]),
                "message_id": str(msg["Message-ID"]),
                "text": text.get_content() if text else "", "html": html.get_content() if html else ""})
print(json.dumps(out))
"#;

fn read_maildir(dir: &Path) -> Vec<Received> {
    if !dir.exists() {
        return vec![];
    }
    let output = Command::new("python3")
        .args(["-c", READ_MAILDIR])
        .arg(dir)
        .output()
        .expect("python3 reads the maildir");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the maildir as JSON")
}

pub(crate) fn settings(smtp: &Smtp) -> Settings {
    settings_at(smtp.port)
}

fn settings_at(port: u16) -> Settings {
    Settings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        smtp_security: "none".into(),
        mail_from: "Centrale d'achat <centrale@demo.centrale.example>".into(),
        public_url: "https://centrale.exemple.be".into(),
        ..Settings::default()
    }
}

/// The messages received since the last call (a maildir has no order: by `Message-ID`).
pub(crate) fn new_messages(smtp: &Smtp, seen: &mut HashSet<String>) -> Vec<Received> {
    smtp.received()
        .into_iter()
        .filter(|m| seen.insert(m.message_id.clone()))
        .collect()
}

pub(crate) async fn deliver(app: &TestApp) -> Delivery {
    deliver_due(&app.state).await.expect("delivery pass")
}

pub(crate) fn to(messages: &[Received], address: &str) -> Vec<Received> {
    messages
        .iter()
        .filter(|m| m.to.contains(address))
        .cloned()
        .collect()
}

pub(crate) fn provider_email(view: &View, short: &str) -> String {
    view.get(RecordKind::Provider, demo_provider_id(short))
        .unwrap()["contact_email"]
        .as_str()
        .unwrap()
        .to_string()
}

fn provider_name(view: &View, short: &str) -> String {
    view.get(RecordKind::Provider, demo_provider_id(short))
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every event of a mini-competition, from the adhesion to the purchase order, sends its
/// message to the right people, in French, with the Brussels deadline and the portal link;
/// and before the deadline no message says anything of a submission.
#[tokio::test]
async fn issue_14_each_event_sends_its_message_and_nothing_sealed_leaks() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    let mut seen = HashSet::new();
    let dg = demo_email(DG);
    let mayor = demo_email(MAYOR);
    let agent = demo_email(AGENT);
    let centrale = demo_email(CENTRALE);

    // The adhesion: each signatory is asked in turn, then the centrale, then everyone is told.
    activate_adhesion(&app, "84009").await;
    let d = deliver(&app).await;
    assert_eq!((d.deferred, d.failed), (0, 0));
    let adhesion = new_messages(&smtp, &mut seen);
    let subjects = |who: &str| -> Vec<String> {
        to(&adhesion, who)
            .iter()
            .map(|m| m.subject.clone())
            .collect()
    };
    // The collège's decision asks DG and mayor; the DG's signature asks the mayor again
    // (still to sign); the commune's signature and the countersignature ask the centrale.
    assert_eq!(
        subjects(&dg)
            .iter()
            .filter(|s| s.starts_with("À signer"))
            .count(),
        1
    );
    assert_eq!(
        subjects(&mayor)
            .iter()
            .filter(|s| s.starts_with("À signer"))
            .count(),
        2
    );
    let mut to_centrale: Vec<String> = subjects(&centrale)
        .into_iter()
        .filter(|s| s.starts_with("À "))
        .collect();
    to_centrale.sort();
    assert_eq!(
        to_centrale,
        [
            "À activer : adhésion de Bertrix à la centrale",
            "À contresigner : adhésion de Bertrix à la centrale",
        ]
    );
    for who in [&dg, &mayor, &agent] {
        let active = to(&adhesion, who)
            .into_iter()
            .filter(|m| m.subject.starts_with("Adhésion active"))
            .collect::<Vec<_>>();
        assert_eq!(active.len(), 1, "{who}");
        assert!(active[0].text.contains("est active"), "{}", active[0].text);
    }
    assert!(to(&adhesion, &agent)
        .iter()
        .all(|m| !m.subject.starts_with("À signer")));

    // The invitation: to each provider's contact e-mail, with deadline, documents and link.
    let c = open_competition(&app).await;
    deliver(&app).await;
    let view = app.state_of(CENTRALE).await;
    let invitations = new_messages(&smtp, &mut seen);
    assert_eq!(invitations.len(), 2, "{invitations:#?}");
    let deadline_text = centrale_domain::time::format_brussels(c.deadline);
    for short in ["nuagix", "civitech"] {
        let mine = to(&invitations, &provider_email(&view, short));
        assert_eq!(mine.len(), 1, "{short}");
        let m = &mine[0];
        assert!(
            m.subject.starts_with("Invitation à remettre offre"),
            "{}",
            m.subject
        );
        assert!(m.subject.contains("E-guichet état civil 2027"));
        assert!(m.to.contains(&provider_name(&view, short)), "{}", m.to);
        assert!(m
            .text
            .contains(&format!("Bonjour {},", provider_name(&view, short))));
        assert!(m.text.contains(&deadline_text), "{}", m.text);
        assert!(m.text.contains("heure de Bruxelles"));
        let link = format!(
            "https://centrale.exemple.be/portail/invitations/{}",
            c.invitation_id(short)
        );
        assert!(m.text.contains(&link), "{}", m.text);
        assert!(m.html.contains(&format!("href=\"{link}\"")), "{}", m.html);
        assert!(
            m.text.contains("Cahier"),
            "the documents are listed: {}",
            m.text
        );
        assert!(m.from.contains("centrale@demo.centrale.example"));
        assert!(m.message_id.contains("@demo.centrale.example"));
    }

    // A question answered: to every invited provider, the asker named nowhere.
    let question = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "order.ask_question",
        json!({"invitation_id": c.invitation_id("nuagix"), "question_id": question,
               "text": "Le connecteur BCED est-il exigé dès la mise en production ?"}),
    )
    .await;
    app.apply(
        CENTRALE,
        "order.answer_question",
        json!({"order_id": c.order_id, "question_id": question,
               "answer": "Oui : le connecteur BCED fait partie de la mise en production."}),
    )
    .await;
    deliver(&app).await;
    let answers = new_messages(&smtp, &mut seen);
    assert_eq!(
        answers.len(),
        2,
        "only the answer sends (the question sends nothing)"
    );
    for m in &answers {
        assert!(m.subject.starts_with("Réponse à une question"));
        assert!(m.text.contains("connecteur BCED est-il exigé"));
        assert!(m.text.contains("Oui : le connecteur BCED"));
        assert!(
            !m.text.contains(&provider_name(&view, "nuagix"))
                || m.to.contains(&provider_email(&view, "nuagix"))
        );
    }

    // The deadline extended: to every invited provider, new deadline and reason.
    let later = c.deadline + Duration::days(2);
    app.apply(
        CENTRALE,
        "order.extend_deadline",
        json!({"order_id": c.order_id, "deadline": later,
               "reason": "Réponse importante publiée tardivement."}),
    )
    .await;
    deliver(&app).await;
    let extended = new_messages(&smtp, &mut seen);
    assert_eq!(extended.len(), 2);
    for m in &extended {
        assert!(m.subject.starts_with("Délai prolongé"));
        assert!(m
            .text
            .contains(&centrale_domain::time::format_brussels(later)));
        assert!(m.text.contains("Réponse importante publiée tardivement."));
    }

    // Offers are submitted: nothing is written, to anyone.
    let nuagix_offer = Uuid::now_v7();
    let civitech_offer = Uuid::now_v7();
    let before = app.db.all_messages().await.unwrap().len();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &c.invitation_id("nuagix"), 400_000, 15_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            civitech_offer,
            &c.invitation_id("civitech"),
            300_000,
            10_000,
        ),
    )
    .await;
    assert_eq!(app.db.all_messages().await.unwrap().len(), before);

    // Reminders 3 days and 1 day before the deadline, once each, to every invited provider.
    app.clock.set(later - Duration::days(3));
    assert_eq!(write_due_reminders(&app.state).await.unwrap(), 2);
    assert_eq!(write_due_reminders(&app.state).await.unwrap(), 0, "once");
    app.clock.set(later - Duration::hours(20));
    assert_eq!(write_due_reminders(&app.state).await.unwrap(), 2);
    deliver(&app).await;
    let reminders = new_messages(&smtp, &mut seen);
    assert_eq!(reminders.len(), 4);
    assert_eq!(
        reminders
            .iter()
            .filter(|m| m.subject.contains("dans 3 jours"))
            .count(),
        2
    );
    assert_eq!(
        reminders
            .iter()
            .filter(|m| m.subject.contains("demain"))
            .count(),
        2
    );

    // SEALED: every message sent before the deadline, read whole: none mentions a submission
    // or an offer's price, and none names a provider to anyone but that provider.
    let before_deadline = smtp.received();
    let names = [
        provider_name(&view, "nuagix"),
        provider_name(&view, "civitech"),
    ];
    let addresses = [
        provider_email(&view, "nuagix"),
        provider_email(&view, "civitech"),
    ];
    for m in &before_deadline {
        let all = format!("{} {} {}", m.subject, m.text, m.html).to_lowercase();
        for word in [
            "a déposé",
            "a remis une offre",
            "a remis son offre",
            "offre reçue",
            "offres reçues",
            "soumis",
            "4000,00",
            "3000,00",
        ] {
            assert!(
                !all.contains(word),
                "« {word} » in a message before the deadline: {all}"
            );
        }
        for (name, address) in names.iter().zip(&addresses) {
            if !m.to.contains(address.as_str()) {
                assert!(
                    !all.contains(&name.to_lowercase()),
                    "{name} named to {}: {all}",
                    m.to
                );
            }
        }
    }
    assert!(to(&before_deadline, &dg)
        .iter()
        .all(|m| !m.subject.contains("Offres")));

    // At the deadline the offers open (here by the commune's pull): the commune's accounts and
    // the centrale learn how many offers came in.
    app.clock.set(later);
    let _ = app.state_of(DG).await;
    deliver(&app).await;
    let opened = new_messages(&smtp, &mut seen);
    // The échevin of Bertrix, a staff account of the commune, is told too.
    let alderman = demo_email(ALDERMAN);
    for who in [&dg, &mayor, &agent, &alderman, &centrale] {
        let mine = to(&opened, who);
        assert_eq!(mine.len(), 1, "{who}: {opened:#?}");
        assert!(mine[0].subject.starts_with("Offres ouvertes"));
        assert!(
            mine[0].text.contains("2 offres ont été reçues"),
            "{}",
            mine[0].text
        );
        assert!(mine[0]
            .text
            .contains("Commandes › « E-guichet état civil 2027 »"));
    }
    assert_eq!(opened.len(), 5);

    // The award notification: to each tenderer, the loser with its remedies and their days.
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let terms = framework["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let mut scores = Vec::new();
    for criterion in terms["award_criteria"].as_array().unwrap() {
        if criterion["kind"] != "quality" {
            continue;
        }
        let weight = criterion["weight"].as_u64().unwrap();
        for (offer, points) in [(nuagix_offer, weight), (civitech_offer, weight / 4)] {
            scores.push(
                json!({"offer_id": offer, "criterion_code": criterion["code"],
                "points": points.to_string(),
                "justification": "Appréciation motivée selon le critère de l'accord-cadre."}),
            );
        }
    }
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores}),
    )
    .await;
    let ranking =
        common::order_of(&app.state_of(DG).await, c.order_id)["evaluation"]["ranking"].clone();
    let first = ranking["offers"][0]["offer_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (winner, loser) = if first == nuagix_offer.to_string() {
        ("nuagix", "civitech")
    } else {
        ("civitech", "nuagix")
    };
    app.apply(
        MAYOR,
        "order.award",
        json!({"order_id": c.order_id, "offer_id": first,
               "justification": "Offre classée première selon les critères et pondérations de l'accord-cadre.",
               "college_decision": app.college("COL/2026/245")}),
    )
    .await;
    deliver(&app).await;
    let award = new_messages(&smtp, &mut seen);
    assert_eq!(award.len(), 2, "{award:#?}");
    let won = to(&award, &provider_email(&view, winner));
    assert!(won[0].subject.starts_with("Votre offre est retenue"));
    assert!(
        won[0].text.contains("La commune de Bertrix a attribué"),
        "{}",
        won[0].text
    );
    let lost = to(&award, &provider_email(&view, loser));
    assert!(lost[0].subject.starts_with("Décision d'attribution"));
    assert!(lost[0].text.contains("n'est pas retenue"));
    assert!(lost[0]
        .text
        .contains("Demande de suspension en extrême urgence"));
    assert!(lost[0].text.contains("(15 jours)") && lost[0].text.contains("(60 jours)"));

    // The purchase order: to the winner.
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": c.order_id, "reference": "BC-2026-0042",
               "contract_manager_name": "Marie Dupont",
               "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
    deliver(&app).await;
    let po = new_messages(&smtp, &mut seen);
    assert_eq!(po.len(), 1);
    assert!(po[0].to.contains(&provider_email(&view, winner)));
    assert!(po[0].subject.contains("BC-2026-0042"));
    assert!(po[0]
        .text
        .contains("Marie Dupont (Responsable informatique)"));

    // A year on, nothing was done: each milestone planned before that day is late, told once
    // to the commune's four accounts, the centrale and the provider (six messages).
    app.clock.set(later + Duration::days(365));
    let written = write_late_milestones(&app.state).await.unwrap();
    assert!(written >= 6 && written % 6 == 0, "{written}");
    let late_count = written / 6;
    assert_eq!(write_late_milestones(&app.state).await.unwrap(), 0, "once");
    deliver(&app).await;
    let late = new_messages(&smtp, &mut seen);
    for who in [
        dg.clone(),
        mayor.clone(),
        agent.clone(),
        alderman.clone(),
        centrale.clone(),
        provider_email(&view, winner),
    ] {
        let mine = to(&late, &who);
        assert_eq!(mine.len(), late_count, "{who}");
        let kickoff: Vec<_> = mine
            .iter()
            .filter(|m| {
                m.subject
                    .starts_with("Jalon en retard : Réunion de lancement")
            })
            .collect();
        assert_eq!(kickoff.len(), 1, "{who}");
        assert!(kickoff[0].text.contains("n'est pas marquée comme réalisée"));
        assert!(kickoff[0].text.contains("commune de Bertrix"));
    }
    assert!(to(&late, &provider_email(&view, winner))[0]
        .text
        .contains("https://centrale.exemple.be/portail/invitations"));
    assert!(to(&late, &provider_email(&view, loser)).is_empty());

    // Every message was sent once: the outbox has as many sent rows as the maildir messages.
    let rows = app.db.all_messages().await.unwrap();
    assert!(rows.iter().all(|r| r.sent_at.is_some() && r.attempts == 1));
    assert_eq!(rows.len(), smtp.received().len());
    assert_eq!(deliver(&app).await, Delivery::default());
}

/// The SMTP server is down: the attempt is recorded and retried after the backoff, then the
/// message is delivered once. A sender that died holding a message (after the commit, before
/// the send) leaves it to the next one when its claim expires: delivered once too.
#[tokio::test]
async fn issue_14_smtp_down_then_up_and_a_dead_sender_deliver_once() {
    let mut smtp = Smtp::reserved();
    let app = spawn_app_with(settings(&smtp)).await;
    activate_adhesion(&app, "84009").await;
    let total = app.db.all_messages().await.unwrap().len();
    assert!(total >= 5, "the adhesion wrote its messages");

    // Down: one attempt fails, the others wait for the next pass.
    let d = deliver(&app).await;
    assert_eq!((d.sent, d.deferred, d.failed), (0, 1, 0));
    let rows = app.db.all_messages().await.unwrap();
    let tried: Vec<_> = rows.iter().filter(|r| r.attempts == 1).collect();
    assert_eq!(tried.len(), 1);
    assert_eq!(
        tried[0].next_attempt_at,
        app.clock.now() + Duration::seconds(60)
    );
    assert!(tried[0].last_error.is_some());
    assert!(tried[0].sent_at.is_none() && tried[0].failed_at.is_none());

    // A sender that claimed one and died: nobody else takes it while its claim holds.
    let now = app.clock.now();
    let held = app
        .db
        .claim_message(now, now + Duration::seconds(300), "a-sender-that-died")
        .await
        .unwrap()
        .expect("a message to hold");

    // Up: the others go now; the tried one after its backoff; the held one after the claim.
    smtp.start();
    let d = deliver(&app).await;
    assert_eq!(d.sent, total - 2);
    app.clock.set(now + Duration::seconds(61));
    assert_eq!(deliver(&app).await.sent, 1);
    assert_eq!(deliver(&app).await, Delivery::default());
    app.clock.set(now + Duration::seconds(301));
    assert_eq!(deliver(&app).await.sent, 1);
    assert_eq!(deliver(&app).await, Delivery::default());
    let received = smtp.received();
    assert_eq!(received.len(), total, "each message once");
    let mut ids: Vec<_> = received.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total);
    assert!(received.iter().any(|m| m.message_id.contains(&held.id)));
    // The dead sender's late answer changes nothing.
    assert!(!app
        .db
        .mark_message_sent(&held.id, "a-sender-that-died", app.clock.now())
        .await
        .unwrap());
}

/// A port that accepts SMTP connections and never answers: a sender that reaches it is in the
/// middle of sending (the message claimed, nothing delivered) until its time limit.
struct SilentSmtp {
    port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SilentSmtp {
    fn start() -> SilentSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = accepted.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        SilentSmtp { port, accepted }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// `centrale-server serve` on the test's database, as the intercommunale runs it, sending its
/// e-mail through `smtp_port` (a conversation may last `SMTP_TIMEOUT` seconds).
fn serve_process(app: &TestApp, smtp_port: u16) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_centrale-server"));
    for var in [
        "CENTRALE_DATABASE_URL",
        "CENTRALE_CONFIG",
        "CENTRALE_BIND",
        "CENTRALE_LOG_FORMAT",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
        .env("CENTRALE_SMTP_HOST", "127.0.0.1")
        .env("CENTRALE_SMTP_PORT", smtp_port.to_string())
        .env("CENTRALE_SMTP_SECURITY", "none")
        .env(
            "CENTRALE_MAIL_FROM",
            "Centrale d'achat <centrale@demo.centrale.example>",
        )
        .env("CENTRALE_MAIL_INTERVAL_SECS", "1")
        .env("CENTRALE_SMTP_TIMEOUT_SECS", SMTP_TIMEOUT.to_string())
        .arg("--database")
        .arg(app.database_url())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting centrale-server serve")
}

/// The SMTP time limit of the server processes below: their claim on a message holds five
/// times as long (`mail::lease`).
const SMTP_TIMEOUT: u64 = 4;

/// Polls `check` every quarter of a second until it holds, at most `limit`.
async fn until(limit: std::time::Duration, what: &str, mut check: impl AsyncFnMut() -> bool) {
    let start = std::time::Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// The server process is killed (SIGKILL) after the act's commit, in the middle of sending one
/// of its messages; restarted, it sends every message once — the one it was sending once its
/// claim has passed, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_a_server_killed_between_commit_and_send_delivers_once_after_restart() {
    let silent = SilentSmtp::start();
    let app = spawn_app_with(settings_at(silent.port)).await;
    activate_adhesion(&app, "84009").await;
    let committed = app.db.all_messages().await.unwrap();
    assert!(committed.len() >= 5, "the adhesion wrote its messages");
    assert!(committed.iter().all(|m| m.sent_at.is_none()));

    // The server starts sending: it claims a message and waits for the SMTP server's greeting.
    let mut first = serve_process(&app, silent.port);
    until(
        std::time::Duration::from_secs(60),
        "the server process reaches the SMTP server",
        async || silent.accepted() > 0,
    )
    .await;
    first.kill().expect("killing the server");
    first.wait().expect("waiting for its end");
    let rows = app.db.all_messages().await.unwrap();
    let held: Vec<_> = rows.iter().filter(|m| m.claim_token.is_some()).collect();
    assert_eq!(held.len(), 1, "killed while sending one message");
    let held = held[0].clone();
    assert!(held.sent_at.is_none() && held.failed_at.is_none());
    assert_eq!(held.attempts, 0, "killed before its attempt ended");
    assert!(rows.iter().all(|m| m.sent_at.is_none()), "nothing was sent");

    // Restarted, with a working SMTP server: everything is delivered, each message once.
    let smtp = Smtp::up();
    let mut second = serve_process(&app, smtp.port);
    until(
        std::time::Duration::from_secs(120),
        "every message sent after the restart",
        async || {
            let rows = app.db.all_messages().await.unwrap();
            rows.iter().all(|m| m.sent_at.is_some())
        },
    )
    .await;
    second.kill().expect("stopping the server");
    second.wait().expect("waiting for its end");
    let rows = app.db.all_messages().await.unwrap();
    let received = smtp.received();
    assert_eq!(received.len(), rows.len(), "each message once");
    let mut ids: Vec<_> = received.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "no message twice");
    assert!(received.iter().any(|m| m.message_id.contains(&held.id)));
    let again = rows.iter().find(|m| m.id == held.id).unwrap();
    assert_eq!(
        again.attempts, 1,
        "one attempt: its delivery, after the claim passed"
    );
    assert!(
        again.sent_at.unwrap() >= held.claimed_until.unwrap(),
        "not before the dead sender's claim passed"
    );
}

/// An address the SMTP exchange cannot use is a failure recorded at once, listed for the
/// centrale (and only for it); the other recipients are served.
#[tokio::test]
async fn issue_14_a_bad_address_is_a_recorded_failure_shown_to_the_centrale() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    assert!(app
        .db
        .set_user_email(MAYOR, Some("jean dupont@@exemple"))
        .await
        .unwrap());
    activate_adhesion(&app, "84009").await;
    let d = deliver(&app).await;
    assert!(d.failed >= 1 && d.sent >= 1, "{d:?}");
    let failed = app.db.failed_messages().await.unwrap();
    assert_eq!(failed.len(), d.failed);
    assert!(failed
        .iter()
        .all(|m| m.recipient_email == "jean dupont@@exemple"));
    assert!(failed[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("invalide"));
    assert!(smtp
        .received()
        .iter()
        .all(|m| !m.to.contains("jean dupont")));

    let response = app
        .get("/api/v1/mail/failed", Some(&app.token(CENTRALE).await))
        .await;
    let text = expect_status(response, StatusCode::OK).await;
    let listed: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(listed.len(), failed.len());
    assert_eq!(listed[0]["recipient_email"], "jean dupont@@exemple");
    assert_eq!(
        listed[0]["subject"],
        "À signer : adhésion de Bertrix à la centrale"
    );
    for user in [DG, NUAGIX] {
        let response = app
            .get("/api/v1/mail/failed", Some(&app.token(user).await))
            .await;
        assert_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // Given up means given up: a later pass does not try again.
    assert_eq!(deliver(&app).await, Delivery::default());
}

/// The centrale sends a failed e-mail again from its app (`POST /api/v1/mail/failed/{id}/retry`):
/// a corrected address is checked by the domain's rule, only the centrale may, an id that is
/// not (or no longer) failed is said so; once sent again it is delivered once, to the corrected
/// address, and the audit log says who did it.
#[tokio::test]
async fn issue_14_the_centrale_sends_a_failed_mail_again_from_its_app() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    app.db
        .set_user_email(MAYOR, Some("jean dupont@@exemple"))
        .await
        .unwrap();
    activate_adhesion(&app, "84009").await;
    deliver(&app).await;
    let centrale = app.token(CENTRALE).await;
    let listed: Vec<centrale_protocol::FailedMail> = serde_json::from_str(
        &expect_status(
            app.get("/api/v1/mail/failed", Some(&centrale)).await,
            StatusCode::OK,
        )
        .await,
    )
    .unwrap();
    assert!(!listed.is_empty());
    let first = &listed[0];
    assert_eq!(first.kind, "adhesion_signature");
    assert_eq!(
        first.kind_label,
        centrale_domain::mail::MailKind::AdhesionSignature.label_fr()
    );
    assert!(!first.kind_label.contains('_'), "{}", first.kind_label);

    let retry = |id: &str, token: &str, body: Value| {
        let request = app
            .http
            .post(app.url(&format!("/api/v1/mail/failed/{id}/retry")))
            .bearer_auth(token)
            .header(
                centrale_protocol::PROTOCOL_HEADER,
                centrale_protocol::PROTOCOL_VERSION.to_string(),
            )
            .json(&body);
        async move { request.send().await.expect("POST retry") }
    };
    let dg = app.token(DG).await;
    assert_error(
        retry(&first.id, &dg, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let refused = assert_error(
        retry(&first.id, &centrale, json!({"to": "jean@exemple"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "email_invalid",
    )
    .await;
    assert_eq!(refused["details"]["email"], "jean@exemple");
    assert_eq!(refused["details"]["field"], "to");
    assert_error(
        retry("pas-un-identifiant", &centrale, json!({})).await,
        StatusCode::NOT_FOUND,
        "failed_mail_not_found",
    )
    .await;
    assert_eq!(
        app.db.failed_messages().await.unwrap().len(),
        listed.len(),
        "nothing changed by a refusal"
    );

    let fixed = "jean-pierre.collard@bertrix.example";
    let response = retry(&first.id, &centrale, json!({"to": format!(" {fixed} ")})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Sent again once it is back: a second retry of the same id is refused.
    assert_error(
        retry(&first.id, &centrale, json!({})).await,
        StatusCode::NOT_FOUND,
        "failed_mail_not_found",
    )
    .await;
    assert_eq!(deliver(&app).await.sent, 1);
    let to_mayor = to(&smtp.received(), fixed);
    assert_eq!(to_mayor.len(), 1);
    assert_eq!(to_mayor[0].subject, first.subject);
    assert_eq!(
        app.db.failed_messages().await.unwrap().len(),
        listed.len() - 1
    );
    let audit = app.db.list_audit(0, 10_000).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "mail.retry")
        .expect("an audit entry");
    assert!(entry.actor.contains("centrale.achats"), "{}", entry.actor);
}

/// The termination of an adhesion: the first signatory's notice asks the other one to sign;
/// once both have, the commune's accounts and the centrale learn the day it takes effect.
#[tokio::test]
async fn issue_14_a_termination_asks_the_other_signatory_then_tells_everyone() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    let adhesion = activate_adhesion(&app, "84009").await;
    deliver(&app).await;
    let mut seen = HashSet::new();
    let _ = new_messages(&smtp, &mut seen);
    let reason = "La commune rejoint la centrale d'achat de la province.";
    app.apply(
        DG,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason}),
    )
    .await;
    deliver(&app).await;
    let asked = new_messages(&smtp, &mut seen);
    assert_eq!(asked.len(), 1, "{asked:#?}");
    assert!(asked[0].to.contains(&demo_email(MAYOR)));
    assert!(asked[0].text.contains("signer à votre tour la résiliation"));
    assert!(asked[0].text.contains(reason));

    app.apply(
        MAYOR,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason}),
    )
    .await;
    deliver(&app).await;
    let told = new_messages(&smtp, &mut seen);
    for who in [DG, MAYOR, AGENT, ALDERMAN, CENTRALE] {
        let mine = to(&told, &demo_email(who));
        assert_eq!(mine.len(), 1, "{who}: {told:#?}");
        assert_eq!(mine[0].subject, "Résiliation de l'adhésion : Bertrix");
        // Notice given on 29/11/2026: from 01/12/2026 to 28/02/2027, effective 01/03/2027.
        assert!(
            mine[0].text.contains("prend effet le 01/03/2027"),
            "{}",
            mine[0].text
        );
    }
    assert_eq!(told.len(), 5);
}

fn admin(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_centrale-server"))
        .env_remove("CENTRALE_DATABASE_URL")
        .env_remove("CENTRALE_CONFIG")
        .env_remove("RUST_LOG")
        .arg("--database")
        .arg(app.database_url())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("running centrale-server")
}

/// The administrator's side: an account's address is checked when given; the centrale lists
/// the messages given up (`mail failed`) and puts one back in the queue (`mail retry`), which
/// is then delivered once the address is fixed.
#[tokio::test]
async fn issue_14_the_admin_commands_give_addresses_list_failures_and_retry() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    let o = admin(&app, &["user", "email", MAYOR, "jean dupont@@exemple"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("L'adresse e-mail « jean dupont@@exemple » n'est pas valide"));
    let o = admin(&app, &["mail", "failed"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Aucun e-mail non remis."));

    // A bad address slipped in (older data): the message fails, the centrale lists it.
    app.db
        .set_user_email(MAYOR, Some("jean dupont@@exemple"))
        .await
        .unwrap();
    let adhesion = Uuid::now_v7();
    app.apply(
        DG,
        "adhesion.start",
        json!({"adhesion_id": adhesion, "template_id": centrale_server::seed::demo_convention_template_id()}),
    )
    .await;
    app.apply(
        DG,
        "adhesion.record_college_decision",
        json!({"adhesion_id": adhesion, "college_decision": conseil("COL/2026/101")}),
    )
    .await;
    let d = deliver(&app).await;
    assert_eq!(
        (d.sent, d.failed),
        (1, 1),
        "the DG is asked, the mayor's address fails"
    );
    let failed = app.db.failed_messages().await.unwrap();
    let o = admin(&app, &["mail", "failed"]);
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        listed.contains(&failed[0].id) && listed.contains("jean dupont@@exemple"),
        "{listed}"
    );
    assert!(
        listed.contains("adresse « jean dupont@@exemple » invalide"),
        "{listed}"
    );

    // The account's address fixed, the message is retried to it: delivered once.
    let fixed = "jean-pierre.collard@bertrix.example";
    let o = admin(&app, &["user", "email", MAYOR, fixed]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = admin(
        &app,
        &["mail", "retry", &failed[0].id, "--to", "pas une adresse"],
    );
    assert!(!o.status.success(), "a bad --to is refused");
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("L'adresse e-mail « pas une adresse » n'est pas valide"));
    let o = admin(&app, &["mail", "retry", &failed[0].id, "--to", fixed]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The command dates the retry by the real clock: the server's clock catches up.
    app.clock.set(chrono::Utc::now() + Duration::seconds(1));
    assert_eq!(deliver(&app).await.sent, 1);
    let to_mayor = to(&smtp.received(), fixed);
    assert_eq!(to_mayor.len(), 1);
    assert!(to_mayor[0].subject.starts_with("À signer"));
    assert!(app.db.failed_messages().await.unwrap().is_empty());
    let o = admin(&app, &["mail", "retry", "pas-un-identifiant"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("n'est plus dans la liste des e-mails non remis"));
}

/// A running competition withdrawn by the commune: every invited provider is told, with the
/// motivation.
#[tokio::test]
async fn issue_14_a_withdrawn_competition_is_told_to_every_invited_provider() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    deliver(&app).await;
    let mut seen = HashSet::new();
    let _ = new_messages(&smtp, &mut seen);
    let motivation = "Le conseil communal n'a pas voté le crédit budgétaire.";
    app.apply(
        DG,
        "order.withdraw",
        json!({"order_id": c.order_id, "reason": motivation,
               "college_decision": college("COL/2026/50")}),
    )
    .await;
    deliver(&app).await;
    let told = new_messages(&smtp, &mut seen);
    let view = app.state_of(CENTRALE).await;
    assert_eq!(told.len(), 2, "{told:#?}");
    for short in ["nuagix", "civitech"] {
        let mine = to(&told, &provider_email(&view, short));
        assert_eq!(mine.len(), 1, "{short}");
        assert_eq!(
            mine[0].subject,
            "Remise en concurrence retirée : « E-guichet état civil 2027 »"
        );
        assert!(mine[0].text.contains(motivation));
        assert!(mine[0].text.contains("La commune de Bertrix a retiré"));
    }
}

/// Issue 16 §2: a commune's order of the intercommunale's accompaniment is told to the
/// centrale's staff, to plan it; its invoice is told to the commune's accounts, with its number,
/// amount and due date.
#[tokio::test]
async fn issue_16_an_accompaniment_ordered_tells_the_centrale_and_its_invoice_the_commune() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    activate_adhesion(&app, "84009").await;
    deliver(&app).await;
    let mut seen = HashSet::new();
    let _ = new_messages(&smtp, &mut seen);
    let id = uuid::Uuid::now_v7();
    app.apply(
        DG,
        "accompaniment.order",
        json!({"accompaniment_id": id, "title": "Formation à l'e-guichet",
            "lines": [{"code": "formation", "quantity": "2"}],
            "decision": college("COL/2026/330")}),
    )
    .await;
    deliver(&app).await;
    let ordered = new_messages(&smtp, &mut seen);
    let to_centrale = to(&ordered, &demo_email(CENTRALE));
    assert_eq!(to_centrale.len(), 1, "{ordered:#?}");
    assert!(to_centrale[0]
        .subject
        .contains("Accompagnement commandé par Bertrix"));
    assert!(to_centrale[0].text.contains("Formation des agents"));
    assert!(to(&ordered, &demo_email(DG)).is_empty());

    let today = today0();
    app.apply(
        CENTRALE,
        "accompaniment.plan",
        json!({"accompaniment_id": id, "dates": [{"code": "formation", "planned_on": today}]}),
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.record_delivery",
        json!({"accompaniment_id": id, "code": "formation", "delivered_on": today}),
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.invoice",
        json!({"accompaniment_id": id}),
    )
    .await;
    deliver(&app).await;
    let invoiced = new_messages(&smtp, &mut seen);
    for who in [DG, MAYOR, AGENT] {
        let mine = to(&invoiced, &demo_email(who));
        assert_eq!(mine.len(), 1, "{who}: {invoiced:#?}");
        assert!(
            mine[0].subject.starts_with("Facture ACC-"),
            "{}",
            mine[0].subject
        );
        assert!(mine[0].text.contains("à payer au plus tard le"));
    }
    assert!(to(&invoiced, &demo_email(CENTRALE)).is_empty());
}
