//! How values are stored in columns, the same on both backends: times as RFC 3339 UTC text
//! with milliseconds (so text order is time order), booleans as BIGINT 0/1, JSON as text.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::DbError;

/// Formats a time as stored: `2026-11-03T09:15:00.000Z`.
pub(crate) fn time_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Stores a boolean as 0/1.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// Serialises a JSON document for a TEXT column.
pub(crate) fn json_text(v: &serde_json::Value) -> String {
    // Serialising a `Value` cannot fail (its map keys are strings).
    v.to_string()
}

pub(crate) fn get_i64(row: &AnyRow, col: &str) -> Result<i64, DbError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn get_opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>, DbError> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn get_bool(row: &AnyRow, col: &str) -> Result<bool, DbError> {
    Ok(get_i64(row, col)? != 0)
}

pub(crate) fn get_text(row: &AnyRow, col: &str) -> Result<String, DbError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn get_opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, DbError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn parse_time(text: &str, col: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DbError::Corrupt(format!("colonne {col} : date « {text} » illisible ({e})")))
}

pub(crate) fn get_time(row: &AnyRow, col: &str) -> Result<DateTime<Utc>, DbError> {
    parse_time(&get_text(row, col)?, col)
}

pub(crate) fn get_opt_time(row: &AnyRow, col: &str) -> Result<Option<DateTime<Utc>>, DbError> {
    get_opt_text(row, col)?
        .map(|t| parse_time(&t, col))
        .transpose()
}

pub(crate) fn parse_json(text: &str, col: &str) -> Result<serde_json::Value, DbError> {
    serde_json::from_str(text)
        .map_err(|e| DbError::Corrupt(format!("colonne {col} : JSON illisible ({e})")))
}

/// A JSON column as its text, checked to be JSON but not parsed into a tree.
pub(crate) fn get_json(row: &AnyRow, col: &str) -> Result<serde_json::Value, DbError> {
    parse_json(&get_text(row, col)?, col)
}
