//! Resource identity and `terraform query` end to end: a real Terraform CLI,
//! the provider binary and a `jetbackup-sim` seeded like a server that was
//! set up in the panel. Each test is one user story; import by identity
//! needs Terraform 1.12 and list resources 1.14, so on older CLIs the
//! stories say why they are skipped (the CLI's version, never a failure).

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::fixture::SeededServer;
use support::{
    closed_port, config, for_each_terraform, Fixture, Workspace, IDENTITY_SINCE, QUERY_SINCE,
};

/// Jobs added to the example seed, so the server holds 26 of mixed types.
const EXTRA_JOBS: usize = 24;

/// The example seed (`examples/simulator/seed.json`: four destinations, one
/// of them S3, five schedules, two account filters, a hook), with
/// [`EXTRA_JOBS`] more jobs of both types beside its two, some disabled, and
/// its two notification integrations: JetBackup's shipped "Default Email
/// Notification" (no recipients) and one with an SMTP password.
fn server_seed() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/simulator/seed.json")).expect("seed");
    let mut seed: Value = serde_json::from_str(&text).expect("seed is JSON");
    let jobs = seed["backup_jobs"].as_array().expect("jobs").clone();
    let mut all = jobs.clone();
    for i in 0..EXTRA_JOBS {
        let mut job = jobs[i % jobs.len()].clone();
        job["_id"] = json!(format!("6560a10000000000000{:05x}", 0xb100 + i));
        job["name"] = json!(format!("Job {:02}", i + 3));
        job["disabled"] = json!(i32::from(i % 5 == 4));
        job["time"] = json!(100 + i);
        all.push(job);
    }
    seed["backup_jobs"] = Value::Array(all);
    seed
}

/// API calls of any function since the simulator's counters were reset.
fn api_calls(f: &Fixture) -> u64 {
    let stats = f.sim.stats().expect("sim stats");
    stats["calls"]
        .as_object()
        .map_or(0, |calls| calls.values().filter_map(Value::as_u64).sum())
}

/// The IDs and names of a collection of the seed, in its order.
fn seeded(seed: &Value, collection: &str) -> Vec<(String, String)> {
    seed[collection]
        .as_array()
        .expect("collection")
        .iter()
        .map(|o| {
            (
                o["_id"].as_str().expect("_id").to_string(),
                o["name"].as_str().expect("name").to_string(),
            )
        })
        .collect()
}

/// Every object of every kind in `server_seed`: (resource type, seed collection).
const KINDS: &[(&str, &str)] = &[
    ("jetbackup_backup_job", "backup_jobs"),
    ("jetbackup_destination", "destinations"),
    ("jetbackup_schedule", "schedules"),
    ("jetbackup_account_filter", "account_filters"),
    ("jetbackup_hook", "hooks"),
    (
        "jetbackup_notification_integration",
        "notification_integrations",
    ),
];

