//! Data sources, generically: for each object kind that implements
//! [`Exposed`], `jetbackup_<kind>` looks one object up by exactly one of
//! `name` or `id`, and `jetbackup_<kinds>` lists them (sorted by name),
//! optionally filtered. Both read through the provider's shared listing
//! ([`super::listing`]), so any number of data sources and resources of a kind
//! cost one paged list call per provider process.
//!
//! A kind declares only its read-only fields (schema and docs derive from
//! them), how one object maps to them, and which filters its list takes. To
//! add one: implement [`Listed`] (in `listing.rs`) and [`Exposed`], register
//! both data sources in [`super::data_sources`], write
//! `examples/data-sources/jetbackup_<name>/data-source.tf` and run `make docs`.
//!
//! Here: what a kind exposes, the arguments, and the data source generic
//! over a [`Mode`]; `one.rs` looks one object up, `all.rs` lists them.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value as Json};
use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

mod all;
mod one;
pub mod table;

pub use all::{check_filters, filter_attributes, All, AllOf};
pub use one::{by_name, malformed_id_detail, no_such_name, ByNameOrId, One};

use super::listing::Listed;
use super::schema_build::attr;
use crate::api::objectid::is_object_id;
use crate::api::ApiError;
use crate::provider::handle::ProviderHandle;

/// One read-only attribute of a kind.
pub struct DataAttribute {
    pub name: String,
    pub attr_type: AttributeType,
    pub doc: String,
    /// An old name kept for one release; Terraform warns where it is used.
    pub deprecated: bool,
}

impl DataAttribute {
    pub fn new(name: &str, attr_type: AttributeType, doc: &str) -> DataAttribute {
        DataAttribute {
            name: name.to_string(),
            attr_type,
            doc: doc.to_string(),
            deprecated: false,
        }
    }
}

/// A filter argument of a list data source, matched exactly against the
/// field of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// `type`: a string.
    Type,
    /// `disabled`: a bool.
    Disabled,
}

impl Filter {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Filter::Type => "type",
            Filter::Disabled => "disabled",
        }
    }
    fn attr_type(self) -> AttributeType {
        match self {
            Filter::Type => AttributeType::String,
            Filter::Disabled => AttributeType::Bool,
        }
    }
    pub(crate) fn configured(self, args: &Args) -> Option<Json> {
        match self {
            Filter::Type => args.filter_type.as_ref_option().cloned().map(Json::String),
            Filter::Disabled => args.disabled.as_ref_option().copied().map(Json::Bool),
        }
    }
}

/// What a kind exposes through its data sources.
pub trait Exposed: Listed {
    /// `jetbackup_<SINGULAR>` and `jetbackup_<PLURAL>`.
    const SINGULAR: &'static str;
    const PLURAL: &'static str;
    /// The read-only attributes, `id` and `name` among them.
    fn fields() -> Vec<DataAttribute>;
    /// This object's value of every field, as JSON.
    fn values(&self) -> Map<String, Json>;
    /// The filters the list data source takes besides `name_regex`.
    fn filters() -> &'static [Filter];
    /// The allowed values of the `type` filter, when they are a fixed set.
    fn type_values() -> Option<Vec<String>> {
        None
    }
    /// The API functions behind the data sources, for the description.
    const FUNCTIONS: &'static str;
}

/// The configuration arguments any data source may take; a kind's schema
/// decides which exist (absent ones decode as null).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Args {
    name: Value<String>,
    id: Value<String>,
    #[serde(rename = "type")]
    filter_type: Value<String>,
    name_regex: Value<String>,
    disabled: Value<bool>,
}

impl Args {
    /// The `name_regex` argument, when known.
    pub(crate) fn name_regex(&self) -> Option<&String> {
        self.name_regex.as_ref_option()
    }
}

/// A data source's state: read as its arguments (Terraform sends the whole
/// configuration; attributes other than the arguments are ignored), written
/// as every attribute of its schema.
#[derive(Debug, Default)]
pub struct State {
    args: Args,
    attributes: Map<String, Json>,
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<State, D::Error> {
        Ok(State {
            args: Args::deserialize(d)?,
            attributes: Map::new(),
        })
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.attributes.serialize(s)
    }
}

use super::schema_build::schema_of;

fn api_error<T: Listed>(diags: &mut Diagnostics, err: &ApiError) {
    diags.root_error(
        format!("Cannot read the {}", T::NOUN_PLURAL),
        err.to_string(),
    );
}

/// A data source of kind `T`; `M` says which ([`ByNameOrId`] or [`AllOf`]).
pub struct KindDataSource<T, M> {
    provider: ProviderHandle,
    _kind: std::marker::PhantomData<fn() -> (T, M)>,
}

impl<T: Exposed, M: Mode> KindDataSource<T, M> {
    pub fn new(provider: ProviderHandle) -> Self {
        KindDataSource {
            provider,
            _kind: std::marker::PhantomData,
        }
    }

    pub fn schema() -> Schema {
        M::schema::<T>()
    }
}

/// What a kind's data source does with its arguments: the one part that
/// differs between looking one object up and listing them.
#[async_trait]
pub trait Mode: Send + Sync + 'static {
    fn schema<T: Exposed>() -> Schema;
    /// Plan-time checks of the arguments.
    fn validate<T: Exposed>(diags: &mut Diagnostics, args: &Args);
    /// The attributes to store, read through the provider's listing.
    async fn read<T: Exposed>(
        provider: &ProviderHandle,
        diags: &mut Diagnostics,
        args: &Args,
    ) -> Option<Map<String, Json>>;
}

#[async_trait]
impl<T: Exposed, M: Mode> DataSource for KindDataSource<T, M> {
    type State<'a> = State;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(M::schema::<T>())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        M::validate::<T>(diags, &config.args);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<State> {
        let args = config.args;
        let attributes = M::read::<T>(&self.provider, diags, &args).await?;
        Some(State { args, attributes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_decodes_as_arguments_and_state_encodes_as_attributes() {
        let config = serde_json::json!({"name": "x", "id": null, "job_count": null});
        let state: State = serde_json::from_value(config).unwrap();
        assert_eq!(state.args.name, Value::Value("x".to_string()));
        assert!(state.args.id.is_null() && state.args.disabled.is_null());
        let mut attributes = Map::new();
        attributes.insert("id".into(), Json::String("a1".into()));
        let out = serde_json::to_value(State {
            args: Args::default(),
            attributes,
        })
        .unwrap();
        assert_eq!(out, serde_json::json!({"id": "a1"}));
    }
}
