//! A server's policy in one apply: the job's sets hold IDs of objects
//! created in the same apply and values known only after apply, so at plan
//! their elements are unknown. Terraform never takes two unknown elements
//! for equal; the provider must not either, or the apply fails with
//! "block set length changed from 1 to 2". On every Terraform CLI found.
//! (The property test over every set of every resource is
//! `set_unknowns_properties.rs`.)

mod support;

use jetbackup::api::job::BackupJob;
use jetbackup::sim::seed::DEST_LOCAL_ID;
use support::for_each_terraform;
use support::{config, Fixture};

/// A schedule created in the same apply as the job that uses it.
const SCHEDULE_A: &str = r#"resource "jetbackup_schedule" "a" {
  name         = "A"
  type         = "daily"
  days_of_week = ["monday"]
}
"#;

fn the_job(f: &Fixture, name: &str) -> BackupJob {
    f.jobs()
        .into_iter()
        .find(|j| j.name == name)
        .unwrap_or_else(|| panic!("no job named {name:?} on the server"))
}

/// The issue's configuration: two schedules created with the job, both kept
/// for 7 backups.
#[test]
fn two_new_schedules_with_the_same_retain() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = config(&format!(
            r#"
{SCHEDULE_A}
resource "jetbackup_schedule" "b" {{
  name         = "B"
  type         = "daily"
  days_of_week = ["friday"]
}}

resource "jetbackup_backup_job" "j" {{
  name        = "two schedules, same retain"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]

  schedules {{
    id     = jetbackup_schedule.a.id
    retain = 7
  }}
  schedules {{
    id     = jetbackup_schedule.b.id
    retain = 7
  }}
}}
"#
        ));
        f.apply_converged(&hcl, "two new schedules");
        let job = the_job(&f, "two schedules, same retain");
        let mut held: Vec<(String, i64)> = job
            .schedules
            .iter()
            .map(|s| (s.id.to_string(), *s.retain))
            .collect();
        held.sort();
        let mut want = vec![
            (f.state_id("jetbackup_schedule.a"), 7),
            (f.state_id("jetbackup_schedule.b"), 7),
        ];
        want.sort();
        assert_eq!(held, want, "on {cli}");
    });
}

/// Two filters created with the job, their groups in one row of `filters`
/// (either group), and two `include_list` paths known only after apply.
#[test]
fn two_new_filter_groups_in_one_row_and_paths_known_after_apply() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = config(&format!(
            r#"
resource "jetbackup_account_filter" "a" {{
  name      = "Team A"
  type      = "accounts"
  condition = "include"
  list      = ["alice"]
}}

resource "jetbackup_account_filter" "b" {{
  name      = "Team B"
  type      = "accounts"
  condition = "include"
  list      = ["bob"]
}}

resource "jetbackup_backup_job" "accounts" {{
  name        = "teams"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
  filters     = [[jetbackup_account_filter.a.group_id, jetbackup_account_filter.b.group_id]]
}}

# Values Terraform knows only after apply, as a module output or another
# provider's attribute would be.
resource "terraform_data" "web" {{
  input = "/var/www"
}}

resource "terraform_data" "etc" {{
  input = "/etc"
}}

resource "jetbackup_backup_job" "dirs" {{
  name         = "two paths"
  type         = "directories"
  structure    = "archived"
  destination  = ["{DEST_LOCAL_ID}"]
  include_list = [terraform_data.web.output, terraform_data.etc.output]
}}
"#
        ));
        f.apply_converged(&hcl, "filters and paths");
        let accounts = the_job(&f, "teams");
        let mut row = accounts.filters.first().cloned().unwrap_or_default();
        row.sort();
        let mut want = vec![
            f.state_attr("jetbackup_account_filter.a", "group_id")
                .as_str()
                .unwrap_or_default()
                .to_string(),
            f.state_attr("jetbackup_account_filter.b", "group_id")
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ];
        want.sort();
        assert_eq!(accounts.filters.len(), 1, "one row on {cli}");
        assert_eq!(row, want, "both groups in the row on {cli}");
        let dirs = the_job(&f, "two paths");
        let mut paths: Vec<String> = dirs.include_list.iter().map(|p| p.to_string()).collect();
        paths.sort();
        assert_eq!(paths, ["/etc", "/var/www"], "on {cli}");
    });
}

/// Two blocks that name the same new schedule with the same retain are one
/// block once the ID is known: Terraform merges them, and the job gets the
/// schedule once.
#[test]
fn two_references_to_one_new_schedule_merge() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let hcl = config(&format!(
            r#"
{SCHEDULE_A}
locals {{
  same = jetbackup_schedule.a.id
}}

resource "jetbackup_backup_job" "j" {{
  name        = "one schedule named twice"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]

  schedules {{
    id     = jetbackup_schedule.a.id
    retain = 7
  }}
  schedules {{
    id     = local.same
    retain = 7
  }}
}}
"#
        ));
        f.apply_converged(&hcl, "one schedule named twice");
        let job = the_job(&f, "one schedule named twice");
        assert_eq!(job.schedules.len(), 1, "on {cli}: {:?}", job.schedules);
    });
}
