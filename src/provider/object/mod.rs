//! Resources described by a table ([`crate::api::object`]): one generic
//! lifecycle serves every [`ObjectKind`]. Plan fills defaults and marks what
//! the server will report; create/update send [`encode`]'s request and
//! record the object the reply carries; read drops an object the server no
//! longer has; delete leaves the state alone when JetBackup refuses (an
//! object still in use).

pub mod schema;
#[cfg(test)]
pub mod schema_text;
pub mod state;
pub mod write_only;

use crate::api::table::{Fixed, Role};
use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::plugin::ResourceServer;

use super::lifecycle;
use super::location::{self, Private};
use super::ProviderHandle;
use crate::api::client::decode_object;
use crate::api::lenient::value_to_string;
use crate::api::object::{encode, keep_secrets, ObjectKind, Target, Val, Values, OBJECTS};
use crate::api::{ApiError, Client};
use state::{to_any, AttrValue, ObjectState, Place, ID};

/// Every table-described resource, by Terraform name (`schedule`).
pub fn resources(provider: &ProviderHandle) -> Vec<(String, Box<dyn ResourceServer>)> {
    OBJECTS
        .iter()
        .map(|kind| {
            let r: Box<dyn ResourceServer> = Box::new(ObjectResource::new(kind, provider.clone()));
            (kind.name.to_string(), r)
        })
        .collect()
}

pub struct ObjectResource {
    kind: &'static ObjectKind,
    provider: ProviderHandle,
}

impl ObjectResource {
    pub fn new(kind: &'static ObjectKind, provider: ProviderHandle) -> Self {
        ObjectResource { kind, provider }
    }

    /// Reports an API failure with the server's message, on the attribute
    /// it names.
    fn api_error(&self, diags: &mut Diagnostics, doing: &str, values: &Values, err: &ApiError) {
        let path = err.server_message().map_or_else(AttributePath::root, |m| {
            schema::attribute_for_message(self.kind, self.kind.type_code(values), m)
        });
        diags.error(
            format!("Cannot {doing} the {}", self.kind.title),
            err.to_string(),
            path,
        );
    }

    /// The state of what the server returned, with the secrets it hides
    /// and the write-only versions taken from `reference` (the plan being
    /// applied, or the last state); write-only values null.
    fn readback(&self, id: &str, server: Values, reference: &ObjectState) -> ObjectState {
        let values = keep_secrets(self.kind, server, &reference.inputs(self.kind));
        let mut state = ObjectState::complete(self.kind, Some(id), &values);
        write_only::settle(&mut state, self.kind, reference);
        state
    }

    /// What a create or update sends: the planned inputs, with the
    /// write-only secrets that are due taken from the configuration. `None`
    /// (with the error) when one is due and missing: nothing is sent.
    fn desired(
        &self,
        diags: &mut Diagnostics,
        planned: &ObjectState,
        config: &ObjectState,
        prior: Option<&ObjectState>,
    ) -> Option<Values> {
        let mut desired = planned.inputs(self.kind);
        match write_only::to_send(self.kind, config, prior) {
            Ok(secrets) => {
                desired.extend(secrets);
                Some(desired)
            }
            Err(e) => {
                diags.root_error(format!("Cannot send the {}'s secret", self.kind.title), e);
                None
            }
        }
    }

    fn client_and_id(
        &self,
        diags: &mut Diagnostics,
        state: &ObjectState,
    ) -> Option<(Client, String)> {
        let id = state.id().map(str::to_string);
        lifecycle::client_and_id(&self.provider, diags, self.kind.title, id)
    }

