//! The properties of the fuzz targets in `fuzz/` (run for minutes with
//! `make fuzz`), checked briefly on every `cargo test` with proptest, plus a
//! regression case for each input the fuzzers ever found failing (none so
//! far: add them to `regressions` below with the target's name).

use jetbackup::api::client::{decode_job, decode_reply};
use jetbackup::api::job::BackupJob;
use jetbackup::api::job::{JobSpec, JobType, JobValue, Param, ScheduleRef};
use jetbackup::api::models::ListPage;
use jetbackup::api::object::backup_job::BACKUP_JOB;
use jetbackup::api::object::Record;
use jetbackup::api::wire::{parse_pairs, FormValue, Params};
use jetbackup::provider::object::readback;
use jetbackup::provider::object::state::ObjectState;
use jetbackup::sim::backup_job::apply_job_request;
use jetbackup::sim::seed::{
    builtin, DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, SCHEDULE_DAILY_ID,
    SCHEDULE_WEEKLY_ID,
};
use proptest::prelude::*;

const SECRET: &str = "fuzz-secret-token-5e1f";

/// The body of `fuzz_targets/decode_reply.rs`.
fn decode_reply_property(data: &[u8]) {
    let mut params = Params::new();
    params.push("_id", "6504c79fd4b57d536c05bbe2");
    let check_error = |text: String| {
        assert!(!text.contains(SECRET), "the token leaked into: {text}");
        assert!(text.chars().count() < 4000, "runaway error text");
    };
    match decode_reply("getBackupJob", &params, data, &[SECRET]) {
        Ok(envelope) => {
            match decode_job("getBackupJob", envelope.clone()) {
                Ok(job) => {
                    // The resource's readback of it, and what a write of it sends.
                    let raw = serde_json::to_value(&job).expect("a job serializes");
                    if let Ok((id, values)) = jetbackup::api::object::decode(&BACKUP_JOB, &raw) {
                        let none = ObjectState::complete(&BACKUP_JOB, None, &Default::default());
                        let state = readback(&BACKUP_JOB, &id, values, &none);
                        let _ = jetbackup::api::object::encode(
                            &BACKUP_JOB,
                            &state.inputs(&BACKUP_JOB),
                            jetbackup::api::object::Target::Create,
                        );
                    }
                }
                Err(e) => check_error(e.to_string()),
            }
            let _ = ListPage::<jetbackup::api::job::BackupJob>::from_data(
                envelope.data.clone(),
                "jobs",
            );
            let _ = ListPage::<Record>::from_data(envelope.data.clone(), "schedules");
        }
        Err(e) => check_error(e.to_string()),
    }
}

/// JSON-ish bodies: envelopes with job objects whose fields hold anything.
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from(SECRET)),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let fields = prop::sample::subsequence(
        vec![
            "_id",
            "name",
            "type",
            "destination",
            "schedules",
            "monitor",
            "filters",
            "time",
            "disabled",
            "exclude_list",
        ],
        0..10,
    );
    (
        any::<bool>(),
        fields,
        prop::collection::vec(value, 10),
        ".{0,20}",
    )
        .prop_map(|(success, fields, values, message)| {
            let job: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .zip(values)
                .map(|(f, v)| (f.to_string(), v))
                .collect();
            serde_json::json!({"success": success as u8, "message": message, "data": job})
                .to_string()
                .into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decode_reply_never_panics_on_bytes(data in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_reply_property(&data);
    }

    #[test]
    fn decode_reply_never_panics_on_json(data in json_body()) {
        decode_reply_property(&data);
    }

    #[test]
    fn pairs_survive_encode_then_parse(pairs in prop::collection::vec((".{0,8}", ".{0,8}"), 0..6)) {
        let mut p = Params::new();
        for (k, v) in &pairs {
            p.push(k.clone(), v.clone());
        }
        let encoded = p.encode();
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"_%=&".contains(&b)));
        prop_assert_eq!(parse_pairs(&encoded), pairs);
    }

    #[test]
    fn any_text_parses_as_a_form(raw in ".{0,64}") {
        let form = FormValue::from_pairs(&parse_pairs(&raw));
        let _ = apply_job_request(&builtin(), None, &form);
    }

    #[test]
    fn job_lists_survive_the_bracket_notation(
        // The simulator checks what the IDs name: they name the seed's objects.
        destination in prop::collection::vec(prop::sample::select(vec![DEST_LOCAL_ID.to_string(), DEST_S3_ID.to_string()]), 1..4),
        exclude_list in prop::collection::vec(".{0,5}[^\\s]", 0..4),
        filters in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![GROUP_A_ID.to_string(), GROUP_B_ID.to_string()]), 0..3), 0..3),
        schedules in prop::collection::vec((prop::sample::select(vec![SCHEDULE_DAILY_ID.to_string(), SCHEDULE_WEEKLY_ID.to_string()]), 0i64..100), 0..3),
    ) {
        let spec = JobSpec::new()
.with(Param::Name, "n".to_string())
.with(Param::Type, JobType::Accounts)
.with(Param::Contains, JobValue::Int(511))
.with(Param::Structure, JobValue::Int(1))
.with(Param::Destination, destination)
.with(Param::ExcludeList, exclude_list)
.with(Param::Filters, filters.clone())
.with(Param::Schedules, schedules.into_iter().map(|(id, retain)| ScheduleRef { id, retain }).collect::<Vec<_>>());
        let form = FormValue::from_pairs(&parse_pairs(&spec.create_params().encode()));
        let stored = apply_job_request(&builtin(), None, &form).expect("a valid job is stored");
        let got: BackupJob = serde_json::from_value(stored.into_json()).expect("the client reads it");
        prop_assert_eq!(got.value(Param::Destination), spec.get(Param::Destination).cloned());
        prop_assert_eq!(got.value(Param::ExcludeList), spec.get(Param::ExcludeList).cloned());
        let rows: Vec<Vec<String>> = filters.into_iter().filter(|r| !r.is_empty()).collect();
        prop_assert_eq!(got.value(Param::Filters), Some(JobValue::Grid(rows)));
        prop_assert_eq!(got.value(Param::Schedules), spec.get(Param::Schedules).cloned());
    }
}

#[test]
fn regressions() {
    // Inputs that once failed a fuzz target: (target, input). None yet; the
    // bodies below are the edge cases the targets were seeded with.
    let cases: &[(&str, &[u8])] = &[
        ("decode_reply", b""),
        (
            "decode_reply",
            b"{\"success\":1,\"data\":{\"_id\":{\"$oid\":1}}}",
        ),
        (
            "decode_reply",
            b"{\"success\":0,\"system\":{\"retry_ms\":-5}}",
        ),
        (
            "decode_reply",
            b"{\"success\":0,\"system\":{\"retry_ms\":9223372036854775807}}",
        ),
        (
            "decode_reply",
            b"{\"success\":\"1\",\"data\":{\"time\":\"99999\",\"monitor\":[]}}",
        ),
    ];
    for (target, input) in cases {
        match *target {
            "decode_reply" => decode_reply_property(input),
            other => panic!("unknown target {other}"),
        }
    }
}
