//! Sets never collapse while their elements are unknown.
//!
//! The user story: a whole server's policy in one apply, where a job's sets
//! hold IDs of objects created in the same apply (two schedules with the
//! same `retain`, two filter groups, two destinations) or values from
//! variables not known at plan. Terraform never takes two elements that
//! hold unknown values for equal, so the plan must keep as many elements as
//! Terraform proposed; once everything is known, Terraform merges elements
//! that turned out equal (a set may shrink between plan and apply, never
//! grow), and the final plan and the object read back must agree with it.
//!
//! For every set attribute and set block of every resource (the test fails
//! when a resource's schema has a set that no generator below varies),
//! random configurations go through the provider's own typed lifecycle,
//! as Terraform would drive it: validate, plan with unknowns, validate and
//! plan again with everything known, create against `jetbackup-sim`, read.
//! The values travel as MessagePack, as Terraform sends them.
//!
//! Two references to the same schedule: with the same `retain` the blocks
//! are equal once known and Terraform merges them (one schedule attached);
//! with different `retain` values they stay two blocks naming one schedule,
//! which the provider refuses at the second validation, before anything is
//! sent ("attached twice"). Both are cases the generator makes.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use jetbackup::api::object::backup_job::BACKUP_JOB;
use jetbackup::api::object::OBJECTS;
use jetbackup::provider::object::ObjectResource;
use jetbackup::provider::JetBackupProvider;
use jetbackup::sim::seed::{
    DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID,
    SCHEDULE_WEEKLY_ID,
};
use jetbackup::sim_process::SimProcess;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use support::lifecycle::{configured_provider, said};
use tf_provider::schema::{AttributeType, Block, NestedBlock};
use tf_provider::value::{Value, ValueAny, ValueEmpty};
use tf_provider::{Diagnostics, Resource};

/// A configuration value as the test writes it: `Later(v)` is unknown at
/// plan (another resource's ID, a variable) and `v` once known.
#[derive(Debug, Clone)]
enum T {
    Known(ValueAny),
    Later(ValueAny),
    /// A set: its elements, merged the way Terraform merges them.
    Set(Vec<T>),
    Object(BTreeMap<String, T>),
}

impl T {
    fn text(s: &str) -> T {
        T::Known(ValueAny::String(s.to_string()))
    }

    /// The value at plan (`known = false`) or once everything is known.
    fn value(&self, known: bool) -> ValueAny {
        match self {
            T::Known(v) => v.clone(),
            T::Later(v) if known => v.clone(),
            T::Later(_) => ValueAny::Unknown,
            T::Set(items) => {
                // Terraform keeps one of each wholly known value; an element
                // holding an unknown is never equal to another.
                let mut out: Vec<ValueAny> = Vec::new();
                for item in items.iter().map(|i| i.value(known)) {
                    if !(wholly_known(&item) && out.contains(&item)) {
                        out.push(item);
                    }
                }
                ValueAny::List(out)
            }
            T::Object(m) => {
                ValueAny::Map(m.iter().map(|(k, v)| (k.clone(), v.value(known))).collect())
            }
        }
    }
}

fn wholly_known(v: &ValueAny) -> bool {
    match v {
        ValueAny::Unknown => false,
        ValueAny::List(items) => items.iter().all(wholly_known),
        ValueAny::Map(m) => m.values().all(wholly_known),
        ValueAny::String(_) | ValueAny::Number(_) | ValueAny::Bool(_) | ValueAny::Null => true,
    }
}

/// A resource's state type from the value Terraform would send.
fn decode<S: DeserializeOwned>(v: &ValueAny) -> S {
    let bytes = rmp_serde::to_vec_named(v).expect("encodes");
    rmp_serde::from_slice(&bytes).expect("the resource reads what Terraform sends")
}

fn encode<S: Serialize>(s: &S) -> ValueAny {
    let bytes = rmp_serde::to_vec_named(s).expect("encodes");
    rmp_serde::from_slice(&bytes).expect("decodes as any value")
}

