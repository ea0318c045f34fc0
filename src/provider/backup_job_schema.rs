//! Schema and plan-time validation of `jetbackup_backup_job`, derived from
//! the API's parameter table ([`JOB_PARAMS`]): each parameter's description,
//! note, allowed values and JetBackup name come from its row, the Terraform
//! constraint from its [`Role`] and the type (or nested block) from its
//! [`Shape`]. No code here names a parameter to build the schema; a new row
//! appears in it (the golden test below shows the change).

use std::collections::{BTreeSet, HashMap};

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::backup_job_model::{known_strings, JobState, StrSet};
use crate::api::client::is_object_id;
use crate::api::job::{
    choice_labels, contains_item_bit, contains_to_mask, mask_to_contains, param_def, JobTime,
    JobType, Param, ParamDef, Shape, JOB_PARAMS, UNNAMED_BIT_PREFIX,
};
use crate::api::object::Role;

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
        Role::Required => Some(AttributeConstraint::Required),
        Role::Optional => Some(AttributeConstraint::Optional),
        Role::Defaulted(_) | Role::ServerDefault(_) => Some(AttributeConstraint::OptionalComputed),
        Role::ReadOnly { .. } => None,
    }
}

/// A parameter written as a nested block: its nesting and attributes.
fn block_of(spec: &ParamDef, description: &str) -> Option<NestedBlock> {
    let w = spec.wire;
    let number = |doc: String| attr(AttributeType::Number, AttributeConstraint::Required, doc);
    let inner = |pairs: [(&str, Attribute); 2]| {
        block(
            description,
            pairs.into_iter().map(|(k, a)| (k.to_string(), a)).collect(),
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
                number(format!("How many backups this schedule keeps, 0 or more (JetBackup `{w}[i][retain]`).")),
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
    AttributePath::new(param_def(param).wire)
}

/// Checks a label against a parameter's choices.
fn check_choice(diags: &mut Diagnostics, param: Param, value: &Value<String>) {
    let spec = param_def(param);
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
        let spec = param_def(Param::Options);
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
                        choice_labels(param_def(Param::Contains).choices)
                    ),
                    JobType::Directories | JobType::Bmr => format!(
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

    if let (Some(t), Some(items)) = (job_type, known_strings(&config.contains)) {
        if let Some(detail) = contains_normalised(t, &items) {
            diags.error(
                "contains would not read back as written",
                detail,
                path(Param::Contains),
            );
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
                format!("Invalid {}", param_def(param).wire),
                format!("{} must not contain an empty path.", param_def(param).wire),
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

/// Why a valid-looking `contains` would come back from the server spelled
/// differently (and so break Terraform's plan), with what to write instead.
fn contains_normalised(job_type: JobType, items: &[String]) -> Option<String> {
    let set: BTreeSet<String> = items.iter().cloned().collect();
    let mask = contains_to_mask(job_type, &set)?;
    let reads_back = mask_to_contains(job_type, mask);
    if reads_back == set {
        return None;
    }
    let quoted = |s: &BTreeSet<String>| {
        s.iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(match (job_type, items.is_empty()) {
        (JobType::Accounts, true) => "contains = [] on an accounts job means every item: JetBackup stores it as 511 and returns all nine items. Remove contains to back up everything, or list the items to back up.".to_string(),
        (JobType::Accounts, false) => format!(
            "JetBackup returns these bits by their names: write contains = [{}].",
            quoted(&reads_back)
        ),
        (_, _) if reads_back.is_empty() => format!(
            "These bits are the full value of a {} job ({mask}), which JetBackup returns as an empty contains: remove contains or write contains = [].",
            job_type.label()
        ),
        (_, _) => format!(
            "JetBackup returns this value as contains = [{}]: write that instead.",
            quoted(&reads_back)
        ),
    })
}

/// The attribute a server message is about, when it names a parameter
/// (`'structure'`, `destination[0]`). For a block it is an attribute inside
/// the block (`schedules[0][retain]` → `schedules.retain`): Terraform shows
/// a diagnostic on an attribute's line, and on a block only through one.
pub fn attribute_for_message(message: &str) -> AttributePath {
    let lower = message.to_ascii_lowercase();
    let Some(p) = JOB_PARAMS.iter().filter(|p| p.role.is_input()).find(|p| {
        lower.contains(&format!("'{}", p.wire))
            || lower.contains(&format!("\"{}", p.wire))
            || lower.contains(&format!("{}[", p.wire))
            || lower.contains(&format!("parameter {}", p.wire))
    }) else {
        return AttributePath::root();
    };
    // The one inner attribute the message names, else the block's first.
    let inner = |named: &'static str, otherwise: &'static str| {
        let wire_name = if otherwise == "id" { "_id" } else { otherwise };
        let name = if lower.contains(&format!("[{named}]"))
            && !lower.contains(&format!("[{wire_name}]"))
        {
            named
        } else {
            otherwise
        };
        AttributePath::new(p.wire).attribute(name)
    };
    match p.shape {
        Shape::ScheduleList => inner("retain", "id"),
        Shape::Monitor => inner("notran", "ranfor"),
        Shape::Text
        | Shape::Int
        | Shape::Label
        | Shape::Bool
        | Shape::Bitmask
        | Shape::List
        | Shape::Grid
        | Shape::Time => AttributePath::new(p.wire),
    }
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
        assert_eq!(checked, 11, "optional attributes and blocks");
    }

    #[test]
    fn contains_that_would_read_back_differently_is_refused_with_the_fix() {
        let labels = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let accounts_all = contains_normalised(JobType::Accounts, &[]).unwrap();
        assert!(accounts_all.contains("Remove contains"), "{accounts_all}");
        let named = contains_normalised(JobType::Accounts, &labels(&["bit_1"])).unwrap();
        assert!(named.contains("\"config\""), "{named}");
        let full = contains_normalised(JobType::Directories, &labels(&["bit_1", "bit_2"])).unwrap();
        assert!(full.contains("contains = []"), "{full}");
        for ok in [
            (JobType::Directories, labels(&[])),
            (JobType::Bmr, labels(&[])),
            (JobType::Directories, labels(&["bit_1"])),
            (JobType::Accounts, labels(&["homedir", "bit_1024"])),
        ] {
            assert_eq!(contains_normalised(ok.0, &ok.1), None, "{ok:?}");
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
        for (body, attribute) in &cases {
            let reply = call(&mut sim, body);
            assert!(!reply.success, "{body} was accepted");
            assert_eq!(
                attribute_for_message(&reply.message).to_string(),
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
            attribute_for_message(&reply.message).to_string(),
            AttributePath::new("type").to_string(),
            "{}",
            reply.message
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
