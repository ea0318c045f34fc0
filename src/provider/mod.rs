//! The Terraform provider: its configuration, the shared API client and
//! listings, and the resources, data sources and actions it serves. Schemas,
//! validation and state are derived from the API layer's tables; what a
//! parameter means on the wire lives in [`crate::api`].

pub mod backup_job_data;
pub mod config;
pub mod data_source;
pub mod destination_data;
pub mod handle;
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
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, Provider};

use crate::api::job::BackupJob;
use crate::api::object::OBJECTS;
use crate::plugin::write_only::SchemaPath;
use crate::plugin::{ActionServer, DataSourceServer, ListResourceServer, Plugin, ResourceServer};
use config::ProviderConfig;
use data_source::{All, Exposed, KindDataSource, Mode, One};
use listing::{AccountFilterGroup, Destination, Hook, NotificationIntegration, Schedule};

pub use handle::{ProviderHandle, PROVIDER_NAME};

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
        self.handle.configure(configured);
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
