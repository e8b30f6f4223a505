//! The TypeScript types in `ui/src/bindings/` must be exactly what the Rust types generate.
//! `cargo xtask bindings` rewrites them (it runs this test with `CENTRALE_UPDATE_BINDINGS=1`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

/// Every `.ts` file under `dir`, by its path relative to `dir` (ts-rs puts the types of other
/// crates, such as `serde_json::Value`, in subfolders).
fn read_ts(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    collect_ts(dir, dir, &mut files);
    files
}

fn collect_ts(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_ts(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "ts") {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_committed_typescript_bindings_are_what_the_rust_types_generate() {
    let fresh = tempfile::tempdir().unwrap();
    centrale_desktop::bindings::export(fresh.path()).expect("exporting the bindings");
    let generated = read_ts(fresh.path());
    assert!(
        generated.contains_key("AppState.ts") && generated.contains_key("OrderDetail.ts"),
        "the export wrote {:?}",
        generated.keys()
    );

    let dir = committed_dir();
    if std::env::var_os("CENTRALE_UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for name in read_ts(&dir).keys() {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, text) in &generated {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        return;
    }

    let committed = read_ts(&dir);
    let mut stale = Vec::new();
    for (name, text) in &generated {
        match committed.get(name) {
            None => stale.push(format!("missing: {name}")),
            Some(old) if old != text => stale.push(format!("changed: {name}")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
        stale.push(format!("no longer generated: {name}"));
    }
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale; run `cargo xtask bindings` and commit the result:\n  {}",
        stale.join("\n  ")
    );
}

/// The names of the Tauri commands `lib.rs` registers (`tauri::generate_handler![…]`).
fn registered_commands() -> std::collections::BTreeSet<String> {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let start = lib
        .find("generate_handler![")
        .expect("lib.rs registers its commands");
    let block = &lib[start..start + lib[start..].find(']').unwrap()];
    block
        .split("commands::")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// Every `"name"` that `ui/src/api.ts` passes to `call<…>(…)`, `invoke<…>(…)` or `on<…>(…)`.
fn invoked_by_the_ui(function: &str) -> std::collections::BTreeSet<String> {
    let api = std::fs::read_to_string(committed_dir().join("../api.ts")).unwrap();
    let mut names = std::collections::BTreeSet::new();
    let opening = format!("{function}<");
    for line in api.lines() {
        let mut rest = line;
        while let Some(at) = rest.find(&opening) {
            let word_start = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
            rest = &rest[at + opening.len()..];
            // The type may nest (`Record<string, T>`): the name follows the first `>("`.
            if let (true, Some(open)) = (word_start, rest.find(">(\"")) {
                let after = &rest[open + 3..];
                if let Some(end) = after.find('"') {
                    names.insert(after[..end].to_string());
                }
            }
        }
    }
    names
}

/// Issue 18: the command names in `ui/src/api.ts` were unchecked strings. Every command the UI
/// invokes is registered, every registered command is invoked (none forgotten on either side),
/// and the events it listens to are the ones the desktop emits.
#[test]
fn the_ui_invokes_exactly_the_registered_tauri_commands() {
    let registered = registered_commands();
    // `call<…>("…")`, and `invoke<…>("…")` where a command takes raw bytes (the upload).
    let mut invoked = invoked_by_the_ui("call");
    invoked.extend(invoked_by_the_ui("invoke"));
    assert!(
        registered.contains("perform") && invoked.contains("perform"),
        "registered {registered:?}, invoked {invoked:?}"
    );
    let unknown: Vec<_> = invoked.difference(&registered).collect();
    let unused: Vec<_> = registered.difference(&invoked).collect();
    assert!(
        unknown.is_empty() && unused.is_empty(),
        "ui/src/api.ts invokes commands src-tauri/src/lib.rs does not register: {unknown:?}; \
         registered but never invoked by the UI: {unused:?}"
    );
    let events = invoked_by_the_ui("on");
    let emitted: std::collections::BTreeSet<String> = [
        centrale_desktop::EVENT_SYNC_STATUS,
        centrale_desktop::EVENT_DATA_CHANGED,
        centrale_desktop::update::EVENT_UPDATE_PROGRESS,
    ]
    .map(String::from)
    .into();
    assert_eq!(events, emitted, "the events ui/src/api.ts listens to");
}

/// The generated rules are the domain's: a limit and an act table read back from `rules.ts`.
#[test]
fn the_generated_rules_are_the_domains() {
    let rules = centrale_desktop::bindings::rules_ts();
    for (name, value) in centrale_domain::limits::ALL {
        assert!(rules.contains(&format!("  {name}: {value},\n")), "{name}");
    }
    assert!(rules.contains("  cancel: [\"draft\",\"submitted\"],\n"));
    assert!(rules.contains("  withdraw: [\"competition_open\",\"offers_opened\",\"evaluated\"],\n"));
    // Who designates each substitute (CDLD L1123-5, L1132-4, L1124-19).
    assert!(rules.contains(
        "  mayor_acting: {\"alderman\":true,\"max_months\":null,\"organs\":[\"college\",\"mayor\"]},\n"
    ));
    assert!(rules.contains(
        "  delegated_alderman: {\"alderman\":true,\"max_months\":null,\"organs\":[\"mayor\"]},\n"
    ));
    assert!(rules.contains(
        "  director_general_acting: {\"alderman\":false,\"max_months\":3,\"organs\":[\"college\",\"director_general\"]},\n"
    ));
    // The documents a delegation of the bourgmestre's signature may list (L1132-4).
    assert!(rules.contains("export const DELEGATED_DOCUMENTS: readonly DelegatedDocument[] = [\"adhesion\", \"termination\", \"withdrawal\", \"set_aside\", \"award\", \"acceptance\"];\n"));
    // The two titulars' own acts, each recorded from its author's account.
    assert!(rules.contains("  mayor: \"mayor\",\n  director_general: \"director_general\",\n"));
}

/// The acts that ask for a one-time code and the roles that must have a second factor reach
/// the UI from the domain (issue 17 point 9), never as a list typed in TypeScript.
#[test]
fn the_signing_kinds_and_the_roles_bound_to_a_second_factor_are_the_domains() {
    let rules = centrale_desktop::bindings::rules_ts();
    let kinds = "export const SIGNING_KINDS = [\n  \"sign_adhesion\",\n  \"countersign_adhesion\",\n  \"terminate_adhesion\",\n  \"award_order\",\n  \"direct_award_order\",\n  \"issue_purchase_order\",\n  \"accept_provisional\",\n  \"accept_final\",\n  \"submit_offer\",\n  \"submit_pooled_offer\",\n] as const;\n";
    assert!(rules.contains(kinds), "{rules}");
    assert!(rules.contains(
        "export const SECOND_FACTOR_REQUIRED_ROLES: readonly Role[] = [\"centrale_staff\"];\n"
    ));
    assert!(rules.contains("  SECOND_FACTOR_OFFLINE_VALIDITY_HOURS: 168,\n"));
}
