//! Fault injection (`--fail-rate F --fail-seed S`, `--fault-script SCRIPT`)
//! and the counters behind `GET /__sim/stats`.
//!
//! Each API request that reaches function dispatch first takes the first
//! entry of the fault script that applies to its function, if any (see
//! [`parse_script`]; `POST /__sim/faults` replaces the script at run time).
//! Otherwise it draws once: with probability F it gets one fault, picked
//! uniformly among the random kinds that apply to it. The sequence is fully
//! determined by the seed, the script and the order of requests.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{json, Value};

use crate::prng::SplitMix64;

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
    /// Script only: applied, then the connection drops without a reply.
    LostReplyDropped,
    /// Script only: applied, then the reply is cut in half.
    LostReplyTruncated,
    /// Script only: this HTTP status, nothing applied. With `retry_ms` the
    /// body is an envelope carrying `system.retry_ms`; with `retry_after`
    /// the response has a `Retry-After` header (seconds).
    Status {
        code: u16,
        retry_ms: Option<u64>,
        retry_after: Option<u64>,
    },
    /// Script only: HTTP 200, `success: 0` and `system.retry_ms`, nothing applied.
    Busy { retry_ms: u64 },
    /// Script only: answered normally after this many more milliseconds.
    Slow { ms: u64 },
    /// Script only: HTTP 200 with an HTML page, nothing applied.
    Html,
}

impl Fault {
    /// The counter this fault is reported under in `/__sim/stats`.
    pub fn label(&self) -> String {
        match self {
            Fault::Http502 => "http_502".to_string(),
            Fault::Dropped => "dropped".to_string(),
            Fault::Truncated => "truncated".to_string(),
            Fault::LostReply | Fault::LostReplyDropped | Fault::LostReplyTruncated => {
                "lost_reply".to_string()
            }
            Fault::Status { code, .. } => format!("http_{code}"),
            Fault::Busy { .. } => "busy".to_string(),
            Fault::Slow { .. } => "slow".to_string(),
            Fault::Html => "html".to_string(),
        }
    }
}

/// One entry of a fault script: the fault (`None`: answer normally) for the
/// next request of `function` (any function when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptEntry {
    pub function: Option<String>,
    pub fault: Option<Fault>,
}

/// Parses a fault script: comma-separated entries `[FUNCTION:]KIND[*N]`,
/// consumed in order by the requests they apply to. KIND is one of
/// `ok`, `502`, `drop`, `truncated`, `lost`, `lost-drop`, `lost-truncated`,
/// `html`, `busy@MS`, `slow@MS`, or an HTTP status `CODE` with an optional
/// `@MS` (`system.retry_ms` in a JSON body) or `^S` (`Retry-After: S`).
/// Example: `manageBackupJob:lost*3,getBackupJob:503@700,502*2`.
pub fn parse_script(script: &str) -> Result<Vec<ScriptEntry>, String> {
    let mut out = Vec::new();
    for raw in script.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (body, count) = match raw.rsplit_once('*') {
            Some((b, n)) => (
                b,
                n.parse::<usize>()
                    .map_err(|_| format!("fault script entry {raw:?}: bad repeat count"))?,
            ),
            None => (raw, 1),
        };
        if count > 100_000 {
            return Err(format!(
                "fault script entry {raw:?}: repeat count too large"
            ));
        }
        let (function, kind) = match body.split_once(':') {
            Some((f, k)) => (Some(f.to_string()), k),
            None => (None, body),
        };
        let fault = parse_kind(kind).map_err(|e| format!("fault script entry {raw:?}: {e}"))?;
        for _ in 0..count {
            out.push(ScriptEntry {
                function: function.clone(),
                fault,
            });
        }
    }
    Ok(out)
}

fn parse_kind(kind: &str) -> Result<Option<Fault>, String> {
    let num = |s: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("{s:?} is not a number"))
    };
    Ok(Some(match kind {
        "ok" => return Ok(None),
        "502" => Fault::Http502,
        "drop" => Fault::Dropped,
        "truncated" => Fault::Truncated,
        "lost" => Fault::LostReply,
        "lost-drop" => Fault::LostReplyDropped,
        "lost-truncated" => Fault::LostReplyTruncated,
        "html" => Fault::Html,
        _ => {
            if let Some(ms) = kind.strip_prefix("busy@") {
                Fault::Busy { retry_ms: num(ms)? }
            } else if let Some(ms) = kind.strip_prefix("slow@") {
                Fault::Slow { ms: num(ms)? }
            } else {
                let (code, retry_ms, retry_after) = if let Some((c, ms)) = kind.split_once('@') {
                    (c, Some(num(ms)?), None)
                } else if let Some((c, secs)) = kind.split_once('^') {
                    (c, None, Some(num(secs)?))
                } else {
                    (kind, None, None)
                };
                let code = code
                    .parse::<u16>()
                    .ok()
                    .filter(|c| (400..600).contains(c))
                    .ok_or_else(|| format!("unknown fault kind {kind:?}"))?;
                Fault::Status {
                    code,
                    retry_ms,
                    retry_after,
                }
            }
        }
    }))
}

