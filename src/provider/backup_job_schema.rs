//! The schema of `jetbackup_backup_job`, derived from
//! the API's parameter table ([`JOB_PARAMS`]): each parameter's description,
//! note, allowed values and JetBackup name come from its row, the Terraform
//! constraint from its [`Role`] and the type (or nested block) from its
//! [`Shape`]. No code here names a parameter to build the schema; a new row
//! appears in it (the golden test below shows the change). Attributes,
//! blocks and what a role means to Terraform come from the one schema
//! builder every resource uses ([`super::schema_build`]).

use crate::api::table::Role;
use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, NestedBlock, Schema};

use super::schema_build::{self, block, id_attribute};
use crate::api::job::{ParamDef, Shape, JOB_PARAMS};
use crate::provider::backup_job_validate::RETAIN_MAX;

pub use super::schema_build::attr;

/// The Terraform type of a parameter's value; `None` for a value written
/// as a nested block (its attributes come from [`block_of`]).
fn attr_type(spec: &ParamDef) -> Option<AttributeType> {
    let set = |t| AttributeType::Set(Box::new(t));
    match spec.shape {
        Shape::Text | Shape::Label | Shape::Time => Some(AttributeType::String),
        Shape::Int => Some(AttributeType::Number),
        Shape::Bool => Some(AttributeType::Bool),
        Shape::Bitmask | Shape::List => Some(set(AttributeType::String)),
        Shape::Grid => Some(set(set(AttributeType::String))),
        Shape::ScheduleList | Shape::Monitor => None,
    }
}

/// How Terraform treats a parameter; `None` for one the server reports
/// (not an input: listed with the other computed attributes).
fn constraint(spec: &ParamDef) -> Option<AttributeConstraint> {
    match spec.role {
        Role::ReadOnly { .. } => None,
        Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => {
            Some(schema_build::constraint(spec.role))
        }
    }
}

/// A parameter written as a nested block: its nesting and attributes.
fn block_of(spec: &ParamDef, description: &str) -> Option<NestedBlock> {
    let w = spec.wire;
    let number = |doc: String| attr(AttributeType::Number, AttributeConstraint::Required, doc);
    let inner = |pairs: [(&str, Attribute); 2]| {
        block(
            SCHEMA_VERSION,
            description.to_string(),
            pairs.into_iter().map(|(k, a)| (k.to_string(), a)).collect(),
            HashMap::new(),
        )
    };
    match spec.shape {
        Shape::ScheduleList => Some(NestedBlock::Set(inner([
            (
                "id",
                attr(
                    AttributeType::String,
                    AttributeConstraint::Required,
                    format!("Schedule ID (JetBackup `{w}[i][_id]`); the schedule must exist."),
                ),
            ),
            (
                "retain",
                number(format!("How many backups this schedule keeps, from 0 to {RETAIN_MAX} (JetBackup `{w}[i][retain]`; the upper bound is this provider's, no JetBackup source gives one).")),
            ),
        ]))),
        Shape::Monitor => Some(NestedBlock::Optional(inner([
            (
                "ranfor",
                number(format!("Alert when a run lasts more than this many days; 0 = off (JetBackup `{w}[ranfor]`).")),
            ),
            (
                "notran",
                number(format!("Alert when the job has not run for this many days; 0 = off (JetBackup `{w}[notran]`).")),
            ),
        ]))),
        Shape::Text
        | Shape::Int
        | Shape::Label
        | Shape::Bool
        | Shape::Bitmask
        | Shape::List
        | Shape::Grid
        | Shape::Time => None,
    }
}

/// Description of a parameter: its meaning, allowed values, note and JetBackup name.
fn describe(spec: &ParamDef) -> String {
    let note = spec.note;
    let mut d = spec.doc.to_string();
    if !spec.choices.is_empty() {
        let values = spec
            .choices
            .iter()
            .map(|c| {
                if spec.shape == Shape::Label {
                    format!("`{}` ({}, {})", c.label, c.doc, c.code)
                } else if spec.shape == Shape::Bitmask {
                    format!("`{}` ({}, bit {})", c.label, c.doc, c.code)
                } else {
                    format!("`{}` ({})", c.label, c.doc)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        d.push_str(&format!(" Allowed values: {values}."));
    }
    if !note.is_empty() {
        d.push(' ');
        d.push_str(note);
    }
    d.push_str(&format!(" JetBackup parameter: `{}`.", spec.wire));
    d
}

pub const SCHEMA_VERSION: i64 = 1;

pub fn schema() -> Schema {
    let mut attributes = HashMap::new();
    let mut blocks = HashMap::new();
    attributes.insert("id".to_string(), id_attribute("backup job"));
    for spec in JOB_PARAMS {
        let Some(constraint) = constraint(spec) else {
            continue;
        };
        let description = describe(spec);
        match attr_type(spec) {
            Some(t) => {
                attributes.insert(spec.wire.to_string(), attr(t, constraint, description));
            }
            None => {
                if let Some(b) = block_of(spec, &description) {
                    blocks.insert(spec.wire.to_string(), b);
                }
            }
        }
    }
    for (name, doc) in [
        ("owner_name", "Account name of the job's owner, as the server reports it."),
        ("next_run", "When the job runs next (ISO 8601), as the server reports it; empty for a manual-only job."),
        ("last_run", "When the job last ran (ISO 8601), as the server reports it."),
    ] {
        attributes.insert(name.to_string(), attr(AttributeType::String, AttributeConstraint::Computed, doc.into()));
    }
    schema_build::schema(block(
        SCHEMA_VERSION,
        "A JetBackup 5 backup job, managed with the API function `manageBackupJob` (create and modify), read with `getBackupJob` and deleted with `deleteBackupJob`.".into(),
        attributes,
        blocks,
    ))
}
#[cfg(test)]
mod tests {
    use super::*;

    /// The resource's schema as released (types, constraints, nesting,
    /// flags, descriptions, version), captured in a file: a change to it
    /// breaks state written by the previous release unless the version is
    /// bumped with an upgrader, so it must be deliberate. To accept one,
    /// run the test with `JETBACKUP_UPDATE_GOLDEN=1` and review the diff.
    #[test]
    fn schema_matches_the_released_golden_text() {
        use crate::provider::object::schema_text::schema_text;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/provider/testdata/backup_job.schema.txt"
        );
        let got = schema_text(&schema());
        if std::env::var_os("JETBACKUP_UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &got).expect("golden file written");
        }
        let want = std::fs::read_to_string(path).expect("golden file");
        assert!(
            got == want,
            "the jetbackup_backup_job schema differs from {path}:\n{got}"
        );
    }

    #[test]
    fn every_documented_parameter_is_in_the_schema() {
        let s = schema();
        for p in JOB_PARAMS.iter().filter(|p| p.documented) {
            assert!(
                s.block.attributes.contains_key(p.wire) || s.block.blocks.contains_key(p.wire),
                "{} missing",
                p.wire
            );
        }
    }

    #[test]
    fn every_optional_attribute_says_what_removing_it_does() {
        let s = schema();
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
        let optional_rows = JOB_PARAMS
            .iter()
            .filter(|p| p.role.is_input() && p.role != Role::Required)
            .count();
        assert_eq!(checked, optional_rows, "optional attributes and blocks");
    }

    #[test]
    fn descriptions_list_allowed_values() {
        let s = schema();
        let d = &s.block.attributes["structure"].description.content;
        assert!(
            d.contains("`incremental`") && d.contains("`compressed`"),
            "{d}"
        );
    }
}
