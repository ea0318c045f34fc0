//! A whole backup policy as code: schedules, account filters, the jobs
//! that use them, a pre-backup hook and a failure notification, from an
//! empty server, in one configuration; and the
//! configurations of schedules and filters that must fail at plan. Real
//! Terraform against `jetbackup-sim`, on every Terraform CLI found.

mod support;

use jetbackup::api::object::account_filter::ACCOUNT_FILTER;
use jetbackup::api::object::hook::HOOK;
use jetbackup::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use jetbackup::api::object::schedule::SCHEDULE;
use jetbackup::api::object::Val;
use jetbackup::sim::seed::{builtin, SimData, DEST_LOCAL_ID};
use support::for_each_terraform;
use support::{config, Fixture};

/// A seed file with the built-in destinations and nothing else.
fn destinations_only(dir: &std::path::Path) -> String {
    let data = SimData {
        destinations: builtin().destinations,
        ..SimData::default()
    };
    let path = dir.join("seed.json");
    std::fs::write(&path, serde_json::to_string(&data).expect("seed")).expect("write seed");
    path.display().to_string()
}

fn policy() -> String {
    config(&format!(
        r#"resource "jetbackup_schedule" "twice_a_week" {{
  name         = "Monday and Thursday"
  type         = "daily"
  days_of_week = ["monday", "thursday"]
}}

resource "jetbackup_schedule" "twice_a_month" {{
  name          = "1st and 15th"
  type          = "monthly"
  days_of_month = [1, 15]
}}

resource "jetbackup_account_filter" "no_resellers" {{
  name      = "Not these resellers"
  type      = "resellers"
  condition = "exclude"
  list      = ["reseller1", "reseller2"]
}}

resource "jetbackup_backup_job" "accounts" {{
  name        = "Accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  filters     = [[jetbackup_account_filter.no_resellers.group_id]]
  schedules {{
    id     = jetbackup_schedule.twice_a_week.id
    retain = 4
  }}
  schedules {{
    id     = jetbackup_schedule.twice_a_month.id
    retain = 6
  }}
}}

resource "jetbackup_hook" "dump" {{
  name           = "Dump databases first"
  script         = "/root/hooks/dump.sh"
  when           = "pre"
  on             = "backup"
  backup_job_ids = [jetbackup_backup_job.accounts.id]
  disabled       = true
}}

resource "jetbackup_notification_integration" "failures" {{
  name        = "Failures"
  type        = "email"
  recipients  = ["ops@example.com"]
  critical    = "realtime"
  warning     = "daily"
  information = "daily"
}}
"#
    ))
}