#[derive(Debug, Clone)]
pub struct FaultInjector {
    rate: f64,
    rng: SplitMix64,
    script: VecDeque<ScriptEntry>,
}

impl FaultInjector {
    pub fn new(rate: f64, seed: u64) -> FaultInjector {
        FaultInjector {
            rate: rate.clamp(0.0, 1.0),
            rng: SplitMix64::new(seed),
            script: VecDeque::new(),
        }
    }

    /// Replaces the fault script.
    pub fn set_script(&mut self, script: Vec<ScriptEntry>) {
        self.script = script.into();
    }

    /// Entries of the script not yet used.
    pub fn script_len(&self) -> usize {
        self.script.len()
    }

    /// The fault for the next request of `function`: the first script entry
    /// that applies to it, else a random draw.
    pub fn next(&mut self, function: &str, write: bool) -> Option<Fault> {
        let pos = self
            .script
            .iter()
            .position(|e| e.function.as_deref().is_none_or(|f| f == function));
        if let Some(entry) = pos.and_then(|p| self.script.remove(p)) {
            return match entry.fault {
                // A lost reply only exists for writes; for a read it is a cut reply.
                Some(Fault::LostReply | Fault::LostReplyTruncated) if !write => {
                    Some(Fault::Truncated)
                }
                Some(Fault::LostReplyDropped) if !write => Some(Fault::Dropped),
                other => other,
            };
        }
        self.draw(write)
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
    /// Scripted kinds beyond the four random ones, by label.
    pub other: BTreeMap<String, u64>,
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
            Fault::LostReply | Fault::LostReplyDropped | Fault::LostReplyTruncated => {
                self.lost_reply += 1
            }
            other => *self.other.entry(other.label()).or_default() += 1,
        }
    }

    /// Every fault injected.
    pub fn total_faults(&self) -> u64 {
        self.http_502
            + self.dropped
            + self.truncated
            + self.lost_reply
            + self.other.values().sum::<u64>()
    }

    /// `{"calls": {...}, "faults": {..., "total": n}, "jobs": n}`.
    pub fn to_json(&self, jobs: usize) -> Value {
        let mut faults = json!({
            "http_502": self.http_502,
            "dropped": self.dropped,
            "truncated": self.truncated,
            "lost_reply": self.lost_reply,
            "total": self.total_faults(),
        });
        if let Some(map) = faults.as_object_mut() {
            for (k, v) in &self.other {
                map.insert(k.clone(), json!(v));
            }
        }
        json!({
            "calls": self.calls,
            "faults": faults,
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
    fn scripts_parse_and_are_consumed_per_function_before_random_draws() {
        let script = parse_script("manageBackupJob:lost*2, getBackupJob:503@700, 429^2, busy@50, slow@10, ok, html, lost-drop, lost-truncated, drop, truncated, 502").unwrap();
        assert_eq!(script.len(), 13);
        assert_eq!(
            script[2].fault,
            Some(Fault::Status {
                code: 503,
                retry_ms: Some(700),
                retry_after: None
            })
        );
        assert_eq!(
            script[3].fault,
            Some(Fault::Status {
                code: 429,
                retry_ms: None,
                retry_after: Some(2)
            })
        );
        for bad in ["teapot", "999", "busy@x", "502*x", "get:"] {
            assert!(parse_script(bad).is_err(), "{bad}");
        }
        let mut f = FaultInjector::new(0.0, 1);
        f.set_script(parse_script("manageBackupJob:lost,getBackupJob:503@700,ok").unwrap());
        // A read skips the write's entry and takes its own.
        assert!(matches!(
            f.next("getBackupJob", false),
            Some(Fault::Status { code: 503, .. })
        ));
        assert_eq!(f.next("listBackupJobs", false), None); // `ok`
        assert_eq!(f.next("manageBackupJob", true), Some(Fault::LostReply));
        assert_eq!(f.script_len(), 0);
        assert_eq!(f.next("manageBackupJob", true), None);
        f.set_script(parse_script("lost").unwrap());
        assert_eq!(f.next("getBackupJob", false), Some(Fault::Truncated));
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
        assert_eq!(v["faults"]["total"], 1);
        s.count_fault(Fault::Busy { retry_ms: 5 });
        assert_eq!(s.to_json(0)["faults"]["busy"], 1);
        assert_eq!(s.to_json(0)["faults"]["total"], 2);
    }
}