    /// Defaults for unset fields of the planned type; fields of other types
    /// null (a type change leaves no setting of the old type behind). A
    /// field left to the server keeps its recorded value (`prior`), or is
    /// known after apply.
    fn apply_defaults(
        &self,
        planned: &mut ObjectState,
        config: &ObjectState,
        prior: Option<&ObjectState>,
    ) {
        let kind = self.kind;
        let type_cell = kind
            .discriminator_field()
            .map_or(AttrValue::Unknown, |d| planned.cell(kind, d));
        let code = kind.type_code(&planned.inputs(kind));
        let same_type = |prior: &ObjectState| {
            kind.discriminator_field()
                .is_some_and(|d| prior.cell(kind, d) == type_cell)
        };
        for field in kind.fields {
            let from_server = match field.role {
                Role::Defaulted(_) => false,
                Role::ServerDefault(_) => true,
                Role::Required | Role::Optional | Role::ReadOnly { .. } => continue,
            };
            if config.cell(kind, field) != AttrValue::Null {
                continue;
            }
            let v = match (&type_cell, field.applies_to(code), field.role) {
                (AttrValue::Known(_), false, _) => ValueAny::Null,
                (AttrValue::Known(_), true, Role::Defaulted(d)) => to_any(&Fixed::val(d)),
                (AttrValue::Known(_), true, _) if from_server => match prior {
                    Some(p) if same_type(p) => p.field_raw(kind, field).clone(),
                    Some(_) | None => ValueAny::Unknown,
                },
                _ => ValueAny::Unknown,
            };
            planned.set_field(kind, field, v);
        }
        // With type blocks the discriminator is reported, from the block.
        if let (false, Some(d)) = (kind.blocks.is_empty(), kind.discriminator_field()) {
            let v = match planned.cell(kind, d) {
                AttrValue::Known(v) => to_any(&v),
                AttrValue::Null | AttrValue::Unknown | AttrValue::Malformed => ValueAny::Unknown,
            };
            planned.set(d.attr, v);
        }
    }

    /// A write that would put a secret on a command line other local users
    /// can read (`ps`): refused at plan, before anything is sent.
    fn refuse_secrets_on_command_line(
        &self,
        diags: &mut Diagnostics,
        planned: &ObjectState,
        config: &ObjectState,
        prior: Option<&ObjectState>,
    ) {
        let Some(client) = self.provider.configured_client() else {
            return;
        };
        if !client.parameters_on_command_line() {
            return;
        }
        for field in self.kind.fields.iter().filter(|f| f.kind.is_secret()) {
            let now = planned.field_raw(self.kind, field);
            let sent = (*now != ValueAny::Null
                && prior.is_none_or(|p| p.field_raw(self.kind, field) != now))
                || write_only::sends(self.kind, field, config, prior);
            if sent {
                // On the resource, not the attribute: Terraform would quote
                // the configuration line, secret included.
                diags.root_error(
                    format!("{} cannot be sent over the cli transport", field.attr),
                    format!(
                        "Nothing was sent. The cli transport runs `jetbackup5api -D \"…\"`, which puts every parameter on the command line, where any local user can read it (ps, /proc/PID/cmdline); no JetBackup source shows jetbackup5api reading its data from standard input or a file. Configure the provider with transport = \"http\" (HTTPS to the panel) to write {}.",
                        field.attr
                    ),
                );
            }
        }
    }

    /// On a refused create of a type a plugin provides: whether the server
    /// lists the type, and if not, which plugin to install.
    async fn plugin_hint(&self, client: &Client, values: &Values) -> Option<String> {
        let code = self.kind.type_code(values)?;
        let (package, shown) = self.kind.block_of(code)?.plugin?;
        let key = self.kind.type_label(code);
        let listed = client.destination_types().await.ok()?;
        if listed.contains(&key) {
            return None;
        }
        Some(format!(
            "JetBackup on this server does not list the destination type {key:?} (listDestinationTypes): its plugin is not installed or not enabled. Install JetBackup's \"{shown}\" destination plugin (package \"{package}\"): in JetBackup, Settings › Plugins, or `jetbackup5api -F listPackages -D \"filter={package}\"`, then `-F installPlugin -D \"package_id=<id>\"`, enable it with `-F managePlugin -D \"_id=<plugin id>&disabled=0\"`, restart jetbackup5d, and apply again."
        ))
    }
}

