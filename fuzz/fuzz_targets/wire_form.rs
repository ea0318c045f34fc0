//! PHP bracket notation both ways: any string parses without a panic, any
//! list of pairs survives encode → parse unchanged, and a job encoded by the
//! client is read back by the simulator's decoder as the same lists.
#![no_main]

use arbitrary::Arbitrary;
use jetbackup::api::job::{JobSpec, JobType, JobValue, Monitor, Param, ScheduleRef};
use jetbackup::api::wire::{parse_pairs, percent_decode, split_bracket_key, FormValue, Params};
use jetbackup::sim::job_request::decode_job_request;
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
    let _ = decode_job_request(&form);
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

    // 3. A job's lists through the client's encoder and the simulator's decoder.
    let spec = JobSpec::new()
        .with(Param::Name, input.name.clone())
        .with(Param::Type, JobType::Accounts)
        .with(Param::Structure, JobValue::Int(1))
        .with(Param::Destination, input.destination.clone())
        .with(Param::ExcludeList, input.exclude_list.clone())
        .with(Param::Filters, input.filters.clone())
        .with(
            Param::Schedules,
            input
                .schedules
                .iter()
                .map(|(id, retain)| ScheduleRef {
                    id: id.clone(),
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
    if let Ok(req) = decode_job_request(&form) {
        let got = req.spec;
        assert_eq!(got.get(Param::Destination), spec.get(Param::Destination));
        assert_eq!(got.get(Param::ExcludeList), spec.get(Param::ExcludeList));
        let rows: Vec<Vec<String>> = input
            .filters
            .iter()
            .filter(|r| !r.is_empty())
            .cloned()
            .collect();
        assert_eq!(got.get(Param::Filters), Some(&JobValue::Grid(rows)));
        assert_eq!(got.get(Param::Schedules), spec.get(Param::Schedules));
        if !input.name.is_empty() {
            assert_eq!(got.get(Param::Name), spec.get(Param::Name));
        }
    }
});
