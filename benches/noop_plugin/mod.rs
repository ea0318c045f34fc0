//! `make bench`'s no-op plugin: the lowest any plugin serving this
//! provider's schema can reach.
//!
//! The bench binary re-runs itself as this plugin: a copy of it named
//! `terraform-provider-jetbackup`, started by Terraform through
//! `dev_overrides`, serves the provider's whole schema (every resource, data
//! source, list resource and action, built by the same functions and lists, so the two cannot
//! drift: Terraform fetches and decodes all of it from every plugin process),
//! validates and plans `jetbackup_backup_job` through the real resource's
//! code, and stops there: it calls no API and keeps no data. The other
//! resources and the data sources are served for their schemas and
//! validation only (the benches use none of them), so their API code is
//! not linked into this floor.
//! Read returns the state it is given; create and update fill what the plan
//! left unknown with what the simulator answers for a new job (the API
//! model's idle job, read back through the provider's own mapping); destroy
//! forgets. It is served by the provider's own plugin server
//! (`jetbackup::plugin::serve_plugin`: the same runtime, handshake, AutoMTLS
//! and `TCP_NODELAY`), so the two differ only in what their resources do.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use jetbackup::api::object::backup_job::BACKUP_JOB;
use jetbackup::api::object::{ObjectKind, OBJECTS};
use jetbackup::api::table::Role;
use jetbackup::plugin::{
    serve_plugin, ActionServer, DataSourceServer, ListResourceServer, Plugin, ResourceServer,
};
use jetbackup::provider::config::ProviderConfig;
use jetbackup::provider::data_source::{Exposed, KindDataSource, Mode};
use jetbackup::provider::list_resource;
use jetbackup::provider::object::{self, state::ObjectState, ObjectResource};
use jetbackup::provider::{
    each_data_source, EachDataSource, JetBackupProvider, ProviderHandle, PROVIDER_NAME,
};
use jetbackup::sim::seed::{account, ROOT_ACCOUNT_ID};
use tf_provider::schema::Schema;
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics, Provider, Resource};

/// Serves the no-op plugin when this process was started by Terraform as
/// one (go-plugin's magic cookie, under the plugin's file name); `false`
/// otherwise, and the bench runs.
pub fn serve_if_started_as_plugin() -> bool {
    let named = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n == super::PROVIDER_FILE))
        .unwrap_or(false);
    if !named || std::env::var_os("TF_PLUGIN_MAGIC_COOKIE").is_none() {
        return false;
    }
    if let Err(e) = serve_plugin(PROVIDER_NAME, NoopProvider::default(), || (), || ()) {
        eprintln!("no-op plugin: {e}");
        std::process::exit(1);
    }
    true
}

/// The provider's own schema and validation; configuring does nothing.
#[derive(Default)]
struct NoopProvider(JetBackupProvider);

#[async_trait]
impl Provider for NoopProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Provider::schema(&self.0, diags)
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        Provider::validate(&self.0, diags, config).await
    }

    async fn configure<'a>(
        &self,
        _diags: &mut Diagnostics,
        _terraform_version: String,
        _config: Self::Config<'a>,
    ) -> Option<()> {
        Some(())
    }
}

impl Plugin for NoopProvider {
    fn resources(&self) -> HashMap<String, Box<dyn ResourceServer>> {
        let mut resources: HashMap<String, Box<dyn ResourceServer>> = HashMap::new();
        for kind in OBJECTS {
            resources.insert(kind.name.to_string(), Box::new(NoopObject(kind)));
        }
        resources.insert(
            BACKUP_JOB.name.to_string(),
            Box::new(NoopJob(ObjectResource::new(
                &BACKUP_JOB,
                ProviderHandle::default(),
            ))),
        );
        resources
    }

    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceServer>> {
        let mut schemas = SchemasOnly(HashMap::new());
        each_data_source(&mut schemas);
        schemas.0
    }

    /// The provider's own actions, for their schemas (Terraform fetches
    /// them with the rest); the benches invoke none.
    fn actions(&self) -> HashMap<String, Arc<dyn ActionServer>> {
        Plugin::actions(&self.0)
    }

    // The same schema as the provider's, write-only flags included.
    fn write_only_attributes(
        &self,
        resource: &str,
    ) -> Vec<jetbackup::plugin::write_only::SchemaPath> {
        jetbackup::provider::write_only_attributes(resource)
    }

