//! One shared listing per object kind per provider process.
//!
//! Terraform refreshes every resource and reads every data source of a plan
//! in parallel inside one provider process. Instead of one `get*` call per
//! object, the first reader of a kind fetches its `list*` (every page) and the
//! readers that follow, resources and data sources alike, are answered from
//! that snapshot while it is fresh. Any write from this process invalidates
//! the snapshots of every kind (a job write changes destination and schedule
//! job counts too); an object missing from a snapshot is confirmed with its
//! `get*` call before it is declared gone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::api::job::BackupJob;
use crate::api::models::{AccountFilterGroup, Destination, ListQuery, Schedule};
use crate::api::{ApiError, Client};

/// How long a snapshot answers reads. One Terraform refresh of thousands of
/// objects completes well within it; the process exits after each command.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// A JetBackup object kind that can be listed and fetched by ID.
#[async_trait]
pub trait Listed: Clone + Send + Sync + 'static {
    /// The kind in JetBackup's words, singular and plural ("backup job").
    const KIND: &'static str;
    const KIND_PLURAL: &'static str;
    fn id(&self) -> &str;
    fn name(&self) -> &str;
    /// Whether a listed object carries what a readback needs (else `get*`).
    fn is_complete(&self) -> bool {
        !self.id().is_empty()
    }
    /// Every object of the kind, in the server's order (all pages).
    async fn list(client: &Client) -> Result<Vec<Self>, ApiError>;
    async fn get(client: &Client, id: &str) -> Result<Self, ApiError>;
    /// This kind's listing among the process's listings.
    fn listing(listings: &Listings) -> &Listing<Self>;
}

struct Snapshot<T> {
    taken: Instant,
    generation: u64,
    items: Arc<Vec<T>>,
    /// Position of each ID in `items`: a refresh of N objects makes N
    /// lookups, which a scan would make O(N²).
    index: Arc<HashMap<String, usize>>,
}

/// A snapshot's objects and their index by ID.
type Indexed<T> = (Arc<Vec<T>>, Arc<HashMap<String, usize>>);

/// The snapshot of one kind.
pub struct Listing<T> {
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

/// Every kind's listing, and the write generation they share.
#[derive(Default)]
pub struct Listings {
    generation: AtomicU64,
    jobs: Listing<BackupJob>,
    destinations: Listing<Destination>,
    schedules: Listing<Schedule>,
    account_filter_groups: Listing<AccountFilterGroup>,
}

impl Listings {
    /// Forgets every snapshot: called after every write from this process.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn fresh<T: Listed>(&self) -> Option<Indexed<T>> {
        let current = self.generation.load(Ordering::SeqCst);
        let guard = T::listing(self).snapshot.lock().ok()?;
        guard
            .as_ref()
            .filter(|s| s.generation == current && s.taken.elapsed() < FRESH_FOR)
            .map(|s| (s.items.clone(), s.index.clone()))
    }

    /// Every object of a kind, in the server's order: one paged list call
    /// per kind however many readers ask at once.
    pub async fn all<T: Listed>(&self, client: &Client) -> Result<Arc<Vec<T>>, ApiError> {
        Ok(self.all_indexed::<T>(client).await?.0)
    }

    async fn all_indexed<T: Listed>(&self, client: &Client) -> Result<Indexed<T>, ApiError> {
        if let Some(indexed) = self.fresh::<T>() {
            return Ok(indexed);
        }
        let listing = T::listing(self);
        let _fetching = listing.fetching.lock().await;
        if let Some(indexed) = self.fresh::<T>() {
            return Ok(indexed);
        }
        // Taken before the call: a write while it runs makes the result stale.
        let generation = self.generation.load(Ordering::SeqCst);
        let items = Arc::new(T::list(client).await?);
        let mut index = HashMap::with_capacity(items.len());
        for (i, o) in items.iter().enumerate() {
            // The first of two objects listed with one ID, as a scan would find.
            index.entry(o.id().to_string()).or_insert(i);
        }
        let index = Arc::new(index);
        if let Ok(mut guard) = listing.snapshot.lock() {
            *guard = Some(Snapshot {
                taken: Instant::now(),
                generation,
                items: items.clone(),
                index: index.clone(),
            });
        }
        Ok((items, index))
    }

