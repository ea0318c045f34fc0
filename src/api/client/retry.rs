//! The retry engine: every call goes through [`Client::call_with`], which
//! caps concurrent calls, stops waiting when the provider is asked to stop,
//! sends, decodes, retries what is safe to retry, and logs each call at
//! debug level with secrets redacted.
//!
//! # Retries
//!
//! A call that is safe to repeat (get, list, modify, delete) is sent again
//! after a failure that may go away by itself ([`ApiError::is_transient`]:
//! connection errors, timeouts, a reply cut short, HTTP 429/502/503/504, and
//! `success: 0` with `system.retry_ms`), at most
//! [`ClientOptions::max_retries`](super::ClientOptions::max_retries) times,
//! and a timeout at most once ([`MAX_TIMED_OUT_ATTEMPTS`]). Anything else (a
//! refusal, 3xx, 4xx/500, a reply that is not the API's) fails at once with
//! the server's message.
//!
//! The wait before attempt n+1 is, by preference:
//! - the server's own delay: `system.retry_ms` of a `success: 0` envelope or
//!   of the JSON body of a 429/503, else a `Retry-After` header. The server
//!   knows its load better than any formula; it is capped at
//!   [`MAX_SERVER_DELAY`] so that a broken server cannot park Terraform, and
//!   gets up to 10 % jitter so that parallel calls told the same delay do not
//!   come back in one burst;
//! - otherwise exponential backoff: `retry_base × 2ⁿ` (capped at
//!   [`MAX_BACKOFF`]) plus up to 50 % random jitter.
//!
//! A create is never blindly re-sent: see [`Client::create_backup_job`]. A
//! write that is not repeatable is retried only when the server said it did
//! nothing (`success: 0` with `retry_ms`, or HTTP 429).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Client;
use crate::api::envelope::Envelope;
use crate::api::error::ApiError;
use crate::api::function::changes_data;
use crate::api::secrets::params_for_log;
use crate::api::wire::Params;
use crate::prng::SplitMix64;

/// Longest wait a server's `retry_ms` / `Retry-After` can impose per attempt.
pub const MAX_SERVER_DELAY: Duration = Duration::from_secs(30);

/// Longest exponential backoff step (before jitter).
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Extra attempts given to the lookup that follows a create whose reply was
/// lost: if it fails, a job may exist that Terraform does not know about.
const RECOVERY_EXTRA_RETRIES: u32 = 3;

/// Most attempts of one call that may time out: a server that gave no
/// reply within the timeout (60 s by default) is retried once, not
/// `max_retries` times, so that a port that never answers costs about two
/// timeouts (2 minutes by default), not four. A server that is merely slow
/// once gets its second chance.
pub const MAX_TIMED_OUT_ATTEMPTS: u32 = 2;

/// A timeout error with the number of attempts that timed out and the time
/// since the call's first attempt.
pub(super) fn with_attempts(e: ApiError, timeouts: u32, started: Instant) -> ApiError {
    match e {
        ApiError::Timeout {
            function,
            target,
            after,
            attempts: _,
            waited: _,
        } => ApiError::Timeout {
            function,
            target,
            after,
            attempts: timeouts.max(1),
            waited: started.elapsed(),
        },
        other => other,
    }
}

/// How one call may be repeated and interrupted.
#[derive(Debug, Clone, Copy)]
pub(super) struct Policy {
    /// Sending it again gives the same result (get, list, modify, delete).
    pub(super) repeatable: bool,
    /// It changes data: once sent it is awaited even when stopping.
    pub(super) write: bool,
    /// The lookup after a lost create reply: more attempts, and it runs even
    /// when stopping (its answer decides whether a job is recorded).
    pub(super) recovery: bool,
}

pub(super) const READ: Policy = Policy {
    repeatable: true,
    write: false,
    recovery: false,
};