#[test]
fn a_whole_policy_applies_to_an_empty_server_and_destroys_in_order() {
    for_each_terraform(|cli| {
        let seed_dir = tempfile::tempdir().expect("tempdir");
        let seed = destinations_only(seed_dir.path());
        let f = Fixture::with_sim_args(cli, &["--seed", &seed]);
        assert!(f.objects(&SCHEDULE).is_empty() && f.objects(&ACCOUNT_FILTER).is_empty());
        f.apply_converged(&policy(), "the whole policy");

        let job =
            f.rt.block_on(
                f.api
                    .get_backup_job(&f.state_id("jetbackup_backup_job.accounts")),
            )
            .expect("job");
        let group = f.state_attr("jetbackup_account_filter.no_resellers", "group_id");
        assert_eq!(
            job.filters,
            vec![vec![group.as_str().expect("group_id").to_string()]]
        );
        let mut scheduled: Vec<(String, i64)> = job
            .schedules
            .iter()
            .map(|s| (s.id.to_string(), *s.retain))
            .collect();
        scheduled.sort();
        let mut want = vec![
            (f.state_id("jetbackup_schedule.twice_a_week"), 4),
            (f.state_id("jetbackup_schedule.twice_a_month"), 6),
        ];
        want.sort();
        assert_eq!(scheduled, want);
        let daily = f
            .object(&SCHEDULE, &f.state_id("jetbackup_schedule.twice_a_week"))
            .expect("daily");
        assert_eq!(
            daily.get("days_of_week"),
            Some(&Val::Texts(
                ["monday".to_string(), "thursday".to_string()].into()
            ))
        );
        let monthly = f
            .object(&SCHEDULE, &f.state_id("jetbackup_schedule.twice_a_month"))
            .expect("monthly");
        assert_eq!(
            monthly.get("days_of_month"),
            Some(&Val::Ints([1, 15].into()))
        );
        // The hook runs before the job, the failures go to ops.
        let hook = f
            .object(&HOOK, &f.state_id("jetbackup_hook.dump"))
            .expect("hook");
        assert_eq!(
            hook.get("backup_job_ids"),
            Some(&Val::Texts([job.id.to_string()].into()))
        );
        assert_eq!(hook.get("when"), Some(&Val::Text("pre".into())));
        let failures = f
            .object(
                &NOTIFICATION_INTEGRATION,
                &f.state_id("jetbackup_notification_integration.failures"),
            )
            .expect("integration");
        assert_eq!(
            failures.get("recipients"),
            Some(&Val::Texts(["ops@example.com".to_string()].into()))
        );
        assert_eq!(
            failures.get("critical"),
            Some(&Val::Text("realtime".into()))
        );
        // A refresh reads each kind with one listing, not one get per object.
        f.sim.reset_stats().expect("reset stats");
        assert_eq!(f.ws.plan_detailed().code, 0);
        let stats = f.sim.stats().expect("stats");
        for (get, list) in [
            ("getSchedule", "listSchedules"),
            ("getAccountFilter", "listAccountFilters"),
            ("getHook", "listHooks"),
            ("getNotificationIntegration", "listNotificationIntegrations"),
        ] {
            assert_eq!(
                stats["calls"][get].as_u64().unwrap_or(0),
                0,
                "{get}: {stats}"
            );
            assert!(
                stats["calls"][list].as_u64().unwrap_or(0) >= 1,
                "{list}: {stats}"
            );
        }
        // The counts the server reports follow on the next refresh.
        f.ws.apply().expect_success("refresh");
        assert_eq!(
            f.state_attr("jetbackup_schedule.twice_a_week", "job_count"),
            serde_json::json!(1)
        );
        assert_eq!(
            f.state_attr("jetbackup_account_filter.no_resellers", "job_count"),
            serde_json::json!(1)
        );

        f.ws.destroy().expect_success("destroy");
        assert!(f
            .rt
            .block_on(f.api.list_backup_jobs(&Default::default()))
            .expect("jobs")
            .is_empty());
        assert!(f.objects(&SCHEDULE).is_empty(), "schedules left");
        assert!(f.objects(&ACCOUNT_FILTER).is_empty(), "filters left");
        assert!(f.objects(&HOOK).is_empty(), "hooks left");
        assert!(
            f.objects(&NOTIFICATION_INTEGRATION).is_empty(),
            "integrations left"
        );
    });
}

#[test]
fn an_after_job_schedule_follows_a_job_of_the_same_apply() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = format!(
            r#"resource "jetbackup_backup_job" "first" {{
  name        = "First"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
}}

resource "jetbackup_schedule" "after_first" {{
  name         = "30 minutes after First"
  type         = "after_job"
  after_job_id = jetbackup_backup_job.first.id
  delay_amount = 30
  delay_unit   = "minutes"
}}

resource "jetbackup_backup_job" "second" {{
  name        = "Second"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  schedules {{
    id     = jetbackup_schedule.after_first.id
    retain = 2
  }}
}}
"#
        );
        f.apply_converged(&config(&hcl), "chained jobs");
        let first = f.state_id("jetbackup_backup_job.first");
        let schedule = f
            .object(&SCHEDULE, &f.state_id("jetbackup_schedule.after_first"))
            .expect("schedule");
        assert_eq!(schedule.get("after_job_id"), Some(&Val::Text(first)));
        assert_eq!(schedule.get("delay_amount"), Some(&Val::Int(30)));
        assert_eq!(
            schedule.get("delay_unit"),
            Some(&Val::Text("minutes".into()))
        );
        let second =
            f.rt.block_on(
                f.api
                    .get_backup_job(&f.state_id("jetbackup_backup_job.second")),
            )
            .expect("second");
        assert_eq!(second.schedules.len(), 1);
        assert_eq!(
            second.schedules[0].id,
            f.state_id("jetbackup_schedule.after_first")
        );
        f.ws.destroy().expect_success("destroy");
    });
}

