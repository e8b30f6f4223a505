//! The desktop app against a bare Tauri window (`centrale-bare-window`: the same runtime,
//! WebView and window size, one static page), both release builds, measured in the same run:
//!
//! - cold start to the first interactive screen: from the WebDriver session request (which
//!   starts the process) to the Accueil showing the commune's orders — a PC already signed in,
//!   whose cache holds 1,000 orders — against the bare window showing its page; medians of
//!   [`STARTS`] starts each, interleaved; and the fastest start of each, since under Xvfb
//!   either program's start now and then waits about half a second before WebKit begins loading
//!   its page (seen as often for the bare window as for the app, with the app's sync off);

//! - memory of all the app's processes (the app, WebKit's web and network processes; PSS, so
//!   that shared pages are counted once) with the Commandes screen listing the 1,000 orders,
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
/// Cold starts of each program; the medians are compared, and the fastest (below).
const STARTS: usize = 9;

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
    app.wait_count("order-row", ORDERS + 1).await;
    app.quit().await;

    let bare_pc = tempfile::tempdir().expect("the bare window's folder");
    let launch_bare = || Launch {
        binary: bare_binary.clone(),
        home: bare_pc.path().to_path_buf(),
        server_url: server.base.clone(),
    };

    let mut app_starts = Vec::new();
    let mut bare_starts = Vec::new();
    for round in 0..STARTS {
        settle().await;
        let app = DesktopApp::launch_with(launch_app()).await;
        // Looked for every 10 ms: the start is timed to the page, not to a polling period.
        app.find_every("home-orders", Duration::from_millis(10))
            .await;
        app_starts.push(app.requested_at.elapsed());
        // Where the page's time went, from its navigation (stderr, for whoever reads the
        // bench's output): scripts loaded, and the first screen found.
        let timeline = app
            .script(
                "const n = performance.getEntriesByType('navigation')[0]; \
                 return JSON.stringify({now: Math.round(performance.now()), \
                 dom: n && Math.round(n.domContentLoadedEventEnd), load: n && Math.round(n.loadEventEnd)});",
            )
            .await;
        eprintln!("page timeline: {timeline}");
        app.quit().await;

        settle().await;
        let bare = DesktopApp::launch_with(launch_bare()).await;
        bare.find_every("ready", Duration::from_millis(10)).await;
        bare_starts.push(bare.requested_at.elapsed());
        bare.quit().await;
        eprintln!(
            "start {}: app {:?}, bare window {:?}",
            round + 1,
            app_starts[round],
            bare_starts[round]
        );
    }
    let app_fastest = app_starts.iter().min().copied().unwrap_or_default();
    let bare_fastest = bare_starts.iter().min().copied().unwrap_or_default();
    let app_start = median(&mut app_starts);
    let bare_start = median(&mut bare_starts);

    let app = DesktopApp::launch_with(launch_app()).await;
    app.find("home-orders").await;
    app.go("#/commandes").await;
    app.wait_count("order-row", ORDERS + 1).await;
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
