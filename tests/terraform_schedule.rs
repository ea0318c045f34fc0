//! `jetbackup_schedule` end to end: a real Terraform CLI, the provider binary
//! and a `jetbackup-sim` on loopback. Each test is one user story and runs
//! against every Terraform CLI found.

mod support;

use jetbackup::api::client::decode_object;
use jetbackup::api::job::Param;
use jetbackup::api::object::schedule::SCHEDULE;
use jetbackup::api::object::{Val, Values};
use serde_json::json;
use support::{config, Fixture};
use support::{for_each_terraform, minimal_job};

fn schedule(settings: &str) -> String {
    config(&format!(
        "resource \"jetbackup_schedule\" \"s\" {{\n{settings}\n}}\n"
    ))
}

fn texts(items: &[&str]) -> Val {
    Val::Texts(items.iter().map(|s| s.to_string()).collect())
}

/// Applies a change and checks the plan said "in place" and the ID stayed.
fn change_in_place(f: &Fixture, settings: &str, what: &str) {
    f.ws.write_config(&schedule(settings));
    let plan = f.ws.plan_detailed();
    assert!(
        plan.code == 2 && plan.mentions("0 to add, 1 to change, 0 to destroy"),
        "{what}: expected an in-place update on {}:\n{plan}",
        f.ws.cli()
    );
    let before = f.state_id("jetbackup_schedule.s");
    f.apply_converged(&schedule(settings), what);
    assert_eq!(
        f.state_id("jetbackup_schedule.s"),
        before,
        "{what}: the ID changed"
    );
}

/// Creates a schedule through the API, as someone in the panel would.
fn panel_schedule(f: &Fixture, values: &Values) -> String {
    let reply =
        f.rt.block_on(f.api.create_object(&SCHEDULE, values))
            .expect("manageSchedule");
    decode_object("manageSchedule", &SCHEDULE, &reply)
        .expect("decodes")
        .0
}

fn daily(name: &str, days: &[&str]) -> Values {
    let mut v = Values::new();
    v.insert("name", Val::Text(name.into()));
    v.insert("type", Val::Text("daily".into()));
    v.insert("days_of_week", texts(days));
    v
}

#[test]
fn every_schedule_setting_changes_in_place_and_plans_clean() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let job =
            f.rt.block_on(f.api.create_backup_job(&minimal_job("Followed")))
                .expect("a job to follow")
                .id;
        f.apply_converged(
            &schedule("  name = \"Twice a week\"\n  type = \"daily\"\n  days_of_week = [\"monday\", \"thursday\"]"),
            "create daily",
        );
        let id = f.state_id("jetbackup_schedule.s");
        let held = f.object(&SCHEDULE, &id).expect("created");
        assert_eq!(
            held,
            daily("Twice a week", &["monday", "thursday"])
                .into_iter()
                .chain([
                    ("owner", Val::Text("6503d48bfc45b1addf0a9632".into())),
                    ("owner_name", Val::Text("root".into())),
                    ("job_count", Val::Int(0))
                ])
                .collect()
        );
        assert_eq!(
            f.state_attr("jetbackup_schedule.s", "owner_name"),
            json!("root")
        );
        assert_eq!(f.state_attr("jetbackup_schedule.s", "job_count"), json!(0));

        change_in_place(
            &f,
            "  name = \"Sundays\"\n  type = \"daily\"\n  days_of_week = [\"sunday\"]",
            "rename and other days",
        );
        change_in_place(
            &f,
            "  name = \"Sundays\"\n  type = \"monthly\"\n  days_of_month = [1, 15, 31]",
            "daily to monthly",
        );
        change_in_place(
            &f,
            "  name = \"Sundays\"\n  type = \"hourly\"\n  every_hours = 12",
            "monthly to hourly",
        );
        change_in_place(
            &f,
            "  name = \"Sundays\"\n  type = \"weekly\"\n  day_of_week = \"saturday\"",
            "hourly to weekly",
        );
        change_in_place(
            &f,
            &format!("  name = \"After\"\n  type = \"after_job\"\n  after_job_id = \"{job}\"\n  delay_amount = 2\n  delay_unit = \"hours\""),
            "weekly to after_job",
        );
        let held = f.object(&SCHEDULE, &id).expect("still there");
        assert_eq!(held.get("after_job_id"), Some(&Val::Text(job.to_string())));
        assert_eq!(held.get("delay_unit"), Some(&Val::Text("hours".into())));
        assert_eq!(held.get("delay_amount"), Some(&Val::Int(2)));
        // Unset delay settings mean no delay, not "whatever the server has".
        change_in_place(
            &f,
            &format!("  name = \"After\"\n  type = \"after_job\"\n  after_job_id = \"{job}\""),
            "delay back to its default",
        );
        let held = f.object(&SCHEDULE, &id).expect("still there");
        assert_eq!(
            (held.get("delay_amount"), held.get("delay_unit")),
            (Some(&Val::Int(0)), Some(&Val::Text("minutes".into())))
        );
        change_in_place(&f, "  name = \"Back to daily\"\n  type = \"daily\"\n  days_of_week = [\"friday\", \"tuesday\"]", "after_job to daily");
        assert_eq!(
            f.state_attr("jetbackup_schedule.s", "delay_amount"),
            json!(null)
        );

        f.ws.destroy().expect_success("destroy");
        assert!(
            f.object(&SCHEDULE, &id).is_none(),
            "destroy left the schedule"
        );
    });
}

