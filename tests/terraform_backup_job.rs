//! `jetbackup_backup_job` end to end: a real Terraform CLI, the provider
//! binary and a `jetbackup-sim` on loopback. Each test is one user story and
//! runs against every Terraform CLI found (see `support::terraform_clis`).

mod support;

use jetbackup::api::job::{BackupJob, JobSpec, JobType, JobValue, Monitor, Param, ScheduleRef};
use jetbackup::sim::seed::{
    DEST_LOCAL_ID, DEST_S3_ID, GROUP_A_ID, GROUP_B_ID, SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID,
    SCHEDULE_WEEKLY_ID,
};
use support::fixture::TOKEN;
use support::{config, for_each_terraform, Fixture, Workspace};

fn full_job_hcl() -> String {
    format!(
        r#"resource "jetbackup_backup_job" "full" {{
  name         = "Every attribute"
  type         = "accounts"
  structure    = "compressed"
  destination  = ["{DEST_LOCAL_ID}", "{DEST_S3_ID}"]
  contains     = ["config", "homedir", "databases", "email", "ftp"]
  options      = 4
  retry_failed = true
  exclude_list = ["*/core.[0-9]*", ".MirrorSearch", "/home/*/tmp"]
  filters      = [["{GROUP_A_ID}", "{GROUP_B_ID}"], ["{GROUP_B_ID}"]]
  time         = "0350"
  owner        = "6503d48bfc45b1addf0a9632"
  disabled     = true
  schedules {{
    id     = "{SCHEDULE_DAILY_ID}"
    retain = 7
  }}
  schedules {{
    id     = "{SCHEDULE_WEEKLY_ID}"
    retain = 4
  }}
  monitor {{
    ranfor = 1
    notran = 2
  }}
}}
"#
    )
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn create_with_every_attribute_lands_exactly_and_plans_clean() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.apply_converged(&config(&full_job_hcl()), "create with every attribute");
        let id = f.state_id("jetbackup_backup_job.full");
        let job = f.job(&id);
        assert_eq!(job.name, "Every attribute");
        assert_eq!(job.job_type, JobType::Accounts.code());
        assert_eq!(job.structure, 4);
        assert_eq!(
            sorted(job.destination.strings()),
            sorted(vec![DEST_LOCAL_ID.into(), DEST_S3_ID.into()])
        );
        assert_eq!(job.contains, 1 | 2 | 4 | 8 | 256);
        assert_eq!(job.options, 4);
        assert!(*job.retry_failed);
        assert!(*job.disabled);
        assert_eq!(
            sorted(job.exclude_list.strings()),
            sorted(vec![
                "*/core.[0-9]*".into(),
                ".MirrorSearch".into(),
                "/home/*/tmp".into()
            ])
        );
        let mut rows: Vec<Vec<String>> = job.filters.iter().cloned().map(sorted).collect();
        rows.sort();
        let mut want = vec![
            sorted(vec![GROUP_A_ID.into(), GROUP_B_ID.into()]),
            vec![GROUP_B_ID.to_string()],
        ];
        want.sort();
        assert_eq!(rows, want);
        assert_eq!(job.time, Some(350.into()).into());
        assert_eq!(job.owner, "6503d48bfc45b1addf0a9632");
        assert_eq!(
            job.monitor,
            Monitor {
                ranfor: 1.into(),
                notran: 2.into()
            }
            .into()
        );
        let mut schedules = job.schedule_refs();
        schedules.sort();
        assert_eq!(
            schedules,
            vec![
                ScheduleRef {
                    id: SCHEDULE_DAILY_ID.into(),
                    retain: 7
                },
                ScheduleRef {
                    id: SCHEDULE_WEEKLY_ID.into(),
                    retain: 4
                }
            ]
        );
        // The readback shows the server's computed fields and the time as written.
        let state =
            f.ws.state_resource("jetbackup_backup_job.full")
                .expect("state");
        assert_eq!(state["time"], "0350");
        assert_eq!(state["owner_name"], "root");
        f.ws.destroy().expect_success("destroy");
        assert!(f.jobs().is_empty(), "destroy left jobs behind");
    });
}

