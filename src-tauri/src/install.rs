//! What the installer told the app: the intercommunal server's address, set once by the
//! intercommunale's IT when it deploys Centrale, so that nobody at the commune types a URL.
//!
//! Where the address is looked for, first found wins:
//! 1. `CENTRALE_SERVER_URL` (the demo, the tests, a support technician);
//! 2. on Windows, the registry value `HKLM\SOFTWARE\Centrale\ServerUrl`, written by the MSI from
//!    its `SERVER_URL` property (`msiexec /i Centrale.msi SERVER_URL=centrale.exemple.be`);
//! 3. the file `centrale.ini` beside the executable (`server_url = …`), for a copy deployed
//!    without the MSI;
//! 4. on Linux, `/etc/centrale/centrale.ini`, which IT writes from the example the `.deb` and
//!    `.rpm` install (`/usr/share/doc/centrale/centrale.ini.exemple`); no package writes it, so
//!    an update keeps it.
//!
//! An address chosen on the PC later (the first-run screen) is kept in the cache's settings and
//! wins over all of these (`Desktop::server_url`).

use std::path::Path;

/// The configuration file the app reads beside its executable.
pub const CONFIG_FILE: &str = "centrale.ini";

/// Where the Linux packages put the configuration file (`/etc/centrale/centrale.ini`).
pub const SYSTEM_CONFIG_DIR: &str = "/etc/centrale";

/// The registry key (under `HKEY_LOCAL_MACHINE`) the MSI writes.
pub const REGISTRY_KEY: &str = r"SOFTWARE\Centrale";

/// The registry value holding the server address.
pub const REGISTRY_VALUE: &str = "ServerUrl";

/// What IT installed, read once at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Installed {
    /// The server address, tidied; `None` when nothing (valid) was installed.
    pub server_url: Option<String>,
    /// Updates install by themselves at start-up (`updates = automatic`, or
    /// `CENTRALE_UPDATES=automatic`); otherwise the person is asked (issue 13 §2).
    pub automatic_updates: bool,
}

/// Reads what IT installed: the environment, the registry, then each configuration file once
/// (beside the executable, then `/etc/centrale`).
pub fn installed() -> Installed {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    let system = (!cfg!(windows)).then(|| Path::new(SYSTEM_CONFIG_DIR).to_path_buf());
    let files = config_texts(&[beside, system].into_iter().flatten().collect::<Vec<_>>());
    let server_url = std::env::var("CENTRALE_SERVER_URL")
        .ok()
        .and_then(|url| tidy(&url))
        .or_else(|| registry_server_url().and_then(|url| tidy(&url)))
        .or_else(|| {
            files
                .iter()
                .find_map(|text| parse_config(text).and_then(|url| tidy(&url)))
        });
    let automatic_updates = std::env::var("CENTRALE_UPDATES")
        .ok()
        .or_else(|| files.iter().find_map(|text| config_value(text, "updates")))
        .is_some_and(|v| v.eq_ignore_ascii_case("automatic"));
    Installed {
        server_url,
        automatic_updates,
    }
}

/// The text of `dirs/centrale.ini` for each of `dirs` that has one, in their order.
pub fn config_texts(dirs: &[std::path::PathBuf]) -> Vec<String> {
    dirs.iter()
        .filter_map(|dir| std::fs::read_to_string(dir.join(CONFIG_FILE)).ok())
        .collect()
}

/// The `server_url` of an INI-like text: `key = value` lines, `#`/`;` comments and `[section]`
/// headers ignored, optional quotes around the value. An empty value is no value.
pub fn parse_config(text: &str) -> Option<String> {
    config_value(text, "server_url")
}

/// The value of `key` in an INI-like text (as [`parse_config`] reads `server_url`).
pub fn config_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with(['#', ';', '[']))
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, value)| value.trim().trim_matches('"').trim().to_string())
        .filter(|value| !value.is_empty())
}

/// An installed address as the first-run screen would tidy it; a wrong one is logged and
/// ignored (the screen then asks, as if nothing were installed).
fn tidy(url: &str) -> Option<String> {
    match crate::desktop::normalise_server_url(url) {
        Ok(url) => Some(url),
        Err(e) => {
            tracing::warn!(url, error = %e, "installed server address ignored");
            None
        }
    }
}

#[cfg(windows)]
fn registry_server_url() -> Option<String> {
    use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
    let key = winreg::RegKey::predef(HKEY_LOCAL_MACHINE)
        .open_subkey_with_flags(REGISTRY_KEY, KEY_READ | KEY_WOW64_64KEY)
        .ok()?;
    key.get_value::<String, _>(REGISTRY_VALUE).ok()
}

#[cfg(not(windows))]
fn registry_server_url() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_address_is_read_from_the_configuration_file() {
        assert_eq!(
            parse_config("; written by the installer\n[centrale]\nserver_url = https://centrale.exemple.be/\n"),
            Some("https://centrale.exemple.be/".into())
        );
        assert_eq!(
            parse_config("Server_URL=\"centrale.exemple.be\""),
            Some("centrale.exemple.be".into())
        );
        assert_eq!(parse_config("# server_url = https://x\n"), None);
        assert_eq!(parse_config("server_url =   \n"), None);
        assert_eq!(parse_config("other = 1\n"), None);
        assert_eq!(
            config_value("server_url = x\nupdates = automatic\n", "updates"),
            Some("automatic".into())
        );
    }

    #[test]
    fn the_configuration_file_beside_the_executable_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = [dir.path().to_path_buf()];
        assert!(config_texts(&dirs).is_empty());
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "server_url = https://centrale.exemple.be\n",
        )
        .unwrap();
        assert_eq!(
            config_texts(&dirs).iter().find_map(|t| parse_config(t)),
            Some("https://centrale.exemple.be".into())
        );
    }
}
