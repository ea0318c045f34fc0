//! Every valid configuration round-trips: for generated configurations of
//! `jetbackup_backup_job`, the plan the provider makes, sent to the
//! simulator and read back, equals the plan in every value the plan knows,
//! on create and on an in-place update, and a refresh right after finds no
//! drift. Configurations the server would store differently must be refused
//! at plan instead (the only ones the generator can make are `contains`
//! spellings; the test checks that nothing else is refused).
//!
//! The simulator runs in-process here (no HTTP), through the same encoder
//! and parser as the wire; the real-Terraform cases of the edge values are in
//! `terraform_backup_job.rs`.

use jetbackup::api::table::Role;
use std::collections::BTreeSet;
use std::time::Duration;

use jetbackup::api::job::JOB_PARAMS;
use jetbackup::api::job::{param_def, BackupJob, JobSpec, Param, ACCOUNT_CONTAINS};

use jetbackup::api::wire::{parse_pairs, FormValue, Params};
use jetbackup::provider::backup_job::{plan_change, plan_new};
use jetbackup::provider::backup_job_model::{Cell, JobState, MonitorBlock, ScheduleBlock};
use jetbackup::provider::backup_job_validate::validate;
use jetbackup::sim::objectid::IdGen;
use jetbackup::sim::seed::{
    builtin, DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, RESELLER_ACCOUNT_ID,
    ROOT_ACCOUNT_ID, SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID, SCHEDULE_WEEKLY_ID, USER_ACCOUNT_ID,
};
use jetbackup::sim::store::Sim;
use proptest::prelude::*;
use tf_provider::value::Value;
use tf_provider::Diagnostics;

const NOW: Duration = Duration::from_secs(1_786_639_500); // 2026-08-13T16:45:00Z

fn v<T>(x: T) -> Value<T> {
    Value::Value(x)
}

fn opt<T>(x: Option<T>) -> Value<T> {
    x.map_or(Value::Null, Value::Value)
}

/// A set as Terraform sends it: sorted, each item once.
fn strs(items: impl IntoIterator<Item = String>) -> Value<Vec<Value<String>>> {
    let sorted: BTreeSet<String> = items.into_iter().collect();
    v(sorted.into_iter().map(Value::Value).collect())
}

/// A subset of `items` (possibly empty).
fn subset(items: Vec<String>) -> impl Strategy<Value = Vec<String>> {
    let n = items.len();
    prop::sample::subsequence(items, 0..=n)
}

fn ids(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn contains_for(job_type: &'static str) -> BoxedStrategy<Option<Vec<String>>> {
    let items = if job_type == "accounts" {
        ACCOUNT_CONTAINS
            .iter()
            .map(|c| c.label.to_string())
            .chain(["bit_1024".to_string()])
            .collect()
    } else {
        ids(&["bit_1", "bit_2", "bit_4", "bit_8"])
    };
    let all: Vec<String> = items.clone();
    prop_oneof![
        Just(None),
        Just(Some(vec![])),
        Just(Some(all)),
        subset(items).prop_map(Some),
    ]
    .boxed()
}

fn labels(param: Param) -> Vec<String> {
    param_def(param)
        .choices
        .iter()
        .map(|c| c.label.to_string())
        .collect()
}

fn time() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("0000".to_string())),
        Just(Some("2359".to_string())),
        (0u8..24, 0u8..60).prop_map(|(h, m)| Some(format!("{h:02}{m:02}"))),
    ]
}

