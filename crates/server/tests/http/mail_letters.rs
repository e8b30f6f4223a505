//! Issue 14 §1 with issue 12's letters: the award notification to each tenderer carries its
//! own letter as a PDF (the winner its notification, the other tenderer its information
//! letter), typeset by the sender from the record, delivered to a real SMTP server (aiosmtpd)
//! and read back from its maildir: the attachment is there, `application/pdf`, and its text
//! names the winner. On SQLite and PostgreSQL.

use std::process::Command;

use centrale_server::mail::deliver_due;
use centrale_server::seed::demo_provider_id;
use serde::Deserialize;

use crate::common::*;
use crate::mail::{settings, Smtp};

#[derive(Debug, Deserialize)]
struct Attached {
    file_name: String,
    content_type: String,
    text: String,
}

#[derive(Debug, Deserialize)]
struct Received {
    to: String,
    subject: String,
    attachments: Vec<Attached>,
}

/// Each message's recipient, subject and attachments, the PDFs read with `pdftotext`.
const READ_ATTACHMENTS: &str = r#"
import email, email.policy, json, mailbox, subprocess, sys
out = []
for msg in mailbox.Maildir(sys.argv[1], factory=None, create=False):
    msg = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    files = []
    for part in msg.iter_attachments():
        data = part.get_content()
        text = ""
        if part.get_content_type() == "application/pdf":
            text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout.decode()
        files.append({"file_name": part.get_filename() or "", "content_type": part.get_content_type(),
                      "text": " ".join(text.split())})
    out.append({"to": str(msg["To"]), "subject": str(msg["Subject"]), "attachments": files})
print(json.dumps(out))
"#;

fn received(smtp: &Smtp) -> Vec<Received> {
    let output = Command::new("python3")
        .args(["-c", READ_ATTACHMENTS])
        .arg(smtp.maildir())
        .output()
        .expect("python3 reads the maildir");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the maildir as JSON")
}

/// The message to `provider` (by its contact e-mail).
fn to<'a>(award: &'a [Received], provider: &serde_json::Value) -> &'a Received {
    let address = provider["contact_email"].as_str().unwrap();
    award
        .iter()
        .find(|m| m.to.contains(address))
        .expect("its message")
}

#[tokio::test]
async fn issue_14_the_award_notification_carries_each_tenderers_own_letter_as_a_pdf() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    let (order_id, _) = crate::execution::awarded(&app).await;
    let delivery = deliver_due(&app.state).await.expect("delivery pass");
    assert_eq!((delivery.deferred, delivery.failed), (0, 0));

    let view = app.state_of(CENTRALE).await;
    let provider = |short: &str| {
        view.get(
            centrale_protocol::records::RecordKind::Provider,
            demo_provider_id(short),
        )
        .unwrap()
    };
    let (winner, loser) = (provider("nuagix"), provider("civitech"));
    let winner_name = winner["name"].as_str().unwrap();
    let award: Vec<Received> = received(&smtp)
        .into_iter()
        .filter(|m| !m.attachments.is_empty())
        .collect();
    assert_eq!(award.len(), 2, "one letter to each tenderer: {award:#?}");
    let won = to(&award, &winner);
    assert!(
        won.subject.starts_with("Votre offre est retenue"),
        "{}",
        won.subject
    );
    assert_eq!(won.attachments.len(), 1);
    let letter = &won.attachments[0];
    assert_eq!(letter.content_type, "application/pdf");
    assert!(letter.file_name.ends_with(".pdf"), "{}", letter.file_name);
    assert!(
        letter.file_name.contains("Notification de l'attribution"),
        "{}",
        letter.file_name
    );
    assert!(
        letter.text.contains("Notification de l'attribution"),
        "{}",
        letter.text
    );
    assert!(letter.text.contains(winner_name), "{}", letter.text);

    let lost = to(&award, &loser);
    assert!(
        lost.subject.starts_with("Décision d'attribution"),
        "{}",
        lost.subject
    );
    assert_eq!(lost.attachments.len(), 1);
    let letter = &lost.attachments[0];
    assert_eq!(letter.content_type, "application/pdf");
    assert!(
        letter.file_name.contains("Information"),
        "{}",
        letter.file_name
    );
    // The information letter names the winner, and is addressed to the other tenderer.
    assert!(letter.text.contains(winner_name), "{}", letter.text);
    assert!(
        letter.text.contains(loser["name"].as_str().unwrap()),
        "{}",
        letter.text
    );

    // The outbox holds the reference, not the PDF; no other message carries a letter.
    let rows = app.db.all_messages().await.unwrap();
    let mut carrying = 0;
    for row in &rows {
        let attached = app.db.message_attachments(&row.id).await.unwrap();
        if row.kind == "award_notification" {
            assert_eq!(attached.len(), 1, "{row:?}");
            assert_eq!(attached[0].order_id, order_id.to_string());
            carrying += 1;
        } else {
            assert!(attached.is_empty(), "{}", row.kind);
        }
    }
    assert_eq!(carrying, 2);
}
