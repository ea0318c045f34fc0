//! Schema and plan-time validation of a table-described resource, derived
//! from its [`ObjectKind`]: the Terraform type from the field's kind, the
//! constraint from its role, the description from its doc, allowed values
//! and types, and every check from [`check_value`] and the type rules.

use crate::api::table::Role;
use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, NestedBlock, Schema};
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics};

use super::state::{place_for_code, AttrValue, ObjectState, Place, ID};
use super::write_only;
use crate::api::object::{
    bits_for, check_bits, check_value_at, plural_noun, BlockAttr, Docs, Field, Form, ObjectKind,
    Val, ValueKind, MONITOR_BLOCK, SCHEDULE_BLOCK,
};
use crate::api::table::Choice;
use crate::provider::number;
use crate::provider::schema_build::{self, attr, block, id_attribute};

/// Version of every table-described resource's schema (they are new; bump
/// with a state upgrader when an existing attribute changes).
pub const SCHEMA_VERSION: i64 = 1;

/// The Terraform type of a field's values (resource and data sources
/// alike). A value written as blocks reads, in expressions and data
/// sources, as what its blocks are: a set of objects, a list of at most one.
pub fn attr_type(kind: ValueKind) -> AttributeType {
    let set = |t| AttributeType::Set(Box::new(t));
    let object = |attrs: &[BlockAttr; 2]| {
        AttributeType::Object(
            attrs
                .iter()
                .map(|a| (a.name.to_string(), inner_type(a)))
                .collect(),
        )
    };
    match kind.form() {
        Form::Text => AttributeType::String,
        Form::Number => AttributeType::Number,
        Form::Bool => AttributeType::Bool,
        Form::Texts => set(AttributeType::String),
        Form::Numbers => set(AttributeType::Number),
        Form::Grid => set(set(AttributeType::String)),
        Form::Schedules => set(object(&SCHEDULE_BLOCK)),
        Form::Monitor => AttributeType::List(Box::new(object(&MONITOR_BLOCK))),
    }
}

/// The type of an attribute inside a block.
fn inner_type(a: &BlockAttr) -> AttributeType {
    if a.number {
        AttributeType::Number
    } else {
        AttributeType::String
    }
}

/// A field written as nested blocks, with its inner attributes (each
/// required in its block); `None` for a field written as one attribute.
fn nested_block(field: &Field, description: String) -> Option<NestedBlock> {
    let form = field.kind.form();
    let attrs = form.block()?;
    let inner = block(
        SCHEMA_VERSION,
        description,
        attrs
            .iter()
            .map(|a| {
                let doc = (a.doc)(field.wire);
                (
                    a.name.to_string(),
                    attr(inner_type(a), AttributeConstraint::Required, doc),
                )
            })
            .collect(),
        HashMap::new(),
    );
    Some(match form {
        Form::Monitor => NestedBlock::Optional(inner),
        Form::Schedules
        | Form::Text
        | Form::Number
        | Form::Bool
        | Form::Texts
        | Form::Numbers
        | Form::Grid => NestedBlock::Set(inner),
    })
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
    match kind.docs {
        Docs::Generated => generated(kind, field),
        Docs::Notes => from_notes(field),
    }
}

/// The allowed values of a choice, each with JetBackup's name and code.
fn choices_in_words(kind: ValueKind) -> Option<String> {
    // A key kind's names are JetBackup's own keys: said by `allowed`.
    let choices = kind
        .choices()
        .filter(|_| !matches!(kind, ValueKind::Key(_)))?;
    let each = |c: &Choice| match (kind.is_bitmask(), matches!(kind, ValueKind::Numbered(_))) {
        (true, _) => format!("`{}` ({}, bit {})", c.label, c.doc, c.code),
        // Users write the number itself.
        (false, true) => format!("`{}` ({})", c.label, c.doc),
        (false, false) => format!("`{}` ({}, {})", c.label, c.doc, c.code),
    };
    Some(choices.iter().map(each).collect::<Vec<_>>().join(", "))
}

/// [`Docs::Notes`]: the row's doc, a choice's allowed values, its note and
/// JetBackup's name; a field the server reports, its doc alone.
fn from_notes(field: &Field) -> String {
    let mut d = field.doc.to_string();
    if !field.role.is_input() {
        return d;
    }
    if let Some(values) = choices_in_words(field.kind) {
        d.push_str(&format!(" Allowed values: {values}."));
    }
    if !field.note.is_empty() {
        d.push(' ');
        d.push_str(field.note);
    }
    d.push_str(&format!(" JetBackup parameter: `{}`.", field.wire));
    d
}

