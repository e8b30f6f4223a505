//! The paper of a call-off, measured (issue 12 §4): the time to typeset the whole file of an
//! accepted call-off (every document bound with a table of contents) against the time the
//! same engine takes for a one-page document of the same call-off, in the same run; and how
//! much memory the generation takes above what the process held before (peak RSS growth —
//! the desktop app generates in its own process, with this crate).
//!
//! Prints `BENCH <name> <value> <unit>`; never fails on speed. `cargo xtask bench` runs it.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use centrale_documents::{Letterhead, OrderDocument, OrderFile, Signer};
use chrono::{TimeZone, Utc};

/// Timed renders of each document; the medians are compared.
const ROUNDS: usize = 7;

fn main() {
    let call_off = common::accepted_call_off();
    let addresses = HashMap::from([
        (common::P1, "Rue du Parc 12, 6800 Libramont".to_string()),
        (common::P2, "Avenue de la Gare 3, 6880 Bertrix".to_string()),
    ]);
    let (dg, mayor) = common::signatures("ab");
    let signers = vec![Signer::signatory(&dg), Signer::signatory(&mayor)];
    let file = OrderFile {
        head: Letterhead {
            centrale: "Centrale d'achat de l'intercommunale".into(),
            commune: "Bertrix".into(),
        },
        order: &call_off.order,
        framework: &call_off.framework,
        terms: call_off.framework.current().expect("the framework's terms"),
        service_name: "E-guichet",
        offers: &call_off.offers,
        providers: &call_off.names,
        addresses: &addresses,
        service_names: &HashMap::new(),
        signatories: &signers,
        generated_at: Utc.with_ymd_and_hms(2027, 9, 2, 8, 30, 0).unwrap(),
    };

    // The first render loads the embedded fonts: measured apart, then the steady state.
    let rss_before = status_kib("VmRSS");
    reset_peak_rss();
    let first = Instant::now();
    let whole = file.pdf(OrderDocument::WholeFile).expect("the whole file");
    let first_whole = first.elapsed();
    let peak_during = status_kib("VmHWM");

    // A one-page document of the same call-off: the engine's cost for one page.
    let one_page = file
        .available()
        .into_iter()
        .filter(|d| *d != OrderDocument::WholeFile)
        .find(|d| file.pdf(*d).map(|r| r.pages == 1).unwrap_or(false))
        .expect("a one-page document of the call-off");
    eprintln!(
        "whole file: {} pages; one page: {}",
        whole.pages,
        one_page.title_fr()
    );

    let mut whole_times = Vec::new();
    let mut page_times = Vec::new();
    for _ in 0..ROUNDS {
        // typst memoizes layout across calls: without emptying its cache, a second render of
        // the same source is a lookup, not typesetting (the app renders each document once).
        typst::comemo::evict(0);
        let t = Instant::now();
        let r = file.pdf(OrderDocument::WholeFile).expect("the whole file");
        whole_times.push(t.elapsed());
        assert_eq!(r.pages, whole.pages);
        typst::comemo::evict(0);
        let t = Instant::now();
        file.pdf(one_page).expect("the one-page document");
        page_times.push(t.elapsed());
    }
    let whole_ms = median(&mut whole_times).as_secs_f64() * 1000.0;
    let page_ms = median(&mut page_times).as_secs_f64() * 1000.0;

    println!("BENCH documents_whole_file_pages {} pages", whole.pages);
    println!("BENCH documents_whole_file_ms {whole_ms:.1} ms");
    println!("BENCH documents_one_page_ms {page_ms:.1} ms");
    println!(
        "BENCH documents_whole_file_vs_one_page_ratio {:.2} ratio",
        whole_ms / page_ms
    );
    println!(
        "BENCH documents_whole_file_vs_one_page_per_page_ratio {:.2} ratio",
        whole_ms / page_ms / whole.pages as f64
    );
    println!(
        "BENCH documents_first_whole_file_ms {:.1} ms",
        first_whole.as_secs_f64() * 1000.0
    );
    if let (Some(before), Some(peak)) = (rss_before, peak_during) {
        println!(
            "BENCH documents_whole_file_memory_growth_mib {:.1} MiB",
            peak.saturating_sub(before) as f64 / 1024.0
        );
        println!(
            "BENCH documents_whole_file_peak_vs_before_ratio {:.2} ratio",
            peak as f64 / before as f64
        );
    }
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// A `/proc/self/status` line in KiB (`VmRSS`, `VmHWM`); `None` off Linux.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Resets the peak RSS (`VmHWM`) to the current RSS (Linux: `5` into `clear_refs`), so that
/// the next peak is the generation's.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
