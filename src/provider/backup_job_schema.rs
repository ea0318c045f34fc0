//! Schema and plan-time validation of `jetbackup_backup_job`, derived from
//! the API's parameter table ([`JOB_PARAMS`]): each parameter's description,
//! allowed values and JetBackup name come from there; this module adds only
//! what is Terraform's business (required/optional/computed, types, blocks).

use std::collections::{BTreeSet, HashMap};

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::backup_job_model::{
    contains_item_bit, known_strings, JobState, StrSet, UNNAMED_BIT_PREFIX,
};
use crate::api::client::is_object_id;
use crate::api::job::{
    choice_labels, param_spec, JobTime, JobType, Param, ParamSpec, Shape, JOB_PARAMS,
};

/// How Terraform sees one parameter.
struct TfShape {
    attr_type: Option<AttributeType>,
    constraint: AttributeConstraint,
    /// Extra documentation: default, format, Terraform-side rules.
    note: &'static str,
}

fn tf_shape(spec: &ParamSpec) -> Option<TfShape> {
    use AttributeConstraint::*;
    let string_set = || Some(AttributeType::Set(Box::new(AttributeType::String)));
    let s = |attr_type, constraint, note| {
        Some(TfShape {
            attr_type,
            constraint,
            note,
        })
    };
    match spec.param {
        Param::Name => s(Some(AttributeType::String), Required, ""),
        Param::Owner => s(Some(AttributeType::String), OptionalComputed, ""),
        // Read-only here: exposed as the computed `owner_name`.
        Param::OwnerName => None,
        Param::Destination => s(string_set(), Required, "At least one destination ID."),
        Param::Type => s(Some(AttributeType::String), Required, "Changing it replaces the job."),
        Param::Contains => s(
            string_set(),
            OptionalComputed,
            "For `accounts` jobs, any of these items; omitted means all nine (`contains=511`). For `directories` and `bmr` jobs leave it unset: the type's full value is sent (3 and 7). A bit the server returns that has no name here shows as `bit_<value>` and is kept as is.",
        ),
        Param::Structure => s(Some(AttributeType::String), Required, ""),
        Param::Options => s(Some(AttributeType::Number), OptionalComputed, "The server's value is kept when unset."),
        Param::RetryFailed => s(Some(AttributeType::Bool), OptionalComputed, "The server's value is kept when unset."),
        Param::Filters => s(
            Some(AttributeType::Set(Box::new(AttributeType::Set(Box::new(AttributeType::String))))),
            Optional,
            "Write a set of sets of account filter **group** IDs: an account is backed up when, for every inner set, it matches at least one group of that set.",
        ),
        Param::IncludeList => s(string_set(), Optional, "Required for `directories` jobs, not allowed for other types."),
        Param::ExcludeList => s(string_set(), Optional, ""),
        Param::Schedules => s(None, Optional, "Repeat the block once per schedule; order does not matter. No block means the job runs only manually."),
        Param::Time => s(Some(AttributeType::String), OptionalComputed, "Four digits, `\"0350\"` for 03:50. The server's value is kept when unset."),
        Param::Monitor => s(None, Optional, "No block turns monitoring off (both thresholds 0)."),
        Param::Disabled => s(Some(AttributeType::Bool), OptionalComputed, "Defaults to `false`."),
    }
}

