//! Every valid configuration of every table-described resource round-trips,
//! with values drawn from the table itself: for each [`ObjectKind`] of
//! [`OBJECTS`], a random type, every field of that type (required ones
//! always, the others or not), values of each field's [`ValueKind`]. Through
//! the provider's typed lifecycle against `jetbackup-sim`:
//!
//! - a configuration the provider accepts at plan is created, and the
//!   object read back equals the plan in every value the plan knew;
//! - a refresh right after finds no drift;
//! - a rename plans only the name, and the update reads back as planned;
//! - an update in place to a second configuration of the same type reads
//!   back as planned, and a refresh right after finds no drift.
//!
//! Configurations the server would store differently must be refused at
//! plan instead (the generator makes only `contains` spellings of that
//! sort: the test checks that nothing else is refused).
//!
//! A new row, a new `ValueKind` or a new table is drawn here with no edit but
//! where a `Ref` names a kind of object this test cannot point at yet (it
//! fails saying so).

mod support;

use std::cell::Cell as Counter;

use jetbackup::api::object::{Field, ObjectKind, Val, ValueKind, Values, OBJECTS};
use jetbackup::api::table::{Choice, Role};
use jetbackup::provider::object::state::ObjectState;
use jetbackup::provider::object::ObjectResource;
use jetbackup::provider::JetBackupProvider;
use jetbackup::sim::seed::{
    DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, RESELLER_ACCOUNT_ID, ROOT_ACCOUNT_ID,
    SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID, SCHEDULE_WEEKLY_ID, USER_ACCOUNT_ID,
};
use jetbackup::sim_process::SimProcess;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::lifecycle::{configured_provider, said, write_calls};
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{Diagnostics, Resource};

/// IDs a `Ref` can point at, by the name the table gives the referred kind.
fn refs(name: &str, job: &str) -> Vec<String> {
    match name {
        "account" => [ROOT_ACCOUNT_ID, RESELLER_ACCOUNT_ID, USER_ACCOUNT_ID]
            .map(str::to_string)
            .to_vec(),
        "backup job" => vec![job.to_string()],
        "destination" => [DEST_LOCAL_ID, DEST_S3_ID].map(str::to_string).to_vec(),
        "account filter group" => [GROUP_A_ID, GROUP_B_ID].map(str::to_string).to_vec(),
        "schedule" => [SCHEDULE_HOURLY_ID, SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID]
            .map(str::to_string)
            .to_vec(),
        other => panic!("no object to refer to for Ref({other:?}): give this test a pool for it"),
    }
}

fn label(choices: &'static [Choice]) -> BoxedStrategy<Val> {
    prop::sample::select(choices)
        .prop_map(|c| Val::Text(c.label.to_string()))
        .boxed()
}

