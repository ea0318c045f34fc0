//! Schema and plan-time validation of a table-described resource, derived
//! from its [`ObjectKind`]: the Terraform type from the field's kind, the
//! constraint from its role, the description from its doc, allowed values
//! and types, and every check from [`check_value`] and the type rules.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::{AttributePath, Diagnostics};

use super::state::{Cell, ObjectState, ID};
use crate::api::object::{check_value, Field, Kind, ObjectKind, Role};

/// Version of every table-described resource's schema (they are new; bump
/// with a state upgrader when an existing attribute changes).
pub const SCHEMA_VERSION: i64 = 1;

/// The Terraform type of a field's values (resource and data sources alike).
pub fn attr_type(kind: Kind) -> AttributeType {
    let scalar = if kind.is_numeric() {
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

fn constraint(field: &Field) -> AttributeConstraint {
    match field.role {
        Role::Required if field.types.is_empty() => AttributeConstraint::Required,
        Role::Required | Role::Optional => AttributeConstraint::Optional,
        Role::Defaulted(_) => AttributeConstraint::OptionalComputed,
        Role::ReadOnly { .. } => AttributeConstraint::Computed,
    }
}

/// A field's description: meaning, allowed values, which types it belongs
/// to, its default, replacement and its JetBackup name.
pub fn describe(kind: &ObjectKind, field: &Field) -> String {
    let mut d = field.doc.to_string();
    if field.role.is_input() {
        match field.kind {
            Kind::Label(c) | Kind::LabelSet(c) => {
                let values = c
                    .iter()
                    .map(|c| format!("`{}` ({}, {})", c.label, c.doc, c.code))
                    .collect::<Vec<_>>()
                    .join(", ");
                d.push_str(&format!(
                    " Allowed values (JetBackup's name and code): {values}."
                ));
            }
            Kind::Text
            | Kind::Ref(_)
            | Kind::Char { .. }
            | Kind::Count
            | Kind::IntIn(_)
            | Kind::TextSet
            | Kind::IntSet { .. } => {
                d.push_str(&format!(" Allowed: {}.", field.kind.allowed()));
            }
        }
    }
    if !field.types.is_empty() {
        let need = match field.role {
            Role::Required => "Required for",
            Role::Optional | Role::Defaulted(_) | Role::ReadOnly { .. } => "Only for",
        };
        d.push_str(&format!(
            " {need} `{}` {}; not allowed for other types.",
            kind.discriminator,
            kind.type_labels(field)
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
    attributes.insert(
        ID.to_string(),
        Attribute {
            attr_type: AttributeType::String,
            description: Description::markdown(format!(
                "The {}'s ID (JetBackup `_id`), kept across updates.",
                kind.title
            )),
            constraint: AttributeConstraint::Computed,
            sensitive: false,
            deprecated: false,
        },
    );
    for field in kind.fields {
        attributes.insert(
            field.attr.to_string(),
            Attribute {
                attr_type: attr_type(field.kind),
                description: Description::markdown(describe(kind, field)),
                constraint: constraint(field),
                sensitive: false,
                deprecated: false,
            },
        );
    }
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            version: SCHEMA_VERSION,
            attributes,
            blocks: HashMap::new(),
            description: Description::markdown(kind.doc),
            deprecated: false,
        },
    }
}

/// Plan-time validation. Unknown values are skipped (checked again once
/// known). Errors point at the attribute and say what is allowed.
pub fn validate(diags: &mut Diagnostics, kind: &ObjectKind, config: &ObjectState) {
    if *config.raw(ID) != tf_provider::value::ValueAny::Null {
        diags.error(
            "id is read-only",
            format!("The {}'s id is set by JetBackup; remove it from the configuration (use an import block to adopt an existing {}).", kind.title, kind.title),
            AttributePath::new(ID),
        );
    }
    let disc = kind.discriminator_field();
    let type_cell = disc.map_or(Cell::Unknown, |d| config.cell(d));
    let code = match &type_cell {
        Cell::Known(_) => kind.type_code(&config.inputs(kind)),
        Cell::Null | Cell::Unknown | Cell::Malformed => None,
    };
    let type_known = matches!(type_cell, Cell::Known(_));
    for field in kind.fields {
        let path = AttributePath::new(field.attr);
        let cell = config.cell(field);
        if !field.role.is_input() {
            if cell != Cell::Null {
                diags.error(
                    format!("{} is read-only", field.attr),
                    format!("{} is reported by JetBackup and cannot be set; remove it from the configuration.", field.attr),
                    path,
                );
            }
            continue;
        }
        match &cell {
            Cell::Known(v) => {
                if let Err(e) = check_value(field, v) {
                    diags.error(format!("Invalid {}", field.attr), e, path.clone());
                    continue;
                }
            }
            Cell::Malformed => {
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
            Cell::Null | Cell::Unknown => {}
        }
        // Type rules need a known type; a type that failed its own check
        // (code None) is already reported.
        let Some(code) = code.filter(|_| type_known) else {
            continue;
        };
        let applies = field.applies_to(Some(code));
        let label = kind.type_label(code);
        match (&cell, applies) {
            (Cell::Known(_) | Cell::Unknown, false) => diags.error(
                format!(
                    "{} does not apply when {} = {label:?}",
                    field.attr, kind.discriminator
                ),
                format!(
                    "{} is set, but {} is {label:?}, and {} belongs only to {} {}. Remove it, or change {}.",
                    field.attr,
                    kind.discriminator,
                    field.attr,
                    kind.discriminator,
                    kind.type_labels(field),
                    kind.discriminator
                ),
                path,
            ),
            (Cell::Null, true) if field.role == Role::Required => diags.error(
                format!(
                    "{} is required when {} = {label:?}",
                    field.attr, kind.discriminator
                ),
                format!(
                    "A {} with {} = {label:?} needs {}: {}.",
                    kind.title,
                    kind.discriminator,
                    field.attr,
                    field.kind.allowed()
                ),
                path,
            ),
            (Cell::Null, _) | (Cell::Known(_) | Cell::Unknown, true) | (Cell::Malformed, _) => {}
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
        .map_or_else(AttributePath::root, |f| AttributePath::new(f.attr))
}
