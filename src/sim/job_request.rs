//! `manageBackupJob`: decoding a request into the values it writes, checking
//! them against the stored data, and building the job after the write.
//!
//! Decoding ([`decode_job_request`]) walks the client's own parameter table
//! ([`JOB_PARAMS`]) so that the simulator accepts exactly what the encoder
//! sends; it checks what can be checked without the store (shapes, integers,
//! enumerations, `HHMM`). [`apply_job_request`] then checks references
//! (destinations, schedules, filter groups, owner) and the rules that depend
//! on the stored job (the type cannot change, a directories job needs paths)
//! and returns the new job without touching the store, so that a refused
//! request changes nothing.

use crate::api::table::Role;
use std::collections::BTreeSet;

use crate::api::job::{
    BackupJob, JobSpec, JobTime, JobType, JobValue, Monitor, Param, ParamDef, RefersTo,
    ScheduleRef, Shape, JOB_PARAMS,
};

use crate::api::wire::FormValue;

use super::form::{flag, int, keyed_entries, non_negative, one_of, scalar};
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};

/// What one `manageBackupJob` request writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobRequest {
    /// Every parameter sent, in the client's model. A list sent as `key=` is
    /// `Some(vec![])`.
    pub spec: JobSpec,
    /// Optional scalars sent as `key=`: reset to their defaults.
    pub cleared: BTreeSet<Param>,
    /// Every parameter the request carries (decoded or cleared), for the
    /// required-on-create check.
    pub sent: BTreeSet<Param>,
    /// The two halves of `monitor` separately: one may be sent without the other.
    pub monitor_ranfor: Option<i64>,
    pub monitor_notran: Option<i64>,
}

fn choice_codes(ps: &ParamDef) -> Vec<i64> {
    ps.choices.iter().map(|c| c.code).collect()
}

/// `key[0]=a&key[1]=b` → `[a, b]`; `key=` → `[]`. Inferred: `key=` clears
/// a job's list as it clears an account's tags (`tags=` on `manageAccount`).
fn list(key: &str, v: &FormValue) -> Result<Vec<String>, String> {
    match v {
        FormValue::Str(s) if s.is_empty() => Ok(Vec::new()),
        FormValue::Str(_) => Err(format!(
            "Invalid parameter '{key}': must be a list ({key}[0]=…), or '{key}=' to clear it"
        )),
        FormValue::Map(_) => keyed_entries(v)
            .into_iter()
            .map(|(i, item)| scalar(&format!("{key}[{i}]"), item).map(str::to_string))
            .collect(),
    }
}

/// `key[r][c]=id` → rows of IDs; `key=` → `[]`.
fn grid(key: &str, v: &FormValue) -> Result<Vec<Vec<String>>, String> {
    match v {
        FormValue::Str(s) if s.is_empty() => Ok(Vec::new()),
        FormValue::Str(_) => Err(format!(
            "Invalid parameter '{key}': must be a two-dimensional list ({key}[0][0]=…), or '{key}=' to clear it"
        )),
        FormValue::Map(_) => {
            let mut rows = Vec::new();
            for (r, row) in keyed_entries(v) {
                if row.as_str().is_some() {
                    return Err(format!(
                        "Invalid parameter '{key}[{r}]': must be a list ({key}[{r}][0]=…)"
                    ));
                }
                let row = list(&format!("{key}[{r}]"), row)?;
                if !row.is_empty() {
                    rows.push(row);
                }
            }
            Ok(rows)
        }
    }
}

/// `key[i][_id]=id&key[i][retain]=n`; `key=` → `[]`.
fn schedule_list(key: &str, v: &FormValue) -> Result<Vec<ScheduleRef>, String> {
    match v {
        FormValue::Str(s) if s.is_empty() => Ok(Vec::new()),
        FormValue::Str(_) => Err(format!(
            "Invalid parameter '{key}': must be a list of {{_id, retain}} ({key}[0][_id]=…&{key}[0][retain]=…), or '{key}=' to clear it"
        )),
        FormValue::Map(_) => keyed_entries(v)
            .into_iter()
            .map(|(i, entry)| {
                let id_key = format!("{key}[{i}][_id]");
                let retain_key = format!("{key}[{i}][retain]");
                let id = match entry.get("_id") {
                    Some(id) => scalar(&id_key, id)?,
                    None => return Err(format!("Missing required parameter '{id_key}'")),
                };
                if id.is_empty() {
                    return Err(format!("Missing required parameter '{id_key}'"));
                }
                // Seen: the vendor's table says each schedule entry requires
                // `_id` and `retain`.
                let retain = match entry.get("retain") {
                    Some(r) => non_negative(&retain_key, scalar(&retain_key, r)?)?,
                    None => return Err(format!("Missing required parameter '{retain_key}'")),
                };
                Ok(ScheduleRef {
                    id: id.to_string(),
                    retain,
                })
            })
            .collect(),
    }
}