/// Whether the call was certainly not carried out (never sent, or the
/// server said so), so that even a write that is not repeatable can be sent
/// again, and a create needs no lookup.
pub(super) fn not_applied(e: &ApiError) -> bool {
    e.nothing_sent()
        || matches!(
            e,
            ApiError::Busy { .. } | ApiError::HttpStatus { status: 429, .. }
        )
}

impl Client {
    pub(super) fn cancelled(function: &str) -> ApiError {
        ApiError::Cancelled {
            function: function.to_string(),
        }
    }

    /// Sleeps `delay`, or less if a stop is requested; `false` if it was.
    pub(super) async fn sleep_unless_stopped(&self, delay: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(delay) => true,
            _ = self.stop.raised() => false,
        }
    }

    /// The wait before the next attempt after `error` (see the module docs).
    pub(super) fn delay_after(&self, error: &ApiError, attempt: u32) -> Duration {
        match error.retry_after() {
            Some(asked) => {
                let asked = asked.min(MAX_SERVER_DELAY);
                asked + asked.mul_f64(jitter_fraction() / 10.0)
            }
            None => backoff(self.options.retry_base, attempt),
        }
    }

    /// Sends one call and decodes the envelope; `success: 0` is an error.
    /// `idempotent` calls are retried on transient failures.
    pub async fn call(
        &self,
        function: &str,
        params: &Params,
        idempotent: bool,
    ) -> Result<Envelope, ApiError> {
        let policy = Policy {
            repeatable: idempotent,
            write: changes_data(function),
            recovery: false,
        };
        self.call_with(function, params, policy).await
    }

    pub(super) async fn call_with(
        &self,
        function: &str,
        params: &Params,
        policy: Policy,
    ) -> Result<Envelope, ApiError> {
        let max_retries = if policy.recovery {
            self.options.max_retries + RECOVERY_EXTRA_RETRIES
        } else {
            self.options.max_retries
        };
        let mut attempt = 0u32;
        let started = Instant::now();
        let mut timeouts = 0u32;
        loop {
            if !policy.recovery && self.stop.is_raised() {
                return Err(Self::cancelled(function));
            }
            let result = self.call_once(function, params, policy).await;
            if let Err(ApiError::Timeout { .. }) = result {
                timeouts += 1;
            }
            let result = result.map_err(|e| with_attempts(e, timeouts, started));
            match result {
                Err(e)
                    if e.is_transient()
                        && (policy.repeatable || not_applied(&e))
                        && attempt < max_retries
                        && timeouts < MAX_TIMED_OUT_ATTEMPTS =>
                {
                    let delay = self.delay_after(&e, attempt);
                    let total = self.counters.retries.fetch_add(1, Ordering::Relaxed) + 1;
                    tracing::debug!(
                        function,
                        attempt = attempt + 1,
                        delay_ms = delay.as_millis() as u64,
                        retries_so_far = total,
                        error = %e,
                        "retrying"
                    );
                    if policy.recovery {
                        tokio::time::sleep(delay).await;
                    } else if !self.sleep_unless_stopped(delay).await {
                        return Err(Self::cancelled(function));
                    }
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn call_once(
        &self,
        function: &str,
        params: &Params,
        policy: Policy,
    ) -> Result<Envelope, ApiError> {
        let started = Instant::now();
        let body = {
            // Waiting for a slot ends when a stop is requested: nothing was sent.
            let acquire = self.limiter.acquire();
            let permit = if policy.recovery {
                acquire.await
            } else {
                tokio::select! {
                    p = acquire => p,
                    _ = self.stop.raised() => return Err(Self::cancelled(function)),
                }
            };
            // The semaphore is never closed; a closed one would only mean
            // shutting down, reported as cancellation.
            let _permit = permit.map_err(|_| Self::cancelled(function))?;
            if let Some(first) = self.credentials_refused.get() {
                return Err(ApiError::CredentialsRefused {
                    function: function.to_string(),
                    first: first.clone(),
                });
            }
            self.counters.calls.fetch_add(1, Ordering::Relaxed);
            let send = self.transport.call(function, params);
            if policy.write || policy.recovery {
                // A write in flight is awaited: only its reply says whether it
                // happened, and a created job must be recorded.
                send.await
            } else {
                tokio::select! {
                    b = send => b,
                    _ = self.stop.raised() => Err(Self::cancelled(function)),
                }
            }
        };
        // Every text of the result leaves masked: the token in all its
        // spellings and this request's secret parameters.
        let secrets = self.secrets.with_call(function, params);
        let body = body.map_err(|e| self.credentials_once(function, e));
        let result = body
            .and_then(|body| self.decode(function, params, &body, &secrets))
            .map_err(|e| e.masked(&secrets));
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        tracing::debug!(
            function,
            params = %params_for_log(function, params),
            duration_ms = started.elapsed().as_millis() as u64,
            outcome = %outcome,
            "jetbackup api call"
        );
        result
    }

    /// The first refusal of the credentials is reported in full; any other
    /// (calls that were already in flight) refers to it in one line.
    fn credentials_once(&self, function: &str, e: ApiError) -> ApiError {
        let ApiError::HttpStatus { status, .. } = &e else {
            return e;
        };
        if !e.is_credentials_refused() {
            return e;
        }
        let first = format!("HTTP {status} to {function}");
        if self.credentials_refused.set(first).is_ok() {
            return e;
        }
        ApiError::CredentialsRefused {
            function: function.to_string(),
            first: self.credentials_refused.get().cloned().unwrap_or_default(),
        }
    }
}

/// A number in [0, 1) that differs from call to call (time and a counter
/// seed [`SplitMix64`]): jitter needs spread, not cryptographic quality.
fn jitter_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    SplitMix64::new(nanos ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_f64()
}

/// Exponential backoff, capped at [`MAX_BACKOFF`], with up to 50 % jitter.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_BACKOFF);
    exp + exp.mul_f64(jitter_fraction() / 2.0)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;
    use crate::api::ClientOptions;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let b = Duration::from_millis(100);
        for _ in 0..100 {
            let d = backoff(b, 0);
            assert!(d >= b && d <= b * 3 / 2, "{d:?}");
            let d = backoff(b, 3);
            assert!(d >= b * 8 && d <= b * 12, "{d:?}");
            let d = backoff(b, 30);
            assert!(d >= MAX_BACKOFF && d <= MAX_BACKOFF * 3 / 2, "{d:?}");
        }
        // Jitter spreads: 50 draws are not all the same.
        let draws: HashSet<u128> = (0..50).map(|_| backoff(b, 2).as_micros()).collect();
        assert!(draws.len() > 10, "{draws:?}");
    }

    #[test]
    fn a_servers_delay_is_honoured_within_the_cap() {
        let client = Client::new(
            Arc::new(crate::api::transport::CliTransport::new(
                "/nonexistent",
                Duration::from_secs(1),
            )),
            ClientOptions::default(),
        );
        let busy = |ms| ApiError::Busy {
            function: "f".into(),
            message: "busy".into(),
            retry_after: Duration::from_millis(ms),
        };
        let d = client.delay_after(&busy(700), 0);
        assert!(
            d >= Duration::from_millis(700) && d <= Duration::from_millis(770),
            "{d:?}"
        );
        let d = client.delay_after(&busy(3_600_000), 0);
        assert!(
            d >= MAX_SERVER_DELAY && d <= MAX_SERVER_DELAY * 11 / 10,
            "{d:?}"
        );
        let refused = ApiError::Refused {
            function: "f".into(),
            message: "no".into(),
        };
        let d = client.delay_after(&refused, 1);
        assert!(
            d >= Duration::from_millis(400) && d <= Duration::from_millis(600),
            "{d:?}"
        );
    }
}
