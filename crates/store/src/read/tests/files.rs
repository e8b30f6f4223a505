//! The files of the framework documents kept on this PC (issue 12 §2): which ones it needs
//! (the version each order is pinned to and the current version), kept only when they are
//! the file their hash names, checked again on every read; a damaged copy is dropped so the
//! next sync fetches it again.

use centrale_domain::catalogue::{FrameworkAgreement, FrameworkDocument, Service};
use centrale_domain::order::OrderStatus;
use centrale_domain::sha256_hex;
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::fixture::*;
use crate::KeptFile;

fn document(content: &[u8], version: &str) -> FrameworkDocument {
    FrameworkDocument {
        title_fr: "Cahier spécial des charges".into(),
        version: version.into(),
        file_name: "csc.pdf".into(),
        sha256: sha256_hex(content),
    }
}

#[test]
fn the_pc_keeps_the_pinned_and_current_files_and_checks_them_on_every_read() {
    let f = fixture();
    let store = &f.store;
    let (v1_file, v2_file) = (b"%PDF-1.4 v1".to_vec(), b"%PDF-1.4 v2".to_vec());
    let (v1_sha, v2_sha) = (sha256_hex(&v1_file), sha256_hex(&v2_file));
    let service = Service {
        id: Uuid::from_u128(9_101),
        framework_id: Uuid::from_u128(9_201),
        added_on: None,
        from_need: None,
        code: "voirie".into(),
        ..f.eguichet.clone()
    };
    let mut v1 = terms(1, &[f.p1.id], 18_000, date(2029, 2, 28));
    v1.documents = vec![document(&v1_file, "1.0")];
    let mut v2 = terms(2, &[f.p1.id], 18_000, date(2029, 2, 28));
    v2.documents = vec![document(&v2_file, "1.1")];
    let framework = FrameworkAgreement {
        id: service.framework_id,
        service_id: service.id,
        reference: "CA-2026-09".into(),
        title_fr: "Voirie".into(),
        call_off_method: centrale_domain::catalogue::CallOffMethod::MiniCompetition,
        versions: vec![v1, v2],
    };
    put(
        store,
        RecordKind::Framework,
        &framework.id.to_string(),
        &framework,
        false,
        false,
    );
    // An order sent under version 1, before version 2 was published.
    let pinned = order(
        9_077,
        &service,
        OrderStatus::Submitted,
        "Signalement voirie",
    );
    put(
        store,
        RecordKind::Order,
        &pinned.id.to_string(),
        &pinned,
        false,
        false,
    );

    let ours = |s: &crate::Store| -> Vec<String> {
        s.needed_document_files()
            .unwrap()
            .into_iter()
            .map(|n| n.sha256)
            .filter(|h| *h == v1_sha || *h == v2_sha)
            .collect()
    };
    let mut both = vec![v1_sha.clone(), v2_sha.clone()];
    both.sort();
    assert_eq!(
        ours(store),
        both,
        "the pinned version's file and the current one's"
    );

    // A file that is not the one its hash names is refused, nothing kept.
    let err = store.put_document_file(&v1_sha, &v2_file).unwrap_err();
    assert_eq!(err.code(), "document_file_hash_mismatch");
    assert_eq!(store.document_file(&v1_sha).unwrap(), KeptFile::Missing);

    store.put_document_file(&v1_sha, &v1_file).unwrap();
    store.put_document_file(&v2_sha, &v2_file).unwrap();
    assert!(ours(store).is_empty());
    assert_eq!(
        store.document_file(&v1_sha).unwrap(),
        KeptFile::Sound(v1_file.clone())
    );

    // A damaged copy is detected, dropped, and needed again.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE document_files SET content = X'00' WHERE sha256 = ?1",
                [&v1_sha],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(store.document_file(&v1_sha).unwrap(), KeptFile::Corrupt);
    assert_eq!(store.document_file(&v1_sha).unwrap(), KeptFile::Missing);
    assert_eq!(ours(store), vec![v1_sha.clone()]);
}