/// The identity Terraform stored for `addr` (`terraform.tfstate`).
fn stored_identity(ws: &Workspace, addr: &str) -> Value {
    let text = std::fs::read_to_string(ws.dir().join("terraform.tfstate")).expect("state");
    let state: Value = serde_json::from_str(&text).expect("state is JSON");
    let (kind, name) = addr.split_once('.').expect("address");
    state["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == kind && r["name"] == name))
        .map(|r| r["instances"][0]["identity"].clone())
        .unwrap_or(Value::Null)
}

/// `import { to = …  identity = { id = … } }` for one object of each
/// resource type; `-generate-config-out` writes the resources, the apply
/// imports them without a write, and the next plan is empty. The identity
/// is in the state and stays as an update and a refresh pass; a malformed
/// identity fails at plan, before any call.
#[test]
fn import_by_identity_for_each_resource_type_then_plan_is_empty() {
    for_each_terraform(|cli| {
        if !cli.supports(IDENTITY_SINCE, "import by resource identity") {
            return;
        }
        let mut seed = server_seed();
        seed["notification_integrations"] = json!([{
            "_id": "6560a1000000000000000e01", "name": "Ops e-mail", "owner": "6503d48bfc45b1addf0a9632",
            "type": "Email", "frequency": {"1": 1, "2": 2, "4": 2}, "disabled": 0,
            "options": {"recipients": ["ops@example.com"]}
        }]);
        let server = SeededServer::new("destinations", seed);
        let f = server.fixture(cli);
        let targets = [
            ("jetbackup_backup_job", "6560a1000000000000000b02"),
            ("jetbackup_destination", "6560a1000000000000000d01"),
            ("jetbackup_schedule", "6560a1000000000000000502"),
            ("jetbackup_account_filter", "6560a1000000000000000a03"),
            ("jetbackup_hook", "6560a1000000000000000c01"),
            (
                "jetbackup_notification_integration",
                "6560a1000000000000000e01",
            ),
        ];
        // A malformed identity fails at plan and sends nothing.
        f.ws.write_config(&config(
            "import {\n  to = jetbackup_schedule.bad\n  identity = {\n    id = \"nightly\"\n  }\n}\n",
        ));
        f.sim.reset_stats().expect("reset");
        let bad = f.ws.run(&["plan", "-generate-config-out=bad.tf"]);
        assert!(
            !bad.success() && bad.mentions("24 hexadecimal"),
            "on {cli}:\n{bad}"
        );
        assert_eq!(api_calls(&f), 0, "a refused import called the API");
        std::fs::remove_file(f.ws.dir().join("bad.tf")).ok();

        let imports: String = targets
            .iter()
            .map(|(t, id)| {
                format!("import {{\n  to = {t}.adopted\n  identity = {{\n    id = \"{id}\"\n  }}\n}}\n\n")
            })
            .collect();
        f.ws.write_config(&config(&imports));
        f.ws.run(&["plan", "-generate-config-out=generated.tf"])
            .expect_success("plan -generate-config-out by identity");
        let writes = f.write_calls();
        let apply = f.ws.apply().expect_success("import by identity");
        assert!(
            apply.mentions("6 imported, 0 added, 0 changed, 0 destroyed"),
            "{apply}"
        );
        assert_eq!(f.write_calls(), writes, "an import writes nothing");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after the import on {cli}:\n{plan}");
        for (t, id) in targets {
            let addr = format!("{t}.adopted");
            assert_eq!(f.state_id(&addr), id);
            assert_eq!(stored_identity(&f.ws, &addr), json!({ "id": id }), "{addr}");
        }
        // An update keeps the identity; the refresh after it agrees.
        let generated =
            std::fs::read_to_string(f.ws.dir().join("generated.tf")).expect("generated.tf");
        assert!(generated.contains("\"Nightly\""), "{generated}");
        f.ws.write_file(
            "generated.tf",
            &generated.replace("\"Nightly\"", "\"Nightly at two\""),
        );
        f.ws.apply().expect_success("rename the imported schedule");
        assert_eq!(
            stored_identity(&f.ws, "jetbackup_schedule.adopted"),
            json!({"id": "6560a1000000000000000502"})
        );
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after the rename on {cli}:\n{plan}");
    });
}

/// A resource created by Terraform gets its identity with its state (on
/// CLIs that know identity), keeps it through an update and gets the new
/// object's through a replacement; the same configurations on Terraform
/// 1.11, which knows no identity, create, update, replace and destroy as
/// before.
#[test]
fn created_objects_carry_their_identity_and_older_clis_are_unaffected() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = |name: &str| {
            config(&format!(
                "resource \"jetbackup_schedule\" \"s\" {{\n  name = \"{name}\"\n  type = \"hourly\"\n  every_hours = 6\n}}\n"
            ))
        };
        f.apply_converged(&hcl("Every six hours"), "create");
        let id = f.state_id("jetbackup_schedule.s");
        let knows_identity = cli.minor_version() >= IDENTITY_SINCE;
        let identity = stored_identity(&f.ws, "jetbackup_schedule.s");
        if knows_identity {
            assert_eq!(identity, json!({ "id": id }), "on {cli}");
        } else {
            assert_eq!(
                identity,
                Value::Null,
                "Terraform {} stores no identity",
                cli.version
            );
        }
        f.apply_converged(&hcl("Six-hourly"), "rename");
        assert_eq!(f.state_id("jetbackup_schedule.s"), id);
        if knows_identity {
            assert_eq!(
                stored_identity(&f.ws, "jetbackup_schedule.s"),
                json!({ "id": id })
            );
        }
        // A replacement: planned without an identity (its ID is not known
        // yet), recorded with the new object's.
        let filter = |t: &str| {
            config(&format!(
                "resource \"jetbackup_account_filter\" \"f\" {{\n  name = \"Skipped\"\n  type = \"{t}\"\n  condition = \"exclude\"\n}}\n"
            ))
        };
        f.apply_converged(&filter("suspended"), "create a filter");
        let old = f.state_id("jetbackup_account_filter.f");
        f.ws.write_config(&filter("encrypted"));
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("1 to add, 0 to change, 1 to destroy"),
            "on {cli}:\n{plan}"
        );
        f.apply_converged(&filter("encrypted"), "replace the filter");
        let new = f.state_id("jetbackup_account_filter.f");
        assert_ne!(new, old);
        if knows_identity {
            assert_eq!(
                stored_identity(&f.ws, "jetbackup_account_filter.f"),
                json!({ "id": new })
            );
        }
        f.ws.destroy().expect_success("destroy");
        assert!(f.ws.state_resource("jetbackup_schedule.s").is_none());
    });
}

