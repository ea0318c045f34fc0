//! Plan-time validation of `jetbackup_backup_job`, by the rows of
//! [`JOB_PARAMS`]: each parameter is checked by its [`Shape`] (a label
//! against its choices, IDs of what it refers to, a time of day, ...), so a
//! new row is checked with no code here. The rules that tie parameters
//! together (`include_list` only for `directories` jobs, `contains` by job
//! type) are written out below. Also: which attribute a server refusal
//! names ([`attribute_for_message`]).

use crate::api::table::{choice_labels, Role};
use std::collections::BTreeSet;

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::backup_job_model::{known_strings, Cell, JobState, StrSet, LAST_RUN, NEXT_RUN};
use crate::api::job::param_by_wire;
use crate::api::job::Param;
use crate::api::job::{
    contains_item_bit, contains_to_mask, mask_to_contains, JobType, ParamDef, Shape, JOB_PARAMS,
    UNNAMED_BIT_PREFIX,
};
use crate::api::object::COUNT_MAX;
use crate::api::objectid::is_object_id;
use crate::provider::number::{self, NotWhole};

fn path(def: &ParamDef) -> AttributePath {
    AttributePath::new(def.wire)
}

/// What a parameter refers to, in a sentence (`account filter group`).
fn word(def: &ParamDef) -> &'static str {
    def.refers.map_or("", |r| r.word())
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
    for n in &config.not_whole {
        let (summary, detail, at) = number::refusal(n, &number_allowed(n));
        diags.error(summary, detail, at);
    }
    let read_only = |name: &str| {
        (
            format!("{name} is read-only"),
            format!(
                "{name} is computed by JetBackup and cannot be set in configuration; remove it."
            ),
            AttributePath::new(name.to_string()),
        )
    };
    for (name, value) in [
        ("id", &config.id),
        (NEXT_RUN, &config.next_run),
        (LAST_RUN, &config.last_run),
    ] {
        if !value.is_null() {
            let (summary, detail, at) = read_only(name);
            diags.error(summary, detail, at);
        }
    }
    let job_type = config.job_type();
    for (def, cell) in config.cells() {
        match def.role {
            Role::ReadOnly { .. } => {
                if !cell.is_null() {
                    let (summary, detail, at) = read_only(def.wire);
                    diags.error(summary, detail, at);
                }
            }
            Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => {
                check_cell(diags, def, cell, job_type)
            }
        }
    }
    check_include_list(diags, config, job_type);
}

