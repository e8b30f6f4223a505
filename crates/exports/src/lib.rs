//! The centrale's lists as CSV files a Belgian spreadsheet opens as they are (issue 12 §3):
//! the orders, the deployments' milestones, the communes with their adhesion, and what the
//! awards consumed of each framework's maximum value, per commune.
//!
//! Pure: the store's read models in, bytes out ([`table`] writes, [`sheets`] chooses the
//! columns). The desktop app calls it from its cache, offline, and saves the file where its
//! PDFs go.

pub mod sheets;
pub mod table;

pub use table::{Cell, Table};
