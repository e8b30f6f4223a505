//! The real desktop app (`centrale-desktop`), started by `tauri-driver` (which runs
//! WebKitWebDriver, which runs the app) and driven over WebDriver with CSS selectors on
//! `data-testid` attributes — WebKitWebDriver has no text selectors.
//!
//! Each app gets its own data folder and HOME, and the server address through
//! `CENTRALE_SERVER_URL`, so a test starts from a PC that has never run Centrale. Needs a
//! display (Xvfb) and a D-Bus session; `cargo xtask test` runs the journeys under
//! `xvfb-run dbus-run-session` with an unlocked gnome-keyring.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::webdriver::{self, free_port, Driver};

/// The locale every journey's app runs under: English, the one that reads `01/04/2027` as
/// 4 January in a browser's date input.
pub const ENGLISH_LOCALE: &str = "en_US.UTF-8";

/// How long a screen may take to show what a step waits for (sync included).
const PATIENCE: Duration = Duration::from_secs(30);

/// The built app: `CENTRALE_DESKTOP_BIN`, else `target/debug/centrale-desktop`.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CENTRALE_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("target/debug/centrale-desktop");
    assert!(
        path.exists(),
        "the desktop app is not built ({}): run `cargo build -p centrale-desktop` (after \
         `npm run build` in ui/), or `cargo xtask test`",
        path.display()
    );
    path
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("CENTRALE_TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// Starts tauri-driver with the app's environment; the app's own log (it inherits
/// tauri-driver's stderr) goes to `log`, shown when a step fails.
async fn start_driver(env: &[(&str, String)], log: &Path) -> Driver {
    let driver = tauri_driver();
    webdriver::start(
        "tauri-driver (`cargo install tauri-driver --version ^2 --locked` installs it)",
        |port| {
            let mut command = Command::new(&driver);
            command
                .args(["--port", &port.to_string()])
                .args(["--native-port", &free_port().to_string()])
                .stdout(Stdio::null());
            match std::fs::File::create(log) {
                Ok(file) => command.stderr(file),
                Err(_) => command.stderr(Stdio::null()),
            };
            for (key, value) in env {
                command.env(key, value);
            }
            command
        },
    )
    .await
}

/// A running desktop app.
pub struct DesktopApp {
    client: Client,
    driver: Driver,
    home: PathBuf,
    _fresh_home: Option<tempfile::TempDir>,
    /// When the WebDriver session (which starts the app) was asked for.
    pub requested_at: Instant,
}

/// What to start, and on which PC.
pub struct Launch {
    /// The app's binary.
    pub binary: PathBuf,
    /// The PC's folder (HOME, app data); the same folder is the same PC on the next launch.
    pub home: PathBuf,
    /// The server address given to the app.
    pub server_url: String,
}

impl Launch {
    /// The environment the app runs in on this PC.
    fn env(&self) -> Vec<(&'static str, String)> {
        let home = &self.home;
        vec![
            ("CENTRALE_SERVER_URL", self.server_url.clone()),
            (
                "CENTRALE_DATA_DIR",
                home.join("centrale").display().to_string(),
            ),
            ("XDG_DATA_HOME", home.join("data").display().to_string()),
            (
                "CENTRALE_DOCUMENTS_DIR",
                home.join("Documents/Centrale").display().to_string(),
            ),
            ("XDG_CACHE_HOME", home.join("cache").display().to_string()),
            ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".to_string()),
            // A PC set to English (dates month first, 12 h clock): what the user types must
            // still be read day first and on 24 h (`cargo xtask setup` generates the locale).
            ("LANG", ENGLISH_LOCALE.to_string()),
            ("LC_ALL", ENGLISH_LOCALE.to_string()),
            ("LANGUAGE", "en_US:en".to_string()),
            (
                "CENTRALE_LOG_FILE",
                home.join("app.log").display().to_string(),
            ),
            (
                "RUST_LOG",
                "warn,centrale_desktop=info,centrale_sync=info".to_string(),
            ),
        ]
    }

    /// Starts the program as a user does — no WebDriver — and waits for the line on its
    /// standard error that says its first screen is shown; then ends it and its WebKit
    /// processes. The time from the start to that line.
    ///
    /// WHY not through WebDriver: a start from the desktop has no WebDriver session to open,
    /// nor the tests' WebKit setting below (`cargo xtask bench`, issue 19 §5).
    pub async fn start_directly(&self, shown: &str) -> std::time::Duration {
        self.start_directly_until(&[shown]).await[0]
    }

    /// As [`Launch::start_directly`], waiting for each of `lines` (in any order): the time from
    /// the start to each, in the order asked.
    pub async fn start_directly_until(&self, lines: &[&str]) -> Vec<std::time::Duration> {
        use std::os::unix::process::CommandExt;
        use tokio::io::AsyncBufReadExt;
        let mut command = std::process::Command::new(&self.binary);
        for (key, value) in self.env() {
            // The log on standard error, where the lines are looked for; WebKit composited as
            // on a user's PC (the tests turn it off, PLATFORM.md, and then now and then WebKit
            // waits half a second before loading the page: measured on the bare window, 3
            // starts of 8 at 750 ms instead of 270).
            if key != "CENTRALE_LOG_FILE" && key != "WEBKIT_DISABLE_COMPOSITING_MODE" {
                command.env(key, value);
            }
        }
        command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        let started = Instant::now();
        let mut child = tokio::process::Command::from(command)
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", self.binary.display()));
        let stderr = child.stderr.take().expect("the program's standard error");
        let mut log = tokio::io::BufReader::new(stderr).lines();
        let mut seen: Vec<Option<std::time::Duration>> = vec![None; lines.len()];
        tokio::time::timeout(std::time::Duration::from_secs(30), async {
            while seen.iter().any(Option::is_none) {
                let Some(line) = log.next_line().await.expect("reading the program's log") else {
                    panic!("{} ended without « {lines:?} »", self.binary.display());
                };
                for (i, wanted) in lines.iter().enumerate() {
                    if seen[i].is_none() && line.contains(wanted) {
                        let after = started.elapsed();
                        eprintln!("desktop: {after:?}: {line}");
                        seen[i] = Some(after);
                    }
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{} never said all of « {lines:?} »", self.binary.display()));
        if let Some(group) = child.id() {
            crate::webdriver::kill_group(group);
        }
        let _ = child.wait().await;
        seen.into_iter().flatten().collect()
    }
}

impl DesktopApp {
    /// Starts the app on a PC that never ran Centrale, pointed at `server_url`.
    pub async fn launch(server_url: &str) -> DesktopApp {
        let fresh = tempfile::tempdir().expect("HOME of the app");
        let mut app = DesktopApp::launch_with(Launch {
            binary: app_binary(),
            home: fresh.path().to_path_buf(),
            server_url: server_url.to_string(),
        })
        .await;
        app._fresh_home = Some(fresh);
        app
    }

    /// Starts `launch.binary` on the PC `launch.home`.
    pub async fn launch_with(launch: Launch) -> DesktopApp {
        let env = launch.env();
        let home = launch.home;
        let driver = start_driver(&env, &home.join("webdriver.log")).await;
        eprintln!("desktop: tauri-driver ready at {}", driver.url);
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": launch.binary },
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        // reqwest (ring) and fantoccini both bring a rustls backend: name one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let requested_at = Instant::now();
        let client = ClientBuilder::rustls()
            .expect("WebDriver client")
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("the app does not start under tauri-driver: {e}"));
        eprintln!("desktop: session open after {:?}", requested_at.elapsed());
        DesktopApp {
            client,
            driver,
            home,
            _fresh_home: None,
            requested_at,
        }
    }

    /// The PC's folder.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The processes of the app: everything tauri-driver started but tauri-driver and
    /// WebKitWebDriver themselves (the app, and its WebKit web and network processes).
    pub fn app_processes(&self) -> Vec<u32> {
        let group = self.driver.child.id();
        let mut pids = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return pids;
        };
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp …; comm may hold spaces, so split after the last ')'.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let comm = head.split_once('(').map(|(_, c)| c).unwrap_or_default();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let pgrp = fields.get(2).and_then(|f| f.parse::<u32>().ok());
            if pgrp == Some(group)
                && pid != group
                && !comm.starts_with("tauri-driver")
                && !comm.starts_with("WebKitWebDrive")
            {
                pids.push(pid);
            }
        }
        pids
    }

    /// Closes the app.
    pub async fn quit(self) {
        let _ = self.client.close().await;
    }

    fn css(testid: &str) -> String {
        if testid.contains(['[', '.', '#', ' ']) {
            testid.to_string()
        } else {
            format!("[data-testid=\"{testid}\"]")
        }
    }

    /// Waits for an element: a test id (`sync-now`) or a CSS selector.
    pub async fn find(&self, testid: &str) -> Element {
        self.find_every(testid, Duration::from_millis(250)).await
    }

    /// [`DesktopApp::find`], looking every `period` (the benches time a start to the element:
    /// the default quarter of a second would be their resolution).
    pub async fn find_every(&self, testid: &str, period: Duration) -> Element {
        let css = Self::css(testid);
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .every(period)
            .for_element(Locator::Css(&css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!("{css} never showed: {e}\n{}", self.page_text().await),
        }
    }

    /// Every element matching now (no wait).
    pub async fn all(&self, testid: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(&Self::css(testid)))
            .await
            .unwrap_or_default()
    }

    /// Waits until `count` elements match.
    pub async fn wait_count(&self, testid: &str, count: usize) -> Vec<Element> {
        let started = Instant::now();
        loop {
            let found = self.all(testid).await;
            if found.len() == count {
                return found;
            }
            if started.elapsed() > PATIENCE {
                panic!(
                    "expected {count} × {testid}, found {}\n{}",
                    found.len(),
                    self.page_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Clicks, once the element is shown and enabled.
    pub async fn click(&self, testid: &str) {
        let started = Instant::now();
        loop {
            let element = self.find(testid).await;
            // Into the middle of the window: at the top, the sticky sync bar would take the
            // click (WebDriver scrolls an element only just into view).
            if let Ok(arg) = serde_json::to_value(&element) {
                let _ = self
                    .client
                    .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
                    .await;
            }
            let enabled = element.is_enabled().await.unwrap_or(false);
            if enabled && element.clone().click().await.is_ok() {
                return;
            }
            if started.elapsed() > PATIENCE {
                panic!("{testid} could not be clicked\n{}", self.page_text().await);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Types into a field, as a user does, after emptying it the way React sees (a prefilled
    /// date or time would otherwise keep its text in front of what is typed).
    pub async fn type_into(&self, testid: &str, text: &str) {
        self.set_value(testid, "").await;
        let field = self.find(testid).await;
        field.send_keys(text).await.expect("type");
    }

    /// The language the app's WebView runs under (`navigator.language`, e.g. `en-US`).
    pub async fn language(&self) -> String {
        self.script("return navigator.language")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Sets a field's value the way the browser does when a user picks it (date pickers and
    /// selects, which differ between WebKit builds), firing the events React listens to.
    pub async fn set_value(&self, testid: &str, value: &str) {
        let element = self.find(testid).await;
        let arg = serde_json::to_value(&element).expect("element reference");
        self.client
            .execute(
                "const [el, value] = arguments;
                 const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                   : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
                   : HTMLInputElement.prototype;
                 Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![arg, json!(value)],
            )
            .await
            .expect("set the value");
    }

    /// The text of an element.
    pub async fn text(&self, testid: &str) -> String {
        self.find(testid).await.text().await.unwrap_or_default()
    }

    /// Waits until the element's text contains `words`; returns the text.
    pub async fn wait_text(&self, testid: &str, words: &str) -> String {
        let started = Instant::now();
        loop {
            let elements = self.all(testid).await;
            for element in elements {
                let text = element.text().await.unwrap_or_default();
                if text.contains(words) {
                    return text;
                }
            }
            if started.elapsed() > PATIENCE {
                panic!(
                    "{testid} never said « {words} »\n{}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// An attribute of an element.
    pub async fn attr(&self, element: &Element, name: &str) -> String {
        element.attr(name).await.ok().flatten().unwrap_or_default()
    }

    /// Scrolls an element to the top of the window (for a screenshot of that part).
    pub async fn show(&self, testid: &str) {
        let element = self.find(testid).await;
        let arg = serde_json::to_value(&element).expect("element reference");
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -70);",
                vec![arg],
            )
            .await
            .expect("scroll");
    }

    /// Goes to a screen by its address (`#/commandes`), as a link would.
    pub async fn go(&self, hash: &str) {
        self.client
            .execute("window.location.hash = arguments[0];", vec![json!(hash)])
            .await
            .expect("navigate");
    }

    /// The whole page's text and the end of the app's log (for failure messages).
    pub async fn page_text(&self) -> String {
        let page = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(page unreadable: {e})"),
        };
        let mut log = std::fs::read_to_string(self.home.join("app.log")).unwrap_or_default();
        log.push_str("\n--- webdriver ---\n");
        log.push_str(&std::fs::read_to_string(self.home.join("webdriver.log")).unwrap_or_default());
        for pid in self.app_processes() {
            let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            log.push_str(&format!("\nprocess {pid}: {}", cmd.replace('\0', " ")));
        }
        let tail: Vec<&str> = log.lines().rev().take(80).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "--- page ---\n{page}\n--- app log (end) ---\n{}\n------------",
            tail.join("\n")
        )
    }

    /// Saves the window as `<name>.png` in `CENTRALE_SCREENSHOTS` when it is set. Taken from
    /// the X display (ImageMagick's `import`), as a person would see it: WebKitWebDriver's own
    /// screenshot command was seen to hang on some pages.
    ///
    /// Every screen state a journey shows is also checked by axe in the real WebView first
    /// (issue 15, point 8): see [`DesktopApp::check_accessibility`].
    pub async fn screenshot(&self, name: &str) {
        // A system notification from an earlier sync would cover the top of the window: the
        // screenshot shows the app (the journey that shows a notification keeps it with
        // `screenshot_with_notifications`). Without dunst running, nothing to close.
        let _ = Command::new("dunstctl")
            .arg("close-all")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        self.screenshot_with_notifications(name).await;
    }

    /// [`DesktopApp::screenshot`], the system notifications on screen kept in the picture.
    pub async fn screenshot_with_notifications(&self, name: &str) {
        self.check_accessibility(name).await;
        let Some(dir) = std::env::var_os("CENTRALE_SCREENSHOTS") else {
            return;
        };
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        // Let the last re-render and any transition settle.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let size = self
            .script("return [window.innerWidth, window.innerHeight];")
            .await;
        let width = size[0].as_u64().unwrap_or(1280);
        let height = size[1].as_u64().unwrap_or(860);
        let path = Path::new(&dir).join(format!("{name}.png"));
        let status = Command::new("import")
            .args(["-window", "root", "-crop"])
            .arg(format!("{width}x{height}+0+0"))
            .arg("+repage")
            .arg(&path)
            .status()
            .expect("ImageMagick's import (Debian package imagemagick)");
        assert!(status.success(), "import failed for {}", path.display());
    }

    /// Signs in from the sign-in screen.
    pub async fn log_in(&self, username: &str, password: &str) {
        self.type_into("login-username", username).await;
        self.type_into("login-password", password).await;
        self.click("login-submit").await;
        self.find("nav-accueil").await;
    }

    /// « Synchroniser maintenant », then waits until the bar no longer says it is syncing.
    pub async fn sync_now(&self) {
        self.click("sync-now").await;
        let started = Instant::now();
        loop {
            let button = self.find("sync-now").await;
            if button.is_enabled().await.unwrap_or(false) {
                return;
            }
            if started.elapsed() > PATIENCE {
                panic!("the sync never ended\n{}", self.page_text().await);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Runs axe-core (the UI's own copy, `ui/node_modules/axe-core`) on the page as it is in the
    /// real WebView, with its real layout and colours, and fails on a serious or critical issue.
    pub async fn check_accessibility(&self, screen: &str) {
        let axe =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).unwrap_or_else(|e| {
            panic!(
                "{} ({e}): run `npm ci` in ui/ (cargo xtask test does)",
                axe.display()
            )
        });
        // Let the last re-render settle, as the screenshot does.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let script = format!(
            "if (!window.axe) {{ {source}\n }}\n{}",
            include_str!("../axe_serious.js")
        );
        let found = self
            .client
            .execute_async(&script, vec![])
            .await
            .expect("run axe in the page");
        let issues: Vec<String> = serde_json::from_value(found).unwrap_or_default();
        assert!(
            issues.is_empty(),
            "accessibility issues on « {screen} »:\n  {}",
            issues.join("\n  ")
        );
    }

    /// Clicks the print button `testid` with the system's print dialog left out, then lays the
    /// window out as the paper will be: the stylesheet's `@media print` rules applied on
    /// screen, on an A4-wide column. What a screenshot then shows is the printout.
    /// [`DesktopApp::end_print_preview`] puts the screen back.
    pub async fn print_preview(&self, testid: &str) {
        self.script("window.print = () => {};").await;
        self.click(testid).await;
        self.script(
            "const rules = [];\n\
             for (const sheet of document.styleSheets) {\n\
               for (const rule of sheet.cssRules) {\n\
                 if (rule instanceof CSSMediaRule && /\\bprint\\b/.test(rule.media.mediaText)) {\n\
                   for (const inner of rule.cssRules) rules.push(inner.cssText);\n\
                 }\n\
               }\n\
             }\n\
             rules.push('.main { max-width: 186mm; margin: 0 auto; padding: 12mm; }');\n\
             const style = document.createElement('style');\n\
             style.id = 'print-preview';\n\
             style.textContent = rules.join('\\n');\n\
             document.head.appendChild(style);\n\
             window.dispatchEvent(new Event('beforeprint'));\n\
             window.scrollTo(0, 0);",
        )
        .await;
    }

    /// Ends [`DesktopApp::print_preview`]: the screen as it was, the print over.
    pub async fn end_print_preview(&self) {
        self.script(
            "document.getElementById('print-preview')?.remove();\n\
             window.dispatchEvent(new Event('afterprint'));",
        )
        .await;
    }

    /// Makes a recording program the PC's viewer for PDF files (through the same desktop-entry
    /// and `mimeapps.list` files a real viewer installs, read by `xdg-open`), and returns the
    /// file where it writes the path of every document it was asked to open.
    pub fn install_recording_pdf_viewer(&self) -> PathBuf {
        let opened = self.home.join("viewer-opened.txt");
        let script = self.home.join("viewer.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                opened.display()
            ),
        )
        .expect("the viewer's script");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                .expect("the viewer runs");
        }
        let applications = self.home.join("data/applications");
        std::fs::create_dir_all(&applications).expect("applications folder");
        std::fs::write(
            applications.join("centrale-test-viewer.desktop"),
            format!(
                "[Desktop Entry]\nType=Application\nName=Visionneuse PDF\nExec={} %f\nMimeType=application/pdf;\n",
                script.display()
            ),
        )
        .expect("the viewer's desktop entry");
        let config = self.home.join("config");
        std::fs::create_dir_all(&config).expect("config folder");
        std::fs::write(
            config.join("mimeapps.list"),
            "[Default Applications]\napplication/pdf=centrale-test-viewer.desktop\n",
        )
        .expect("mimeapps.list");
        opened
    }

    /// The folder the app saves its documents in on this PC.
    pub fn documents_folder(&self) -> PathBuf {
        self.home.join("Documents/Centrale")
    }

    /// Runs a script in the page (e.g. to read the window's size).
    pub async fn script(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("run a script")
    }

    /// Sets the window's size (a projector's 1280×720, say); returns the page's viewport then,
    /// `(width, height)`.
    pub async fn resize(&self, width: u32, height: u32) -> (u64, u64) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resizing the window");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let size = self
            .script("return [window.innerWidth, window.innerHeight];")
            .await;
        (
            size[0].as_u64().unwrap_or_default(),
            size[1].as_u64().unwrap_or_default(),
        )
    }

    /// Where an element is in the viewport: `(top, bottom)` in CSS pixels.
    pub async fn vertical_extent(&self, testid: &str) -> (f64, f64) {
        let css = Self::css(testid);
        let rect = self
            .script(&format!(
                "const r = document.querySelector({css:?}).getBoundingClientRect(); return [r.top, r.bottom];"
            ))
            .await;
        (
            rect[0].as_f64().unwrap_or(f64::NAN),
            rect[1].as_f64().unwrap_or(f64::NAN),
        )
    }
}
