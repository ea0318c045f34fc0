//! The data a simulator starts with: the built-in seed, a `--seed FILE`, or a
//! `--state FILE` left by an earlier run (all the same JSON shape, the API's
//! own object shapes), plus the small fixed list of accounts that job and
//! schedule owners are resolved against.
//!
//! The built-in seed's IDs are fixed, valid ObjectIds exposed as constants so
//! that tests can reference them without listing first. It has no backup jobs
//! on purpose: tests count jobs.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::object::backup_job::BACKUP_JOB;
use crate::api::object::schedule::{
    type_name, DAILY as SCHEDULE_DAILY, HOURLY as SCHEDULE_HOURLY, WEEKLY as SCHEDULE_WEEKLY,
};
use crate::api::object::{decode, Record};
use crate::api::objectid::is_object_id;

/// The `root` account: default owner of everything the simulator creates.
/// (The ID is the root account ID of the vendor's example reply.)
pub const ROOT_ACCOUNT_ID: &str = "6503d48bfc45b1addf0a9632";
/// A reseller account, for `owner` tests.
pub const RESELLER_ACCOUNT_ID: &str = "6503d48bfc45b1addf0a9633";
/// A plain cPanel user account, for `owner` tests.
pub const USER_ACCOUNT_ID: &str = "6503d48bfc45b1addf0a9634";

/// A `Local` destination.
pub const DEST_LOCAL_ID: &str = "6503e7a1ebbf07708d06f1c1";
/// An `S3` destination whose secret key comes back masked.
pub const DEST_S3_ID: &str = "6503eec8ebbf07708d06f1d2";

/// Hourly schedule, every 6 hours.
pub const SCHEDULE_HOURLY_ID: &str = "6503f0a0ebbf07708d06f201";
/// Daily schedule, every day of the week.
pub const SCHEDULE_DAILY_ID: &str = "6503f0a0ebbf07708d06f202";
/// Weekly schedule, on Sundays.
pub const SCHEDULE_WEEKLY_ID: &str = "6503f0a0ebbf07708d06f203";

/// Account filter group "All Accounts".
pub const GROUP_A_ID: &str = "6503e82270c7bdb29f08c6b3";
/// Account filter group "Resellers".
pub const GROUP_B_ID: &str = "6503e82270c7bdb29f08c6b4";

/// The filters of the seed's groups (group B holds two, which only a seed
/// can make: JetBackup's API creates one group per filter).
pub const FILTER_ALL_ID: &str = "6503e82270c7bdb29f08c6c1";
pub const FILTER_RESELLERS_ID: &str = "6503e82270c7bdb29f08c6c2";
pub const FILTER_UNSUSPENDED_ID: &str = "6503e82270c7bdb29f08c6c3";

/// The masked form in which JetBackup returns a destination secret.
pub const MASKED_SECRET: &str = "JB|HIDDEN|********************";

/// An account that can own objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub id: &'static str,
    pub username: &'static str,
}

/// The accounts the simulator knows. JetBackup's account list comes from the
/// panel; the simulator has no account functions, so it is a fixed list.
pub const ACCOUNTS: &[Account] = &[
    Account {
        id: ROOT_ACCOUNT_ID,
        username: "root",
    },
    Account {
        id: RESELLER_ACCOUNT_ID,
        username: "reseller1",
    },
    Account {
        id: USER_ACCOUNT_ID,
        username: "alice",
    },
];

pub fn account(id: &str) -> Option<&'static Account> {
    ACCOUNTS.iter().find(|a| a.id == id)
}

/// Everything the simulator stores; also the shape of `--seed` and `--state`
/// files. Missing collections are empty. Every object is kept as the
/// [`Record`] its table's request made (in the server's own shape), so a
/// new row of a table is stored, returned and read back with no change
/// here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimData {
    pub destinations: Vec<Record>,
    pub schedules: Vec<Record>,
    pub account_filter_groups: Vec<Record>,
    pub account_filters: Vec<Record>,
    pub backup_jobs: Vec<Record>,
    pub hooks: Vec<Record>,
    pub notification_integrations: Vec<Record>,
    /// Plugins this server lacks, by type key: destination types (`S3`,
    /// `SSH`) and notification types (`Syslog`). Creating such an object is
    /// refused, and `listDestinationTypes` /
    /// `listNotificationIntegrationTypes` leave them out. Absent: every
    /// plugin is installed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_plugins: Vec<String>,
}