/// A value of a field of an object of type `code`.
fn value_of(field: &Field, code: Option<i64>, job: &str) -> BoxedStrategy<Val> {
    let kind = field.kind;
    let word = || "[a-z][a-z0-9]{0,7}";
    match kind {
        ValueKind::Text => word().prop_map(Val::Text).boxed(),
        ValueKind::Ref(name) => prop::sample::select(refs(name, job))
            .prop_map(Val::Text)
            .boxed(),
        ValueKind::Char { alphabet } => {
            let chars: Vec<char> = alphabet.chars().collect();
            prop::sample::select(chars)
                .prop_map(|c| Val::Text(c.to_string()))
                .boxed()
        }
        ValueKind::Count => (0i64..5000).prop_map(Val::Int).boxed(),
        ValueKind::IntIn(list) => prop::sample::select(list).prop_map(Val::Int).boxed(),
        ValueKind::Label(c) | ValueKind::Key(c) => label(c),
        ValueKind::TextSet | ValueKind::JoinedSet => prop::collection::btree_set(word(), 1..4)
            .prop_map(Val::Texts)
            .boxed(),
        ValueKind::RefSet(name) => {
            let ids = refs(name, job);
            let (n, least) = (ids.len(), usize::from(field.role == Role::Required));
            prop::sample::subsequence(ids, least..=n)
                .prop_map(|ids| Val::Texts(ids.into_iter().collect()))
                .boxed()
        }
        ValueKind::IntSet { min, max } => prop::collection::btree_set(min..=max, 1..4)
            .prop_map(Val::Ints)
            .boxed(),
        ValueKind::LabelSet(c) => prop::sample::subsequence(c, 1..=c.len())
            .prop_map(|cs| Val::Texts(cs.iter().map(|c| c.label.to_string()).collect()))
            .boxed(),
        ValueKind::Bool => any::<bool>().prop_map(Val::Bool).boxed(),
        ValueKind::Range { min, max } => (min..=max).prop_map(Val::Int).boxed(),
        ValueKind::Path => word()
            .prop_map(|w| Val::Text(format!("/backup/{w}")))
            .boxed(),
        ValueKind::Secret { .. } => word()
            .prop_map(|w| Val::Text(format!("s3cr3t-{w}")))
            .boxed(),
        ValueKind::Numbered(c) => prop::sample::select(c)
            .prop_map(|c| Val::Int(c.code))
            .boxed(),
        // The type's named bits, or raw bits that are not its full value;
        // sometimes none (the full value) or every name.
        ValueKind::Bitmask(bits) => {
            let Some(bits) = jetbackup::api::object::bits_for(bits, code) else {
                return Just(Val::Texts(Default::default())).boxed();
            };
            let labels: Vec<String> = if bits.named.is_empty() {
                ["bit_1", "bit_8", "bit_16"].map(str::to_string).to_vec()
            } else {
                bits.named
                    .iter()
                    .map(|c| c.label.to_string())
                    .chain(["bit_1024".to_string()])
                    .collect()
            };
            let n = labels.len();
            prop_oneof![
                Just(Val::Texts(Default::default())),
                Just(Val::Texts(labels.iter().cloned().collect())),
                prop::sample::subsequence(labels, 1..=n)
                    .prop_map(|ls| Val::Texts(ls.into_iter().collect())),
            ]
            .boxed()
        }
        ValueKind::Time => (0u8..24, 0u8..60)
            .prop_map(|(h, m)| Val::Text(format!("{h:02}{m:02}")))
            .boxed(),
        ValueKind::Paths => {
            // Required (for its types): at least one.
            let least = usize::from(field.role == Role::Required);
            prop::collection::btree_set(word(), least..3)
                .prop_map(|ws| Val::Texts(ws.into_iter().map(|w| format!("/srv/{w}")).collect()))
                .boxed()
        }
        ValueKind::RefGrid(name) => {
            let ids = refs(name, job);
            prop::collection::btree_set(
                prop::collection::btree_set(prop::sample::select(ids), 1..3),
                0..3,
            )
            .prop_map(Val::Grid)
            .boxed()
        }
        ValueKind::Schedules => {
            let ids = refs("schedule", job);
            prop::collection::btree_map(prop::sample::select(ids), 0i64..100, 0..3)
                .prop_map(|m| Val::Retains(m.into_iter().collect()))
                .boxed()
        }
        ValueKind::Monitor => prop_oneof![
            Just(Val::Monitor {
                ranfor: 0,
                notran: 0
            }),
            (0i64..30, 0i64..30).prop_map(|(ranfor, notran)| Val::Monitor { ranfor, notran }),
        ]
        .boxed(),
    }
}

