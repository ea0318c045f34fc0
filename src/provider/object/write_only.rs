//! The write-only form of a table's secrets (Terraform 1.11 and later).
//!
//! Every secret row of a table ([`ValueKind::Secret`]: a destination's
//! `secret_key`, an e-mail integration's `smtp_password`) gets two
//! attributes beside it, in the same block, derived here and nowhere
//! declared by hand:
//!
//! - `<secret>_wo`: write-only (flagged in the schema the plugin server
//!   sends, [`schema_paths`]). Its value comes from the configuration only;
//!   every plan and state holds null, so an ephemeral value may feed it.
//! - `<secret>_wo_version`: a number kept in state. The secret is sent on
//!   create, and on update only when the version changes: bumping it sends
//!   the new secret once.
//!
//! Per secret, exactly one form is written: the plain attribute, or the
//! write-only pair ([`validate`], [`plan_checks`]).

use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics};

// The twins' names are part of the state's shape (state.rs).
use super::state::{from_any, AttrValue, ObjectState, Place};
pub use super::state::{twin_names, value_name, version_name};
use crate::api::object::{check_value, Field, ObjectKind, Values};
use crate::plugin::write_only::SchemaPath;

/// The secret rows of a table.
pub fn secrets(kind: &ObjectKind) -> impl Iterator<Item = &'static Field> {
    kind.fields.iter().filter(|f| f.kind.is_secret())
}

/// Every write-only attribute of a table's resource, as schema paths
/// (block, attribute), for the plugin server.
pub fn schema_paths(kind: &ObjectKind) -> Vec<SchemaPath> {
    let mut paths = Vec::new();
    for f in secrets(kind) {
        let blocks = kind.blocks_of(f);
        if blocks.is_empty() {
            paths.push(vec![value_name(f)]);
        }
        for b in blocks {
            paths.push(vec![b.name.to_string(), value_name(f)]);
        }
    }
    paths
}

/// The two forms of one secret in a configuration, plan or state.
struct Forms {
    plain: AttrValue,
    wo: AttrValue,
    version: ValueAny,
}

fn forms(state: &ObjectState, kind: &ObjectKind, secret: &Field) -> Forms {
    Forms {
        plain: state.cell(kind, secret),
        wo: from_any(secret.kind, state.beside(kind, secret, &value_name(secret))),
        version: state.beside(kind, secret, &version_name(secret)).clone(),
    }
}

/// Whether the write-only form of `secret` is written (its value or its
/// version, known or not): the plain one is then not required.
pub fn in_use(state: &ObjectState, kind: &ObjectKind, secret: &Field) -> bool {
    let f = forms(state, kind, secret);
    f.wo != AttrValue::Null || f.version != ValueAny::Null
}

/// Where a diagnostic about a secret's forms points: the block holding it
/// (Terraform quotes the line a path names, and a secret written as a
/// literal must not be quoted); the message names the attribute itself.
fn safe_path(state: &ObjectState, kind: &ObjectKind, secret: &Field) -> AttributePath {
    match state.place(kind, secret) {
        Place::Block(b) => AttributePath::new(b.name).index(0),
        Place::Top | Place::Nowhere => AttributePath::root(),
    }
}

/// The attribute `name` beside `secret`, in words (`s3.secret_key_wo`).
fn named(state: &ObjectState, kind: &ObjectKind, secret: &Field, name: &str) -> String {
    match state.place(kind, secret) {
        Place::Block(b) => format!("{}.{name}", b.name),
        Place::Top | Place::Nowhere => name.to_string(),
    }
}

