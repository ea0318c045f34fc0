//! The provider block as an admin writes it: settings from configuration or
//! `JETBACKUP_*` variables, each panel's authentication, the local CLI
//! transport, and clear errors for what is missing or wrong.

mod support;

use support::sim;

use jetbackup::sim::seed::DEST_LOCAL_ID;
use jetbackup::sim_process::SimProcess;
use support::{for_each_terraform, Workspace, REQUIRED_PROVIDERS};

fn job(provider_block: &str) -> String {
    format!(
        r#"{REQUIRED_PROVIDERS}{provider_block}
resource "jetbackup_backup_job" "j" {{
  name        = "config test"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
}}
"#
    )
}

/// Apply, an empty plan, destroy, and the simulator left without jobs.
fn full_cycle(ws: &Workspace, sim: &SimProcess, what: &str) {
    ws.write_config(&job("provider \"jetbackup\" {}"));
    ws.apply().expect_success(what);
    let plan = ws.plan_detailed();
    assert_eq!(plan.code, 0, "{what}: plan after apply not empty:\n{plan}");
    assert_eq!(
        sim.stats().expect("stats")["jobs"],
        1,
        "{what}: the job is not on the server"
    );
    ws.destroy().expect_success(what);
    assert_eq!(
        sim.stats().expect("stats")["jobs"],
        0,
        "{what}: destroy left the job"
    );
}

#[test]
fn missing_settings_name_the_attribute_and_its_variable() {
    for_each_terraform(|cli| {
        let ws = Workspace::new(cli, &[]);
        ws.write_config(&job("provider \"jetbackup\" {}"));
        let out = ws.run(&["plan", "-input=false"]);
        assert!(!out.success());
        for needle in [
            "Missing endpoint",
            "JETBACKUP_ENDPOINT",
            "Missing api_token",
            "JETBACKUP_API_TOKEN",
        ] {
            assert!(out.mentions(needle), "expected {needle:?}:\n{out}");
        }
    });
}

#[test]
fn invalid_and_unknown_settings_are_refused_with_guidance() {
    for_each_terraform(|cli| {
        let ws = Workspace::new(cli, &[("JETBACKUP_API_TOKEN", "x")]);
        ws.write_config(&job(
            "provider \"jetbackup\" {\n  endpoint = \"https://h:2087\"\n  panel = \"plesk\"\n}",
        ));
        let out = ws.run(&["plan", "-input=false"]);
        assert!(
            !out.success() && out.mentions(r#"allowed values: "cpanel", "directadmin", "linux""#),
            "{out}"
        );

        ws.write_config(&job(
            "provider \"jetbackup\" {\n  endpoint = \"server.example.com\"\n}",
        ));
        let out = ws.run(&["plan", "-input=false"]);
        assert!(
            !out.success() && out.mentions("must be a URL starting with https://"),
            "{out}"
        );

        ws.write_config(&format!(
            "{}\nresource \"terraform_data\" \"host\" {{\n  input = \"https://h:2087\"\n}}\n",
            job("provider \"jetbackup\" {\n  endpoint = terraform_data.host.output\n}")
        ));
        let out = ws.run(&["plan", "-input=false"]);
        assert!(!out.success(), "{out}");
        assert!(
            out.mentions("Unknown value for endpoint") && out.mentions("JETBACKUP_ENDPOINT"),
            "{out}"
        );
    });
}

#[test]
fn each_panel_authenticates_its_own_way() {
    for_each_terraform(|cli| {
        for panel in ["cpanel", "directadmin", "linux"] {
            let sim = sim(&[
                "--panel",
                panel,
                "--username",
                "admin",
                "--token",
                "panel-token",
            ]);
            let ws = Workspace::new(
                cli,
                &[
                    ("JETBACKUP_ENDPOINT", sim.url()),
                    ("JETBACKUP_PANEL", panel),
                    ("JETBACKUP_USERNAME", "admin"),
                    ("JETBACKUP_API_TOKEN", "panel-token"),
                ],
            );
            full_cycle(&ws, &sim, panel);
        }
    });
}

#[test]
fn the_cli_transport_runs_jetbackup5api() {
    for_each_terraform(|cli| {
        let sim = sim(&[]);
        let dir = tempfile::tempdir().expect("tempdir");
        let command = sim.write_cli_double(dir.path());
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_TRANSPORT", "cli"),
                ("JETBACKUP_CLI_PATH", &command),
            ],
        );
        full_cycle(&ws, &sim, "cli transport");
    });
}

