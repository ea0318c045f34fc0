//! List resources (`terraform query`, Terraform 1.14+): `list
//! "jetbackup_<resource>"` finds every object of a resource's kind on the
//! server, for every resource the provider serves: the backup job, and each
//! table-described kind of [`OBJECTS`] (so a kind added there is listed
//! too). They read through the provider's shared listing
//! ([`super::listing`]), one paged `list*` call per kind, and take the
//! filters of the list data sources (`name_regex`, and `type` and
//! `disabled` where the kind has them), checked at validation, before any
//! call. The plugin server ([`crate::plugin::list`]) turns each object
//! found into an event with its identity and, on request, its imported
//! state.

use std::collections::HashMap;

use async_trait::async_trait;
use regex_lite::Regex;
use serde_json::Value as Json;
use tf_provider::schema::Schema;
use tf_provider::Diagnostics;

use super::data_source::{check_filters, filter_attributes, Args, Filter};
use super::handle::ProviderHandle;
use super::schema_build::schema_of;
use crate::api::object::{ObjectKind, Val, OBJECTS};
use crate::api::{ApiError, Client};
use crate::plugin::value::Dynamic;
use crate::plugin::{Found, ListResourceServer};

/// Every list resource, by its name after `jetbackup_`: one per resource of
/// [`super::JetBackupProvider::get_resources`], from the same lists.
pub fn list_resources(handle: &ProviderHandle) -> HashMap<String, Box<dyn ListResourceServer>> {
    let mut all: HashMap<String, Box<dyn ListResourceServer>> = HashMap::new();
    for kind in OBJECTS {
        all.insert(
            kind.name.to_string(),
            Box::new(KindList {
                provider: handle.clone(),
                kind,
            }),
        );
    }
    all
}

/// One object as a listing shows it: what its filters compare.
struct Item {
    id: String,
    name: String,
    /// The values of the kind's filters (`type`, `disabled`), as JSON.
    filtered: HashMap<&'static str, Json>,
}

/// The list resource of one kind. Its filters follow from its table (`type`
/// when its discriminator is a `type` with fixed labels, `disabled` when it
/// has that flag), which gives the same filters as its list data source.
struct KindList {
    provider: ProviderHandle,
    kind: &'static ObjectKind,
}

impl KindList {
    /// The kind in JetBackup's words, plural ("account filters"): every
    /// table's title takes a plain plural.
    fn noun_plural(&self) -> String {
        format!("{}s", self.kind.title)
    }

    /// The allowed values of `type`, when they are a fixed set.
    fn type_values(&self) -> Option<Vec<String>> {
        let f = self
            .kind
            .discriminator_field()
            .filter(|f| f.attr == "type")?;
        Some(
            f.kind
                .choices()?
                .iter()
                .map(|c| c.label.to_string())
                .collect(),
        )
    }

    fn filters(&self) -> Vec<Filter> {
        let mut filters = Vec::new();
        if self.type_values().is_some() {
            filters.push(Filter::Type);
        }
        if self
            .kind
            .field("disabled")
            .is_some_and(|f| f.kind.is_bool())
        {
            filters.push(Filter::Disabled);
        }
        filters
    }

    /// Every object in the server's order.
    async fn items(&self, client: &Client) -> Result<Vec<Item>, ApiError> {
        let listed = self.provider.listings().objects(client, self.kind).await?;
        let filters = self.filters();
        Ok(listed
            .iter()
            .map(|(id, values)| {
                let filtered = filters
                    .iter()
                    .filter_map(|f| {
                        let value = values.get(f.name())?;
                        let v = if let Val::Bool(b) = value {
                            Json::Bool(*b)
                        } else {
                            Json::String(value.text()?.to_string())
                        };
                        Some((f.name(), v))
                    })
                    .collect();
                let name = values
                    .get("name")
                    .and_then(Val::text)
                    .map_or_else(|| id.clone(), str::to_string);
                Item {
                    id: id.clone(),
                    name,
                    filtered,
                }
            })
            .collect())
    }

    fn check(&self, diags: &mut Diagnostics, args: &Args) {
        check_filters(diags, args, self.type_values());
    }
}