#[async_trait]
impl Resource for ObjectResource {
    type State<'a> = ObjectState;
    type PrivateState<'a> = Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema::schema(self.kind))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        schema::validate(diags, self.kind, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some((client, id)) = self.client_and_id(diags, &state) else {
            return Some((state, private_state));
        };
        let inputs = state.inputs(self.kind);
        let read = self.provider.read_object(&client, self.kind, &id).await;
        let read = read.map(|values| self.readback(&id, values, &state));
        lifecycle::refreshed(
            &self.provider,
            diags,
            self.kind.title,
            &id,
            state,
            private_state,
            read,
            |diags, e| self.api_error(diags, "read", &inputs, e),
        )
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let mut planned = ObjectState::complete(self.kind, None, &Values::new());
        planned.0.extend(proposed_state.0);
        self.apply_defaults(&mut planned, &config_state, None);
        planned.set(ID, ValueAny::Unknown);
        for field in self.kind.fields.iter().filter(|f| !f.role.is_input()) {
            planned.set_field(self.kind, field, ValueAny::Unknown);
        }
        write_only::settle(&mut planned, self.kind, &config_state);
        write_only::plan_checks(diags, self.kind, &config_state, None);
        // Also a replacement's: Terraform plans it again as a create (a
        // type change replaces every kind that has secrets).
        schema::secrets_to_create(diags, self.kind, &config_state);
        self.refuse_secrets_on_command_line(diags, &planned, &config_state, None);
        Some((planned, None))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let kind = self.kind;
        let mut planned = proposed_state;
        self.apply_defaults(&mut planned, &config_state, Some(&prior_state));
        planned.set(ID, prior_state.raw(ID).clone());
        write_only::settle(&mut planned, kind, &config_state);
        write_only::plan_checks(diags, kind, &config_state, Some(&prior_state));
        let mut replace = Vec::new();
        for field in kind.fields {
            match field.role {
                Role::ReadOnly { moves_with } => {
                    // Unknown only when something it follows changes: a
                    // rotated secret moves no count, owner or usage.
                    let v = if state::moves(kind, moves_with, &planned, &prior_state) {
                        ValueAny::Unknown
                    } else {
                        prior_state.field_raw(kind, field).clone()
                    };
                    planned.set_field(kind, field, v);
                }
                Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => {
                    let differs = planned.cell(kind, field) != prior_state.cell(kind, field);
                    // A field of a block no longer written: the block's
                    // change (the type) says it.
                    let here = planned.place(kind, field) != Place::Nowhere;
                    if field.replace && differs && here {
                        replace.push(
                            if kind.blocks.is_empty() || field.attr != kind.discriminator {
                                planned.path(kind, field)
                            } else {
                                // The type follows from the block written.
                                planned.written_blocks(kind).first().map_or_else(
                                    || AttributePath::new(field.attr),
                                    |b| AttributePath::new(b.name),
                                )
                            },
                        );
                    }
                }
            }
        }
        if replace.is_empty() {
            self.refuse_secrets_on_command_line(diags, &planned, &config_state, Some(&prior_state));
        }
        Some((planned, prior_private_state, replace))
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
        planned_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let desired = self.desired(diags, &planned_state, &config_state, None)?;
        let client = self.provider.client(diags)?;
        match self
            .provider
            .unmanaged_object_named(&client, self.kind, &desired)
            .await
        {
            Ok(None) => {}
            Ok(Some(existing)) => {
                let name = match desired.get("name") {
                    Some(Val::Text(n)) => n.as_str(),
                    _ => "",
                };
                let article = article(self.kind.title, "A", "An");
                diags.error(
                    format!(
                        "{article} {} with this name already exists",
                        self.kind.title
                    ),
                    already_exists(self.kind.title, name, &existing),
                    AttributePath::new("name"),
                );
                return None;
            }
            Err(e) => {
                diags.root_error(
                    format!(
                        "Cannot check for a {} with the same name; nothing was created",
                        self.kind.title
                    ),
                    e.to_string(),
                );
                return None;
            }
        }
        let here = location::at(self.provider.server());
        let result = client.create_object(self.kind, &desired).await;
        self.provider.invalidate_reads();
        let data = match result {
            Ok(data) => data,
            Err(e) => {
                self.api_error(diags, "create", &desired, &e);
                if let ApiError::Refused { .. } = e {
                    if let Some(hint) = self.plugin_hint(&client, &desired).await {
                        diags.root_error("A JetBackup plugin is missing", hint);
                    }
                }
                return None;
            }
        };
        let e = match decode_object(self.kind.manage, self.kind, &data) {
            Ok((id, values)) => {
                return Some((self.readback(&id, values, &planned_state), here));
            }
            Err(e) => e,
        };
        // Created, but the reply is not the object: read it by its ID, and
        // if that fails too, record it anyway (Terraform taints it) rather
        // than lose track of it.
        let Some(id) = data.get("_id").and_then(value_to_string) else {
            self.api_error(diags, "create", &desired, &e);
            diags.root_error_short(format!(
                "{} reported success without the new {}'s _id: it may exist on the server; find it with {} and import it.",
                self.kind.manage, self.kind.title, self.kind.list
            ));
            return None;
        };
        match client.get_object(self.kind, &id).await {
            Ok(values) => Some((self.readback(&id, values, &planned_state), here)),
            Err(e) => {
                self.api_error(diags, "read back the created", &desired, &e);
                let mut recorded = planned_state.without_unknowns();
                recorded.set(ID, ValueAny::String(id));
                Some((recorded, here))
            }
        }
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some((client, id)) = self.client_and_id(diags, &prior_state) else {
            return Some((prior_state, planned_private_state));
        };
        let Some(desired) = self.desired(diags, &planned_state, &config_state, Some(&prior_state))
        else {
            return Some((prior_state, planned_private_state));
        };
        let prior = prior_state.inputs(self.kind);
        let params = encode(
            self.kind,
            &desired,
            Target::Modify {
                id: &id,
                prior: &prior,
            },
        );
        // `action` and `_id` alone: nothing to send, only read back.
        let result = if params.len() <= 2 {
            client.get_object(self.kind, &id).await
        } else {
            let r = client.modify_object(self.kind, &params).await;
            self.provider.invalidate_reads();
            r.and_then(|data| decode_object(self.kind.manage, self.kind, &data))
                .map(|(_, values)| values)
        };
        let result = result.map(|values| self.readback(&id, values, &planned_state));
        // Refused: the server still holds the prior object.
        lifecycle::updated(
            &self.provider,
            diags,
            result,
            prior_state.without_unknowns(),
            planned_private_state,
            |diags, e| self.api_error(diags, "update", &desired, e),
        )
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let (client, id) = self.client_and_id(diags, &prior_state)?;
        let result = client.delete_object(self.kind, &id).await;
        lifecycle::deleted(&self.provider, diags, result, |diags, e| {
            self.api_error(diags, "delete", &prior_state.inputs(self.kind), e)
        })
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let id = lifecycle::import_id(diags, id, |id| {
            format!(
                "{id:?} is not a JetBackup {} ID: expected its _id, 24 hexadecimal digits (e.g. \"6503f0a0ebbf07708d06f201\").",
                self.kind.title
            )
        })?;
        Some((
            ObjectState::complete(self.kind, Some(&id), &Values::new()),
            location::at(self.provider.server()),
        ))
    }
}

/// The refusal to create a second object with the name of one the server
/// has and this run does not manage, with the ways out.
pub fn already_exists(title: &str, name: &str, id: &str) -> String {
    let article = article(title, "a", "an");
    format!(
        "JetBackup already has {article} {title} named {name:?} (ID {id}) that this Terraform state does not manage; nothing was created. \
It is most likely one an interrupted apply created before Terraform could record it, or this configuration is pointed at another server than the one it was applied to (check the provider's `endpoint`). \
To adopt it, import it into the resource named in this error: `terraform import <resource address> {id}`, or add \
`import {{ to = <resource address>  id = \"{id}\" }}` to the configuration, then apply again. \
If it is another {title}, rename one of them, or set allow_duplicate_names = true (JETBACKUP_ALLOW_DUPLICATE_NAMES) in the provider to allow objects that share a name."
    )
}

/// `a` or `an` before `word`.
fn article<'a>(word: &str, a: &'a str, an: &'a str) -> &'a str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        an
    } else {
        a
    }
}
