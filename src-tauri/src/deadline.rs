//! A deadline typed in Brussels wall time (`2027-03-26`, `12:00`) becomes the UTC instant the
//! server stores here, by chrono-tz (`centrale_domain::time::brussels_wall_to_utc`): the UI
//! sends what the person typed and never converts a deadline with the WebView's time-zone data.

use centrale_domain::time::brussels_wall_to_utc;
use chrono::{NaiveDate, NaiveTime, SecondsFormat};
use serde_json::json;

use crate::error::{CommandError, CommandResult};

/// `2027-03-26` + `12:00` → `2027-03-26T11:00:00Z`. Refused: an unreadable date or time
/// (`invalid_input`), the hour skipped in March (`wall_time_skipped`) and the hour that
/// happens twice in October (`wall_time_repeated`), each with its French message.
pub fn brussels_instant(date: &str, time: &str) -> CommandResult<String> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        CommandError::new(
            "invalid_input",
            "Indiquez la date sous la forme jour/mois/année, par exemple 26/03/2027.",
        )
        .with_params(json!({ "field": "date" }))
    })?;
    let hour = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| {
        CommandError::new(
            "invalid_input",
            "Indiquez l'heure sous la forme heures:minutes, par exemple 12:00.",
        )
        .with_params(json!({ "field": "time" }))
    })?;
    brussels_wall_to_utc(day, hour)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .map_err(|e| CommandError {
            code: e.code().to_string(),
            message: e.to_string(),
            params: e.params(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dir. 2014/24 art. 33(5)(b) and art. 18(1): one deadline, one instant, decided in Rust.
    #[test]
    fn rule_art_33_5_b_the_desktop_converts_what_was_typed() {
        assert_eq!(
            brussels_instant("2027-03-26", "12:00").unwrap(),
            "2027-03-26T11:00:00Z"
        );
        assert_eq!(
            brussels_instant("2027-04-09", "12:00").unwrap(),
            "2027-04-09T10:00:00Z"
        );
        let gap = brussels_instant("2027-03-28", "02:30").unwrap_err();
        assert_eq!(gap.code, "wall_time_skipped");
        assert_eq!(gap.params["field"], "time");
        assert!(gap.message.contains("n'existe pas à Bruxelles"));
        let repeat = brussels_instant("2027-10-31", "02:30").unwrap_err();
        assert_eq!(repeat.code, "wall_time_repeated");
        assert!(repeat.message.contains("a lieu deux fois"));
        for (date, time, field) in [
            ("2027-02-30", "12:00", "date"),
            ("", "12:00", "date"),
            ("2027-03-26", "24:00", "time"),
            ("2027-03-26", "12h00", "time"),
        ] {
            let err = brussels_instant(date, time).unwrap_err();
            assert_eq!(err.code, "invalid_input", "{date} {time}");
            assert_eq!(err.params["field"], field, "{date} {time}");
        }
    }
}
