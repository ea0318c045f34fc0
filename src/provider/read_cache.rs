//! Read coalescing of the table-described objects (schedules, account
//! filters), the way [`super::listing`] serves jobs and destinations: the
//! first read of a kind fetches its `list*` (every page) and the reads that
//! follow are answered from that snapshot while it is fresh. Any write from
//! this process invalidates every snapshot; an object missing from a
//! snapshot is confirmed with `get*` before it is declared gone.
//!
//! Kept apart from [`super::listing`] only because the two were built at the
//! same time; folding it in means a `Listed` impl per object kind.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::api::models::ListQuery;
use crate::api::object::{ObjectKind, Values, OBJECTS};
use crate::api::{ApiError, Client};

/// How long a snapshot answers reads. One Terraform refresh of thousands of
/// objects completes well within it; the process exits after each command.
const FRESH_FOR: Duration = Duration::from_secs(30);

struct Snapshot<T> {
    taken: Instant,
    generation: u64,
    items: Arc<HashMap<String, T>>,
}

/// The snapshot of one `list*`.
struct Listing<T> {
    snapshot: Mutex<Option<Snapshot<T>>>,
    /// Serialises fetches so concurrent readers wait for one list, not N.
    fetching: tokio::sync::Mutex<()>,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            snapshot: Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> Listing<T> {
    fn fresh(&self, current: u64) -> Option<Arc<HashMap<String, T>>> {
        let guard = self.snapshot.lock().ok()?;
        guard
            .as_ref()
            .filter(|s| s.generation == current && s.taken.elapsed() < FRESH_FOR)
            .map(|s| s.items.clone())
    }

    /// The snapshot, fetched with `list` when there is no fresh one.
    async fn items<F>(
        &self,
        generation: &AtomicU64,
        list: impl FnOnce() -> F,
    ) -> Result<Arc<HashMap<String, T>>, ApiError>
    where
        F: Future<Output = Result<Vec<(String, T)>, ApiError>>,
    {
        if let Some(items) = self.fresh(generation.load(Ordering::SeqCst)) {
            return Ok(items);
        }
        let _fetching = self.fetching.lock().await;
        let current = generation.load(Ordering::SeqCst);
        if let Some(items) = self.fresh(current) {
            return Ok(items);
        }
        let items: Arc<HashMap<String, T>> = Arc::new(list().await?.into_iter().collect());
        if let Ok(mut guard) = self.snapshot.lock() {
            *guard = Some(Snapshot {
                taken: Instant::now(),
                generation: current,
                items: items.clone(),
            });
        }
        Ok(items)
    }
}

pub struct ReadCache {
    generation: AtomicU64,
    /// One listing per table-described kind, by its Terraform name.
    objects: HashMap<&'static str, Listing<Values>>,
}

impl Default for ReadCache {
    fn default() -> Self {
        ReadCache {
            generation: AtomicU64::new(0),
            objects: OBJECTS
                .iter()
                .map(|k| (k.name, Listing::default()))
                .collect(),
        }
    }
}

impl ReadCache {
    /// Forgets every snapshot: called after every write from this process.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// A table-described object as the server holds it, from the snapshot
    /// where possible.
    pub async fn read_object(
        &self,
        client: &Client,
        kind: &ObjectKind,
        id: &str,
    ) -> Result<Values, ApiError> {
        let Some(listing) = self.objects.get(kind.name) else {
            return client.get_object(kind, id).await;
        };
        let all = ListQuery::default();
        let listed = listing
            .items(&self.generation, || client.list_objects(kind, &all))
            .await;
        match listed.map(|items| items.get(id).cloned()) {
            Ok(Some(values)) => Ok(values),
            // Refused credentials are this read's error too.
            Err(e) if e.is_credentials_refused() => Err(e),
            // Not listed (confirm it is gone) or the list failed (a list
            // failure must not fail the read).
            Ok(None) | Err(_) => client.get_object(kind, id).await,
        }
    }
}
