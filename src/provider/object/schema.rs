//! Schema and plan-time validation of a table-described resource, derived
//! from its [`ObjectKind`]: the Terraform type from the field's kind, the
//! constraint from its role, the description from its doc, allowed values
//! and types, and every check from [`check_value`] and the type rules.

use crate::api::table::Role;
use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, NestedBlock, Schema};
use tf_provider::{AttributePath, Diagnostics};

use super::state::{place_for_code, AttrValue, ObjectState, Place, ID};
use super::write_only;
use crate::api::object::{check_value, Field, ObjectKind, ValueKind};
use crate::provider::number;
use crate::provider::schema_build::{self, attr, block, id_attribute};

/// Version of every table-described resource's schema (they are new; bump
/// with a state upgrader when an existing attribute changes).
pub const SCHEMA_VERSION: i64 = 1;

/// The Terraform type of a field's values (resource and data sources alike).
pub fn attr_type(kind: ValueKind) -> AttributeType {
    let scalar = if kind.is_bool() {
        AttributeType::Bool
    } else if kind.is_numeric() {
        AttributeType::Number
    } else {
        AttributeType::String
    };
    if kind.is_set() {
        AttributeType::Set(Box::new(scalar))
    } else {
        scalar
    }
}

fn constraint(kind: &ObjectKind, field: &Field) -> AttributeConstraint {
    if !kind.blocks.is_empty() && field.attr == kind.discriminator {
        // Chosen by the block written.
        return AttributeConstraint::Computed;
    }
    if field.role == Role::Required && !field.types.is_empty() {
        // Required for some types only: this provider says which.
        return AttributeConstraint::Optional;
    }
    schema_build::constraint(field.role)
}

fn attribute(kind: &ObjectKind, field: &Field) -> Attribute {
    Attribute {
        sensitive: field.kind.is_secret(),
        ..attr(
            attr_type(field.kind),
            constraint(kind, field),
            describe(kind, field),
        )
    }
}

/// A field's attribute and, for a secret, its write-only twins beside it.
fn attributes(kind: &ObjectKind, field: &Field) -> Vec<(String, Attribute)> {
    let mut out = vec![(field.attr.to_string(), attribute(kind, field))];
    if !field.kind.is_secret() {
        return out;
    }
    let (plain, wo, version) = (
        field.attr,
        write_only::value_name(field),
        write_only::version_name(field),
    );
    out.push((
        wo.clone(),
        Attribute {
            sensitive: true,
            ..attr(
                attr_type(field.kind),
                AttributeConstraint::Optional,
                format!(
                    "The write-only form of `{plain}` (Terraform 1.11 and later): the same secret, never stored in a plan or in the state, so it may come from an ephemeral value (`variable {{ ephemeral = true }}`). Sent when the {} is created, and afterwards only when `{version}` changes. Write either `{plain}`, or this with `{version}`. Allowed: {}.",
                    kind.title,
                    field.kind.allowed()
                ),
            )
        },
    ));
    out.push((
        version.clone(),
        attr(
            AttributeType::Number,
            AttributeConstraint::Optional,
            format!(
                "The version of `{wo}`, kept in state: required with it. Change it (e.g. add 1) whenever the secret changes; the next apply sends `{wo}` once. Unchanged, nothing is sent and `{wo}` may even be null (the secret on the server stays as it is)."
            ),
        ),
    ));
    out
}

