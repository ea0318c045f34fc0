//! A hosting company's fleet in one configuration: ten servers (ten
//! simulator processes on loopback), one provider alias each, and the
//! `examples/modules/server-policy` module applied to each through
//! `providers = { jetbackup = jetbackup.webNN }`, as `docs/guides/fleet.md`
//! describes.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use jetbackup::api::job::{JobSpec, Param};
use jetbackup::api::object::hook::HOOK;
use jetbackup::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use jetbackup::api::object::Val;
use jetbackup::sim_process::SimProcess;
use serde_json::Value;
use support::{TerraformCli, Workspace};

const SERVERS: usize = 10;

fn server_name(i: usize) -> String {
    format!("web{:02}", i + 1)
}

/// The fleet's root module: an alias per server, its endpoint from a map
/// and its token from a sensitive variable the environment fills
/// (`TF_VAR_jetbackup_tokens`), and the module once per server.
fn fleet_config(servers: &[(String, String)]) -> String {
    let mut hcl = String::from(
        r#"terraform {
  required_providers {
    jetbackup = { source = "jetbackup-community/jetbackup" }
  }
}

variable "jetbackup_tokens" {
  type      = map(string)
  sensitive = true
}

"#,
    );
    for (name, url) in servers {
        hcl.push_str(&format!(
            r#"provider "jetbackup" {{
  alias     = "{name}"
  endpoint  = "{url}"
  api_token = var.jetbackup_tokens["{name}"]
}}

module "{name}" {{
  source             = "./server-policy"
  providers          = {{ jetbackup = jetbackup.{name} }}
  excluded_resellers = ["reseller1"]
  failure_email      = "ops+{name}@example.com"
  pre_backup_script  = "/root/hooks/dump.sh"
}}

"#
        ));
    }
    hcl
}

/// Copies the module from the repository into the workspace, so the test
/// applies the very files the guide documents.
fn copy_module(ws: &Workspace) {
    let module = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules/server-policy");
    for file in ["main.tf", "variables.tf", "outputs.tf"] {
        let text = std::fs::read_to_string(module.join(file))
            .unwrap_or_else(|e| panic!("read {file} of the module: {e}"));
        ws.write_file(&format!("server-policy/{file}"), &text);
    }
}

/// The addresses a saved plan would change (drift left aside), from
/// `terraform show -json`.
fn planned_changes(ws: &Workspace, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["plan", "-out=fleet.tfplan"];
    args.extend_from_slice(extra);
    ws.run(&args).expect_success("plan -out");
    let out = ws
        .run(&["show", "-json", "fleet.tfplan"])
        .expect_success("show -json plan");
    let plan: Value = serde_json::from_str(&out.stdout).expect("plan JSON");
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["change"]["actions"] != serde_json::json!(["no-op"]))
        .filter_map(|c| c["address"].as_str().map(str::to_string))
        .collect()
}

fn start_fleet() -> Vec<SimProcess> {
    (0..SERVERS)
        .map(|i| support::sim(&["--token", &format!("token-{}", server_name(i))]))
        .collect()
}

fn fleet_workspace(cli: &TerraformCli, sims: &[SimProcess]) -> Workspace {
    let tokens: serde_json::Map<String, Value> = (0..SERVERS)
        .map(|i| {
            (
                server_name(i),
                Value::from(format!("token-{}", server_name(i))),
            )
        })
        .collect();
    let tokens = Value::Object(tokens).to_string();
    let ws = Workspace::new(cli, &[("TF_VAR_jetbackup_tokens", &tokens)]);
    copy_module(&ws);
    let servers: Vec<(String, String)> = sims
        .iter()
        .enumerate()
        .map(|(i, s)| (server_name(i), s.url().to_string()))
        .collect();
    ws.write_config(&fleet_config(&servers));
    // Installs the local module; providers come from dev_overrides.
    ws.run(&["get"]).expect_success("terraform get");
    ws
}