/// Terraform's rule between a plan and what follows it (a final plan, or
/// the applied object): a known planned value stays; a set may lose
/// elements that merged (`shrink`) but never gains one, and each element
/// that remains is one the plan allowed.
fn assert_follows(planned: &ValueAny, then: &ValueAny, shrink: bool, at: &str) {
    match (planned, then) {
        (ValueAny::Unknown, _) => {}
        (ValueAny::List(p), ValueAny::List(t)) => {
            if shrink {
                assert!(
                    t.len() <= p.len(),
                    "{at}: set grew from {} to {}: {then:?}",
                    p.len(),
                    t.len()
                );
            } else {
                assert_eq!(
                    p.len(),
                    t.len(),
                    "{at}: set length changed: {planned:?} then {then:?}"
                );
            }
            for (i, e) in t.iter().enumerate() {
                let fits = p.iter().any(|pe| follows(pe, e));
                assert!(
                    fits,
                    "{at}[{i}]: {e:?} is not an element the plan allowed: {planned:?}"
                );
            }
        }
        (ValueAny::Map(p), ValueAny::Map(t)) => {
            for (k, pv) in p {
                let tv = t.get(k).unwrap_or(&ValueAny::Null);
                assert_follows(pv, tv, shrink, &format!("{at}.{k}"));
            }
        }
        (p, t) => assert_eq!(p, t, "{at}: planned {p:?}, then {t:?}"),
    }
}

fn follows(planned: &ValueAny, then: &ValueAny) -> bool {
    match (planned, then) {
        (ValueAny::Unknown, _) => true,
        (ValueAny::List(p), ValueAny::List(t)) => {
            t.len() <= p.len() && t.iter().all(|e| p.iter().any(|pe| follows(pe, e)))
        }
        (ValueAny::Map(p), ValueAny::Map(t)) => p
            .iter()
            .all(|(k, pv)| follows(pv, t.get(k).unwrap_or(&ValueAny::Null))),
        (p, t) => p == t,
    }
}

fn set_len(state: &ValueAny, path: &[&str]) -> Option<usize> {
    let mut v = state;
    for step in path {
        v = match v {
            ValueAny::Map(m) => m.get(*step)?,
            _ => return None,
        };
    }
    match v {
        ValueAny::List(items) => Some(items.len()),
        _ => None,
    }
}

/// Every set of a schema block: attributes of set type (a set of sets
/// counts once, by its attribute) and set blocks.
fn schema_sets(block: &Block) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (name, a) in &block.attributes {
        if matches!(a.attr_type, AttributeType::Set(_)) {
            out.insert(name.clone());
        }
    }
    for (name, b) in &block.blocks {
        match b {
            NestedBlock::Set(inner) => {
                out.insert(name.clone());
                out.extend(
                    schema_sets(inner)
                        .into_iter()
                        .map(|s| format!("{name}.{s}")),
                );
            }
            NestedBlock::Single(inner)
            | NestedBlock::List(inner)
            | NestedBlock::Map(inner)
            | NestedBlock::Group(inner)
            | NestedBlock::Optional(inner) => {
                out.extend(
                    schema_sets(inner)
                        .into_iter()
                        .map(|s| format!("{name}.{s}")),
                );
            }
        }
    }
    out
}

/// One element of a set: a value from `pool`, known at plan or not.
fn elem(pool: &'static [&'static str]) -> impl Strategy<Value = T> {
    (prop::sample::select(pool), any::<bool>()).prop_map(|(v, known)| {
        let v = ValueAny::String(v.to_string());
        if known {
            T::Known(v)
        } else {
            T::Later(v)
        }
    })
}

fn set_of(
    pool: &'static [&'static str],
    n: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = T> {
    prop::collection::vec(elem(pool), n).prop_map(T::Set)
}

const DESTINATIONS: &[&str] = &[DEST_LOCAL_ID, DEST_S3_ID];
const GROUPS: &[&str] = &[GROUP_A_ID, GROUP_B_ID];
const SCHEDULES: &[&str] = &[SCHEDULE_HOURLY_ID, SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID];
const PATHS: &[&str] = &["/home", "/etc", "/var/www", "/srv"];
const ACCOUNT_CONTAINS: &[&str] = &["config", "homedir", "databases", "email", "dns"];
const WEEKDAYS: &[&str] = &["monday", "wednesday", "friday", "sunday"];
const USERS: &[&str] = &["alice", "bob", "carol"];

