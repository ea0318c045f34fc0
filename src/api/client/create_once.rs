//! Lost-create recovery: a create is never blindly sent twice. After a
//! reply that was lost, the object the request may have made is looked up
//! and claimed (see [`Client::create_backup_job`] for the rule); only if
//! there is none is the create sent again.

use crate::api::objectid::object_id_time;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use super::retry::{not_applied, with_attempts, Policy, MAX_TIMED_OUT_ATTEMPTS};
use super::Client;
use crate::api::envelope::Envelope;
use crate::api::error::ApiError;
use crate::api::wire::Params;

/// Clock allowance, in seconds, around a create's call window when a job's
/// ObjectId time is compared with it (the server's clock against ours, and
/// the ObjectId's one-second resolution).
pub(super) const WINDOW_SLACK_SECS: u64 = 2;

/// The search for an object a create whose reply was lost may have made.
pub(super) type Lookup<'a, T> =
    Pin<Box<dyn Future<Output = Result<Option<(String, T)>, ApiError>> + Send + 'a>>;

/// The lookup after a lost create reply: more attempts, and it runs even
/// when stopping.
pub(super) const LOOKUP: Policy = Policy {
    repeatable: true,
    write: false,
    recovery: true,
};

impl Client {
    /// A create that is never blindly sent twice (see
    /// [`Client::create_backup_job`]): `decode` reads the reply into the new
    /// object's ID and value; after a lost reply, `find` looks for the object
    /// the request may have made since the window start (seconds), claiming it.
    pub(super) async fn create_once<'a, T>(
        &'a self,
        function: &str,
        params: &Params,
        name: &str,
        decode: impl Fn(Envelope) -> Result<(String, T), ApiError>,
        find: impl Fn(u64) -> Lookup<'a, T>,
    ) -> Result<T, ApiError> {
        let create = Policy {
            repeatable: false,
            write: true,
            recovery: false,
        };
        let mut attempt = 0u32;
        let started = std::time::Instant::now();
        let mut timeouts = 0u32;
        loop {
            let window_start = unix_now().saturating_sub(WINDOW_SLACK_SECS);
            let sent = self.call_with(function, params, create).await;
            if let Err(ApiError::Timeout { .. }) = sent {
                timeouts += 1;
            }
            let error = match sent.map_err(|e| with_attempts(e, timeouts, started)) {
                Ok(envelope) => {
                    let (id, created) = decode(envelope)?;
                    self.claim(&id);
                    return Ok(created);
                }
                Err(e) if !e.is_transient() || not_applied(&e) => return Err(e),
                Err(e) => e,
            };
            // The request went out and its fate is unknown. A stop cuts the
            // wait short but not the lookup: an object made by this request
            // must be returned so that Terraform records it.
            let delay = self.delay_after(&error, attempt);
            let stopped = !self.sleep_unless_stopped(delay).await;
            match find(window_start).await {
                Ok(Some((id, found))) => {
                    self.counters.adopted.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(function, %id, error = %error, "create reply lost; adopted the object the server created");
                    return Ok(found);
                }
                Ok(None) => {}
                Err(lookup) => {
                    return Err(ApiError::OutcomeUnknown {
                        function: function.to_string(),
                        kind: super::reply::created_kind(function).to_string(),
                        detail: format!("{error}; then the lookup failed: {lookup}"),
                        name: name.to_string(),
                    })
                }
            }
            if stopped || self.stop.is_raised() {
                return Err(Self::cancelled(function));
            }
            if attempt >= self.options.max_retries || timeouts >= MAX_TIMED_OUT_ATTEMPTS {
                return Err(error);
            }
            attempt += 1;
            let total = self.counters.retries.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::debug!(function, attempt, retries_so_far = total, error = %error, "create not applied by the server; sending it again");
        }
    }

    /// Whether this process created, adopted, modified or deleted the job:
    /// then a resource of this run manages it.
    pub fn is_own(&self, id: &str) -> bool {
        match self.created.lock() {
            Ok(set) => set.contains(id),
            Err(poisoned) => poisoned.into_inner().contains(id),
        }
    }

    /// Marks a job as this process's; `false` if it already was.
    pub(super) fn claim(&self, id: &str) -> bool {
        match self.created.lock() {
            Ok(mut set) => set.insert(id.to_string()),
            Err(poisoned) => poisoned.into_inner().insert(id.to_string()),
        }
    }
}

/// The end of a create's window (see [`Client::create_backup_job`]), taken
/// after the lookup's listing.
pub(super) fn window_end() -> u64 {
    unix_now() + WINDOW_SLACK_SECS
}

/// Whether the object `id` was created within `start..=end` (seconds).
pub(super) fn created_within(id: &str, start: u64, end: u64) -> bool {
    object_id_time(id).is_some_and(|t| t >= start && t <= end)
}

pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