#[async_trait]
impl ListResourceServer for KindList {
    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let noun = self.noun_plural();
        let attributes = filter_attributes(&noun, &self.filters(), self.type_values());
        Some(schema_of(
            format!(
                "Finds the JetBackup {noun} on the server, in the server's order, optionally filtered (`terraform query`, Terraform 1.14 and later). Read with {}, shared with every other lookup of the same provider (one list call per kind). Each result carries the object's identity (`id`) and, with `include_resource = true`, its settings as an import reads them.",
                self.kind.list
            ),
            attributes,
        ))
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
        let args: Args = config.decode(diags)?;
        self.check(diags, &args);
        Some(())
    }

    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Dynamic,
        limit: usize,
    ) -> Option<Vec<Found>> {
        let args: Args = config.decode(diags)?;
        self.check(diags, &args);
        if !diags.errors.is_empty() {
            return None;
        }
        let regex = match args.name_regex() {
            Some(p) => Some(Regex::new(p).ok()?),
            None => None,
        };
        let client = self.provider.client(diags)?;
        let items = match self.items(&client).await {
            Ok(items) => items,
            Err(e) => {
                diags.root_error(
                    format!("Cannot list the {}", self.noun_plural()),
                    e.to_string(),
                );
                return None;
            }
        };
        let wanted = |item: &Item| {
            regex.as_ref().is_none_or(|r| r.is_match(&item.name))
                && self.filters().iter().all(|f| match f.configured(&args) {
                    Some(v) => item.filtered.get(f.name()) == Some(&v),
                    None => true,
                })
        };
        Some(
            items
                .into_iter()
                .filter(wanted)
                .take(limit)
                .map(|item| Found {
                    id: item.id,
                    display_name: item.name,
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Plugin;
    use crate::provider::JetBackupProvider;
    use serde_json::json;
    use tf_provider::AttributePath;

    fn config(v: Json) -> Dynamic {
        Dynamic::encode(&mut Diagnostics::default(), &v).unwrap()
    }

    /// Every resource the provider registers has an identity and a list
    /// resource of the same name, and nothing else is listed.
    #[test]
    fn every_resource_has_an_identity_and_a_list_resource() {
        let provider = JetBackupProvider::default();
        let resources = Plugin::resources(&provider);
        let lists = Plugin::list_resources(&provider);
        let mut names: Vec<&String> = resources.keys().collect();
        names.sort();
        let mut listed: Vec<&String> = lists.keys().collect();
        listed.sort();
        assert_eq!(names, listed);
        for (name, r) in &resources {
            let schema = r.schema(&mut Diagnostics::default()).expect("schema");
            assert!(
                r.identity_schema(&schema).is_some(),
                "jetbackup_{name} has no identity"
            );
        }
    }

    #[tokio::test]
    async fn bad_filters_fail_validation_on_their_attribute() {
        let lists = list_resources(&ProviderHandle::default());
        let job = &lists["backup_job"];
        let mut diags = Diagnostics::default();
        job.validate(
            &mut diags,
            config(json!({"type": "everything", "name_regex": "(", "disabled": null})),
        )
        .await;
        let paths: Vec<&AttributePath> = diags.errors.iter().map(|e| &e.attribute).collect();
        assert_eq!(
            paths,
            [
                &AttributePath::new("name_regex"),
                &AttributePath::new("type")
            ]
        );
        assert!(
            diags.errors[1].detail.contains("accounts"),
            "{:?}",
            diags.errors[1]
        );
        // Listing refuses the same before asking for a client: nothing is sent.
        let mut diags = Diagnostics::default();
        let found = job
            .list(&mut diags, config(json!({"type": "everything"})), 10)
            .await;
        assert!(found.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].summary, "Invalid type");
        // A good one passes validation.
        let mut diags = Diagnostics::default();
        job.validate(
            &mut diags,
            config(json!({"type": "accounts", "name_regex": "^N"})),
        )
        .await;
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }

    /// The filters follow each kind's table, as its list data source has them.
    #[test]
    fn table_kinds_take_the_filters_their_tables_have() {
        let filters = |name: &str| {
            let kind = OBJECTS.iter().find(|k| k.name == name).expect("kind");
            KindList {
                provider: ProviderHandle::default(),
                kind,
            }
            .filters()
        };
        assert_eq!(filters("schedule"), [Filter::Type]);
        assert_eq!(filters("hook"), [Filter::Disabled]);
        assert_eq!(
            filters("notification_integration"),
            [Filter::Type, Filter::Disabled]
        );
        assert_eq!(filters("destination"), [Filter::Type, Filter::Disabled]);
        assert_eq!(filters("account_filter"), [Filter::Type]);
        let dest = OBJECTS
            .iter()
            .find(|k| k.name == "destination")
            .expect("kind");
        let types = KindList {
            provider: ProviderHandle::default(),
            kind: dest,
        }
        .type_values()
        .expect("labels");
        assert!(types.iter().any(|t| t == "S3"), "{types:?}");
    }
}
