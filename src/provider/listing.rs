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
//!
//! Two sorts of kind share the one mechanism: the [`Listed`] types (jobs,
//! and the objects data sources read as [`Record`]s, one type per kind:
//! [`Destination`], [`Schedule`], [`AccountFilterGroup`], [`Hook`],
//! [`NotificationIntegration`]) and the table-described objects the generic
//! resource reads ([`Listings::object`], one listing per `ObjectKind`).

use std::collections::HashMap;
use std::future::Future;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::api::client::read_only::{RecordFunctions, GROUP_FUNCTIONS};
use crate::api::job::BackupJob;
use crate::api::models::ListQuery;
use crate::api::object::destination::DESTINATION;
use crate::api::object::hook::HOOK;
use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use crate::api::object::schedule::SCHEDULE;
use crate::api::object::{ObjectKind, Record, Values, OBJECTS};
use crate::api::{ApiError, Client};

/// How long a snapshot answers reads. One Terraform refresh of thousands of
/// objects completes well within it; the process exits after each command.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// A JetBackup object kind that can be listed and fetched by ID.
#[async_trait]
pub trait Listed: Clone + Send + Sync + 'static {
    /// The kind in JetBackup's words, singular and plural ("backup job").
    const NOUN: &'static str;
    const NOUN_PLURAL: &'static str;
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

/// A kind's objects in the server's order, with an index by ID (a refresh
/// of thousands of objects looks each one up).
pub struct Snapshot<T> {
    items: Vec<T>,
    by_id: HashMap<String, usize>,
}

impl<T> Snapshot<T> {
    fn new(items: Vec<T>, id: fn(&T) -> &str) -> Self {
        let mut by_id = HashMap::with_capacity(items.len());
        for (i, o) in items.iter().enumerate() {
            by_id.entry(id(o).to_string()).or_insert(i);
        }
        Snapshot { items, by_id }
    }

    /// The object with this ID (the first, should the server list it twice).
    pub fn get(&self, id: &str) -> Option<&T> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }
}

impl<T> Deref for Snapshot<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

struct Taken<T> {
    at: Instant,
    generation: u64,
    snapshot: Arc<Snapshot<T>>,
}

/// The snapshot of one kind.
pub struct Listing<T> {
    taken: Mutex<Option<Taken<T>>>,
    /// Serialises fetches so concurrent readers wait for one list, not N.
    fetching: tokio::sync::Mutex<()>,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            taken: Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> Listing<T> {
    /// The snapshot if it is recent and, when `generation` is given, taken
    /// since the last write.
    fn recent(&self, generation: Option<u64>) -> Option<Arc<Snapshot<T>>> {
        let guard = self.taken.lock().ok()?;
        guard
            .as_ref()
            .filter(|t| generation.is_none_or(|g| t.generation == g) && t.at.elapsed() < FRESH_FOR)
            .map(|t| t.snapshot.clone())
    }

    /// The fresh snapshot, fetched with `list` when there is none.
    async fn snapshot<F>(
        &self,
        generation: &AtomicU64,
        list: impl FnOnce() -> F,
        id: fn(&T) -> &str,
    ) -> Result<Arc<Snapshot<T>>, ApiError>
    where
        F: Future<Output = Result<Vec<T>, ApiError>>,
    {
        if let Some(s) = self.recent(Some(generation.load(Ordering::SeqCst))) {
            return Ok(s);
        }
        let _fetching = self.fetching.lock().await;
        // Taken before the call: a write while it runs makes the result stale.
        let current = generation.load(Ordering::SeqCst);
        if let Some(s) = self.recent(Some(current)) {
            return Ok(s);
        }
        let snapshot = Arc::new(Snapshot::new(list().await?, id));
        if let Ok(mut guard) = self.taken.lock() {
            *guard = Some(Taken {
                at: Instant::now(),
                generation: current,
                snapshot: snapshot.clone(),
            });
        }
        Ok(snapshot)
    }
}

/// One object from a listing where it is there and complete, else from
/// `get` (missing: created since, past a short page, or gone).
async fn read_through<T: Clone, F>(
    listed: Result<Arc<Snapshot<T>>, ApiError>,
    id: &str,
    complete: impl Fn(&T) -> bool,
    get: impl FnOnce() -> F,
) -> Result<T, ApiError>
where
    F: Future<Output = Result<T, ApiError>>,
{
    match listed {
        Ok(items) => match items.get(id) {
            Some(o) if complete(o) => Ok(o.clone()),
            _ => get().await,
        },
        // Refused credentials are this read's error too (and the only
        // full explanation of them this process gives).
        Err(e) if e.is_credentials_refused() => Err(e),
        // Any other list failure must not fail the read: ask for the one object.
        Err(_) => get().await,
    }
}

/// A table-described object as `Client::list_objects` gives it: `(ID, values)`.
pub type IdValues = (String, Values);

fn listed_id(o: &IdValues) -> &str {
    &o.0
}

/// Every kind's listing, and the write generation they share.
pub struct Listings {
    generation: AtomicU64,
    jobs: Listing<BackupJob>,
    destinations: Listing<Destination>,
    schedules: Listing<Schedule>,
    account_filter_groups: Listing<AccountFilterGroup>,
    hooks: Listing<Hook>,
    notification_integrations: Listing<NotificationIntegration>,
    /// The table-described kinds, by Terraform name.
    objects: HashMap<&'static str, Listing<IdValues>>,
}

impl Default for Listings {
    fn default() -> Self {
        Listings {
            generation: AtomicU64::new(0),
            jobs: Listing::default(),
            destinations: Listing::default(),
            schedules: Listing::default(),
            account_filter_groups: Listing::default(),
            hooks: Listing::default(),
            notification_integrations: Listing::default(),
            objects: OBJECTS
                .iter()
                .map(|k| (k.name, Listing::default()))
                .collect(),
        }
    }
}

impl Listings {
    /// Forgets every snapshot: called after every write from this process.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Every object of a kind, in the server's order: one paged list call
    /// per kind however many readers ask at once.
    pub async fn all<T: Listed>(&self, client: &Client) -> Result<Arc<Snapshot<T>>, ApiError> {
        T::listing(self)
            .snapshot(&self.generation, || T::list(client), T::id)
            .await
    }