/// Description of a parameter: its meaning, allowed values, note and JetBackup name.
fn describe(spec: &ParamSpec, note: &str) -> String {
    let mut d = spec.doc.to_string();
    if !spec.choices.is_empty() {
        let values = spec
            .choices
            .iter()
            .map(|c| {
                if spec.shape == Shape::Int && c.label != c.code.to_string() {
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

pub fn attr(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: String,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

fn block(description: &str, attributes: HashMap<String, Attribute>) -> Block {
    Block {
        version: 1,
        attributes,
        blocks: HashMap::new(),
        description: Description::markdown(description),
        deprecated: false,
    }
}

pub const SCHEMA_VERSION: i64 = 1;

pub fn schema() -> Schema {
    let mut attributes = HashMap::new();
    let mut blocks = HashMap::new();
    attributes.insert(
        "id".to_string(),
        attr(
            AttributeType::String,
            AttributeConstraint::Computed,
            "The backup job's ID (JetBackup `_id`), kept across updates.".into(),
        ),
    );
    for spec in JOB_PARAMS {
        let Some(shape) = tf_shape(spec) else {
            continue;
        };
        let description = describe(spec, shape.note);
        match (spec.param, shape.attr_type) {
            (Param::Schedules, _) => {
                let mut inner = HashMap::new();
                inner.insert(
                    "id".to_string(),
                    attr(
                        AttributeType::String,
                        AttributeConstraint::Required,
                        "Schedule ID (JetBackup `schedules[i][_id]`); the schedule must exist."
                            .into(),
                    ),
                );
                inner.insert(
                    "retain".to_string(),
                    attr(AttributeType::Number, AttributeConstraint::Required, "How many backups this schedule keeps, 0 or more (JetBackup `schedules[i][retain]`).".into()),
                );
                blocks.insert(
                    spec.wire.to_string(),
                    NestedBlock::Set(block(&description, inner)),
                );
            }
            (Param::Monitor, _) => {
                let mut inner = HashMap::new();
                inner.insert(
                    "ranfor".to_string(),
                    attr(AttributeType::Number, AttributeConstraint::Required, "Alert when a run lasts more than this many days; 0 = off (JetBackup `monitor[ranfor]`).".into()),
                );
                inner.insert(
                    "notran".to_string(),
                    attr(AttributeType::Number, AttributeConstraint::Required, "Alert when the job has not run for this many days; 0 = off (JetBackup `monitor[notran]`).".into()),
                );
                blocks.insert(
                    spec.wire.to_string(),
                    NestedBlock::Optional(block(&description, inner)),
                );
            }
            (_, Some(attr_type)) => {
                attributes.insert(
                    spec.wire.to_string(),
                    attr(attr_type, shape.constraint, description),
                );
            }
            (_, None) => {}
        }
    }
    for (name, doc) in [
        ("owner_name", "Account name of the job's owner, as the server reports it."),
        ("next_run", "When the job runs next (ISO 8601), as the server reports it; empty for a manual-only job."),
        ("last_run", "When the job last ran (ISO 8601), as the server reports it."),
    ] {
        attributes.insert(name.to_string(), attr(AttributeType::String, AttributeConstraint::Computed, doc.into()));
    }
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            version: SCHEMA_VERSION,
            attributes,
            blocks,
            description: Description::markdown(
                "A JetBackup 5 backup job, managed with the API function `manageBackupJob` (create and modify), read with `getBackupJob` and deleted with `deleteBackupJob`.",
            ),
            deprecated: false,
        },
    }
}

fn path(param: Param) -> AttributePath {
    AttributePath::new(param_spec(param).wire)
}

/// Checks a label against a parameter's choices.
fn check_choice(diags: &mut Diagnostics, param: Param, value: &Value<String>) {
    let spec = param_spec(param);
    if let Value::Value(v) = value {
        if !spec.choices.iter().any(|c| c.label == v) {
            diags.error(
                format!("Invalid {}", spec.wire),
                format!(
                    "{} is {v:?}; allowed values: {}.",
                    spec.wire,
                    choice_labels(spec.choices)
                ),
                path(param),
            );
        }
    }
}

fn check_ids(diags: &mut Diagnostics, attr_path: AttributePath, what: &str, ids: &StrSet) {
    for id in known_strings(ids).unwrap_or_default() {
        if !is_object_id(&id) {
            diags.error(
                format!("Invalid {what} ID"),
                format!("{id:?} is not a JetBackup ID (24 hexadecimal digits, e.g. \"6503eec8ebbf07708d06f1d2\")."),
                attr_path.clone(),
            );
        }
    }
}

/// Plan-time validation of a configuration. Unknown values are skipped; they
/// are checked again when known.
pub fn validate(diags: &mut Diagnostics, config: &JobState) {
    for (name, value) in [
        ("id", &config.id),
        ("owner_name", &config.owner_name),
        ("next_run", &config.next_run),
        ("last_run", &config.last_run),
    ] {
        if !value.is_null() {
            diags.error(
                format!("{name} is read-only"),
                format!("{name} is computed by JetBackup and cannot be set in configuration; remove it."),
                AttributePath::new(name),
            );
        }
    }

    if let Value::Value(name) = &config.name {
        if name.trim().is_empty() {
            diags.error("Invalid name", "name must not be empty.", path(Param::Name));
        }
    }
    check_choice(diags, Param::Type, &config.job_type);
    check_choice(diags, Param::Structure, &config.structure);

    if let Value::Value(options) = &config.options {
        let spec = param_spec(Param::Options);
        if !spec.choices.iter().any(|c| c.code == *options) {
            let allowed = spec
                .choices
                .iter()
                .map(|c| format!("{} ({})", c.code, c.doc))
                .collect::<Vec<_>>()
                .join(", ");
            diags.error(
                "Invalid options",
                format!("options is {options}; allowed values: {allowed}."),
                path(Param::Options),
            );
        }
    }

    if let Value::Value(set) = &config.destination {
        if set.is_empty() {
            diags.error(
                "Invalid destination",
                "destination needs at least one destination ID.",
                path(Param::Destination),
            );
        }
    }
    check_ids(
        diags,
        path(Param::Destination),
        "destination",
        &config.destination,
    );
    if let Value::Value(owner) = &config.owner {
        if !is_object_id(owner) {
            diags.error(
                "Invalid owner ID",
                format!("{owner:?} is not a JetBackup account ID (24 hexadecimal digits)."),
                path(Param::Owner),
            );
        }
    }

    let job_type = config.job_type();
    if let (Some(t), Some(items)) = (job_type, known_strings(&config.contains)) {
        for item in items {
            if contains_item_bit(t, &item).is_none() {
                let allowed = match t {
                    JobType::Accounts => format!(
                        "{}, or {UNNAMED_BIT_PREFIX}<power of two> for a bit without a name",
                        choice_labels(param_spec(Param::Contains).choices)
                    ),
                    _ => format!(
                        "none: leave contains unset for {} jobs (the full value is sent), or {UNNAMED_BIT_PREFIX}<power of two> for a raw bit",
                        t.label()
                    ),
                };
                diags.error(
                    "Invalid contains item",
                    format!(
                        "contains item {item:?} is not valid for {} jobs; allowed: {allowed}.",
                        t.label()
                    ),
                    path(Param::Contains),
                );
            }
        }
    }

    match (job_type, &config.include_list) {
        (Some(JobType::Directories), Value::Null) => diags.error(
            "Missing include_list",
            "A directories job needs include_list: the paths to back up.",
            path(Param::IncludeList),
        ),
        (Some(JobType::Directories), Value::Value(set)) if set.is_empty() => diags.error(
            "Missing include_list",
            "A directories job needs at least one path in include_list.",
            path(Param::IncludeList),
        ),
        (Some(t @ (JobType::Accounts | JobType::Bmr)), Value::Value(_)) => diags.error(
            "include_list not allowed",
            format!(
                "include_list applies only to directories jobs; this job's type is {:?}.",
                t.label()
            ),
            path(Param::IncludeList),
        ),
        _ => {}
    }
    for (param, set) in [
        (Param::IncludeList, &config.include_list),
        (Param::ExcludeList, &config.exclude_list),
    ] {
        if known_strings(set)
            .unwrap_or_default()
            .iter()
            .any(|p| p.trim().is_empty())
        {
            diags.error(
                format!("Invalid {}", param_spec(param).wire),
                format!("{} must not contain an empty path.", param_spec(param).wire),
                path(param),
            );
        }
    }

    if let Value::Value(rows) = &config.filters {
        for row in rows {
            if matches!(row, Value::Value(r) if r.is_empty()) {
                diags.error(
                    "Invalid filters",
                    "Each inner set of filters needs at least one account filter group ID.",
                    path(Param::Filters),
                );
            }
            check_ids(diags, path(Param::Filters), "account filter group", row);
        }
    }

    if let Value::Value(schedules) = &config.schedules {
        let mut seen = BTreeSet::new();
        for s in schedules.iter().filter_map(|s| s.as_ref_option()) {
            if let Value::Value(id) = &s.id {
                if !is_object_id(id) {
                    diags.error(
                        "Invalid schedule ID",
                        format!("{id:?} is not a JetBackup schedule ID (24 hexadecimal digits)."),
                        path(Param::Schedules).attribute("id"),
                    );
                }
                if !seen.insert(id.clone()) {
                    diags.error(
                        "Duplicate schedule",
                        format!("Schedule {id} is attached twice; attach each schedule once with one retain value."),
                        path(Param::Schedules),
                    );
                }
            }
            if let Value::Value(retain) = s.retain {
                if retain < 0 {
                    diags.error(
                        "Invalid retain",
                        format!("retain is {retain}; it must be 0 or more."),
                        path(Param::Schedules).attribute("retain"),
                    );
                }
            }
        }
    }

    if let Value::Value(time) = &config.time {
        if JobTime::parse_hhmm(time).is_none() {
            diags.error(
                "Invalid time",
                format!("time is {time:?}; it must be a time of day as four digits HHMM, from \"0000\" to \"2359\" (e.g. \"0350\")."),
                path(Param::Time),
            );
        }
    }

    if let Value::Value(m) = &config.monitor {
        for (name, v) in [("ranfor", m.ranfor), ("notran", m.notran)] {
            if let Value::Value(days) = v {
                if days < 0 {
                    diags.error(
                        format!("Invalid monitor {name}"),
                        format!(
                            "monitor {name} is {days}; it must be 0 (off) or a number of days."
                        ),
                        path(Param::Monitor).attribute(name),
                    );
                }
            }
        }
    }
}

/// The attribute a server message is about, when it names a parameter
/// (`'structure'`, `destination[0]`).
pub fn attribute_for_message(message: &str) -> AttributePath {
    let lower = message.to_ascii_lowercase();
    JOB_PARAMS
        .iter()
        .filter(|p| tf_shape(p).is_some())
        .find(|p| {
            lower.contains(&format!("'{}", p.wire))
                || lower.contains(&format!("\"{}", p.wire))
                || lower.contains(&format!("{}[", p.wire))
                || lower.contains(&format!("parameter {}", p.wire))
        })
        .map_or_else(AttributePath::root, |p| AttributePath::new(p.wire))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn descriptions_list_allowed_values() {
        let s = schema();
        let d = &s.block.attributes["structure"].description.content;
        assert!(
            d.contains("`incremental`") && d.contains("`compressed`"),
            "{d}"
        );
    }

    #[test]
    fn message_naming_a_parameter_maps_to_its_attribute() {
        assert_eq!(
            attribute_for_message("Destination 'x' not found (parameter 'destination[0]')")
                .to_string(),
            AttributePath::new("destination").to_string()
        );
        assert_eq!(
            attribute_for_message("something else").to_string(),
            AttributePath::root().to_string()
        );
    }
}