/// (what changes, the configuration, what the server must then hold)
type Step = (&'static str, String, Box<dyn Fn(&BackupJob)>);

#[test]
fn every_attribute_changes_in_place_without_replacement() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.apply_converged(&config(&full_job_hcl()), "create");
        let id = f.state_id("jetbackup_backup_job.full");

        // Each step rewrites the job; the ID must survive every one of them.
        let steps: Vec<Step> = vec![
            (
                "rename, new structure, options, time, enable",
                full_job_hcl()
                    .replace("Every attribute", "Renamed job")
                    .replace("\"compressed\"", "\"archived\"")
                    .replace("options      = 4", "options      = 2")
                    .replace("\"0350\"", "\"2330\"")
                    .replace("disabled     = true", "disabled     = false"),
                Box::new(|j: &BackupJob| {
                    assert_eq!(j.name, "Renamed job");
                    assert_eq!(j.structure, 2);
                    assert_eq!(j.options, 2);
                    assert_eq!(j.time, Some(2330.into()).into());
                    assert!(!*j.disabled);
                }),
            ),
            (
                "one destination, fewer contains, retry off, one filter row, schedule retain changed",
                full_job_hcl()
                    .replace(&format!("[\"{DEST_LOCAL_ID}\", \"{DEST_S3_ID}\"]"), &format!("[\"{DEST_S3_ID}\"]"))
                    .replace("[\"config\", \"homedir\", \"databases\", \"email\", \"ftp\"]", "[\"homedir\"]")
                    .replace("retry_failed = true", "retry_failed = false")
                    .replace(&format!("[[\"{GROUP_A_ID}\", \"{GROUP_B_ID}\"], [\"{GROUP_B_ID}\"]]"), &format!("[[\"{GROUP_A_ID}\"]]"))
                    .replace("retain = 7", "retain = 30"),
                Box::new(|j: &BackupJob| {
                    assert_eq!(j.destination, vec![DEST_S3_ID.to_string()]);
                    assert_eq!(j.contains, 2);
                    assert!(!*j.retry_failed);
                    assert_eq!(j.filters, vec![vec![GROUP_A_ID.to_string()]]);
                    assert!(j.schedules.iter().any(|s| s.id == SCHEDULE_DAILY_ID && s.retain == 30));
                }),
            ),
            (
                "lists cleared, monitor and schedules removed, contains back to default",
                format!(
                    r#"resource "jetbackup_backup_job" "full" {{
  name        = "Renamed job"
  type        = "accounts"
  structure   = "archived"
  destination = ["{DEST_S3_ID}"]
  owner       = "6503d48bfc45b1addf0a9632"
}}
"#
                ),
                Box::new(|j: &BackupJob| {
                    assert!(j.exclude_list.is_empty(), "exclude_list not cleared: {:?}", j.exclude_list);
                    assert!(j.filters.is_empty(), "filters not cleared: {:?}", j.filters);
                    assert!(j.schedules.is_empty(), "schedules not cleared");
                    assert_eq!(j.monitor, Monitor::default().into(), "monitor not turned off");
                    assert_eq!(j.contains, 511, "contains not back to the default");
                    assert!(!*j.disabled);
                }),
            ),
            (
                "lists added back",
                format!(
                    r#"resource "jetbackup_backup_job" "full" {{
  name         = "Renamed job"
  type         = "accounts"
  structure    = "archived"
  destination  = ["{DEST_S3_ID}", "{DEST_LOCAL_ID}"]
  exclude_list = ["/tmp"]
  schedules {{
    id     = "{SCHEDULE_HOURLY_ID}"
    retain = 0
  }}
}}
"#
                ),
                Box::new(|j: &BackupJob| {
                    assert_eq!(j.exclude_list, vec!["/tmp".to_string()]);
                    assert_eq!(j.schedule_refs(), vec![ScheduleRef { id: SCHEDULE_HOURLY_ID.into(), retain: 0 }]);
                    assert_eq!(j.destination.len(), 2);
                }),
            ),
        ];
        for (what, hcl, check) in steps {
            f.ws.write_config(&config(&hcl));
            let plan = f.ws.run(&["plan", "-input=false"]);
            assert!(plan.success(), "{what}: plan failed:\n{plan}");
            assert!(
                plan.stdout.contains("updated in-place"),
                "{what}: expected an in-place update:\n{plan}"
            );
            assert!(
                !plan.stdout.contains("must be replaced"),
                "{what}: unexpected replacement:\n{plan}"
            );
            f.apply_converged(&config(&hcl), what);
            assert_eq!(
                f.state_id("jetbackup_backup_job.full"),
                id,
                "{what}: the job was replaced"
            );
            check(&f.job(&id));
        }
        f.ws.destroy().expect_success("destroy");
        assert!(f.jobs().is_empty());
    });
}

