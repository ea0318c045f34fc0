//! Data sources end to end: a real Terraform CLI, the provider and a
//! `jetbackup-sim`. Each test is one user story, run on every Terraform CLI
//! found: jobs built from lookups by name, every lookup failure, a whole
//! server's jobs adopted in one plan, and a rename in the panel seen as drift.

mod support;

use jetbackup::api::job::{JobSpec, JobTime, JobType, JobValue, Monitor, Param, ScheduleRef};
use jetbackup::api::wire::Params;
use jetbackup::sim::seed::{
    DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID,
    SCHEDULE_WEEKLY_ID,
};
use support::{for_each_terraform, Fixture, REQUIRED_PROVIDERS};

impl Fixture {
    fn config(&self, body: &str) {
        self.ws.write_config(&format!(
            "{REQUIRED_PROVIDERS}provider \"jetbackup\" {{}}\n\n{body}"
        ));
    }

    /// Renames a destination the way the panel does (`manageDestination`).
    fn rename_destination(&self, id: &str, name: &str) {
        let mut p = Params::new();
        p.push("action", "modify")
            .push("_id", id)
            .push("name", name);
        self.rt
            .block_on(self.api.call("manageDestination", &p, false))
            .expect("manageDestination");
    }

    fn reset_stats(&self) {
        self.sim.reset_stats().expect("reset sim stats");
    }
}

/// A job whose destinations, schedules and filter group come from lookups
/// by name.
fn job_from_lookups_hcl() -> String {
    r#"data "jetbackup_schedule" "daily" {
  name = "Daily"
}

data "jetbackup_schedule" "weekly" {
  name = "Weekly on Sunday"
}

data "jetbackup_account_filter_group" "all" {
  name = "All Accounts"
}

output "weekly" {
  value = { for k, v in data.jetbackup_schedule.weekly : k => v if k != "job_count" }
}

output "all_accounts" {
  value = { for k, v in data.jetbackup_account_filter_group.all : k => v if k != "job_count" }
}

data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

data "jetbackup_destination" "local" {
  name = "Local Backups"
}

data "jetbackup_destinations" "s3" {
  type = "S3"
}

resource "jetbackup_backup_job" "nightly" {
  name        = "Nightly from lookups"
  type        = "accounts"
  structure   = "incremental"
  destination = [data.jetbackup_destination.offsite.id, data.jetbackup_destination.local.id]
  filters     = [[data.jetbackup_account_filter_group.all.id]]
  schedules {
    id     = data.jetbackup_schedule.daily.id
    retain = 7
  }
  schedules {
    id     = data.jetbackup_schedule.weekly.id
    retain = 4
  }
}

output "s3_ids" {
  value = data.jetbackup_destinations.s3.ids
}

# Everything but job_count, which this very configuration changes.
output "offsite" {
  value = { for k, v in data.jetbackup_destination.offsite : k => v if k != "job_count" }
}
"#
    .to_string()
}

#[test]
fn a_job_built_from_lookups_by_name_applies_and_plans_clean() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.config(&job_from_lookups_hcl());
        // Read at plan time: the plan shows the IDs, not "known after apply".
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 2, "first plan on {cli}:\n{plan}");
        for id in [
            DEST_S3_ID,
            DEST_LOCAL_ID,
            SCHEDULE_DAILY_ID,
            SCHEDULE_WEEKLY_ID,
            GROUP_A_ID,
        ] {
            assert!(plan.mentions(id), "{id} not in the plan:\n{plan}");
        }
        f.ws.apply().expect_success("apply");
        let again = f.ws.plan_detailed();
        assert_eq!(again.code, 0, "plan after apply on {cli}:\n{again}");

        let out = f.ws.run(&["output", "-json"]).expect_success("output");
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(outputs["s3_ids"]["value"], serde_json::json!([DEST_S3_ID]));
        let offsite = &outputs["offsite"]["value"];
        assert_eq!(offsite["id"], DEST_S3_ID);
        assert_eq!(offsite["type"], "S3");
        assert_eq!(offsite["type_name"], "S3 Compatible");
        assert_eq!(offsite["owner_name"], "root");
        let text = offsite.to_string();
        assert!(
            !text.contains("HIDDEN") && !text.contains("secret"),
            "{text}"
        );
        let weekly = &outputs["weekly"]["value"];
        assert_eq!(weekly["id"], SCHEDULE_WEEKLY_ID);
        assert_eq!(weekly["type"], "weekly");
        assert_eq!(weekly["day_of_week"], "sunday");
        assert_eq!(weekly["every_hours"], serde_json::Value::Null);
        let all = &outputs["all_accounts"]["value"];
        assert_eq!(all["id"], GROUP_A_ID);
        assert_eq!(all["filter_ids"].as_array().map(Vec::len), Some(1), "{all}");
        f.ws.write_file(
            "count.tf",
            "output \"job_count\" {\n  value = data.jetbackup_destination.offsite.job_count\n}\n",
        );
        f.ws.apply().expect_success("apply the job_count output");
        let out = f.ws.run(&["output", "-raw", "job_count"]);
        assert_eq!(
            out.stdout.trim(),
            "1",
            "the job just created uses it:\n{out}"
        );

        // One listDestinations per provider process, however many lookups.
        f.reset_stats();
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "{plan}");
        assert_eq!(f.calls("listDestinations"), 1, "three destination lookups");
        assert_eq!(f.calls("getDestination"), 0);
        assert_eq!(f.calls("listSchedules"), 1, "two schedule lookups");
        assert_eq!(f.calls("getSchedule"), 0);
        assert_eq!(f.calls("listAccountFilterGroups"), 1, "one group lookup");
        assert_eq!(f.calls("getAccountFilterGroup"), 0);
        f.ws.destroy().expect_success("destroy");
    });
}

