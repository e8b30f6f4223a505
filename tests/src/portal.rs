//! The providers' portal in a real browser: headless Debian Chromium driven by chromedriver,
//! as a provider's account manager uses it. Needs `chromium` and `chromium-driver` (Debian
//! packages `cargo xtask test` installs); set `CENTRALE_CHROMIUM`/`CENTRALE_CHROMEDRIVER` to
//! use others.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::webdriver::{self, Driver};

const PATIENCE: Duration = Duration::from_secs(20);

/// The first of `candidates` that exists (absolute) or is found on PATH (bare name).
fn locate(env: &str, candidates: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    candidates
        .iter()
        .find_map(|c| {
            let p = Path::new(c);
            if p.is_absolute() {
                return p.is_file().then(|| p.to_path_buf());
            }
            std::env::split_paths(&path)
                .map(|dir| dir.join(c))
                .find(|full| full.is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "{} not found: install Chromium and chromedriver (`apt-get install -y chromium \
                 chromium-driver`, which `cargo xtask test` does as root) or set {env}",
                candidates.join(", ")
            )
        })
}

/// A browser on the portal of the server at `base`.
pub struct PortalBrowser {
    client: Client,
    base: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

impl PortalBrowser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub async fn open(base: &str) -> PortalBrowser {
        let chromium = locate(
            "CENTRALE_CHROMIUM",
            &["/usr/lib/chromium/chromium", "chromium", "chromium-browser"],
        );
        let chromedriver = locate(
            "CENTRALE_CHROMEDRIVER",
            &["chromedriver", "/usr/lib/chromium/chromedriver"],
        );
        let driver = webdriver::start("chromedriver", |port| {
            let mut command = Command::new(&chromedriver);
            command
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            command
        })
        .await;
        let profile = tempfile::tempdir().expect("browser profile");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--lang=fr-BE",
                    "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .expect("WebDriver client")
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("Chromium does not start under chromedriver: {e}"));
        PortalBrowser {
            client,
            base: base.trim_end_matches('/').to_string(),
            _driver: driver,
            _profile: profile,
        }
    }

    /// Opens a page of the server (`/portail/invitations`).
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("{path} does not open: {e}"));
    }

    /// Waits for an element: a test id (`login-form`) or a CSS selector.
    pub async fn find(&self, selector: &str) -> Element {
        let css = if selector.contains(['[', '.', '#', ' ']) {
            selector.to_string()
        } else {
            format!("[data-testid=\"{selector}\"]")
        };
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let page = match self.client.find(Locator::Css("body")).await {
                    Ok(body) => body.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("{css} never showed on the portal: {e}\n--- page ---\n{page}")
            }
        }
    }

    /// Scrolls an element to the top of the window (for a screenshot of it).
    pub async fn show(&self, selector: &str) {
        let element = self.find(selector).await;
        let arg = serde_json::to_value(&element).expect("element reference");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
            .await
            .expect("scroll");
    }

    /// Clicks an element.
    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("{selector} cannot be clicked: {e}"));
    }

    /// Replaces a field's content with `text`, typed.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let field = self.find(selector).await;
        field.clear().await.expect("clear a field");
        field.send_keys(text).await.expect("type into a field");
    }

    /// An element's visible text.
    pub async fn text(&self, selector: &str) -> String {
        self.find(selector).await.text().await.expect("text")
    }

    /// Signs in with a provider account (signing out whoever was signed in).
    pub async fn log_in(&self, username: &str, password: &str) {
        self.client
            .delete_all_cookies()
            .await
            .expect("forget the session");
        self.goto("/portail/invitations").await;
        self.find("login-form").await;
        self.type_into("#identifiant", username).await;
        self.type_into("#mot-de-passe", password).await;
        self.click("login-submit").await;
        self.find("invitations").await;
    }

    /// Saves the page as `<name>.png` in `CENTRALE_SCREENSHOTS` when it is set, at `height`
    /// pixels (the portal's pages are long; a phone-sized one shows less).
    pub async fn screenshot(&self, name: &str, height: u32) {
        let Some(dir) = std::env::var_os("CENTRALE_SCREENSHOTS") else {
            return;
        };
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        self.client
            .set_window_size(1280, height)
            .await
            .expect("window size");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("write png");
        self.client
            .set_window_size(1280, 1000)
            .await
            .expect("window size");
    }

    /// Closes the browser.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
