//! The typed JetBackup 5 client: one method per API function, on top of a
//! [`Transport`]. Decodes the envelope, turns `success: 0` into
//! [`ApiError::Refused`]/[`ApiError::NotFound`]/[`ApiError::Busy`], retries
//! what is safe to retry, caps concurrent calls, stops waiting when the
//! provider is asked to stop, and logs each call at debug level with secrets
//! redacted.
//!
//! # Retries
//!
//! A call that is safe to repeat (get, list, modify, delete) is sent again
//! after a failure that may go away by itself ([`ApiError::is_transient`]:
//! connection errors, timeouts, a reply cut short, HTTP 429/502/503/504, and
//! `success: 0` with `system.retry_ms`), at most
//! [`ClientOptions::max_retries`] times. Anything else (a refusal, 4xx/500,
//! a reply that is not the API's) fails at once with the server's message.
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

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::future::try_join_all;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Semaphore;

use super::envelope::{Envelope, NotAnEnvelope};
use crate::prng::SplitMix64;

use super::error::{redact_snippet, ApiError};
use super::job::{check_job_types, BackupJob, JobSpec};
use super::lenient::value_to_string;
use super::models::{AccountFilterGroup, Destination, ListPage, ListQuery, Schedule};
use super::object::{self, ObjectKind, Values, OBJECTS};
use super::stop::StopSignal;
use super::transport::Transport;
use super::wire::Params;

/// Default page size of list calls (the server's own default is 100).
pub const PAGE_SIZE: u64 = 100;

/// Default of [`ClientOptions::max_concurrent_requests`]: Terraform's own
/// default `-parallelism`, so that the provider adds no queue of its own
/// under Terraform's defaults and a listing of up to 1,000 objects costs two
/// round trips (README, "Performance", has the figures behind it).
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 10;

/// Longest wait a server's `retry_ms` / `Retry-After` can impose per attempt.
pub const MAX_SERVER_DELAY: Duration = Duration::from_secs(30);

/// Longest exponential backoff step (before jitter).
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Most pages one listing follows: 100 000 objects at the default page size.
/// A server whose `total` never comes within reach is broken or hostile.
pub const MAX_PAGES: u64 = 1000;

/// Extra attempts given to the lookup that follows a create whose reply was
/// lost: if it fails, a job may exist that Terraform does not know about.
const RECOVERY_EXTRA_RETRIES: u32 = 3;

/// Clock allowance, in seconds, around a create's call window when a job's
/// ObjectId time is compared with it (the server's clock against ours, and
/// the ObjectId's one-second resolution).
const WINDOW_SLACK_SECS: u64 = 2;

#[derive(Debug, Clone, Copy)]
pub struct ClientOptions {
    /// How many times an idempotent call is re-sent after a transient failure.
    pub max_retries: u32,
    /// Calls in flight at once from this client, whatever Terraform's parallelism.
    pub max_concurrent_requests: usize,
    /// First backoff delay; doubled each attempt, with jitter.
    pub retry_base: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_retries: 3,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            retry_base: Duration::from_millis(200),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    options: ClientOptions,
    limiter: Arc<Semaphore>,
    /// Jobs this process created or adopted, so a lost-reply recovery never
    /// adopts a job another resource of the same run already owns.
    created: Arc<Mutex<HashSet<String>>>,
    /// The first refusal of the credentials (401/403) in this process, in
    /// short: later calls fail at once with a reference to it instead of
    /// each sending the same wrong token and printing the same explanation.
    credentials_refused: Arc<OnceLock<String>>,
    secrets: Arc<Vec<String>>,
    stop: StopSignal,
    counters: Arc<Counters>,
}

/// What a client did, for logs, tests and the soak figures.
#[derive(Debug, Default)]
struct Counters {
    calls: AtomicU64,
    retries: AtomicU64,
    adopted: AtomicU64,
}

/// A snapshot of [`Client::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Requests handed to the transport.
    pub calls: u64,
    /// Attempts after the first of a call (including re-sent creates).
    pub retries: u64,
    /// Creates whose reply was lost and whose job was found and adopted.
    pub adopted: u64,
}

/// The search for an object a create whose reply was lost may have made.
type Lookup<'a, T> =
    Pin<Box<dyn Future<Output = Result<Option<(String, T)>, ApiError>> + Send + 'a>>;

/// A check of one listed object's JSON before it is decoded.
type TypeCheck = fn(&Value) -> Result<(), String>;

