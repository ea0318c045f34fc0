//! The action `jetbackup_run_backup_job` end to end: a real Terraform CLI,
//! the provider binary and a `jetbackup-sim` on loopback. Each test is one
//! user story; actions need Terraform 1.14, so on older CLIs each story is
//! skipped with a printed reason (`TerraformCli::supports` with `ACTIONS_SINCE`).
//!
//! The simulator's runs never finish by themselves: a story that runs a job
//! twice finishes the first run with `/__sim/runs/finish` in between.

mod support;

use jetbackup::sim::seed::DEST_LOCAL_ID;
use serde_json::Value;
use support::{config, for_each_terraform, Fixture, ACTIONS_SINCE};

const RUN: &str = "runBackupJobManually";
const INVOKE: &str = "-invoke=action.jetbackup_run_backup_job.now";

/// The job `nightly`, with `extra` lines (a lifecycle, `disabled`).
fn job(name: &str, extra: &str) -> String {
    format!(
        r#"resource "jetbackup_backup_job" "nightly" {{
  name        = "{name}"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  {extra}
}}
"#
    )
}

/// The action `now`, running the job whose ID is `id` (an expression).
fn action(id: &str) -> String {
    format!(
        r#"
action "jetbackup_run_backup_job" "now" {{
  config {{
    backup_job_id = {id}
  }}
}}
"#
    )
}

const TRIGGER: &str = r#"lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.jetbackup_run_backup_job.now]
    }
  }"#;

impl Fixture {
    /// What the simulator records of the job's manual runs (null: none).
    fn runs_of(&self, id: &str) -> Value {
        self.sim.runs().expect("sim runs")[id].clone()
    }

    fn queued(&self, id: &str) -> u64 {
        self.runs_of(id)["queued"].as_u64().unwrap_or(0)
    }

    fn invoke(&self) -> support::TfOutput {
        self.ws
            .run(&["apply", "-auto-approve", "-input=false", INVOKE])
    }

    fn plan_is_empty(&self, what: &str) {
        let plan = self.ws.plan_detailed();
        assert_eq!(plan.code, 0, "{what}: the plan is not empty:\n{plan}");
    }
}

#[test]
fn invoke_runs_the_job_once_and_refuses_a_running_or_disabled_job_with_jetbackups_answer() {
    for_each_terraform(|cli| {
        if !cli.supports(ACTIONS_SINCE, "actions (apply -invoke runs the job)") {
            return;
        }
        let f = Fixture::new(cli);
        let id_expr = "jetbackup_backup_job.nightly.id";
        let hcl = config(&format!("{}{}", job("Nightly", ""), action(id_expr)));
        f.apply_converged(&hcl, "the job and an action nobody triggers");
        let id = f.state_id("jetbackup_backup_job.nightly");
        assert_eq!(f.calls(RUN), 0, "a plain apply runs nothing");
        assert_eq!(f.runs_of(&id), Value::Null);

        let ran = f.invoke().expect_success("apply -invoke");
        assert_eq!(f.calls(RUN), 1, "one call:\n{ran}");
        assert_eq!(f.queued(&id), 1, "the simulator saw exactly one run");
        assert!(
            ran.mentions("JetBackup queued backup job \"Nightly\"")
                && ran.mentions("The Backup Job will be added to the queue")
                && ran.mentions(f.sim.api_url().as_str()),
            "the output shows what JetBackup answered, and where:\n{ran}"
        );
        let on_server = f.job(&id);
        assert!(*on_server.running);
        // The run moved last_run on the server; the next plan refreshes it
        // without a change to make.
        f.plan_is_empty("after the run");
        assert_eq!(
            f.state_attr("jetbackup_backup_job.nightly", "last_run"),
            Value::Null,
            "state keeps last_run until a refresh is saved"
        );
        f.ws.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
            .expect_success("refresh");
        assert_eq!(
            f.state_attr("jetbackup_backup_job.nightly", "last_run")
                .as_str(),
            on_server.last_run.as_deref().map(String::as_str)
        );

        let again = f.invoke();
        assert!(!again.success(), "a running job is refused:\n{again}");
        assert!(
            again.mentions(&format!("JetBackup refused to run backup job {id}"))
                && again.mentions("'Nightly' is already running")
                && again.mentions(&format!(
                    "{RUN} was sent to {} and refused",
                    f.sim.api_url()
                ))
                && again.mentions("wait for that run to finish, then invoke the action again"),
            "{again}"
        );
        assert_eq!(f.queued(&id), 1, "nothing queued a second time");

        assert_eq!(f.sim.finish_runs().expect("finish"), 1);
        let disabled = config(&format!(
            "{}{}",
            job("Nightly", "disabled = true"),
            action(id_expr)
        ));
        f.apply_converged(&disabled, "disable the job");
        let refused = f.invoke();
        assert!(!refused.success(), "a disabled job is refused:\n{refused}");
        assert!(
            refused.mentions("'Nightly' is disabled")
                && refused.mentions("Nothing was queued")
                && refused.mentions("enable it (disabled = false"),
            "{refused}"
        );
        assert_eq!(f.queued(&id), 1);
        f.plan_is_empty("after the refusals");
    });
}