impl SimData {
    /// Every object ID in the data, for collision checks when minting new ones.
    pub fn contains_id(&self, id: &str) -> bool {
        self.records().any(|(_, o)| o.id() == id)
    }

    /// Every stored object, with its kind in words.
    fn records(&self) -> impl Iterator<Item = (&'static str, &Record)> {
        let kinds: [(&'static str, &Vec<Record>); 7] = [
            ("backup job", &self.backup_jobs),
            ("destination", &self.destinations),
            ("schedule", &self.schedules),
            ("account filter group", &self.account_filter_groups),
            ("account filter", &self.account_filters),
            ("hook", &self.hooks),
            ("notification integration", &self.notification_integrations),
        ];
        kinds
            .into_iter()
            .flat_map(|(kind, list)| list.iter().map(move |o| (kind, o)))
    }

    /// Refuses data the simulator could not serve consistently: an object
    /// without a valid ObjectId, or two objects with the same one.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for (kind, id) in self.records().map(|(kind, o)| (kind, o.id())) {
            if !is_object_id(id) {
                return Err(format!(
                    "{kind} {id:?}: `_id` is not a 24-hex-digit ObjectId"
                ));
            }
            if !seen.insert(id) {
                return Err(format!("{kind} {id}: `_id` is used twice"));
            }
        }
        // A job the client could not read back is refused here, naming it.
        for job in &self.backup_jobs {
            decode(&BACKUP_JOB, &job.to_json())
                .map_err(|e| format!("backup job {}: {e}", job.id()))?;
        }
        Ok(())
    }

    /// Reads a seed or state file.
    pub fn load(path: &Path) -> Result<SimData, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let data: SimData = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not simulator data: {e}", path.display()))?;
        data.check()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(data)
    }
}

/// The data a simulator starts with when given no `--seed`.
pub fn builtin() -> SimData {
    let root = |o: serde_json::Value| {
        let mut r = Record::from_json(o);
        r.set("owner", ROOT_ACCOUNT_ID);
        r.set("owner_name", "root");
        r
    };
    // What a server prints for every destination, set or not.
    let destination = |o: serde_json::Value| {
        let mut d = root(json!({
            "disabled": 0,
            "readonly": 0,
            "hidden": 0,
            "dr": 0,
            "disk_limit": 0,
        }));
        d.extend(Record::from_json(o).0);
        d
    };
    let local = destination(json!({
        "_id": DEST_LOCAL_ID,
        "name": "Local Backups",
        "type": "Local",
        "job_type": 1,
        "threads": 1,
        "disk_limit": 95,
        "options": {"path": "/backup"},
    }));
    let s3 = destination(json!({
        "_id": DEST_S3_ID,
        "name": "S3 Offsite",
        "type": "S3",
        "job_type": 1,
        "threads": 10,
        "options": {
            "path": "/jetbackup",
            "access_key": "AKIASIMULATOR0000000",
            "secret_key": MASKED_SECRET,
            "region": "us-west-1",
            "bucket": "backups",
            "endpoint": "s3.us-west-1.amazonaws.com",
        },
    }));
    let schedule = |id: &str, name: &str, t: i64, data: serde_json::Value| {
        root(json!({
            "_id": id,
            "name": name,
            "type": t,
            "type_name": type_name(t),
            "type_data": data,
            "delay_type": 1,
            "delay_amount": 0,
        }))
    };
    let group = |id: &str, name: &str, filters: &[&str]| {
        root(json!({
            "_id": id,
            "name": name,
            "filters": filters,
            "count": filters.len(),
        }))
    };
    // A seed filter of `group`; `settings` are its type's own fields.
    let filter = |id: &str, group: &str, name: &str, t: i64, condition: i64, settings| {
        let mut f = root(json!({
            "_id": id,
            "group_id": group,
            "type": t,
            "name": name,
            "condition": condition,
        }));
        f.extend(Record::from_json(settings).0);
        f
    };
    SimData {
        destinations: vec![local, s3],
        schedules: vec![
            schedule(
                SCHEDULE_HOURLY_ID,
                "Every 6 Hours",
                SCHEDULE_HOURLY,
                json!(6),
            ),
            schedule(
                SCHEDULE_DAILY_ID,
                "Daily",
                SCHEDULE_DAILY,
                json!([1, 2, 3, 4, 5, 6, 7]),
            ),
            schedule(
                SCHEDULE_WEEKLY_ID,
                "Weekly on Sunday",
                SCHEDULE_WEEKLY,
                json!(1),
            ),
        ],
        account_filter_groups: vec![
            group(GROUP_A_ID, "All Accounts", &[FILTER_ALL_ID]),
            group(
                GROUP_B_ID,
                "Resellers",
                &[FILTER_RESELLERS_ID, FILTER_UNSUSPENDED_ID],
            ),
        ],
        account_filters: vec![
            filter(
                FILTER_ALL_ID,
                GROUP_A_ID,
                "All Accounts",
                256,
                1,
                json!({"regex": "/.*/"}),
            ),
            filter(
                FILTER_RESELLERS_ID,
                GROUP_B_ID,
                "Resellers",
                4,
                1,
                json!({"list": ["reseller1"]}),
            ),
            filter(
                FILTER_UNSUSPENDED_ID,
                GROUP_B_ID,
                "Not suspended",
                8,
                2,
                json!({}),
            ),
        ],
        backup_jobs: Vec::new(),
        hooks: Vec::new(),
        notification_integrations: vec![default_email_notification()],
        missing_plugins: Vec::new(),
    }
}