    /// The objects the server held when this process last listed them,
    /// listing them now if it never did (or long ago). Unlike [`Self::all`],
    /// this does not list again after this process's own writes: a caller
    /// that knows which objects this process wrote (see `Client::is_own`)
    /// needs only the others, and they are the same in any snapshot of this run.
    pub async fn all_before_own_writes<T: Listed>(
        &self,
        client: &Client,
    ) -> Result<Arc<Vec<T>>, ApiError> {
        let listing = T::listing(self);
        let fetching = listing.fetching.lock().await;
        let recent = listing.snapshot.lock().ok().and_then(|guard| {
            guard
                .as_ref()
                .filter(|s| s.taken.elapsed() < FRESH_FOR)
                .map(|s| s.items.clone())
        });
        if let Some(items) = recent {
            return Ok(items);
        }
        drop(fetching);
        self.all::<T>(client).await
    }

    /// One object as the server holds it, from the snapshot where possible.
    pub async fn by_id<T: Listed>(&self, client: &Client, id: &str) -> Result<T, ApiError> {
        match self.all_indexed::<T>(client).await {
            Ok((items, index)) => match index.get(id).and_then(|&i| items.get(i)) {
                Some(o) if o.is_complete() => Ok(o.clone()),
                // Missing (created since, or past a short page) or partial.
                _ => T::get(client, id).await,
            },
            // Refused credentials are this read's error too (and the only
            // full explanation of them this process gives).
            Err(e) if e.is_credentials_refused() => Err(e),
            // Any other list failure must not fail the read: ask for the one object.
            Err(_) => T::get(client, id).await,
        }
    }
}

#[async_trait]
impl Listed for BackupJob {
    const KIND: &'static str = "backup job";
    const KIND_PLURAL: &'static str = "backup jobs";
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn is_complete(&self) -> bool {
        BackupJob::is_complete(self)
    }
    async fn list(client: &Client) -> Result<Vec<Self>, ApiError> {
        client.list_backup_jobs(&ListQuery::default()).await
    }
    async fn get(client: &Client, id: &str) -> Result<Self, ApiError> {
        client.get_backup_job(id).await
    }
    fn listing(listings: &Listings) -> &Listing<Self> {
        &listings.jobs
    }
}

#[async_trait]
impl Listed for Destination {
    const KIND: &'static str = "destination";
    const KIND_PLURAL: &'static str = "destinations";
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    async fn list(client: &Client) -> Result<Vec<Self>, ApiError> {
        client.list_destinations(&ListQuery::default()).await
    }
    async fn get(client: &Client, id: &str) -> Result<Self, ApiError> {
        client.get_destination(id).await
    }
    fn listing(listings: &Listings) -> &Listing<Self> {
        &listings.destinations
    }
}

#[async_trait]
impl Listed for Schedule {
    const KIND: &'static str = "schedule";
    const KIND_PLURAL: &'static str = "schedules";
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    async fn list(client: &Client) -> Result<Vec<Self>, ApiError> {
        client.list_schedules(&ListQuery::default()).await
    }
    async fn get(client: &Client, id: &str) -> Result<Self, ApiError> {
        client.get_schedule(id).await
    }
    fn listing(listings: &Listings) -> &Listing<Self> {
        &listings.schedules
    }
}

#[async_trait]
impl Listed for AccountFilterGroup {
    const KIND: &'static str = "account filter group";
    const KIND_PLURAL: &'static str = "account filter groups";
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    async fn list(client: &Client) -> Result<Vec<Self>, ApiError> {
        client
            .list_account_filter_groups(&ListQuery::default())
            .await
    }
    async fn get(client: &Client, id: &str) -> Result<Self, ApiError> {
        client.get_account_filter_group(id).await
    }
    fn listing(listings: &Listings) -> &Listing<Self> {
        &listings.account_filter_groups
    }
}
