//! Tauri's build step: the app's context (configuration, icons, capabilities) for `generate_context!`.

fn main() {
    tauri_build::build();
}
