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
use crate::api::client::decode_object;
use crate::api::lenient::value_to_string;
use crate::api::object::{
    article, bits_for, encode, keep_secrets, Field, ObjectKind, Target, Val, ValueKind, Values,
    OBJECTS,
};
use crate::api::{ApiError, Client};
use crate::provider::handle::ProviderHandle;
use state::{absent, to_any, AttrValue, ObjectState, Place, ID};

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
        readback(self.kind, id, server, reference)
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
            // A field of every type applies whatever the type.
            let applies = match (&type_cell, field.types.is_empty()) {
                (_, true) => Some(true),
                (AttrValue::Known(_), false) => Some(field.applies_to(code)),
                (AttrValue::Null | AttrValue::Unknown | AttrValue::Malformed, false) => None,
            };
            let v = match (applies, field.role) {
                (Some(false), _) => absent(field.kind),
                (Some(true), Role::Defaulted(d)) => to_any(&Fixed::val(d)),
                // A bitmask left out is the type's full value, which is
                // sent: known once the type is.
                (Some(true), _) if from_server && field.kind.is_bitmask() => {
                    type_default(field, code).map_or(ValueAny::Unknown, |v| to_any(&v))
                }
                (Some(true), _) if from_server => match prior {
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

    /// An optional setting removed from the configuration that no write can
    /// clear: a modify that leaves a parameter out keeps JetBackup's value
    /// (INFERRED for objects as for jobs), which the next refresh would
    /// bring back. Refused at plan, on the attribute, before anything is
    /// sent. A kind with a cleared form (`key=`) is cleared instead; a
    /// secret is kept by design (JetBackup never returns it).
    fn refuse_removals_the_server_keeps(
        &self,
        diags: &mut Diagnostics,
        planned: &ObjectState,
        prior: &ObjectState,
        config: &ObjectState,
    ) {
        let kind = self.kind;
        // A type change replaces the object: nothing of the old type stays.
        let code = kind.type_code(&planned.inputs(kind));
        if code != kind.type_code(&prior.inputs(kind)) {
            return;
        }
        for field in kind.fields.iter().filter(|f| {
            f.role == Role::Optional && f.kind.cleared().is_none() && !f.kind.is_secret()
        }) {
            let still_here = field.applies_to(code)
                && planned.place(kind, field) != Place::Nowhere
                && planned.place(kind, field) == prior.place(kind, field);
            let removed = matches!(prior.cell(kind, field), AttrValue::Known(_))
                && config.cell(kind, field) == AttrValue::Null;
            if still_here && removed {
                diags.error(
                    format!("{} cannot be removed from an existing {}", field.attr, kind.title),
                    format!(
                        "JetBackup keeps a setting that a change leaves out, so {} would keep its current value and the next plan would show it again. Nothing was sent. Write the value you want instead; to drop the setting, replace the {} (`terraform apply -replace=...`).",
                        field.attr, kind.title
                    ),
                    planned.path(kind, field),
                );
            }
        }
    }

    /// An update's state keeps every read-only value its plan promised
    /// (known: nothing in the update moves it): a run between that plan and
    /// the update (`last_run`), a schedule firing (`next_run`) or another
    /// object's write (a count) moves the server's, and the next refresh
    /// records it.
    fn keep_planned_reports(&self, applied: &mut ObjectState, planned: &ObjectState) {
        for field in self.kind.fields.iter().filter(|f| !f.role.is_input()) {
            let promised = planned.field_raw(self.kind, field);
            if *promised != ValueAny::Unknown {
                applied.set_field(self.kind, field, promised.clone());
            }
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
        self.refuse_removals_the_server_keeps(diags, &planned, &prior_state, &config_state);
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
                // "A" or "An", at the start of the summary.
                let article = match article(self.kind.title) {
                    "an" => "An",
                    _ => "A",
                };
                diags.error(
                    format!(
                        "{article} {} with this name already exists",
                        self.kind.title
                    ),
                    already_exists(self.kind, name, &existing),
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
            Ok((id, values)) if self.kind.is_complete(&values) => {
                return Some((self.readback(&id, values, &planned_state), here));
            }
            Ok((_, _)) => ApiError::BadResponse {
                function: self.kind.manage.to_string(),
                reason: format!("the reply holds only part of the {}", self.kind.title),
                snippet: String::new(),
            },
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
        let result = result.map(|values| {
            let mut applied = self.readback(&id, values, &planned_state);
            self.keep_planned_reports(&mut applied, &planned_state);
            applied
        });
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
/// The name is cut when it is very long.
pub fn already_exists(kind: &ObjectKind, name: &str, id: &str) -> String {
    let title = kind.title;
    let article = article(title);
    let name = crate::api::quote::cut(name);
    let address = format!(
        "{}_{}.NAME",
        crate::provider::handle::PROVIDER_NAME,
        kind.name
    );
    format!(
        "JetBackup already has {article} {title} named {name:?} (ID {id}) that this Terraform state does not manage; nothing was created. \
It is most likely one an interrupted apply created before Terraform could record it, or this configuration is pointed at another server than the one it was applied to (check the provider's `endpoint`). \
To adopt it, import it into the resource this error is reported for, whose address is on the error's `with` line (written {address} here): `terraform import {address} {id}`, or add \
`import {{ to = {address}  id = \"{id}\" }}` to the configuration, then apply again. \
If it is another {title}, rename one of them, or set allow_duplicate_names = true (JETBACKUP_ALLOW_DUPLICATE_NAMES) in the provider to allow objects that share a name."
    )
}

/// The state of an object as the server returned it, with the secrets it
/// hides and the write-only versions taken from `reference` (the plan being
/// applied, the last state, or an empty state for an object no resource
/// manages); write-only values null.
pub fn readback(
    kind: &ObjectKind,
    id: &str,
    server: Values,
    reference: &ObjectState,
) -> ObjectState {
    let mut values = keep_secrets(kind, server, &reference.inputs(kind));
    // An empty value the server cannot tell from none (an emptied list, a
    // monitor block of zeros: what removing it sends) reads as the
    // reference writes it: left out, or written out empty.
    let ambiguous = |f: &&Field| optional(f) && f.kind.cleared().is_some();
    for field in kind.fields.iter().filter(ambiguous) {
        if values.get(field.attr).is_some_and(Val::is_empty)
            && reference.cell(kind, field) == AttrValue::Null
        {
            values.remove(field.attr);
        }
    }
    let mut state = ObjectState::complete(kind, Some(id), &values);
    // A value equal to the reference's keeps the reference's spelling: the
    // order of a set's elements, and elements that differed while unknown
    // and turned out equal (two filter rows) stay as the plan wrote them.
    for field in kind.fields {
        let (read, wrote) = (state.cell(kind, field), reference.cell(kind, field));
        if matches!(read, AttrValue::Known(_)) && read == wrote {
            state.set_field(kind, field, reference.field_raw(kind, field).clone());
        }
    }
    write_only::settle(&mut state, kind, reference);
    state
}

/// Whether users may leave a field out of an object of its type.
fn optional(field: &Field) -> bool {
    match field.role {
        Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => true,
        Role::Required => !field.types.is_empty() && !field.kind.is_secret(),
        Role::ReadOnly { .. } => false,
    }
}

/// What a bitmask left out stands for: the type's full value.
fn type_default(field: &Field, code: Option<i64>) -> Option<Val> {
    let ValueKind::Bitmask(bits) = field.kind else {
        return None;
    };
    let bits = bits_for(bits, code)?;
    Some(Val::Texts(bits.labels(bits.full)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::backup_job::BACKUP_JOB;

    /// A run after the plan moved the server's `last_run` (or a schedule
    /// firing its `next_run`): the update records what the plan promised;
    /// unknown in the plan, it takes the server's.
    #[test]
    fn an_update_keeps_the_planned_reports() {
        let r = ObjectResource::new(&BACKUP_JOB, ProviderHandle::default());
        let at = |t: ValueAny| {
            let mut s = ObjectState::complete(
                &BACKUP_JOB,
                Some("6504c79fd4b57d536c05bbe2"),
                &Values::new(),
            );
            s.set("last_run", t.clone());
            s.set("next_run", t);
            s
        };
        let server = at(ValueAny::String("2026-08-13T16:45:00+00:00".into()));
        let planned = at(ValueAny::String("2026-08-12T03:50:00+00:00".into()));
        let mut applied = server.clone();
        r.keep_planned_reports(&mut applied, &planned);
        assert!(applied == planned);
        let mut applied = server.clone();
        r.keep_planned_reports(&mut applied, &at(ValueAny::Unknown));
        assert!(applied == server);
        let never = at(ValueAny::Null);
        let mut applied = server;
        r.keep_planned_reports(&mut applied, &never);
        assert!(applied == never);
    }

    /// The refusal prints the name as written (not its Rust debug form),
    /// cuts a runaway one, and gives an import command to copy.
    #[test]
    fn the_duplicate_refusal_names_the_object_plainly_and_how_to_import_it() {
        let id = "6504c79fd4b57d536c05bbe2";
        let text = already_exists(&BACKUP_JOB, "Policy - Accounts", id);
        assert!(
            text.contains("named \"Policy - Accounts\" (ID 6504c79fd4b57d536c05bbe2)"),
            "{text}"
        );
        assert!(
            text.contains("`terraform import jetbackup_backup_job.NAME 6504c79fd4b57d536c05bbe2`"),
            "{text}"
        );
        let text = already_exists(&BACKUP_JOB, &"n".repeat(1 << 20), id);
        assert!(text.len() < 2000, "{} bytes", text.len());
        assert!(text.contains("1048576 characters in all"), "{text}");
    }

    /// Removing a setting no write can clear is refused at plan, on its
    /// attribute, before anything is sent; a changed value is planned.
    #[test]
    fn removing_a_setting_the_server_keeps_is_refused_at_plan() {
        use crate::api::object::destination::DESTINATION;
        let ssh = |key: Option<&str>| {
            let mut v: Values = [
                ("name", Val::Text("offsite".into())),
                ("type", Val::Text("SSH".into())),
                ("path", Val::Text("/backup".into())),
                ("host", Val::Text("h.example.com".into())),
                ("password", Val::Text("pw".into())),
            ]
            .into();
            if let Some(k) = key {
                v.insert("private_key_path", Val::Text(k.into()));
            }
            ObjectState::complete(&DESTINATION, Some("6504c79fd4b57d536c05bbe2"), &v)
        };
        let r = ObjectResource::new(&DESTINATION, ProviderHandle::default());
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let plan = |config: ObjectState| {
            let mut diags = Diagnostics::default();
            let prior = ssh(Some("/root/.ssh/id_ed25519"));
            rt.block_on(Resource::plan_update(
                &r,
                &mut diags,
                prior,
                config.clone(),
                config,
                None,
                ValueEmpty::Null,
            ));
            diags.errors
        };
        let refused = plan(ssh(None));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0]
            .summary
            .contains("private_key_path cannot be removed"));
        assert_eq!(
            refused[0].attribute,
            AttributePath::new("ssh")
                .index(0)
                .attribute("private_key_path")
        );
        assert!(plan(ssh(Some("/root/.ssh/other"))).is_empty());
    }

    /// An emptied list or a monitor block of zeros reads as the plan wrote
    /// it: left out, or written out empty.
    #[test]
    fn an_empty_value_reads_back_as_written() {
        let server: Values = [
            ("exclude_list", Val::Texts(Default::default())),
            (
                "monitor",
                Val::Monitor {
                    ranfor: 0,
                    notran: 0,
                },
            ),
            ("destination", Val::Texts(Default::default())),
        ]
        .into();
        let left_out = ObjectState::complete(&BACKUP_JOB, None, &Values::new());
        let read = readback(
            &BACKUP_JOB,
            "6504c79fd4b57d536c05bbe2",
            server.clone(),
            &left_out,
        );
        assert_eq!(*read.raw("exclude_list"), ValueAny::Null);
        assert_eq!(*read.raw("monitor"), ValueAny::List(Vec::new()));
        // A required set is what it is.
        assert_eq!(*read.raw("destination"), ValueAny::List(Vec::new()));
        let written = ObjectState::complete(&BACKUP_JOB, None, &server);
        let read = readback(&BACKUP_JOB, "6504c79fd4b57d536c05bbe2", server, &written);
        assert_eq!(*read.raw("exclude_list"), ValueAny::List(Vec::new()));
        assert!(matches!(read.raw("monitor"), ValueAny::List(b) if b.len() == 1));
    }
}