#[test]
fn action_trigger_runs_the_job_after_create_and_after_update_but_not_on_a_no_op() {
    for_each_terraform(|cli| {
        if !cli.supports(
            ACTIONS_SINCE,
            "actions (action_trigger after_create and after_update)",
        ) {
            return;
        }
        let f = Fixture::new(cli);
        let hcl = |name: &str| {
            config(&format!(
                "{}{}",
                job(name, TRIGGER),
                action("jetbackup_backup_job.nightly.id")
            ))
        };
        let created = {
            f.ws.write_config(&hcl("Nightly"));
            f.ws.apply().expect_success("create")
        };
        let id = f.state_id("jetbackup_backup_job.nightly");
        assert_eq!(f.queued(&id), 1, "run right after create:\n{created}");
        assert!(
            created.mentions("JetBackup queued backup job \"Nightly\""),
            "{created}"
        );
        f.plan_is_empty("after create and run");

        // Nothing to change: no update, so no run.
        f.ws.apply().expect_success("no-op apply");
        assert_eq!(f.calls(RUN), 1, "a no-op plan runs nothing");

        assert_eq!(f.sim.finish_runs().expect("finish"), 1);
        f.apply_converged(&hcl("Nightly (renamed)"), "update");
        assert_eq!(f.queued(&id), 2, "run right after the update");
        assert_eq!(f.calls(RUN), 2);
        assert_eq!(f.job(&id).name, "Nightly (renamed)");
    });
}

#[test]
fn a_malformed_backup_job_id_fails_at_validate_and_plan_before_any_api_call() {
    for_each_terraform(|cli| {
        if !cli.supports(
            ACTIONS_SINCE,
            "actions (a malformed backup_job_id fails at plan)",
        ) {
            return;
        }
        let f = Fixture::new(cli);
        f.ws.write_config(&config(&action("\"nightly\"")));
        let validate = f.ws.run(&["validate"]);
        assert!(!validate.success(), "{validate}");
        for out in [&validate, &f.invoke()] {
            assert!(
                out.mentions("Error: Invalid backup_job_id")
                    && out.mentions("with action.jetbackup_run_backup_job.now")
                    && out.mentions("backup_job_id = \"nightly\"")
                    && out.mentions("\"nightly\" is not a JetBackup backup job ID")
                    && out.mentions("Nothing was sent to JetBackup"),
                "{out}"
            );
        }
        // Fed from a variable, the ID is unknown at validate and judged at plan.
        f.ws.write_config(&config(&format!(
            "variable \"job\" {{\n  type = string\n}}\n{}",
            action("var.job")
        )));
        f.ws.run(&["validate"])
            .expect_success("validate with an unknown ID");
        let plan =
            f.ws.run(&["plan", "-input=false", "-var", "job=6503e7a1", INVOKE]);
        assert!(
            !plan.success() && plan.mentions("\"6503e7a1\" is not a JetBackup backup job ID"),
            "{plan}"
        );
        let stats = f.sim.stats().expect("stats");
        assert_eq!(stats["calls"], serde_json::json!({}), "no API call at all");
    });
}