/// How one call may be repeated and interrupted.
#[derive(Debug, Clone, Copy)]
struct Policy {
    /// Sending it again gives the same result (get, list, modify, delete).
    repeatable: bool,
    /// It changes data: once sent it is awaited even when stopping.
    write: bool,
    /// The lookup after a lost create reply: more attempts, and it runs even
    /// when stopping (its answer decides whether a job is recorded).
    recovery: bool,
}

const READ: Policy = Policy {
    repeatable: true,
    write: false,
    recovery: false,
};

/// Functions whose `_id` names an existing object: a refusal saying it does
/// not exist becomes [`ApiError::NotFound`].
fn object_kind(function: &str) -> Option<&'static str> {
    match function {
        "getBackupJob" | "deleteBackupJob" | "duplicateBackupJob" | "runBackupJobManually" => {
            Some("backup job")
        }
        "getDestination" => Some("destination"),
        "getAccountFilterGroup" => Some("account filter group"),
        _ => OBJECTS
            .iter()
            .find(|k| k.get == function || k.delete == function)
            .map(|k| k.title),
    }
}

/// For a `manage*` function: the word a refusal names when the modified
/// object itself is gone, and the object's kind.
fn modified_kind(function: &str) -> Option<(&'static str, &'static str)> {
    match function {
        "manageBackupJob" => Some(("job", "backup job")),
        _ => OBJECTS
            .iter()
            .find(|k| k.manage == function)
            .map(|k| (k.title, k.title)),
    }
}

fn value_to_list_of_keys(types: &Value) -> Vec<String> {
    super::lenient::value_to_list(types)
        .iter()
        .filter_map(|t| t.get("key").and_then(super::lenient::value_to_string))
        .collect()
}

/// A table-described object in a reply, decoded strictly.
pub fn decode_object(
    function: &str,
    kind: &ObjectKind,
    raw: &Value,
) -> Result<(String, Values), ApiError> {
    object::decode(kind, raw).map_err(|reason| ApiError::BadResponse {
        function: function.to_string(),
        reason,
        snippet: String::new(),
    })
}

/// Functions that change data on the server.
fn changes_data(function: &str) -> bool {
    [
        "manage",
        "delete",
        "duplicate",
        "run",
        "create",
        "add",
        "edit",
        "update",
        "set",
    ]
    .iter()
    .any(|p| function.starts_with(p))
}

/// Whether a refusal message says the object does not exist. The real
/// server's wording for an unknown `_id` is not documented (inferred from the
/// usual phrasing; the simulator answers "… not found").
pub fn message_means_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "not found",
        "no such",
        "does not exist",
        "doesn't exist",
        "not exist",
    ]
    .iter()
    .any(|p| m.contains(p))
}

/// Whether the call was certainly not carried out (never sent, or the
/// server said so), so that even a write that is not repeatable can be sent
/// again, and a create needs no lookup.
fn not_applied(e: &ApiError) -> bool {
    e.nothing_sent()
        || matches!(
            e,
            ApiError::Busy { .. } | ApiError::HttpStatus { status: 429, .. }
        )
}

impl Client {
    pub fn new(transport: Arc<dyn Transport>, options: ClientOptions) -> Client {
        let secrets = Arc::new(transport.secrets());
        Client {
            transport,
            limiter: Arc::new(Semaphore::new(options.max_concurrent_requests.max(1))),
            options,
            created: Arc::default(),
            credentials_refused: Arc::default(),
            secrets,
            stop: StopSignal::new(),
            counters: Arc::default(),
        }
    }

    /// The same client, answering to `stop` (see [`StopSignal`]).
    pub fn with_stop(mut self, stop: StopSignal) -> Client {
        self.stop = stop;
        self
    }

    pub fn options(&self) -> ClientOptions {
        self.options
    }