fn dirs_job(job_type: &str) -> String {
    let include = if job_type == "directories" {
        "include_list = [\"/etc\", \"/var/named\"]"
    } else {
        ""
    };
    config(&format!(
        r#"resource "jetbackup_backup_job" "j" {{
  name        = "Type change"
  type        = "{job_type}"
  structure   = "archived"
  destination = ["{DEST_LOCAL_ID}"]
  {include}
}}
"#
    ))
}

#[test]
fn changing_type_replaces_the_job() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.apply_converged(&dirs_job("accounts"), "create an accounts job");
        let old = f.state_id("jetbackup_backup_job.j");
        f.ws.write_config(&dirs_job("directories"));
        let plan = f.ws.run(&["plan", "-input=false"]);
        assert!(
            plan.stdout.contains("must be replaced"),
            "expected a replacement:\n{plan}"
        );
        assert!(
            plan.stdout.contains("forces replacement"),
            "the plan should say which attribute forces it:\n{plan}"
        );
        f.apply_converged(&dirs_job("directories"), "type change");
        let new = f.state_id("jetbackup_backup_job.j");
        assert_ne!(old, new);
        let jobs = f.jobs();
        assert_eq!(jobs.len(), 1, "the old job must be gone");
        assert_eq!(jobs[0].job_type, JobType::Directories.code());
        assert_eq!(
            jobs[0].contains, 3,
            "a directories job backs up its full value"
        );
        assert_eq!(
            sorted(jobs[0].include_list.strings()),
            vec!["/etc".to_string(), "/var/named".to_string()]
        );
        f.ws.destroy().expect_success("destroy");
    });
}

fn existing_job(f: &Fixture) -> BackupJob {
    let spec = JobSpec::new()
        .with(Param::Name, "Made in the panel".to_string())
        .with(Param::Type, JobType::Accounts)
        .with(Param::Destination, vec![DEST_LOCAL_ID.to_string()])
        .with(Param::Contains, JobValue::Int(1 | 2 | 4))
        .with(Param::Structure, JobValue::Int(1))
        .with(Param::Options, JobValue::Int(0))
        .with(
            Param::ExcludeList,
            vec!["/home/*/cache".to_string(), "*.log".to_string()],
        )
        .with(Param::Filters, vec![vec![GROUP_A_ID.to_string()]])
        .with(
            Param::Schedules,
            vec![ScheduleRef {
                id: SCHEDULE_DAILY_ID.to_string(),
                retain: 14,
            }],
        )
        .with_opt(
            Param::Time,
            jetbackup::api::job::JobTime::parse_hhmm("0945"),
        )
        .with(
            Param::Monitor,
            Monitor {
                ranfor: 0.into(),
                notran: 3.into(),
            },
        );
    f.rt.block_on(f.api.create_backup_job(&spec))
        .expect("create through the API")
}