/// A field's description: meaning, allowed values, which types it belongs
/// to, its default, replacement and its JetBackup name.
pub fn describe(kind: &ObjectKind, field: &Field) -> String {
    let mut d = field.doc.to_string();
    if field.role.is_input() {
        match field.kind {
            ValueKind::Label(c) | ValueKind::LabelSet(c) => {
                let values = c
                    .iter()
                    .map(|c| format!("`{}` ({}, {})", c.label, c.doc, c.code))
                    .collect::<Vec<_>>()
                    .join(", ");
                d.push_str(&format!(
                    " Allowed values (JetBackup's name and code): {values}."
                ));
            }
            ValueKind::Text
            | ValueKind::Ref(_)
            | ValueKind::Char { .. }
            | ValueKind::Count
            | ValueKind::IntIn(_)
            | ValueKind::TextSet
            | ValueKind::RefSet(_)
            | ValueKind::JoinedSet
            | ValueKind::IntSet { .. }
            | ValueKind::Bool
            | ValueKind::Range { .. }
            | ValueKind::Path
            | ValueKind::Key(_)
            | ValueKind::Secret { .. }
            | ValueKind::Numbered(_)
            | ValueKind::Bitmask(_)
            | ValueKind::Time
            | ValueKind::Paths
            | ValueKind::RefGrid(_)
            | ValueKind::Schedules
            | ValueKind::Monitor => {
                d.push_str(&format!(" Allowed: {}.", field.kind.allowed()));
            }
        }
    }
    // In a block, only a field narrower than its block says which types.
    let narrower = kind
        .blocks_of(field)
        .iter()
        .any(|b| b.types.iter().any(|t| !field.types.contains(t)));
    if !field.types.is_empty() && (kind.blocks.is_empty() || narrower) {
        let need = match field.role {
            Role::Required => "Required for",
            Role::Optional
            | Role::Defaulted(_)
            | Role::ServerDefault(_)
            | Role::ReadOnly { .. } => "Only for",
        };
        d.push_str(&format!(
            " {need} `{}` {}; not allowed for other types.",
            kind.discriminator,
            kind.type_labels(field)
        ));
    } else if !field.types.is_empty() && field.role == Role::Required {
        // Optional to Terraform so that its absence gets this provider's
        // message (which says why a secret is missing after an import).
        if field.kind.is_secret() {
            d.push_str(&format!(
                " Required in this block, unless `{}` is written instead.",
                write_only::value_name(field)
            ));
        } else {
            d.push_str(" Required in this block.");
        }
    }
    if field.kind.is_secret() {
        d.push_str(&format!(
            " To keep it out of the state, write `{}` and `{}` instead.",
            write_only::value_name(field),
            write_only::version_name(field)
        ));
    }
    if field.replace {
        d.push_str(" Changing it replaces the object.");
    }
    let what = if field.role.is_input() {
        "parameter"
    } else {
        "field"
    };
    d.push_str(&format!(" JetBackup {what}: `{}`.", field.wire));
    d
}

pub fn schema(kind: &ObjectKind) -> Schema {
    let mut attributes = HashMap::new();
    attributes.insert(ID.to_string(), id_attribute(kind.title));
    for field in kind.fields {
        if place_for_code(kind, field, None) == Place::Top {
            attributes.extend(self::attributes(kind, field));
        }
    }
    let mut blocks = HashMap::new();
    for b in kind.blocks {
        let inner = kind
            .fields
            .iter()
            .filter(|f| kind.blocks_of(f).iter().any(|x| x.name == b.name))
            .flat_map(|f| self::attributes(kind, f))
            .collect();
        let others: Vec<String> = kind
            .blocks
            .iter()
            .filter(|x| x.name != b.name)
            .map(|x| format!("`{}`", x.name))
            .collect();
        let doc = format!(
            "{} Write exactly one of this and {}; changing which one replaces the {}.",
            b.doc,
            others.join(", "),
            kind.title
        );
        blocks.insert(
            b.name.to_string(),
            NestedBlock::Optional(block(SCHEMA_VERSION, doc, inner, HashMap::new())),
        );
    }
    schema_build::schema(block(
        SCHEMA_VERSION,
        kind.doc.to_string(),
        attributes,
        blocks,
    ))
}

