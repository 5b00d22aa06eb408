//! RFC 3339 timestamps in UTC with millisecond precision, tolerant on input.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, written as `2026-12-04T15:11:08.397Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The current time, at the millisecond precision it is written with,
    /// so that a written and re-read time compares equal.
    pub fn now() -> Self {
        Self(Utc::now().trunc_subsecs(3))
    }

    /// Parses RFC 3339, or a naive ISO 8601 time (no zone, read as UTC) as
    /// older RssBot controllers send.
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(Self(t.with_timezone(&Utc)));
        }
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .map(|naive| Self(naive.and_utc()))
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.0.timestamp()
    }

    /// The timestamp at a whole Unix second.
    pub fn from_unix_seconds(secs: i64) -> Self {
        Self(DateTime::from_timestamp(secs, 0).unwrap_or_default())
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_millisecond_utc() {
        let t = Timestamp::parse("2026-12-04T15:11:08.397123Z").unwrap();
        assert_eq!(t.to_string(), "2026-12-04T15:11:08.397Z");
    }

    #[test]
    fn reads_naive_times_as_utc() {
        let t = Timestamp::parse("2026-12-04T15:11:08.5").unwrap();
        assert_eq!(t.to_string(), "2026-12-04T15:11:08.500Z");
        let t = Timestamp::parse("2026-12-04T17:11:08+02:00").unwrap();
        assert_eq!(t.to_string(), "2026-12-04T15:11:08.000Z");
        assert!(Timestamp::parse("yesterday").is_none());
    }
}
