//! PHP bracket notation both ways: any string parses without a panic, any
//! list of pairs survives encode → parse unchanged, and a job encoded by the
//! client is stored by the simulator's request check with the same lists.
#![no_main]

use arbitrary::Arbitrary;
use jetbackup::api::job::{BackupJob, JobSpec, JobType, JobValue, Monitor, Param, ScheduleRef};
use jetbackup::api::wire::{parse_pairs, percent_decode, split_bracket_key, FormValue, Params};
use jetbackup::sim::backup_job::apply_job_request;
use jetbackup::sim::seed::{
    builtin, DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, SCHEDULE_DAILY_ID,
    SCHEDULE_WEEKLY_ID,
};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    raw: String,
    pairs: Vec<(String, String)>,
    name: String,
    destination: Vec<String>,
    exclude_list: Vec<String>,
    filters: Vec<Vec<String>>,
    schedules: Vec<(String, u16)>,
    monitor: Option<(u8, u8)>,
}

fuzz_target!(|input: Input| {
    // 1. Arbitrary text as a request: no panic.
    let pairs = parse_pairs(&input.raw);
    let form = FormValue::from_pairs(&pairs);
    let data = builtin();
    let _ = apply_job_request(&data, None, &form);
    let _ = split_bracket_key(&input.raw);
    let _ = percent_decode(&input.raw);

    // 2. Arbitrary pairs: encode then parse is the identity, and the encoded
    // form holds only what the API docs allow unescaped.
    let mut p = Params::new();
    for (k, v) in &input.pairs {
        p.push(k.clone(), v.clone());
    }
    let encoded = p.encode();
    assert!(encoded
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_%=&".contains(&b)));
    assert_eq!(parse_pairs(&encoded), input.pairs);

    // 3. A job's lists through the client's encoder and the simulator's
    // request check. The simulator checks what IDs name: each arbitrary ID
    // becomes one of the seed's objects.
    let pick = |ids: &[&str], s: &String| ids[s.len() % ids.len()].to_string();
    let destinations = [DEST_LOCAL_ID, DEST_S3_ID];
    let groups = [GROUP_A_ID, GROUP_B_ID];
    let filters: Vec<Vec<String>> = input
        .filters
        .iter()
        .map(|row| row.iter().map(|g| pick(&groups, g)).collect())
        .collect();
    let spec = JobSpec::new()
        .with(Param::Name, input.name.clone())
        .with(Param::Type, JobType::Accounts)
        .with(Param::Contains, JobValue::Int(511))
        .with(Param::Structure, JobValue::Int(1))
        .with(
            Param::Destination,
            input
                .destination
                .iter()
                .map(|d| pick(&destinations, d))
                .collect::<Vec<_>>(),
        )
        .with(Param::ExcludeList, input.exclude_list.clone())
        .with(Param::Filters, filters.clone())
        .with(
            Param::Schedules,
            input
                .schedules
                .iter()
                .map(|(id, retain)| ScheduleRef {
                    id: pick(&[SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID], id),
                    retain: i64::from(*retain),
                })
                .collect::<Vec<_>>(),
        )
        .with_opt(
            Param::Monitor,
            input.monitor.map(|(r, n)| Monitor {
                ranfor: i64::from(r).into(),
                notran: i64::from(n).into(),
            }),
        );
    let form = FormValue::from_pairs(&parse_pairs(&spec.create_params().encode()));
    if let Ok(stored) = apply_job_request(&data, None, &form) {
        let got: BackupJob =
            serde_json::from_value(stored.into_json()).expect("the client reads it");
        assert_eq!(
            got.value(Param::Destination),
            spec.get(Param::Destination).cloned()
        );
        assert_eq!(
            got.value(Param::ExcludeList),
            spec.get(Param::ExcludeList).cloned()
        );
        let rows: Vec<Vec<String>> = filters.into_iter().filter(|r| !r.is_empty()).collect();
        assert_eq!(got.value(Param::Filters), Some(JobValue::Grid(rows)));
        assert_eq!(
            got.value(Param::Schedules),
            spec.get(Param::Schedules).cloned()
        );
        assert_eq!(got.value(Param::Name), spec.get(Param::Name).cloned());
    }
});