/// A configuration of one job of `job_type` (what Terraform sends as config).
fn config_of(job_type: &'static str) -> impl Strategy<Value = JobState> {
    let paths = prop::collection::btree_set("/[a-z]{1,6}(/[a-z]{1,4})?", 1..4);
    let groups = ids(&[GROUP_A_ID, GROUP_B_ID]);
    let filter_row = subset(groups).prop_filter("non-empty row", |r| !r.is_empty());
    let schedule = (
        prop::sample::select(ids(&[
            SCHEDULE_HOURLY_ID,
            SCHEDULE_DAILY_ID,
            SCHEDULE_WEEKLY_ID,
        ])),
        0i64..5,
    );
    let options: Vec<i64> = param_def(Param::Options)
        .choices
        .iter()
        .map(|c| c.code)
        .collect();
    (
        (
            "[A-Za-z][A-Za-z0-9 _.-]{0,20}",
            subset(ids(&[DEST_LOCAL_ID, DEST_S3_ID]))
                .prop_filter("a destination", |d| !d.is_empty()),
            contains_for(job_type),
            prop::sample::select(labels(Param::Structure)),
            prop::option::of(prop::sample::select(options)),
            prop::option::of(any::<bool>()),
            paths.clone(),
        ),
        (
            prop::option::of(prop::collection::btree_set("/[a-z]{1,6}", 0..3)),
            prop::option::of(prop::collection::btree_set(filter_row, 0..3)),
            prop::collection::btree_map(schedule.0, schedule.1, 0..3),
            time(),
            prop::option::of((0i64..4, 0i64..4)),
            prop::option::of(prop::sample::select(ids(&[
                ROOT_ACCOUNT_ID,
                RESELLER_ACCOUNT_ID,
                USER_ACCOUNT_ID,
            ]))),
            prop::option::of(any::<bool>()),
        ),
    )
        .prop_map(
            move |(
                (name, dest, contains, structure, options, retry, include),
                (exclude, filters, schedules, time, monitor, owner, disabled),
            )| {
                JobState::default()
                    .with(Param::Name, Cell::Text(v(name)))
                    .with(Param::Type, Cell::Label(v(job_type.to_string())))
                    .with(Param::Destination, Cell::List(strs(dest)))
                    .with(
                        Param::Contains,
                        // Sorted, as Terraform sends a set.
                        Cell::Bitmask(opt(contains.map(|c| {
                            let sorted: BTreeSet<String> = c.into_iter().collect();
                            sorted.into_iter().map(Value::Value).collect()
                        }))),
                    )
                    .with(Param::Structure, Cell::Label(v(structure)))
                    .with(Param::Options, Cell::Int(opt(options)))
                    .with(Param::RetryFailed, Cell::Bool(opt(retry)))
                    .with(
                        Param::IncludeList,
                        Cell::List(if job_type == "directories" {
                            strs(include)
                        } else {
                            Value::Null
                        }),
                    )
                    .with(
                        Param::ExcludeList,
                        Cell::List(opt(
                            exclude.map(|e| e.into_iter().map(Value::Value).collect())
                        )),
                    )
                    .with(
                        Param::Filters,
                        Cell::Grid(opt(filters.map(|rows| rows.into_iter().map(strs).collect()))),
                    )
                    // A set of blocks is never null in a configuration.
                    .with(
                        Param::Schedules,
                        Cell::Schedules(v(schedules
                            .into_iter()
                            .map(|(id, retain)| {
                                v(ScheduleBlock {
                                    id: v(id),
                                    retain: v(retain),
                                })
                            })
                            .collect())),
                    )
                    .with(Param::Time, Cell::Time(opt(time)))
                    .with(
                        Param::Monitor,
                        Cell::Monitor(opt(monitor.map(|(r, n)| MonitorBlock {
                            ranfor: v(r),
                            notran: v(n),
                        }))),
                    )
                    .with(Param::Owner, Cell::Text(opt(owner)))
                    .with(Param::Disabled, Cell::Bool(opt(disabled)))
            },
        )
}

fn job_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["accounts", "directories", "bmr"])
}

/// A first configuration and a second one of the same type.
fn two_configs() -> impl Strategy<Value = (JobState, JobState)> {
    job_type().prop_flat_map(|t| (config_of(t), config_of(t)))
}

/// Whether the configuration passes plan-time validation; a refusal must be
/// one of the "would not read back as written" ones.
fn valid(config: &JobState) -> bool {
    let mut diags = Diagnostics::default();
    validate(&mut diags, config);
    for e in &diags.errors {
        assert_eq!(
            e.summary, "contains would not read back as written",
            "a generated configuration was refused: {}: {}",
            e.summary, e.detail
        );
    }
    diags.errors.is_empty()
}

