//! The desktop app's executable: everything is in the library (`centrale_desktop::run`).

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    centrale_desktop::run();
}
