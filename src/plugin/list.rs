//! List resources (protocol 6.10, Terraform 1.14 and later): the `list`
//! blocks of a `.tfquery.hcl` that `terraform query` runs.
//!
//! A list resource is named like the resource whose objects it finds, and
//! only says which objects there are ([`ListResourceServer::list`]: IDs and
//! names, in the server's order). The rest is generic and lives here: each
//! event carries the object's identity ([`super::identity`]), its name as
//! the display name and, when Terraform asks for it
//! (`include_resource = true`, which `-generate-config-out` needs), the
//! state that importing the object produces, read exactly as Terraform
//! reads an import (ImportResourceState, then ReadResource), so the
//! generated configuration plans as the import would.

use std::collections::HashMap;

use tf_provider::{AttributePath, Diagnostics};

use super::convert::{diagnostics, schema};
use super::dispatch::{settled, ListResourceServer, ProviderServer, ResourceServer};
use super::identity::{self, Identities};
use super::proto::tfplugin6 as tf;
use super::served::Served;
use super::value::{or_null, Dynamic};

/// The served list resource types, by type name, with their schemas.
pub struct Lists {
    types: Served<Box<dyn ListResourceServer>>,
}

impl Lists {
    /// The provider's list resources under `<name>_<short>`. A list resource
    /// needs a resource of the same name with an identity (Terraform refuses
    /// it otherwise): one without is a schema error.
    pub fn new(
        name: &str,
        provider: &dyn ProviderServer,
        identities: &Identities,
        diags: &mut Diagnostics,
    ) -> Lists {
        let mut with_identity = Vec::new();
        for (short, l) in provider.list_resources() {
            let type_name = format!("{name}_{short}");
            if identities.contains_key(&type_name) {
                with_identity.push((short, l));
            } else {
                diags.root_error(
                    format!("The list resource {type_name} has no resource with an identity"),
                    "This is a bug in the provider: a list resource finds objects of the resource of the same name, which must have an identity.",
                );
            }
        }
        let types = Served::new(
            name,
            "list resource",
            with_identity,
            |_, l, d| l.schema(d),
            diags,
        );
        Lists { types }
    }

    pub fn metadata(&self) -> Vec<tf::get_metadata::ListResourceMetadata> {
        let mut names: Vec<&String> = self.types.names().collect();
        names.sort();
        names
            .into_iter()
            .map(|n| tf::get_metadata::ListResourceMetadata {
                type_name: n.clone(),
            })
            .collect()
    }

    pub fn schemas(&self) -> HashMap<String, tf::Schema> {
        self.types
            .iter()
            .map(|(n, _, s)| (n.clone(), schema(s)))
            .collect()
    }