/// What Terraform proposes for an update: the configuration, with the prior
/// values of computed attributes the configuration leaves unset.
fn proposed_update(prior: &JobState, config: &JobState) -> JobState {
    let mut proposed = config.clone();
    proposed.id = prior.id.clone();
    proposed.next_run = prior.next_run.clone();
    proposed.last_run = prior.last_run.clone();
    for ((def, cell), (_, before)) in proposed.cells_mut().zip(prior.cells()) {
        let computed = match def.role {
            Role::Required | Role::Optional => false,
            Role::Defaulted(_) | Role::ServerDefault(_) | Role::ReadOnly { .. } => true,
        };
        if computed && cell.is_null() {
            *cell = before.clone();
        }
    }
    proposed
}

fn send(sim: &mut Sim, params: &Params) -> BackupJob {
    let form = FormValue::from_pairs(&parse_pairs(&params.encode()));
    let reply = sim.call("manageBackupJob", &form, NOW);
    assert!(
        reply.success,
        "refused: {} ({})",
        reply.message,
        params.encode()
    );
    serde_json::from_value(reply.data).expect("a job")
}

fn read(sim: &mut Sim, id: &str) -> BackupJob {
    let form = FormValue::from_pairs(&parse_pairs(&format!("_id={id}")));
    let reply = sim.call("getBackupJob", &form, NOW);
    assert!(reply.success, "{}", reply.message);
    serde_json::from_value(reply.data).expect("a job")
}

/// Every value the plan knows equals the readback's.
fn assert_keeps_plan(planned: &JobState, got: &JobState) {
    for (name, p, g) in [
        ("id", &planned.id, &got.id),
        ("next_run", &planned.next_run, &got.next_run),
        ("last_run", &planned.last_run, &got.last_run),
    ] {
        if !p.is_unknown() {
            assert_eq!(p, g, "{name} planned {p:?}, read back {g:?}");
        }
    }
    for ((def, p), (_, g)) in planned.cells().zip(got.cells()) {
        if !p.is_unknown() {
            assert_eq!(p, g, "{} planned {p:?}, read back {g:?}", def.wire);
        }
    }
    assert_eq!(planned.cells().count(), JOB_PARAMS.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn plan_then_server_then_readback_equals_the_plan((first, second) in two_configs()) {
        prop_assume!(valid(&first));
        let mut sim = Sim::new(builtin(), IdGen::new(7), None);

        // Create: the proposal for a new resource is the configuration.
        let planned = plan_new(first.clone(), &first);
        let job = send(&mut sim, &planned.to_spec().create_params());
        let state = JobState::from_job(&job, &planned);
        assert_keeps_plan(&planned, &state);
        // A refresh right after finds nothing to change.
        let refreshed = JobState::from_job(&read(&mut sim, &job.id), &state);
        prop_assert_eq!(&refreshed, &state);

        // Update in place to the second configuration.
        prop_assume!(valid(&second));
        let (planned, replace) = plan_change(&state, proposed_update(&state, &second), &second);
        prop_assert!(replace.is_empty());
        let spec = planned.diff_spec(&state);
        let job = if spec == JobSpec::default() {
            read(&mut sim, &job.id)
        } else {
            send(&mut sim, &spec.modify_params(&job.id))
        };
        let updated = JobState::from_job(&job, &planned);
        assert_keeps_plan(&planned, &updated);
        let refreshed = JobState::from_job(&read(&mut sim, &job.id), &updated);
        prop_assert_eq!(&refreshed, &updated);
    }

    /// A rename plans exactly one change: nothing the server derives
    /// becomes unknown.
    #[test]
    fn a_rename_plans_only_the_name(config in job_type().prop_flat_map(config_of)) {
        prop_assume!(valid(&config));
        let mut sim = Sim::new(builtin(), IdGen::new(7), None);
        let planned = plan_new(config.clone(), &config);
        let job = send(&mut sim, &planned.to_spec().create_params());
        let state = JobState::from_job(&job, &planned);
        let rename = |s: &JobState| s.clone().with(Param::Name, Cell::Text(v("Renamed job".to_string())));
        let renamed = rename(&config);
        let (planned, _) = plan_change(&state, proposed_update(&state, &renamed), &renamed);
        prop_assert_eq!(&planned, &rename(&state));
    }
}
