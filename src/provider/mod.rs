//! The Terraform provider: its configuration, the shared API client and
//! listings, and the resources, data sources and actions it serves. Schemas,
//! validation and state are derived from the API layer's tables; what a
//! parameter means on the wire lives in [`crate::api`].

pub mod backup_job_data;
pub mod config;
pub mod data_source;
pub mod destination_data;
pub mod lifecycle;
pub mod list_resource;
pub mod listing;
pub mod location;
pub mod number;
pub mod object;
pub mod policy_data;
pub mod run_backup_job;
pub mod schedule_data;
pub mod schema_build;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, Provider};

use crate::api::job::BackupJob;
use crate::api::object::{ObjectKind, Values, OBJECTS};
use crate::api::{ApiError, Client};
use crate::plugin::write_only::SchemaPath;
use crate::plugin::{ActionServer, DataSourceServer, ListResourceServer, Plugin, ResourceServer};
use config::ProviderConfig;
use data_source::{All, Exposed, KindDataSource, Mode, One};
use listing::{AccountFilterGroup, Destination, Hook, Listings, NotificationIntegration, Schedule};

/// Provider name: resources are `jetbackup_<name>`.
pub const PROVIDER_NAME: &str = "jetbackup";

#[derive(Default)]
struct Shared {
    client: RwLock<Option<Client>>,
    coalesce_reads: RwLock<bool>,
    allow_duplicate_names: RwLock<bool>,
    /// The configured server's name ([`location::server_of`]).
    server: RwLock<Option<String>>,
    listings: Listings,
}

/// What resources hold of the provider: the configured client and the shared listings.
#[derive(Clone, Default)]
pub struct ProviderHandle(Arc<Shared>);

impl ProviderHandle {
    /// The configured client, or an error diagnostic if `configure` did not run or failed.
    pub fn client(&self, diags: &mut Diagnostics) -> Option<Client> {
        let client = self.0.client.read().ok().and_then(|c| c.clone());
        if client.is_none() {
            diags.root_error(
                "The JetBackup provider is not configured",
                "Configure the provider (endpoint and api_token, or the JETBACKUP_ENDPOINT and JETBACKUP_API_TOKEN environment variables).",
            );
        }
        client
    }

    /// The configured client, if `configure` has run (plan-time checks that
    /// only apply once the provider is configured).
    pub fn configured_client(&self) -> Option<Client> {
        self.0.client.read().ok().and_then(|c| c.clone())
    }

    /// The server the provider is configured for, as recorded with each
    /// object ([`location`]); `None` before `configure`.
    pub fn server(&self) -> Option<String> {
        self.0.server.read().ok().and_then(|s| s.clone())
    }

    /// Whether a resource's `read` drops an object the server does not
    /// have from the state (deleted behind Terraform's back): not when it
    /// was recorded on another server ([`location::missing_elsewhere`]);
    /// that refusal goes to `diags`.
    pub fn drops_missing(
        &self,
        diags: &mut Diagnostics,
        recorded: &location::Private,
        what: &str,
        id: &str,
    ) -> bool {
        let current = self.server();
        match location::missing_elsewhere(recorded, current.as_deref(), what, id) {
            None => true,
            Some((summary, detail)) => {
                diags.root_error(summary, detail);
                false
            }
        }
    }

    fn allows_duplicate_names(&self) -> bool {
        self.0
            .allow_duplicate_names
            .read()
            .map(|a| *a)
            .unwrap_or(false)
    }

    /// Reads one table-described object, coalesced with concurrent reads
    /// of its kind when enabled.
    pub async fn read_object(
        &self,
        client: &Client,
        kind: &ObjectKind,
        id: &str,
    ) -> Result<Values, ApiError> {
        let coalesce = self.0.coalesce_reads.read().map(|c| *c).unwrap_or(false);
        if coalesce {
            self.0.listings.object(client, kind, id).await
        } else {
            client.get_object(kind, id).await
        }
    }

    /// The process's shared listings (one list call per kind), which data
    /// sources always read through: a lookup by name needs the list anyway.
    pub fn listings(&self) -> &Listings {
        &self.0.listings
    }

    /// An object of `kind` on the server with the name of `desired` that no
    /// resource of this run manages (see [`Client::is_own`]), from the
    /// coalesced listing: at most one `list*` per kind and process, however
    /// many objects are created. An object that differs from `desired`
    /// in a setting that forces replacement is not counted: it cannot be
    /// what this resource would have created, and it is what a
    /// `create_before_destroy` replacement leaves until it deletes it.
    /// `None` when `allow_duplicate_names` is set.
    pub async fn unmanaged_object_named(
        &self,
        client: &Client,
        kind: &ObjectKind,
        desired: &Values,
    ) -> Result<Option<String>, ApiError> {
        if self.allows_duplicate_names() {
            return Ok(None);
        }
        let Some(name) = desired.get("name") else {
            return Ok(None);
        };
        let listed = self
            .0
            .listings
            .objects_before_own_writes(client, kind)
            .await?;
        let replaced = |values: &Values| {
            kind.fields.iter().filter(|f| f.replace).any(|f| {
                desired
                    .get(f.attr)
                    .is_some_and(|want| values.get(f.attr) != Some(want))
            })
        };
        let mut same: Vec<&str> = listed
            .iter()
            .filter(|(id, values)| {
                values.get("name") == Some(name) && !client.is_own(id) && !replaced(values)
            })
            .map(|(id, _)| id.as_str())
            .collect();
        same.sort_unstable();
        Ok(same.first().map(|id| id.to_string()))
    }

