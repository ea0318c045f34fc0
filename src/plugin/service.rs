//! The tfplugin6 `Provider` service: each RPC decodes its request, calls the
//! provider, resource or data source through [`super::dispatch`], and
//! answers with its diagnostics.
//!
//! Protocol 6.10, what Terraform 1.14 and 1.15 speak. Older CLIs (1.11)
//! call only the RPCs and read only the fields they know; nothing here
//! depends on a newer one being present. Resource identity comes from
//! [`super::identity`], list resources from [`super::list`], actions from
//! [`super::action`]; functions are served as empty: no functions, so
//! Terraform never asks for one; if it did, the answer says there is none.

use std::collections::HashMap;
use std::pin::Pin;

use futures_util::Stream;
use tf_provider::schema::Schema;
use tf_provider::Diagnostics;
use tonic::{Request, Response, Status};

use super::action::Actions;
use super::convert::{diagnostics, schema};
use super::dispatch::{settled, DataSourceServer, ProviderServer, ResourceServer};
use super::identity::{self, Identities};
use super::list::Lists;
use super::proto::tfplugin6 as tf;
use super::served::Served;
use super::value::{or_null, Dynamic};
use super::write_only::{self, SchemaPath};

type Reply<T> = Result<Response<T>, Status>;
type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// The provider's types, registered under their Terraform names
/// (`jetbackup_backup_job`), each with the schema read once at start.
pub struct Service {
    provider: Box<dyn ProviderServer>,
    provider_schema: Option<Schema>,
    meta_schema: Option<Schema>,
    resources: Served<Box<dyn ResourceServer>>,
    data_sources: Served<Box<dyn DataSourceServer>>,
    actions: Actions,
    /// The write-only attributes of each resource type (by full name).
    write_only: HashMap<String, Vec<SchemaPath>>,
    identities: Identities,
    lists: Lists,
    /// Schema errors, returned with the schema (Terraform stops there).
    schema_diags: Diagnostics,
    on_stop: Box<dyn Fn() + Send + Sync>,
}

impl Service {
    /// `name` is the provider's name, the prefix of its type names;
    /// `on_stop` runs when Terraform sends `StopProvider`.
    pub fn new(
        name: &str,
        provider: impl ProviderServer,
        on_stop: impl Fn() + Send + Sync + 'static,
    ) -> Service {
        let mut diags = Diagnostics::default();
        let provider_schema = provider.schema(&mut diags);
        let meta_schema = provider.meta_schema(&mut diags);
        let mut write_only_paths = HashMap::new();
        let resources = Served::new(
            name,
            "resource type",
            provider.resources(),
            |short, r, diags| {
                let s = r.schema(diags)?;
                let full = format!("{name}_{short}");
                let paths = provider.write_only_attributes(short);
                write_only::check(diags, &full, &s, &paths);
                write_only_paths.insert(full, paths);
                Some(s)
            },
            &mut diags,
        );
        let data_sources = Served::new(
            name,
            "data source",
            provider.data_sources(),
            |_, d, diags| d.schema(diags),
            &mut diags,
        );
        let actions = Actions::new(name, provider.actions(), &mut diags);
        let identities: Identities = resources
            .iter()
            .filter_map(|(n, r, s)| Some((n.clone(), r.identity_schema(s)?)))
            .collect();
        let lists = Lists::new(name, &provider, &identities, &mut diags);
        Service {
            actions,
            provider: Box::new(provider),
            provider_schema,
            meta_schema,
            resources,
            data_sources,
            write_only: write_only_paths,
            identities,
            lists,
            schema_diags: diags,
            on_stop: Box::new(on_stop),
        }
    }

    fn write_only(&self, type_name: &str) -> &[SchemaPath] {
        self.write_only.get(type_name).map_or(&[], Vec::as_slice)
    }

    /// The identity of a state of `type_name` ([`identity::of_state`]).
    fn identity_of(
        &self,
        diags: &mut Diagnostics,
        type_name: &str,
        state: Option<&Dynamic>,
    ) -> Option<tf::ResourceIdentityData> {
        identity::of_state(diags, self.identities.get(type_name), state?)
    }

    fn capabilities() -> tf::ServerCapabilities {
        tf::ServerCapabilities {
            // Our resources plan their destruction (PlanResourceChange with
            // a null proposed state).
            plan_destroy: true,
            get_provider_schema_optional: false,
            move_resource_state: false,
        }
    }
}

