//! The backup job's writes ([`super::table_write`] with [`RULES`]):
//! `manageBackupJob` (checked against the job's table, [`BACKUP_JOB`], by
//! the one request walker [`super::object_request`], with the job's own
//! rules named below around it), `deleteBackupJob` and `duplicateBackupJob`
//! (`runBackupJobManually` is [`super::run`]'s). A job is stored as the
//! [`Record`] its requests made, like every other object.

use std::time::Duration;

use serde_json::{json, Value};

use crate::api::job::BackupJob;
use crate::api::lenient::value_to_list;
use crate::api::object::backup_job::{BACKUP_JOB, REQUIRED_ON_CREATE};
use crate::api::object::Record;
use crate::api::object::MONITOR_BLOCK;
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::{apply_request, sent_as_one_value};
use super::objectid::IdGen;
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};
use super::table_write::Rules;
use super::write::{exists, fresh_id, not_found, Written};

/// The vendor's example reply says exactly this, for a create.
const DONE: &str = "Backup Job Updated/Created Successfully";

pub(super) const RULES: Rules = Rules {
    kind: &BACKUP_JOB,
    title: "Backup Job",
    created: DONE,
    updated: DONE,
    deleted: "Backup Job Deleted Successfully",
    stored: |d| &mut d.backup_jobs,
    written: Written::Job,
    refuse: None,
    request: Some(apply_job_request),
    created_with: |_, _, _, _| {},
    modified_with: None,
    in_use: None,
    deleted_with: None,
};

/// A job as a create starts it: every field a server prints for a job, set
/// or not, at the typed model's idle values (so a reply reads as it always
/// has). Inferred: the owner defaults to the logged-in user (root), by
/// analogy with the destination docs' wording.
pub(super) fn new_job() -> Record {
    let idle = BackupJob {
        owner: ROOT_ACCOUNT_ID.to_string().into(),
        owner_name: "root".to_string().into(),
        ..BackupJob::default()
    };
    Record::from_json(serde_json::to_value(idle).unwrap_or(Value::Null))
}

/// `manageBackupJob`: the job a request makes of `prior` (or a new one,
/// its `_id` still empty), checked by the job's table and its own rules against
/// `data`; nothing is stored.
pub fn apply_job_request(
    data: &SimData,
    prior: Option<&Record>,
    form: &FormValue,
) -> Result<Record, String> {
    if prior.is_none() {
        required_on_create(form)?;
    }
    let (form, resets) = resets(form)?;
    let is = |what: &str, id: &str| exists(data, what, id);
    let walked = Record::from(apply_request(&BACKUP_JOB, prior.map(|p| &p.0), &form, &is)?);
    let mut job = match prior {
        Some(_) => walked,
        None => {
            let mut job = new_job();
            job.extend(walked.0);
            job
        }
    };
    let fresh = new_job();
    for wire in resets {
        job.set(wire, fresh.get(wire).cloned().unwrap_or(Value::Null));
    }
    keep_the_other_monitor_half(prior, &mut job);
    owner_name_follows_the_owner(&mut job);
    Ok(job)
}

/// The vendor's page marks name, destination, type, contains and structure
/// REQUIRED on create: the first one missing is refused.
fn required_on_create(form: &FormValue) -> Result<(), String> {
    match BACKUP_JOB
        .fields
        .iter()
        .find(|f| is_required_on_create(f.wire) && form.get(f.wire).is_none())
    {
        Some(missing) => Err(format!(
            "Missing required parameter '{}' for action create",
            missing.wire
        )),
        None => Ok(()),
    }
}

fn is_required_on_create(wire: &str) -> bool {
    REQUIRED_ON_CREATE.contains(&wire)
}

/// Inferred: an optional scalar sent as `key=` resets it to a new job's
/// value (as `key=` clears a list); one required on create must not be
/// empty. Answers the request without those parameters, and their names.
fn resets(form: &FormValue) -> Result<(FormValue, Vec<&'static str>), String> {
    let mut resets = Vec::new();
    for field in BACKUP_JOB.fields.iter().filter(|f| {
        f.role.is_input()
            && sent_as_one_value(f.kind)
            && form.get(f.wire).is_some_and(FormValue::is_empty_scalar)
    }) {
        if is_required_on_create(field.wire) {
            return Err(format!(
                "Invalid parameter '{}': must not be empty",
                field.wire
            ));
        }
        resets.push(field.wire);
    }
    let rest = match form {
        FormValue::Map(entries) => FormValue::Map(
            entries
                .iter()
                .filter(|(k, _)| !resets.contains(&k.as_str()))
                .cloned()
                .collect(),
        ),
        FormValue::Str(_) => form.clone(),
    };
    Ok((rest, resets))
}

