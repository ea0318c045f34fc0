//! The typed JetBackup 5 client: one method per API function, on top of a
//! [`Transport`]. Its parts:
//!
//! - [`retry`]: the retry engine every call goes through (what is safe to
//!   repeat, how long to wait, stops, the concurrency cap, debug logs);
//! - [`reply`]: reply decoding and error classification;
//! - [`create_once`]: a create whose reply was lost is looked up, not re-sent;
//! - [`paging`]: `list*` parameters and following the pages;
//! - the typed methods: [`backup_jobs`], [`objects`] (the table-described
//!   objects), [`read_only`] (objects in their wire form, as
//!   [`crate::api::object::Record`]s, for reads only), [`run`]
//!   (`runBackupJobManually`: queued, or refused and why).

mod backup_jobs;
mod create_once;
mod objects;
mod paging;
pub mod read_only;
mod reply;
mod retry;
mod run;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::secrets::Secrets;
use super::stop::StopSignal;
use super::transport::Transport;

pub use paging::{list_params, MAX_LISTED_BYTES, MAX_LISTED_OBJECTS, MAX_PAGES, PAGE_SIZE};
pub use reply::{decode_job, decode_object, decode_reply, message_means_not_found};
pub use retry::{MAX_BACKOFF, MAX_SERVER_DELAY, MAX_TIMED_OUT_ATTEMPTS};
pub use run::{RunAnswer, RunRefusal};

/// Default of [`ClientOptions::max_concurrent_requests`]: Terraform's own
/// default `-parallelism`, so that the provider adds no queue of its own
/// under Terraform's defaults and a listing of up to 1,000 objects costs two
/// round trips (README, "Performance", has the figures behind it).
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 10;

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
    /// The transport's credentials in all their spellings; each call adds
    /// its own secret parameters ([`Secrets::with_call`]).
    secrets: Arc<Secrets>,
    /// What calls reach (the URL), for messages.
    target: Arc<str>,
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

impl Client {
    pub fn new(transport: Arc<dyn Transport>, options: ClientOptions) -> Client {
        let secrets = Arc::new(Secrets::new(transport.secrets()));
        let target = Arc::from(transport.target());
        Client {
            target,
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

    /// Whether a parameter sent through this client can be read by other
    /// local users (the cli transport's command line).
    pub fn parameters_on_command_line(&self) -> bool {
        self.transport.parameters_visible_locally()
    }
}