/// The checks a value of its shape gets.
fn check_cell(diags: &mut Diagnostics, def: &ParamDef, cell: &Cell, job_type: Option<JobType>) {
    let w = def.wire;
    match cell {
        Cell::Text(Value::Value(text)) => {
            if def.role == Role::Required && text.trim().is_empty() {
                diags.error(
                    format!("Invalid {w}"),
                    format!("{w} must not be empty."),
                    path(def),
                );
            }
            if def.refers.is_some() && !is_object_id(text) {
                diags.error(
                    format!("Invalid {w} ID"),
                    format!(
                        "{text:?} is not a JetBackup {} ID (24 hexadecimal digits).",
                        word(def)
                    ),
                    path(def),
                );
            }
        }
        Cell::Label(Value::Value(label)) => {
            if !def.choices.iter().any(|c| c.label == label) {
                diags.error(
                    format!("Invalid {w}"),
                    format!(
                        "{w} is {label:?}; allowed values: {}.",
                        choice_labels(def.choices)
                    ),
                    path(def),
                );
            }
        }
        Cell::Int(Value::Value(n)) => {
            if !def.choices.is_empty() && !def.choices.iter().any(|c| c.code == *n) {
                let allowed = def
                    .choices
                    .iter()
                    .map(|c| format!("{} ({})", c.code, c.doc))
                    .collect::<Vec<_>>()
                    .join(", ");
                diags.error(
                    format!("Invalid {w}"),
                    format!("{w} is {n}; allowed values: {allowed}."),
                    path(def),
                );
            }
        }
        Cell::Time(Value::Value(time)) => {
            if crate::api::job::JobTime::parse_hhmm(time).is_none() {
                diags.error(
                    format!("Invalid {w}"),
                    format!("{w} is {time:?}; it must be a time of day as four digits HHMM, from \"0000\" to \"2359\" (e.g. \"0350\")."),
                    path(def),
                );
            }
        }
        Cell::List(set) => {
            // Elements still unknown (IDs of objects not yet created) count.
            if def.role == Role::Required && matches!(set, Value::Value(s) if s.is_empty()) {
                diags.error(
                    format!("Invalid {w}"),
                    format!("{w} needs at least one {} ID.", word(def)),
                    path(def),
                );
            }
            if def.refers.is_some() {
                check_ids(diags, path(def), word(def), set);
            } else if known_strings(set)
                .unwrap_or_default()
                .iter()
                .any(|p| p.trim().is_empty())
            {
                diags.error(
                    format!("Invalid {w}"),
                    format!("{w} must not contain an empty path."),
                    path(def),
                );
            }
        }
        Cell::Bitmask(set) => {
            if let (Some(t), Some(items)) = (job_type, known_strings(set)) {
                // Items still unknown (a variable) are not an empty set: what
                // the whole set reads back as is checked once they are known.
                let whole = matches!(set, Value::Value(s) if s.iter().all(|i| !i.is_unknown()));
                check_bitmask(diags, def, t, &items, whole);
            }
        }
        Cell::Grid(Value::Value(rows)) => {
            for row in rows {
                if matches!(row, Value::Value(r) if r.is_empty()) {
                    diags.error(
                        format!("Invalid {w}"),
                        format!("Each inner set of {w} needs at least one {} ID.", word(def)),
                        path(def),
                    );
                }
                check_ids(diags, path(def), word(def), row);
            }
        }
        Cell::Schedules(Value::Value(blocks)) => {
            let mut seen = BTreeSet::new();
            for s in blocks.iter().filter_map(|s| s.as_ref_option()) {
                if let Value::Value(id) = &s.id {
                    if !is_object_id(id) {
                        diags.error(
                            format!("Invalid {} ID", word(def)),
                            format!(
                                "{id:?} is not a JetBackup {} ID (24 hexadecimal digits).",
                                word(def)
                            ),
                            path(def).attribute("id"),
                        );
                    }
                    if !seen.insert(id.clone()) {
                        diags.error(
                            format!("Duplicate {}", word(def)),
                            format!("Schedule {id} is attached twice; attach each schedule once with one retain value."),
                            path(def),
                        );
                    }
                }
                if let Value::Value(retain) = s.retain {
                    if !(0..=RETAIN_MAX).contains(&retain) {
                        diags.error(
                            "Invalid retain",
                            format!("retain is {retain}; allowed: {}.", retain_allowed()),
                            path(def).attribute("retain"),
                        );
                    }
                }
            }
        }
        Cell::Monitor(Value::Value(m)) => {
            for (name, v) in [("ranfor", m.ranfor), ("notran", m.notran)] {
                if let Value::Value(days) = v {
                    if !(0..=COUNT_MAX).contains(&days) {
                        diags.error(
                            format!("Invalid {w} {name}"),
                            format!("{w} {name} is {days}; allowed: {}.", days_allowed()),
                            path(def).attribute(name),
                        );
                    }
                }
            }
        }
        // Null or unknown: nothing to check yet.
        Cell::Text(Value::Null | Value::Unknown)
        | Cell::Label(Value::Null | Value::Unknown)
        | Cell::Int(Value::Null | Value::Unknown)
        | Cell::Time(Value::Null | Value::Unknown)
        | Cell::Grid(Value::Null | Value::Unknown)
        | Cell::Schedules(Value::Null | Value::Unknown)
        | Cell::Monitor(Value::Null | Value::Unknown)
        | Cell::Bool(_) => {}
    }
}

/// The `contains` items of a job of type `t`: each one valid for the type,
/// and the whole spelled the way the server returns it.
/// `whole`: every item is known (the set's spelling can be judged).
fn check_bitmask(
    diags: &mut Diagnostics,
    def: &ParamDef,
    t: JobType,
    items: &[String],
    whole: bool,
) {
    let w = def.wire;
    for item in items {
        if contains_item_bit(t, item).is_none() {
            let allowed = match t {
                JobType::Accounts => format!(
                    "{}, or {UNNAMED_BIT_PREFIX}<power of two> for a bit without a name",
                    choice_labels(def.choices)
                ),
                JobType::Directories | JobType::Bmr => format!(
                    "none: leave {w} unset for {} jobs (the full value is sent), or {UNNAMED_BIT_PREFIX}<power of two> for a raw bit",
                    t.label()
                ),
            };
            diags.error(
                format!("Invalid {w} item"),
                format!(
                    "{w} item {item:?} is not valid for {} jobs; allowed: {allowed}.",
                    t.label()
                ),
                path(def),
            );
        }
    }
    if let Some(detail) = contains_normalised(t, items).filter(|_| whole) {
        diags.error(
            format!("{w} would not read back as written"),
            detail,
            path(def),
        );
    }
}

