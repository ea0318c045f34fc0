//! A user upgrades the provider and touches nothing else: the state that
//! release 0.1.0 wrote (`tests/fixtures/release-0.1.0/`, made by that
//! release's binary and Terraform 1.11.4) is read by this build, the next
//! plan is empty, every attribute reads back as the old release recorded
//! it, and the jobs can still be changed. Runs on every Terraform CLI found.

mod support;

use serde_json::Value;
use support::{for_each_terraform, Fixture};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/release-0.1.0");

fn fixture_file(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURE}/{name}")).expect("fixture file")
}

/// The attributes of a job in a state file, `next_run` left out (the
/// server computes it from the clock at every read).
fn job_attributes(state: &Value, name: &str) -> Value {
    let resources = state["resources"].as_array().expect("resources");
    let job = resources
        .iter()
        .find(|r| r["type"] == "jetbackup_backup_job" && r["name"] == name)
        .expect("the job in the state");
    let mut attrs = job["instances"][0]["attributes"].clone();
    if let Some(m) = attrs.as_object_mut() {
        m.remove("next_run");
    }
    attrs
}

#[test]
fn a_state_written_by_release_0_1_0_plans_clean_and_keeps_working() {
    let old_state = fixture_file("terraform.tfstate");
    let old: Value = serde_json::from_str(&old_state).expect("state JSON");
    for_each_terraform(|cli| {
        let seed = format!("{FIXTURE}/sim-data.json");
        let f = Fixture::with_sim_args(cli, &["--seed", &seed]);
        let hcl = fixture_file("main.tf");
        f.ws.write_config(&hcl);
        f.ws.write_file("terraform.tfstate", &old_state);

        let plan = f.ws.plan_detailed();
        assert_eq!(
            plan.code,
            0,
            "the old state plans changes on {}:\n{plan}",
            f.ws.cli()
        );

        // A refresh rewrites the state in this build's form: the same values.
        f.ws.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
            .expect_success("refresh-only apply");
        let new: Value = serde_json::from_str(
            &std::fs::read_to_string(f.ws.dir().join("terraform.tfstate")).expect("state"),
        )
        .expect("state JSON");
        for name in ["accounts", "directories"] {
            assert_eq!(
                job_attributes(&new, name),
                job_attributes(&old, name),
                "{name} on {}",
                f.ws.cli()
            );
        }

        // And the jobs are still managed: a change applies and converges.
        let id = f.state_id("jetbackup_backup_job.accounts");
        f.apply_converged(
            &hcl.replace("\"Nightly accounts\"", "\"Nightly accounts (renamed)\""),
            "rename after the upgrade",
        );
        assert_eq!(f.job(&id).name.to_string(), "Nightly accounts (renamed)");
        assert_eq!(f.jobs().len(), 2, "no job was added or replaced");
    });
}
