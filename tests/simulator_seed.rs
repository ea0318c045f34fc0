//! The seed a user can write (`examples/simulator/seed.json`): the
//! simulator starts from it and serves everything it holds through the
//! client's strict decoding, and `--state` saves the same format, so a
//! saved state is a seed again.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use jetbackup::api::models::ListQuery;
use jetbackup::api::object::hook::HOOK;
use jetbackup::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use jetbackup::api::object::{Val, Values, OBJECTS};
use jetbackup::api::Client;
use jetbackup::sim::seed::SimData;

fn example_seed() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/simulator/seed.json")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// What a client lists from a simulator, kind by kind (IDs and names).
fn inventory(rt: &tokio::runtime::Runtime, client: &Client) -> Vec<(String, BTreeSet<String>)> {
    let all = ListQuery::default();
    let mut out = Vec::new();
    let jobs = rt
        .block_on(client.list_backup_jobs(&all))
        .expect("listBackupJobs");
    out.push((
        "backup_job".to_string(),
        jobs.iter()
            .map(|j| format!("{} {}", j.id, j.name))
            .collect(),
    ));
    let groups = rt
        .block_on(client.list_account_filter_groups(&all))
        .expect("listAccountFilterGroups");
    out.push((
        "account_filter_group".to_string(),
        groups
            .iter()
            .map(|g| format!("{} {}", g.id(), g.name()))
            .collect(),
    ));
    for kind in OBJECTS {
        let objects = rt
            .block_on(client.list_objects(kind, &all))
            .unwrap_or_else(|e| panic!("{}: {e}", kind.list));
        let name = |v: &Values| match v.get("name") {
            Some(Val::Text(n)) => n.clone(),
            _ => String::new(),
        };
        out.push((
            kind.name.to_string(),
            objects
                .iter()
                .map(|(id, v)| format!("{id} {}", name(v)))
                .collect(),
        ));
    }
    out
}

#[test]
fn the_example_seed_starts_a_realistic_server_the_client_reads_whole() {
    let data = SimData::load(&example_seed()).expect("examples/simulator/seed.json loads");
    let sim = support::sim(&["--seed", example_seed().to_str().expect("utf-8")]);
    let client = sim.client();
    let rt = rt();
    let all = ListQuery::default();

    let destinations = rt
        .block_on(client.list_destinations(&all))
        .expect("listDestinations");
    let types: BTreeSet<&str> = destinations.iter().map(|d| d.str("type")).collect();
    assert_eq!(
        types,
        BTreeSet::from(["Localv2", "Local", "SSH", "S3"]),
        "a destination of each type"
    );
    let s3 = destinations
        .iter()
        .find(|d| d.str("type") == "S3")
        .expect("S3");
    assert_eq!(
        s3["options"]["secret_key"],
        jetbackup::api::object::MASK,
        "secrets served masked"
    );

    let schedules = rt
        .block_on(client.list_schedules(&all))
        .expect("listSchedules");
    let kinds: BTreeSet<i64> = schedules.iter().map(|s| s.int("type")).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([1, 2, 3, 4, 5]),
        "a schedule of each type"
    );

    let jobs = rt
        .block_on(client.list_backup_jobs(&all))
        .expect("listBackupJobs");
    assert_eq!(jobs.len(), 2);
    let accounts = jobs
        .iter()
        .find(|j| j.name == "Accounts")
        .expect("the accounts job");
    assert_eq!(accounts.schedules.len(), 2);
    assert!(
        accounts.schedules.iter().all(|s| !s.name.is_empty()),
        "schedule names resolved"
    );
    assert_eq!(accounts.destination_details.len(), 2);
    assert!(
        accounts.next_run.is_some(),
        "a scheduled job has a next run"
    );

    let hooks = rt
        .block_on(client.list_objects(&HOOK, &all))
        .expect("listHooks");
    assert_eq!(hooks.len(), 1);
    assert_eq!(
        hooks[0].1.get("backup_job_ids"),
        Some(&Val::Texts([accounts.id.to_string()].into()))
    );
    let integrations = rt
        .block_on(client.list_objects(&NOTIFICATION_INTEGRATION, &all))
        .expect("listNotificationIntegrations");
    assert_eq!(integrations.len(), 2);
    let ops = integrations
        .iter()
        .find(|(_, v)| v.get("name") == Some(&Val::Text("Ops e-mail".into())))
        .expect("the ops integration");
    assert_eq!(ops.1.get("critical"), Some(&Val::Text("realtime".into())));
    assert!(
        !ops.1.contains_key("smtp_password"),
        "the password is served masked"
    );

    // Every object the file holds is listed, nothing else.
    let listed = inventory(&rt, &client);
    let count = |kind: &str| {
        listed
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(0, |(_, s)| s.len())
    };
    assert_eq!(count("destination"), data.destinations.len());
    assert_eq!(count("schedule"), data.schedules.len());
    assert_eq!(count("account_filter"), data.account_filters.len());
    assert_eq!(
        count("account_filter_group"),
        data.account_filter_groups.len()
    );
    assert_eq!(count("backup_job"), data.backup_jobs.len());
    assert_eq!(count("hook"), data.hooks.len());
    assert_eq!(
        count("notification_integration"),
        data.notification_integrations.len()
    );
    for (kind, items) in &listed {
        println!(
            "{kind}: {}",
            items.iter().cloned().collect::<Vec<_>>().join("; ")
        );
    }
}

#[test]
fn a_saved_state_is_a_seed_in_the_same_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.json");
    let rt = rt();
    let before = {
        let sim = support::sim(&[
            "--seed",
            example_seed().to_str().expect("utf-8"),
            "--state",
            state.to_str().expect("utf-8"),
        ]);
        let client = sim.client();
        let mut hook = Values::new();
        for (k, v) in [
            ("name", "Notify after restores"),
            ("when", "post"),
            ("on", "restore"),
            ("script", "/root/hooks/restored.sh"),
        ] {
            hook.insert(k, Val::Text(v.to_string()));
        }
        rt.block_on(client.create_object(&HOOK, &hook))
            .expect("a write");
        inventory(&rt, &client)
    };
    // The file --state wrote loads as a seed and serves the same objects.
    let saved = SimData::load(&state).expect("the state file is simulator data");
    let seed = SimData::load(&example_seed()).expect("seed");
    assert_eq!(saved.hooks.len(), seed.hooks.len() + 1);
    assert_eq!(saved.backup_jobs, seed.backup_jobs);
    let sim = support::sim(&["--seed", state.to_str().expect("utf-8")]);
    assert_eq!(inventory(&rt, &sim.client()), before);
}