/// [`Docs::Generated`]: meaning, allowed values, which types it belongs
/// to, its default, replacement and its JetBackup name.
fn generated(kind: &ObjectKind, field: &Field) -> String {
    let mut d = field.doc.to_string();
    if field.role.is_input() {
        match choices_in_words(field.kind) {
            Some(values) => d.push_str(&format!(
                " Allowed values (JetBackup's name and code): {values}."
            )),
            None => d.push_str(&format!(" Allowed: {}.", field.kind.allowed())),
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
    let mut blocks = HashMap::new();
    for field in kind.fields {
        if place_for_code(kind, field, None) != Place::Top {
            continue;
        }
        match nested_block(field, describe(kind, field)) {
            Some(b) => {
                blocks.insert(field.attr.to_string(), b);
            }
            None => attributes.extend(self::attributes(kind, field)),
        }
    }
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
    let as_text = numbers_sent_as_text(kind, config);
    for n in config.1.iter().chain(&as_text) {
        let allowed = number_allowed(kind, n);
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
                if let Err((inner, e)) = check_value_at(field, v) {
                    let at = inner.map_or_else(|| path.clone(), |i| path.clone().attribute(i));
                    let what = inner.unwrap_or(field.attr);
                    diags.error(format!("Invalid {what}"), e, at);
                    continue;
                }
            }
            // A number Terraform sent as text is refused above.
            AttrValue::Malformed
                if as_text
                    .iter()
                    .any(|n| n.path.contains(&field.attr.to_string())) =>
            {
                continue;
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
        if let (ValueKind::Bitmask(bits), AttrValue::Known(Val::Texts(labels))) =
            (field.kind, &cell)
        {
            if let Some(bits) = bits_for(bits, Some(code)) {
                for (summary, detail) in check_bits(kind, field, bits, &label, labels) {
                    diags.error(summary, detail, path.clone());
                }
            }
        }
        match (&cell, applies) {
            (AttrValue::Known(_) | AttrValue::Unknown, false) => diags.error(
                format!(
                    "{} does not apply when {} = {label:?}",
                    field.attr, kind.discriminator
                ),
                format!(
                    "{} is set, but {type_word} is {label:?}: {} applies only to {} {} ({} {}). Remove it, or {how}.",
                    field.attr,
                    field.attr,
                    field
                        .types
                        .iter()
                        .map(|c| kind.type_label(*c))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    plural_noun(kind),
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

/// The numbers of a configuration that Terraform sent as their decimal text:
/// it does so for a number that neither a 64-bit integer nor a float holds
/// exactly (`1e30` from a variable). Refused like any number that is not
/// whole, on its attribute.
fn numbers_sent_as_text(kind: &ObjectKind, config: &ObjectState) -> Vec<number::NotWhole> {
    let numeric = |v: &ValueAny| match v {
        ValueAny::String(s) if s.parse::<f64>().is_ok() => Some(s.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    for field in kind.fields {
        let mut at = match config.place(kind, field) {
            Place::Block(b) => vec![b.name.to_string()],
            Place::Top | Place::Nowhere => Vec::new(),
        };
        at.push(field.attr.to_string());
        let raw = config.field_raw(kind, field);
        let items = match raw {
            ValueAny::List(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        let form = field.kind.form();
        match form {
            Form::Number | Form::Numbers => {
                for s in items.iter().filter_map(numeric) {
                    out.push(number::NotWhole {
                        path: at.clone(),
                        raw: s,
                    });
                }
            }
            Form::Schedules | Form::Monitor => {
                let attrs = form.block().map_or(&[][..], |a| &a[..]);
                for block in items {
                    let ValueAny::Map(m) = block else { continue };
                    for a in attrs.iter().filter(|a| a.number) {
                        if let Some(s) = m.get(a.name).and_then(numeric) {
                            let mut path = at.clone();
                            path.push(a.name.to_string());
                            out.push(number::NotWhole { path, raw: s });
                        }
                    }
                }
            }
            Form::Text | Form::Bool | Form::Texts | Form::Grid => {}
        }
    }
    out
}

/// What a number attribute takes, for the refusal of one that is not a
/// whole number: the field's allowed values, or those of the attribute
/// inside its block (`schedules.retain`).
fn number_allowed(kind: &ObjectKind, n: &number::NotWhole) -> String {
    if let Some(f) = kind.field(n.attr()) {
        return f.kind.allowed();
    }
    // A number inside a block: the block attribute's own range.
    let block = n.path.first().and_then(|top| kind.field(top));
    block
        .and_then(|f| f.kind.form().block())
        .and_then(|attrs| attrs.iter().find(|a| a.name == n.attr()))
        .map_or_else(|| "a whole number".to_string(), |a| (a.allowed)())
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
///
/// For a field written as blocks it is an attribute inside the block
/// (`schedules[0][retain]` → `schedules.retain`): Terraform shows a
/// diagnostic on an attribute's line, and on a block only through one.
pub fn attribute_for_message(kind: &ObjectKind, code: Option<i64>, message: &str) -> AttributePath {
    let lower = message.to_ascii_lowercase();
    let names = |f: &&Field| {
        let w = f.wire;
        f.role.is_input()
            && (lower.contains(&format!("'{w}'"))
                || lower.contains(&format!("'{w}["))
                || lower.contains(&format!("\"{w}\""))
                || lower.contains(&format!("\"{w}["))
                || lower.contains(&format!(" {w}["))
                || lower.contains(&format!("parameter {w} "))
                || lower.ends_with(&format!("parameter {w}")))
    };
    // A field of the object's type, else any (a field sent for a type it
    // does not belong to).
    let of_type = kind
        .fields
        .iter()
        .filter(|f| f.applies_to(code))
        .find(names);
    let Some(f) = of_type.or_else(|| kind.fields.iter().find(names)) else {
        return AttributePath::root();
    };
    // The one inner attribute the message names, else the block's first.
    let Some([first, second]) = f.kind.form().block() else {
        return place_for_code(kind, f, code).path(f);
    };
    let named = |a: &BlockAttr| lower.contains(&format!("[{}]", a.wire));
    let name = if named(second) && !named(first) {
        second.name
    } else {
        first.name
    };
    AttributePath::new(f.attr).attribute(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::backup_job::BACKUP_JOB;

    /// The backup job's schema as released (types, constraints, nesting,
    /// flags, descriptions, version), captured in a file: a change to it
    /// breaks state written by the previous release unless the version is
    /// bumped with an upgrader, so it must be deliberate. To accept one,
    /// run the test with `JETBACKUP_UPDATE_GOLDEN=1` and review the diff.
    #[test]
    fn the_backup_job_schema_matches_the_released_golden_text() {
        use crate::provider::object::schema_text::schema_text;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/provider/testdata/backup_job.schema.txt"
        );
        let got = schema_text(&schema(&BACKUP_JOB));
        if std::env::var_os("JETBACKUP_UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &got).expect("golden file written");
        }
        let want = std::fs::read_to_string(path).expect("golden file");
        assert!(
            got == want,
            "the jetbackup_backup_job schema differs from {path}:\n{got}"
        );
    }
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

    /// The refusals of a backup job configuration given as JSON (numbers
    /// as Terraform encodes them: `1.5` a float, `1e30` beyond 64 bits).
    fn job_refusals(json: &str) -> Vec<(String, String, AttributePath)> {
        refusals(&BACKUP_JOB, json)
    }

    #[test]
    fn numbers_not_whole_or_out_of_range_are_refused_on_their_attribute_with_the_range() {
        let sid = "6503f0a0ebbf07708d06f201";
        for (json, attr, path) in [
            (
                format!(r#"{{"schedules": [{{"id": "{sid}", "retain": 1.5}}]}}"#),
                "retain",
                AttributePath::new("schedules").attribute("retain"),
            ),
            (
                format!(r#"{{"schedules": [{{"id": "{sid}", "retain": 9223372036854775807}}]}}"#),
                "retain",
                AttributePath::new("schedules").attribute("retain"),
            ),
            (
                format!(r#"{{"schedules": [{{"id": "{sid}", "retain": 1e30}}]}}"#),
                "retain",
                AttributePath::new("schedules").attribute("retain"),
            ),
            (
                r#"{"monitor": [{"ranfor": 0.5, "notran": 1}]}"#.to_string(),
                "ranfor",
                AttributePath::new("monitor").attribute("ranfor"),
            ),
            (
                r#"{"options": 2.5}"#.to_string(),
                "options",
                AttributePath::new("options"),
            ),
        ] {
            let got = job_refusals(&json);
            let on_attr: Vec<_> = got.iter().filter(|(_, _, at)| *at == path).collect();
            assert_eq!(on_attr.len(), 1, "{json}: {got:?}");
            let (summary, detail, _) = on_attr[0];
            assert!(
                summary.contains(attr) || detail.contains(attr),
                "{json}: {summary}"
            );
            let range = match attr {
                "retain" => "from 0 to 100000".to_string(),
                "ranfor" => format!("up to {}", crate::api::object::COUNT_MAX),
                _ => "allowed".to_string(),
            };
            assert!(detail.contains(&range), "{json}: {detail}");
            assert!(!detail.contains("untagged"), "{detail}");
        }
        assert!(job_refusals(&format!(
            r#"{{"schedules": [{{"id": "{sid}", "retain": 100000}}]}}"#
        ))
        .iter()
        .all(|(s, d, _)| !s.contains("retain") && !d.contains("retain")));
    }

    /// The job's rules that tie parameters to its type: `include_list`
    /// belongs to directories jobs, `contains` is spelled as the server
    /// returns it.
    #[test]
    fn a_job_of_a_type_takes_that_types_settings() {
        let dest = "6503e7a1ebbf07708d06f1c1";
        let job = |extra: &str| {
            format!(
                r#"{{"name": "j", "destination": ["{dest}"], "structure": "incremental", {extra}}}"#
            )
        };
        for (json, said) in [
            (job(r#""type": "directories""#), "include_list is required"),
            (
                job(r#""type": "directories", "include_list": []"#),
                "include_list needs at least one path",
            ),
            (
                job(r#""type": "accounts", "include_list": ["/etc"]"#),
                "include_list applies only to directories jobs",
            ),
            (
                job(r#""type": "accounts", "contains": []"#),
                "Remove contains to back up everything",
            ),
            (
                job(r#""type": "accounts", "contains": ["bit_2"]"#),
                r#"contains = ["homedir"]"#,
            ),
            (
                job(
                    r#""type": "directories", "include_list": ["/etc"], "contains": ["bit_1", "bit_2"]"#,
                ),
                "remove contains or write contains = []",
            ),
            (
                job(r#""type": "directories", "include_list": ["/etc"], "contains": ["homedir"]"#),
                "leave contains unset",
            ),
            (
                job(r#""type": "accounts", "contains": ["mail"]"#),
                r#""database_users""#,
            ),
            (
                job(r#""type": "accounts", "contains": ["bit_3"]"#),
                "power of two",
            ),
        ] {
            let got = job_refusals(&json);
            assert!(
                got.iter()
                    .any(|(s, d, at)| (s.contains(said) || d.contains(said))
                        && *at != AttributePath::root()),
                "{json}: {got:?}"
            );
        }
        for ok in [
            job(r#""type": "directories", "include_list": ["/etc"], "contains": []"#),
            job(r#""type": "bmr""#),
            job(r#""type": "directories", "include_list": ["/etc"], "contains": ["bit_1"]"#),
            job(r#""type": "accounts", "contains": ["homedir", "bit_1024"]"#),
        ] {
            assert_eq!(job_refusals(&ok), vec![], "{ok}");
        }
    }

    /// Every refusal the simulator words with a parameter's name lands on
    /// that parameter's attribute or block.
    #[test]
    fn every_simulator_refusal_naming_a_parameter_lands_on_its_attribute() {
        use crate::api::wire::parse_pairs;
        use crate::api::wire::FormValue;
        use crate::sim::objectid::IdGen;
        use crate::sim::seed::{builtin, DEST_LOCAL_ID, SCHEDULE_DAILY_ID};
        use crate::sim::store::Sim;
        use std::time::Duration;

        let missing = "65aaaaaaaaaaaaaaaaaaaaaa";
        let base = format!(
            "action=create&name=N&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1"
        );
        let with = |extra: &str| format!("{base}&{extra}");
        let swap = |from: &str, to: &str| base.replace(from, to);
        let cases: Vec<(String, &str)> = vec![
            (swap("name=N", "name=%20"), "name"),
            (with(&format!("owner={missing}")), "owner"),
            (
                swap(&format!("destination[0]={DEST_LOCAL_ID}&"), ""),
                "destination",
            ),
            (swap(DEST_LOCAL_ID, missing), "destination"),
            (
                swap(&format!("destination[0]={DEST_LOCAL_ID}"), "destination=x"),
                "destination",
            ),
            (swap("type=1", "type=9"), "type"),
            (swap("contains=511", "contains=0"), "contains"),
            (swap("structure=1", "structure=9"), "structure"),
            (with("options=3"), "options"),
            (with("retry_failed=true"), "retry_failed"),
            (with("disabled=2"), "disabled"),
            (with("time=2400"), "time"),
            (with(&format!("filters[0][0]={missing}")), "filters"),
            (with("filters=x"), "filters"),
            (with("filters[0]=x"), "filters"),
            (with("include_list=x"), "include_list"),
            (swap("type=1", "type=2"), "include_list"),
            (with("exclude_list=x"), "exclude_list"),
            (
                with(&format!(
                    "schedules[0][_id]={missing}&schedules[0][retain]=1"
                )),
                "schedules.id",
            ),
            (with("schedules[0][retain]=1"), "schedules.id"),
            (
                with(&format!("schedules[0][_id]={SCHEDULE_DAILY_ID}")),
                "schedules.retain",
            ),
            (with("schedules=x"), "schedules.id"),
            (with("monitor=x"), "monitor.ranfor"),
            (with("monitor[ranfor]=-1"), "monitor.ranfor"),
            (with("monitor[notran]=-1"), "monitor.notran"),
        ];
        let now = Duration::from_secs(1_786_639_500);
        let mut sim = Sim::new(builtin(), IdGen::new(1), None);
        let call = |sim: &mut Sim, body: &str| {
            sim.call(
                "manageBackupJob",
                &FormValue::from_pairs(&parse_pairs(body)),
                now,
            )
        };
        let path_of = |dotted: &str| {
            let mut parts = dotted.split('.');
            let mut path = AttributePath::new(parts.next().unwrap_or_default().to_string());
            for p in parts {
                path = path.attribute(p.to_string());
            }
            path.to_string()
        };
        // The type a request names, as the provider knows it from its plan.
        let type_of = |body: &str| {
            body.split('&')
                .find_map(|p| p.strip_prefix("type="))
                .and_then(|t| t.parse::<i64>().ok())
        };
        for (body, attribute) in &cases {
            let reply = call(&mut sim, body);
            assert!(!reply.success, "{body} was accepted");
            assert_eq!(
                attribute_for_message(&BACKUP_JOB, type_of(body), &reply.message).to_string(),
                path_of(attribute),
                "{:?} (from {body})",
                reply.message
            );
        }
        // On modify, too: the type cannot change.
        let created = call(&mut sim, &base);
        let id = created.data["_id"].as_str().expect("an id").to_string();
        let reply = call(&mut sim, &format!("action=modify&_id={id}&type=2"));
        assert!(!reply.success);
        assert_eq!(
            attribute_for_message(&BACKUP_JOB, Some(1), &reply.message).to_string(),
            AttributePath::new("type").to_string(),
            "{}",
            reply.message
        );
    }

    #[test]
    fn message_naming_a_parameter_maps_to_its_attribute() {
        assert_eq!(
            attribute_for_message(
                &BACKUP_JOB,
                Some(1),
                "Destination 'x' not found (parameter 'destination[0]')"
            )
            .to_string(),
            AttributePath::new("destination").to_string()
        );
        assert_eq!(
            attribute_for_message(&BACKUP_JOB, Some(1), "something else").to_string(),
            AttributePath::root().to_string()
        );
    }

    #[test]
    fn every_documented_job_parameter_is_in_the_schema() {
        let s = schema(&BACKUP_JOB);
        let documented = BACKUP_JOB.fields.iter().filter(|f| {
            f.role.is_input() && !crate::api::object::backup_job::UNDOCUMENTED.contains(&f.attr)
        });
        for f in documented {
            assert!(
                s.block.attributes.contains_key(f.attr) || s.block.blocks.contains_key(f.attr),
                "{} missing",
                f.attr
            );
        }
    }

    /// A table that writes its notes says, for each attribute users may
    /// leave out, what removing it does.
    #[test]
    fn every_optional_job_attribute_says_what_removing_it_does() {
        let s = schema(&BACKUP_JOB);
        let optional = |c: &AttributeConstraint| {
            matches!(
                c,
                AttributeConstraint::Optional | AttributeConstraint::OptionalComputed
            )
        };
        let mut checked = 0;
        for (name, a) in s
            .block
            .attributes
            .iter()
            .filter(|(_, a)| optional(&a.constraint))
        {
            assert!(
                a.description.content.contains("emoving it"),
                "{name}: {}",
                a.description.content
            );
            checked += 1;
        }
        for (name, b) in &s.block.blocks {
            let d = match b {
                NestedBlock::Set(b) | NestedBlock::Optional(b) => &b.description.content,
                _ => panic!("{name}: unexpected block kind"),
            };
            assert!(d.contains("emoving"), "{name}: {d}");
            checked += 1;
        }
        let optional_rows = BACKUP_JOB
            .fields
            .iter()
            .filter(|f| f.role.is_input() && (f.role != Role::Required || !f.types.is_empty()))
            .count();
        assert_eq!(checked, optional_rows, "optional attributes and blocks");
    }

    #[test]
    fn descriptions_list_allowed_values() {
        let s = schema(&BACKUP_JOB);
        let d = &s.block.attributes["structure"].description.content;
        assert!(
            d.contains("`incremental`") && d.contains("`compressed`"),
            "{d}"
        );
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
