//! Cognito's `TIMESTAMP`: `EEE MMM d HH:mm:ss UTC yyyy`, English, day not zero-padded.
//!
//! Parsing is strict and then checked against a canonical re-rendering, which reproduces what
//! Cognito does with a zero-padded day or a wrong weekday (it parses, then fails the proof).

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

use crate::error::{Error, Result};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Longest `TIMESTAMP` looked at (the canonical form is at most 28 characters).
pub const MAX_TIMESTAMP_LEN: usize = 64;

/// Renders `at` (converted to UTC) the way every Cognito client does.
///
/// ```
/// use time::macros::datetime;
/// assert_eq!(cognito_srp6a::format_timestamp(datetime!(2026-11-03 09:05:07 UTC)), "Tue Nov 3 09:05:07 UTC 2026");
/// ```
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let weekday = WEEKDAYS
        .get(usize::from(at.weekday().number_days_from_monday()))
        .copied()
        .unwrap_or("Mon");
    let month = MONTHS
        .get(usize::from(u8::from(at.month())) - 1)
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday} {month} {} {:02}:{:02}:{:02} UTC {:04}",
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.year()
    )
}

/// Parses a `TIMESTAMP` strictly.
///
/// * Not of the shape `EEE MMM d HH:mm:ss UTC yyyy` (unknown names, missing fields, other zones,
///   extra spaces, a day of more than two digits…) → [`Error::TimestampFormat`].
/// * Of that shape but not canonical (zero-padded day, wrong weekday, a field out of range such
///   as `Feb 30` or `24:00:00`) → [`Error::TimestampNotCanonical`].
pub fn parse_timestamp(s: &str) -> Result<OffsetDateTime> {
    if s.len() > MAX_TIMESTAMP_LEN {
        return Err(Error::TimestampFormat);
    }
    let mut parts = s.split(' ');
    let (Some(wd), Some(mon), Some(day), Some(hms), Some(zone), Some(year), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(Error::TimestampFormat);
    };
    let weekday_idx = WEEKDAYS
        .iter()
        .position(|&w| w == wd)
        .ok_or(Error::TimestampFormat)?;
    let month_idx = MONTHS
        .iter()
        .position(|&m| m == mon)
        .ok_or(Error::TimestampFormat)?;
    if zone != "UTC" {
        return Err(Error::TimestampFormat);
    }
    let day = digits(day, 1, 2)?;
    let year = digits(year, 4, 4)?;
    let mut hms_parts = hms.split(':');
    let (Some(h), Some(m), Some(sec), None) = (
        hms_parts.next(),
        hms_parts.next(),
        hms_parts.next(),
        hms_parts.next(),
    ) else {
        return Err(Error::TimestampFormat);
    };
    let (hour, minute, second) = (digits(h, 2, 2)?, digits(m, 2, 2)?, digits(sec, 2, 2)?);

    let month = u8::try_from(month_idx + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(Error::TimestampFormat)?;
    let date = i32::try_from(year)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(y, d)| Date::from_calendar_date(y, month, d).ok())
        .ok_or(Error::TimestampNotCanonical)?;
    let time = u8::try_from(hour)
        .ok()
        .zip(u8::try_from(minute).ok())
        .zip(u8::try_from(second).ok())
        .and_then(|((h, m), s)| Time::from_hms(h, m, s).ok())
        .ok_or(Error::TimestampNotCanonical)?;
    let at = PrimitiveDateTime::new(date, time).assume_utc();
    let expected_weekday = weekday_from_index(weekday_idx);
    if Some(at.weekday()) != expected_weekday || format_timestamp(at) != s {
        return Err(Error::TimestampNotCanonical);
    }
    Ok(at)
}

/// Parses `s` and requires `|now − s| ≤ window`.
pub fn check_timestamp(s: &str, now: OffsetDateTime, window: Duration) -> Result<OffsetDateTime> {
    let at = parse_timestamp(s)?;
    if (now - at).abs() > window.abs() {
        return Err(Error::TimestampOutsideWindow);
    }
    Ok(at)
}

