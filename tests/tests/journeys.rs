//! The journeys that drive the real desktop app (tauri-driver, WebKitWebDriver, Xvfb), in one
//! test binary; `cargo xtask test` runs it apart, one app at a time.

#[path = "centrale_journeys.rs"]
mod centrale_journeys;
#[path = "desktop_journeys.rs"]
mod desktop_journeys;