#[test]
fn invoking_for_a_job_the_server_does_not_have_fails_with_jetbackups_answer() {
    for_each_terraform(|cli| {
        if !cli.supports(
            ACTIONS_SINCE,
            "actions (an unknown job is refused at invoke)",
        ) {
            return;
        }
        let f = Fixture::new(cli);
        let missing = "650000000000000000000000";
        f.ws.write_config(&config(&action(&format!("\"{missing}\""))));
        f.ws.run(&["plan", "-input=false", INVOKE])
            .expect_success("a well-formed ID plans");
        assert_eq!(f.calls(RUN), 0, "plan sends nothing");
        let out = f.invoke();
        assert!(
            !out.success()
                && out.mentions(&format!("JetBackup refused to run backup job {missing}"))
                && out.mentions(&format!("Backup Job '{missing}' not found"))
                && out.mentions("No backup job has this ID on that server"),
            "{out}"
        );
        assert_eq!(f.calls(RUN), 1);
    });
}

#[test]
fn an_update_planned_before_a_run_applies_without_an_inconsistent_last_run() {
    for_each_terraform(|cli| {
        if !cli.supports(ACTIONS_SINCE, "actions (an update planned before a run)") {
            return;
        }
        let f = Fixture::new(cli);
        let hcl = |name: &str| {
            config(&format!(
                "{}{}",
                job(name, ""),
                action("jetbackup_backup_job.nightly.id")
            ))
        };
        f.apply_converged(&hcl("Nightly"), "create");
        let id = f.state_id("jetbackup_backup_job.nightly");
        f.invoke().expect_success("apply -invoke");
        assert_eq!(f.queued(&id), 1);
        // The plan does not see the run (no refresh): it keeps the state's
        // last_run, while the server's has moved.
        f.ws.write_config(&hcl("Nightly (renamed)"));
        let applied =
            f.ws.run(&["apply", "-auto-approve", "-input=false", "-refresh=false"]);
        assert!(
            applied.success() && !applied.mentions("inconsistent result"),
            "{applied}"
        );
        assert_eq!(f.job(&id).name, "Nightly (renamed)");
        f.plan_is_empty("after the update");
        f.ws.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
            .expect_success("refresh");
        assert_eq!(
            f.state_attr("jetbackup_backup_job.nightly", "last_run")
                .as_str(),
            f.job(&id).last_run.as_deref().map(String::as_str),
            "the next refresh records the run"
        );
    });
}

#[test]
fn a_run_whose_reply_is_lost_is_not_sent_again_and_says_so() {
    for_each_terraform(|cli| {
        if !cli.supports(ACTIONS_SINCE, "actions (a run whose reply is lost)") {
            return;
        }
        let f = Fixture::with_sim_args(cli, &["--fault-script", "runBackupJobManually:lost-drop"]);
        let hcl = config(&format!(
            "{}{}",
            job("Nightly", ""),
            action("jetbackup_backup_job.nightly.id")
        ));
        f.apply_converged(&hcl, "create");
        let id = f.state_id("jetbackup_backup_job.nightly");
        let out = f.invoke();
        assert!(!out.success(), "{out}");
        assert!(
            out.mentions(&format!("Cannot run backup job {id}"))
                && out.mentions("connection lost after the request was sent to")
                && out.mentions(f.sim.api_url().as_str())
                && out.mentions(
                    "check the job's last_run on the server, as the run may have been queued"
                ),
            "the error says the request went out and its outcome is unknown:\n{out}"
        );
        assert_eq!(f.calls(RUN), 1, "a run is never sent twice");
        assert_eq!(f.queued(&id), 1, "the server did queue it");
    });
}

#[test]
fn a_server_that_is_down_gets_nothing_and_the_error_says_so() {
    for_each_terraform(|cli| {
        if !cli.supports(ACTIONS_SINCE, "actions (a server that is down)") {
            return;
        }
        let port = support::closed_port();
        let ws = support::Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &format!("http://127.0.0.1:{port}")),
                ("JETBACKUP_API_TOKEN", support::fixture::TOKEN),
            ],
        );
        ws.write_config(&config(&action("\"650000000000000000000000\"")));
        let out = ws.run(&["apply", "-auto-approve", "-input=false", INVOKE]);
        assert!(
            !out.success()
                && out.mentions("nothing was sent")
                && out.mentions("No run was queued: fix the cause, then invoke the action again"),
            "{out}"
        );
    });
}
