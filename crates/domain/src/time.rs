//! Time as the law counts it: Belgian calendar days in Europe/Brussels.
//!
//! The one place where an instant becomes a Brussels date, or moves by calendar days. The
//! server reads its clock once per mutation and derives the day from it here; the desktop app
//! calls the same functions with its server-adjusted clock, so a PC whose clock is a day behind
//! decides like the server.

use chrono::{DateTime, Days, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

/// The calendar day in Brussels at `now` (acts and decisions are dated in Belgian days).
pub fn brussels_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Brussels).date_naive()
}

/// Formats an instant as Brussels local time: `14/03/2027 à 12:00`.
pub fn format_brussels(at: DateTime<Utc>) -> String {
    at.with_timezone(&Brussels)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// The same Brussels wall-clock time `days` calendar days after `at`.
///
/// Ten days after 20/03/2027 at 12:00 is 30/03/2027 at 12:00 in Brussels, although summer time
/// makes that 239 hours: periods of the law are counted in days, not in blocks of 24 hours.
/// A wall time that does not exist that day (02:30 on the last Sunday of March) moves one hour
/// later; one that happens twice (October) is the earlier.
pub fn calendar_days_after(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let wall = at.with_timezone(&Brussels).naive_local();
    let Some(target) = wall.checked_add_days(Days::new(u64::from(days))) else {
        return at;
    };
    let local = match Brussels.from_local_datetime(&target) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(earlier, _) => Some(earlier),
        LocalResult::None => Brussels
            .from_local_datetime(&(target + chrono::Duration::hours(1)))
            .earliest(),
    };
    local.map_or(at, |t| t.with_timezone(&Utc))
}

/// The instant of a Brussels wall-clock date and time a person typed for a legal deadline
/// (`2027-03-26` at `12:00` → `2027-03-26T11:00:00Z`). Decided here, by chrono-tz, and nowhere
/// else: the desktop UI sends what was typed and asks (`brussels_instant`), so the WebView's
/// time-zone data never decides a deadline. A time that does not exist that day (02:30 on the
/// last Sunday of March) is refused, and so is one that happens twice (02:30 on the last
/// Sunday of October): the time limit for offers (Dir. 2014/24 art. 33(5)(b)) must name one
/// instant, the same for every invited provider (equal treatment, Dir. 2014/24 art. 18(1)).
pub fn brussels_wall_to_utc(
    date: NaiveDate,
    time: NaiveTime,
) -> Result<DateTime<Utc>, crate::DomainError> {
    match Brussels.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) => {
            Err(wall_time(crate::ErrorCode::WallTimeRepeated, date, time))
        }
        LocalResult::None => Err(wall_time(crate::ErrorCode::WallTimeSkipped, date, time)),
    }
}

/// A Brussels wall time refused: the day and the time typed, raw.
fn wall_time(code: crate::ErrorCode, date: NaiveDate, time: NaiveTime) -> crate::DomainError {
    crate::DomainError::field(code, "time")
        .with("date", date)
        .with("time", time.format("%H:%M").to_string())
}

/// The last instant of a Brussels calendar day (23:59:59.999…), as UTC: a deadline "on" that
/// day is still within a period that ends that day.
pub fn end_of_brussels_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    Brussels
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(
            || DateTime::<Utc>::from_naive_utc_and_offset(midnight, Utc),
            |t| t.with_timezone(&Utc),
        )
        - chrono::Duration::nanoseconds(1)
}

/// The last minute of a period of `days` calendar days counted from the day after `at`
/// (Brussels): a time limit « de douze jours à compter du lendemain » runs to the end of its
/// last day (AR 18 April 2017 art. 36 §2; the tenderer has the days in full, CE n° 253.125).
/// Deadlines are typed to the minute, so the end is 23:59 of the last day.
pub fn full_days_from_next_day(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let last_day = brussels_today(at)
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    end_of_brussels_day(last_day) + chrono::Duration::nanoseconds(1) - chrono::Duration::minutes(1)
}

/// How far from today a date typed for an act may lie, in years: a typing slip (year 9999,
/// year −1) is refused, while any real planning or decision of a deployment fits.
pub const ACT_DATE_SPAN_YEARS: u32 = 10;

/// `ACT_DATE_SPAN_YEARS` before today: the earliest date a person may type for an act.
pub fn act_dates_from(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(12 * ACT_DATE_SPAN_YEARS))
        .unwrap_or(NaiveDate::MIN)
}