/// Configuration checks, on known values only (a value from an ephemeral
/// variable may be unknown at `terraform validate`; Terraform validates
/// again once it is known): not both forms, a write-only value with its
/// version, a version with a write-only value, a valid value.
pub fn validate(diags: &mut Diagnostics, kind: &ObjectKind, config: &ObjectState) {
    for secret in secrets(kind) {
        if config.place(kind, secret) == Place::Nowhere {
            continue;
        }
        let f = forms(config, kind, secret);
        let plain = named(config, kind, secret, secret.attr);
        let wo = named(config, kind, secret, &value_name(secret));
        let version = named(config, kind, secret, &version_name(secret));
        let at = safe_path(config, kind, secret);
        let known = |v: &AttrValue| matches!(v, AttrValue::Known(_));
        let version_known = !matches!(f.version, ValueAny::Null | ValueAny::Unknown);
        // A secret of some types only, at the top level (no blocks).
        let type_known = kind
            .discriminator_field()
            .is_some_and(|d| matches!(config.cell(kind, d), AttrValue::Known(_)));
        let code = kind.type_code(&config.inputs(kind));
        if type_known && !secret.applies_to(code) && (known(&f.wo) || version_known) {
            let label = code.map_or_else(String::new, |c| kind.type_label(c));
            diags.error(
                format!("{wo} does not apply when {} = {label:?}", kind.discriminator),
                format!(
                    "{wo} is the write-only form of {plain}, which belongs only to {} {}. Remove {wo} and {version}, or change {}.",
                    kind.discriminator,
                    kind.type_labels(secret),
                    kind.discriminator
                ),
                at.clone(),
            );
            continue;
        }
        if known(&f.plain) && (known(&f.wo) || version_known) {
            diags.error(
                format!("Write either {plain} or {wo}, not both"),
                format!(
                    "{plain} (kept in state) and {wo} with {version} (write-only: never in a plan or state) are two forms of one secret, and both are set. Keep one: to move to the write-only form, remove {plain} and set {wo} and {version}. Nothing was sent."
                ),
                at.clone(),
            );
            continue;
        }
        if known(&f.wo) && f.version == ValueAny::Null {
            diags.error(
                format!("{wo} needs {version}"),
                format!(
                    "{wo} is write-only: Terraform keeps no trace of its value, so the provider sends it when the {} is created and afterwards only when {version} changes. Set {version} (a number, e.g. 1) beside it, and change it whenever the secret changes. Nothing was sent.",
                    kind.title
                ),
                at.clone(),
            );
        }
        if let AttrValue::Known(v) = &f.wo {
            if let Err(e) = check_value(secret, v) {
                let detail = e.replacen(secret.attr, &wo, 1);
                diags.error(format!("Invalid {wo}"), detail, at.clone());
            }
        }
        if let AttrValue::Malformed = f.wo {
            diags.error(
                format!("Invalid {wo}"),
                format!(
                    "{wo} has the wrong type; allowed: {}.",
                    secret.kind.allowed()
                ),
                at,
            );
        }
    }
}

/// Plan checks that need to know whether the object exists (`prior`):
/// a version that asks to send a write-only value the configuration does
/// not hold (on create, or when the version changes). An unknown value is
/// checked again at apply.
pub fn plan_checks(
    diags: &mut Diagnostics,
    kind: &ObjectKind,
    config: &ObjectState,
    prior: Option<&ObjectState>,
) {
    for secret in secrets(kind) {
        if config.place(kind, secret) == Place::Nowhere {
            continue;
        }
        let f = forms(config, kind, secret);
        if f.version == ValueAny::Null
            || f.wo != AttrValue::Null
            || !due(kind, secret, config, prior)
        {
            continue;
        }
        let wo = named(config, kind, secret, &value_name(secret));
        let version = named(config, kind, secret, &version_name(secret));
        diags.error(
            format!("{version} is set but {wo} is null"),
            format!(
                "{} the {} sends {wo}, which is null: there is nothing to send. Give {wo} the secret (for example from an ephemeral variable, `TF_VAR_…`), or leave {version} as it was. Nothing was sent.",
                if prior.is_some() {
                    format!("A changed {version} on")
                } else {
                    "Creating".to_string()
                },
                kind.title
            ),
            safe_path(config, kind, secret),
        );
    }
}