/// The `list` lines of `terraform query`'s output for one list block:
/// `(id, display name)` in order.
fn listed(out: &str, address: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| l.trim().strip_prefix(address))
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("id=")?;
            let (id, name) = rest.split_once(char::is_whitespace)?;
            Some((id.to_string(), name.trim().to_string()))
        })
        .collect()
}

/// `terraform query` lists a whole server, kind by kind in the server's
/// order, with the data sources' filters and `limit`; a bad filter fails
/// at validation naming the argument, before any API call; an unreachable
/// server fails saying where.
#[test]
fn terraform_query_lists_a_seeded_server() {
    for_each_terraform(|cli| {
        if !cli.supports(QUERY_SINCE, "list resources (terraform query)") {
            return;
        }
        let server = SeededServer::new("backup_jobs", server_seed());
        let seed = server_seed();
        let f = server.fixture(cli);
        f.ws.write_config(&config(""));
        let blocks: String = KINDS
            .iter()
            .map(|(t, _)| format!("list \"{t}\" \"all\" {{\n  provider = jetbackup\n}}\n\n"))
            .collect();
        let filtered = "list \"jetbackup_backup_job\" \"directories\" {\n  provider = jetbackup\n  config {\n    type     = \"directories\"\n    disabled = false\n  }\n}\n\nlist \"jetbackup_backup_job\" \"first_three\" {\n  provider = jetbackup\n  limit    = 3\n}\n\nlist \"jetbackup_destination\" \"s3\" {\n  provider = jetbackup\n  config {\n    type       = \"S3\"\n    name_regex = \"(?i)wasabi\"\n  }\n}\n";
        f.ws.write_file("server.tfquery.hcl", &format!("{blocks}{filtered}"));
        let out =
            f.ws.run(&["query", "-no-color"])
                .expect_success("terraform query");
        for (t, collection) in KINDS {
            let got = listed(&out.stdout, &format!("list.{t}.all"));
            assert_eq!(got, seeded(&seed, collection), "{t} on {cli}:\n{out}");
        }
        let jobs = seed["backup_jobs"].as_array().expect("jobs");
        let directories: Vec<(String, String)> = jobs
            .iter()
            .filter(|j| j["type"] == 2 && j["disabled"] == 0)
            .map(|j| {
                (
                    j["_id"].as_str().unwrap().into(),
                    j["name"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert!(directories.len() >= 5);
        assert_eq!(
            listed(&out.stdout, "list.jetbackup_backup_job.directories"),
            directories
        );
        assert_eq!(
            listed(&out.stdout, "list.jetbackup_backup_job.first_three"),
            seeded(&seed, "backup_jobs")[..3].to_vec()
        );
        assert_eq!(
            listed(&out.stdout, "list.jetbackup_destination.s3"),
            [(
                "6560a1000000000000000d04".to_string(),
                "Wasabi offsite".to_string()
            )]
        );
        // One paged list call per kind, however many list blocks read it.
        assert_eq!(f.calls("listBackupJobs"), 1, "{}", f.sim.stats().unwrap());

        // Bad filters fail before any call, naming the argument.
        f.sim.reset_stats().expect("reset");
        f.ws.write_file(
            "server.tfquery.hcl",
            "list \"jetbackup_schedule\" \"bad\" {\n  provider = jetbackup\n  config {\n    type       = \"fortnightly\"\n    name_regex = \"\\\\p{L}+\"\n  }\n}\n",
        );
        let bad = f.ws.run(&["query", "-no-color"]);
        assert!(
            !bad.success()
                && bad.mentions("Invalid type")
                && bad.mentions("type       = \"fortnightly\"")
                && bad.mentions("Invalid name_regex"),
            "on {cli}:\n{bad}"
        );
        assert_eq!(api_calls(&f), 0, "a refused query called the API");

        // A server that does not answer: the error says where.
        let port = closed_port();
        let url = format!("http://127.0.0.1:{port}");
        let down = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &url),
                ("JETBACKUP_API_TOKEN", "sim-token"),
            ],
        );
        down.write_config(&config(""));
        down.write_file(
            "down.tfquery.hcl",
            "list \"jetbackup_hook\" \"all\" {\n  provider = jetbackup\n}\n",
        );
        let failed = down.run(&["query", "-no-color"]);
        assert!(
            !failed.success()
                && failed.mentions("Cannot list the hooks")
                && failed.mentions(&format!("127.0.0.1:{port}")),
            "on {cli}:\n{failed}"
        );

        // A server that refuses the token: the error says so, and where.
        let refused = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", f.sim.url()),
                ("JETBACKUP_API_TOKEN", "wrong-token"),
            ],
        );
        refused.write_config(&config(""));
        refused.write_file(
            "refused.tfquery.hcl",
            "list \"jetbackup_schedule\" \"all\" {\n  provider = jetbackup\n}\n",
        );
        let failed = refused.run(&["query", "-no-color"]);
        assert!(
            !failed.success()
                && failed.mentions("Cannot list the schedules")
                && failed.mentions(f.sim.url()),
            "on {cli}:\n{failed}"
        );
    });
}