#[test]
fn a_wrong_token_says_why_without_echoing_it() {
    for_each_terraform(|cli| {
        let sim = sim(&[]);
        let wrong = "wrong-token-7f3a9c";
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", sim.url()),
                ("JETBACKUP_API_TOKEN", wrong),
            ],
        );
        ws.write_config(&job("provider \"jetbackup\" {}"));
        let out = ws.apply();
        assert!(!out.success());
        assert!(
            out.mentions("HTTP 403") && out.mentions("WHM API token"),
            "{out}"
        );
        assert!(
            !out.combined().contains(wrong),
            "the token leaked into the output:\n{out}"
        );
        assert!(ws.run(&["state", "list"]).stdout.trim().is_empty());
    });
}

/// 50 jobs in state and a wrong token: one full explanation of the 403, and
/// every other job fails in one line that refers to it.
#[test]
fn fifty_jobs_and_a_wrong_token_give_one_explanation() {
    for_each_terraform(|cli| {
        let sim = sim(&[]);
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", sim.url()),
                ("JETBACKUP_API_TOKEN", sim.token()),
            ],
        );
        let jobs = |provider: &str| {
            support::counted_jobs_config("j", "fifty", 50, "")
                .replace("provider \"jetbackup\" {}", provider)
        };
        ws.write_config(&jobs("provider \"jetbackup\" {}"));
        ws.run(&["apply", "-auto-approve", "-input=false", "-parallelism=10"])
            .expect_success("50 jobs");
        let before = sim.stats().expect("stats")["calls"].clone();
        ws.write_config(&jobs(
            "provider \"jetbackup\" {\n  api_token = \"wrong-token-50\"\n}",
        ));
        let out = ws.run(&["plan", "-input=false", "-no-color", "-parallelism=10"]);
        assert!(!out.success());
        let text = out.text();
        assert_eq!(text.matches("authentication refused").count(), 1, "{out}");
        let short = text
            .matches("refused the credentials earlier in this run")
            .count();
        assert!(short >= 1, "{out}");
        assert!(!out.combined().contains("wrong-token-50"), "{out}");
        // Once refused, nothing more was sent: a handful of calls at most.
        let after = sim.stats().expect("stats")["calls"].clone();
        let sent = |calls: &serde_json::Value| -> u64 {
            calls
                .as_object()
                .map_or(0, |m| m.values().filter_map(|v| v.as_u64()).sum())
        };
        assert!(sent(&after) - sent(&before) <= 4, "{before} -> {after}");
    });
}

/// A server that is down: the create fails at once, says nothing was sent,
/// and no "may now exist" warning or lookup follows.
#[test]
fn a_server_that_is_down_fails_saying_nothing_was_sent() {
    for_each_terraform(|cli| {
        let port = support::closed_port();
        let endpoint = format!("http://127.0.0.1:{port}");
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", endpoint.as_str()),
                ("JETBACKUP_API_TOKEN", "some-token"),
            ],
        );
        ws.write_config(&job("provider \"jetbackup\" {}"));
        let out = ws.apply();
        assert!(!out.success());
        assert!(
            out.mentions(&format!(
                "cannot connect to {endpoint}/cgi/addons/jetbackup5/api.cgi"
            )),
            "{out}"
        );
        assert!(out.mentions("nothing was sent"), "{out}");
        assert!(
            !out.mentions("may now exist") && !out.mentions("reply"),
            "{out}"
        );
        assert!(ws.run(&["state", "list"]).stdout.trim().is_empty());
    });
}