/// A `schedules { id, retain }` block whose `id` may be unknown at plan.
fn schedule_block() -> impl Strategy<Value = T> {
    (elem(SCHEDULES), prop::sample::select(&[7i64, 7, 14][..])).prop_map(|(id, retain)| {
        T::Object(BTreeMap::from([
            ("id".to_string(), id),
            ("retain".to_string(), T::Known(ValueAny::Number(retain))),
        ]))
    })
}

/// A configuration of `resource`: its attributes (the set ones varied).
type Config_ = BTreeMap<String, T>;

fn job_accounts() -> impl Strategy<Value = Config_> {
    (
        set_of(DESTINATIONS, 1..=3),
        prop::option::of(set_of(ACCOUNT_CONTAINS, 1..=3)),
        prop::option::of(set_of(PATHS, 0..=3)),
        prop::option::of(prop::collection::vec(set_of(GROUPS, 1..=2), 1..=3).prop_map(T::Set)),
        prop::collection::vec(schedule_block(), 0..=3).prop_map(T::Set),
    )
        .prop_map(|(destination, contains, exclude, filters, schedules)| {
            let mut c = BTreeMap::from([
                ("type".to_string(), T::text("accounts")),
                ("structure".to_string(), T::text("incremental")),
                ("destination".to_string(), destination),
                ("schedules".to_string(), schedules),
            ]);
            for (k, v) in [
                ("contains", contains),
                ("exclude_list", exclude),
                ("filters", filters),
            ] {
                if let Some(v) = v {
                    c.insert(k.to_string(), v);
                }
            }
            c
        })
}

fn job_directories() -> impl Strategy<Value = Config_> {
    (set_of(DESTINATIONS, 1..=2), set_of(PATHS, 1..=4)).prop_map(|(destination, include)| {
        BTreeMap::from([
            ("type".to_string(), T::text("directories")),
            ("structure".to_string(), T::text("archived")),
            ("destination".to_string(), destination),
            ("include_list".to_string(), include),
        ])
    })
}

fn schedule_daily() -> impl Strategy<Value = Config_> {
    set_of(WEEKDAYS, 1..=4).prop_map(|days| {
        BTreeMap::from([
            ("type".to_string(), T::text("daily")),
            ("days_of_week".to_string(), days),
        ])
    })
}

fn schedule_monthly() -> impl Strategy<Value = Config_> {
    let day = (1i64..=31, any::<bool>()).prop_map(|(d, known)| {
        if known {
            T::Known(ValueAny::Number(d))
        } else {
            T::Later(ValueAny::Number(d))
        }
    });
    prop::collection::vec(day, 1..=4).prop_map(|days| {
        BTreeMap::from([
            ("type".to_string(), T::text("monthly")),
            ("days_of_month".to_string(), T::Set(days)),
        ])
    })
}

fn account_filter() -> impl Strategy<Value = Config_> {
    set_of(USERS, 1..=3).prop_map(|list| {
        BTreeMap::from([
            ("type".to_string(), T::text("accounts")),
            ("condition".to_string(), T::text("include")),
            ("list".to_string(), list),
        ])
    })
}

/// A reindex hook limited to some destinations (maybe none: `[]`).
fn hook_reindex() -> impl Strategy<Value = Config_> {
    set_of(DESTINATIONS, 0..=2).prop_map(|ids| {
        BTreeMap::from([
            ("on".to_string(), T::text("reindex")),
            ("when".to_string(), T::text("pre")),
            ("script".to_string(), T::text("/root/hooks/reindex.sh")),
            ("destination_ids".to_string(), ids),
        ])
    })
}

/// A backup hook limited to some of `jobs` (created on the simulator first).
fn hook_backup(jobs: &'static [&'static str]) -> impl Strategy<Value = Config_> {
    set_of(jobs, 0..=2).prop_map(|ids| {
        BTreeMap::from([
            ("on".to_string(), T::text("backup")),
            ("when".to_string(), T::text("post")),
            ("script".to_string(), T::text("/root/hooks/after.sh")),
            ("disabled".to_string(), T::Known(ValueAny::Bool(true))),
            ("backup_job_ids".to_string(), ids),
        ])
    })
}

