//! The TypeScript types of everything the UI receives or sends, generated from the Rust types
//! into `ui/src/bindings/` (`cargo xtask bindings`); a test fails when the committed files are
//! stale.

use std::path::Path;

use centrale_protocol::Me;
use centrale_store::read::{
    AdhesionScreen, CommuneRow, DeploymentRow, FrameworkTermsInForce, Home, OrderDetail,
    OrderFilter, OrderRow, Overview, ProviderRow, ServiceDetail, ServiceFilter, ServiceRow,
};
use centrale_store::{Conflict, OutboxEntry};
use centrale_sync::SyncStatus;
use ts_rs::{Config, ExportError, TS};

use crate::actions::{Action, Performed};
use crate::desktop::AppState;
use crate::error::CommandError;

/// Writes every binding (and the types they use) into `dir`.
pub fn export(dir: &Path) -> Result<(), ExportError> {
    let config = Config::new().with_large_int("number").with_out_dir(dir);
    AppState::export_all(&config)?;
    CommandError::export_all(&config)?;
    Action::export_all(&config)?;
    Performed::export_all(&config)?;
    Me::export_all(&config)?;
    SyncStatus::export_all(&config)?;
    Home::export_all(&config)?;
    ServiceFilter::export_all(&config)?;
    ServiceRow::export_all(&config)?;
    ServiceDetail::export_all(&config)?;
    AdhesionScreen::export_all(&config)?;
    OrderFilter::export_all(&config)?;
    OrderRow::export_all(&config)?;
    OrderDetail::export_all(&config)?;
    DeploymentRow::export_all(&config)?;
    CommuneRow::export_all(&config)?;
    ProviderRow::export_all(&config)?;
    FrameworkTermsInForce::export_all(&config)?;
    Overview::export_all(&config)?;
    OutboxEntry::export_all(&config)?;
    Conflict::export_all(&config)?;
    Ok(())
}