#[test]
fn import_by_id_and_by_import_block_then_plan_is_empty() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let job = existing_job(&f);

        // 1. terraform import with a hand-written configuration.
        let hcl = config(&format!(
            r#"resource "jetbackup_backup_job" "imported" {{
  name         = "Made in the panel"
  type         = "accounts"
  structure    = "incremental"
  destination  = ["{DEST_LOCAL_ID}"]
  contains     = ["config", "homedir", "databases"]
  exclude_list = ["*.log", "/home/*/cache"]
  filters      = [["{GROUP_A_ID}"]]
  time         = "0945"
  schedules {{
    id     = "{SCHEDULE_DAILY_ID}"
    retain = 14
  }}
  monitor {{
    ranfor = 0
    notran = 3
  }}
}}
"#
        ));
        f.ws.write_config(&hcl);
        let bad = f.ws.import("jetbackup_backup_job.imported", "not-an-id");
        assert!(
            !bad.success() && bad.mentions("24 hexadecimal"),
            "a malformed ID must be refused:\n{bad}"
        );
        f.ws.import("jetbackup_backup_job.imported", &job.id)
            .expect_success("terraform import");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "plan after import is not empty:\n{plan}");

        // 2. an import block and generated configuration, in a fresh workspace.
        let url = f.sim.url().to_string();
        let ws2 = Workspace::new(
            cli,
            &[("JETBACKUP_ENDPOINT", &url), ("JETBACKUP_API_TOKEN", TOKEN)],
        );
        ws2.write_config(&config(&format!(
            "import {{\n  to = jetbackup_backup_job.generated\n  id = \"{}\"\n}}\n",
            job.id
        )));
        let gen = ws2.run(&["plan", "-input=false", "-generate-config-out=generated.tf"]);
        assert!(gen.success(), "plan -generate-config-out failed:\n{gen}");
        let generated =
            std::fs::read_to_string(ws2.dir().join("generated.tf")).expect("generated.tf written");
        assert!(generated.contains("Made in the panel"), "{generated}");
        ws2.apply().expect_success("apply the import");
        let plan = ws2.plan_detailed();
        assert_eq!(plan.code, 0, "plan after import with generated config is not empty:\n{plan}\n--- generated.tf\n{generated}");
        assert_eq!(f.jobs().len(), 1, "importing must not create jobs");
    });
}

#[test]
fn drift_behind_terraforms_back_is_planned_away() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = config(&full_job_hcl());
        f.apply_converged(&hcl, "create");
        let id = f.state_id("jetbackup_backup_job.full");

        // Modified in the panel: the plan puts it back to the configuration.
        let change = JobSpec::new()
            .with(Param::Name, "Edited in the panel".to_string())
            .with(Param::ExcludeList, Vec::<String>::new())
            .with(Param::Disabled, false);
        f.rt.block_on(f.api.modify_backup_job(&id, &change))
            .expect("modify behind Terraform's back");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 2, "drift not detected:\n{plan}");
        assert!(
            plan.stdout.contains("Edited in the panel") && plan.stdout.contains("updated in-place"),
            "{plan}"
        );
        f.apply_converged(&hcl, "repair drift");
        let job = f.job(&id);
        assert_eq!(job.name, "Every attribute");
        assert_eq!(job.exclude_list.len(), 3);
        assert!(*job.disabled);

        // Deleted in the panel: the plan creates it again.
        f.rt.block_on(f.api.delete_backup_job(&id))
            .expect("delete behind Terraform's back");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 2, "deletion not detected:\n{plan}");
        assert!(plan.stdout.contains("will be created"), "{plan}");
        f.apply_converged(&hcl, "re-create");
        assert_ne!(f.state_id("jetbackup_backup_job.full"), id);
        assert_eq!(f.jobs().len(), 1);
        f.ws.destroy().expect_success("destroy");
    });
}

