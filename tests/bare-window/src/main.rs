//! A bare Tauri window: the same runtime, WebView and window size as Centrale's app, with a
//! static page and no commands. `cargo xtask bench` measures the app against it.

fn main() {
    let result = tauri::Builder::default()
        // The static page is whole once loaded: the line a bench times a start by (as the
        // app's « first screen shown »).
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                eprintln!("bare window: page shown");
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bare window: {e}");
        std::process::exit(1);
    }
}
