//! What the server calls: object-safe traits over Terraform's raw values,
//! implemented for every typed `tf_provider` resource, data source and
//! provider by decoding the values into their serde states, calling the
//! typed method and encoding the answer.
//!
//! Every method returns `None` when it failed; the failure is then in
//! `diags` (the server adds a generic error if a typed method gave up
//! without saying why).

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::{AttributePath, DataSource, Diagnostics, Provider, Resource};

use super::action::ActionServer;
use super::identity::IdentitySchema;
use super::value::{decode_private, encode_bytes, Dynamic};
use super::write_only::SchemaPath;

/// A planned or applied state with its private state.
pub type Planned = (Dynamic, Vec<u8>);

/// One managed resource type, as the server drives it.
#[async_trait]
pub trait ResourceServer: Send + Sync {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    /// `Some((null, _))` when the object is gone.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Dynamic,
        private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned>;
    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed: Dynamic,
        config: Dynamic,
        meta: Dynamic,
    ) -> Option<Planned>;
    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        proposed: Dynamic,
        config: Dynamic,
        prior_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<(Dynamic, Vec<u8>, Vec<AttributePath>)>;
    async fn plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        prior_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Vec<u8>>;
    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: Dynamic,
        config: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned>;
    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        planned: Dynamic,
        config: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned>;
    async fn destroy(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<()>;
    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<Planned>;
    /// A state stored under schema version `version` (JSON), in this
    /// version's shape.
    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        current: i64,
        json: Vec<u8>,
    ) -> Option<Dynamic>;
    /// This type's identity (Terraform 1.12+): by default the state's `id`,
    /// so every resource, and every one added later, has one.
    fn identity_schema(&self, schema: &Schema) -> Option<IdentitySchema> {
        IdentitySchema::from_id(schema)
    }
}

/// One object a list resource found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Its ID: the `id` of the resource's state and of its identity.
    pub id: String,
    /// What `terraform query` shows for it (the object's name).
    pub display_name: String,
}

/// One list resource type, as the server drives it. Its schema is the
/// arguments of the `config` block.
#[async_trait]
pub trait ListResourceServer: Send + Sync {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    /// Checks the `config` block before anything is listed.
    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    /// The matching objects in the server's order, at most `limit`.
    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        limit: usize,
    ) -> Option<Vec<Found>>;
}

/// One data source type, as the server drives it.
#[async_trait]
pub trait DataSourceServer: Send + Sync {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    async fn read(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        meta: Dynamic,
    ) -> Option<Dynamic>;
}

/// What a provider serves besides its own configuration: its resource and
/// data source types, as [`ResourceServer`] and [`DataSourceServer`] objects
/// (the `tf_provider` lists hold that crate's own objects, which only its
/// server can call), and what it may leave out, with its default here once.
/// Names are after `<provider>_`.
pub trait Plugin {
    fn resources(&self) -> HashMap<String, Box<dyn ResourceServer>>;
    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceServer>>;
    /// Its action types ([`super::action`]); none by default.
    fn actions(&self) -> HashMap<String, Arc<dyn ActionServer>> {
        HashMap::new()
    }

    /// The write-only attributes of the resource type `resource`, which
    /// tf-provider's `Schema` cannot flag: the server marks them in the
    /// schema it sends ([`super::write_only`]). The resource returns them
    /// null in every plan and state.
    fn write_only_attributes(&self, _resource: &str) -> Vec<SchemaPath> {
        Vec::new()
    }

    /// Its list resources (Terraform 1.14+, [`super::list`]), named like
    /// their resources; none by default.
    fn list_resources(&self) -> HashMap<String, Box<dyn ListResourceServer>> {
        HashMap::new()
    }
}

/// The provider as the server drives it: its own configuration, and the
/// types of its [`Plugin`]. Every typed provider (tf-provider's `Provider`
/// and a [`Plugin`]) is one, through the blanket impl below.
#[async_trait]
pub trait ProviderServer: Plugin + Send + Sync + 'static {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    fn meta_schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()>;
    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Dynamic,
    ) -> Option<()>;
}

/// The diagnostics of a call that failed (`None`) without saying why get
/// an error, so that Terraform never takes a failure for success.
pub fn settled<T>(diags: &mut Diagnostics, outcome: Option<T>) -> Option<T> {
    if outcome.is_none() && diags.errors.is_empty() {
        diags.root_error(
            "The provider failed without an error message",
            "This is a bug in the provider; please report it with the command that failed.",
        );
    }
    outcome
}

fn encode_planned<S: serde::Serialize, P: serde::Serialize>(
    diags: &mut Diagnostics,
    (state, private): (S, P),
) -> Option<Planned> {
    Some((
        Dynamic::encode(diags, &state)?,
        encode_bytes(diags, &private)?,
    ))
}