#[test]
fn every_lookup_failure_names_the_attribute_and_writes_nothing() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        // Two destinations named alike, as a panel allows.
        f.rename_destination(DEST_LOCAL_ID, "Twin");
        f.rename_destination(DEST_S3_ID, "Twin");
        f.reset_stats();
        // (data source type, block body, what the error must say: the
        // message, and the attribute's source line Terraform quotes).
        let cases: Vec<(&str, String, Vec<String>)> = vec![
            (
                "destination",
                "name = \"twin\"".into(),
                vec![
                    "No destination named \"twin\"".into(),
                    "names match exactly, case included".into(),
                    "named: \"Twin\".".into(),
                    ": name = \"twin\"".into(),
                ],
            ),
            (
                "destination",
                "name = \"Twin\"".into(),
                vec![
                    "Several destinations are named \"Twin\"".into(),
                    format!("{DEST_LOCAL_ID}, {DEST_S3_ID}"),
                    "by `id` instead".into(),
                    ": name = \"Twin\"".into(),
                ],
            ),
            (
                "destination",
                format!("name = \"Twin\"\n  id   = \"{DEST_S3_ID}\""),
                vec![
                    "Both `name` and `id` are set".into(),
                    "exactly one of `name` or `id`".into(),
                    format!(": id = \"{DEST_S3_ID}\""),
                ],
            ),
            (
                "destination",
                String::new(),
                vec![
                    "Neither `name` nor `id` is set".into(),
                    "exactly one of `name` or `id`".into(),
                ],
            ),
            (
                "backup_job",
                "id = \"12345\"".into(),
                vec![
                    "Invalid backup job ID".into(),
                    "\"12345\" is not a JetBackup backup job ID".into(),
                    "24 hexadecimal digits".into(),
                    ": id = \"12345\"".into(),
                ],
            ),
            (
                "destination",
                "id = \"6504c79fd4b57d536c05bbe2\"".into(),
                vec![
                    "No destination with ID \"6504c79fd4b57d536c05bbe2\"".into(),
                    ": id = \"6504c79fd4b57d536c05bbe2\"".into(),
                ],
            ),
            (
                "schedule",
                "name = \"daily\"".into(),
                vec![
                    "No schedule named \"daily\"".into(),
                    "\"Daily\", \"Every 6 Hours\", \"Weekly on Sunday\".".into(),
                    ": name = \"daily\"".into(),
                ],
            ),
            (
                "account_filter_group",
                "id = \"group-a\"".into(),
                vec![
                    "Invalid account filter group ID".into(),
                    "24 hexadecimal digits".into(),
                    ": id = \"group-a\"".into(),
                ],
            ),
            (
                "account_filter_group",
                "id = \"6504c79fd4b57d536c05bbe2\"".into(),
                vec![
                    "No account filter group with ID \"6504c79fd4b57d536c05bbe2\"".into(),
                    ": id = \"6504c79fd4b57d536c05bbe2\"".into(),
                ],
            ),
            (
                "backup_job",
                "name = \"Nightly\"".into(),
                vec![
                    "No backup job named \"Nightly\"".into(),
                    "no backup jobs at all".into(),
                    ": name = \"Nightly\"".into(),
                ],
            ),
        ];
        for (kind, body, expected) in cases {
            let hcl = format!("data \"jetbackup_{kind}\" \"x\" {{\n  {body}\n}}\n");
            f.config(&hcl);
            let plan = f.ws.plan_detailed();
            assert_eq!(plan.code, 1, "{hcl} on {cli} should fail:\n{plan}");
            let text = plan.text().replace('\n', " ");
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for needle in &expected {
                assert!(
                    text.contains(needle.as_str()),
                    "{hcl}: missing {needle:?} in:\n{plan}"
                );
            }
        }
        assert_eq!(f.write_calls(), 0, "a failed lookup wrote something");
    });
}

