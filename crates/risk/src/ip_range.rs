//! `RiskExceptionConfiguration`: always-block and always-skip IP ranges in CIDR notation.
//!
//! Limits are Cognito's (`RiskExceptionConfigurationType` in the Cognito API reference): each
//! list has at most 200 items, each a string in CIDR notation.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IpRangeList, Result};

/// The most items `BlockedIPRangeList` or `SkippedIPRangeList` may hold (Cognito API reference,
/// `RiskExceptionConfigurationType`: "Array Members: Maximum number of 200 items").
pub const MAX_IP_RANGES: usize = 200;

/// An IPv4 or IPv6 network in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`).
///
/// Parsing is strict: the prefix length is required, and the address must be a plain IPv4
/// dotted quad or IPv6 address. Host bits may be set (`10.1.2.3/8`); the range is the network
/// they belong to and the text is kept as given (normalised by the address parser). An
/// IPv4-mapped IPv6 client address (`::ffff:203.0.113.7`) is matched as the IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IpRange(IpNet);

impl IpRange {
    /// Parses a CIDR range.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] when `s` is not `address/prefix`.
    pub fn parse(s: &str) -> Result<Self> {
        if !s.contains('/') {
            return Err(Error::InvalidField {
                field: "IpRange",
                reason: "must be in CIDR notation (address/prefix)",
            });
        }
        IpNet::from_str(s)
            .map(Self)
            .map_err(|_| Error::InvalidField {
                field: "IpRange",
                reason: "must be in CIDR notation (address/prefix)",
            })
    }

    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }

    /// The prefix length.
    pub fn prefix_len(&self) -> u8 {
        self.0.prefix_len()
    }
}

impl FromStr for IpRange {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl TryFrom<String> for IpRange {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl From<IpRange> for String {
    fn from(range: IpRange) -> Self {
        range.to_string()
    }
}

/// `RiskExceptionConfigurationType`: IP ranges that are always blocked, and IP ranges on which
/// risk detection is skipped. Each list holds at most [`MAX_IP_RANGES`] valid ranges; a value
/// of this type has been checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawRiskException")]
pub struct RiskExceptionConfiguration {
    #[serde(rename = "BlockedIPRangeList")]
    blocked: Vec<IpRange>,
    #[serde(rename = "SkippedIPRangeList")]
    skipped: Vec<IpRange>,
}

#[derive(Deserialize)]
struct RawRiskException {
    #[serde(rename = "BlockedIPRangeList", default)]
    blocked: Vec<String>,
    #[serde(rename = "SkippedIPRangeList", default)]
    skipped: Vec<String>,
}

impl TryFrom<RawRiskException> for RiskExceptionConfiguration {
    type Error = Error;

    fn try_from(raw: RawRiskException) -> Result<Self> {
        Self::parse(&raw.blocked, &raw.skipped)
    }
}

impl RiskExceptionConfiguration {
    /// The configuration with these lists, checked.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyIpRanges`] if a list has more than [`MAX_IP_RANGES`] items, or
    /// [`Error::InvalidIpRange`] naming the first item that is not a CIDR range.
    pub fn parse<S: AsRef<str>>(blocked: &[S], skipped: &[S]) -> Result<Self> {
        Ok(Self {
            blocked: parse_list(IpRangeList::Blocked, blocked)?,
            skipped: parse_list(IpRangeList::Skipped, skipped)?,
        })
    }

    /// `BlockedIPRangeList`.
    pub fn blocked_ip_range_list(&self) -> &[IpRange] {
        &self.blocked
    }

    /// `SkippedIPRangeList`.
    pub fn skipped_ip_range_list(&self) -> &[IpRange] {
        &self.skipped
    }

    /// Whether `ip` is in an always-block range.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        self.blocked.iter().any(|range| range.contains(ip))
    }

    /// Whether `ip` is in an always-skip range.
    pub fn is_skipped(&self, ip: IpAddr) -> bool {
        self.skipped.iter().any(|range| range.contains(ip))
    }
}

fn parse_list<S: AsRef<str>>(list: IpRangeList, items: &[S]) -> Result<Vec<IpRange>> {
    if items.len() > MAX_IP_RANGES {
        return Err(Error::TooManyIpRanges {
            list,
            count: items.len(),
            max: MAX_IP_RANGES,
        });
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            IpRange::parse(item.as_ref()).map_err(|_| Error::InvalidIpRange { list, index })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv4_and_ipv6_ranges_match() {
        let v4 = IpRange::parse("203.0.113.0/24").unwrap();
        assert!(v4.contains(ip("203.0.113.200")));
        assert!(!v4.contains(ip("203.0.114.1")));
        assert!(v4.contains(ip("::ffff:203.0.113.9")), "IPv4-mapped IPv6");
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("203.0.113.1")));
        let host = IpRange::parse("198.51.100.7/32").unwrap();
        assert!(host.contains(ip("198.51.100.7")) && !host.contains(ip("198.51.100.8")));
    }

    #[test]
    fn host_bits_are_kept_in_the_text() {
        let range = IpRange::parse("10.1.2.3/8").unwrap();
        assert!(range.contains(ip("10.200.0.1")));
        assert_eq!(range.to_string(), "10.1.2.3/8");
        assert_eq!(
            IpRange::parse("2001:DB8::/32").unwrap().to_string(),
            "2001:db8::/32"
        );
    }

    #[test]
    fn non_cidr_is_refused() {
        for bad in [
            "203.0.113.0",
            "203.0.113.0/33",
            "2001:db8::/129",
            "203.0.113/24",
            "0203.0.113.0/24",
            "example.com/24",
            "203.0.113.0/",
            "/24",
            " 203.0.113.0/24",
            "",
        ] {
            assert!(IpRange::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lists_are_limited_to_200() {
        let ok: Vec<String> = (0..200).map(|i| format!("10.0.{i}.0/24")).collect();
        assert_eq!(
            RiskExceptionConfiguration::parse(&ok, &ok)
                .unwrap()
                .blocked_ip_range_list()
                .len(),
            200
        );
        let too_many: Vec<String> = (0..201).map(|i| format!("10.0.{}.0/24", i % 256)).collect();
        assert_eq!(
            RiskExceptionConfiguration::parse(&ok, &too_many).unwrap_err(),
            Error::TooManyIpRanges {
                list: IpRangeList::Skipped,
                count: 201,
                max: 200
            }
        );
    }

    #[test]
    fn the_first_bad_item_is_named() {
        let err = RiskExceptionConfiguration::parse(&["10.0.0.0/8", "nope", "also bad"], &[])
            .unwrap_err();
        assert_eq!(
            err,
            Error::InvalidIpRange {
                list: IpRangeList::Blocked,
                index: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "BlockedIPRangeList[1] is not an IP range in CIDR notation"
        );
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let config =
            RiskExceptionConfiguration::parse(&["10.0.0.0/8"], &["2001:db8::/48"]).unwrap();
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            json,
            r#"{"BlockedIPRangeList":["10.0.0.0/8"],"SkippedIPRangeList":["2001:db8::/48"]}"#
        );
        assert_eq!(
            serde_json::from_str::<RiskExceptionConfiguration>(&json).unwrap(),
            config
        );
        assert!(
            serde_json::from_str::<RiskExceptionConfiguration>(r#"{"BlockedIPRangeList":["x"]}"#)
                .is_err()
        );
        assert_eq!(
            serde_json::from_str::<RiskExceptionConfiguration>("{}").unwrap(),
            RiskExceptionConfiguration::default()
        );
    }
}
