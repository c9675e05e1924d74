//! Start times of the requests to one host, kept a minimum interval apart:
//! the politeness of page fetches (`snapshot`, `audit`) and link checks.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the next request to a host may start.
#[derive(Debug)]
pub(crate) struct Pace(Mutex<Instant>);

impl Pace {
    pub(crate) fn new() -> Pace {
        Pace(Mutex::new(Instant::now()))
    }

    fn next(&self) -> std::sync::MutexGuard<'_, Instant> {
        match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The next start time (now at the earliest); the one after it is
    /// `interval` later.
    pub(crate) fn reserve(&self, interval: Duration) -> Instant {
        let mut next = self.next();
        let start = (*next).max(Instant::now());
        *next = start + interval;
        start
    }

    /// No start before `until`.
    pub(crate) fn hold_until(&self, until: Instant) {
        let mut next = self.next();
        if *next < until {
            *next = until;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_are_an_interval_apart_and_holds_move_them() {
        let pace = Pace::new();
        let step = Duration::from_millis(100);
        let a = pace.reserve(step);
        let b = pace.reserve(step);
        assert_eq!(b - a, step);
        let until = b + Duration::from_secs(5);
        pace.hold_until(until);
        assert_eq!(pace.reserve(step), until);
    }
}