const RECIPIENTS: &[&str] = &["ops@example.com", "oncall@example.com", "b+y@example.com"];

fn notification_email() -> impl Strategy<Value = Config_> {
    set_of(RECIPIENTS, 1..=3).prop_map(|recipients| {
        BTreeMap::from([
            ("type".to_string(), T::text("email")),
            ("critical".to_string(), T::text("realtime")),
            ("recipients".to_string(), recipients),
        ])
    })
}

/// The sets each generator varies, by resource: checked against the schemas.
fn varied() -> BTreeMap<&'static str, BTreeSet<String>> {
    let names = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    BTreeMap::from([
        (
            "backup_job",
            names(&[
                "destination",
                "contains",
                "exclude_list",
                "filters",
                "schedules",
                "include_list",
            ]),
        ),
        ("schedule", names(&["days_of_week", "days_of_month"])),
        ("account_filter", names(&["list"])),
        ("destination", names(&[])),
        ("hook", names(&["backup_job_ids", "destination_ids"])),
        ("notification_integration", names(&["recipients"])),
    ])
}

#[test]
fn every_set_of_every_resource_is_varied_by_a_generator() {
    let provider = JetBackupProvider::default();
    let mut diags = Diagnostics::default();
    let resources = provider.get_resources(&mut diags).expect("resources");
    let varied = varied();
    for (name, r) in &resources {
        let schema = r.schema(&mut diags).expect("schema");
        let sets = schema_sets(&schema.block);
        assert_eq!(
            Some(&sets),
            varied.get(name.as_str()),
            "jetbackup_{name}'s sets and the sets this test varies differ: give every set a generator"
        );
    }
    assert_eq!(
        resources.len(),
        varied.len(),
        "a resource without a generator"
    );
}

/// Drives one resource's typed lifecycle the way Terraform does.
struct Story<'s, R> {
    resource: R,
    rt: &'s tokio::runtime::Runtime,
}

/// How a configuration ended: applied, or refused by validation (at plan,
/// or once its values are known) with what it said.
enum Outcome {
    Applied,
    Refused(String),
}

impl<R> Story<'_, R>
where
    R: for<'a> Resource<ProviderMetaState<'a> = ValueEmpty>,
    for<'a> R::PrivateState<'a>: Default,
    for<'a> R::State<'a>: Serialize + DeserializeOwned,
{
    fn validate(&self, config: &ValueAny) -> Diagnostics {
        let mut diags = Diagnostics::default();
        self.rt
            .block_on(self.resource.validate(&mut diags, decode(config)));
        diags
    }

    fn plan(&self, config: &ValueAny) -> ValueAny {
        let mut diags = Diagnostics::default();
        let planned = self.rt.block_on(self.resource.plan_create(
            &mut diags,
            decode(config),
            decode(config),
            Value::Null,
        ));
        assert!(diags.errors.is_empty(), "plan: {}", said(&diags));
        // The plan's private state (where the object will live) is the
        // provider's own: what create reads back is checked below.
        encode(&planned.expect("a plan").0)
    }

    fn run(&self, config: &BTreeMap<String, T>, sets: &BTreeSet<String>) -> Outcome {
        let tree = T::Object(config.clone());
        let at_plan = tree.value(false);
        let diags = self.validate(&at_plan);
        if !diags.errors.is_empty() {
            return Outcome::Refused(said(&diags));
        }
        let planned = self.plan(&at_plan);
        for path in sets {
            let steps: Vec<&str> = path.split('.').collect();
            assert_eq!(
                set_len(&planned, &steps),
                set_len(&at_plan, &steps).or(set_len(&planned, &steps)),
                "{path}: the plan must keep every element Terraform proposed: {at_plan:?} planned as {planned:?}"
            );
        }
        assert_follows(&at_plan_inputs(&at_plan), &planned, false, "plan");

        let known = tree.value(true);
        let diags = self.validate(&known);
        if !diags.errors.is_empty() {
            return Outcome::Refused(said(&diags));
        }
        let final_plan = self.plan(&known);
        assert_follows(&planned, &final_plan, true, "final plan");

        let mut diags = Diagnostics::default();
        let created = self.rt.block_on(self.resource.create(
            &mut diags,
            decode(&final_plan),
            decode(&known),
            Default::default(),
            Value::Null,
        ));
        assert!(diags.errors.is_empty(), "create: {}", said(&diags));
        let (created, private) = created.expect("created");
        let created = encode(&created);
        assert!(wholly_known(&created), "unknown after apply: {created:?}");
        assert_follows(&final_plan, &created, false, "apply");

        let mut diags = Diagnostics::default();
        let read = self.rt.block_on(self.resource.read(
            &mut diags,
            decode(&created),
            private,
            Value::Null,
        ));
        assert!(diags.errors.is_empty(), "read: {}", said(&diags));
        assert_eq!(
            encode(&read.expect("still there").0),
            created,
            "drift right after apply"
        );
        Outcome::Applied
    }
}

