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

const BEFORE_WRITE_ONLY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/before-write-only"
);

/// A user with destinations recorded before the write-only arguments
/// upgrades: the plan is empty, and moving each secret to its write-only
/// form (`secret_key_wo`, `password_wo`) changes the destinations in place,
/// sends nothing (JetBackup holds the same secrets) and leaves no secret in
/// the state.
#[test]
fn destinations_recorded_before_write_only_plan_clean_and_move_to_it_in_place() {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{BEFORE_WRITE_ONLY}/{name}")).expect("fixture file")
    };
    let old_state = read("terraform.tfstate");
    let hcl = read("main.tf");
    let secrets = [
        ("TF_VAR_secret_key", "plain-secret-before-write-only-0001"),
        ("TF_VAR_password", "plain-password-before-write-only-01"),
    ];
    for_each_terraform(|cli| {
        let seed = format!("{BEFORE_WRITE_ONLY}/sim-data.json");
        let f = Fixture::with_sim_args(cli, &["--seed", &seed]);
        f.ws.write_config(&hcl);
        f.ws.write_file("terraform.tfstate", &old_state);
        let plan = f.ws.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "the old state plans changes on {cli}:\n{plan}"
        );

        let mut parts = cli
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        if (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) < (1, 11) {
            eprintln!("the move to write-only secrets skipped on {cli}: write-only arguments need Terraform 1.11 or later");
            return;
        }
        let ids = [
            f.state_id("jetbackup_destination.offsite"),
            f.state_id("jetbackup_destination.box"),
        ];
        let moved = format!(
            "variable \"secret_key\" {{\n  type      = string\n  ephemeral = true\n}}\n\nvariable \"password\" {{\n  type      = string\n  ephemeral = true\n}}\n\n{}",
            hcl.replace(
                "    secret_key = \"plain-secret-before-write-only-0001\"",
                "    secret_key_wo         = var.secret_key\n    secret_key_wo_version = 1",
            )
            .replace(
                "    password = \"plain-password-before-write-only-01\"",
                "    password_wo         = var.password\n    password_wo_version = 1",
            )
        );
        assert!(!moved.contains("before-write-only"), "{moved}");
        f.ws.write_config(&moved);
        let plan =
            f.ws.run_with_env(&["plan", "-detailed-exitcode", "-input=false"], &secrets);
        assert!(
            plan.code == 2 && plan.mentions("0 to add, 2 to change, 0 to destroy"),
            "the move on {cli}:\n{plan}"
        );
        let writes = f.write_calls();
        f.ws.run_with_env(&["apply", "-auto-approve", "-input=false"], &secrets)
            .expect_success("move to the write-only forms");
        assert_eq!(
            f.write_calls(),
            writes,
            "the unchanged secrets were sent again"
        );
        let state = std::fs::read_to_string(f.ws.dir().join("terraform.tfstate")).expect("state");
        for (_, secret) in secrets {
            assert!(
                !state.contains(secret),
                "a secret is still in the state on {cli}"
            );
        }
        assert_eq!(f.state_id("jetbackup_destination.offsite"), ids[0]);
        assert_eq!(f.state_id("jetbackup_destination.box"), ids[1]);
        let plan =
            f.ws.run_with_env(&["plan", "-detailed-exitcode", "-input=false"], &secrets);
        assert_eq!(plan.code, 0, "after the move on {cli}:\n{plan}");
    });
}