#[test]
fn one_policy_module_on_ten_servers_through_ten_aliases() {
    support::for_each_terraform(|cli| {
        let mut sims = start_fleet();
        let ws = fleet_workspace(cli, &sims);

        ws.apply().expect_success("apply the policy to ten servers");
        let empty = ws.plan_detailed();
        assert_eq!(
            empty.code, 0,
            "the plan after apply is not empty on {cli}:\n{empty}"
        );

        // Every server holds its own policy: two jobs, the filter, the
        // destination and schedules, the hook on its accounts job and its
        // failure notification, all found by reference.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        for (i, sim) in sims.iter().enumerate() {
            let client = sim.client();
            let all = Default::default();
            let hooks = rt
                .block_on(client.list_objects(&HOOK, &all))
                .expect("listHooks");
            let accounts = ws
                .state_resource(&format!(
                    "module.{}.jetbackup_backup_job.accounts",
                    server_name(i)
                ))
                .and_then(|r| r["id"].as_str().map(str::to_string))
                .expect("the accounts job in state");
            assert_eq!(hooks.len(), 1, "{}: {hooks:?}", server_name(i));
            assert_eq!(
                hooks[0].1.get("backup_job_ids"),
                Some(&Val::Texts([accounts].into()))
            );
            let notifications = rt
                .block_on(client.list_objects(&NOTIFICATION_INTEGRATION, &all))
                .expect("listNotificationIntegrations");
            let recipients: Vec<_> = notifications
                .iter()
                .filter_map(|(_, v)| v.get("recipients").cloned())
                .collect();
            assert!(
                recipients.contains(&Val::Texts(
                    [format!("ops+{}@example.com", server_name(i))].into()
                )),
                "{}: {recipients:?}",
                server_name(i)
            );
        }
        for (i, sim) in sims.iter().enumerate() {
            let names: BTreeSet<String> = support::server_jobs(sim)
                .into_iter()
                .map(|j| j.name.into())
                .collect();
            for job in ["Policy - Accounts", "Policy - Server configuration"] {
                assert!(
                    names.contains(job),
                    "{} lacks the job {job:?}; it has {names:?}",
                    server_name(i)
                );
            }
        }

        // A change made in web03's panel shows in web03's plan only.
        let web03 = 2;
        let addr = format!(
            "module.{}.jetbackup_backup_job.accounts",
            server_name(web03)
        );
        let id = ws
            .state_resource(&addr)
            .and_then(|r| r["id"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("{addr} is not in the state"));
        let panel_edit =
            JobSpec::new().with_opt(Param::Time, jetbackup::api::job::JobTime::new(4, 15));
        rt.block_on(sims[web03].client().modify_backup_job(&id, &panel_edit))
            .expect("change the job in web03's panel");
        let changes = planned_changes(&ws, &[]);
        assert_eq!(
            changes,
            BTreeSet::from([addr.clone()]),
            "a panel change on web03 should plan one update, on {cli}"
        );
        ws.apply().expect_success("put web03's job back");

        // web05 stops: its plan fails, naming its endpoint; the others can
        // still be planned and applied with -target.
        let web05 = 4;
        let endpoint = sims[web05].url().to_string();
        sims[web05].kill();
        let down = ws.plan_detailed();
        assert_eq!(
            down.code, 1,
            "a plan with web05 down should fail on {cli}:\n{down}"
        );
        let host_port = endpoint
            .split("://")
            .nth(1)
            .unwrap_or(&endpoint)
            .trim_end_matches('/');
        assert!(
            down.mentions(host_port),
            "the failure does not name web05's endpoint {endpoint} on {cli}:\n{down}"
        );
        for (i, sim) in sims.iter().enumerate() {
            if i != web05 {
                assert!(
                    !down.mentions(sim.url().split("://").nth(1).unwrap_or("")),
                    "the failure names {}, which is up, on {cli}:\n{down}",
                    server_name(i)
                );
            }
        }

        let targets: Vec<String> = (0..SERVERS)
            .filter(|i| *i != web05)
            .map(|i| format!("-target=module.{}", server_name(i)))
            .collect();
        let target_args: Vec<&str> = targets.iter().map(String::as_str).collect();
        let others = planned_changes(&ws, &target_args);
        assert!(
            others.is_empty(),
            "the other nine servers should plan no change on {cli}: {others:?}"
        );
        let mut apply = vec!["apply", "-auto-approve"];
        apply.extend_from_slice(&target_args);
        ws.run(&apply)
            .expect_success("apply -target the nine servers that are up");
    });
}

/// One server's workspace, as a workspace-per-server fleet keeps them: the
/// endpoint and token come from variables (`-var`), the policy from the
/// module.
const ONE_SERVER: &str = r#"terraform {
  required_providers {
    jetbackup = { source = "jetbackup-community/jetbackup" }
  }
}

variable "endpoint" {
  type = string
}

variable "token" {
  type      = string
  sensitive = true
}