/// Plan-time validation. Unknown values are skipped (checked again once
/// known). Errors point at the attribute and say what is allowed.
pub fn validate(diags: &mut Diagnostics, kind: &ObjectKind, config: &ObjectState) {
    for n in &config.1 {
        let allowed = kind
            .field(n.attr())
            .map_or_else(|| "a whole number".to_string(), |f| f.kind.allowed());
        let (summary, detail, path) = number::refusal(n, &allowed);
        diags.error(summary, detail, path);
    }
    if *config.raw(ID) != tf_provider::value::ValueAny::Null {
        diags.error(
            "id is read-only",
            format!("The {}'s id is set by JetBackup; remove it from the configuration (use an import block to adopt an existing {}).", kind.title, kind.title),
            AttributePath::new(ID),
        );
    }
    let disc = kind.discriminator_field();
    if !kind.blocks.is_empty() {
        validate_blocks(diags, kind, config);
    }
    let type_cell = disc.map_or(AttrValue::Unknown, |d| config.cell(kind, d));
    let type_known = matches!(type_cell, AttrValue::Known(_));
    let code = known_type(kind, config);
    let (type_word, how) = if kind.blocks.is_empty() {
        (
            kind.discriminator.to_string(),
            format!("change {}", kind.discriminator),
        )
    } else {
        (
            "the type".to_string(),
            "write the block of that type".to_string(),
        )
    };
    for field in kind.fields {
        let path = config.path(kind, field);
        if !kind.blocks.is_empty() && field.attr == kind.discriminator {
            continue;
        }
        let cell = config.cell(kind, field);
        if !field.role.is_input() {
            if cell != AttrValue::Null {
                diags.error(
                    format!("{} is read-only", field.attr),
                    format!("{} is reported by JetBackup and cannot be set; remove it from the configuration.", field.attr),
                    path,
                );
            }
            continue;
        }
        match &cell {
            AttrValue::Known(v) => {
                if let Err(e) = check_value(field, v) {
                    diags.error(format!("Invalid {}", field.attr), e, path.clone());
                    continue;
                }
            }
            AttrValue::Malformed => {
                diags.error(
                    format!("Invalid {}", field.attr),
                    format!(
                        "{} has the wrong type; allowed: {}.",
                        field.attr,
                        field.kind.allowed()
                    ),
                    path.clone(),
                );
                continue;
            }
            AttrValue::Null | AttrValue::Unknown => {}
        }
        // Type rules need a known type; a type that failed its own check
        // (code None) is already reported.
        let Some(code) = code.filter(|_| type_known) else {
            continue;
        };
        let applies = field.applies_to(Some(code));
        let label = kind.type_label(code);
        match (&cell, applies) {
            (AttrValue::Known(_) | AttrValue::Unknown, false) => diags.error(
                format!(
                    "{} does not apply when {} = {label:?}",
                    field.attr, kind.discriminator
                ),
                format!(
                    "{} is set, but {type_word} is {label:?}, and {} belongs only to {} {}. Remove it, or {how}.",
                    field.attr,
                    field.attr,
                    kind.discriminator,
                    kind.type_labels(field),
                ),
                path,
            ),
            // A secret is required only to create (see `secrets_to_create`).
            (AttrValue::Null, true) if field.role == Role::Required && !field.kind.is_secret() => {
                diags.error(
                    format!(
                        "{} is required when {} = {label:?}",
                        field.attr, kind.discriminator
                    ),
                    format!(
                        "A {} of type {label:?} needs {}: {}.",
                        kind.title,
                        field.attr,
                        field.kind.allowed(),
                    ),
                    path,
                )
            }
            (AttrValue::Null, _) | (AttrValue::Known(_) | AttrValue::Unknown, true) | (AttrValue::Malformed, _) => {}
        }
    }
    write_only::validate(diags, kind, config);
}

/// The type code of a configuration whose type is known.
fn known_type(kind: &ObjectKind, config: &ObjectState) -> Option<i64> {
    let disc = kind.discriminator_field()?;
    match config.cell(kind, disc) {
        AttrValue::Known(_) => kind.type_code(&config.inputs(kind)),
        AttrValue::Null | AttrValue::Unknown | AttrValue::Malformed => None,
    }
}

