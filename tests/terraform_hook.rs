//! `jetbackup_hook` end to end: a real Terraform CLI, the provider binary
//! and a `jetbackup-sim` on loopback. Each test is one user story and runs
//! against every Terraform CLI found.

mod support;

use jetbackup::api::object::hook::HOOK;
use jetbackup::api::object::{Val, Values};
use jetbackup::sim::seed::{DEST_LOCAL_ID, DEST_S3_ID, ROOT_ACCOUNT_ID};
use serde_json::json;
use support::{config, for_each_terraform, Fixture};

/// A backup job and a hook on it, created in one apply (the job's ID is
/// known only after apply), with the hook's own settings.
fn with_job(hook: &str) -> String {
    config(&format!(
        r#"resource "jetbackup_backup_job" "accounts" {{
  name        = "Accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
}}

resource "jetbackup_hook" "h" {{
{hook}
}}
"#
    ))
}

fn hook(settings: &str) -> String {
    config(&format!(
        "resource \"jetbackup_hook\" \"h\" {{\n{settings}\n}}\n"
    ))
}

fn text(s: &str) -> Val {
    Val::Text(s.to_string())
}

/// Applies `hcl` after checking the plan changes the hook in place.
fn change_in_place(f: &Fixture, hcl: &str, what: &str) {
    f.ws.write_config(hcl);
    let plan = f.ws.plan_detailed();
    assert!(
        plan.code == 2 && plan.mentions("0 to add, 1 to change, 0 to destroy"),
        "{what}: expected an in-place update on {}:\n{plan}",
        f.ws.cli()
    );
    let before = f.state_id("jetbackup_hook.h");
    f.apply_converged(hcl, what);
    assert_eq!(
        f.state_id("jetbackup_hook.h"),
        before,
        "{what}: the ID changed"
    );
}

#[test]
fn a_pre_backup_hook_on_a_new_job_changes_in_place_and_is_replaced_for_another_task() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        // The issue's everyday form, created disabled (as JetApps' own
        // migration does: a test server never runs the script).
        let dump = r#"  name           = "Dump databases first"
  script         = "/root/hooks/dump.sh"
  when           = "pre"
  on             = "backup"
  backup_job_ids = [jetbackup_backup_job.accounts.id]
  disabled       = true"#;
        f.apply_converged(&with_job(dump), "create the job and its hook");
        let id = f.state_id("jetbackup_hook.h");
        let job = f.state_id("jetbackup_backup_job.accounts");
        let held = f.object(&HOOK, &id).expect("created");
        let mut want = Values::new();
        want.insert("name", text("Dump databases first"));
        want.insert("script", text("/root/hooks/dump.sh"));
        want.insert("when", text("pre"));
        want.insert("on", text("backup"));
        want.insert("backup_job_ids", Val::Texts([job.clone()].into()));
        want.insert("disabled", Val::Bool(true));
        want.insert("owner", text(ROOT_ACCOUNT_ID));
        want.insert("owner_name", text("root"));
        assert_eq!(held, want);
        assert_eq!(
            f.state_attr("jetbackup_hook.h", "destination_ids"),
            json!(null)
        );

        change_in_place(
            &f,
            &with_job(
                r#"  name           = "Dump databases, then notify"
  script         = "/usr/bin/php /root/hooks/notify.php"
  when           = "post"
  on             = "backup"
  backup_job_ids = [jetbackup_backup_job.accounts.id]
  disabled       = true"#,
            ),
            "name, script and when",
        );
        let held = f.object(&HOOK, &id).expect("still there");
        assert_eq!(held.get("when"), Some(&text("post")));
        assert_eq!(
            held.get("script"),
            Some(&text("/usr/bin/php /root/hooks/notify.php"))
        );
        // `[]`: every job again.
        change_in_place(
            &f,
            &with_job(
                r#"  name           = "Dump databases, then notify"
  script         = "/usr/bin/php /root/hooks/notify.php"
  when           = "post"
  on             = "backup"
  backup_job_ids = []
  disabled       = true"#,
            ),
            "clear the job list",
        );
        assert_eq!(
            f.object(&HOOK, &id).expect("there").get("backup_job_ids"),
            Some(&Val::Texts(Default::default()))
        );

        // Another task: what the list means changes, so the hook is replaced.
        let reindex = with_job(&format!(
            r#"  name            = "After reindex"
  script          = "/root/hooks/reindexed.sh"
  when            = "post"
  on              = "reindex"
  destination_ids = ["{DEST_S3_ID}"]
  disabled        = true"#
        ));
        f.ws.write_config(&reindex);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2
                && plan.mentions("1 to add, 0 to change, 1 to destroy")
                && plan.mentions("forces replacement"),
            "{plan}"
        );
        f.apply_converged(&reindex, "backup to reindex");
        let new = f.state_id("jetbackup_hook.h");
        assert_ne!(new, id);
        assert!(f.object(&HOOK, &id).is_none(), "the old hook is left");
        assert_eq!(
            f.object(&HOOK, &new).expect("new").get("destination_ids"),
            Some(&Val::Texts([DEST_S3_ID.to_string()].into()))
        );

        f.ws.destroy().expect_success("destroy");
        assert!(f.objects(&HOOK).is_empty(), "destroy left a hook");
    });
}

