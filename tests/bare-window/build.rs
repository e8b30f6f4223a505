//! Tauri's build step for the bare window (configuration, capabilities).

fn main() {
    tauri_build::build();
}