/// (resource type, settings, what the error must say). Each case becomes its
/// own resource `bad_<n>` of one configuration.
fn invalid_cases() -> Vec<(&'static str, &'static str, &'static str)> {
    let s = "jetbackup_schedule";
    let f = "jetbackup_account_filter";
    vec![
        (s, "name = \"x\"\n type = \"yearly\"", "\"hourly\", \"daily\", \"weekly\", \"monthly\", \"after_job\""),
        (s, "name = \"x\"\n type = \"hourly\"\n every_hours = 5", "1, 2, 3, 4, 6, 8, 12"),
        (s, "name = \"x\"\n type = \"daily\"\n days_of_week = [\"monday\"]\n every_hours = 6", "every_hours does not apply when type = \"daily\""),
        (s, "name = \"x\"\n type = \"daily\"", "days_of_week is required when type = \"daily\""),
        (s, "name = \"x\"\n type = \"daily\"\n days_of_week = [\"mon\"]", "\"sunday\", \"monday\", \"tuesday\""),
        (s, "name = \"x\"\n type = \"daily\"\n days_of_week = []", "days_of_week is empty"),
        (s, "name = \"x\"\n type = \"weekly\"\n day_of_week = \"Friday\"", "day_of_week is \"Friday\""),
        (s, "name = \"x\"\n type = \"monthly\"\n days_of_month = [0, 15]", "integers from 1 to 31"),
        (s, "name = \"x\"\n type = \"monthly\"\n days_of_month = [32]", "days_of_month holds 32"),
        (s, "name = \"x\"\n type = \"after_job\"\n after_job_id = \"job1\"", "24 hexadecimal digits"),
        (s, "name = \"x\"\n type = \"after_job\"\n after_job_id = \"6504c79fd4b57d536c05bbe2\"\n delay_unit = \"weeks\"", "\"minutes\", \"hours\", \"days\""),
        (s, "name = \"x\"\n type = \"after_job\"\n after_job_id = \"6504c79fd4b57d536c05bbe2\"\n delay_amount = -5", "an integer from 0 to 9007199254740991"),
        (s, "name = \"x\"\n type = \"daily\"\n days_of_week = [\"monday\"]\n delay_amount = 10", "delay_amount does not apply when type = \"daily\""),
        (s, "name = \" \"\n type = \"hourly\"\n every_hours = 1", "name is empty"),
        (s, "name = \"x\"\n type = \"hourly\"\n every_hours = 1\n job_count = 3", "job_count is read-only"),
        (f, "name = \"x\"\n type = \"domains\"\n condition = \"include\"", "\"accounts\", \"resellers\", \"suspended\""),
        (f, "name = \"x\"\n type = \"suspended\"\n condition = \"maybe\"", "\"include\", \"exclude\""),
        (f, "name = \"x\"\n type = \"accounts\"\n condition = \"include\"", "list is required when type = \"accounts\""),
        (f, "name = \"x\"\n type = \"resellers\"\n condition = \"include\"\n list = [\"r\"]\n usage = 5", "usage does not apply when type = \"resellers\""),
        (f, "name = \"x\"\n type = \"character_range\"\n condition = \"include\"\n range_start = \"AB\"\n range_end = \"z\"", "one character out of"),
        (f, "name = \"x\"\n type = \"disk_usage\"\n condition = \"include\"\n usage = -1", "usage is -1"),
        (f, "name = \"x\"\n type = \"packages\"\n condition = \"exclude\"\n list = [\"\"]", "list holds an empty string"),
        (f, "name = \"x\"\n type = \"regex\"\n condition = \"exclude\"\n regex = \"\"", "regex is empty"),
        (f, "name = \"x\"\n type = \"encrypted\"\n condition = \"exclude\"\n group_id = \"6504c79fd4b57d536c05bbe2\"", "group_id is read-only"),
    ]
}

#[test]
fn invalid_schedules_and_filters_fail_at_plan_and_never_reach_the_api() {
    let cases = invalid_cases();
    assert!(cases.len() >= 15);
    let hcl: String = cases
        .iter()
        .enumerate()
        .map(|(i, (ty, settings, _))| {
            format!("resource \"{ty}\" \"bad_{i}\" {{\n {settings}\n}}\n\n")
        })
        .collect();
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.ws.write_config(&config(&hcl));
        let plan = f.ws.run(&["plan", "-input=false"]);
        assert!(
            !plan.success(),
            "these configurations must be refused:\n{plan}"
        );
        let text = plan.combined();
        // One error block per diagnostic: "Error: …" up to the next one.
        let blocks: Vec<String> = text
            .split("Error: ")
            .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for (i, (ty, settings, expected)) in cases.iter().enumerate() {
            let addr = format!("with {ty}.bad_{i},");
            assert!(
                blocks
                    .iter()
                    .any(|b| b.contains(&addr) && b.contains(expected)),
                "no error saying {expected:?} on {ty}.bad_{i} ({settings}) on {cli}:\n{text}"
            );
        }
        assert_eq!(
            f.write_calls(),
            0,
            "an invalid configuration reached the API"
        );
        assert_eq!(f.objects(&SCHEDULE).len(), 3, "only the seed's schedules");
    });
}

#[test]
fn lost_create_replies_never_double_a_schedule_or_a_filter() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        // Every create commits, but its reply never arrives.
        f.sim
            .set_faults("manageSchedule:lost,manageAccountFilter:lost-drop")
            .expect("fault script");
        let hcl = r#"resource "jetbackup_schedule" "s" {
  name        = "Lost reply"
  type        = "hourly"
  every_hours = 4
}