/// The secrets a plan that creates the object (or changes its type) needs.
/// JetBackup never returns a secret and keeps the one it holds when a
/// modify leaves it out, so an existing object whose configuration has it
/// null (an import, a generated configuration) keeps JetBackup's: only a
/// new object, or a new type's secret, must be written. Checked at plan,
/// where the prior state says which it is; nothing has been sent.
pub fn secrets_to_create(diags: &mut Diagnostics, kind: &ObjectKind, config: &ObjectState) {
    let Some(code) = known_type(kind, config) else {
        return;
    };
    let label = kind.type_label(code);
    for field in write_only::secrets(kind) {
        if field.role != Role::Required
            || !field.applies_to(Some(code))
            || config.cell(kind, field) != AttrValue::Null
            || write_only::in_use(config, kind, field)
        {
            continue;
        }
        diags.error(
            format!(
                "{} is required to create a {} of type {label:?}",
                field.attr, kind.title
            ),
            format!(
                "A new {} of type {label:?} needs {}: {}. Write it, e.g. from a sensitive variable, or its write-only form {} with {} (kept out of the state). An existing {} keeps the secret JetBackup holds while this is null; JetBackup never returns it. Nothing was sent.",
                kind.title,
                field.attr,
                field.kind.allowed(),
                write_only::value_name(field),
                write_only::version_name(field),
                kind.title,
            ),
            config.path(kind, field),
        );
    }
}

/// Exactly one type block, the discriminator left to it, and one of each
/// block's `one_of` fields.
fn validate_blocks(diags: &mut Diagnostics, kind: &ObjectKind, config: &ObjectState) {
    let names = kind
        .blocks
        .iter()
        .map(|b| format!("`{}`", b.name))
        .collect::<Vec<_>>()
        .join(", ");
    if *config.raw(kind.discriminator) != tf_provider::value::ValueAny::Null {
        diags.error(
            format!("{} is read-only", kind.discriminator),
            format!("A {}'s {} follows from the block written ({names}); remove it from the configuration.", kind.title, kind.discriminator),
            AttributePath::new(kind.discriminator),
        );
    }
    if config.blocks_unknown(kind) {
        return;
    }
    let written = config.written_blocks(kind);
    match written.as_slice() {
        [] => diags.root_error(
            format!("A {} needs a type block", kind.title),
            format!(
                "Write exactly one of the blocks {names}: it chooses the {}'s type.",
                kind.title
            ),
        ),
        [first, rest @ ..] => {
            for b in rest {
                diags.error(
                    format!("Only one type block is allowed in a {}", kind.title),
                    format!(
                        "Both `{}` and `{}` are written; a {} has one type. Keep one of {names}.",
                        first.name, b.name, kind.title
                    ),
                    AttributePath::new(b.name),
                );
            }
            // A secret's write-only form counts as written.
            let unset = |attr: &&str| {
                kind.field(attr).is_some_and(|f| {
                    config.cell(kind, f) == AttrValue::Null
                        && !(f.kind.is_secret() && write_only::in_use(config, kind, f))
                })
            };
            if !first.one_of.is_empty() && first.one_of.iter().all(unset) {
                diags.error(
                    format!(
                        "The {} block needs one of {}",
                        first.name,
                        first.one_of.join(", ")
                    ),
                    format!(
                        "A `{}` block needs at least one of: {} (a secret may be written in its write-only form, `<name>_wo`).",
                        first.name,
                        first.one_of.join(", ")
                    ),
                    AttributePath::new(first.name).index(0),
                );
            }
        }
    }
}