#[tonic::async_trait]
impl tf::provider_server::Provider for Service {
    async fn get_metadata(
        &self,
        _: Request<tf::get_metadata::Request>,
    ) -> Reply<tf::get_metadata::Response> {
        use tf::get_metadata::{DataSourceMetadata, ResourceMetadata};
        Ok(Response::new(tf::get_metadata::Response {
            server_capabilities: Some(Service::capabilities()),
            diagnostics: diagnostics(self.schema_diags.clone()),
            data_sources: self
                .data_sources
                .names()
                .map(|n| DataSourceMetadata {
                    type_name: n.clone(),
                })
                .collect(),
            resources: self
                .resources
                .names()
                .map(|n| ResourceMetadata {
                    type_name: n.clone(),
                })
                .collect(),
            functions: Vec::new(),
            ephemeral_resources: Vec::new(),
            list_resources: self.lists.metadata(),
            actions: self.actions.metadata(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<tf::get_provider_schema::Request>,
    ) -> Reply<tf::get_provider_schema::Response> {
        Ok(Response::new(tf::get_provider_schema::Response {
            provider: self.provider_schema.as_ref().map(schema),
            resource_schemas: self
                .resources
                .iter()
                .map(|(n, _, s)| {
                    let mut s = schema(s);
                    write_only::mark(&mut s, self.write_only(n));
                    (n.clone(), s)
                })
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(n, _, s)| (n.clone(), schema(s)))
                .collect(),
            functions: HashMap::new(),
            ephemeral_resource_schemas: HashMap::new(),
            list_resource_schemas: self.lists.schemas(),
            action_schemas: self.actions.schemas(),
            diagnostics: diagnostics(self.schema_diags.clone()),
            provider_meta: self.meta_schema.as_ref().map(schema),
            server_capabilities: Some(Service::capabilities()),
        }))
    }

    async fn validate_provider_config(
        &self,
        request: Request<tf::validate_provider_config::Request>,
    ) -> Reply<tf::validate_provider_config::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let done = self.provider.validate(&mut diags, or_null(r.config)).await;
        settled(&mut diags, done);
        Ok(Response::new(tf::validate_provider_config::Response {
            diagnostics: diagnostics(diags),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<tf::validate_resource_config::Request>,
    ) -> Reply<tf::validate_resource_config::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(resource) = self.resources.get(&mut diags, &r.type_name) {
            let config = or_null(r.config);
            write_only::refuse_without_support(
                &mut diags,
                r.client_capabilities.as_ref(),
                &config,
                self.write_only(&r.type_name),
            );
            let done = resource.validate(&mut diags, config).await;
            settled(&mut diags, done);
        }
        Ok(Response::new(tf::validate_resource_config::Response {
            diagnostics: diagnostics(diags),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<tf::validate_data_resource_config::Request>,
    ) -> Reply<tf::validate_data_resource_config::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(data_source) = self.data_sources.get(&mut diags, &r.type_name) {
            let done = data_source.validate(&mut diags, or_null(r.config)).await;
            settled(&mut diags, done);
        }
        Ok(Response::new(tf::validate_data_resource_config::Response {
            diagnostics: diagnostics(diags),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<tf::upgrade_resource_state::Request>,
    ) -> Reply<tf::upgrade_resource_state::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let upgraded = match (self.resources.find(&r.type_name), r.raw_state) {
            (None, _) => {
                self.resources.get(&mut diags, &r.type_name);
                None
            }
            (Some((resource, s)), Some(raw)) if !raw.json.is_empty() => {
                let up = resource.upgrade(&mut diags, r.version, s.version, raw.json);
                settled(&mut diags, up)
            }
            (Some(_), _) => {
                diags.root_error(
                    "This state is in Terraform's legacy format",
                    "The provider reads state written by Terraform 0.12 or later. Re-import the resource.",
                );
                None
            }
        };
        Ok(Response::new(tf::upgrade_resource_state::Response {
            upgraded_state: upgraded.map(Into::into),
            diagnostics: diagnostics(diags),
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<tf::get_resource_identity_schemas::Request>,
    ) -> Reply<tf::get_resource_identity_schemas::Response> {
        Ok(Response::new(tf::get_resource_identity_schemas::Response {
            identity_schemas: self
                .identities
                .iter()
                .map(|(n, i)| (n.clone(), i.to_proto()))
                .collect(),
            diagnostics: Vec::new(),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<tf::upgrade_resource_identity::Request>,
    ) -> Reply<tf::upgrade_resource_identity::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let json = r.raw_identity.map(|raw| raw.json).unwrap_or_default();
        let schema = self.identities.get(&r.type_name);
        let upgraded = identity::upgrade(&mut diags, &r.type_name, schema, r.version, json);
        Ok(Response::new(tf::upgrade_resource_identity::Response {
            upgraded_identity: upgraded,
            diagnostics: diagnostics(diags),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<tf::configure_provider::Request>,
    ) -> Reply<tf::configure_provider::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let done = self
            .provider
            .configure(&mut diags, r.terraform_version, or_null(r.config))
            .await;
        settled(&mut diags, done);
        Ok(Response::new(tf::configure_provider::Response {
            diagnostics: diagnostics(diags),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<tf::read_resource::Request>,
    ) -> Reply<tf::read_resource::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut read = None;
        if let Some(resource) = self.resources.get(&mut diags, &r.type_name) {
            let current = or_null(r.current_state);
            read = resource
                .read(&mut diags, current, r.private, or_null(r.provider_meta))
                .await;
            read = settled(&mut diags, read);
        }
        let (state, private) = read.unzip();
        let identity = self.identity_of(&mut diags, &r.type_name, state.as_ref());
        Ok(Response::new(tf::read_resource::Response {
            new_state: state.map(Into::into),
            diagnostics: diagnostics(diags),
            private: private.unwrap_or_default(),
            new_identity: identity,
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<tf::plan_resource_change::Request>,
    ) -> Reply<tf::plan_resource_change::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut planned = None;
        if let Some(resource) = self.resources.get(&mut diags, &r.type_name) {
            let prior = or_null(r.prior_state);
            let proposed = or_null(r.proposed_new_state);
            let config = or_null(r.config);
            let meta = or_null(r.provider_meta);
            let private = r.prior_private;
            planned = match (prior.is_null(), proposed.is_null()) {
                (false, false) => {
                    resource
                        .plan_update(&mut diags, prior, proposed, config, private, meta)
                        .await
                }
                (true, false) => resource
                    .plan_create(&mut diags, proposed, config, meta)
                    .await
                    .map(|(s, p)| (s, p, Vec::new())),
                (false, true) => resource
                    .plan_destroy(&mut diags, prior, private, meta)
                    .await
                    .map(|p| (Dynamic::null(), p, Vec::new())),
                (true, true) => Some((Dynamic::null(), Vec::new(), Vec::new())),
            };
            planned = settled(&mut diags, planned);
        }
        let identity = self.identity_of(&mut diags, &r.type_name, planned.as_ref().map(|p| &p.0));
        let (state, private, replace) = match planned {
            Some((s, p, replace)) => (Some(s.into()), p, replace),
            None => (None, Vec::new(), Vec::new()),
        };
        Ok(Response::new(tf::plan_resource_change::Response {
            planned_state: state,
            requires_replace: replace
                .into_iter()
                .filter_map(super::convert::attribute_path)
                .collect(),
            planned_private: private,
            diagnostics: diagnostics(diags),
            legacy_type_system: false,
            planned_identity: identity,
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<tf::apply_resource_change::Request>,
    ) -> Reply<tf::apply_resource_change::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut applied = None;
        if let Some(resource) = self.resources.get(&mut diags, &r.type_name) {
            let prior = or_null(r.prior_state);
            let planned = or_null(r.planned_state);
            let config = or_null(r.config);
            let meta = or_null(r.provider_meta);
            let private = r.planned_private;
            applied = match (prior.is_null(), planned.is_null()) {
                (false, false) => {
                    resource
                        .update(&mut diags, prior, planned, config, private, meta)
                        .await
                }
                (true, false) => {
                    resource
                        .create(&mut diags, planned, config, private, meta)
                        .await
                }
                (false, true) => {
                    let kept = prior.clone();
                    match resource
                        .destroy(&mut diags, prior, private.clone(), meta)
                        .await
                    {
                        Some(()) => Some((Dynamic::null(), Vec::new())),
                        // Not destroyed: the object stays in state as it was.
                        None => Some((kept, private)),
                    }
                }
                (true, true) => Some((Dynamic::null(), Vec::new())),
            };
            applied = settled(&mut diags, applied);
        }
        let (state, private) = applied.unzip();
        let identity = self.identity_of(&mut diags, &r.type_name, state.as_ref());
        Ok(Response::new(tf::apply_resource_change::Response {
            new_state: state.map(Into::into),
            private: private.unwrap_or_default(),
            diagnostics: diagnostics(diags),
            legacy_type_system: false,
            new_identity: identity,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<tf::import_resource_state::Request>,
    ) -> Reply<tf::import_resource_state::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut imported = Vec::new();
        if let Some(resource) = self.resources.get(&mut diags, &r.type_name) {
            let id = identity::import_id(&mut diags, &r.type_name, r.id, r.identity);
            let got = match id {
                Some(id) => resource.import(&mut diags, id).await,
                None => None,
            };
            if let Some((state, private)) = settled(&mut diags, got) {
                let identity = self.identity_of(&mut diags, &r.type_name, Some(&state));
                imported.push(tf::import_resource_state::ImportedResource {
                    type_name: r.type_name,
                    state: Some(state.into()),
                    private,
                    identity,
                });
            }
        }
        Ok(Response::new(tf::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: diagnostics(diags),
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<tf::move_resource_state::Request>,
    ) -> Reply<tf::move_resource_state::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        diags.root_error(
            "Moving resources between types is not supported",
            format!(
                "{} cannot take over {} from {}: remove the old resource from state and import the object.",
                r.target_type_name, r.source_type_name, r.source_provider_address
            ),
        );
        Ok(Response::new(tf::move_resource_state::Response {
            target_state: None,
            diagnostics: diagnostics(diags),
            target_private: Vec::new(),
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<tf::read_data_source::Request>,
    ) -> Reply<tf::read_data_source::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut state = None;
        if let Some(data_source) = self.data_sources.get(&mut diags, &r.type_name) {
            let read = data_source
                .read(&mut diags, or_null(r.config), or_null(r.provider_meta))
                .await;
            state = settled(&mut diags, read);
        }
        Ok(Response::new(tf::read_data_source::Response {
            state: state.map(Into::into),
            diagnostics: diagnostics(diags),
        }))
    }

    type ListResourceStream = EventStream<tf::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<tf::list_resource::Request>,
    ) -> Reply<Self::ListResourceStream> {
        let r = request.into_inner();
        let resource = self.resources.find(&r.type_name).map(|(r, _)| r.as_ref());
        let events = self.lists.events(resource, &self.identities, r).await;
        Ok(Response::new(Box::pin(futures_util::stream::iter(
            events.into_iter().map(Ok),
        ))))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<tf::validate_list_resource_config::Request>,
    ) -> Reply<tf::validate_list_resource_config::Response> {
        Ok(Response::new(
            self.lists.validate(request.into_inner()).await,
        ))
    }

    async fn get_functions(
        &self,
        _: Request<tf::get_functions::Request>,
    ) -> Reply<tf::get_functions::Response> {
        Ok(Response::new(tf::get_functions::Response {
            functions: HashMap::new(),
            diagnostics: Vec::new(),
        }))
    }

    async fn call_function(
        &self,
        request: Request<tf::call_function::Request>,
    ) -> Reply<tf::call_function::Response> {
        let r = request.into_inner();
        Ok(Response::new(tf::call_function::Response {
            result: None,
            error: Some(tf::FunctionError {
                text: format!("This provider has no function {}", r.name),
                function_argument: None,
            }),
        }))
    }

    async fn plan_action(
        &self,
        request: Request<tf::plan_action::Request>,
    ) -> Reply<tf::plan_action::Response> {
        Ok(Response::new(self.actions.plan(request.into_inner()).await))
    }

    type InvokeActionStream = EventStream<tf::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<tf::invoke_action::Request>,
    ) -> Reply<Self::InvokeActionStream> {
        Ok(Response::new(self.actions.invoke(request.into_inner())))
    }

    async fn validate_action_config(
        &self,
        request: Request<tf::validate_action_config::Request>,
    ) -> Reply<tf::validate_action_config::Response> {
        Ok(Response::new(
            self.actions.validate(request.into_inner()).await,
        ))
    }

    async fn stop_provider(
        &self,
        _: Request<tf::stop_provider::Request>,
    ) -> Reply<tf::stop_provider::Response> {
        // Operations in flight hear of it and wind down; the server keeps
        // serving until Terraform shuts the plugin down.
        (self.on_stop)();
        Ok(Response::new(tf::stop_provider::Response {
            error: String::new(),
        }))
    }
}