    /// The provider's own list resources: their schemas are part of what
    /// Terraform fetches from every plugin process (the benches list nothing).
    fn list_resources(&self) -> HashMap<String, Box<dyn ListResourceServer>> {
        list_resource::list_resources(&ProviderHandle::default())
    }
}

/// The data sources' schemas, from the provider's own list: Terraform
/// fetches and decodes the whole schema from every plugin process, so the
/// floor serves all of it. Their reads are not linked in (the benches use no
/// data source): reading one is an error.
struct SchemasOnly(HashMap<String, Box<dyn DataSourceServer>>);

impl EachDataSource for SchemasOnly {
    fn data_source<T: Exposed, M: Mode>(&mut self, name: &str) {
        let schema = KindDataSource::<T, M>::schema();
        self.0.insert(name.to_string(), Box::new(NoopData(schema)));
    }
}

struct NoopData(Schema);

#[async_trait]
impl DataSource for NoopData {
    type State<'a> = ValueAny;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.0.clone())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        diags.root_error_short("the no-op plugin serves data sources' schemas only");
        None
    }
}

/// A table-described resource (schedule, account filter, destination):
/// its schema and plan-time validation, from its table; the benches create
/// none, so planning one is an error rather than an imitation.
struct NoopObject(&'static ObjectKind);

impl NoopObject {
    fn refuse<T>(&self, diags: &mut Diagnostics) -> Option<T> {
        diags.root_error_short(format!(
            "the no-op plugin serves jetbackup_{}'s schema and validation only",
            self.0.name
        ));
        None
    }
}

#[async_trait]
impl Resource for NoopObject {
    type State<'a> = ObjectState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(object::schema::schema(self.0))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        object::schema::validate(diags, self.0, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags)
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        _proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        self.refuse(diags)
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        _planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags)
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        _planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.refuse(diags)
    }

    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        Some(())
    }
}

/// `jetbackup_backup_job` without the API: schema, validation, plan and
/// import are the real resource's.
struct NoopJob(ObjectResource);

/// A fresh 24-hex ID shaped like an ObjectId (creation second first).
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "{:08x}{:016x}",
        secs as u32,
        (u64::from(std::process::id()) << 32) | n
    )
}

/// `planned` with every unknown value replaced by what the server answers
/// for a new job: a fresh ID, the owner (the API user unless set) and its
/// name, a table's inferred default, and nothing else (no run yet).
fn settle(mut planned: ObjectState) -> ObjectState {
    let owner = match planned.raw("owner") {
        ValueAny::String(s) => s.clone(),
        _ => ROOT_ACCOUNT_ID.to_string(),
    };
    for (attr, answered) in [
        ("id", ValueAny::String(new_id())),
        ("owner", ValueAny::String(owner.clone())),
        (
            "owner_name",
            account(&owner).map_or(ValueAny::Null, |a| ValueAny::String(a.username.to_string())),
        ),
    ] {
        if *planned.raw(attr) == ValueAny::Unknown {
            planned.set(attr, answered);
        }
    }
    for f in BACKUP_JOB.fields {
        if *planned.field_raw(&BACKUP_JOB, f) == ValueAny::Unknown {
            let answered = match f.role {
                Role::ServerDefault(Some(d)) => object::state::to_any(&d.val()),
                Role::Required
                | Role::Optional
                | Role::Defaulted(_)
                | Role::ServerDefault(None)
                | Role::ReadOnly { .. } => object::state::absent(f.kind),
            };
            planned.set_field(&BACKUP_JOB, f, answered);
        }
    }
    planned
}

#[async_trait]
impl Resource for NoopJob {
    type State<'a> = ObjectState;
    type PrivateState<'a> = jetbackup::provider::location::Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Resource::schema(&self.0, diags)
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        Resource::validate(&self.0, diags, config).await
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Resource::plan_create(&self.0, diags, proposed_state, config_state, meta).await
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        Resource::plan_update(
            &self.0,
            diags,
            prior_state,
            proposed_state,
            config_state,
            prior_private_state,
            meta,
        )
        .await
    }

    async fn plan_destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Resource::plan_destroy(&self.0, diags, prior_state, prior_private_state, meta).await
    }

    async fn create<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((settle(planned_state), planned_private_state))
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((settle(planned_state), planned_private_state))
    }

    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        Some(())
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Resource::import(&self.0, diags, id).await
    }
}