/// 25 jobs of every kind, made through the API as a panel would.
fn panel_jobs() -> Vec<JobSpec> {
    (0..25)
        .map(|i| {
            let mut spec = support::minimal_job(&format!("panel job {i:02}"));
            match i % 3 {
                0 => {
                    spec.set(
                        Param::Contains,
                        JobValue::Int(if i % 2 == 0 { 511 } else { 7 }),
                    );
                    if i % 4 == 0 {
                        spec.set(
                            Param::Filters,
                            vec![vec![GROUP_A_ID.to_string(), GROUP_B_ID.to_string()]],
                        );
                    }
                }
                1 => {
                    spec.set(Param::Type, JobType::Directories);
                    spec.set(Param::Contains, JobValue::Int(3));
                    spec.set(
                        Param::IncludeList,
                        vec!["/etc".to_string(), format!("/srv/{i}")],
                    );
                    spec.set(Param::Structure, JobValue::Int(2));
                }
                _ => {
                    spec.set(Param::ExcludeList, vec!["*/tmp/*".to_string()]);
                    spec.set(
                        Param::Destination,
                        vec![DEST_LOCAL_ID.to_string(), DEST_S3_ID.to_string()],
                    );
                }
            }
            spec.set(
                Param::Schedules,
                match i % 4 {
                    0 => vec![],
                    1 => vec![ScheduleRef {
                        id: SCHEDULE_DAILY_ID.to_string(),
                        retain: 7,
                    }],
                    2 => vec![
                        ScheduleRef {
                            id: SCHEDULE_HOURLY_ID.to_string(),
                            retain: 24,
                        },
                        ScheduleRef {
                            id: SCHEDULE_WEEKLY_ID.to_string(),
                            retain: 4,
                        },
                    ],
                    _ => vec![ScheduleRef {
                        id: SCHEDULE_WEEKLY_ID.to_string(),
                        retain: 2,
                    }],
                },
            );
            if i % 5 == 0 {
                spec.set(
                    Param::Monitor,
                    Monitor {
                        ranfor: 1.into(),
                        notran: 3.into(),
                    },
                );
            }
            if i % 6 == 0 {
                spec.set(Param::Time, JobTime::new(3, 15).expect("a time of day"));
                spec.set(Param::Disabled, true);
            }
            spec
        })
        .collect()
}

/// The adoption pattern of the README and `docs/guides/adopting-existing-jobs.md`.
pub const ADOPT_HCL: &str = include_str!("../examples/adopt/main.tf");

#[test]
fn every_job_of_a_server_is_adopted_in_one_plan_without_a_write() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        for spec in panel_jobs() {
            f.rt.block_on(f.api.create_backup_job(&spec))
                .expect("create a job through the API");
        }
        f.reset_stats();
        f.ws.write_config(ADOPT_HCL);
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 2, "adoption plan on {cli}:\n{plan}");
        assert!(
            plan.mentions("25 to import, 0 to add, 0 to change, 0 to destroy"),
            "{plan}"
        );
        f.ws.apply().expect_success("adoption apply");
        let again = f.ws.plan_detailed();
        assert_eq!(again.code, 0, "plan after adoption on {cli}:\n{again}");
        assert_eq!(f.write_calls(), 0, "adoption wrote to the server");
        let list = f.ws.run(&["state", "list"]).expect_success("state list");
        let adopted = list
            .stdout
            .lines()
            .filter(|l| l.starts_with("jetbackup_backup_job.adopted["))
            .count();
        assert_eq!(adopted, 25, "{list}");

        // Freezing the adopted settings into the configuration (the guide's
        // second step) changes nothing either.
        let dump =
            f.ws.run(&["output", "-json", "adopted_jobs"])
                .expect_success("output adopted_jobs");
        f.ws.write_file("jobs.json", &dump.stdout);
        f.ws.write_config(&frozen_config());
        // Terraform counts the listing leaving the state as a change: one
        // apply records that, with no call that writes.
        f.ws.apply()
            .expect_success("apply the frozen configuration");
        let frozen = f.ws.plan_detailed();
        assert_eq!(frozen.code, 0, "plan after freezing on {cli}:\n{frozen}");
        assert_eq!(f.write_calls(), 0);
    });
}

