//! A bare Tauri window: the same runtime, WebView and window size as Centrale's app, with a
//! static page and one command. `cargo xtask bench` measures the app against it.

/// The page is painted: its script says so after the frame that draws it (`dist/shown.js`), as
/// the app's Accueil says « first screen shown » — the line a bench times a start by.
#[tauri::command]
fn page_shown() {
    eprintln!("bare window: page shown");
}

fn main() {
    let result = tauri::Builder::default()
        // The page loaded (WebKit's load finished), which can come before its first frame:
        // kept so that a bench can say both.
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                eprintln!("bare window: page loaded");
            }
        })
        .invoke_handler(tauri::generate_handler![page_shown])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bare window: {e}");
        std::process::exit(1);
    }
}