provider "jetbackup" {
  endpoint  = var.endpoint
  api_token = var.token
}

module "policy" {
  source             = "./server-policy"
  excluded_resellers = ["reseller1"]
}
"#;

fn one_server_workspace(cli: &TerraformCli) -> Workspace {
    let ws = Workspace::new(cli, &[]);
    copy_module(&ws);
    ws.write_config(ONE_SERVER);
    ws.run(&["get"]).expect_success("terraform get");
    ws
}

/// `terraform <command> [extra…] -var endpoint=… -var token=…`.
fn run_against(ws: &Workspace, command: &[&str], endpoint: &str, token: &str) -> support::TfOutput {
    let endpoint = format!("endpoint={endpoint}");
    let token = format!("token={token}");
    let mut args = command.to_vec();
    args.extend_from_slice(&["-input=false", "-var", &endpoint, "-var", &token]);
    ws.run(&args)
}

/// How many objects of each kind the server holds (jobs, and each
/// table-described kind), by kind.
fn server_objects(sim: &SimProcess) -> Vec<(String, usize)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = sim.client();
    let mut counts = vec![(
        "backup job".to_string(),
        rt.block_on(client.list_backup_jobs(&Default::default()))
            .expect("listBackupJobs")
            .len(),
    )];
    for kind in jetbackup::api::object::OBJECTS {
        let n = rt
            .block_on(client.list_objects(kind, &Default::default()))
            .expect("list")
            .len();
        counts.push((kind.title.to_string(), n));
    }
    counts
}