#[test]
fn a_hook_changed_or_deleted_in_the_panel_is_planned_back_and_import_plans_clean() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = hook(
            r#"  name     = "Report"
  script   = "/root/hooks/report.sh"
  when     = "post"
  on       = "restore"
  disabled = true"#,
        );
        f.apply_converged(&hcl, "create");
        let id = f.state_id("jetbackup_hook.h");
        let prior = f.object(&HOOK, &id).expect("there");
        let mut edited = prior.clone();
        edited.insert("script", text("/tmp/evil.sh"));
        edited.insert("disabled", Val::Bool(false));
        f.edit_in_panel(&HOOK, &id, &prior, &edited);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("updated in-place") && plan.mentions("/tmp/evil.sh"),
            "{plan}"
        );
        f.apply_converged(&hcl, "repair the edit");
        let held = f.object(&HOOK, &id).expect("there");
        assert_eq!(held.get("script"), Some(&text("/root/hooks/report.sh")));
        assert_eq!(held.get("disabled"), Some(&Val::Bool(true)));

        // Import: forget it, adopt it again by ID; nothing to change.
        f.ws.run(&["state", "rm", "jetbackup_hook.h"])
            .expect_success("state rm");
        let bad = f.ws.import("jetbackup_hook.h", "not-an-id");
        assert!(!bad.success() && bad.mentions("24 hexadecimal"), "{bad}");
        let before = f.write_calls();
        f.ws.import("jetbackup_hook.h", &id)
            .expect_success("import");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after import on {cli}:\n{plan}");
        assert_eq!(f.write_calls(), before, "importing wrote to the server");

        f.rt.block_on(f.api.delete_object(&HOOK, &id))
            .expect("delete in the panel");
        let plan = f.ws.plan_detailed();
        assert!(plan.code == 2 && plan.mentions("will be created"), "{plan}");
        f.apply_converged(&hcl, "re-create");
        assert_ne!(f.state_id("jetbackup_hook.h"), id);
    });
}

#[test]
fn invalid_hooks_fail_at_plan_and_never_reach_the_api() {
    let base = |extra: &str, script: &str, on: &str| {
        format!(
            "  name = \"x\"\n  script = \"{script}\"\n  when = \"pre\"\n  on = \"{on}\"\n{extra}"
        )
    };
    let cases: Vec<(String, &[&str])> = vec![
        (
            base("", "hooks/dump.sh", "backup"),
            &["script", "absolute path"],
        ),
        (base("", "", "backup"), &["script", "absolute path"]),
        (
            base("", "/x", "snapshot"),
            &["on", "\"backup\", \"restore\""],
        ),
        (
            "  name = \"x\"\n  script = \"/x\"\n  when = \"before\"\n  on = \"backup\"".into(),
            &["when", "\"pre\", \"post\""],
        ),
        (
            base("  backup_job_ids = [\"job\"]", "/x", "backup"),
            &["backup_job_ids", "24 hexadecimal"],
        ),
        (
            base(
                &format!("  destination_ids = [\"{DEST_LOCAL_ID}\"]"),
                "/x",
                "backup",
            ),
            &["destination_ids", "\"reindex\""],
        ),
        (
            base(
                &format!("  backup_job_ids = [\"{DEST_LOCAL_ID}\"]"),
                "/x",
                "restore",
            ),
            &["backup_job_ids", "\"backup\", \"backup_account\""],
        ),
        (
            base("  owner_name = \"root\"", "/x", "backup"),
            &["owner_name", "read-only"],
        ),
        (
            "  name = \"\"\n  script = \"/x\"\n  when = \"pre\"\n  on = \"backup\"".into(),
            &["name", "empty"],
        ),
    ];
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        for (body, needles) in &cases {
            f.ws.write_config(&hook(body));
            let out = f.ws.plan_detailed();
            assert!(
                !out.success() && out.code == 1,
                "accepted on {cli}:\n{body}\n{out}"
            );
            for n in *needles {
                assert!(out.mentions(n), "{body}\nmissing {n:?} on {cli}:\n{out}");
            }
        }
        assert_eq!(f.write_calls(), 0, "an invalid hook reached the API");
        assert!(f.objects(&HOOK).is_empty());
    });
}

#[test]
fn a_hook_on_a_job_the_server_does_not_have_is_refused_with_its_message() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let gone = "6503f0a0ebbf07708d06f2ff";
        f.ws.write_config(&hook(&format!(
            "  name = \"x\"\n  script = \"/x\"\n  when = \"pre\"\n  on = \"backup\"\n  backup_job_ids = [\"{gone}\"]"
        )));
        let out = f.ws.apply();
        assert!(
            !out.success()
                && out.mentions("Cannot create the hook")
                && out.mentions(gone)
                && out.mentions("not found"),
            "{out}"
        );
        assert!(f.ws.state_resource("jetbackup_hook.h").is_none());
        assert!(f.objects(&HOOK).is_empty());
    });
}