    /// The objects the server held when this process last listed them,
    /// listing them now if it never did (or long ago). Unlike [`Self::all`],
    /// this does not list again after this process's own writes: a caller
    /// that knows which objects this process wrote (see `Client::is_own`)
    /// needs only the others, and they are the same in any snapshot of this run.
    pub async fn all_before_own_writes<T: Listed>(
        &self,
        client: &Client,
    ) -> Result<Arc<Snapshot<T>>, ApiError> {
        let listing = T::listing(self);
        let fetching = listing.fetching.lock().await;
        if let Some(s) = listing.recent(None) {
            return Ok(s);
        }
        drop(fetching);
        self.all::<T>(client).await
    }

    /// The objects of a table-described kind the server held when this
    /// process last listed them (see [`Self::all_before_own_writes`]).
    pub async fn objects_before_own_writes(
        &self,
        client: &Client,
        kind: &ObjectKind,
    ) -> Result<Arc<Snapshot<IdValues>>, ApiError> {
        if let Some(listing) = self.objects.get(kind.name) {
            let fetching = listing.fetching.lock().await;
            if let Some(s) = listing.recent(None) {
                return Ok(s);
            }
            drop(fetching);
        }
        self.objects(client, kind).await
    }

    /// Every object of a table-described kind, in the server's order: one
    /// paged list call per kind, shared like [`Self::all`].
    pub async fn objects(
        &self,
        client: &Client,
        kind: &ObjectKind,
    ) -> Result<Arc<Snapshot<IdValues>>, ApiError> {
        let all = ListQuery::default();
        let Some(listing) = self.objects.get(kind.name) else {
            let items = client.list_objects(kind, &all).await?;
            return Ok(Arc::new(Snapshot::new(items, listed_id)));
        };
        listing
            .snapshot(
                &self.generation,
                || client.list_objects(kind, &all),
                listed_id,
            )
            .await
    }

    /// One object as the server holds it, from the snapshot where possible.
    pub async fn by_id<T: Listed>(&self, client: &Client, id: &str) -> Result<T, ApiError> {
        let listed = self.all::<T>(client).await;
        read_through(listed, id, T::is_complete, || T::get(client, id)).await
    }

    /// A table-described object as the server holds it, from its kind's
    /// snapshot where possible.
    pub async fn object(
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
            .snapshot(
                &self.generation,
                || client.list_objects(kind, &all),
                listed_id,
            )
            .await;
        let get = || async { Ok((id.to_string(), client.get_object(kind, id).await?)) };
        let (_, values) = read_through(listed, id, |(_, v)| kind.is_complete(v), get).await?;
        Ok(values)
    }
}

#[async_trait]
impl Listed for BackupJob {
    const NOUN: &'static str = "backup job";
    const NOUN_PLURAL: &'static str = "backup jobs";
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

/// A kind the data sources read as [`Record`]s: its own type (so that it
/// has its own listing and `Exposed` impl) around the object's wire form,
/// read through its `list*`/`get*` functions. One line per kind.
macro_rules! record_kind {
    ($(#[$doc:meta])* $kind:ident, $noun:literal, $plural:literal, $functions:expr, $listing:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $kind(pub Record);

        #[async_trait]
        impl Listed for $kind {
            const NOUN: &'static str = $noun;
            const NOUN_PLURAL: &'static str = $plural;
            fn id(&self) -> &str {
                self.0.id()
            }
            fn name(&self) -> &str {
                self.0.name()
            }
            async fn list(client: &Client) -> Result<Vec<Self>, ApiError> {
                let all = client.list_records($functions, &ListQuery::default()).await?;
                Ok(all.into_iter().map($kind).collect())
            }
            async fn get(client: &Client, id: &str) -> Result<Self, ApiError> {
                client.get_record($functions, id).await.map($kind)
            }
            fn listing(listings: &Listings) -> &Listing<Self> {
                &listings.$listing
            }
        }
    };
}

record_kind!(
    /// A destination (`listDestinations`).
    Destination,
    "destination",
    "destinations",
    RecordFunctions::of(&DESTINATION),
    destinations
);
record_kind!(
    /// A schedule (`listSchedules`).
    Schedule,
    "schedule",
    "schedules",
    RecordFunctions::of(&SCHEDULE),
    schedules
);
record_kind!(
    /// An account filter group (`listAccountFilterGroups`).
    AccountFilterGroup,
    "account filter group",
    "account filter groups",
    GROUP_FUNCTIONS,
    account_filter_groups
);
record_kind!(
    /// A hook (`listHooks`).
    Hook,
    "hook",
    "hooks",
    RecordFunctions::of(&HOOK),
    hooks
);
record_kind!(
    /// A notification integration (`listNotificationIntegrations`).
    NotificationIntegration,
    "notification integration",
    "notification integrations",
    RecordFunctions::of(&NOTIFICATION_INTEGRATION),
    notification_integrations
);