/// `terraform state list`, as a set of addresses.
fn state_addresses(ws: &Workspace) -> BTreeSet<String> {
    ws.run(&["state", "list"])
        .expect_success("state list")
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

fn host_port(url: &str) -> &str {
    url.split("://").nth(1).unwrap_or(url).trim_end_matches('/')
}

#[test]
fn a_workspace_pointed_at_another_server_creates_nothing_there_and_forgets_nothing() {
    support::for_each_terraform(|cli| {
        let web01 = support::sim(&["--token", "token-web01"]);
        let web02 = support::sim(&["--token", "token-web02"]);
        // Both servers carry the policy, each from its own workspace.
        let ws01 = one_server_workspace(cli);
        run_against(
            &ws01,
            &["apply", "-auto-approve"],
            web01.url(),
            "token-web01",
        )
        .expect_success("apply web01's workspace");
        let ws02 = one_server_workspace(cli);
        run_against(
            &ws02,
            &["apply", "-auto-approve"],
            web02.url(),
            "token-web02",
        )
        .expect_success("apply web02's workspace");
        let web01_before = server_objects(&web01);
        let web02_state = state_addresses(&ws02);
        assert_eq!(
            web02_state.len(),
            6,
            "web02's state should hold the module's six objects: {web02_state:?}"
        );

        // web02's workspace run with web01's endpoint and token: the
        // refresh finds none of web02's objects there and refuses to drop
        // them, naming both servers and the ways out.
        for command in [&["plan"][..], &["apply", "-auto-approve"][..]] {
            let wrong = run_against(&ws02, command, web01.url(), "token-web01");
            assert_eq!(
                wrong.code, 1,
                "{command:?} against the wrong server should fail on {cli}:\n{wrong}"
            );
            for needle in [
                host_port(web01.url()),
                host_port(web02.url()),
                "endpoint",
                "terraform state rm",
            ] {
                assert!(
                    wrong.mentions(needle),
                    "{command:?} against the wrong server does not say {needle:?} on {cli}:\n{wrong}"
                );
            }
            assert_eq!(
                server_objects(&web01),
                web01_before,
                "{command:?} changed web01 on {cli}"
            );
            assert_eq!(
                state_addresses(&ws02),
                web02_state,
                "{command:?} changed web02's state on {cli}"
            );
        }

        // A workspace with no state yet (lost, or new) pointed at web01:
        // every object of the policy is already there under its name, so
        // nothing is created and the error gives the import to run.
        let fresh = one_server_workspace(cli);
        let doubled = run_against(
            &fresh,
            &["apply", "-auto-approve"],
            web01.url(),
            "token-web01",
        );
        assert_eq!(
            doubled.code, 1,
            "a second copy of the policy on web01 should be refused on {cli}:\n{doubled}"
        );
        for needle in [
            "already exists",
            "terraform import",
            "Policy - Daily",
            "Policy - Local",
        ] {
            assert!(
                doubled.mentions(needle),
                "the refusal does not say {needle:?} on {cli}:\n{doubled}"
            );
        }
        assert_eq!(
            server_objects(&web01),
            web01_before,
            "objects were created on web01 on {cli}"
        );

        // The same server under another name: everything is found, the
        // plan is empty, and the new name is what is recorded from then on.
        let renamed = web02.url().replace("127.0.0.1", "localhost");
        assert_ne!(renamed, web02.url());
        let plan = run_against(
            &ws02,
            &["plan", "-detailed-exitcode"],
            &renamed,
            "token-web02",
        );
        assert_eq!(
            plan.code, 0,
            "the same server under another name should plan no change on {cli}:\n{plan}"
        );
        run_against(&ws02, &["apply", "-auto-approve"], &renamed, "token-web02")
            .expect_success("apply with the server's other name");
        let wrong = run_against(&ws02, &["plan"], web01.url(), "token-web01");
        assert!(
            wrong.code == 1 && wrong.mentions(host_port(&renamed)),
            "the refusal should name the server's recorded new name {renamed} on {cli}:\n{wrong}"
        );
        assert_eq!(state_addresses(&ws02), web02_state);
    });
}

/// The module on one server (endpoint and token from the environment),
/// with or without the offsite destination and the excluded resellers.
fn policy_with(offsite: bool, excluded: &[&str]) -> String {
    let offsite = if offsite {
        r#"{
    bucket     = "backups"
    region     = "eu-west-1"
    endpoint   = "s3.example.com"
    path       = "/web01"
    access_key = "AKIAEXAMPLE"
    secret_key = "secret-example"
  }"#
    } else {
        "null"
    };
    let excluded = excluded
        .iter()
        .map(|r| format!("{r:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"terraform {{
  required_providers {{
    jetbackup = {{ source = "jetbackup-community/jetbackup" }}
  }}
}}

module "policy" {{
  source             = "./server-policy"
  offsite_s3         = {offsite}
  excluded_resellers = [{excluded}]
}}
"#
    )
}

#[test]
fn turning_off_the_offsite_destination_and_the_filter_takes_one_apply() {
    support::for_each_terraform(|cli| {
        let sim = support::sim(&["--token", "token-web01"]);
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", sim.url()),
                ("JETBACKUP_API_TOKEN", "token-web01"),
            ],
        );
        copy_module(&ws);
        ws.write_config(&policy_with(true, &["reseller1"]));
        ws.run(&["get"]).expect_success("terraform get");
        ws.apply()
            .expect_success("apply the policy with offsite and filter");
        let offsite = ws
            .state_resource("module.policy.jetbackup_destination.offsite[0]")
            .and_then(|r| r["id"].as_str().map(str::to_string))
            .expect("the offsite destination is in the state");
        let filter = ws
            .state_resource("module.policy.jetbackup_account_filter.excluded_resellers[0]")
            .and_then(|r| r["id"].as_str().map(str::to_string))
            .expect("the filter is in the state");
        let jobs_using = |id: &str| {
            support::server_jobs(&sim)
                .into_iter()
                .filter(|j| j.destination.iter().any(|d| d == id))
                .count()
        };
        assert_eq!(jobs_using(&offsite), 2, "both jobs write offsite");

        // Both turned off at once: the jobs move off them first, then they
        // are deleted, in one apply.
        ws.write_config(&policy_with(false, &[]));
        ws.apply()
            .expect_success("turn off the offsite destination and the filter in one apply");
        let plan = ws.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "the plan after apply is not empty on {cli}:\n{plan}"
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let api = sim.client();
        use jetbackup::api::object::{account_filter::ACCOUNT_FILTER, destination::DESTINATION};
        for (kind, id) in [(&DESTINATION, &offsite), (&ACCOUNT_FILTER, &filter)] {
            match rt.block_on(api.get_object(kind, id)) {
                Err(jetbackup::api::ApiError::NotFound { .. }) => {}
                other => panic!(
                    "the {} {id} should be deleted on {cli}: {other:?}",
                    kind.title
                ),
            }
        }
        for job in support::server_jobs(&sim) {
            assert!(
                job.filters.is_empty(),
                "{} still has filters",
                job.name.as_str()
            );
        }

        // And back on, in one apply too.
        ws.write_config(&policy_with(true, &["reseller1"]));
        ws.apply().expect_success("turn them back on");
        assert_eq!(ws.plan_detailed().code, 0);
    });
}