/// (attribute line(s) to put in an otherwise valid job, text the error must contain)
fn invalid_cases() -> Vec<(String, &'static str)> {
    let base = |extra: &str, ty: &str, structure: &str, dest: &str| {
        format!(
            r#"resource "jetbackup_backup_job" "bad" {{
  name        = "bad"
  type        = "{ty}"
  structure   = "{structure}"
  destination = [{dest}]
  {extra}
}}
"#
        )
    };
    let ok_dest = format!("\"{DEST_LOCAL_ID}\"");
    let job = |extra: &str| base(extra, "accounts", "incremental", &ok_dest);
    vec![
        // Valid-looking values the server would hand back spelled otherwise.
        (
            job("contains = []"),
            "Remove contains to back up everything",
        ),
        (job("contains = [\"bit_2\"]"), "contains = [\"homedir\"]"),
        (
            base(
                "contains = [\"bit_1\", \"bit_2\"]\n  include_list = [\"/etc\"]",
                "directories",
                "incremental",
                &ok_dest,
            ),
            "remove contains or write contains = []",
        ),
        (
            base("", "weekly", "incremental", &ok_dest),
            "\"accounts\", \"directories\", \"bmr\"",
        ),
        (
            base("", "accounts", "zip", &ok_dest),
            "\"incremental\", \"archived\", \"compressed\"",
        ),
        (
            base("", "accounts", "incremental", ""),
            "at least one destination",
        ),
        (
            base("", "accounts", "incremental", "\"nope\""),
            "24 hexadecimal",
        ),
        (
            base("", "directories", "incremental", &ok_dest),
            "include_list",
        ),
        (
            base("include_list = []", "directories", "incremental", &ok_dest),
            "include_list",
        ),
        (
            base(
                "contains = [\"homedir\"]\n include_list = [\"/etc\"]",
                "directories",
                "incremental",
                &ok_dest,
            ),
            "leave contains unset",
        ),
        (
            job("include_list = [\"/etc\"]"),
            "include_list applies only to directories jobs",
        ),
        (job("contains = [\"mail\"]"), "\"database_users\""),
        (job("contains = [\"bit_3\"]"), "power of two"),
        (job("options = 3"), "4 (Exclude Databases and Exclude Junk)"),
        (job("time = \"2400\""), "\"0000\" to \"2359\""),
        (job("time = \"9:30\""), "four digits"),
        (job("time = \"0975\""), "HHMM"),
        (job("owner = \"root\""), "account ID"),
        (job("id = \"6503d48bfc45b1addf0a9632\""), "id is read-only"),
        (job("owner_name = \"root\""), "owner_name is read-only"),
        (job("next_run = \"soon\""), "next_run is read-only"),
        (job("last_run = \"never\""), "last_run is read-only"),
        (job("filters = [[]]"), "at least one account filter group"),
        (job("filters = [[\"groupA\"]]"), "account filter group ID"),
        (
            job("schedules {\n id = \"daily\"\n retain = 1\n }"),
            "schedule ID",
        ),
        (
            job(&format!(
                "schedules {{\n id = \"{SCHEDULE_DAILY_ID}\"\n retain = -1\n }}"
            )),
            "retain is -1",
        ),
        (
            job("monitor {\n ranfor = -1\n notran = 0\n }"),
            "monitor ranfor is -1",
        ),
        (
            job("monitor {\n ranfor = 0\n notran = -2\n }"),
            "monitor notran is -2",
        ),
        (job("exclude_list = [\"\"]"), "empty path"),
        (
            base("", "accounts", "incremental", &ok_dest)
                .replace("name        = \"bad\"", "name        = \"  \""),
            "name must not be empty",
        ),
    ]
}

