//! Keyed token buckets: one per (category, source), created on first use, refilled with
//! time, dropped again when idle (a full bucket is the same as none), bounded in number.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use super::{Category, RateLimits, SourceKind};

/// Most buckets kept; beyond it idle ones are dropped, then arbitrary ones (a flood of new
/// sources must not grow memory without bound).
const MAX_BUCKETS: usize = 200_000;

/// The source a request is charged to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// The client's address (IPv6 by its /64: one host usually holds a whole /64).
    Ip(IpAddr),
    /// A username as typed (folded), with the client or pool it was typed at.
    Username(String),
    /// An app client id.
    Client(String),
    /// An access key id whose signature verified.
    AccessKey(String),
    /// Everyone (Cognito's account-wide quota).
    Account,
}

impl Scope {
    fn kind(&self) -> SourceKind {
        match self {
            Self::Ip(_) => SourceKind::Ip,
            Self::Username(_) => SourceKind::Username,
            Self::Client(_) => SourceKind::Client,
            Self::AccessKey(_) => SourceKind::AccessKey,
            Self::Account => SourceKind::Account,
        }
    }

    /// An address's scope: IPv4 as is, IPv6 by its /64.
    pub(crate) fn ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => Self::Ip(ip),
            IpAddr::V6(v6) => {
                let mut s = v6.segments();
                s[4..].fill(0);
                Self::Ip(IpAddr::V6(s.into()))
            }
        }
    }

    /// A typed username's scope: case-folded (the facade's fold is per pool; a per-request
    /// limit only needs to be at least as coarse), bounded in length.
    pub(crate) fn username(at: &str, username: &str) -> Self {
        let folded: String = username.trim().to_lowercase().chars().take(256).collect();
        Self::Username(format!("{at}/{folded}"))
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets of one router.
#[derive(Debug)]
pub(crate) struct Limiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<(Category, Scope), Bucket>>,
}

impl Limiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `category` from `scope`'s bucket; `false` when it is empty (or
    /// the limiter is unusable: fail closed). Sources without a configured rate pass.
    pub(crate) fn admit(&self, category: Category, scope: Scope) -> bool {
        self.admit_at(category, scope, Instant::now())
    }

    pub(crate) fn admit_at(&self, category: Category, scope: Scope, now: Instant) -> bool {
        let Some(rate) = self.limits.rate(scope.kind(), category) else {
            return true;
        };
        let Ok(mut buckets) = self.buckets.lock() else {
            return false;
        };
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&(category, scope.clone())) {
            self.prune(&mut buckets, now);
        }
        let bucket = buckets.entry((category, scope)).or_insert(Bucket {
            tokens: rate.burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        let tokens = (bucket.tokens + elapsed * rate.per_second).min(rate.burst);
        bucket.last = now;
        if tokens >= 1.0 {
            bucket.tokens = tokens - 1.0;
            true
        } else {
            bucket.tokens = tokens;
            false
        }
    }

    /// Drops the buckets that have refilled (they carry no state), then, if still too many,
    /// every other one.
    fn prune(&self, buckets: &mut HashMap<(Category, Scope), Bucket>, now: Instant) {
        buckets.retain(|(category, scope), b| {
            self.limits
                .rate(scope.kind(), *category)
                .is_some_and(|rate| {
                    let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
                    b.tokens + elapsed * rate.per_second < rate.burst
                })
        });
        if buckets.len() >= MAX_BUCKETS {
            let mut keep = false;
            buckets.retain(|_, _| {
                keep = !keep;
                keep
            });
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.lock().map(|b| b.len()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::limits::Rate;

    fn limiter() -> Limiter {
        Limiter::new(
            RateLimits::off()
                .per_ip(Category::UserAuthentication, Rate::new(2, 4))
                .per_username(Category::UserAuthentication, Rate::new(1, 2)),
        )
    }

    #[test]
    fn each_source_has_its_own_bucket() {
        let l = limiter();
        let t = Instant::now();
        let a = Scope::ip("10.0.0.1".parse().expect("ip"));
        let b = Scope::ip("10.0.0.2".parse().expect("ip"));
        let admitted = (0..6)
            .filter(|_| l.admit_at(Category::UserAuthentication, a.clone(), t))
            .count();
        assert_eq!(admitted, 4, "the burst");
        assert!(
            l.admit_at(Category::UserAuthentication, b, t),
            "another IP is unaffected"
        );
        assert!(
            l.admit_at(Category::UserCreation, a.clone(), t),
            "no rate for that category"
        );
        assert!(
            l.admit_at(
                Category::UserAuthentication,
                a,
                t + Duration::from_millis(500)
            ),
            "refilled at 2/s"
        );
    }

    #[test]
    fn usernames_fold_and_ipv6_counts_by_64() {
        let l = limiter();
        let t = Instant::now();
        let cat = Category::UserAuthentication;
        assert!(l.admit_at(cat, Scope::username("c1", "Alice"), t));
        assert!(l.admit_at(cat, Scope::username("c1", "ALICE "), t));
        assert!(!l.admit_at(cat, Scope::username("c1", "alice"), t));
        assert!(
            l.admit_at(cat, Scope::username("c2", "alice"), t),
            "another client"
        );
        assert_eq!(
            Scope::ip("2001:db8::1".parse().expect("ip")),
            Scope::ip("2001:db8::ffff:1".parse().expect("ip"))
        );
        assert_ne!(
            Scope::ip("2001:db8::1".parse().expect("ip")),
            Scope::ip("2001:db8:0:1::1".parse().expect("ip"))
        );
    }

    #[test]
    fn memory_stays_bounded() {
        let l = Limiter::new(RateLimits::off().per_ip(Category::UserRead, Rate::new(1, 1)));
        let t = Instant::now();
        for i in 0..(MAX_BUCKETS as u32 + 10) {
            let ip = IpAddr::V4(i.to_be_bytes().into());
            l.admit_at(Category::UserRead, Scope::Ip(ip), t);
        }
        assert!(l.len() <= MAX_BUCKETS, "{}", l.len());
    }

    #[test]
    fn profiles_parse() {
        assert_eq!("off".parse::<RateLimits>(), Ok(RateLimits::off()));
        assert_eq!(
            "default".parse::<RateLimits>(),
            Ok(RateLimits::per_source())
        );
        assert_eq!("cognito".parse::<RateLimits>(), Ok(RateLimits::cognito()));
        assert!("fast".parse::<RateLimits>().is_err());
        assert_eq!(
            RateLimits::cognito().rate(SourceKind::Account, Category::UserCreation),
            Some(Rate::per_second(50))
        );
        assert_eq!(
            RateLimits::per_source().rate(SourceKind::Account, Category::UserCreation),
            None
        );
    }
}
