//! `jetbackup_account_filter` end to end: a real Terraform CLI, the provider
//! binary and a `jetbackup-sim` on loopback, on every Terraform CLI found.

mod support;

use jetbackup::api::client::decode_object;
use jetbackup::api::object::account_filter::ACCOUNT_FILTER;
use jetbackup::api::object::{Val, Values};
use serde_json::json;
use support::for_each_terraform;
use support::{config, Fixture};

fn filter(settings: &str) -> String {
    config(&format!(
        "resource \"jetbackup_account_filter\" \"f\" {{\n{settings}\n}}\n"
    ))
}

fn resellers(name: &str, condition: &str, list: &[&str]) -> Values {
    let mut v = Values::new();
    v.insert("name", Val::Text(name.into()));
    v.insert("type", Val::Text("resellers".into()));
    v.insert("condition", Val::Text(condition.into()));
    v.insert(
        "list",
        Val::Texts(list.iter().map(|s| s.to_string()).collect()),
    );
    v
}

/// Plans and applies `settings`; `replaces` says whether the plan must
/// replace the filter (else update it in place, keeping its ID).
fn change(f: &Fixture, settings: &str, replaces: bool, what: &str) {
    f.ws.write_config(&filter(settings));
    let plan = f.ws.plan_detailed();
    let (summary, marker) = if replaces {
        ("1 to add, 0 to change, 1 to destroy", "forces replacement")
    } else {
        ("0 to add, 1 to change, 0 to destroy", "updated in-place")
    };
    assert!(
        plan.code == 2 && plan.mentions(summary) && plan.mentions(marker),
        "{what}: expected `{summary}` on {}:\n{plan}",
        f.ws.cli()
    );
    let before = f.state_id("jetbackup_account_filter.f");
    f.apply_converged(&filter(settings), what);
    let after = f.state_id("jetbackup_account_filter.f");
    assert_eq!(after != before, replaces, "{what}: ID {before} -> {after}");
}

#[test]
fn every_filter_attribute_changes_in_place_or_replaces_and_plans_clean() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        f.apply_converged(
            &filter("  name = \"No resellers\"\n  type = \"resellers\"\n  condition = \"exclude\"\n  list = [\"res1\", \"res2\"]"),
            "create",
        );
        let id = f.state_id("jetbackup_account_filter.f");
        let held = f.object(&ACCOUNT_FILTER, &id).expect("created");
        for (attr, want) in resellers("No resellers", "exclude", &["res1", "res2"]) {
            assert_eq!(held.get(attr), Some(&want), "{attr}");
        }
        let group = f.state_attr("jetbackup_account_filter.f", "group_id");
        assert_eq!(
            held.get("group_id").map(|g| json!(match g {
                Val::Text(t) => t.as_str(),
                _ => "",
            })),
            Some(group.clone())
        );
        assert_eq!(
            f.state_attr("jetbackup_account_filter.f", "owner_name"),
            json!("root")
        );

        change(&f, "  name = \"Only these resellers\"\n  type = \"resellers\"\n  condition = \"include\"\n  list = [\"res3\"]", false, "name, condition and list");
        assert_eq!(
            f.state_attr("jetbackup_account_filter.f", "group_id"),
            group,
            "the group stays"
        );
        change(&f, "  name = \"Big\"\n  type = \"disk_usage\"\n  condition = \"include\"\n  usage = 1073741824", true, "type to disk_usage");
        change(&f, "  name = \"Big\"\n  type = \"disk_usage\"\n  condition = \"include\"\n  usage = 2147483648", false, "usage");
        change(&f, "  name = \"a to m\"\n  type = \"character_range\"\n  condition = \"include\"\n  range_start = \"a\"\n  range_end = \"m\"", true, "type to character_range");
        change(&f, "  name = \"0 to z\"\n  type = \"character_range\"\n  condition = \"exclude\"\n  range_start = \"0\"\n  range_end = \"z\"", false, "range");
        change(&f, "  name = \"ab\"\n  type = \"regex\"\n  condition = \"include\"\n  regex = \"/^[ab]/i\"", true, "type to regex");
        change(
            &f,
            "  name = \"ab\"\n  type = \"regex\"\n  condition = \"include\"\n  regex = \"/^c/\"",
            false,
            "regex",
        );
        change(
            &f,
            "  name = \"Suspended accounts\"\n  type = \"suspended\"\n  condition = \"exclude\"",
            true,
            "type to suspended",
        );
        let id = f.state_id("jetbackup_account_filter.f");
        f.ws.destroy().expect_success("destroy");
        assert!(
            f.object(&ACCOUNT_FILTER, &id).is_none(),
            "destroy left the filter"
        );
        assert_eq!(
            f.objects(&ACCOUNT_FILTER).len(),
            3,
            "only the seed's filters are left"
        );
    });
}