/// The "Default Email Notification" a fresh JetBackup server has (seen in
/// the vendor's list example: every level real time, no recipients, an
/// owner that is not root's account, with an empty `owner_name`).
pub const DEFAULT_NOTIFICATION_ID: &str = "6503d48bfc45b1addf0a9601";

fn default_email_notification() -> Record {
    Record::from_json(json!({
        "_id": DEFAULT_NOTIFICATION_ID,
        "name": "Default Email Notification",
        "owner": "6503d48bfc45b1addf0a9600",
        "owner_name": "",
        "type": "Email",
        "frequency": {"1": 1, "2": 1, "4": 1},
        "disabled": 0,
        "options": {"smtp": ""},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seed_is_consistent() {
        let d = builtin();
        assert_eq!(d.check(), Ok(()));
        assert!(d.destinations.len() >= 2);
        assert_eq!(d.schedules.len(), 3);
        assert_eq!(d.account_filter_groups.len(), 2);
        assert!(d.backup_jobs.is_empty());
        let types: std::collections::BTreeSet<i64> =
            d.schedules.iter().map(|s| s.int("type")).collect();
        assert_eq!(types.len(), 3);
        for a in ACCOUNTS {
            assert!(is_object_id(a.id));
        }
    }

    #[test]
    fn seed_round_trips_through_json() {
        let d = builtin();
        let text = serde_json::to_string(&d).unwrap();
        let back: SimData = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn check_refuses_bad_and_duplicate_ids() {
        let mut d = builtin();
        d.schedules[0].set("_id", "nope");
        assert!(d.check().is_err());
        let mut d = builtin();
        d.schedules[0].set("_id", DEST_S3_ID);
        assert!(d.check().unwrap_err().contains("used twice"));
        let mut d = builtin();
        d.backup_jobs.push(Record::from_json(
            json!({"_id": "6504c79fd4b57d536c05bbe2", "type": 1, "time": "noon"}),
        ));
        let e = d.check().unwrap_err();
        assert!(
            e.starts_with("backup job 6504c79fd4b57d536c05bbe2: "),
            "{e}"
        );
        assert!(e.contains("time"), "{e}");
    }
}
