//! A stop request: the provider's answer to Terraform being interrupted.
//!
//! When a user presses Ctrl-C, Terraform sends `StopProvider` to every
//! provider and then waits for the operations in flight to return. A
//! [`StopSignal`] is how that request reaches the API client: once it is
//! raised, waits end at once (a call queued behind `max_concurrent_requests`,
//! a backoff sleep between retries) and reads in flight are abandoned, so
//! that Terraform gets its answers promptly. Writes already sent are still
//! awaited (bounded by `timeout_seconds`): only their reply tells whether a
//! job now exists, and a created job must reach the state, never be orphaned.
//!
//! The provider raises the process-wide signal ([`StopSignal::process`]) from
//! `src/main.rs`; tests give each client a signal of their own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Notify;

#[derive(Debug, Default)]
struct Inner {
    raised: AtomicBool,
    notify: Notify,
}

/// A one-way flag with a future that completes when it is raised. Clones
/// share the flag.
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<Inner>);

impl StopSignal {
    pub fn new() -> StopSignal {
        StopSignal::default()
    }

    /// The signal of this process, raised when Terraform asks the provider
    /// to stop.
    pub fn process() -> StopSignal {
        static PROCESS: OnceLock<StopSignal> = OnceLock::new();
        PROCESS.get_or_init(StopSignal::new).clone()
    }

    /// Raises the flag and wakes every waiter. Idempotent.
    pub fn raise(&self) {
        if !self.0.raised.swap(true, Ordering::SeqCst) {
            tracing::info!(
                "stop requested: pending API calls are cancelled, writes in flight are awaited"
            );
        }
        self.0.notify.notify_waiters();
    }

    pub fn is_raised(&self) -> bool {
        self.0.raised.load(Ordering::SeqCst)
    }

    /// Completes when the flag is raised (at once if it already is).
    pub async fn raised(&self) {
        loop {
            let notified = self.0.notify.notified();
            tokio::pin!(notified);
            // Register before checking, so a raise in between is not missed.
            notified.as_mut().enable();
            if self.is_raised() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn waiters_wake_on_raise_and_later_waits_return_at_once() {
        let s = StopSignal::new();
        let waiter = tokio::spawn({
            let s = s.clone();
            async move { s.raised().await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiter.is_finished());
        s.raise();
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .expect("woken")
            .expect("joined");
        tokio::time::timeout(Duration::from_millis(50), s.raised())
            .await
            .expect("already raised");
        assert!(s.is_raised());
        assert!(!StopSignal::new().is_raised());
    }
}
