//! Golden records (issue 19 §1): one stored record of every kind, frozen as JSON under
//! `crates/server/tests/golden/<kind>.json` with the kind's format version. Each must read
//! into today's domain type and write back byte for byte the same JSON: a renamed, removed or
//! re-typed field fails here, before any stored record or any PC's copy is misread.
//!
//! Changing a format on purpose (CONTRIBUTING.md, « Formats des enregistrements »): bump
//! `RecordKind::format_version` when an older reader would misread the new JSON, then rewrite
//! the files from today's types with
//! `CENTRALE_UPDATE_GOLDEN=1 cargo nextest run --workspace --features centrale-tests/desktop-e2e -E 'test(/sync_formats/)'`
//! and review the diff (a file the new type cannot read at all is edited by hand).

use std::path::PathBuf;

use centrale_domain::{
    accompaniment, adhesion, catalogue, commune, deployment, mail, offer, order, pool, signatory,
    standing, survey,
};
use centrale_protocol::records::RecordKind;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn round_trip<T: DeserializeOwned + Serialize>(record: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(record.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// The record read into its kind's domain type and written back.
fn through_domain_type(kind: RecordKind, record: &Value) -> Result<Value, String> {
    match kind {
        RecordKind::Commune => round_trip::<commune::Commune>(record),
        RecordKind::Provider => round_trip::<catalogue::Provider>(record),
        RecordKind::Service => round_trip::<catalogue::Service>(record),
        RecordKind::Framework => round_trip::<catalogue::FrameworkAgreement>(record),
        RecordKind::ConventionTemplate => round_trip::<adhesion::ConventionTemplate>(record),
        RecordKind::Adhesion => round_trip::<adhesion::Adhesion>(record),
        RecordKind::Order => round_trip::<order::Order>(record),
        RecordKind::Invitation => round_trip::<offer::Invitation>(record),
        RecordKind::Offer => round_trip::<offer::Offer>(record),
        RecordKind::Milestone => round_trip::<deployment::Milestone>(record),
        RecordKind::Substitution => round_trip::<signatory::Substitution>(record),
        RecordKind::MailPreferences => round_trip::<mail::MailPreferences>(record),
        RecordKind::CommuneStanding => round_trip::<standing::CommuneStanding>(record),
        RecordKind::AccompanimentPriceList => {
            round_trip::<accompaniment::AccompanimentPriceList>(record)
        }
        RecordKind::AccompanimentOrder => round_trip::<accompaniment::AccompanimentOrder>(record),
        RecordKind::Survey => round_trip::<survey::Survey>(record),
        RecordKind::SurveyResponse => round_trip::<survey::SurveyResponse>(record),
        RecordKind::PooledCallOff => round_trip::<pool::PooledCallOff>(record),
    }
}

#[test]
fn every_kind_reads_and_writes_its_golden_record_unchanged() {
    let update = std::env::var_os("CENTRALE_UPDATE_GOLDEN").is_some();
    let mut problems = Vec::new();
    for kind in RecordKind::ALL {
        let path = golden_dir().join(format!("{}.json", kind.as_str()));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (one golden file per kind)", path.display()));
        let golden: Value = serde_json::from_str(&text).expect("golden JSON");
        assert_eq!(golden["kind"], kind.as_str(), "{}", path.display());
        let record = &golden["record"];
        assert!(record.is_object(), "{}: a record object", path.display());
        match through_domain_type(kind, record) {
            Ok(written) if update => {
                let file = json!({
                    "kind": kind.as_str(),
                    "format_version": kind.format_version(),
                    "record": written,
                });
                let mut out = serde_json::to_string_pretty(&file).expect("JSON");
                out.push('\n');
                std::fs::write(&path, out).expect("writing the golden file");
            }
            Ok(written) => {
                if golden["format_version"] != kind.format_version() {
                    problems.push(format!(
                        "{}: format {} in the file, {} in RecordKind::format_version",
                        kind.as_str(),
                        golden["format_version"],
                        kind.format_version()
                    ));
                }
                if &written != record {
                    problems.push(format!(
                        "{}: today's type writes another JSON than the frozen one \
                         (renamed or removed field?)\n  frozen:  {record}\n  written: {written}",
                        kind.as_str()
                    ));
                }
            }
            Err(e) => problems.push(format!(
                "{}: today's type cannot read the frozen record: {e}",
                kind.as_str()
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "golden records differ (see this file's documentation to update them on purpose):\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_renamed_field_is_caught() {
    // The check above, on purpose against a record whose field was renamed.
    let text = std::fs::read_to_string(golden_dir().join("order.json")).expect("order.json");
    let golden: Value = serde_json::from_str(&text).expect("JSON");
    let mut renamed = golden["record"].clone();
    let title = renamed["title"].take();
    renamed.as_object_mut().expect("object").remove("title");
    renamed["titre"] = title;
    let written = through_domain_type(RecordKind::Order, &renamed);
    assert!(
        !matches!(&written, Ok(w) if w == &renamed),
        "a renamed field went unnoticed: {written:?}"
    );
}

#[test]
fn every_kind_has_a_format_version() {
    for kind in RecordKind::ALL {
        assert!(kind.format_version() >= 1, "{kind:?}");
    }
}