    /// ValidateListResourceConfig.
    pub async fn validate(
        &self,
        r: tf::validate_list_resource_config::Request,
    ) -> tf::validate_list_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some(list) = self.types.get(&mut diags, &r.type_name) {
            list.validate(&mut diags, or_null(r.config)).await;
        }
        tf::validate_list_resource_config::Response {
            diagnostics: diagnostics(in_config_block(diags)),
        }
    }

    /// ListResource: one event per object found, in order; a failure is an
    /// event with the error (Terraform stops reading there).
    pub async fn events(
        &self,
        resource: Option<&dyn ResourceServer>,
        identities: &Identities,
        r: tf::list_resource::Request,
    ) -> Vec<tf::list_resource::Event> {
        let mut diags = Diagnostics::default();
        let config = or_null(r.config);
        let limit = usize::try_from(r.limit.max(0)).unwrap_or(usize::MAX);
        let found = match (self.types.get(&mut diags, &r.type_name), resource) {
            (Some(list), Some(_)) if identities.contains_key(&r.type_name) => {
                match list.validate(&mut diags, config.clone()).await {
                    Some(()) if diags.errors.is_empty() => {
                        list.list(&mut diags, config, limit).await
                    }
                    _ => None,
                }
            }
            (Some(_), _) => {
                diags.root_error_short(format!(
                    "This provider has no resource {} with an identity to list",
                    r.type_name
                ));
                None
            }
            (None, _) => None,
        };
        let found = settled(&mut diags, found);
        let (Some(found), Some(resource)) = (found, resource) else {
            return vec![failed(diags)];
        };
        let mut events = Vec::new();
        if !diags.errors.is_empty() || !diags.warnings.is_empty() {
            events.push(failed(diags));
        }
        for f in found.into_iter().take(limit) {
            let mut diags = Diagnostics::default();
            let object = if r.include_resource_object {
                match imported(&mut diags, resource, &f.id).await {
                    Some(state) if state.is_null() => {
                        // Deleted between the listing and the read.
                        diags.root_warning(
                            format!("{} is gone", f.display_name),
                            format!("The object with ID {} was listed but no longer exists; it is left out.", f.id),
                        );
                        events.push(failed(diags));
                        continue;
                    }
                    Some(state) => Some(state.into()),
                    None => {
                        events.push(failed(diags));
                        break;
                    }
                }
            } else {
                None
            };
            let Some(identity) = identity::of_id(&mut diags, &f.id) else {
                events.push(failed(diags));
                break;
            };
            events.push(tf::list_resource::Event {
                identity: Some(identity),
                display_name: f.display_name,
                resource_object: object,
                diagnostic: diagnostics(diags),
            });
        }
        events
    }
}

/// The state Terraform would hold after importing the object `id`: the
/// import, then a read of what it returned. Null if the object is gone.
async fn imported(
    diags: &mut Diagnostics,
    resource: &dyn ResourceServer,
    id: &str,
) -> Option<Dynamic> {
    let (state, private) = resource.import(diags, id.to_string()).await?;
    let (state, _) = resource
        .read(diags, state, private, Dynamic::null())
        .await?;
    if !diags.errors.is_empty() {
        return None;
    }
    Some(state)
}

/// Diagnostics on the `config` block's arguments, as Terraform locates them
/// in the `list` block: it puts ListResource's under `config` itself, but
/// not ValidateListResourceConfig's (Terraform 1.14–1.15), whose paths
/// would otherwise point at the whole `list` block.
fn in_config_block(mut diags: Diagnostics) -> Diagnostics {
    for d in diags.errors.iter_mut().chain(diags.warnings.iter_mut()) {
        if !d.attribute.steps.is_empty() {
            let mut path = AttributePath::new(CONFIG_BLOCK);
            path.add_steps(std::mem::take(&mut d.attribute));
            d.attribute = path;
        }
    }
    diags
}

/// The block of a `list` that holds the list resource's arguments.
const CONFIG_BLOCK: &str = "config";

