//! The desktop crate's integration tests, in one binary (each would otherwise link Tauri and
//! the whole client again): the TypeScript bindings, and the app's commands without a window.

#[path = "bindings.rs"]
mod bindings;
#[path = "host.rs"]
mod host;