/// Adopting a whole server: `terraform query -generate-config-out` writes a
/// resource and an `import` block for each of 26 jobs of mixed types, four
/// destinations, five schedules, two account filters, a hook and two
/// notification integrations (JetBackup's own default one has no
/// recipients). One apply
/// imports everything with no write, and the next plan is empty; the S3
/// destination's secrets, which JetBackup never returns, are generated null
/// and JetBackup keeps its own until the configuration writes them (then
/// sent once).
#[test]
fn a_whole_server_is_adopted_with_query_generate_config_out() {
    for_each_terraform(|cli| {
        if !cli.supports(QUERY_SINCE, "list resources (terraform query)") {
            return;
        }
        let seed = server_seed();
        let server = SeededServer::new("destinations", seed.clone());
        let f = server.fixture(cli);
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/adopt-query");
        let guide = include_str!("../docs/guides/adopting-existing-jobs.md");
        for file in ["main.tf", "adopt.tfquery.hcl"] {
            let text = std::fs::read_to_string(root.join(file)).expect("example");
            f.ws.write_file(file, &text);
            if file.ends_with(".tfquery.hcl") {
                assert!(
                    guide.contains(&text),
                    "the guide does not show {file} as it is"
                );
            }
        }
        f.sim.reset_stats().expect("reset");
        f.ws.run(&["query", "-no-color", "-generate-config-out=adopted.tf"])
            .expect_success("terraform query -generate-config-out");
        // One paged list call per kind, the objects' reads included.
        let stats = f.sim.stats().expect("stats");
        assert_eq!(api_calls(&f), 6, "{stats}");
        for function in [
            "listBackupJobs",
            "listDestinations",
            "listSchedules",
            "listAccountFilters",
            "listHooks",
            "listNotificationIntegrations",
        ] {
            assert_eq!(f.calls(function), 1, "{function}: {stats}");
        }
        let generated = std::fs::read_to_string(f.ws.dir().join("adopted.tf")).expect("adopted.tf");
        let total: usize = KINDS
            .iter()
            .map(|(t, collection)| {
                let n = seeded(&seed, collection).len();
                assert_eq!(
                    generated.matches(&format!("resource \"{t}\" ")).count(),
                    n,
                    "{t}:\n{generated}"
                );
                n
            })
            .sum();
        assert_eq!(seeded(&seed, "backup_jobs").len(), 26);
        assert_eq!(generated.matches("identity = {").count(), total);

        // JetBackup never returns the S3 destination's secrets: they are
        // generated null, and the destination keeps the ones JetBackup holds.
        assert!(
            generated.lines().any(|l| is_null_secret(l, "secret_key")),
            "{generated}"
        );
        let s3 = seed["destinations"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["type"] == "S3"))
            .expect("an S3 destination in the seed");
        let s3_id = s3["_id"].as_str().expect("_id");
        let held = s3["options"]["secret_key"].clone();
        let writes = f.write_calls();
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2
                && plan.mentions(&format!(
                    "Plan: {total} to import, 0 to add, 0 to change, 0 to destroy"
                )),
            "on {cli}:\n{plan}"
        );
        let apply = f.ws.apply().expect_success("adopt the server");
        assert!(
            apply.mentions(&format!(
                "{total} imported, 0 added, 0 changed, 0 destroyed"
            )),
            "{apply}"
        );
        assert_eq!(f.write_calls() - writes, 0, "adopting writes nothing");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after adopting on {cli}:\n{plan}");
        assert_eq!(server.stored(s3_id)["options"]["secret_key"], held);

        // Writing the secrets later replaces them: sent once, in place.
        let filled: String = generated
            .lines()
            .map(|l| {
                match ["access_key", "secret_key"]
                    .into_iter()
                    .find(|a| is_null_secret(l, a))
                {
                    Some(a) => format!("{a} = var.s3_{a}\n"),
                    None => format!("{l}\n"),
                }
            })
            .collect();
        f.ws.write_file("adopted.tf", &filled);
        f.ws.write_file(
            "secrets.tf",
            "variable \"s3_access_key\" {\n  type      = string\n  sensitive = true\n}\n\nvariable \"s3_secret_key\" {\n  type      = string\n  sensitive = true\n}\n",
        );
        f.ws.write_file(
            "terraform.tfvars",
            "s3_access_key = \"AKIAROTATEDEXAMPLE00\"\ns3_secret_key = \"rotated-secret-key-not-a-real-one-00000\"\n",
        );
        let writes = f.write_calls();
        let apply = f.ws.apply().expect_success("write the secrets");
        assert!(apply.mentions("0 added, 1 changed, 0 destroyed"), "{apply}");
        assert_eq!(
            (f.write_calls() - writes, f.calls("manageDestination")),
            (1, 1),
            "only the S3 destination's secrets are sent, once"
        );
        assert_eq!(
            server.stored(s3_id)["options"]["secret_key"],
            "rotated-secret-key-not-a-real-one-00000"
        );
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after adopting on {cli}:\n{plan}");
        assert_eq!(f.ws.state_job_ids().len(), 26, "every job is in the state");
    });
}

/// Whether `line` is the generated `attr = null # sensitive` (aligned as
/// `terraform fmt` aligns it among its neighbours).
fn is_null_secret(line: &str, attr: &str) -> bool {
    line.trim_start()
        .strip_prefix(attr)
        .is_some_and(|rest| rest.trim_start() == "= null # sensitive")
}
