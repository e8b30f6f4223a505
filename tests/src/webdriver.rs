//! A WebDriver server of our own (tauri-driver for the desktop app, chromedriver for the
//! providers' portal), on a free port, ended with everything it started when dropped.

use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A WebDriver server and what it started, ended together.
pub(crate) struct Driver {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The driver leads its own process group (the browser or the app in it).
        kill_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Ends the process group `pgid` leads (a child spawned with `process_group(0)` and what it
/// started), with SIGKILL. Signalled with killpg, never with the `kill` command (`kill -KILL
/// -<pgid>` was seen to signal every process of the user).
#[allow(unsafe_code, reason = "killpg: std cannot signal a process group")]
pub(crate) fn kill_group(pgid: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        if pgid > 1 {
            // SAFETY: killpg only sends a signal, to a group our child leads, still ours until
            // the caller reaps it.
            unsafe {
                libc::killpg(pgid, libc::SIGKILL);
            }
        }
    }
}

/// A local port nobody listens on right now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Starts the driver `command(port)` builds, in its own process group, and waits for its
/// `/status`. A port found free may be taken before the driver binds it: three tries.
pub(crate) async fn start(what: &str, mut command: impl FnMut(u16) -> Command) -> Driver {
    use std::os::unix::process::CommandExt;
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let port = free_port();
        let mut child = command(port)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("{what} does not start: {e}"));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if let Ok(r) = http.get(format!("{url}/status")).send().await {
                if r.status().is_success() {
                    return Driver { child, url };
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("{what} did not answer on a free port (3 tries)");
}