fn weekday_from_index(i: usize) -> Option<Weekday> {
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .get(i)
    .copied()
}

/// An unsigned decimal of `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> Result<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::TimestampFormat);
    }
    s.parse().map_err(|_| Error::TimestampFormat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn renders_like_the_clients() {
        assert_eq!(
            format_timestamp(datetime!(2026-11-21 20:41:00 UTC)),
            "Sat Nov 21 20:41:00 UTC 2026"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-09-05 09:03:07 UTC)),
            "Sat Sep 5 09:03:07 UTC 2026"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-01-01 00:00:00 +02:00)),
            "Wed Dec 31 22:00:00 UTC 2025"
        );
    }

    #[test]
    fn parses_canonical_forms() {
        assert_eq!(
            parse_timestamp("Tue Nov 3 09:05:07 UTC 2026"),
            Ok(datetime!(2026-11-03 09:05:07 UTC))
        );
        assert_eq!(
            parse_timestamp("Sat Nov 21 20:41:00 UTC 2026"),
            Ok(datetime!(2026-11-21 20:41:00 UTC))
        );
    }

    #[test]
    fn rejects_what_does_not_parse_with_cognitos_error() {
        for bad in [
            "",
            "Tue Nov 3 09:05:07 GMT 2026",
            "Tue Nov  3 09:05:07 UTC 2026",
            "tue Nov 3 09:05:07 UTC 2026",
            "Tuesday Nov 3 09:05:07 UTC 2026",
            "Tue November 3 09:05:07 UTC 2026",
            "Tue Nov 3 9:05:07 UTC 2026",
            "Tue Nov 3 09:05 UTC 2026",
            "Tue Nov 3 09:05:07:00 UTC 2026",
            "Tue Nov 003 09:05:07 UTC 2026",
            "Tue Nov +3 09:05:07 UTC 2026",
            "Tue Nov 3 09:05:07 UTC 26",
            "Tue Nov 3 09:05:07 UTC 2026 ",
            "2026-11-03T09:05:07Z",
            "Tue Nov 3 09:05:07 UTC ２０２６",
        ] {
            assert_eq!(parse_timestamp(bad), Err(Error::TimestampFormat), "{bad:?}");
        }
        let long = "Tue Nov 3 09:05:07 UTC 2026".repeat(10);
        assert_eq!(parse_timestamp(&long), Err(Error::TimestampFormat));
    }

    #[test]
    fn rejects_non_canonical_forms_as_a_failed_proof() {
        for bad in [
            "Tue Nov 03 09:05:07 UTC 2026",
            "Wed Nov 3 09:05:07 UTC 2026",
            "Mon Feb 30 09:05:07 UTC 2026",
            "Tue Nov 3 24:05:07 UTC 2026",
            "Tue Nov 3 09:60:07 UTC 2026",
            "Tue Nov 0 09:05:07 UTC 2026",
        ] {
            assert_eq!(
                parse_timestamp(bad),
                Err(Error::TimestampNotCanonical),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn enforces_the_window_both_ways() {
        let ts = "Tue Nov 3 09:05:07 UTC 2026";
        let window = Duration::minutes(5);
        let at = datetime!(2026-11-03 09:05:07 UTC);
        assert!(check_timestamp(ts, at + Duration::minutes(5), window).is_ok());
        assert!(check_timestamp(ts, at - Duration::minutes(5), window).is_ok());
        assert_eq!(
            check_timestamp(ts, at + Duration::minutes(5) + Duration::seconds(1), window),
            Err(Error::TimestampOutsideWindow)
        );
        assert_eq!(
            check_timestamp(ts, at - Duration::minutes(6), window),
            Err(Error::TimestampOutsideWindow)
        );
    }
}