/// Edge values the property test (`table_properties.rs`) walks, through
/// a real Terraform: explicit defaults, zeros, empty lists, midnight and the
/// full `contains` spelled out apply without "inconsistent result" and plan
/// clean. Then a rename plans exactly one change: nothing the server derives
/// turns "(known after apply)".
#[test]
fn edge_values_round_trip_and_a_rename_plans_one_change() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = |name: &str| {
            config(&format!(
                r#"resource "jetbackup_backup_job" "edge" {{
  name         = "{name}"
  type         = "accounts"
  structure    = "incremental"
  destination  = ["{DEST_LOCAL_ID}"]
  contains     = ["config", "homedir", "databases", "database_users", "email", "ftp", "dns", "cron", "ssl"]
  options      = 0
  retry_failed = false
  disabled     = false
  time         = "0000"
  exclude_list = []
  filters      = []
  schedules {{
    id     = "{SCHEDULE_DAILY_ID}"
    retain = 0
  }}
  monitor {{
    ranfor = 0
    notran = 0
  }}
}}

resource "jetbackup_backup_job" "dirs" {{
  name         = "{name} dirs"
  type         = "directories"
  structure    = "incremental"
  destination  = ["{DEST_LOCAL_ID}"]
  contains     = []
  include_list = ["/etc"]
}}
"#
            ))
        };
        f.ws.write_config(&hcl("Edge"));
        f.ws.apply().expect_success("edge values apply");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "edge values plan clean:\n{plan}");

        f.ws.write_config(&hcl("Edge renamed"));
        let plan = f.ws.run(&["plan", "-input=false", "-no-color"]);
        let text = plan.text();
        assert!(text.contains("2 to change"), "{plan}");
        assert!(!text.contains("known after apply"), "{plan}");
        // Per resource: its header and the one attribute.
        let changed: Vec<&str> = plan
            .stdout
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("~ ") && !l.starts_with("~ update in-place"))
            .collect();
        assert_eq!(changed.len(), 4, "{changed:#?}\n{plan}");
        assert_eq!(
            changed.iter().filter(|l| l.starts_with("~ name")).count(),
            2,
            "{changed:#?}"
        );
        f.ws.apply().expect_success("rename");
        assert_eq!(f.ws.plan_detailed().code, 0);
        f.ws.destroy().expect_success("destroy");
    });
}

#[test]
fn invalid_configurations_fail_at_plan_and_never_reach_the_api() {
    let cases = invalid_cases();
    assert!(cases.len() >= 20);
    eprintln!("{} invalid configurations", cases.len());
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        for (hcl, expected) in &cases {
            f.ws.write_config(&config(hcl));
            let plan = f.ws.run(&["plan", "-input=false"]);
            assert!(
                !plan.success(),
                "this configuration must be refused:\n{hcl}\n{plan}"
            );
            let text = plan
                .combined()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains(expected),
                "the error must say {expected:?} for:\n{hcl}\n{plan}"
            );
            assert!(
                text.contains("with jetbackup_backup_job.bad"),
                "the error must point at the resource:\n{plan}"
            );
        }
        assert_eq!(f.write_calls(), 0, "invalid configuration reached the API");
        assert!(f.jobs().is_empty());
    });
}

/// A refusal naming a parameter is shown on that attribute or block of the
/// configuration, not on the resource as a whole.
#[test]
fn a_refusal_points_at_the_attribute_it_names() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let missing = "65aaaaaaaaaaaaaaaaaaaaaa";
        for (body, line) in [
            (format!("filters = [[\"{missing}\"]]"), "filters = ["),
            (format!("owner = \"{missing}\""), "owner = "),
            (
                format!("schedules {{\n    id     = \"{missing}\"\n    retain = 1\n  }}"),
                "id     = \"65aaaaaaaaaaaaaaaaaaaaaa\"",
            ),
        ] {
            f.ws.write_config(&config(&format!(
                r#"resource "jetbackup_backup_job" "r" {{
  name        = "refused"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  {body}
}}
"#
            )));
            let out =
                f.ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
            assert!(!out.success(), "{out}");
            assert!(out.mentions("not found"), "{out}");
            // Terraform quotes the configuration line the diagnostic is on.
            let quoted = out.combined().lines().any(|l| {
                l.trim_start().split_once(':').is_some_and(|(n, rest)| {
                    n.chars().all(|c| c.is_ascii_digit()) && rest.trim_start().starts_with(line)
                })
            });
            assert!(quoted, "the error must point at `{line}`:\n{out}");
        }
        assert!(f.jobs().is_empty());
    });
}

