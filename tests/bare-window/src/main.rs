//! A bare Tauri window: the same runtime, WebView and window size as Centrale's app, with a
//! static page and no commands. `cargo xtask bench` measures the app against it.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare window: {e}");
        std::process::exit(1);
    }
}