/// The values a user may write for an object of type `code`: required
/// fields always, optional ones or not; the type (and a block's selector)
/// as the code says.
fn values_of(kind: &'static ObjectKind, code: Option<i64>, job: &str) -> BoxedStrategy<Values> {
    let mut fields: Vec<BoxedStrategy<Option<(&'static str, Val)>>> = Vec::new();
    for f in kind
        .fields
        .iter()
        .filter(|f| f.role.is_input() && f.applies_to(code))
    {
        let fixed = fixed_value(kind, f, code);
        let attr = f.attr;
        let s = match (fixed, f.role) {
            (Some(v), _) => Just(Some((attr, v))).boxed(),
            (None, Role::Required) => value_of(f, code, job)
                .prop_map(move |v| Some((attr, v)))
                .boxed(),
            (None, _) => {
                prop::option::of(value_of(f, code, job).prop_map(move |v| (attr, v))).boxed()
            }
        };
        fields.push(s);
    }
    fields
        .prop_map(|vs| vs.into_iter().flatten().collect::<Values>())
        .boxed()
}

/// The discriminator and a block's selector follow from the type drawn.
fn fixed_value(kind: &ObjectKind, f: &Field, code: Option<i64>) -> Option<Val> {
    let code = code?;
    let is_type = f.attr == kind.discriminator || kind.is_selector(f);
    if !is_type {
        return None;
    }
    let choices = f.kind.choices()?;
    choices
        .iter()
        .find(|c| c.code == code)
        .map(|c| Val::Text(c.label.to_string()))
}

/// Two configurations of one type drawn at random.
fn configs(kind: &'static ObjectKind, job: String) -> BoxedStrategy<(Values, Values)> {
    let codes: Vec<Option<i64>> = match kind.discriminator_field().and_then(|d| d.kind.choices()) {
        Some(c) => c.iter().map(|c| Some(c.code)).collect(),
        None => vec![None],
    };
    prop::sample::select(codes)
        .prop_flat_map(move |code| (values_of(kind, code, &job), values_of(kind, code, &job)))
        .boxed()
}

/// What Terraform proposes for an update: the configuration, with the
/// prior values of the attributes it computes where the configuration
/// leaves them null.
fn proposed_update(kind: &ObjectKind, prior: &ObjectState, config: &ObjectState) -> ObjectState {
    let mut proposed = config.clone();
    proposed.set("id", prior.raw("id").clone());
    for f in kind.fields {
        let computed = match f.role {
            Role::Required | Role::Optional => {
                !kind.blocks.is_empty() && f.attr == kind.discriminator
            }
            Role::Defaulted(_) | Role::ServerDefault(_) | Role::ReadOnly { .. } => true,
        };
        if computed && *config.field_raw(kind, f) == ValueAny::Null {
            let before = prior.field_raw(kind, f).clone();
            proposed.set_field(kind, f, before);
        }
    }
    proposed
}

/// What Terraform sends as configuration: the values written, everything
/// else null (the type of a kind with blocks follows from the block).
fn config_state(kind: &ObjectKind, values: &Values) -> ObjectState {
    let mut s = ObjectState::complete(kind, None, values);
    if !kind.blocks.is_empty() {
        s.set(kind.discriminator, ValueAny::Null);
    }
    s
}

fn known_follow(planned: &ValueAny, got: &ValueAny, at: &str) {
    match (planned, got) {
        (ValueAny::Unknown, g) => {
            assert!(*g != ValueAny::Unknown, "{at}: still unknown after apply")
        }
        (ValueAny::Map(p), ValueAny::Map(g)) => {
            for (k, pv) in p {
                known_follow(
                    pv,
                    g.get(k).unwrap_or(&ValueAny::Null),
                    &format!("{at}.{k}"),
                );
            }
        }
        (ValueAny::List(p), ValueAny::List(g)) if p.len() == g.len() => {
            for (i, (pv, gv)) in p.iter().zip(g).enumerate() {
                known_follow(pv, gv, &format!("{at}[{i}]"));
            }
        }
        (p, g) => assert_eq!(p, g, "{at}: planned {p:?}, read back {g:?}"),
    }
}

struct Story<'s> {
    r: ObjectResource,
    rt: &'s tokio::runtime::Runtime,
}

