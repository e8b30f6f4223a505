//! Tauri's build step: the app's context (configuration, icons, capabilities) for `generate_context!`.

fn main() {
    tauri_build::build();
    // Linux: the executable's relative relocations packed (RELR, glibc 2.36 as on Debian 12,
    // where the .deb is built and installed). The loader read 3.6 MB of `.rela.dyn` at every
    // start, resident in the app's memory afterwards (issue 19 §5); packed, a few kilobytes.
    // The executable stays position-independent (its address randomised).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