#[test]
fn import_by_id_and_by_import_block_then_plan_is_empty() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let id = panel_schedule(&f, &daily("From the panel", &["monday", "wednesday"]));
        let hcl = schedule("  name = \"From the panel\"\n  type = \"daily\"\n  days_of_week = [\"wednesday\", \"monday\"]");
        f.ws.write_config(&hcl);
        let bad = f.ws.import("jetbackup_schedule.s", "not-an-id");
        assert!(!bad.success() && bad.mentions("24 hexadecimal"), "{bad}");
        f.ws.import("jetbackup_schedule.s", &id)
            .expect_success("import");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after import on {cli}:\n{plan}");

        let other = panel_schedule(&f, &{
            let mut v = Values::new();
            v.insert("name", Val::Text("Generated".into()));
            v.insert("type", Val::Text("monthly".into()));
            v.insert("days_of_month", Val::Ints([1, 15].into()));
            v
        });
        f.ws.write_config(&format!(
            "{hcl}\nimport {{\n  to = jetbackup_schedule.g\n  id = \"{other}\"\n}}\n"
        ));
        f.ws.run(&["plan", "-generate-config-out=generated.tf"])
            .expect_success("generate config");
        let before = f.write_calls();
        f.ws.apply().expect_success("apply the import");
        assert_eq!(f.write_calls(), before, "importing wrote to the server");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after the import block on {cli}:\n{plan}");
        assert_eq!(f.state_id("jetbackup_schedule.g"), other);
    });
}

#[test]
fn a_schedule_changed_or_deleted_in_the_panel_is_planned_back() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = schedule(
            "  name = \"Weekdays\"\n  type = \"daily\"\n  days_of_week = [\"monday\", \"tuesday\"]",
        );
        f.apply_converged(&hcl, "create");
        let id = f.state_id("jetbackup_schedule.s");
        let prior = daily("Weekdays", &["monday", "tuesday"]);
        let mut edited = daily("Edited in the panel", &["sunday"]);
        edited.remove("type");
        edited.insert("type", Val::Text("daily".into()));
        f.edit_in_panel(&SCHEDULE, &id, &prior, &edited);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2
                && plan.mentions("updated in-place")
                && plan.mentions("Edited in the panel"),
            "{plan}"
        );
        f.apply_converged(&hcl, "repair the edit");
        assert_eq!(
            f.object(&SCHEDULE, &id).expect("there").get("name"),
            Some(&Val::Text("Weekdays".into()))
        );

        f.rt.block_on(f.api.delete_object(&SCHEDULE, &id))
            .expect("delete in the panel");
        let plan = f.ws.plan_detailed();
        assert!(plan.code == 2 && plan.mentions("will be created"), "{plan}");
        f.apply_converged(&hcl, "re-create");
        assert_ne!(f.state_id("jetbackup_schedule.s"), id);
    });
}

#[test]
fn deleting_a_schedule_a_job_outside_terraform_uses_fails_and_keeps_it() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.apply_converged(
            &schedule("  name = \"Shared\"\n  type = \"hourly\"\n  every_hours = 6"),
            "create",
        );
        let id = f.state_id("jetbackup_schedule.s");
        let mut spec = minimal_job("Made in the panel");
        spec.set(
            Param::Schedules,
            vec![jetbackup::api::job::ScheduleRef {
                id: id.clone(),
                retain: 3,
            }],
        );
        let job =
            f.rt.block_on(f.api.create_backup_job(&spec))
                .expect("job outside Terraform");
        let out = f.ws.destroy();
        assert!(!out.success(), "destroy succeeded on {cli}:\n{out}");
        assert!(
            out.mentions("Made in the panel") && out.mentions("deleteSchedule"),
            "{out}"
        );
        assert_eq!(
            f.state_id("jetbackup_schedule.s"),
            id,
            "the schedule left the state"
        );
        assert!(f.object(&SCHEDULE, &id).is_some());
        f.rt.block_on(f.api.delete_backup_job(&job.id))
            .expect("detach");
        f.ws.destroy().expect_success("destroy once unused");
        assert!(f.object(&SCHEDULE, &id).is_none());
    });
}

#[test]
fn a_refused_create_shows_jetbackups_message_on_the_attribute_and_records_nothing() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        // Well-formed, so plan passes; no such job, so JetBackup refuses.
        let hcl = schedule("  name = \"After nothing\"\n  type = \"after_job\"\n  after_job_id = \"6504c79fd4b57d536c05bbe2\"");
        f.ws.write_config(&hcl);
        let out = f.ws.apply();
        assert!(!out.success(), "the create succeeded on {cli}:\n{out}");
        let text = out
            .combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("manageSchedule")
                && text.contains("not found")
                && text.contains("after_job_id"),
            "the error must quote JetBackup and point at after_job_id:\n{out}"
        );
        assert!(
            f.ws.state_resource("jetbackup_schedule.s").is_none(),
            "a refused create was recorded"
        );
        assert_eq!(f.objects(&SCHEDULE).len(), 3, "only the seed's schedules");
    });
}