/// Inferred: one half of `monitor` may be sent alone; the other keeps its
/// stored value (0 on a new job).
fn keep_the_other_monitor_half(prior: Option<&Record>, job: &mut Record) {
    let held = prior.and_then(|p| p.get("monitor")).cloned();
    let Some(Value::Object(monitor)) = job.get_mut("monitor") else {
        return;
    };
    for half in MONITOR_BLOCK.iter().map(|a| a.wire) {
        if !monitor.contains_key(half) {
            let kept = held.as_ref().and_then(|h| h.get(half)).cloned();
            monitor.insert(half.to_string(), kept.unwrap_or(json!(0)));
        }
    }
}

/// `owner_name` is the owner's account name (the walker has refused an
/// unknown account); a sent `owner_name` is ignored. Inferred: the
/// vendor's example sends it, its table does not list it.
fn owner_name_follows_the_owner(job: &mut Record) {
    if let Some(a) = account(job.str("owner")) {
        job.set("owner_name", a.username);
    }
}

/// Whether a job names the object `id` in the field `wire`: a destination,
/// a filter group in a row of `filters`, a schedule's `_id` in `schedules`.
pub(super) fn uses(job: &Record, wire: &str, id: &str) -> bool {
    let items = job.get(wire).map(value_to_list).unwrap_or_default();
    items.iter().any(|item| match item {
        Value::Object(entry) if entry.contains_key("_id") => {
            entry.get("_id").and_then(Value::as_str) == Some(id)
        }
        Value::String(s) => s == id,
        row => value_to_list(row).iter().any(|g| g.as_str() == Some(id)),
    })
}

/// The jobs that name the object `id` in the field `wire`.
pub(super) fn jobs_using<'a>(
    data: &'a SimData,
    wire: &'a str,
    id: &'a str,
) -> impl Iterator<Item = &'a Record> {
    data.backup_jobs.iter().filter(move |j| uses(j, wire, id))
}