#[test]
fn a_refusal_from_jetbackup_shows_its_message_and_leaves_state_alone() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let unknown_dest = "65aaaaaaaaaaaaaaaaaaaaaa";
        let hcl = |dest: &str| {
            config(&format!(
                r#"resource "jetbackup_backup_job" "r" {{
  name        = "refused"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{dest}"]
}}
"#
            ))
        };
        // On create: nothing is recorded.
        f.ws.write_config(&hcl(unknown_dest));
        let out = f.ws.apply();
        assert!(!out.success());
        let text = out.combined();
        assert!(
            text.contains("manageBackupJob") && text.contains(unknown_dest),
            "the server's message must be shown:\n{out}"
        );
        assert!(text.contains("with jetbackup_backup_job.r"), "{out}");
        assert!(
            f.ws.run(&["state", "list"]).stdout.trim().is_empty(),
            "a refused create must leave no state"
        );
        assert!(f.jobs().is_empty());

        // On update: the state keeps what the server still holds.
        f.apply_converged(&hcl(DEST_LOCAL_ID), "create");
        let id = f.state_id("jetbackup_backup_job.r");
        f.ws.write_config(&hcl(unknown_dest));
        let out = f.ws.apply();
        assert!(
            !out.success() && out.combined().contains(unknown_dest),
            "{out}"
        );
        let state =
            f.ws.state_resource("jetbackup_backup_job.r")
                .expect("still in state");
        assert_eq!(state["id"], id.as_str());
        assert_eq!(state["destination"], serde_json::json!([DEST_LOCAL_ID]));
        assert_eq!(f.job(&id).destination, vec![DEST_LOCAL_ID.to_string()]);
        f.ws.write_config(&hcl(DEST_LOCAL_ID));
        assert_eq!(f.ws.plan_detailed().code, 0);
        f.ws.destroy().expect_success("destroy");
        assert!(f.jobs().is_empty(), "destroy must leave no job");
    });
}

#[test]
fn the_server_returning_lists_in_another_order_is_not_a_change() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = config(&full_job_hcl());
        f.apply_converged(&hcl, "create");
        let id = f.state_id("jetbackup_backup_job.full");
        let job = f.job(&id);
        // Write the same values back in reverse order, as a panel might.
        let reversed = |v: &[String]| v.iter().rev().cloned().collect::<Vec<_>>();
        let mut schedules = job.schedule_refs();
        schedules.reverse();
        let same = JobSpec::new()
            .with(Param::Destination, reversed(&job.destination.strings()))
            .with(Param::ExcludeList, reversed(&job.exclude_list.strings()))
            .with(
                Param::Filters,
                job.filters
                    .iter()
                    .rev()
                    .map(|r| reversed(r))
                    .collect::<Vec<_>>(),
            )
            .with(Param::Schedules, schedules);
        f.rt.block_on(f.api.modify_backup_job(&id, &same))
            .expect("reorder");
        let after = f.job(&id);
        assert_ne!(
            after.destination, job.destination,
            "the server kept the old order; the test proves nothing"
        );
        let plan = f.ws.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "a reordering on the server shows as a change:\n{plan}"
        );
    });
}

#[test]
fn a_contains_bit_without_a_name_survives_import_and_updates() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        // A newer JetBackup may know a bit this provider does not (1024).
        let spec = JobSpec::new()
            .with(Param::Name, "newer server".to_string())
            .with(Param::Type, JobType::Accounts)
            .with(Param::Destination, vec![DEST_LOCAL_ID.to_string()])
            .with(Param::Contains, JobValue::Int(511 | 1024))
            .with(Param::Structure, JobValue::Int(1));
        let job =
            f.rt.block_on(f.api.create_backup_job(&spec))
                .expect("create through the API");
        let hcl = |name: &str| {
            config(&format!(
                r#"resource "jetbackup_backup_job" "n" {{
  name        = "{name}"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  contains    = ["config", "homedir", "databases", "email", "cron", "dns", "ssl", "database_users", "ftp", "bit_1024"]
}}
"#
            ))
        };
        f.ws.write_config(&hcl("newer server"));
        f.ws.import("jetbackup_backup_job.n", &job.id)
            .expect_success("import");
        let state =
            f.ws.state_resource("jetbackup_backup_job.n")
                .expect("imported");
        assert!(
            state["contains"]
                .as_array()
                .is_some_and(|c| c.iter().any(|v| v == "bit_1024")),
            "{state}"
        );
        assert_eq!(f.ws.plan_detailed().code, 0);
        f.apply_converged(&hcl("renamed"), "rename");
        assert_eq!(
            f.job(&job.id).contains,
            511 | 1024,
            "the unnamed bit was lost on update"
        );
    });
}