/// Whether the write-only value of `secret` is to be sent: on create, or
/// when its version changes.
fn due(
    kind: &ObjectKind,
    secret: &Field,
    config: &ObjectState,
    prior: Option<&ObjectState>,
) -> bool {
    match prior {
        None => true,
        Some(p) => {
            p.beside(kind, secret, &version_name(secret))
                != config.beside(kind, secret, &version_name(secret))
        }
    }
}

/// Whether an apply would send any write-only value (known or not yet),
/// for the refusals that depend on what travels.
pub fn sends(
    kind: &ObjectKind,
    secret: &Field,
    config: &ObjectState,
    prior: Option<&ObjectState>,
) -> bool {
    config.place(kind, secret) != Place::Nowhere
        && forms(config, kind, secret).wo != AttrValue::Null
        && due(kind, secret, config, prior)
}

/// The write-only values an apply sends, by the secret's attribute, taken
/// from the configuration: on create every one written, on update those
/// whose version changed. `Err` names a value that is due but null or
/// still unknown (nothing is sent then).
pub fn to_send(
    kind: &ObjectKind,
    config: &ObjectState,
    prior: Option<&ObjectState>,
) -> Result<Values, String> {
    let mut out = Values::new();
    for secret in secrets(kind) {
        if config.place(kind, secret) == Place::Nowhere {
            continue;
        }
        let f = forms(config, kind, secret);
        if f.version == ValueAny::Null && f.wo == AttrValue::Null {
            continue;
        }
        if !due(kind, secret, config, prior) {
            continue;
        }
        match f.wo {
            AttrValue::Known(v) if v.text().is_some() => {
                out.insert(secret.attr, v);
            }
            AttrValue::Known(_) | AttrValue::Null | AttrValue::Unknown | AttrValue::Malformed => {
                return Err(format!(
                    "{} is to be sent ({} is set and {}), but the configuration holds no value for it. Nothing was sent. Give it the secret, e.g. from an ephemeral variable.",
                    named(config, kind, secret, &value_name(secret)),
                    named(config, kind, secret, &version_name(secret)),
                    if prior.is_some() { "changed" } else { "the object is new" }
                ));
            }
        }
    }
    Ok(out)
}

