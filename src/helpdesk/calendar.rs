//! The business-hours calendar SLA clocks run on: working days, opening hours and holidays in
//! one fixed UTC offset (`[calendar]` in `alerts/tickets.toml`). Time outside business hours
//! does not count towards an SLA.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// Offset of the team's local time from UTC, e.g. `-06:00` (no daylight saving).
    pub utc_offset: String,
    /// Working days: `mon` … `sun`.
    pub days: Vec<String>,
    /// Opening and closing time, `HH:MM`, local.
    pub open: String,
    pub close: String,
    /// Non-working dates, `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// A validated calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    offset: FixedOffset,
    days: BTreeSet<u32>,
    open: NaiveTime,
    close: NaiveTime,
    holidays: BTreeSet<NaiveDate>,
}

fn weekday(s: &str) -> Option<Weekday> {
    s.parse::<Weekday>().ok()
}

impl CalendarConfig {
    /// Validates the calendar; the error is `(key, problem)`.
    pub fn build(&self) -> Result<Calendar, (String, String)> {
        let offset = parse_offset(&self.utc_offset)
            .ok_or_else(|| ("calendar.utc_offset".into(), "expected ±HH:MM".into()))?;
        let mut days = BTreeSet::new();
        for d in &self.days {
            let w = weekday(d).ok_or_else(|| {
                (
                    "calendar.days".to_owned(),
                    format!("'{d}' is not a weekday"),
                )
            })?;
            days.insert(w.num_days_from_monday());
        }
        if days.is_empty() {
            return Err(("calendar.days".into(), "needs at least one day".into()));
        }
        let time = |key: &str, v: &str| {
            NaiveTime::parse_from_str(v, "%H:%M")
                .map_err(|_| (format!("calendar.{key}"), format!("'{v}' is not HH:MM")))
        };
        let (open, close) = (time("open", &self.open)?, time("close", &self.close)?);
        if close <= open {
            return Err(("calendar.close".into(), "must be after open".into()));
        }
        let mut holidays = BTreeSet::new();
        for h in &self.holidays {
            let d = NaiveDate::parse_from_str(h, "%Y-%m-%d").map_err(|_| {
                (
                    "calendar.holidays".to_owned(),
                    format!("'{h}' is not YYYY-MM-DD"),
                )
            })?;
            holidays.insert(d);
        }
        Ok(Calendar {
            offset,
            days,
            open,
            close,
            holidays,
        })
    }
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}

impl Calendar {
    fn is_working(&self, day: NaiveDate) -> bool {
        self.days.contains(&day.weekday().num_days_from_monday()) && !self.holidays.contains(&day)
    }

    /// The business window of a local day, in UTC, if it is a working day.
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working(day) {
            return None;
        }
        let at = |t: NaiveTime| {
            day.and_time(t)
                .and_local_timezone(self.offset)
                .single()
                .map(|d| d.with_timezone(&Utc))
        };
        Some((at(self.open)?, at(self.close)?))
    }

    fn local_day(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.offset).date_naive()
    }

    /// The instant `minutes` business minutes after `start`.
    pub fn add_business_minutes(&self, start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let mut left = Duration::minutes(minutes.max(0));
        let mut day = self.local_day(start);
        // Ten years of days without a single working one cannot happen with a valid calendar.
        for _ in 0..3660 {
            if let Some((open, close)) = self.window(day) {
                let from = start.max(open);
                if from < close {
                    let available = close - from;
                    if left <= available {
                        return from + left;
                    }
                    left -= available;
                }
            }
            day = day.succ_opt().unwrap_or(day);
        }
        start + left
    }

    /// Business minutes between `from` and `to` (0 if `to` is not after `from`).
    pub fn business_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = Duration::zero();
        let mut day = self.local_day(from);
        let last = self.local_day(to);
        while day <= last {
            if let Some((open, close)) = self.window(day) {
                let (a, b) = (from.max(open), to.min(close));
                if b > a {
                    total += b - a;
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        total.num_minutes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cal() -> Calendar {
        CalendarConfig {
            utc_offset: "-06:00".into(),
            days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            open: "09:00".into(),
            close: "18:00".into(),
            holidays: vec!["2026-03-16".into()],
        }
        .build()
        .unwrap()
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    #[test]
    fn inside_one_day() {
        // Wed 11 March 10:00 local = 16:00 UTC; +120 business minutes = 12:00 local.
        assert_eq!(
            cal().add_business_minutes(utc(11, 16, 0), 120),
            utc(11, 18, 0)
        );
    }

    #[test]
    fn evening_rolls_to_next_morning() {
        // Wed 17:30 local (23:30 UTC) + 60 min: 30 today, 30 from Thu 09:00 local.
        assert_eq!(
            cal().add_business_minutes(utc(11, 23, 30), 60),
            utc(12, 15, 30)
        );
    }

    #[test]
    fn weekend_and_holiday_are_skipped() {
        // Fri 13 March 17:00 local + 120 min: 60 on Friday; Sat, Sun and Monday 16 (holiday)
        // skipped; Tue 17 at 10:00 local = 16:00 UTC.
        assert_eq!(
            cal().add_business_minutes(utc(13, 23, 0), 120),
            utc(17, 16, 0)
        );
        assert_eq!(
            cal().business_minutes_between(utc(13, 23, 0), utc(17, 16, 0)),
            120
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let mut c = CalendarConfig {
            utc_offset: "6".into(),
            days: vec!["mon".into()],
            open: "09:00".into(),
            close: "18:00".into(),
            holidays: vec![],
        };
        assert_eq!(c.build().unwrap_err().0, "calendar.utc_offset");
        c.utc_offset = "+01:00".into();
        c.days = vec!["funday".into()];
        assert_eq!(c.build().unwrap_err().0, "calendar.days");
    }
}
