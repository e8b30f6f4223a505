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