#[async_trait]
impl<T: Resource> ResourceServer for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Resource::schema(self, diags)
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let config = config.decode(diags)?;
        Resource::validate(self, diags, config).await
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Dynamic,
        private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned> {
        let state = state.decode(diags)?;
        let private = decode_private(diags, &private)?;
        let meta = meta.decode(diags)?;
        match Resource::read(self, diags, state, private, meta).await {
            Some(read) => encode_planned(diags, read),
            // The typed contract: `None` without an error is "gone".
            None if diags.errors.is_empty() => Some((Dynamic::null(), Vec::new())),
            None => None,
        }
    }

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed: Dynamic,
        config: Dynamic,
        meta: Dynamic,
    ) -> Option<Planned> {
        let proposed = proposed.decode(diags)?;
        let config = config.decode(diags)?;
        let meta = meta.decode(diags)?;
        let planned = Resource::plan_create(self, diags, proposed, config, meta).await?;
        encode_planned(diags, planned)
    }

    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        proposed: Dynamic,
        config: Dynamic,
        prior_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<(Dynamic, Vec<u8>, Vec<AttributePath>)> {
        let prior = prior.decode(diags)?;
        let proposed = proposed.decode(diags)?;
        let config = config.decode(diags)?;
        let prior_private = decode_private(diags, &prior_private)?;
        let meta = meta.decode(diags)?;
        let (state, private, replace) =
            Resource::plan_update(self, diags, prior, proposed, config, prior_private, meta)
                .await?;
        let (state, private) = encode_planned(diags, (state, private))?;
        Some((state, private, replace))
    }

    async fn plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        prior_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Vec<u8>> {
        let prior = prior.decode(diags)?;
        let prior_private = decode_private(diags, &prior_private)?;
        let meta = meta.decode(diags)?;
        let private = Resource::plan_destroy(self, diags, prior, prior_private, meta).await?;
        encode_bytes(diags, &private)
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: Dynamic,
        config: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned> {
        let planned = planned.decode(diags)?;
        let config = config.decode(diags)?;
        let planned_private = decode_private(diags, &planned_private)?;
        let meta = meta.decode(diags)?;
        let created = Resource::create(self, diags, planned, config, planned_private, meta).await?;
        encode_planned(diags, created)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        planned: Dynamic,
        config: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<Planned> {
        let prior = prior.decode(diags)?;
        let planned = planned.decode(diags)?;
        let config = config.decode(diags)?;
        let planned_private = decode_private(diags, &planned_private)?;
        let meta = meta.decode(diags)?;
        let updated =
            Resource::update(self, diags, prior, planned, config, planned_private, meta).await?;
        encode_planned(diags, updated)
    }

    async fn destroy(
        &self,
        diags: &mut Diagnostics,
        prior: Dynamic,
        planned_private: Vec<u8>,
        meta: Dynamic,
    ) -> Option<()> {
        let prior = prior.decode(diags)?;
        let planned_private = decode_private(diags, &planned_private)?;
        let meta = meta.decode(diags)?;
        Resource::destroy(self, diags, prior, planned_private, meta).await
    }

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<Planned> {
        let imported = Resource::import(self, diags, id).await?;
        encode_planned(diags, imported)
    }

    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        current: i64,
        json: Vec<u8>,
    ) -> Option<Dynamic> {
        use std::cmp::Ordering;
        match version.cmp(&current) {
            // Terraform decodes stored JSON by the current schema itself.
            Ordering::Equal => Some(Dynamic::Json(json)),
            // An older shape is read by the state type (serde defaults fill
            // what was added since) and written back in the current one.
            Ordering::Less => {
                let stored = Dynamic::Json(json);
                let state: T::State<'_> = stored.decode(diags)?;
                Dynamic::encode(diags, &state)
            }
            Ordering::Greater => {
                diags.root_error(
                    "The state was written by a newer version of the provider",
                    format!(
                        "Its schema version is {version}; this provider knows versions up to {current}. \
                         Use the provider version that wrote it, or a newer one."
                    ),
                );
                None
            }
        }
    }
}

#[async_trait]
impl<T: DataSource> DataSourceServer for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        DataSource::schema(self, diags)
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let config = config.decode(diags)?;
        DataSource::validate(self, diags, config).await
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        meta: Dynamic,
    ) -> Option<Dynamic> {
        let config = config.decode(diags)?;
        let meta = meta.decode(diags)?;
        let state = DataSource::read(self, diags, config, meta).await?;
        Dynamic::encode(diags, &state)
    }
}

#[async_trait]
impl<T: Provider + Plugin> ProviderServer for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Provider::schema(self, diags)
    }

    fn meta_schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        Provider::meta_schema(self, diags)
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let config = config.decode(diags)?;
        Provider::validate(self, diags, config).await
    }

    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Dynamic,
    ) -> Option<()> {
        let config = config.decode(diags)?;
        Provider::configure(self, diags, terraform_version, config).await
    }
}