resource "jetbackup_account_filter" "f" {
  name      = "Lost reply"
  type      = "suspended"
  condition = "exclude"
}
"#;
        f.apply_converged(&config(hcl), "creates whose replies are lost");
        let named = |kind| {
            f.objects(kind)
                .into_iter()
                .filter(|(_, v)| v.get("name") == Some(&Val::Text("Lost reply".into())))
                .map(|(id, _)| id)
                .collect::<Vec<_>>()
        };
        assert_eq!(named(&SCHEDULE), vec![f.state_id("jetbackup_schedule.s")]);
        assert_eq!(
            named(&ACCOUNT_FILTER),
            vec![f.state_id("jetbackup_account_filter.f")]
        );
        let stats = f.sim.stats().expect("stats");
        assert_eq!(stats["faults"]["lost_reply"], 2, "{stats}");
        f.ws.destroy().expect_success("destroy");
    });
}

/// Error blocks of a failed command, each on one line.
fn error_blocks(text: &str) -> Vec<String> {
    text.split("Error: ")
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn numbers_not_whole_or_out_of_range_fail_at_plan_on_their_attribute_with_its_range() {
    use jetbackup::sim::seed::SCHEDULE_DAILY_ID;
    // (resource address, body, what the error on it must say)
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "jetbackup_schedule.hours",
            "name = \"h\"\n type = \"hourly\"\n every_hours = 1.5".to_string(),
            "every_hours is 1.5",
        ),
        (
            "jetbackup_destination.threads",
            "name = \"d\"\n threads = 2.5\n local {\n path = \"/b\"\n }".to_string(),
            "allowed: an integer from 1 to 400",
        ),
        (
            "jetbackup_backup_job.huge",
            format!(
                "name = \"j1\"\n type = \"accounts\"\n structure = \"incremental\"\n destination = [\"{DEST_LOCAL_ID}\"]\n schedules {{\n id = \"{SCHEDULE_DAILY_ID}\"\n retain = 9223372036854775807\n }}"
            ),
            "retain is 9223372036854775807; allowed: an integer from 0 to 100000",
        ),
        (
            "jetbackup_backup_job.half",
            format!(
                "name = \"j2\"\n type = \"accounts\"\n structure = \"incremental\"\n destination = [\"{DEST_LOCAL_ID}\"]\n schedules {{\n id = \"{SCHEDULE_DAILY_ID}\"\n retain = 1.5\n }}\n monitor {{\n ranfor = 0.5\n notran = 1\n }}"
            ),
            "retain is 1.5",
        ),
        (
            "jetbackup_backup_job.half",
            String::new(),
            "ranfor is 0.5",
        ),
    ];
    let hcl: String = cases
        .iter()
        .filter(|(_, body, _)| !body.is_empty())
        .map(|(addr, body, _)| {
            let (ty, name) = addr.split_once('.').expect("an address");
            format!("resource \"{ty}\" \"{name}\" {{\n {body}\n}}\n\n")
        })
        .collect();
    // The same, from a variable: known only at plan, checked there.
    let from_variable = format!(
        r#"variable "retain" {{
  type    = number
  default = 1e30
}}

resource "jetbackup_backup_job" "from_variable" {{
  name        = "j3"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  schedules {{
    id     = "{SCHEDULE_DAILY_ID}"
    retain = var.retain
  }}
}}
"#
    );
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.ws.write_config(&config(&hcl));
        let plan = f.ws.run(&["plan", "-input=false"]);
        assert!(!plan.success(), "these numbers must be refused:\n{plan}");
        let text = plan.combined();
        assert!(!text.contains("untagged enum"), "{text}");
        let blocks = error_blocks(&text);
        for (addr, _, expected) in &cases {
            let with = format!("with {addr},");
            assert!(
                blocks
                    .iter()
                    .any(|b| b.contains(&with) && b.contains(expected)),
                "no error saying {expected:?} on {addr} on {cli}:\n{text}"
            );
        }

        f.ws.write_config(&config(&from_variable));
        let plan = f.ws.run(&["plan", "-input=false"]);
        assert!(!plan.success(), "retain = 1e30 must be refused:\n{plan}");
        let text = plan.combined();
        assert!(!text.contains("untagged enum"), "{text}");
        assert!(
            error_blocks(&text)
                .iter()
                .any(|b| b.contains("with jetbackup_backup_job.from_variable,")
                    && b.contains("retain is 1000000000000000000000000000000")
                    && b.contains("from 0 to 100000")),
            "no error on retain from the variable on {cli}:\n{text}"
        );
        assert_eq!(f.write_calls(), 0, "an invalid number reached the API");
    });
}