pub(super) fn duplicate_backup_job(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let orig = data
        .backup_jobs
        .iter()
        .find(|j| j.id() == id)
        .ok_or_else(|| not_found("Backup Job", id))?;
    let new_id = fresh_id(data, ids, now);
    // The vendor's example names the copy `<name> - <digits>`
    // where the digits start with the creation second
    // (`job1 - 16952335682482`). Inferred: the extra digits are a
    // sub-second fraction.
    // Inferred: everything else, schedules included, is copied.
    let mut copy = orig.clone();
    let name = format!(
        "{} - {}{:04}",
        orig.name(),
        now.as_secs(),
        now.subsec_micros() / 100
    );
    copy.set("_id", new_id.as_str());
    copy.set("name", name);
    copy.set("disabled", 1);
    copy.set("running", 0);
    copy.set("state", 0);
    copy.set("last_run", Value::Null);
    data.backup_jobs.push(copy);
    Ok(("Backup Job Duplicated Successfully", Written::Job(new_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::job::{
        param_def, BackupJob, JobSpec, JobTime, JobType, JobValue, Monitor, Param, ScheduleRef,
    };
    use crate::api::object::{Field, ValueKind};
    use crate::api::wire::parse_pairs;
    use crate::sim::seed::{
        builtin, ACCOUNTS, DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, RESELLER_ACCOUNT_ID,
        SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID, SCHEDULE_WEEKLY_ID,
    };
    use proptest::prelude::*;

    fn form(s: &str) -> FormValue {
        FormValue::from_pairs(&parse_pairs(s))
    }

    /// Checks and applies `body` as a create against the built-in seed.
    fn create(body: &str) -> Result<Record, String> {
        apply_job_request(&builtin(), None, &form(body))
    }

    fn modify(job: &Record, body: &str) -> Result<Record, String> {
        apply_job_request(&builtin(), Some(job), &form(body))
    }

    fn base() -> String {
        format!("name=Nightly&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1")
    }

    fn err(r: Result<Record, String>) -> String {
        match r {
            Ok(j) => panic!("expected a refusal, got {j:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn minimal_create_gets_defaults() {
        let job = create(&base()).unwrap();
        assert_eq!(job.name(), "Nightly");
        assert_eq!(job["destination"], json!([DEST_LOCAL_ID]));
        assert_eq!(
            (job.int("type"), job.int("contains"), job.int("structure")),
            (1, 511, 1)
        );
        assert_eq!(job.str("owner"), ROOT_ACCOUNT_ID);
        assert_eq!(job.str("owner_name"), "root");
        assert_eq!(job["time"], Value::Null);
        assert!(!job.bool("disabled") && !job.bool("running"));
        // Every key a job prints, set or not.
        let keys: Vec<&String> = job.keys().collect();
        assert_eq!(keys, new_job().keys().collect::<Vec<_>>());
    }

    #[test]
    fn create_requires_each_required_param() {
        for p in ["name", "destination", "type", "contains", "structure"] {
            let body: String = base()
                .split('&')
                .filter(|kv| !kv.starts_with(p))
                .collect::<Vec<_>>()
                .join("&");
            let e = err(create(&body));
            assert!(e.contains(&format!("'{p}'")), "{p}: {e}");
        }
    }

    #[test]
    fn type_must_be_1_2_or_4() {
        let e = err(create(&base().replace("type=1", "type=3")));
        assert_eq!(e, "Invalid parameter 'type': must be one of 1, 2, 4");
    }

    #[test]
    fn structure_must_be_1_2_or_4() {
        let e = err(create(&base().replace("structure=1", "structure=3")));
        assert_eq!(e, "Invalid parameter 'structure': must be one of 1, 2, 4");
    }

    #[test]
    fn options_must_be_a_listed_value() {
        let job = create(&format!("{}&options=6", base())).unwrap();
        assert_eq!(job.int("options"), 6);
        let e = err(create(&format!("{}&options=3", base())));
        assert_eq!(
            e,
            "Invalid parameter 'options': must be one of 0, 1, 2, 4, 6"
        );
    }

    #[test]
    fn name_must_not_be_empty() {
        let e = err(create(&base().replace("name=Nightly", "name=%20")));
        assert!(e.contains("'name'"), "{e}");
    }

    #[test]
    fn destination_must_exist() {
        let e = err(create(&format!("{}&destination[1]=abc", base())));
        assert_eq!(
            e,
            "Destination 'abc' not found (parameter 'destination[1]')"
        );
    }

    #[test]
    fn destination_must_be_a_list_with_one_entry() {
        let e = err(create(&base().replace(
            &format!("destination[0]={DEST_LOCAL_ID}"),
            "destination=",
        )));
        assert_eq!(
            e,
            "Invalid parameter 'destination': at least one destination is required"
        );
        let e = err(create(&base().replace(
            &format!("destination[0]={DEST_LOCAL_ID}"),
            &format!("destination={DEST_LOCAL_ID}"),
        )));
        assert!(e.contains("must be a list"), "{e}");
    }

    #[test]
    fn contains_must_be_positive_but_any_bits_are_accepted() {
        let job = create(&base().replace("contains=511", "contains=4096")).unwrap();
        assert_eq!(job.int("contains"), 4096);
        for bad in ["contains=0", "contains=-1", "contains=all"] {
            let e = err(create(&base().replace("contains=511", bad)));
            assert!(e.starts_with("Invalid parameter 'contains'"), "{e}");
        }
    }

    #[test]
    fn booleans_are_0_or_1() {
        let job = create(&format!("{}&retry_failed=1&disabled=1", base())).unwrap();
        assert!(job.bool("retry_failed") && job.bool("disabled"));
        let e = err(create(&format!("{}&retry_failed=true", base())));
        assert!(e.contains("'retry_failed'"), "{e}");
        let e = err(create(&format!("{}&disabled=2", base())));
        assert!(e.contains("'disabled'"), "{e}");
    }

    #[test]
    fn time_is_four_digit_hhmm() {
        let job = create(&format!("{}&time=0350", base())).unwrap();
        assert_eq!(job["time"], json!(350));
        for bad in ["2400", "0960", "350", "03:50", "abcd"] {
            let e = err(create(&format!("{}&time={bad}", base())));
            assert!(e.starts_with("Invalid parameter 'time'"), "{bad}: {e}");
        }
    }

    #[test]
    fn monitor_values_are_non_negative() {
        let job = create(&format!("{}&monitor[ranfor]=1&monitor[notran]=2", base())).unwrap();
        assert_eq!(job["monitor"], json!({"ranfor": 1, "notran": 2}));
        let e = err(create(&format!("{}&monitor[notran]=-1", base())));
        assert!(e.contains("'monitor[notran]'"), "{e}");
        // One half alone: the other is a new job's.
        let job = create(&format!("{}&monitor[notran]=4", base())).unwrap();
        assert_eq!(job["monitor"], json!({"ranfor": 0, "notran": 4}));
    }

    #[test]
    fn schedules_must_exist_and_retain_be_non_negative() {
        let job = create(&format!(
            "{}&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=7",
            base()
        ))
        .unwrap();
        assert_eq!(
            job["schedules"],
            json!([{"_id": SCHEDULE_DAILY_ID, "retain": 7}])
        );
        let e = err(create(&format!(
            "{}&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=7&schedules[1][_id]=nope&schedules[1][retain]=1",
            base()
        )));
        assert_eq!(
            e,
            "Schedule 'nope' not found (parameter 'schedules[1][_id]')"
        );
        let e = err(create(&format!(
            "{}&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=-3",
            base()
        )));
        assert!(e.contains("'schedules[0][retain]'"), "{e}");
    }

    #[test]
    fn filters_must_be_existing_groups() {
        let job = create(&format!(
            "{}&filters[0][0]={GROUP_A_ID}&filters[1][0]={GROUP_B_ID}&filters[1][1]={GROUP_A_ID}",
            base()
        ))
        .unwrap();
        assert_eq!(
            job["filters"],
            json!([[GROUP_A_ID], [GROUP_B_ID, GROUP_A_ID]])
        );
        let e = err(create(&format!(
            "{}&filters[0][0]={GROUP_A_ID}&filters[0][1]=zzz",
            base()
        )));
        assert_eq!(
            e,
            "Account filter group 'zzz' not found (parameter 'filters[0][1]')"
        );
    }

    #[test]
    fn directories_jobs_need_an_include_list() {
        let dirs = base()
            .replace("type=1", "type=2")
            .replace("contains=511", "contains=3");
        let e = err(create(&dirs));
        assert!(e.contains("'include_list'"), "{e}");
        let job = create(&format!("{dirs}&include_list[0]=/etc")).unwrap();
        assert_eq!(job["include_list"], json!(["/etc"]));
        // Clearing the list later is refused too.
        let e = err(modify(&job, "include_list="));
        assert!(e.contains("'include_list'"), "{e}");
    }

    #[test]
    fn owner_must_be_a_known_account() {
        let job = create(&format!("{}&owner={RESELLER_ACCOUNT_ID}", base())).unwrap();
        assert_eq!(job.str("owner_name"), "reseller1");
        let e = err(create(&format!(
            "{}&owner=6503d48bfc45b1addf0a9699",
            base()
        )));
        assert!(e.contains("'owner'"), "{e}");
        // `owner=` gives the job back to the default owner.
        let back = modify(&job, "owner=").unwrap();
        assert_eq!(
            (back.str("owner"), back.str("owner_name")),
            (ROOT_ACCOUNT_ID, "root")
        );
    }

    #[test]
    fn modify_is_partial() {
        let job = create(&format!(
            "{}&exclude_list[0]=/tmp&time=0350&monitor[ranfor]=1&monitor[notran]=2&retry_failed=1",
            base()
        ))
        .unwrap();
        let changed = modify(&job, "disabled=1&monitor[notran]=5").unwrap();
        assert!(changed.bool("disabled"));
        assert_eq!(changed["monitor"], json!({"ranfor": 1, "notran": 5}));
        let mut expected = job.clone();
        expected.set("disabled", 1);
        expected.set("monitor", json!({"ranfor": 1, "notran": 5}));
        assert_eq!(changed, expected);
    }

    #[test]
    fn a_sent_list_replaces_the_stored_one() {
        let job = create(&format!("{}&exclude_list[0]=/a&exclude_list[1]=/b", base())).unwrap();
        let changed = modify(
            &job,
            &format!(
                "exclude_list[0]=/c&destination[0]={DEST_S3_ID}&destination[1]={DEST_LOCAL_ID}"
            ),
        )
        .unwrap();
        assert_eq!(changed["exclude_list"], json!(["/c"]));
        assert_eq!(changed["destination"], json!([DEST_S3_ID, DEST_LOCAL_ID]));
    }

    #[test]
    fn empty_value_clears() {
        let job = create(&format!(
            "{}&exclude_list[0]=/a&filters[0][0]={GROUP_A_ID}&schedules[0][_id]={SCHEDULE_WEEKLY_ID}&schedules[0][retain]=1&time=2330&monitor[ranfor]=3&options=4&retry_failed=1",
            base()
        ))
        .unwrap();
        let cleared = modify(
            &job,
            "exclude_list=&filters=&schedules=&time=&monitor=&options=&retry_failed=",
        )
        .unwrap();
        for key in ["exclude_list", "filters", "schedules"] {
            assert_eq!(cleared[key], json!([]), "{key}");
        }
        assert_eq!(cleared["time"], Value::Null);
        assert_eq!(cleared["monitor"], json!({"ranfor": 0, "notran": 0}));
        assert_eq!(cleared.int("options"), 0);
        assert!(!cleared.bool("retry_failed"));
        // Required scalars cannot be cleared.
        let e = err(modify(&job, "structure="));
        assert!(e.contains("'structure'"), "{e}");
    }

    #[test]
    fn type_cannot_change_but_may_be_resent() {
        let job = create(&base()).unwrap();
        let e = err(modify(&job, "type=4"));
        assert_eq!(e, "Invalid parameter 'type': the type of an existing backup job cannot be changed (it is accounts, the request has bmr)");
        assert!(modify(&job, "type=1&name=Renamed").is_ok());
    }

    #[test]
    fn unknown_and_read_only_params_are_ignored() {
        let job = create(&format!(
            "{}&running=1&state=2&owner_name=someone&bogus[x]=1",
            base()
        ))
        .unwrap();
        assert!(!job.bool("running"));
        assert_eq!(job.int("state"), 0);
        assert_eq!(job.str("owner_name"), "root");
        assert!(!job.contains_key("bogus"));
    }

    #[test]
    fn jobs_are_found_by_what_they_use() {
        let job = create(&format!(
            "{}&filters[0][0]={GROUP_A_ID}&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=1",
            base()
        ))
        .unwrap();
        assert!(uses(&job, "destination", DEST_LOCAL_ID));
        assert!(uses(&job, "filters", GROUP_A_ID));
        assert!(uses(&job, "schedules", SCHEDULE_DAILY_ID));
        assert!(!uses(&job, "destination", DEST_S3_ID));
        assert!(!uses(&job, "filters", GROUP_B_ID));
        // PHP's spelling of a list as an object reads the same.
        let php = Record::from_json(json!({"filters": {"0": {"0": GROUP_B_ID}}}));
        assert!(uses(&php, "filters", GROUP_B_ID));
    }

    /// The vendor's example create call (manageBackupJob seed page), with
    /// placeholder IDs for its `{$VARS}`. The example is missing the `&`
    /// before `schedules[1][retain]`; that is treated as a typo here.
    #[test]
    fn vendor_example_create_call_encodes_pair_for_pair() {
        let (owner, dest1, dest2) = ("OWNER_ACCOUNT_ID", "DESTINATION_ID1", "DESTINATION_ID2");
        let (g1, g2, g3) = ("GROUP_FILTER_ID1", "GROUP_FILTER_ID2", "GROUP_FILTER_ID3");
        let (s1, s2) = ("SCHEDULE_ID1", "SCHEDULE_ID2");
        let spec = JobSpec::new()
            .with(Param::Name, "API Backup Job".to_string())
            .with(Param::Owner, owner.to_string())
            .with(Param::OwnerName, "OWNER_ACCOUNT_NAME".to_string())
            .with(
                Param::Destination,
                vec![dest1.to_string(), dest2.to_string()],
            )
            .with(Param::Type, JobType::Accounts)
            .with(Param::Contains, JobValue::Int(511))
            .with(Param::Structure, JobValue::Int(1))
            .with(
                Param::Filters,
                vec![vec![g1.into()], vec![g2.into(), g3.into()]],
            )
            .with(
                Param::ExcludeList,
                vec![
                    ".MirrorSearch".to_string(),
                    "*/.wysiwygPro_*".to_string(),
                    "*/core.[0-9]*".to_string(),
                ],
            )
            .with(
                Param::Schedules,
                vec![
                    ScheduleRef {
                        id: s1.into(),
                        retain: 5,
                    },
                    ScheduleRef {
                        id: s2.into(),
                        retain: 5,
                    },
                ],
            )
            .with_opt(Param::Time, JobTime::new(23, 30))
            .with(
                Param::Monitor,
                Monitor {
                    ranfor: 1.into(),
                    notran: 1.into(),
                },
            );
        let expected: Vec<(&str, &str)> = vec![
            ("action", "create"),
            ("name", "API Backup Job"),
            ("owner", owner),
            ("owner_name", "OWNER_ACCOUNT_NAME"),
            ("destination[0]", dest1),
            ("destination[1]", dest2),
            ("type", "1"),
            ("contains", "511"),
            ("structure", "1"),
            ("filters[0][0]", g1),
            ("filters[1][0]", g2),
            ("filters[1][1]", g3),
            ("exclude_list[0]", ".MirrorSearch"),
            ("exclude_list[1]", "*/.wysiwygPro_*"),
            ("exclude_list[2]", "*/core.[0-9]*"),
            ("schedules[0][_id]", s1),
            ("schedules[0][retain]", "5"),
            ("schedules[1][_id]", s2),
            ("schedules[1][retain]", "5"),
            ("time", "2330"),
            ("monitor[ranfor]", "1"),
            ("monitor[notran]", "1"),
        ];
        let params = spec.create_params();
        let got: Vec<(&str, &str)> = params
            .pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, expected);
    }

    fn text() -> impl Strategy<Value = String> {
        // Unicode plus every character that means something in a form body
        // or in bracket notation; never blank (the walker refuses that).
        proptest::string::string_regex(
            "[a-zA-Z0-9 &=%+\\[\\]#?/;:,.*\"'éü中😀_-]{0,23}[a-zA-Z0-9&=%+#/*éü中😀_-]",
        )
        .unwrap()
    }

    /// An ID of an object of the built-in seed of the kind a row refers to
    /// (by the table's name for it), or any text.
    fn seeded(refers: Option<&str>) -> BoxedStrategy<String> {
        let ids: Vec<&str> = match refers {
            Some("account") => ACCOUNTS.iter().map(|a| a.id).collect(),
            Some("destination") => vec![DEST_LOCAL_ID, DEST_S3_ID],
            Some("account filter group") => vec![GROUP_A_ID, GROUP_B_ID],
            Some("schedule") => vec![SCHEDULE_HOURLY_ID, SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID],
            Some(other) => panic!("no seeded {other} to refer to: give this test one"),
            None => return text().boxed(),
        };
        proptest::sample::select(ids)
            .prop_map(str::to_string)
            .boxed()
    }

    /// Any valid value of a parameter, in wire terms, by its row's kind.
    fn value(field: &'static Field) -> BoxedStrategy<JobValue> {
        let codes: Vec<i64> = field
            .kind
            .choices()
            .unwrap_or(&[])
            .iter()
            .map(|c| c.code)
            .collect();
        match field.kind {
            ValueKind::Text => seeded(None).prop_map(JobValue::Text).boxed(),
            ValueKind::Ref(what) => seeded(Some(what)).prop_map(JobValue::Text).boxed(),
            ValueKind::Label(_) | ValueKind::Numbered(_) => proptest::sample::select(codes)
                .prop_map(JobValue::Int)
                .boxed(),
            ValueKind::Bitmask(_) => (1i64..100_000).prop_map(JobValue::Int).boxed(),
            ValueKind::Bool => any::<bool>().prop_map(JobValue::Bool).boxed(),
            ValueKind::RefSet(what) => {
                // A job's required list (its destinations) is never empty.
                let least = usize::from(field.role == crate::api::table::Role::Required);
                proptest::collection::vec(seeded(Some(what)), least..4)
                    .prop_map(JobValue::List)
                    .boxed()
            }
            ValueKind::Paths => proptest::collection::vec(seeded(None), 0..4)
                .prop_map(JobValue::List)
                .boxed(),
            ValueKind::RefGrid(what) => {
                proptest::collection::vec(proptest::collection::vec(seeded(Some(what)), 1..3), 0..3)
                    .prop_map(JobValue::Grid)
                    .boxed()
            }
            ValueKind::Schedules => {
                proptest::collection::vec((seeded(Some("schedule")), 0i64..10_000), 0..4)
                    .prop_map(|v| {
                        JobValue::Schedules(
                            v.into_iter()
                                .map(|(id, retain)| ScheduleRef { id, retain })
                                .collect(),
                        )
                    })
                    .boxed()
            }
            ValueKind::Time => (0u8..24, 0u8..60)
                .prop_filter_map("a time of day", |(h, m)| {
                    JobTime::new(h, m).map(JobValue::Time)
                })
                .boxed(),
            ValueKind::Monitor => (0i64..1000, 0i64..1000)
                .prop_map(|(ranfor, notran)| {
                    JobValue::Monitor(Monitor {
                        ranfor: ranfor.into(),
                        notran: notran.into(),
                    })
                })
                .boxed(),
            ValueKind::Count => (0i64..100_000).prop_map(JobValue::Int).boxed(),
            ValueKind::Range { min, max } => (min..=max).prop_map(JobValue::Int).boxed(),
            ValueKind::IntIn(list) => proptest::sample::select(list)
                .prop_map(JobValue::Int)
                .boxed(),
            ValueKind::Char { .. }
            | ValueKind::TextSet
            | ValueKind::JoinedSet
            | ValueKind::IntSet { .. }
            | ValueKind::LabelSet(_)
            | ValueKind::Path
            | ValueKind::Key(_)
            | ValueKind::Secret { .. } => {
                panic!(
                    "{}: no job parameter is of this kind: give this test one",
                    field.attr
                )
            }
        }
    }

    /// Any valid create: every parameter required on create, each other
    /// present or not; a directories job with paths to back up.
    fn job_spec() -> impl Strategy<Value = JobSpec> {
        Param::ALL
            .iter()
            .map(|&param| {
                let field = param_def(param);
                let v = value(field);
                if REQUIRED_ON_CREATE.contains(&field.wire) {
                    v.prop_map(move |v| (param, Some(v))).boxed()
                } else {
                    proptest::option::of(v)
                        .prop_map(move |v| (param, v))
                        .boxed()
                }
            })
            .collect::<Vec<_>>()
            .prop_map(|values| {
                values
                    .into_iter()
                    .fold(JobSpec::new(), |spec, (p, v)| spec.with_opt(p, v))
            })
            .prop_filter("a directories job backs up paths", |spec| {
                spec.int(Param::Type) != Some(JobType::Directories.code())
                    || spec.list(Param::IncludeList).is_some_and(|l| !l.is_empty())
            })
    }

    /// Every parameter a spec sends, as the typed client reads the job back
    /// (`owner_name` follows the owner, whatever is sent).
    fn read_back(spec: &JobSpec, job: Record) -> Result<(), TestCaseError> {
        let job: BackupJob = serde_json::from_value(job.into_json())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (param, sent) in spec.iter().filter(|(p, _)| *p != Param::OwnerName) {
            let got = job.value(param);
            prop_assert_eq!(got.as_ref(), Some(sent), "{:?}", param);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// What the client encodes, the simulator stores as the same values:
        /// through the form body string, PHP-style parsing, the one request
        /// walker and the job's rules, read back by the client's model.
        #[test]
        fn client_encoding_round_trips_through_the_simulator(spec in job_spec()) {
            let body = spec.create_params().encode();
            let parsed = FormValue::from_pairs(&parse_pairs(&body));
            prop_assert_eq!(parsed.get("action").and_then(FormValue::as_str), Some("create"));
            let job = apply_job_request(&builtin(), None, &parsed).map_err(TestCaseError::fail)?;
            read_back(&spec, job.clone())?;
            // And the modify encoding, with its `_id`, over the created job.
            let body = spec.modify_params("6504c79fd4b57d536c05bbe2").encode();
            let parsed = FormValue::from_pairs(&parse_pairs(&body));
            prop_assert_eq!(parsed.get("_id").and_then(FormValue::as_str), Some("6504c79fd4b57d536c05bbe2"));
            let again = apply_job_request(&builtin(), Some(&job), &parsed).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&again, &job);
        }
    }
}
