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

use std::collections::HashMap;

use async_trait::async_trait;
use regex_lite::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value as Json};
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use super::backup_job_schema::attr;
use super::listing::Listed;
use super::ProviderHandle;
use crate::api::client::is_object_id;
use crate::api::ApiError;

/// One read-only attribute of a kind.
pub struct Field {
    pub name: String,
    pub attr_type: AttributeType,
    pub doc: String,
}

impl Field {
    pub fn new(name: &str, attr_type: AttributeType, doc: &str) -> Field {
        Field {
            name: name.to_string(),
            attr_type,
            doc: doc.to_string(),
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
    fn name(self) -> &'static str {
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
    fn configured(self, args: &Args) -> Option<Json> {
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
    fn fields() -> Vec<Field>;
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

/// What `name_regex` accepts, for its description.
const NAME_REGEX_DOC: &str = "Only objects whose name this regular expression matches (anywhere in the name; anchor it with `^…$` for a whole-name match). The syntax is Rust's `regex` without Unicode classes: `\\d`, `\\w`, `\\s` and `\\b` are ASCII, `(?i)` folds ASCII letters only, and `\\p{…}` is refused at plan.";

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

fn schema_of(description: String, attributes: HashMap<String, Attribute>) -> Schema {
    Schema {
        version: 1,
        block: Block {
            version: 1,
            attributes,
            blocks: HashMap::new(),
            description: Description::markdown(description),
            deprecated: false,
        },
    }
}

/// The detail of every malformed-ID error: data sources and the resource's import.
pub fn malformed_id_detail(kind: &str, id: &str) -> String {
    format!("{id:?} is not a JetBackup {kind} ID: expected the {kind}'s _id, 24 hexadecimal digits (e.g. \"6504c79fd4b57d536c05bbe2\").")
}

/// How many names an error lists before "and N more".
const NAMES_LISTED: usize = 20;

/// The error for a name that matches nothing: the names that do exist.
pub fn no_such_name<T: Listed>(name: &str, items: &[T]) -> String {
    let mut names: Vec<&str> = items.iter().map(Listed::name).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return format!(
            "No {} is named {name:?}: the server has no {} at all.",
            T::KIND,
            T::KIND_PLURAL
        );
    }
    let mut listed = names
        .iter()
        .take(NAMES_LISTED)
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_LISTED {
        listed.push_str(&format!(" and {} more", names.len() - NAMES_LISTED));
    }
    format!(
        "No {} is named {name:?} (names match exactly, case included). The {} on the server are named: {listed}.",
        T::KIND,
        T::KIND_PLURAL
    )
}

/// Finds the one object named `name`, or says why not.
pub fn by_name<'a, T: Listed>(items: &'a [T], name: &str) -> Result<&'a T, (String, String)> {
    let matches: Vec<&T> = items.iter().filter(|o| o.name() == name).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err((format!("No {} named {name:?}", T::KIND), no_such_name(name, items))),
        several => Err((
            format!("Several {} are named {name:?}", T::KIND_PLURAL),
            format!(
                "{} {} are named {name:?}, with the IDs {}. Look the one you mean up by `id` instead of `name`.",
                several.len(),
                T::KIND_PLURAL,
                several.iter().map(|o| o.id()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Plan-time checks of the `name`/`id` pair: exactly one, and a well-formed ID.
fn validate_lookup<T: Listed>(diags: &mut Diagnostics, args: &Args) {
    let set = |v: &Value<String>| !v.is_null();
    match (set(&args.name), set(&args.id)) {
        (true, true) => diags.error(
            "Both `name` and `id` are set",
            format!(
                "Look the {} up by exactly one of `name` or `id`: remove one of them.",
                T::KIND
            ),
            AttributePath::new("id"),
        ),
        (false, false) => diags.root_error(
            "Neither `name` nor `id` is set",
            format!("Look the {} up by exactly one of `name` or `id`.", T::KIND),
        ),
        _ => {}
    }
    if let Value::Value(id) = &args.id {
        if !is_object_id(id) {
            diags.error(
                format!("Invalid {} ID", T::KIND),
                malformed_id_detail(T::KIND, id),
                AttributePath::new("id"),
            );
        }
    }
}

fn api_error<T: Listed>(diags: &mut Diagnostics, err: &ApiError) {
    diags.root_error(
        format!("Cannot read the {}", T::KIND_PLURAL),
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

/// `jetbackup_<kind>`: one object by `name` or `id`.
pub type ByNameOrId<T> = KindDataSource<T, One>;

/// The mode of `jetbackup_<kind>`.
pub struct One;

#[async_trait]
impl Mode for One {
    fn schema<T: Exposed>() -> Schema {
        let mut attributes = HashMap::new();
        for f in T::fields() {
            let (constraint, doc) = match f.name.as_str() {
                "id" => (AttributeConstraint::OptionalComputed, format!("{} Set exactly one of `id` or `name`; a malformed ID fails at plan.", f.doc)),
                "name" => (AttributeConstraint::OptionalComputed, format!("{} Set exactly one of `id` or `name`; the match is exact and case-sensitive, and must be unique.", f.doc)),
                _ => (AttributeConstraint::Computed, f.doc),
            };
            attributes.insert(f.name, attr(f.attr_type, constraint, doc));
        }
        schema_of(
            format!(
                "Looks up one JetBackup {} by its exact `name` or its `id`, so that configurations need not hard-code IDs. Read with {}; the read is shared with every other lookup of the same provider (one list call per kind), and happens at plan time when `name`/`id` are known.",
                T::KIND,
                T::FUNCTIONS
            ),
            attributes,
        )
    }

    fn validate<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
        validate_lookup::<T>(diags, args);
    }

    async fn read<T: Exposed>(
        provider: &ProviderHandle,
        diags: &mut Diagnostics,
        args: &Args,
    ) -> Option<Map<String, Json>> {
        let client = provider.client(diags)?;
        let listings = provider.listings();
        if let Value::Value(id) = &args.id {
            return match listings.by_id::<T>(&client, id).await {
                Ok(o) => Some(o.values()),
                Err(ApiError::NotFound { .. }) => {
                    diags.error(
                        format!("No {} with ID {id:?}", T::KIND),
                        format!("The server has no {} with the ID {id:?}. Check the ID, or look it up by `name`.", T::KIND),
                        AttributePath::new("id"),
                    );
                    None
                }
                Err(e) => {
                    api_error::<T>(diags, &e);
                    None
                }
            };
        }
        let Some(name) = args.name.as_ref_option() else {
            // Validation refuses this before any read; say so if it comes anyway.
            validate_lookup::<T>(diags, args);
            return None;
        };
        let items = match listings.all::<T>(&client).await {
            Ok(items) => items,
            Err(e) => {
                api_error::<T>(diags, &e);
                return None;
            }
        };
        match by_name(&items, name) {
            Ok(o) => Some(o.values()),
            Err((summary, detail)) => {
                diags.error(summary, detail, AttributePath::new("name"));
                None
            }
        }
    }
}

/// `jetbackup_<kinds>`: every object, sorted by name, optionally filtered.
pub type AllOf<T> = KindDataSource<T, All>;

/// The mode of `jetbackup_<kinds>`.
pub struct All;

#[async_trait]
impl Mode for All {
    fn schema<T: Exposed>() -> Schema {
        let fields = T::fields();
        let object = AttributeType::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), f.attr_type.clone()))
                .collect(),
        );
        let mut names: Vec<&Field> = fields.iter().collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        let field_docs = names
            .iter()
            .map(|f| format!("`{}`: {}", f.name, f.doc))
            .collect::<Vec<_>>()
            .join(" ");
        let mut attributes = HashMap::new();
        attributes.insert(
            T::PLURAL.to_string(),
            attr(
                AttributeType::List(Box::new(object)),
                AttributeConstraint::Computed,
                format!("The matching {}, sorted by name (then ID), each with the attributes of the `jetbackup_{}` data source. {field_docs}", T::KIND_PLURAL, T::SINGULAR),
            ),
        );
        attributes.insert(
            "ids".to_string(),
            attr(
                AttributeType::List(Box::new(AttributeType::String)),
                AttributeConstraint::Computed,
                format!(
                    "The IDs of the matching {}, in the same order.",
                    T::KIND_PLURAL
                ),
            ),
        );
        attributes.insert(
            "name_regex".to_string(),
            attr(
                AttributeType::String,
                AttributeConstraint::Optional,
                NAME_REGEX_DOC.into(),
            ),
        );
        for filter in T::filters() {
            let allowed = match (filter, T::type_values()) {
                (Filter::Type, Some(values)) => format!(
                    " Allowed values: {}.",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => String::new(),
            };
            attributes.insert(
                filter.name().to_string(),
                attr(
                    filter.attr_type(),
                    AttributeConstraint::Optional,
                    format!(
                        "Only {} whose `{}` equals this value (exact match).{allowed}",
                        T::KIND_PLURAL,
                        filter.name()
                    ),
                ),
            );
        }
        schema_of(
            format!("Lists the JetBackup {}, optionally filtered. Read with {}, shared with every other lookup of the same provider (one list call per kind).", T::KIND_PLURAL, T::FUNCTIONS),
            attributes,
        )
    }

    fn validate<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
        validate_filters::<T>(diags, args);
    }

    async fn read<T: Exposed>(
        provider: &ProviderHandle,
        diags: &mut Diagnostics,
        args: &Args,
    ) -> Option<Map<String, Json>> {
        validate_filters::<T>(diags, args);
        let regex = match &args.name_regex {
            Value::Value(p) => Some(Regex::new(p).ok()?),
            _ => None,
        };
        let client = provider.client(diags)?;
        let items = match provider.listings().all::<T>(&client).await {
            Ok(items) => items,
            Err(e) => {
                api_error::<T>(diags, &e);
                return None;
            }
        };
        let mut selected: Vec<&T> = items
            .iter()
            .filter(|o| regex.as_ref().is_none_or(|r| r.is_match(o.name())))
            .collect();
        selected.sort_by(|a, b| (a.name(), a.id()).cmp(&(b.name(), b.id())));
        let mut objects = Vec::new();
        for o in selected {
            let values = o.values();
            let wanted = T::filters().iter().all(|f| match f.configured(args) {
                Some(v) => values.get(f.name()) == Some(&v),
                None => true,
            });
            if wanted {
                objects.push(Json::Object(values));
            }
        }
        let ids: Vec<Json> = objects.iter().map(|o| o["id"].clone()).collect();
        let mut state = Map::new();
        state.insert(T::PLURAL.to_string(), Json::Array(objects));
        state.insert("ids".to_string(), Json::Array(ids));
        let echo = |v: &Value<String>| v.as_ref_option().cloned().map_or(Json::Null, Json::String);
        state.insert("name_regex".to_string(), echo(&args.name_regex));
        for filter in T::filters() {
            state.insert(
                filter.name().to_string(),
                filter.configured(args).unwrap_or(Json::Null),
            );
        }
        Some(state)
    }
}

fn validate_filters<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
    if let Value::Value(pattern) = &args.name_regex {
        if let Err(e) = Regex::new(pattern) {
            diags.error(
                "Invalid name_regex",
                format!("{pattern:?} is not a valid regular expression: {e}"),
                AttributePath::new("name_regex"),
            );
        }
    }
    if let (Value::Value(t), Some(values)) = (&args.filter_type, T::type_values()) {
        if !values.contains(t) {
            diags.error(
                "Invalid type",
                format!("type is {t:?}; allowed values: {}.", values.join(", ")),
                AttributePath::new("type"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::Destination;

    fn dest(id: &str, name: &str) -> Destination {
        Destination {
            id: id.into(),
            name: name.into(),
            ..Destination::default()
        }
    }

    /// `name_regex` takes regex syntax without Unicode classes: a pattern
    /// that needs them, or a broken one, fails at plan on the attribute.
    #[test]
    fn name_regex_syntax_is_checked_at_plan() {
        let check = |pattern: &str| {
            let args = Args {
                name_regex: Value::Value(pattern.to_string()),
                ..Args::default()
            };
            let mut diags = Diagnostics::default();
            validate_filters::<Destination>(&mut diags, &args);
            diags.errors
        };
        for ok in ["^Off(site)?$", "(?i)offsite", r"\d{2}-\w+", "[a-z]+ [0-9]"] {
            assert!(check(ok).is_empty(), "{ok}: {:?}", check(ok));
        }
        for bad in [r"\p{L}+", "(unclosed", "a{2,1}"] {
            let errors = check(bad);
            assert_eq!(errors.len(), 1, "{bad}");
            assert_eq!(errors[0].summary, "Invalid name_regex");
            assert_eq!(errors[0].attribute, AttributePath::new("name_regex"));
        }
        let re = Regex::new("(?i)^offsite$").expect("valid");
        assert!(re.is_match("OffSite") && !re.is_match("Offsite 2"));
    }

    #[test]
    fn a_name_matches_exactly_and_once() {
        let items = vec![
            dest("a1", "Offsite"),
            dest("b2", "offsite"),
            dest("c3", "Local"),
            dest("d4", "Local"),
        ];
        assert_eq!(by_name(&items, "Offsite").map(|d| d.id.as_str()), Ok("a1"));
        let (summary, detail) = by_name(&items, "Local").unwrap_err();
        assert_eq!(summary, "Several destinations are named \"Local\"");
        assert!(
            detail.contains("c3, d4") && detail.contains("by `id` instead"),
            "{detail}"
        );
        let (summary, detail) = by_name(&items, "OFFSITE").unwrap_err();
        assert_eq!(summary, "No destination named \"OFFSITE\"");
        assert!(
            detail.ends_with("named: \"Local\", \"Offsite\", \"offsite\"."),
            "{detail}"
        );
    }

    #[test]
    fn missing_names_list_twenty_then_count_the_rest() {
        let items: Vec<Destination> = (0..23)
            .map(|i| dest(&format!("{i}"), &format!("d{i:02}")))
            .collect();
        let detail = no_such_name("x", &items);
        assert!(detail.contains("\"d19\" and 3 more."), "{detail}");
        assert!(!detail.contains("d20"), "{detail}");
        assert!(no_such_name::<Destination>("x", &[]).contains("no destinations at all"));
    }

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

    #[test]
    fn lookup_validation_wants_exactly_one_well_formed_key() {
        let check = |name: Value<String>, id: Value<String>| {
            let mut diags = Diagnostics::default();
            let args = Args {
                name,
                id,
                ..Args::default()
            };
            validate_lookup::<Destination>(&mut diags, &args);
            diags
                .errors
                .iter()
                .map(|e| e.summary.to_string())
                .collect::<Vec<_>>()
        };
        let v = |s: &str| Value::Value(s.to_string());
        assert!(check(v("x"), Value::Null).is_empty());
        assert!(check(Value::Unknown, Value::Null).is_empty());
        assert!(check(Value::Null, v("6504c79fd4b57d536c05bbe2")).is_empty());
        assert_eq!(
            check(Value::Null, Value::Null),
            ["Neither `name` nor `id` is set"]
        );
        assert_eq!(
            check(v("x"), v("6504c79fd4b57d536c05bbe2")),
            ["Both `name` and `id` are set"]
        );
        assert_eq!(check(Value::Null, v("zz")), ["Invalid destination ID"]);
    }
}
