//! Cognito's lockout: five failures are free, then 1 s doubling per further failure up to
//! 15 minutes; attempts during a lockout fail without counting; 15 quiet minutes reset it.

use crate::error::{FlowError, Result};

/// Failures recorded for a user (kept atomically by the store, across flows and clients).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    /// Consecutive failed sign-ins.
    pub count: u32,
    /// When the last one counted (unix seconds).
    pub last: i64,
}

/// The policy's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures before the first lockout.
    pub free_attempts: u32,
    /// Longest lockout, in seconds.
    pub max_lockout: i64,
    /// Quiet time after which the count starts again, in seconds.
    pub reset_after: i64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            free_attempts: 5,
            max_lockout: 900,
            reset_after: 900,
        }
    }
}

impl LockoutPolicy {
    /// The failures that still count at `now` (none after `reset_after` quiet seconds).
    pub fn effective(&self, f: Failures, now: i64) -> Failures {
        if now.saturating_sub(f.last) >= self.reset_after {
            Failures::default()
        } else {
            f
        }
    }

    /// When a lockout that follows `f` ends, if any: after the 5th failure 1 s, then 2 s, 4 s…
    pub fn locked_until(&self, f: Failures, now: i64) -> Option<i64> {
        let f = self.effective(f, now);
        if f.count < self.free_attempts {
            return None;
        }
        let doublings = f.count - self.free_attempts;
        let seconds = if doublings >= 20 {
            self.max_lockout
        } else {
            (1i64 << doublings).min(self.max_lockout)
        };
        let until = f.last.saturating_add(seconds);
        (now < until).then_some(until)
    }

    /// Refuses a sign-in attempt while locked; such an attempt must not be counted.
    pub fn check(&self, f: Failures, now: i64) -> Result<()> {
        match self.locked_until(f, now) {
            Some(until) => Err(FlowError::PasswordAttemptsExceeded { until }),
            None => Ok(()),
        }
    }

    /// The state after one more counted failure at `now`.
    pub fn record_failure(&self, f: Failures, now: i64) -> Failures {
        let f = self.effective(f, now);
        Failures {
            count: f.count.saturating_add(1),
            last: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A virtual clock: failures 1–5 are free, then 1, 2, 4… s, capped at 15 minutes;
    /// attempts inside a lockout are refused and not counted; 15 quiet minutes reset.
    #[test]
    fn backoff_on_a_virtual_clock() {
        let p = LockoutPolicy::default();
        let mut f = Failures::default();
        let mut now = 1_000;
        for _ in 0..4 {
            assert_eq!(p.check(f, now), Ok(()));
            f = p.record_failure(f, now);
        }
        assert_eq!(p.check(f, now), Ok(()), "the fifth attempt is allowed");
        f = p.record_failure(f, now);
        assert_eq!(
            p.check(f, now),
            Err(FlowError::PasswordAttemptsExceeded { until: now + 1 })
        );
        now += 1;
        assert_eq!(p.check(f, now), Ok(()));
        f = p.record_failure(f, now);
        assert_eq!(
            p.check(f, now + 1),
            Err(FlowError::PasswordAttemptsExceeded { until: now + 2 })
        );
        // Each retry right after a lockout ends counts and doubles the next one: 4 s … 512 s,
        // then the 15-minute cap.
        let mut expected = 2;
        for _ in 0..9 {
            now = p.locked_until(f, now).expect("locked");
            f = p.record_failure(f, now);
            expected = (expected * 2).min(900);
            assert_eq!(p.locked_until(f, now), Some(now + expected));
        }
        assert_eq!(expected, 900, "capped at 15 minutes");
        assert!(p.check(f, now + 899).is_err());
        assert_eq!(p.check(f, now + 900), Ok(()), "the lockout ends");
        // Waiting out a capped lockout is also 15 quiet minutes: the count starts again.
        assert_eq!(p.effective(f, now + 900), Failures::default());
        assert_eq!(p.record_failure(f, now + 900).count, 1);
        assert_eq!(
            FlowError::PasswordAttemptsExceeded { until: 0 }.to_string(),
            "Password attempts exceeded"
        );
    }
}