/// Decodes the job parameters of a `manageBackupJob` request, each by its
/// row's [`Shape`]. Parameters the table does not know (and the read-only
/// fields a client may echo back) are ignored, as PHP ignores unknown
/// `$_REQUEST` keys (inferred).
pub fn decode_job_request(form: &FormValue) -> Result<JobRequest, String> {
    let mut req = JobRequest::default();
    for ps in JOB_PARAMS {
        let key = ps.wire;
        let Some(v) = form.get(key) else { continue };
        req.sent.insert(ps.param);
        // An optional scalar sent as `key=` resets it (inferred: as `key=`
        // clears a list); a required one must not be empty.
        let scalar_or_clear = |req: &mut JobRequest| -> Result<Option<&str>, String> {
            let s = scalar(key, v)?;
            if !s.is_empty() {
                return Ok(Some(s));
            }
            if ps.required_on_create {
                return Err(format!("Invalid parameter '{key}': must not be empty"));
            }
            req.cleared.insert(ps.param);
            Ok(None)
        };
        let value = match ps.shape {
            Shape::Text => Some(JobValue::Text(scalar(key, v)?.to_string())),
            Shape::List => Some(JobValue::List(list(key, v)?)),
            Shape::Grid => Some(JobValue::Grid(grid(key, v)?)),
            Shape::ScheduleList => Some(JobValue::Schedules(schedule_list(key, v)?)),
            Shape::Int | Shape::Label => match scalar_or_clear(&mut req)? {
                Some(s) if ps.choices.is_empty() => Some(JobValue::Int(int(key, s)?)),
                Some(s) => Some(JobValue::Int(one_of(key, s, &choice_codes(ps))?)),
                None => None,
            },
            // Any bits are accepted: a newer server may define more.
            Shape::Bitmask => match scalar_or_clear(&mut req)? {
                Some(s) => Some(JobValue::Int(int(key, s).ok().filter(|n| *n > 0).ok_or_else(|| {
                    format!(
                        "Invalid parameter '{key}': must be a positive integer bitmask (511 = a full account backup), got '{s}'"
                    )
                })?)),
                None => None,
            },
            Shape::Bool => match scalar_or_clear(&mut req)? {
                Some(s) => Some(JobValue::Bool(flag(key, s)?)),
                None => None,
            },
            Shape::Time => match scalar_or_clear(&mut req)? {
                Some(s) => Some(JobValue::Time(JobTime::parse_hhmm(s).ok_or_else(|| {
                    format!(
                        "Invalid parameter '{key}': must be four digits HHMM with hour 00-23 and minute 00-59 (e.g. 0350), got '{s}'"
                    )
                })?)),
                None => None,
            },
            Shape::Monitor => monitor(ps.param, key, v, &mut req)?,
        };
        if let Some(value) = value {
            req.spec.set(ps.param, value);
        }
    }
    Ok(req)
}

/// `monitor[ranfor]=N&monitor[notran]=N`, either half alone; `monitor=` clears.
fn monitor(
    param: Param,
    key: &str,
    v: &FormValue,
    req: &mut JobRequest,
) -> Result<Option<JobValue>, String> {
    match v {
        FormValue::Str(s) if s.is_empty() => {
            req.cleared.insert(param);
            Ok(None)
        }
        FormValue::Str(_) => Err(format!(
            "Invalid parameter '{key}': must be {key}[ranfor]=N&{key}[notran]=N"
        )),
        FormValue::Map(_) => {
            let half = |name: &str| -> Result<Option<i64>, String> {
                let k = format!("{key}[{name}]");
                v.get(name)
                    .map(|x| non_negative(&k, scalar(&k, x)?))
                    .transpose()
            };
            req.monitor_ranfor = half("ranfor")?;
            req.monitor_notran = half("notran")?;
            if req.monitor_ranfor.is_none() && req.monitor_notran.is_none() {
                return Ok(None);
            }
            Ok(Some(JobValue::Monitor(Monitor {
                ranfor: req.monitor_ranfor.unwrap_or(0).into(),
                notran: req.monitor_notran.unwrap_or(0).into(),
            })))
        }
    }
}

