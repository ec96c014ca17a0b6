//! Everything this crate refuses.

use std::io;

/// Which list of a [`RiskExceptionConfiguration`](crate::RiskExceptionConfiguration) a value
/// belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpRangeList {
    /// `BlockedIPRangeList`.
    Blocked,
    /// `SkippedIPRangeList`.
    Skipped,
}

impl IpRangeList {
    /// The wire member name (`BlockedIPRangeList` or `SkippedIPRangeList`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Blocked => "BlockedIPRangeList",
            Self::Skipped => "SkippedIPRangeList",
        }
    }
}

/// Everything this crate refuses. No variant carries the offending input: a malformed line of
/// a breached-password list could be a plaintext password, so only its line number is kept.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A wire string names no value of the enum (parsing is exact and case-sensitive).
    #[error("not a valid {type_name} value")]
    UnknownValue {
        /// The Rust type that was being parsed.
        type_name: &'static str,
    },
    /// A field breaks one of Cognito's constraints (length, pattern, notation).
    #[error("{field}: {reason}")]
    InvalidField {
        /// The member (Cognito's name for it where it has one).
        field: &'static str,
        /// The constraint broken.
        reason: &'static str,
    },
    /// An IP range is not an IPv4 or IPv6 network in CIDR notation (`address/prefix`).
    #[error("{}[{index}] is not an IP range in CIDR notation", list.as_str())]
    InvalidIpRange {
        /// The list holding it.
        list: IpRangeList,
        /// Its position in the list (0-based).
        index: usize,
    },
    /// A list of IP ranges is longer than Cognito allows.
    #[error("{} has {count} items; at most {max} are allowed", list.as_str())]
    TooManyIpRanges {
        /// The list.
        list: IpRangeList,
        /// How many items it has.
        count: usize,
        /// The limit ([`MAX_IP_RANGES`](crate::MAX_IP_RANGES)).
        max: usize,
    },
    /// A line of a Have-I-Been-Pwned style list is neither `SHA1HEX` nor `SHA1HEX:count`.
    #[error("line {line} of the breached-password list is not SHA1HEX or SHA1HEX:count")]
    MalformedHibpLine {
        /// The line number (1-based).
        line: u64,
    },
    /// Reading a breached-password list failed.
    #[error("reading the breached-password list failed: {0}")]
    Io(io::ErrorKind),
    /// The probabilistic filter could not be built (in practice this does not happen for a
    /// deduplicated key set; the construction retries with new seeds).
    #[error("the breached-password filter could not be built")]
    FilterConstruction,
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Self::Io(err.kind())
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