/// The adoption configuration with the listing replaced by the dump of the
/// adopted settings, and the import blocks removed.
fn frozen_config() -> String {
    let start = ADOPT_HCL
        .find("# Every job on the server")
        .expect("data block");
    let end = ADOPT_HCL
        .find("resource \"jetbackup_backup_job\"")
        .expect("resource");
    format!(
        "{}locals {{\n  jobs = jsondecode(file(\"jobs.json\"))\n}}\n\n{}",
        &ADOPT_HCL[..start],
        &ADOPT_HCL[end..]
    )
}

#[test]
fn a_destination_renamed_in_the_panel_shows_as_the_change_it_causes() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.config(
            r#"data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

resource "jetbackup_backup_job" "j" {
  name        = "Follows the offsite destination"
  type        = "accounts"
  structure   = "incremental"
  destination = [data.jetbackup_destination.offsite.id]
}
"#,
        );
        f.ws.apply().expect_success("apply");
        assert_eq!(f.ws.plan_detailed().code, 0);

        // In the panel, the name moves to the other destination.
        f.rename_destination(DEST_S3_ID, "Old S3");
        f.rename_destination(DEST_LOCAL_ID, "S3 Offsite");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 2, "rename on {cli}:\n{plan}");
        assert!(plan.mentions("updated in-place"), "{plan}");
        assert!(
            plan.mentions(DEST_S3_ID) && plan.mentions(DEST_LOCAL_ID),
            "{plan}"
        );

        // The name now matches nothing: an error listing what exists, never
        // the stale ID.
        f.rename_destination(DEST_LOCAL_ID, "Local Backups");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 1, "{plan}");
        assert!(
            plan.mentions("No destination named \"S3 Offsite\""),
            "{plan}"
        );
        assert!(plan.mentions("\"Old S3\""), "{plan}");
        f.rename_destination(DEST_S3_ID, "S3 Offsite");
        f.ws.destroy().expect_success("destroy");
    });
}

/// Adopting more than jobs: the schedules and filter groups of a server are
/// listed like its destinations, filtered by type and name; a destination
/// reads like the resource (`read_only`), and the 0.1.0 name `readonly`
/// still works, marked deprecated in the schema.
#[test]
fn schedules_and_filter_groups_are_listed_and_readonly_still_reads() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.config(
            r#"data "jetbackup_schedules" "daily" {
  type = "daily"
}

data "jetbackup_schedules" "all" {}

data "jetbackup_account_filter_groups" "resellers" {
  name_regex = "^Res"
}

data "jetbackup_destination" "local" {
  name = "Local Backups"
}

output "daily_ids" {
  value = data.jetbackup_schedules.daily.ids
}

output "schedule_names" {
  value = [for s in data.jetbackup_schedules.all.schedules : s.name]
}

output "resellers" {
  value = data.jetbackup_account_filter_groups.resellers.account_filter_groups
}