impl Story<'_> {
    fn valid(&self, config: &ObjectState) -> Result<(), String> {
        let mut d = Diagnostics::default();
        self.rt.block_on(self.r.validate(&mut d, config.clone()));
        if d.errors.is_empty() {
            Ok(())
        } else {
            Err(said(&d))
        }
    }

    /// Create, refresh, rename, update: the properties of the module doc.
    fn run(&self, kind: &ObjectKind, config: ObjectState, second: Option<ObjectState>, name: &str) {
        let mut d = Diagnostics::default();
        let (planned, private) = self
            .rt
            .block_on(
                self.r
                    .plan_create(&mut d, config.clone(), config.clone(), ValueEmpty::Null),
            )
            .expect("a plan");
        assert!(d.errors.is_empty(), "plan: {}", said(&d));
        let (created, private) = self
            .rt
            .block_on(self.r.create(
                &mut d,
                planned.clone(),
                config.clone(),
                private,
                ValueEmpty::Null,
            ))
            .unwrap_or_else(|| {
                panic!(
                    "accepted at plan, refused on create: {}\n{:?}",
                    said(&d),
                    config.0
                )
            });
        assert!(d.errors.is_empty(), "create: {}", said(&d));
        let (planned_v, created_v) = (
            ValueAny::Map(planned.0.clone()),
            ValueAny::Map(created.0.clone()),
        );
        known_follow(&planned_v, &created_v, "create");

        let (read, private) = self
            .rt
            .block_on(
                self.r
                    .read(&mut d, created.clone(), private, ValueEmpty::Null),
            )
            .expect("still there");
        assert!(d.errors.is_empty(), "read: {}", said(&d));
        assert!(
            read == created,
            "drift right after create:\n{:?}\n{:?}",
            read.0,
            created.0
        );

        // A rename: Terraform proposes the prior state with the new name.
        let renamed = format!("{name} renamed");
        let mut config2 = config.clone();
        config2.set("name", ValueAny::String(renamed.clone()));
        let mut proposed = created.clone();
        proposed.set("name", ValueAny::String(renamed));
        let (planned2, private, replace) = self
            .rt
            .block_on(self.r.plan_update(
                &mut d,
                created.clone(),
                proposed,
                config2.clone(),
                private,
                ValueEmpty::Null,
            ))
            .expect("a plan");
        assert!(d.errors.is_empty(), "plan rename: {}", said(&d));
        assert!(replace.is_empty(), "a rename replaces: {replace:?}");
        // Nothing else is planned: no read-only field moves with the name
        // (each declares what it moves with).
        for (attr, v) in &planned2.0 {
            if attr != "name" {
                assert_eq!(Some(v), created.0.get(attr), "a rename plans {attr} too");
            }
        }
        let (updated, private) = self
            .rt
            .block_on(self.r.update(
                &mut d,
                created,
                planned2.clone(),
                config2,
                private,
                ValueEmpty::Null,
            ))
            .expect("updated");
        assert!(d.errors.is_empty(), "update: {}", said(&d));
        known_follow(
            &ValueAny::Map(planned2.0),
            &ValueAny::Map(updated.0.clone()),
            "rename",
        );

        // In place to a second configuration of the same type.
        let Some(mut config3) = second else {
            return;
        };
        config3.set("name", ValueAny::String(format!("{name} again")));
        let proposed = proposed_update(kind, &updated, &config3);
        let (planned3, private, replace) = self
            .rt
            .block_on(self.r.plan_update(
                &mut d,
                updated.clone(),
                proposed,
                config3.clone(),
                private,
                ValueEmpty::Null,
            ))
            .expect("a plan");
        if !d.errors.is_empty() {
            // Only a setting no write can clear is refused, at plan.
            let refused = said(&d);
            assert!(
                refused.contains("cannot be removed from an existing"),
                "plan update: {refused}"
            );
            return;
        }
        if !replace.is_empty() {
            // A setting that forces replacement: Terraform would create anew.
            return;
        }
        let (applied, private) = self
            .rt
            .block_on(self.r.update(
                &mut d,
                updated,
                planned3.clone(),
                config3,
                private,
                ValueEmpty::Null,
            ))
            .expect("updated");
        assert!(d.errors.is_empty(), "update: {}", said(&d));
        known_follow(
            &ValueAny::Map(planned3.0),
            &ValueAny::Map(applied.0.clone()),
            "update",
        );
        let (read, _) = self
            .rt
            .block_on(
                self.r
                    .read(&mut d, applied.clone(), private, ValueEmpty::Null),
            )
            .expect("still there");
        assert!(d.errors.is_empty(), "read: {}", said(&d));
        assert!(
            read == applied,
            "drift right after the update:\n{:?}\n{:?}",
            read.0,
            applied.0
        );
    }
}

fn sim_and_provider(rt: &tokio::runtime::Runtime) -> (SimProcess, JetBackupProvider, String) {
    let sim = support::simulator::sim(&["--token", "tables"]);
    let provider = configured_provider(&sim, "tables", rt);
    // A job for `Ref("backup job")` fields (a schedule that runs after it).
    let job = rt
        .block_on(
            sim.client()
                .create_backup_job(&support::simulator::minimal_job("followed")),
        )
        .expect("a job to follow");
    (sim, provider, job.id.to_string())
}

#[test]
fn every_table_round_trips_and_renames_quietly() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (sim, provider, job) = sim_and_provider(&rt);
    for kind in OBJECTS {
        let story = Story {
            r: ObjectResource::new(kind, provider.handle()),
            rt: &rt,
        };
        let (accepted, refused) = (Counter::new(0u32), Counter::new(0u32));
        let writes_before = Counter::new(0u64);
        let mut runner = TestRunner::new(Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&configs(kind, job.clone()), |(mut values, second)| {
                let name = format!("{} {}", kind.name, accepted.get() + refused.get());
                values.insert("name", Val::Text(name.clone()));
                let config = config_state(kind, &values);
                let second = config_state(kind, &second);
                writes_before.set(write_calls(&sim));
                match story.valid(&config) {
                    Ok(()) => {
                        accepted.set(accepted.get() + 1);
                        let second = story.valid(&second).is_ok().then_some(second);
                        story.run(kind, config, second, &name);
                    }
                    Err(said) => {
                        refused.set(refused.get() + 1);
                        // Only what would not read back as written, or a
                        // block's one-of rule, which the draw ignores.
                        assert!(
                            said.contains("would not read back as written")
                                || said.contains("block needs one of"),
                            "jetbackup_{}: a drawn configuration was refused: {said}",
                            kind.name
                        );
                        // Refused at plan: nothing was sent.
                        assert_eq!(write_calls(&sim), writes_before.get());
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("jetbackup_{}: {e}", kind.name));
        // Not vacuous: most drawn configurations are valid ones.
        assert!(
            accepted.get() >= refused.get(),
            "jetbackup_{}: {} accepted, {} refused at plan",
            kind.name,
            accepted.get(),
            refused.get()
        );
    }
}