    /// Called after every write so that later reads see it.
    pub fn invalidate_reads(&self) {
        self.0.listings.invalidate();
    }
}

#[derive(Default)]
pub struct JetBackupProvider {
    handle: ProviderHandle,
}

impl JetBackupProvider {
    /// What its resources hold: tests build a resource on it to drive the
    /// typed lifecycle (plan, create, read) without the gRPC layer.
    pub fn handle(&self) -> ProviderHandle {
        self.handle.clone()
    }
}

#[async_trait]
impl Provider for JetBackupProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(config::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        config::validate(diags, &config);
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let configured = config::configure(diags, config)?;
        if let Ok(mut c) = self.handle.0.client.write() {
            *c = Some(configured.client);
        }
        if let Ok(mut c) = self.handle.0.coalesce_reads.write() {
            *c = configured.coalesce_reads;
        }
        if let Ok(mut a) = self.handle.0.allow_duplicate_names.write() {
            *a = configured.allow_duplicate_names;
        }
        if let Ok(mut s) = self.handle.0.server.write() {
            *s = Some(configured.server);
        }
        Some(())
    }
}

impl JetBackupProvider {
    /// Every resource, by its name after `jetbackup_`.
    pub fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn ResourceServer>>> {
        let mut resources: HashMap<String, Box<dyn ResourceServer>> = HashMap::new();
        resources.extend(object::resources(&self.handle));
        Some(resources)
    }
}

/// What the plugin server serves (src/plugin).
impl Plugin for JetBackupProvider {
    fn resources(&self) -> HashMap<String, Box<dyn ResourceServer>> {
        self.get_resources(&mut Diagnostics::default())
            .unwrap_or_default()
    }

    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceServer>> {
        data_sources(&self.handle)
    }

    fn actions(&self) -> HashMap<String, Arc<dyn ActionServer>> {
        let run = run_backup_job::RunBackupJobAction::new(self.handle.clone());
        [(
            "run_backup_job".to_string(),
            Arc::new(run) as Arc<dyn ActionServer>,
        )]
        .into()
    }

    fn write_only_attributes(&self, resource: &str) -> Vec<SchemaPath> {
        write_only_attributes(resource)
    }

    fn list_resources(&self) -> HashMap<String, Box<dyn ListResourceServer>> {
        list_resource::list_resources(&self.handle)
    }
}

/// The write-only attributes of a resource (name after `jetbackup_`): the
/// twins of a table's secrets ([`object::write_only`]).
pub fn write_only_attributes(resource: &str) -> Vec<SchemaPath> {
    OBJECTS
        .iter()
        .find(|k| k.name == resource)
        .map(|k| object::write_only::schema_paths(k))
        .unwrap_or_default()
}

/// Every data source, by its name after `jetbackup_`.
pub fn data_sources(handle: &ProviderHandle) -> HashMap<String, Box<dyn DataSourceServer>> {
    struct Boxing<'h> {
        handle: &'h ProviderHandle,
        all: HashMap<String, Box<dyn DataSourceServer>>,
    }
    impl EachDataSource for Boxing<'_> {
        fn data_source<T: Exposed, M: Mode>(&mut self, name: &str) {
            let d = KindDataSource::<T, M>::new(self.handle.clone());
            self.all.insert(name.to_string(), Box::new(d));
        }
    }
    let mut boxing = Boxing {
        handle,
        all: HashMap::new(),
    };
    each_data_source(&mut boxing);
    boxing.all
}

/// What is done with each data source of [`each_data_source`].
pub trait EachDataSource {
    fn data_source<T: Exposed, M: Mode>(&mut self, name: &str);
}

/// The one list of data sources (name after `jetbackup_`, kind, mode). The
/// provider boxes them; the bench's no-op plugin takes only their schemas,
/// so that it serves the same schema without linking their reads.
pub fn each_data_source(each: &mut impl EachDataSource) {
    each.data_source::<Destination, One>("destination");
    each.data_source::<Destination, All>("destinations");
    each.data_source::<BackupJob, One>("backup_job");
    each.data_source::<BackupJob, All>("backup_jobs");
    each.data_source::<Schedule, One>("schedule");
    each.data_source::<Schedule, All>("schedules");
    each.data_source::<AccountFilterGroup, One>("account_filter_group");
    each.data_source::<AccountFilterGroup, All>("account_filter_groups");
    each.data_source::<Hook, One>("hook");
    each.data_source::<Hook, All>("hooks");
    each.data_source::<NotificationIntegration, One>("notification_integration");
    each.data_source::<NotificationIntegration, All>("notification_integrations");
}