/// A job as a create starts it: the read-only fields at their idle values.
/// Inferred: the owner defaults to the logged-in user (root), by analogy with
/// the destination docs' wording.
fn new_job() -> BackupJob {
    BackupJob {
        owner: ROOT_ACCOUNT_ID.to_string().into(),
        owner_name: "root".to_string().into(),
        ..BackupJob::default()
    }
}

/// The job after applying `req` to `existing` (a modify) or to a new job (a
/// create, when `existing` is `None`; the caller assigns the ID). Every check
/// runs before anything is written; the store is not touched.
pub fn apply_job_request(
    data: &SimData,
    existing: Option<&BackupJob>,
    req: &JobRequest,
) -> Result<BackupJob, String> {
    let spec = &req.spec;
    let mut job = match existing {
        Some(job) => {
            // Inferred: JetBackup's docs do not say whether a job's type can
            // change; a job's contents depend on it, so a change is refused.
            for ps in JOB_PARAMS.iter().filter(|p| p.replace) {
                if let (Some(sent), Some(held)) = (spec.get(ps.param), job.value(ps.param)) {
                    if *sent != held {
                        return Err(format!(
                            "Invalid parameter '{key}': the {key} of an existing backup job cannot be changed (it is {held}, the request has {sent})",
                            key = ps.wire
                        ));
                    }
                }
            }
            job.clone()
        }
        None => {
            if let Some(missing) = JOB_PARAMS
                .iter()
                .find(|p| p.required_on_create && !req.sent.contains(&p.param))
            {
                return Err(format!(
                    "Missing required parameter '{}' for action create",
                    missing.wire
                ));
            }
            new_job()
        }
    };

    for ps in JOB_PARAMS {
        apply_param(data, &mut job, req, ps)?;
    }
    if job.job_type == JobType::Directories.code() && job.include_list.is_empty() {
        return Err(
            "Invalid parameter 'include_list': a directories backup job (type 2) needs at least one path to back up"
                .to_string(),
        );
    }
    Ok(job)
}

/// Writes one parameter of `req` into `job`, after checking it against the
/// stored data: what its role and the objects it refers to ask of it.
fn apply_param(
    data: &SimData,
    job: &mut BackupJob,
    req: &JobRequest,
    ps: &ParamDef,
) -> Result<(), String> {
    let key = ps.wire;
    match ps.role {
        // Derived (`owner_name` from `owner`); a sent value is ignored
        // (inferred: the vendor's example sends it, its table does not list it).
        Role::ReadOnly { .. } => return Ok(()),
        Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => {}
    }
    if req.cleared.contains(&ps.param) {
        job.clear(ps.param);
    }
    if ps.shape == Shape::Monitor {
        // Inferred: one half of `monitor` may be sent alone; the other keeps
        // its stored value.
        if let Some(n) = req.monitor_ranfor {
            job.monitor.ranfor = n.into();
        }
        if let Some(n) = req.monitor_notran {
            job.monitor.notran = n.into();
        }
        return Ok(());
    }
    let Some(value) = req.spec.get(ps.param) else {
        return Ok(());
    };
    match value {
        JobValue::Text(s) if ps.role == Role::Required && s.trim().is_empty() => {
            return Err(format!("Invalid parameter '{key}': must not be empty"));
        }
        JobValue::List(items) if ps.role == Role::Required && items.is_empty() => {
            let what = ps.refers.map_or("entry", RefersTo::word);
            return Err(format!(
                "Invalid parameter '{key}': at least one {what} is required"
            ));
        }
        JobValue::Text(_)
        | JobValue::Int(_)
        | JobValue::Bool(_)
        | JobValue::List(_)
        | JobValue::Grid(_)
        | JobValue::Schedules(_)
        | JobValue::Time(_)
        | JobValue::Monitor(_) => {}
    }
    let Some(refers) = ps.refers else {
        // Inferred: a list that is sent replaces the stored list; the docs
        // only show partial updates of scalars. (`include_list` is stored for
        // every type: no vendor example shows a directories job.)
        return job.store(ps.param, value);
    };
    if refers == RefersTo::Account {
        return set_owner(job, value);
    }
    for (id, at) in referenced_ids(key, value) {
        if !exists(data, refers, &id) {
            return Err(format!(
                "{} '{id}' not found (parameter '{at}')",
                refers.title()
            ));
        }
    }
    job.store(ps.param, value)
}