/// Unknown configuration values are what Terraform proposes; the plan
/// may fill only what the configuration leaves null.
fn at_plan_inputs(config: &ValueAny) -> ValueAny {
    match config {
        ValueAny::Map(m) => ValueAny::Map(
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        if *v == ValueAny::Null {
                            ValueAny::Unknown
                        } else {
                            v.clone()
                        },
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn sim_and_provider() -> (SimProcess, JetBackupProvider, tokio::runtime::Runtime) {
    let sim = support::simulator::sim(&["--token", "sets"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let provider = configured_provider(&sim, "sets", &rt);
    (sim, provider, rt)
}

/// Runs `cases` configurations of one resource; each gets a fresh name.
fn check<R>(
    name: &str,
    resource: R,
    rt: &tokio::runtime::Runtime,
    strategy: impl Strategy<Value = Config_>,
) -> Vec<(ValueAny, Outcome)>
where
    R: for<'a> Resource<ProviderMetaState<'a> = ValueEmpty>,
    for<'a> R::PrivateState<'a>: Default,
    for<'a> R::State<'a>: Serialize + DeserializeOwned,
{
    let sets = varied()[name].clone();
    let story = Story { resource, rt };
    let outcomes = std::cell::RefCell::new(Vec::new());
    let counter = std::cell::Cell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |mut config| {
            counter.set(counter.get() + 1);
            config.insert(
                "name".to_string(),
                T::text(&format!("{name} sets {}", counter.get())),
            );
            let outcome = story.run(&config, &sets);
            outcomes
                .borrow_mut()
                .push((T::Object(config).value(true), outcome));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("jetbackup_{name}: {e}"));
    outcomes.into_inner()
}

/// Whether a job's configuration, once known, names one schedule in two
/// blocks (different `retain` values: equal blocks merge).
fn names_a_schedule_twice(known: &ValueAny) -> bool {
    let ValueAny::Map(m) = known else {
        return false;
    };
    let Some(ValueAny::List(blocks)) = m.get("schedules") else {
        return false;
    };
    let ids: Vec<&ValueAny> = blocks
        .iter()
        .filter_map(|b| match b {
            ValueAny::Map(b) => b.get("id"),
            _ => None,
        })
        .collect();
    let distinct: BTreeSet<String> = ids.iter().map(|v| format!("{v:?}")).collect();
    distinct.len() < ids.len()
}

/// Every configuration applied, but for those `refused` picks, which must
/// have been refused for `why`.
fn assert_outcomes(
    outcomes: &[(ValueAny, Outcome)],
    refused: impl Fn(&ValueAny) -> bool,
    why: &str,
) {
    for (known, outcome) in outcomes {
        match (outcome, refused(known)) {
            (Outcome::Applied, false) => {}
            (Outcome::Refused(said), true) => {
                assert!(
                    said.contains(why),
                    "refused for another reason: {said}\n{known:?}"
                )
            }
            (Outcome::Refused(said), false) => {
                panic!("refused a valid configuration: {said}\n{known:?}")
            }
            (Outcome::Applied, true) => {
                panic!("applied a configuration it should refuse: {known:?}")
            }
        }
    }
}

#[test]
fn job_sets_keep_their_unknown_elements() {
    let (_sim, provider, rt) = sim_and_provider();
    let outcomes = check(
        "backup_job",
        ObjectResource::new(&BACKUP_JOB, provider.handle()),
        &rt,
        job_accounts(),
    );
    // Two blocks naming one schedule with different retain values: the only
    // configuration the generator makes that is refused (at plan when the
    // IDs are known then, once they are known otherwise).
    assert_outcomes(&outcomes, names_a_schedule_twice, "attached twice");
    let outcomes = check(
        "backup_job",
        ObjectResource::new(&BACKUP_JOB, provider.handle()),
        &rt,
        job_directories(),
    );
    assert_outcomes(&outcomes, |_| false, "");
}

#[test]
fn object_sets_keep_their_unknown_elements() {
    let (_sim, provider, rt) = sim_and_provider();
    let kind = |n: &str| {
        *OBJECTS
            .iter()
            .find(|k| k.name == n)
            .expect("an object kind")
    };
    for strategy in [schedule_daily().boxed(), schedule_monthly().boxed()] {
        let outcomes = check(
            "schedule",
            ObjectResource::new(kind("schedule"), provider.handle()),
            &rt,
            strategy,
        );
        assert_outcomes(&outcomes, |_| false, "");
    }
    let outcomes = check(
        "account_filter",
        ObjectResource::new(kind("account_filter"), provider.handle()),
        &rt,
        account_filter(),
    );
    assert_outcomes(&outcomes, |_| false, "");
    let outcomes = check(
        "notification_integration",
        ObjectResource::new(kind("notification_integration"), provider.handle()),
        &rt,
        notification_email(),
    );
    assert_outcomes(&outcomes, |_| false, "");
}

/// Hooks list the jobs or destinations they run for: sets of IDs, some
/// known only after apply, maybe empty.
#[test]
fn hook_sets_keep_their_unknown_elements() {
    let (sim, provider, rt) = sim_and_provider();
    let client = sim.client();
    let jobs: Vec<&'static str> = ["hook job a", "hook job b"]
        .iter()
        .map(|name| {
            let job = rt
                .block_on(client.create_backup_job(&support::simulator::minimal_job(name)))
                .expect("a job");
            &*Box::leak(job.id.to_string().into_boxed_str())
        })
        .collect();
    let jobs: &'static [&'static str] = Box::leak(jobs.into_boxed_slice());
    let hook = || {
        *OBJECTS
            .iter()
            .find(|k| k.name == "hook")
            .expect("the hook kind")
    };
    for strategy in [hook_reindex().boxed(), hook_backup(jobs).boxed()] {
        let outcomes = check(
            "hook",
            ObjectResource::new(hook(), provider.handle()),
            &rt,
            strategy,
        );
        assert_outcomes(&outcomes, |_| false, "");
    }
}

/// The story of the issue, exactly: two schedules created in the same
/// apply, attached with the same retain.
#[test]
fn two_new_schedules_with_the_same_retain_stay_two() {
    let (sim, provider, rt) = sim_and_provider();
    let story = Story {
        resource: ObjectResource::new(&BACKUP_JOB, provider.handle()),
        rt: &rt,
    };
    let block = |id: &str| {
        T::Object(BTreeMap::from([
            ("id".to_string(), T::Later(ValueAny::String(id.to_string()))),
            ("retain".to_string(), T::Known(ValueAny::Number(7))),
        ]))
    };
    let config = BTreeMap::from([
        ("name".to_string(), T::text("two schedules, same retain")),
        ("type".to_string(), T::text("accounts")),
        ("structure".to_string(), T::text("incremental")),
        (
            "destination".to_string(),
            T::Set(vec![T::text(DEST_LOCAL_ID)]),
        ),
        (
            "schedules".to_string(),
            T::Set(vec![block(SCHEDULE_DAILY_ID), block(SCHEDULE_WEEKLY_ID)]),
        ),
    ]);
    let sets = varied()["backup_job"].clone();
    assert!(matches!(story.run(&config, &sets), Outcome::Applied));
    let jobs = rt
        .block_on(sim.client().list_backup_jobs(&Default::default()))
        .expect("listBackupJobs");
    let job = jobs
        .iter()
        .find(|j| j.name == "two schedules, same retain")
        .expect("created");
    assert_eq!(job.schedules.len(), 2, "{:?}", job.schedules);
}