/// Nulls every write-only value (what Terraform requires of a plan or a
/// state) and takes each version from `reference` (the plan being applied,
/// or the state being refreshed): the server knows nothing of them.
pub fn settle(state: &mut ObjectState, kind: &ObjectKind, reference: &ObjectState) {
    for secret in secrets(kind) {
        state.set_beside(kind, secret, &value_name(secret), ValueAny::Null);
        let version = version_name(secret);
        // A version belongs to the block it is written in.
        let v = if reference.place(kind, secret) == state.place(kind, secret) {
            reference.beside(kind, secret, &version).clone()
        } else {
            ValueAny::Null
        };
        state.set_beside(kind, secret, &version, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::destination::DESTINATION;
    use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
    use crate::api::object::{Val, OBJECTS};

    fn config(json: &str) -> ObjectState {
        serde_json::from_str(json).expect("a configuration")
    }

    fn errors(json: &str) -> Vec<(String, String, AttributePath)> {
        let mut diags = Diagnostics::default();
        validate(&mut diags, &DESTINATION, &config(json));
        diags
            .errors
            .into_iter()
            .map(|d| (d.summary.to_string(), d.detail.to_string(), d.attribute))
            .collect()
    }

    const S3: &str = r#""bucket": "b", "region": "r", "path": "/p""#;

    #[test]
    fn every_secret_of_every_table_has_its_twins_in_its_block() {
        let paths = schema_paths(&DESTINATION);
        let want: Vec<SchemaPath> = [
            ["ssh", "password_wo"],
            ["s3", "access_key_wo"],
            ["s3", "secret_key_wo"],
        ]
        .iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect();
        assert_eq!(paths, want);
        assert_eq!(
            schema_paths(&NOTIFICATION_INTEGRATION),
            vec![vec!["smtp_password_wo".to_string()]],
            "a table without blocks: beside the secret, at the top"
        );
        for kind in OBJECTS {
            for secret in secrets(kind) {
                for twin in twin_names(secret) {
                    assert!(kind.field(&twin).is_none(), "{}.{twin} is a row", kind.name);
                }
            }
        }
    }

    #[test]
    fn one_form_per_secret_and_a_version_with_the_write_only_value() {
        let ok = [
            format!(r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key": "s"}}]}}"#),
            format!(
                r#"{{"name": "x", "s3": [{{{S3}, "access_key_wo": "a", "access_key_wo_version": 1, "secret_key_wo": "s", "secret_key_wo_version": 3}}]}}"#
            ),
        ];
        for json in &ok {
            assert!(errors(json).is_empty(), "{json}: {:?}", errors(json));
        }
        let both = errors(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key": "s", "secret_key_wo": "s", "secret_key_wo_version": 1}}]}}"#
        ));
        assert_eq!(both.len(), 1, "{both:?}");
        assert!(
            both[0].0.contains("s3.secret_key or s3.secret_key_wo"),
            "{both:?}"
        );
        assert_eq!(both[0].2, AttributePath::new("s3").index(0));
        assert!(!both[0].1.contains("\"s\""), "the value is never quoted");
        let no_version = errors(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": "s"}}]}}"#
        ));
        assert_eq!(no_version.len(), 1, "{no_version:?}");
        assert!(no_version[0]
            .0
            .contains("s3.secret_key_wo needs s3.secret_key_wo_version"));
        let version_with_plain = errors(
            r#"{"name": "x", "ssh": [{"host": "h", "username": "u", "path": "/b", "password": "p", "password_wo_version": 1}]}"#,
        );
        assert_eq!(version_with_plain.len(), 1);
        assert!(version_with_plain[0]
            .0
            .contains("ssh.password or ssh.password_wo"));
        let masked = errors(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": "{}", "secret_key_wo_version": 1}}]}}"#,
            crate::api::object::MASK
        ));
        assert!(
            masked[0]
                .1
                .starts_with("s3.secret_key_wo is JetBackup's mask"),
            "{masked:?}"
        );
    }

    #[test]
    fn a_top_level_twin_applies_to_its_secrets_types_only() {
        let refused = |json: &str| {
            let mut diags = Diagnostics::default();
            validate(&mut diags, &NOTIFICATION_INTEGRATION, &config(json));
            diags.errors
        };
        let e = refused(
            r#"{"name": "n", "type": "syslog", "smtp_password_wo": "p", "smtp_password_wo_version": 1}"#,
        );
        assert!(
            e.len() == 1 && e[0].summary.contains("smtp_password_wo does not apply"),
            "{e:?}"
        );
    }

    #[test]
    fn the_value_is_sent_on_create_and_when_the_version_changes() {
        let with = |version: i64| {
            config(&format!(
                r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": "s{version}", "secret_key_wo_version": {version}}}]}}"#
            ))
        };
        let secret = |v: &Values| v.get("secret_key").cloned();
        assert_eq!(
            to_send(&DESTINATION, &with(1), None).map(|v| secret(&v)),
            Ok(Some(Val::Text("s1".into())))
        );
        assert_eq!(
            to_send(&DESTINATION, &with(1), Some(&with(1))).map(|v| secret(&v)),
            Ok(None),
            "an unchanged version sends nothing"
        );
        assert_eq!(
            to_send(&DESTINATION, &with(2), Some(&with(1))).map(|v| secret(&v)),
            Ok(Some(Val::Text("s2".into())))
        );
        // Due but null: refused, naming the attribute, nothing sent.
        let null = config(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": null, "secret_key_wo_version": 2}}]}}"#
        ));
        let e = to_send(&DESTINATION, &null, Some(&with(1))).unwrap_err();
        assert!(e.contains("s3.secret_key_wo"), "{e}");
        // Null with the version unchanged: the secret stays as it is.
        assert_eq!(
            to_send(
                &DESTINATION,
                &config(&format!(
                    r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": null, "secret_key_wo_version": 1}}]}}"#
                )),
                Some(&with(1))
            ),
            Ok(Values::new())
        );
        let mut diags = Diagnostics::default();
        plan_checks(&mut diags, &DESTINATION, &null, None);
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0]
            .summary
            .contains("s3.secret_key_wo_version is set but s3.secret_key_wo is null"));
    }

    /// What the plugin server sends and refuses for this provider: the
    /// twins flagged write-only (and only they), and a configuration
    /// setting one refused when the CLI does not announce support.
    #[tokio::test]
    async fn the_served_schema_flags_the_twins_and_old_clis_are_refused() {
        use crate::plugin::proto::tfplugin6 as tf;
        use crate::plugin::service::Service;
        use tf::provider_server::Provider as _;
        use tonic::Request;

        let service = Service::new(
            "jetbackup",
            crate::provider::JetBackupProvider::default(),
            || {},
        );
        let schemas = service
            .get_provider_schema(Request::new(tf::get_provider_schema::Request {}))
            .await
            .expect("schemas")
            .into_inner();
        assert!(schemas.diagnostics.is_empty(), "{:?}", schemas.diagnostics);
        let mut flagged = Vec::new();
        for (name, schema) in &schemas.resource_schemas {
            let block = schema.block.as_ref().expect("block");
            let nested = block
                .block_types
                .iter()
                .filter_map(|b| b.block.as_ref().map(|x| (format!("{}.", b.type_name), x)));
            for (prefix, b) in std::iter::once((String::new(), block)).chain(nested) {
                for a in b.attributes.iter().filter(|a| a.write_only) {
                    assert!(!a.computed && a.sensitive, "{name}: {}", a.name);
                    flagged.push(format!("{name}: {prefix}{}", a.name));
                }
            }
        }
        flagged.sort();
        assert_eq!(
            flagged,
            [
                "jetbackup_destination: s3.access_key_wo",
                "jetbackup_destination: s3.secret_key_wo",
                "jetbackup_destination: ssh.password_wo",
                "jetbackup_notification_integration: smtp_password_wo",
            ]
        );

        let set = config(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": "s", "secret_key_wo_version": 1}}]}}"#
        ));
        let validate = |allowed: Option<bool>| {
            let value = crate::plugin::value::Dynamic::encode(&mut Diagnostics::default(), &set)
                .expect("encodes");
            let request = tf::validate_resource_config::Request {
                type_name: "jetbackup_destination".into(),
                config: Some(value.into()),
                client_capabilities: allowed.map(|a| tf::ClientCapabilities {
                    deferral_allowed: false,
                    write_only_attributes_allowed: a,
                }),
            };
            service.validate_resource_config(Request::new(request))
        };
        for old_cli in [None, Some(false)] {
            let refused = validate(old_cli).await.expect("answer").into_inner();
            assert!(
                refused.diagnostics.len() == 1
                    && refused.diagnostics[0].summary.contains("Terraform 1.11"),
                "{:?}",
                refused.diagnostics
            );
        }
        let accepted = validate(Some(true)).await.expect("answer").into_inner();
        assert!(
            accepted.diagnostics.is_empty(),
            "{:?}",
            accepted.diagnostics
        );
    }

    #[test]
    fn plans_and_states_hold_null_values_and_the_planned_versions() {
        let planned = config(&format!(
            r#"{{"name": "x", "s3": [{{{S3}, "access_key": "a", "secret_key_wo": "s", "secret_key_wo_version": 4}}]}}"#
        ));
        let mut state = planned.clone();
        settle(&mut state, &DESTINATION, &planned);
        let secret = DESTINATION.field("secret_key").expect("row");
        assert_eq!(
            *state.beside(&DESTINATION, secret, "secret_key_wo"),
            ValueAny::Null
        );
        assert_eq!(
            *state.beside(&DESTINATION, secret, "secret_key_wo_version"),
            ValueAny::Number(4)
        );
    }
}
