//! The desktop app against a bare Tauri window (`centrale-bare-window`: the same runtime,
//! WebView and window size, one static page), both release builds, measured in the same run:
//!
//! - cold start to the first interactive screen, as from the desktop: from starting the
//!   process to its line saying the first screen is painted — the app's Accueil showing the
//!   commune's orders (`first_screen_shown`), a PC already signed in whose cache holds 1,000
//!   orders, against the bare window's page painted (both said by their page in the task after
//!   the frame that draws it); medians of [`STARTS`] starts each, interleaved (each first in
//!   turn), and the fastest of each; and against the bare window's page loaded (WebKit's load
//!   finished, which comes before its first frame), the bench's measure until 6 December 2026;
//! - the same through WebDriver (the journeys' way, from the session request to the first
//!   screen found, with the tests' `WEBKIT_DISABLE_COMPOSITING_MODE`), medians of
//!   [`DRIVEN_STARTS`]: there a start now and then waits about half a second before WebKit
//!   loads the page, which a start from the desktop never does (`Launch::start_directly`);
//! - memory of all the app's processes (the app, WebKit's web and network processes; PSS, so
//!   that shared pages are counted once) on the Accueil of that PC, and with the Commandes
//!   screen open on the 1,000 orders (drawing the first 100, then « Afficher … de plus »),
//!   against the bare window's processes showing its page;
//! - memory while the app typesets the whole file of an awarded call-off (issue 12 §4): the
//!   peak of the same processes, sampled every 20 ms from the click on « Enregistrer » until
//!   the file is saved, against the app idle on that order's page and against the bare window.
//!
//! Prints `BENCH <name> <value> <unit>`; never fails on speed. Needs a display and a D-Bus
//! session with a keyring: run it through `cargo xtask bench`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use centrale_server::seed::DEMO_PASSWORD;
use centrale_tests::desktop::{DesktopApp, Launch};
use centrale_tests::{mutations as m, TestServer, DG};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use uuid::Uuid;

/// Orders of the commune in the cache.
const ORDERS: usize = 1_000;
/// Cold starts of each program; the medians are compared, and the fastest (below). Fifteen, not
/// nine: on this 2-core machine the same build's median of nine moved from 1.26 to 1.47 × between
/// runs (ARCHITECTURE.md, issue 19 §5).
const STARTS: usize = 15;
/// Cold starts of each through WebDriver (the journeys' way), medians compared.
const DRIVEN_STARTS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("building the Tokio runtime");
    runtime.block_on(run());
}

fn release_binary(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("target/release").join(name);
    assert!(
        path.exists(),
        "{} is missing: `cargo xtask bench` builds it (cargo build --release -p centrale-desktop \
         -p centrale-bare-window)",
        path.display()
    );
    path
}