/// Inferred: an empty owner falls back to the default owner (the logged-in
/// root), and an unknown account ID is refused; `owner_name` follows.
fn set_owner(job: &mut BackupJob, value: &JobValue) -> Result<(), String> {
    let id = match value {
        JobValue::Text(s) if s.is_empty() => ROOT_ACCOUNT_ID,
        JobValue::Text(s) => s.as_str(),
        JobValue::Int(_)
        | JobValue::Bool(_)
        | JobValue::List(_)
        | JobValue::Grid(_)
        | JobValue::Schedules(_)
        | JobValue::Time(_)
        | JobValue::Monitor(_) => return Err("Invalid parameter 'owner'".to_string()),
    };
    let acct =
        account(id).ok_or_else(|| format!("Account '{id}' not found (parameter 'owner')"))?;
    job.owner = acct.id.to_string().into();
    job.owner_name = acct.username.to_string().into();
    Ok(())
}

/// The IDs a value holds, each with the parameter path that carries it.
fn referenced_ids(key: &str, value: &JobValue) -> Vec<(String, String)> {
    match value {
        JobValue::Text(s) => vec![(s.clone(), key.to_string())],
        JobValue::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), format!("{key}[{i}]")))
            .collect(),
        JobValue::Grid(rows) => rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(move |(c, id)| (id.clone(), format!("{key}[{r}][{c}]")))
            })
            .collect(),
        JobValue::Schedules(refs) => refs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), format!("{key}[{i}][_id]")))
            .collect(),
        JobValue::Int(_) | JobValue::Bool(_) | JobValue::Time(_) | JobValue::Monitor(_) => {
            Vec::new()
        }
    }
}