    /// Counts of calls, retries and adopted creates since the client was made.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            calls: self.counters.calls.load(Ordering::Relaxed),
            retries: self.counters.retries.load(Ordering::Relaxed),
            adopted: self.counters.adopted.load(Ordering::Relaxed),
        }
    }

    fn cancelled(function: &str) -> ApiError {
        ApiError::Cancelled {
            function: function.to_string(),
        }
    }

    /// Sleeps `delay`, or less if a stop is requested; `false` if it was.
    async fn sleep_unless_stopped(&self, delay: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(delay) => true,
            _ = self.stop.raised() => false,
        }
    }

    /// The wait before the next attempt after `error` (see the module docs).
    fn delay_after(&self, error: &ApiError, attempt: u32) -> Duration {
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

    async fn call_with(
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
        loop {
            if !policy.recovery && self.stop.is_raised() {
                return Err(Self::cancelled(function));
            }
            let result = self.call_once(function, params, policy).await;
            match result {
                Err(e)
                    if e.is_transient()
                        && (policy.repeatable || not_applied(&e))
                        && attempt < max_retries =>
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
        let body = body.map_err(|e| self.credentials_once(function, e));
        let result = body.and_then(|body| self.decode(function, params, &body));
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        tracing::debug!(
            function,
            params = %params.redacted(),
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

    fn decode(&self, function: &str, params: &Params, body: &[u8]) -> Result<Envelope, ApiError> {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        decode_reply(function, params, body, &secrets)
    }

    /// The job object in `data`, after checking its field types.
    fn job(function: &str, envelope: Envelope) -> Result<BackupJob, ApiError> {
        decode_job(function, envelope)
    }

    fn data<T: DeserializeOwned>(function: &str, envelope: Envelope) -> Result<T, ApiError> {
        super::wire_json::decode_at(envelope.data, "data").map_err(|e| ApiError::BadResponse {
            function: function.to_string(),
            reason: format!("`data` does not have the expected shape: {e}"),
            snippet: String::new(),
        })
    }

    fn page<T: DeserializeOwned>(
        function: &str,
        envelope: &Envelope,
        collection: &str,
        check: Option<TypeCheck>,
    ) -> Result<ListPage<T>, ApiError> {
        let bad = |reason: String| ApiError::BadResponse {
            function: function.to_string(),
            reason,
            snippet: String::new(),
        };
        if let (Some(check), Some(raw)) = (check, envelope.data.get(collection)) {
            for (i, item) in super::lenient::value_to_list(raw).iter().enumerate() {
                check(item).map_err(|e| bad(format!("data.{collection}[{i}]: {e}")))?;
            }
        }
        ListPage::from_data(&envelope.data, collection).map_err(bad)
    }

    /// Calls a list function page by page (`limit`/`skip`) until `total`.
    ///
    /// The first page tells the total; the pages still missing are then all
    /// asked for at once (the request limiter keeps them within
    /// `max_concurrent_requests`), so a listing costs two round trips
    /// whatever its length when the limit allows. The pages are put back in
    /// the server's order. Should the list have grown meanwhile (the last
    /// page ends short of the latest `total`), another round follows.
    async fn list_all<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        check: Option<TypeCheck>,
        policy: Policy,
    ) -> Result<Vec<T>, ApiError> {
        let limit = query.limit.unwrap_or(PAGE_SIZE).max(1);
        let mut skip = query.skip.unwrap_or(0);
        let mut items = Vec::new();
        let mut pages = 0u64;
        while pages < MAX_PAGES {
            let first: ListPage<T> = self
                .list_page_at(function, collection, query, (limit, skip), check, policy)
                .await?;
            pages += 1;
            // The server's own page size may be smaller than the one asked for.
            let step = first.items.len() as u64;
            let mut end = (skip + step, first.total);
            items.extend(first.items);
            if step == 0 || end.0 >= end.1 {
                return Ok(items);
            }
            let skips: Vec<u64> = (1..)
                .map(|i| skip + i * step)
                .take_while(|s| *s < end.1)
                .take((MAX_PAGES - pages) as usize)
                .collect();
            pages += skips.len() as u64;
            let rest: Vec<(u64, ListPage<T>)> =
                try_join_all(skips.into_iter().map(|s| async move {
                    self.list_page_at(function, collection, query, (limit, s), check, policy)
                        .await
                        .map(|page| (s, page))
                }))
                .await?;
            let mut last_empty = false;
            for (s, page) in rest {
                last_empty = page.items.is_empty();
                end = (s + page.items.len() as u64, page.total);
                items.extend(page.items);
            }
            if last_empty || end.0 >= end.1 {
                return Ok(items);
            }
            skip = end.0;
        }
        Err(ApiError::BadResponse {
            function: function.to_string(),
            reason: format!(
                "the listing did not end after {MAX_PAGES} pages of {limit} (the server's `total` is never reached)"
            ),
            snippet: String::new(),
        })
    }

    /// One page of a listing: `query` with `limit` and `skip` from `at`.
    async fn list_page_at<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        at: (u64, u64),
        check: Option<TypeCheck>,
        policy: Policy,
    ) -> Result<ListPage<T>, ApiError> {
        let q = ListQuery {
            limit: Some(at.0),
            skip: Some(at.1),
            ..query.clone()
        };
        let envelope = self.call_with(function, &list_params(&q), policy).await?;
        Self::page(function, &envelope, collection, check)
    }

    pub async fn list_page<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
    ) -> Result<ListPage<T>, ApiError> {
        let params = list_params(query);
        let envelope = self.call_with(function, &params, READ).await?;
        Self::page(function, &envelope, collection, None)
    }

    async fn get_by_id<T: DeserializeOwned>(
        &self,
        function: &str,
        id: &str,
    ) -> Result<T, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with(function, &params, READ).await?;
        Self::data(function, envelope)
    }

    // ---- backup jobs -------------------------------------------------------

    /// `manageBackupJob action=create`. The reply's job object is the readback.
    ///
    /// A create is the one call that must not simply be sent again: if its
    /// reply is lost (timeout, dropped connection, truncated body, a proxy's
    /// 502/504) the server may have created the job anyway, and a second
    /// request would make a duplicate that no Terraform state knows about.
    /// So after such a failure the client first waits (the retry delay, which
    /// also gives a slow server time to finish), then looks for the job the
    /// lost request may have made, and only re-sends if there is none.
    ///
    /// A job is adopted as the one this call created when all of these hold:
    /// - it has the same name, and the same type, structure and destinations
    ///   where the request set them (the server echoes these verbatim);
    /// - its ObjectId, whose first 8 hex digits are the second the server
    ///   created it, falls inside the call's window (from just before the
    ///   request was sent to the lookup, with [`WINDOW_SLACK_SECS`] of slack);
    /// - no other create of this process has claimed it (claiming is atomic,
    ///   so two concurrent creates of identical jobs take one each).
    ///
    /// If the lost request did commit, its job meets all three, so it is found
    /// (the lookup gets extra retries and runs even when the provider is
    /// stopping): no duplicate. If it did not commit, a job meeting all three
    /// can only be one that someone else created with the same name and
    /// settings within those same seconds; adopting it leaves the server with
    /// exactly the configured job, never a second one. Limits: a server whose
    /// clock is off from this machine's by more than the slack is not
    /// recognised (the job is then created again), and a server that commits a
    /// create only after the lookup (still working when the client gave up)
    /// can end up with two.
    ///
    /// A failure that says the server did nothing (`success: 0` with
    /// `retry_ms`, HTTP 429) is retried as such, without a lookup.
    pub async fn create_backup_job(&self, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        const F: &str = "manageBackupJob";
        let name = spec.name.clone().unwrap_or_default();
        self.create_once(
            F,
            &spec.create_params(),
            &name,
            |envelope| Self::job(F, envelope).map(|job| (job.id.clone(), job)),
            |window_start| {
                Box::pin(async move {
                    let found = self.find_created_job(spec, window_start).await?;
                    Ok(found.map(|job| (job.id.clone(), job)))
                })
            },
        )
        .await
    }

    /// A create that is never blindly sent twice (see
    /// [`Client::create_backup_job`]): `decode` reads the reply into the new
    /// object's ID and value; after a lost reply, `find` looks for the object
    /// the request may have made since the window start (seconds), claiming it.
    async fn create_once<'a, T>(
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
        loop {
            let window_start = unix_now().saturating_sub(WINDOW_SLACK_SECS);
            let error = match self.call_with(function, params, create).await {
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
                        detail: format!("{error}; then the lookup failed: {lookup}"),
                        name: name.to_string(),
                    })
                }
            }
            if stopped || self.stop.is_raised() {
                return Err(Self::cancelled(function));
            }
            if attempt >= self.options.max_retries {
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
    fn claim(&self, id: &str) -> bool {
        match self.created.lock() {
            Ok(mut set) => set.insert(id.to_string()),
            Err(poisoned) => poisoned.into_inner().insert(id.to_string()),
        }
    }

    async fn find_created_job(
        &self,
        spec: &JobSpec,
        window_start: u64,
    ) -> Result<Option<BackupJob>, ApiError> {
        let name = spec.name.clone().unwrap_or_default();
        let query = ListQuery {
            find: vec![("name".to_string(), name.clone())],
            ..ListQuery::default()
        };
        let lookup = Policy {
            repeatable: true,
            write: false,
            recovery: true,
        };
        let mut jobs: Vec<BackupJob> = self
            .list_all(
                "listBackupJobs",
                "jobs",
                &query,
                Some(check_job_types),
                lookup,
            )
            .await?;
        let window_end = unix_now() + WINDOW_SLACK_SECS;
        jobs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(jobs.into_iter().find(|j| {
            j.name == name
                && job_matches_spec(j, spec)
                && object_id_time(&j.id).is_some_and(|t| t >= window_start && t <= window_end)
                && self.claim(&j.id)
        }))
    }

    /// `manageBackupJob action=modify`: only the set fields of `spec` change.
    pub async fn modify_backup_job(&self, id: &str, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        self.claim(id);
        // Re-sending the same modify gives the same result, so it is retried.
        let envelope = self
            .call("manageBackupJob", &spec.modify_params(id), true)
            .await?;
        Self::job("manageBackupJob", envelope)
    }

    pub async fn get_backup_job(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with("getBackupJob", &params, READ).await?;
        Self::job("getBackupJob", envelope)
    }

    /// Every backup job, following the pages.
    pub async fn list_backup_jobs(&self, query: &ListQuery) -> Result<Vec<BackupJob>, ApiError> {
        self.list_all("listBackupJobs", "jobs", query, Some(check_job_types), READ)
            .await
    }

    /// `deleteBackupJob`; a job that is already gone counts as deleted (so a
    /// delete whose reply was lost and that is sent again succeeds).
    pub async fn delete_backup_job(&self, id: &str) -> Result<(), ApiError> {
        self.claim(id);
        let mut params = Params::new();
        params.push("_id", id);
        match self.call("deleteBackupJob", &params, true).await {
            Ok(_) | Err(ApiError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn duplicate_backup_job(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call("duplicateBackupJob", &params, false).await?;
        Self::job("duplicateBackupJob", envelope)
    }

    pub async fn run_backup_job_manually(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call("runBackupJobManually", &params, false).await?;
        Self::job("runBackupJobManually", envelope)
    }

    // ---- schedules ---------------------------------------------------------

    pub async fn list_schedules(&self, query: &ListQuery) -> Result<Vec<Schedule>, ApiError> {
        self.list_all("listSchedules", "schedules", query, None, READ)
            .await
    }

    pub async fn get_schedule(&self, id: &str) -> Result<Schedule, ApiError> {
        self.get_by_id("getSchedule", id).await
    }

    // ---- objects described by a table (`super::object`) --------------------

    /// Whether a parameter sent through this client can be read by other
    /// local users (the cli transport's command line).
    pub fn parameters_on_command_line(&self) -> bool {
        self.transport.parameters_visible_locally()
    }

    /// The destination type keys the server offers (`listDestinationTypes`
    /// → `data.types[].key`): the built-in ones and installed plugins'.
    pub async fn destination_types(&self) -> Result<Vec<String>, ApiError> {
        let envelope = self
            .call_with("listDestinationTypes", &Params::new(), READ)
            .await?;
        let types = envelope.data.get("types").map(value_to_list_of_keys);
        Ok(types.unwrap_or_default())
    }

    /// `manage*` with `action=create` of `desired`; returns the reply's
    /// `data`, the new object (decode it with [`decode_object`]). A lost
    /// reply is handled as for jobs ([`Client::create_backup_job`]): the
    /// object the request may have made (same name and settings, created
    /// within the call's window, not claimed by another create) is adopted
    /// rather than created twice.
    pub async fn create_object(
        &self,
        kind: &ObjectKind,
        desired: &Values,
    ) -> Result<Value, ApiError> {
        let name = match desired.get("name") {
            Some(object::Val::Text(n)) => n.clone(),
            _ => String::new(),
        };
        self.create_once(
            kind.manage,
            &object::encode(kind, desired, object::Target::Create),
            &name,
            |envelope| {
                let id = envelope.data.get("_id").and_then(value_to_string);
                Ok((id.unwrap_or_default(), envelope.data))
            },
            |window_start| Box::pin(self.find_created_object(kind, desired, &name, window_start)),
        )
        .await
    }

    async fn find_created_object(
        &self,
        kind: &ObjectKind,
        desired: &Values,
        name: &str,
        window_start: u64,
    ) -> Result<Option<(String, Value)>, ApiError> {
        let query = ListQuery {
            find: vec![("name".to_string(), name.to_string())],
            ..ListQuery::default()
        };
        let lookup = Policy {
            repeatable: true,
            write: false,
            recovery: true,
        };
        let mut found: Vec<Value> = self
            .list_all(kind.list, kind.collection, &query, None, lookup)
            .await?;
        let window_end = unix_now() + WINDOW_SLACK_SECS;
        found.sort_by_key(|v| v.get("_id").and_then(value_to_string));
        Ok(found.into_iter().find_map(|raw| {
            let (id, values) = object::decode(kind, &raw).ok()?;
            // Secrets never come back: compared on everything else.
            let same = desired
                .iter()
                .filter(|(attr, _)| kind.field(attr).is_none_or(|f| !f.kind.is_secret()))
                .all(|(attr, v)| values.get(attr) == Some(v));
            let in_window =
                object_id_time(&id).is_some_and(|t| t >= window_start && t <= window_end);
            (same && in_window && self.claim(&id)).then_some((id, raw))
        }))
    }

    /// `manage*` with `action=modify` (params from [`object::encode`]):
    /// sending it again gives the same result, so it is retried. Returns the
    /// reply's `data`.
    pub async fn modify_object(
        &self,
        kind: &ObjectKind,
        params: &Params,
    ) -> Result<Value, ApiError> {
        let envelope = self.call(kind.manage, params, true).await?;
        Ok(envelope.data)
    }

    pub async fn get_object(&self, kind: &ObjectKind, id: &str) -> Result<Values, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with(kind.get, &params, READ).await?;
        decode_object(kind.get, kind, &envelope.data).map(|(_, values)| values)
    }

    /// Every object of a kind, in the server's order, following the pages.
    pub async fn list_objects(
        &self,
        kind: &ObjectKind,
        query: &ListQuery,
    ) -> Result<Vec<(String, Values)>, ApiError> {
        let raw: Vec<Value> = self
            .list_all(kind.list, kind.collection, query, None, READ)
            .await?;
        raw.iter()
            .map(|v| decode_object(kind.list, kind, v))
            .collect()
    }

    /// A `delete*` call; an object that is already gone counts as deleted.
    pub async fn delete_object(&self, kind: &ObjectKind, id: &str) -> Result<(), ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        match self.call(kind.delete, &params, true).await {
            Ok(_) | Err(ApiError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    // ---- destinations and account filter groups (read-only) ---------------

    pub async fn list_destinations(&self, query: &ListQuery) -> Result<Vec<Destination>, ApiError> {
        self.list_all("listDestinations", "destinations", query, None, READ)
            .await
    }

    pub async fn get_destination(&self, id: &str) -> Result<Destination, ApiError> {
        self.get_by_id("getDestination", id).await
    }

    pub async fn list_account_filter_groups(
        &self,
        query: &ListQuery,
    ) -> Result<Vec<AccountFilterGroup>, ApiError> {
        self.list_all("listAccountFilterGroups", "groups", query, None, READ)
            .await
    }

    pub async fn get_account_filter_group(&self, id: &str) -> Result<AccountFilterGroup, ApiError> {
        self.get_by_id("getAccountFilterGroup", id).await
    }
}

/// Decodes one reply body: the envelope, with `success: 0` turned into the
/// matching [`ApiError`]. Quoted body excerpts have `secrets` masked.
pub fn decode_reply(
    function: &str,
    params: &Params,
    body: &[u8],
    secrets: &[&str],
) -> Result<Envelope, ApiError> {
    let envelope = Envelope::parse(body).map_err(|e| {
        let reason = match e {
            NotAnEnvelope::NotJson(detail) if detail.contains("EOF") => format!("truncated JSON: {detail}"),
            NotAnEnvelope::NotJson(_) if body.trim_ascii_start().starts_with(b"<") => {
                "an HTML page, not JSON: is the endpoint the panel's JetBackup API, and is the login accepted?".to_string()
            }
            NotAnEnvelope::NotJson(detail) => format!("not JSON: {detail}"),
            NotAnEnvelope::MissingSuccess => "JSON without a `success` field".to_string(),
            NotAnEnvelope::BadField(detail) => format!("an envelope field of the wrong type: {detail}"),
        };
        ApiError::BadResponse { function: function.to_string(), reason, snippet: redact_snippet(body, secrets) }
    })?;
    if *envelope.success {
        return Ok(envelope);
    }
    let message = if envelope.message.trim().is_empty() {
        "the server gave no message".to_string()
    } else {
        clean_message(&envelope.message, secrets)
    };
    if envelope.system.retry_ms > 0 {
        // The server declined for now and said when to come back.
        return Err(ApiError::Busy {
            function: function.to_string(),
            message,
            retry_after: Duration::from_millis(*envelope.system.retry_ms as u64),
        });
    }
    match (object_kind(function), params.get("_id")) {
        (Some(kind), Some(id)) if message_means_not_found(&message) => Err(ApiError::NotFound {
            function: function.to_string(),
            kind: kind.to_string(),
            id: id.to_string(),
            message,
        }),
        // A modify also names other objects (a job's destinations, the job
        // a schedule follows); only a message about the object itself means
        // it is gone.
        (_, Some(_))
            if params.get("action") == Some("modify")
                && message_means_not_found(&message)
                && modified_kind(function)
                    .is_some_and(|(word, _)| message.to_ascii_lowercase().contains(word)) =>
        {
            Err(ApiError::NotFound {
                function: function.to_string(),
                kind: modified_kind(function)
                    .map_or("", |(_, kind)| kind)
                    .to_string(),
                id: params.get("_id").unwrap_or_default().to_string(),
                message,
            })
        }
        _ => Err(ApiError::Refused {
            function: function.to_string(),
            message,
        }),
    }
}

/// Longest server message quoted in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 1000;

/// A server message as it may be shown: control characters (which could
/// drive the user's terminal) become spaces, secrets are masked, and a
/// runaway message is cut.
fn clean_message(message: &str, secrets: &[&str]) -> String {
    let mut m: String = message
        .chars()
        .take(MAX_MESSAGE_CHARS + 512)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        m = m.replace(secret, "<redacted>");
    }
    if m.chars().count() > MAX_MESSAGE_CHARS {
        m = m.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…";
    }
    m
}

/// The job object in a reply's `data`, after checking its field types
/// ([`check_job_types`]).
pub fn decode_job(function: &str, envelope: Envelope) -> Result<BackupJob, ApiError> {
    check_job_types(&envelope.data).map_err(|reason| ApiError::BadResponse {
        function: function.to_string(),
        reason,
        snippet: String::new(),
    })?;
    Client::data(function, envelope)
}

/// `limit`, `skip`, `sort[field]`, `find[field]`.
pub fn list_params(query: &ListQuery) -> Params {
    let mut p = Params::new();
    if let Some(limit) = query.limit {
        p.push("limit", limit.to_string());
    }
    if let Some(skip) = query.skip {
        p.push("skip", skip.to_string());
    }
    for (field, dir) in &query.sort {
        p.push(format!("sort[{field}]"), dir.to_string());
    }
    for (field, value) in &query.find {
        p.push(format!("find[{field}]"), value.as_str());
    }
    p
}

/// Whether a job the server holds has what `spec` asked for, in the fields
/// the server echoes verbatim (those `spec` leaves unset match anything).
fn job_matches_spec(job: &BackupJob, spec: &JobSpec) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    spec.job_type.is_none_or(|t| t.code() == job.job_type)
        && spec.structure.is_none_or(|s| s == job.structure)
        && spec
            .destination
            .as_ref()
            .is_none_or(|d| sorted(d) == sorted(&job.destination))
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

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Creation second of a MongoDB ObjectId (its first 8 hex digits).
pub fn object_id_time(id: &str) -> Option<u64> {
    if !is_object_id(id) {
        return None;
    }
    u64::from_str_radix(&id[..8], 16).ok()
}

/// JetBackup IDs are 24-hex-digit MongoDB ObjectIds.
pub fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_id_time_reads_the_creation_second() {
        assert_eq!(object_id_time("6503d48bfc45b1addf0a9632"), Some(0x6503d48b));
        assert_eq!(object_id_time("not-an-id"), None);
    }

    #[test]
    fn not_found_wording() {
        assert!(message_means_not_found("Backup Job not found"));
        assert!(message_means_not_found("No such backup job"));
        assert!(!message_means_not_found("Invalid destination"));
    }

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

    #[test]
    fn only_writes_are_awaited_through_a_stop() {
        assert!(changes_data("manageBackupJob"));
        assert!(changes_data("deleteBackupJob"));
        assert!(!changes_data("getBackupJob"));
        assert!(!changes_data("listBackupJobs"));
    }
}