async fn run() {
    let app_binary = release_binary("centrale-desktop");
    let bare_binary = release_binary("centrale-bare-window");
    let server = TestServer::spawn().await;
    eprintln!("desktop_app: {ORDERS} orders for Bertrix on the server");
    let mut batch = Vec::new();
    for i in 0..ORDERS {
        batch.push(m::create_draft(
            Uuid::now_v7(),
            &format!("Commande de test n° {}", i + 1),
        ));
        if batch.len() == 100 {
            server.push(DG, &batch).await;
            batch.clear();
        }
    }
    // One call-off awarded, whose whole file the app typesets (the commune has adhered).
    centrale_tests::server::activate_adhesion(&server, centrale_tests::BERTRIX).await;
    let awarded = centrale_tests::calloff::awarded_order(&server).await;

    // The PC: signed in once, its cache filled by the first sync.
    let pc = tempfile::tempdir().expect("the PC's folder");
    let launch_app = || Launch {
        binary: app_binary.clone(),
        home: pc.path().to_path_buf(),
        server_url: server.base.clone(),
    };
    let app = DesktopApp::launch_with(launch_app()).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.go("#/commandes").await;
    // Every order is on the PC once the list says how many it does not draw yet (the first
    // 100 of the 1,000 drafts are drawn, `ORDERS_SHOWN_AT_ONCE`).
    app.wait_text("orders-more", &format!("sur {} ", ORDERS - 100))
        .await;
    app.quit().await;

    let bare_pc = tempfile::tempdir().expect("the bare window's folder");
    let launch_bare = || Launch {
        binary: bare_binary.clone(),
        home: bare_pc.path().to_path_buf(),
        server_url: server.base.clone(),
    };

    // Cold starts as from the desktop: the process started directly, timed to its line
    // saying the first screen is shown (the app: the Accueil with the commune's orders, its
    // `first_screen_shown`; the bare window: its page loaded). Interleaved.
    // Both are timed to the task after the frame that paints their content (the app's
    // `ui/src/paint.ts`, the bare window's `dist/shown.js`); the bare window's page loaded
    // (WebKit's load finished, before that frame) is kept beside it, the bench's first measure.
    // Each program goes first every other round, so that neither always starts just after the
    // other has been killed.
    let mut app_starts = Vec::new();
    let mut bare_starts = Vec::new();
    let mut bare_loads = Vec::new();
    for round in 0..STARTS {
        let app_first = round % 2 == 0;
        if app_first {
            settle().await;
            app_starts.push(launch_app().start_directly("first screen shown").await);
        }
        settle().await;
        let bare = launch_bare()
            .start_directly_until(&["bare window: page shown", "bare window: page loaded"])
            .await;
        bare_starts.push(bare[0]);
        bare_loads.push(bare[1]);
        if !app_first {
            settle().await;
            app_starts.push(launch_app().start_directly("first screen shown").await);
        }
        eprintln!(
            "start {}: app {:?}, bare window {:?} (page loaded at {:?})",
            round + 1,
            app_starts[round],
            bare[0],
            bare[1]
        );
    }
    let app_fastest = app_starts.iter().min().copied().unwrap_or_default();
    let bare_fastest = bare_starts.iter().min().copied().unwrap_or_default();
    let app_start = median(&mut app_starts);
    let bare_start = median(&mut bare_starts);
    let bare_loaded = median(&mut bare_loads);

    // The same through WebDriver, as the journeys start it: from the session request to the
    // first screen found (polled every 10 ms). Kept to compare with earlier runs; the tests'
    // WebKit setting adds its own wait now and then (`Launch::start_directly`).
    let mut driven_app = Vec::new();
    let mut driven_bare = Vec::new();
    for _ in 0..DRIVEN_STARTS {
        settle().await;
        let app = DesktopApp::launch_with(launch_app()).await;
        app.find_every("home-orders", Duration::from_millis(10))
            .await;
        driven_app.push(app.requested_at.elapsed());
        app.quit().await;
        settle().await;
        let bare = DesktopApp::launch_with(launch_bare()).await;
        bare.find_every("ready", Duration::from_millis(10)).await;
        driven_bare.push(bare.requested_at.elapsed());
        bare.quit().await;
    }
    let driven_app = median(&mut driven_app);
    let driven_bare = median(&mut driven_bare);

    let app = DesktopApp::launch_with(launch_app()).await;
    app.find("home-orders").await;
    // The setting: the Accueil of the PC with 1,000 orders, settled.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let accueil_memory = pss_kib(&app.app_processes());
    app.go("#/commandes").await;
    // Every order is on the PC once the list says how many it does not draw yet (the first
    // 100 of the 1,000 drafts are drawn, `ORDERS_SHOWN_AT_ONCE`).
    app.wait_text("orders-more", &format!("sur {} ", ORDERS - 100))
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let app_memory = pss_kib(&app.app_processes());

    // The whole file of the awarded call-off, typeset on the PC: the peak while it is made.
    app.go(&format!("#/commandes/{awarded}")).await;
    app.find("document-save-whole_file").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pids = app.app_processes();
    let idle_on_order = pss_kib(&pids);
    let peak = Arc::new(AtomicU64::new(idle_on_order.total));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done, pids) = (peak.clone(), done.clone(), pids.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(pss_kib(&pids).total, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    app.click("document-save-whole_file").await;
    app.wait_text("document-saved-whole_file", "Document enregistré")
        .await;
    done.store(true, Ordering::SeqCst);
    sampler.await.expect("the memory sampler");
    let generating = peak.load(Ordering::SeqCst);
    app.quit().await;

    let bare = DesktopApp::launch_with(launch_bare()).await;
    bare.find("ready").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let bare_memory = pss_kib(&bare.app_processes());
    bare.quit().await;

    println!("BENCH desktop_cold_start_ms {} ms", app_start.as_millis());
    println!(
        "BENCH bare_window_cold_start_ms {} ms",
        bare_start.as_millis()
    );
    println!(
        "BENCH desktop_cold_start_vs_bare_window_ratio {:.2} ratio",
        app_start.as_secs_f64() / bare_start.as_secs_f64()
    );
    println!(
        "BENCH bare_window_page_loaded_ms {} ms",
        bare_loaded.as_millis()
    );
    println!(
        "BENCH desktop_cold_start_vs_bare_window_page_loaded_ratio {:.2} ratio",
        app_start.as_secs_f64() / bare_loaded.as_secs_f64()
    );
    println!(
        "BENCH desktop_cold_start_fastest_ms {} ms",
        app_fastest.as_millis()
    );
    println!(
        "BENCH bare_window_cold_start_fastest_ms {} ms",
        bare_fastest.as_millis()
    );
    println!(
        "BENCH desktop_cold_start_fastest_vs_bare_window_fastest_ratio {:.2} ratio",
        app_fastest.as_secs_f64() / bare_fastest.as_secs_f64()
    );
    println!(
        "BENCH desktop_cold_start_via_webdriver_ms {} ms",
        driven_app.as_millis()
    );
    println!(
        "BENCH bare_window_cold_start_via_webdriver_ms {} ms",
        driven_bare.as_millis()
    );
    println!(
        "BENCH desktop_cold_start_via_webdriver_vs_bare_window_ratio {:.2} ratio",
        driven_app.as_secs_f64() / driven_bare.as_secs_f64()
    );
    println!(
        "BENCH desktop_memory_accueil_1000_orders_mib {:.1} MiB",
        accueil_memory.total as f64 / 1024.0
    );
    println!(
        "BENCH desktop_memory_accueil_1000_orders_vs_bare_window_ratio {:.2} ratio",
        accueil_memory.total as f64 / bare_memory.total as f64
    );
    println!(
        "BENCH desktop_memory_1000_orders_mib {:.1} MiB",
        app_memory.total as f64 / 1024.0
    );
    println!(
        "BENCH bare_window_memory_mib {:.1} MiB",
        bare_memory.total as f64 / 1024.0
    );
    println!(
        "BENCH desktop_memory_1000_orders_vs_bare_window_ratio {:.2} ratio",
        app_memory.total as f64 / bare_memory.total as f64
    );
    println!(
        "BENCH desktop_memory_generating_whole_file_mib {:.1} MiB",
        generating as f64 / 1024.0
    );
    println!(
        "BENCH desktop_memory_generating_whole_file_vs_idle_ratio {:.2} ratio",
        generating as f64 / idle_on_order.total as f64
    );
    println!(
        "BENCH desktop_memory_generating_whole_file_vs_bare_window_ratio {:.2} ratio",
        generating as f64 / bare_memory.total as f64
    );
    eprintln!(
        "processes on the Accueil: app {} ({:?})",
        accueil_memory.processes, accueil_memory.names
    );
    eprintln!(
        "processes: app {} ({:?}), bare window {} ({:?})",
        app_memory.processes, app_memory.names, bare_memory.processes, bare_memory.names
    );
}

/// Lets the previous program's processes end before the next cold start (a killed WebKit
/// leaves its web and network processes behind for a moment).
async fn settle() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

struct Memory {
    total: u64,
    processes: usize,
    names: Vec<String>,
}

/// The summed proportional set size of `pids`, in KiB.
fn pss_kib(pids: &[u32]) -> Memory {
    let mut total = 0;
    let mut names = Vec::new();
    for pid in pids {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        let pss: u64 = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        total += pss;
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_string();
        names.push(format!("{name} {} MiB", pss / 1024));
    }
    assert!(total > 0, "no process measured among {pids:?}");
    Memory {
        total,
        processes: pids.len(),
        names,
    }
}