output "local" {
  value = {
    path      = data.jetbackup_destination.local.path
    read_only = data.jetbackup_destination.local.read_only
    readonly  = data.jetbackup_destination.local.readonly
    bucket    = data.jetbackup_destination.local.bucket
  }
}
"#,
        );
        f.ws.apply().expect_success("apply the lookups");
        // Terraform shows the old name as deprecated (a warning where a
        // configuration sets it; editors and docs mark it).
        let schema =
            f.ws.run(&["providers", "schema", "-json"])
                .expect_success("providers schema");
        let schema: serde_json::Value = serde_json::from_str(&schema.stdout).expect("json");
        let attrs = &schema["provider_schemas"][support::PROVIDER_ADDRESS]["data_source_schemas"]
            ["jetbackup_destination"]["block"]["attributes"];
        assert_eq!(
            attrs["readonly"]["deprecated"], true,
            "{}",
            attrs["readonly"]
        );
        assert_ne!(attrs["read_only"]["deprecated"], true);
        let out = f.ws.run(&["output", "-json"]).expect_success("output");
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(
            outputs["daily_ids"]["value"],
            serde_json::json!([SCHEDULE_DAILY_ID])
        );
        let names = outputs["schedule_names"]["value"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        assert_eq!(names, 3, "{}", outputs["schedule_names"]);
        let resellers = &outputs["resellers"]["value"];
        assert_eq!(resellers[0]["id"], GROUP_B_ID, "{resellers}");
        assert_eq!(resellers.as_array().map(Vec::len), Some(1), "{resellers}");
        assert_eq!(resellers[0]["filter_ids"].as_array().map(Vec::len), Some(2));
        let local = &outputs["local"]["value"];
        assert_eq!(local["read_only"], false, "{local}");
        assert_eq!(local["readonly"], false, "{local}");
        assert_eq!(local["bucket"], serde_json::Value::Null, "{local}");
        assert!(local["path"].is_string(), "{local}");
    });
}

/// Adopting hooks and notifications: a hook made in the panel and the
/// e-mail notification a fresh server comes with are found by name and
/// listed by type and state, in the resources' shapes, the SMTP password
/// never among them.
#[test]
fn hooks_and_notification_integrations_are_looked_up_and_listed() {
    use jetbackup::api::object::hook::HOOK;
    use jetbackup::api::object::{Val, Values};
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let mut hook = Values::new();
        hook.insert("name", Val::Text("Dump databases first".into()));
        hook.insert("script", Val::Text("/root/hooks/dump.sh".into()));
        hook.insert("when", Val::Text("pre".into()));
        hook.insert("on", Val::Text("backup".into()));
        f.rt.block_on(f.api.create_object(&HOOK, &hook))
            .expect("a hook made in the panel");
        f.config(
            r#"data "jetbackup_hook" "dump" {
  name = "Dump databases first"
}

data "jetbackup_hooks" "enabled" {
  disabled = false
}

data "jetbackup_notification_integration" "default" {
  name = "Default Email Notification"
}

data "jetbackup_notification_integrations" "syslog" {
  type = "syslog"
}

output "dump" {
  value = data.jetbackup_hook.dump
}

output "enabled_hooks" {
  value = data.jetbackup_hooks.enabled.ids
}

output "default" {
  value = data.jetbackup_notification_integration.default
}

output "syslog" {
  value = data.jetbackup_notification_integrations.syslog.ids
}
"#,
        );
        f.ws.apply().expect_success("apply the lookups");
        let out = f.ws.run(&["output", "-json"]).expect_success("output");
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        let dump = &outputs["dump"]["value"];
        assert_eq!(dump["script"], "/root/hooks/dump.sh", "{dump}");
        assert_eq!(dump["when"], "pre", "{dump}");
        assert_eq!(dump["on"], "backup", "{dump}");
        assert_eq!(
            outputs["enabled_hooks"]["value"],
            serde_json::json!([dump["id"]])
        );
        let default = &outputs["default"]["value"];
        assert_eq!(default["type"], "email", "{default}");
        assert!(default.get("smtp_password").is_none(), "{default}");
        assert!(!default.to_string().contains("HIDDEN"), "{default}");
        assert_eq!(outputs["syslog"]["value"], serde_json::json!([]));
    });
}

/// The adoption guide's pattern for the other kinds, exactly as the guide
/// prints it for schedules: every schedule of a server adopted in one plan,
/// no write, the next plan empty.
#[test]
fn the_guides_schedule_adoption_imports_every_schedule_without_a_write() {
    let guide = include_str!("../docs/guides/adopting-existing-jobs.md");
    let start = guide
        .find("For schedules, for example:\n\n```terraform\n")
        .map(|i| i + "For schedules, for example:\n\n```terraform\n".len())
        .expect("the guide's schedule example");
    let snippet = &guide[start..start + guide[start..].find("```").expect("its end")];
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.reset_stats();
        f.config(snippet);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("3 to import, 0 to add, 0 to change, 0 to destroy"),
            "adoption plan on {cli}:\n{plan}"
        );
        f.ws.apply().expect_success("adoption apply");
        let again = f.ws.plan_detailed();
        assert_eq!(again.code, 0, "plan after adoption on {cli}:\n{again}");
        assert_eq!(f.write_calls(), 0, "adoption wrote to the server");
    });
}
