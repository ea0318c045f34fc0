//! Fault injection (`--fail-rate F --fail-seed S`) and the counters behind
//! `GET /__sim/stats`.
//!
//! Each API request that reaches function dispatch draws once: with
//! probability F it gets one fault, picked uniformly among the kinds that
//! apply to it. The sequence is fully determined by the seed and the order of
//! requests.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::prng::SplitMix64;

/// What goes wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// An HTTP 502 with an HTML body (a proxy in front of the panel), nothing applied.
    Http502,
    /// The connection closes without any response, nothing applied.
    Dropped,
    /// A valid-looking JSON reply cut in half, nothing applied.
    Truncated,
    /// Write functions only: the change is applied, then the reply is lost
    /// (the connection drops, or the reply is cut in half).
    LostReply,
}

#[derive(Debug, Clone)]
pub struct FaultInjector {
    rate: f64,
    rng: SplitMix64,
}

impl FaultInjector {
    pub fn new(rate: f64, seed: u64) -> FaultInjector {
        FaultInjector {
            rate: rate.clamp(0.0, 1.0),
            rng: SplitMix64::new(seed),
        }
    }

    /// The fault for the next request, if any. `write` says whether the
    /// function changes data (only those can lose a committed reply).
    pub fn draw(&mut self, write: bool) -> Option<Fault> {
        if self.rate <= 0.0 || self.rng.next_f64() >= self.rate {
            return None;
        }
        let kinds: &[Fault] = if write {
            &[
                Fault::Http502,
                Fault::Dropped,
                Fault::Truncated,
                Fault::LostReply,
            ]
        } else {
            &[Fault::Http502, Fault::Dropped, Fault::Truncated]
        };
        kinds
            .get(self.rng.below(kinds.len() as u64) as usize)
            .copied()
    }

    /// A fair coin, for how a lost reply is lost.
    pub fn coin(&mut self) -> bool {
        self.rng.next_u64() & 1 == 1
    }
}

/// Counters for `/__sim/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub calls: BTreeMap<String, u64>,
    pub http_502: u64,
    pub dropped: u64,
    pub truncated: u64,
    pub lost_reply: u64,
}

impl Stats {
    pub fn count_call(&mut self, function: &str) {
        *self.calls.entry(function.to_string()).or_default() += 1;
    }

    pub fn count_fault(&mut self, fault: Fault) {
        match fault {
            Fault::Http502 => self.http_502 += 1,
            Fault::Dropped => self.dropped += 1,
            Fault::Truncated => self.truncated += 1,
            Fault::LostReply => self.lost_reply += 1,
        }
    }

    /// `{"calls": {...}, "faults": {...}, "jobs": n}`.
    pub fn to_json(&self, jobs: usize) -> Value {
        json!({
            "calls": self.calls,
            "faults": {
                "http_502": self.http_502,
                "dropped": self.dropped,
                "truncated": self.truncated,
                "lost_reply": self.lost_reply,
            },
            "jobs": jobs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_zero_never_faults_and_rate_one_always_does() {
        let mut f = FaultInjector::new(0.0, 1);
        assert!((0..1000).all(|_| f.draw(true).is_none()));
        let mut f = FaultInjector::new(1.0, 1);
        assert!((0..1000).all(|_| f.draw(false).is_some()));
    }

    #[test]
    fn reads_never_lose_a_committed_reply_and_writes_see_every_kind() {
        let mut f = FaultInjector::new(1.0, 9);
        assert!((0..1000).all(|_| f.draw(false) != Some(Fault::LostReply)));
        let kinds: std::collections::HashSet<_> = (0..100)
            .filter_map(|_| f.draw(true))
            .map(|k| format!("{k:?}"))
            .collect();
        assert_eq!(kinds.len(), 4);
    }

    #[test]
    fn same_seed_same_faults() {
        let mut a = FaultInjector::new(0.5, 42);
        let mut b = FaultInjector::new(0.5, 42);
        for i in 0..1000 {
            assert_eq!(a.draw(i % 2 == 0), b.draw(i % 2 == 0));
        }
        let mut c = FaultInjector::new(0.5, 42);
        let n = (0..10_000).filter(|_| c.draw(false).is_some()).count();
        assert!((4_500..5_500).contains(&n), "{n}");
    }

    #[test]
    fn stats_json_shape() {
        let mut s = Stats::default();
        s.count_call("getBackupJob");
        s.count_call("getBackupJob");
        s.count_fault(Fault::LostReply);
        let v = s.to_json(3);
        assert_eq!(v["calls"]["getBackupJob"], 2);
        assert_eq!(v["faults"]["lost_reply"], 1);
        assert_eq!(v["faults"]["http_502"], 0);
        assert_eq!(v["jobs"], 3);
    }
}