/// Whether the store holds an object of that kind with that ID (the one
/// check every table's references go through).
fn exists(data: &SimData, refers: RefersTo, id: &str) -> bool {
    super::write::exists(data, refers.word(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::parse_pairs;
    use crate::sim::seed::{
        builtin, DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, RESELLER_ACCOUNT_ID,
        SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID,
    };
    use proptest::prelude::*;

    fn form(s: &str) -> FormValue {
        FormValue::from_pairs(&parse_pairs(s))
    }

    /// Decodes and applies `body` as a create against the built-in seed.
    fn create(body: &str) -> Result<BackupJob, String> {
        let req = decode_job_request(&form(body))?;
        apply_job_request(&builtin(), None, &req)
    }

    fn modify(job: &BackupJob, body: &str) -> Result<BackupJob, String> {
        let req = decode_job_request(&form(body))?;
        apply_job_request(&builtin(), Some(job), &req)
    }

    fn base() -> String {
        format!("name=Nightly&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1")
    }

    fn err(r: Result<BackupJob, String>) -> String {
        match r {
            Ok(j) => panic!("expected a refusal, got {j:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn minimal_create_gets_defaults() {
        let job = create(&base()).unwrap();
        assert_eq!(job.name, "Nightly");
        assert_eq!(job.destination, vec![DEST_LOCAL_ID]);
        assert_eq!(
            (job.job_type, job.contains, job.structure),
            (1.into(), 511.into(), 1.into())
        );
        assert_eq!(job.owner, ROOT_ACCOUNT_ID);
        assert_eq!(job.owner_name, "root");
        assert_eq!(job.time, None.into());
        assert!(!*job.disabled && !*job.running);
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
        assert_eq!(create(&format!("{}&options=6", base())).unwrap().options, 6);
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
        assert!(e.contains("'destination'"), "{e}");
        let e = err(create(&base().replace(
            &format!("destination[0]={DEST_LOCAL_ID}"),
            &format!("destination={DEST_LOCAL_ID}"),
        )));
        assert!(e.contains("must be a list"), "{e}");
    }

    #[test]
    fn contains_must_be_positive_but_any_bits_are_accepted() {
        assert_eq!(
            create(&base().replace("contains=511", "contains=4096"))
                .unwrap()
                .contains,
            4096
        );
        for bad in ["contains=0", "contains=-1", "contains=all"] {
            let e = err(create(&base().replace("contains=511", bad)));
            assert!(e.starts_with("Invalid parameter 'contains'"), "{e}");
        }
    }

    #[test]
    fn booleans_are_0_or_1() {
        let job = create(&format!("{}&retry_failed=1&disabled=1", base())).unwrap();
        assert!(*job.retry_failed && *job.disabled);
        let e = err(create(&format!("{}&retry_failed=true", base())));
        assert!(e.contains("'retry_failed'"), "{e}");
        let e = err(create(&format!("{}&disabled=2", base())));
        assert!(e.contains("'disabled'"), "{e}");
    }

    #[test]
    fn time_is_four_digit_hhmm() {
        assert_eq!(
            create(&format!("{}&time=0350", base())).unwrap().time,
            Some(350.into()).into()
        );
        for bad in ["2400", "0960", "350", "03:50", "abcd"] {
            let e = err(create(&format!("{}&time={bad}", base())));
            assert!(e.starts_with("Invalid parameter 'time'"), "{bad}: {e}");
        }
    }

    #[test]
    fn monitor_values_are_non_negative() {
        let job = create(&format!("{}&monitor[ranfor]=1&monitor[notran]=2", base())).unwrap();
        assert_eq!(
            (job.monitor.ranfor, job.monitor.notran),
            (1.into(), 2.into())
        );
        let e = err(create(&format!("{}&monitor[notran]=-1", base())));
        assert!(e.contains("'monitor[notran]'"), "{e}");
    }

    #[test]
    fn schedules_must_exist_and_retain_be_non_negative() {
        let job = create(&format!(
            "{}&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=7",
            base()
        ))
        .unwrap();
        assert_eq!(
            job.schedule_refs(),
            vec![ScheduleRef {
                id: SCHEDULE_DAILY_ID.into(),
                retain: 7
            }]
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
        assert_eq!(job.filters.len(), 2);
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
        assert_eq!(job.include_list, vec!["/etc"]);
        // Clearing the list later is refused too.
        let e = err(modify(&job, "include_list="));
        assert!(e.contains("'include_list'"), "{e}");
    }

    #[test]
    fn owner_must_be_a_known_account() {
        let job = create(&format!("{}&owner={RESELLER_ACCOUNT_ID}", base())).unwrap();
        assert_eq!(job.owner_name, "reseller1");
        let e = err(create(&format!(
            "{}&owner=6503d48bfc45b1addf0a9699",
            base()
        )));
        assert!(e.contains("'owner'"), "{e}");
    }

    #[test]
    fn modify_is_partial() {
        let job = create(&format!(
            "{}&exclude_list[0]=/tmp&time=0350&monitor[ranfor]=1&monitor[notran]=2&retry_failed=1",
            base()
        ))
        .unwrap();
        let changed = modify(&job, "disabled=1&monitor[notran]=5").unwrap();
        assert!(*changed.disabled);
        assert_eq!(
            changed.monitor,
            Monitor {
                ranfor: 1.into(),
                notran: 5.into()
            }
            .into()
        );
        let mut expected = job.clone();
        expected.disabled = true.into();
        expected.monitor.notran = 5.into();
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
        assert_eq!(changed.exclude_list, vec!["/c"]);
        assert_eq!(changed.destination, vec![DEST_S3_ID, DEST_LOCAL_ID]);
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
        assert!(cleared.exclude_list.is_empty());
        assert!(cleared.filters.is_empty());
        assert!(cleared.schedules.is_empty());
        assert_eq!(cleared.time, None.into());
        assert_eq!(cleared.monitor, Monitor::default().into());
        assert_eq!(cleared.options, 0);
        assert!(!*cleared.retry_failed);
        // Required scalars cannot be cleared.
        let e = err(modify(&job, "structure="));
        assert!(e.contains("'structure'"), "{e}");
    }

    #[test]
    fn type_cannot_change_but_may_be_resent() {
        let job = create(&base()).unwrap();
        let e = err(modify(&job, "type=4"));
        assert!(e.starts_with("Invalid parameter 'type'"), "{e}");
        assert!(modify(&job, "type=1&name=Renamed").is_ok());
    }

    #[test]
    fn unknown_and_read_only_params_are_ignored() {
        let job = create(&format!("{}&running=1&state=2&bogus[x]=1", base())).unwrap();
        assert!(!*job.running);
        assert_eq!(job.state, 0);
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
        // or in bracket notation.
        proptest::string::string_regex("[a-zA-Z0-9 &=%+\\[\\]#?/;:,.*\"'éü中😀_-]{0,24}").unwrap()
    }

    fn id() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[0-9a-f]{24}").unwrap()
    }

    /// Any value a parameter's shape allows, by its row.
    fn value(def: &'static ParamDef) -> BoxedStrategy<JobValue> {
        let codes: Vec<i64> = def.choices.iter().map(|c| c.code).collect();
        match def.shape {
            Shape::Text => text().prop_map(JobValue::Text).boxed(),
            Shape::Int | Shape::Label if codes.is_empty() => {
                any::<i64>().prop_map(JobValue::Int).boxed()
            }
            Shape::Int | Shape::Label => proptest::sample::select(codes)
                .prop_map(JobValue::Int)
                .boxed(),
            Shape::Bitmask => (1i64..100_000).prop_map(JobValue::Int).boxed(),
            Shape::Bool => any::<bool>().prop_map(JobValue::Bool).boxed(),
            Shape::List if def.refers.is_some() => proptest::collection::vec(id(), 0..4)
                .prop_map(JobValue::List)
                .boxed(),
            Shape::List => proptest::collection::vec(text(), 0..4)
                .prop_map(JobValue::List)
                .boxed(),
            Shape::Grid => proptest::collection::vec(proptest::collection::vec(id(), 1..3), 0..3)
                .prop_map(JobValue::Grid)
                .boxed(),
            Shape::ScheduleList => proptest::collection::vec((id(), 0i64..10_000), 0..4)
                .prop_map(|v| {
                    JobValue::Schedules(
                        v.into_iter()
                            .map(|(id, retain)| ScheduleRef { id, retain })
                            .collect(),
                    )
                })
                .boxed(),
            Shape::Time => (0u8..24, 0u8..60)
                .prop_filter_map("a time of day", |(h, m)| {
                    JobTime::new(h, m).map(JobValue::Time)
                })
                .boxed(),
            Shape::Monitor => (0i64..1000, 0i64..1000)
                .prop_map(|(ranfor, notran)| {
                    JobValue::Monitor(Monitor {
                        ranfor: ranfor.into(),
                        notran: notran.into(),
                    })
                })
                .boxed(),
        }
    }

    /// Any set of parameters, each present or not: every row of the table.
    fn job_spec() -> impl Strategy<Value = JobSpec> {
        JOB_PARAMS
            .iter()
            .map(|def| proptest::option::of(value(def)).prop_map(move |v| (def.param, v)))
            .collect::<Vec<_>>()
            .prop_map(|values| {
                values
                    .into_iter()
                    .fold(JobSpec::new(), |spec, (p, v)| spec.with_opt(p, v))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// What the client encodes, the simulator decodes to the same values:
        /// through the form body string, PHP-style parsing and the job decoder.
        #[test]
        fn client_encoding_round_trips_through_the_simulator(spec in job_spec()) {
            let body = spec.create_params().encode();
            let parsed = FormValue::from_pairs(&parse_pairs(&body));
            prop_assert_eq!(parsed.get("action").and_then(FormValue::as_str), Some("create"));
            let decoded = decode_job_request(&parsed).map_err(TestCaseError::fail)?;
            prop_assert!(decoded.cleared.is_empty());
            prop_assert_eq!(decoded.spec, spec.clone());
            // And the modify encoding, with its `_id`.
            let body = spec.modify_params("6504c79fd4b57d536c05bbe2").encode();
            let parsed = FormValue::from_pairs(&parse_pairs(&body));
            prop_assert_eq!(parsed.get("_id").and_then(FormValue::as_str), Some("6504c79fd4b57d536c05bbe2"));
            prop_assert_eq!(decode_job_request(&parsed).map_err(TestCaseError::fail)?.spec, spec);
        }
    }
}