/// `ACT_DATE_SPAN_YEARS` after today: the latest date a person may plan.
pub fn act_dates_until(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(12 * ACT_DATE_SPAN_YEARS))
        .unwrap_or(NaiveDate::MAX)
}

/// Checks a typed date lies within `[earliest, latest]`, with the error every client shows
/// alike (code `date_out_of_range`, raw dates in the parameters). `what` names the date by a
/// stable key of the catalogue's `labels.what` (e.g. `milestone_actual_date`).
pub fn check_date_within(
    field: &str,
    what: &'static str,
    date: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Result<(), crate::DomainError> {
    if date < earliest || date > latest {
        return Err(crate::DomainError::DateOutOfRange {
            field: field.to_string(),
            what,
            date,
            earliest,
            latest,
        });
    }
    Ok(())
}

/// A date of something that has happened (an actual milestone, an acceptance, a decision):
/// not in the future, not before `not_before` (the award, when there is one), and never more
/// than `ACT_DATE_SPAN_YEARS` ago.
pub fn check_past_act_date(
    field: &str,
    what: &'static str,
    date: NaiveDate,
    not_before: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), crate::DomainError> {
    let floor = act_dates_from(today);
    let earliest = not_before.map_or(floor, |d| d.max(floor));
    check_date_within(field, what, date, earliest, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn brussels_day_is_not_the_utc_day() {
        // 23:30 UTC on 31/12 is already 1 January in Brussels.
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(
            brussels_today(at),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    /// Law of 17 June 2016 art. 43 / Dir. 2014/24 art. 33(5)(b): a period in days is counted
    /// in calendar days; summer time does not shorten it by an hour.
    #[test]
    fn ten_calendar_days_across_the_march_clock_change() {
        // 20/03/2027 12:00 in Brussels (CET, UTC+1) = 11:00 UTC.
        let launch = Utc.with_ymd_and_hms(2027, 3, 20, 11, 0, 0).unwrap();
        let later = calendar_days_after(launch, 10);
        // 30/03/2027 12:00 in Brussels (CEST, UTC+2) = 10:00 UTC: 239 hours later.
        assert_eq!(later, Utc.with_ymd_and_hms(2027, 3, 30, 10, 0, 0).unwrap());
        assert_eq!(format_brussels(later), "30/03/2027 à 12:00");
        assert_eq!((later - launch).num_hours(), 239);
    }

    /// AR 18 April 2017 art. 36 §2: twelve days « à compter du lendemain » of the request run
    /// to the end of the twelfth day — a request on Friday 05/03/2027 at 16:00 is due at the
    /// earliest on Wednesday 17/03/2027 at 23:59, not at 16:00; a request at 00:30 Brussels
    /// (still the previous day in UTC) counts from its Brussels day.
    #[test]
    fn twelve_full_days_from_the_next_day_end_with_the_twelfth_day() {
        let asked = Utc.with_ymd_and_hms(2027, 3, 5, 15, 0, 0).unwrap();
        let end = full_days_from_next_day(asked, 12);
        assert_eq!(format_brussels(end), "17/03/2027 à 23:59");
        assert!(end > calendar_days_after(asked, 12));
        let just_after_midnight = Utc.with_ymd_and_hms(2027, 3, 4, 23, 30, 0).unwrap();
        assert_eq!(
            format_brussels(full_days_from_next_day(just_after_midnight, 12)),
            "17/03/2027 à 23:59"
        );
        // Across the clock change: still 23:59 of the last day, Brussels time.
        let asked = Utc.with_ymd_and_hms(2027, 3, 20, 9, 0, 0).unwrap();
        assert_eq!(
            format_brussels(full_days_from_next_day(asked, 12)),
            "01/04/2027 à 23:59"
        );
    }

    #[test]
    fn ten_calendar_days_across_the_october_clock_change() {
        let launch = Utc.with_ymd_and_hms(2027, 10, 25, 10, 0, 0).unwrap();
        let later = calendar_days_after(launch, 10);
        assert_eq!(format_brussels(launch), "25/10/2027 à 12:00");
        assert_eq!(format_brussels(later), "04/11/2027 à 12:00");
        assert_eq!((later - launch).num_hours(), 241);
        let launch = Utc.with_ymd_and_hms(2027, 10, 20, 10, 0, 0).unwrap();
        let later = calendar_days_after(launch, 10);
        assert_eq!(format_brussels(later), "30/10/2027 à 12:00");
        assert_eq!(
            format_brussels(calendar_days_after(later, 1)),
            "31/10/2027 à 12:00"
        );
        assert_eq!((calendar_days_after(later, 1) - later).num_hours(), 25);
    }

    #[test]
    fn a_wall_time_that_does_not_exist_moves_an_hour_later() {
        // 18/03/2027 02:30 CET → ten days later 28/03/2027 02:30 does not exist.
        let at = Utc.with_ymd_and_hms(2027, 3, 18, 1, 30, 0).unwrap();
        assert_eq!(
            format_brussels(calendar_days_after(at, 10)),
            "28/03/2027 à 03:30"
        );
    }

    fn wall(date: &str, time: &str) -> Result<DateTime<Utc>, crate::DomainError> {
        brussels_wall_to_utc(
            NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            NaiveTime::parse_from_str(time, "%H:%M").unwrap(),
        )
    }

    /// Dir. 2014/24 art. 33(5)(b) and art. 18(1): one deadline, one instant for every bidder.
    /// Winter time is UTC+1, summer time UTC+2.
    #[test]
    fn rule_art_33_5_b_a_brussels_wall_time_is_one_instant() {
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(wall("2027-03-26", "12:00"), Ok(utc("2027-03-26T11:00:00Z")));
        assert_eq!(wall("2027-01-15", "00:30"), Ok(utc("2027-01-14T23:30:00Z")));
        assert_eq!(wall("2027-07-01", "01:15"), Ok(utc("2027-06-30T23:15:00Z")));
        // The night of the change, outside the changing hour.
        assert_eq!(wall("2027-03-28", "01:59"), Ok(utc("2027-03-28T00:59:00Z")));
        assert_eq!(wall("2027-03-28", "03:00"), Ok(utc("2027-03-28T01:00:00Z")));
        assert_eq!(wall("2027-10-31", "01:59"), Ok(utc("2027-10-30T23:59:00Z")));
        assert_eq!(wall("2027-10-31", "03:00"), Ok(utc("2027-10-31T02:00:00Z")));
    }

    #[test]
    fn rule_art_33_5_b_the_skipped_march_hour_is_refused() {
        let err = wall("2027-03-28", "02:30").unwrap_err();
        assert_eq!(err.code(), "wall_time_skipped");
        assert_eq!(err.params()["date"], "2027-03-28");
        assert_eq!(err.params()["time"], "02:30");
        assert!(err
            .to_string()
            .contains("Le 28/03/2027 à 02:30 n'existe pas"));
    }

    #[test]
    fn rule_art_33_5_b_the_repeated_october_hour_is_refused() {
        let err = wall("2027-10-31", "02:30").unwrap_err();
        assert_eq!(err.code(), "wall_time_repeated");
        assert_eq!(err.params()["field"], "time");
        assert!(err.to_string().contains("a lieu deux fois"));
    }

    #[test]
    fn end_of_a_brussels_day() {
        let end = end_of_brussels_day(NaiveDate::from_ymd_opt(2029, 2, 28).unwrap());
        assert_eq!(
            brussels_today(end),
            NaiveDate::from_ymd_opt(2029, 2, 28).unwrap()
        );
        let next = end + chrono::Duration::nanoseconds(1);
        assert_eq!(
            brussels_today(next),
            NaiveDate::from_ymd_opt(2029, 3, 1).unwrap()
        );
    }

    #[test]
    fn act_dates_are_bounded_ten_years_around_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            act_dates_from(today),
            NaiveDate::from_ymd_opt(2016, 11, 29).unwrap()
        );
        assert_eq!(
            act_dates_until(today),
            NaiveDate::from_ymd_opt(2036, 11, 29).unwrap()
        );
        let award = NaiveDate::from_ymd_opt(2026, 10, 1);
        let check = |d: NaiveDate| check_past_act_date("actual_date", "La date", d, award, today);
        assert!(check(today).is_ok());
        assert!(check(award.unwrap()).is_ok());
        for bad in [
            today.succ_opt().unwrap(),
            award.unwrap().pred_opt().unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(-1, 1, 1).unwrap(),
        ] {
            let err = check(bad).unwrap_err();
            assert_eq!(err.code(), "date_out_of_range");
            assert_eq!(err.params()["date"], serde_json::json!(bad));
            assert_eq!(err.params()["earliest"], "2026-10-01");
            assert_eq!(err.params()["latest"], "2026-11-29");
            assert!(err
                .to_string()
                .contains("doit tomber entre le 01/10/2026 et le 29/11/2026"));
        }
    }
}