/// An event that carries only diagnostics.
fn failed(diags: Diagnostics) -> tf::list_resource::Event {
    tf::list_resource::Event {
        identity: None,
        display_name: String::new(),
        resource_object: None,
        diagnostic: diagnostics(diags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::dispatch::Found;
    use crate::plugin::test_resource::{Thing, ThingResource};
    use async_trait::async_trait;
    use serde::Deserialize;
    use tf_provider::schema::{Block, Schema};
    use tf_provider::value::Value;

    /// Lists the IDs it was given; refuses a config of `"refuse"`.
    struct Listing(Vec<&'static str>);

    #[async_trait]
    impl ListResourceServer for Listing {
        fn schema(&self, _: &mut Diagnostics) -> Option<Schema> {
            Some(Schema {
                version: 0,
                block: Block::default(),
            })
        }
        async fn validate(&self, diags: &mut Diagnostics, config: Dynamic) -> Option<()> {
            if config.decode::<Option<String>>(diags)?.as_deref() == Some("refuse") {
                diags.error_short("Invalid type", AttributePath::new("type"));
            }
            Some(())
        }
        async fn list(&self, _: &mut Diagnostics, _: Dynamic, limit: usize) -> Option<Vec<Found>> {
            Some(
                self.0
                    .iter()
                    .take(limit)
                    .map(|id| Found {
                        id: id.to_string(),
                        display_name: format!("Thing {id}"),
                    })
                    .collect(),
            )
        }
    }

    async fn events(
        ids: Vec<&'static str>,
        config: Option<&str>,
        include: bool,
        limit: i64,
    ) -> Vec<tf::list_resource::Event> {
        let mut diags = Diagnostics::default();
        let listing: Box<dyn ListResourceServer> = Box::new(Listing(ids));
        let listed = [("thing".to_string(), listing)];
        let types = Served::new(
            "t",
            "list resource",
            listed,
            |_, l, d| l.schema(d),
            &mut diags,
        );
        let lists = Lists { types };
        let resource: Box<dyn ResourceServer> = Box::new(ThingResource);
        let identity = resource.identity_schema(&resource.schema(&mut diags).unwrap());
        let identities: Identities = identity
            .map(|i| ("t_thing".to_string(), i))
            .into_iter()
            .collect();
        let request = tf::list_resource::Request {
            type_name: "t_thing".into(),
            config: Dynamic::encode(&mut diags, &config).map(Into::into),
            include_resource_object: include,
            limit,
        };
        lists
            .events(Some(resource.as_ref()), &identities, request)
            .await
    }

    fn id_of(e: &tf::list_resource::Event) -> String {
        #[derive(Deserialize)]
        struct Identity {
            id: String,
        }
        let v = Dynamic::from(e.identity.clone().unwrap().identity_data.unwrap());
        v.decode::<Identity>(&mut Diagnostics::default())
            .unwrap()
            .id
    }

    fn object(e: &tf::list_resource::Event) -> Option<Thing> {
        let v = Dynamic::from(e.resource_object.clone()?);
        v.decode(&mut Diagnostics::default())
    }

    #[tokio::test]
    async fn each_object_is_an_event_with_its_identity_and_name_in_order() {
        let got = events(vec!["b", "a", "c"], None, false, 100).await;
        let ids: Vec<String> = got.iter().map(id_of).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        assert_eq!(got[1].display_name, "Thing a");
        assert!(got
            .iter()
            .all(|e| e.resource_object.is_none() && e.diagnostic.is_empty()));
        // The limit is Terraform's.
        assert_eq!(events(vec!["b", "a", "c"], None, false, 2).await.len(), 2);
        assert!(events(vec!["b"], None, false, 0).await.is_empty());
    }

    #[tokio::test]
    async fn the_resource_object_is_what_an_import_then_a_read_produce() {
        let got = events(vec!["a", "gone", "c"], None, true, 100).await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            object(&got[0]),
            Some(Thing {
                id: Value::Value("a".into()),
                name: Value::Value("read a".into()),
            })
        );
        // Deleted between the listing and the read: a warning, no result.
        assert!(got[1].identity.is_none());
        assert_eq!(got[1].diagnostic[0].summary, "Thing gone is gone");
        assert_eq!(id_of(&got[2]), "c");
        // A failed read ends the stream with its error.
        let got = events(vec!["a", "broken", "c"], None, true, 100).await;
        assert_eq!(got.len(), 2);
        assert!(got[1].identity.is_none());
        assert_eq!(got[1].diagnostic[0].summary, "Cannot read the thing");
    }

    #[tokio::test]
    async fn an_invalid_config_is_one_error_event_and_nothing_is_listed() {
        let got = events(vec!["a"], Some("refuse"), true, 100).await;
        assert_eq!(got.len(), 1);
        assert!(got[0].identity.is_none());
        assert_eq!(got[0].diagnostic[0].summary, "Invalid type");
    }

    #[test]
    fn validation_paths_point_into_the_config_block() {
        let mut diags = Diagnostics::default();
        diags.error("Invalid type", "x", AttributePath::new("type"));
        diags.root_error("Not configured", "y");
        let diags = in_config_block(diags);
        assert_eq!(
            diags.errors[0].attribute,
            AttributePath::new("config").attribute("type")
        );
        assert_eq!(diags.errors[1].attribute, AttributePath::root());
    }
}