/// The attribute a server message is about (`'type_data'` → the field of
/// that wire name that applies to `code`), else the resource itself.
pub fn attribute_for_message(kind: &ObjectKind, code: Option<i64>, message: &str) -> AttributePath {
    let lower = message.to_ascii_lowercase();
    kind.fields
        .iter()
        .filter(|f| f.role.is_input() && f.applies_to(code))
        .find(|f| {
            lower.contains(&format!("'{}'", f.wire)) || lower.contains(&format!("'{}[", f.wire))
        })
        .map_or_else(AttributePath::root, |f| {
            place_for_code(kind, f, code).path(f)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::destination::DESTINATION;
    use crate::api::object::schedule::SCHEDULE;

    fn refusals(kind: &ObjectKind, json: &str) -> Vec<(String, String, AttributePath)> {
        let config: ObjectState = serde_json::from_str(json).expect("a configuration");
        let mut diags = Diagnostics::default();
        validate(&mut diags, kind, &config);
        diags
            .errors
            .into_iter()
            .map(|d| (d.summary.to_string(), d.detail.to_string(), d.attribute))
            .collect()
    }

    #[test]
    fn numbers_not_whole_are_refused_on_their_attribute_with_what_it_takes() {
        for (kind, json, path, allowed) in [
            (
                &DESTINATION,
                r#"{"name": "d", "threads": 1.5, "local": [{"path": "/b"}]}"#,
                AttributePath::new("threads"),
                "an integer from 1 to 400",
            ),
            (
                &DESTINATION,
                r#"{"name": "d", "ssh": [{"path": "/b", "host": "h", "port": 1e30}]}"#,
                AttributePath::new("ssh").attribute("port"),
                "an integer from 1 to 65535",
            ),
            (
                &SCHEDULE,
                r#"{"name": "s", "type": "hourly", "every_hours": 2.5}"#,
                AttributePath::new("every_hours"),
                "1, 2",
            ),
        ] {
            let got = refusals(kind, json);
            let on_attr: Vec<_> = got.iter().filter(|(_, _, at)| *at == path).collect();
            assert_eq!(on_attr.len(), 1, "{json}: {got:?}");
            assert!(on_attr[0].1.contains(allowed), "{json}: {}", on_attr[0].1);
        }
    }

    #[test]
    fn a_secret_is_required_to_create_not_to_keep() {
        let s3 = r#"{"name": "d", "s3": [{"path": "/p", "bucket": "b", "region": "r"}]}"#;
        // Validation (no prior state) leaves a null secret to the plan.
        assert!(
            refusals(&DESTINATION, s3).is_empty(),
            "{:?}",
            refusals(&DESTINATION, s3)
        );
        let config: ObjectState = serde_json::from_str(s3).expect("a configuration");
        let mut diags = Diagnostics::default();
        secrets_to_create(&mut diags, &DESTINATION, &config);
        let missing: Vec<_> = diags.errors.iter().map(|d| d.summary.to_string()).collect();
        assert_eq!(
            missing,
            [
                "access_key is required to create a destination of type \"S3\"",
                "secret_key is required to create a destination of type \"S3\"",
            ],
            "{missing:?}"
        );
        // Written, or in the write-only form: nothing is missing.
        for written in [
            r#"{"name": "d", "s3": [{"path": "/p", "bucket": "b", "region": "r", "access_key": "a", "secret_key": "s"}]}"#,
            r#"{"name": "d", "s3": [{"path": "/p", "bucket": "b", "region": "r", "access_key_wo": "a", "access_key_wo_version": 1, "secret_key_wo": "s", "secret_key_wo_version": 1}]}"#,
        ] {
            let config: ObjectState = serde_json::from_str(written).expect("a configuration");
            let mut diags = Diagnostics::default();
            secrets_to_create(&mut diags, &DESTINATION, &config);
            assert!(diags.errors.is_empty(), "{written}: {:?}", diags.errors);
        }
    }

    #[test]
    fn counts_beyond_what_json_keeps_exact_are_refused() {
        let json = format!(
            r#"{{"name": "d", "local": [{{"path": "/b", "engine": "legacy_rsync", "rsync_bandwidth_limit": {}}}]}}"#,
            i64::MAX
        );
        let got = refusals(&DESTINATION, &json);
        assert!(
            got.iter()
                .any(|(s, d, _)| s.contains("rsync_bandwidth_limit")
                    && d.contains(&crate::api::object::COUNT_MAX.to_string())),
            "{got:?}"
        );
    }
}