#[test]
fn import_and_drift_of_a_filter() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let prior = resellers("From the panel", "exclude", &["res1"]);
        let reply =
            f.rt.block_on(f.api.create_object(&ACCOUNT_FILTER, &prior))
                .expect("manageAccountFilter");
        let (id, _) =
            decode_object("manageAccountFilter", &ACCOUNT_FILTER, &reply).expect("decodes");
        let hcl = filter("  name = \"From the panel\"\n  type = \"resellers\"\n  condition = \"exclude\"\n  list = [\"res1\"]");
        f.ws.write_config(&hcl);
        f.ws.import("jetbackup_account_filter.f", &id)
            .expect_success("import");
        assert_eq!(f.ws.plan_detailed().code, 0, "plan after import");

        // Generated configuration of the same filter, from an import block.
        let gen = support::Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", f.sim.url()),
                ("JETBACKUP_API_TOKEN", support::fixture::TOKEN),
            ],
        );
        gen.write_config(&config(&format!(
            "import {{\n  to = jetbackup_account_filter.g\n  id = \"{id}\"\n}}\n"
        )));
        gen.run(&["plan", "-generate-config-out=generated.tf"])
            .expect_success("generate config");
        let before = f.write_calls();
        gen.apply().expect_success("apply the import");
        assert_eq!(f.write_calls(), before, "importing wrote to the server");
        assert_eq!(gen.plan_detailed().code, 0, "plan after the import block");

        // Edited in the panel: planned back.
        let edited = resellers("Edited", "include", &["res1", "res9"]);
        f.edit_in_panel(&ACCOUNT_FILTER, &id, &prior, &edited);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("updated in-place") && plan.mentions("res9"),
            "{plan}"
        );
        f.apply_converged(&hcl, "repair");
        assert_eq!(
            f.object(&ACCOUNT_FILTER, &id).expect("there").get("list"),
            prior.get("list")
        );

        // Deleted in the panel: planned for creation.
        f.rt.block_on(f.api.delete_object(&ACCOUNT_FILTER, &id))
            .expect("delete in the panel");
        let plan = f.ws.plan_detailed();
        assert!(plan.code == 2 && plan.mentions("will be created"), "{plan}");
        f.apply_converged(&hcl, "re-create");
    });
}

#[test]
fn a_filter_a_job_uses_changes_type_with_create_before_destroy() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = |settings: &str| {
            config(&format!(
                r#"resource "jetbackup_account_filter" "f" {{
{settings}
  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "jetbackup_backup_job" "j" {{
  name        = "Filtered"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{}"]
  filters     = [[jetbackup_account_filter.f.group_id]]
}}
"#,
                jetbackup::sim::seed::DEST_LOCAL_ID
            ))
        };
        f.apply_converged(
            &hcl("  name = \"r\"\n  type = \"resellers\"\n  condition = \"exclude\"\n  list = [\"res1\"]"),
            "job with a filter",
        );
        let old = f.state_id("jetbackup_account_filter.f");
        f.apply_converged(
            &hcl("  name = \"s\"\n  type = \"suspended\"\n  condition = \"exclude\""),
            "the filter's type changes under the job",
        );
        let group = f.state_attr("jetbackup_account_filter.f", "group_id");
        let job = f.job(&f.state_id("jetbackup_backup_job.j"));
        assert_eq!(
            job.filters,
            vec![vec![group.as_str().expect("group_id").to_string()]]
        );
        assert!(
            f.object(&ACCOUNT_FILTER, &old).is_none(),
            "the old filter is left"
        );
        f.ws.destroy().expect_success("destroy");
    });
}