/// `include_list` is what a `directories` job backs up, and only that type's.
fn check_include_list(diags: &mut Diagnostics, config: &JobState, job_type: Option<JobType>) {
    let at = JobState::path(Param::IncludeList);
    match (job_type, config.cell(Param::IncludeList)) {
        (Some(JobType::Directories), Cell::List(Value::Null)) => diags.error(
            "Missing include_list",
            "A directories job needs include_list: the paths to back up.",
            at,
        ),
        (Some(JobType::Directories), Cell::List(Value::Value(set))) if set.is_empty() => diags
            .error(
                "Missing include_list",
                "A directories job needs at least one path in include_list.",
                at,
            ),
        (Some(t @ (JobType::Accounts | JobType::Bmr)), Cell::List(Value::Value(_))) => diags.error(
            "include_list not allowed",
            format!(
                "include_list applies only to directories jobs; this job's type is {:?}.",
                t.label()
            ),
            at,
        ),
        _ => {}
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

/// The most backups one schedule of a job keeps (`schedules.retain`).
/// Inferred: no JetBackup source gives a bound; 100,000 is over eleven
/// years of hourly backups, and refuses a value that can only be a mistake
/// (`9223372036854775807`) at plan rather than sending it.
pub const RETAIN_MAX: i64 = 100_000;

fn retain_allowed() -> String {
    format!("an integer from 0 to {RETAIN_MAX}")
}

fn days_allowed() -> String {
    format!("0 (off) or a number of days up to {COUNT_MAX}")
}

/// What a job's number attribute takes, for the refusal of one that is not
/// a whole number.
fn number_allowed(n: &NotWhole) -> String {
    let Some(def) = n.path.first().and_then(|top| param_by_wire(top)) else {
        return "a whole number".to_string();
    };
    match def.shape {
        Shape::ScheduleList => retain_allowed(),
        Shape::Monitor => days_allowed(),
        Shape::Int if !def.choices.is_empty() => def
            .choices
            .iter()
            .map(|c| format!("{} ({})", c.code, c.doc))
            .collect::<Vec<_>>()
            .join(", "),
        Shape::Int
        | Shape::Text
        | Shape::Label
        | Shape::Time
        | Shape::Bool
        | Shape::List
        | Shape::Bitmask
        | Shape::Grid => format!("an integer from 0 to {COUNT_MAX}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The refusals of a configuration given as JSON (numbers as Terraform
    /// encodes them: `1.5` a float, `1e30` beyond 64 bits).
    fn refusals(json: &str) -> Vec<(String, String, AttributePath)> {
        let config: JobState = serde_json::from_str(json).expect("a configuration");
        let mut diags = Diagnostics::default();
        validate(&mut diags, &config);
        diags
            .errors
            .into_iter()
            .map(|d| (d.summary.to_string(), d.detail.to_string(), d.attribute))
            .collect()
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
            let got = refusals(&json);
            let on_attr: Vec<_> = got.iter().filter(|(_, _, at)| *at == path).collect();
            assert_eq!(on_attr.len(), 1, "{json}: {got:?}");
            let (summary, detail, _) = on_attr[0];
            assert!(summary.contains(attr), "{json}: {summary}");
            let range = match attr {
                "retain" => "from 0 to 100000".to_string(),
                "ranfor" => format!("up to {COUNT_MAX}"),
                _ => "allowed".to_string(),
            };
            assert!(detail.contains(&range), "{json}: {detail}");
            assert!(!detail.contains("untagged"), "{detail}");
        }
        assert!(refusals(&format!(
            r#"{{"schedules": [{{"id": "{sid}", "retain": 100000}}]}}"#
        ))
        .iter()
        .all(|(s, _, _)| !s.contains("retain")));
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
