//! The backup job's table: `manageBackupJob`, `getBackupJob`,
//! `listBackupJobs`, `deleteBackupJob`. Its values are richer than the other
//! objects' (a bitmask whose names depend on the type, rows of filter
//! groups, schedules with their retention, the monitor block, a time of
//! day), each a [`ValueKind`] of its own.

use super::{Docs, Field, ObjectKind, TypeBits, ValueKind};
use crate::api::table::{Choice, Fixed, Role};

pub const JOB_TYPES: &[Choice] = &[
    Choice {
        label: "accounts",
        code: 1,
        doc: "Accounts",
    },
    Choice {
        label: "directories",
        code: 2,
        doc: "Directories",
    },
    Choice {
        label: "bmr",
        code: 4,
        doc: "Server Backup (BMR)",
    },
];

pub const STRUCTURES: &[Choice] = &[
    Choice {
        label: "incremental",
        code: 1,
        doc: "Incremental",
    },
    Choice {
        label: "archived",
        code: 2,
        doc: "Archived (tar)",
    },
    Choice {
        label: "compressed",
        code: 4,
        doc: "Compressed (tar.gz)",
    },
];

pub const OPTIONS: &[Choice] = &[
    Choice {
        label: "0",
        code: 0,
        doc: "Include Databases",
    },
    Choice {
        label: "1",
        code: 1,
        doc: "Exclude Email Contents",
    },
    Choice {
        label: "2",
        code: 2,
        doc: "Include Emails Contents",
    },
    Choice {
        label: "4",
        code: 4,
        doc: "Exclude Databases and Exclude Junk",
    },
    Choice {
        label: "6",
        code: 6,
        doc: "Include Junk",
    },
];

/// What an accounts job backs up, bit by bit (511 = everything).
pub const ACCOUNT_CONTAINS: &[Choice] = &[
    Choice {
        label: "config",
        code: 1,
        doc: "account (panel) configuration",
    },
    Choice {
        label: "homedir",
        code: 2,
        doc: "home directory",
    },
    Choice {
        label: "databases",
        code: 4,
        doc: "databases",
    },
    Choice {
        label: "email",
        code: 8,
        doc: "email accounts",
    },
    Choice {
        label: "cron",
        code: 16,
        doc: "cron jobs",
    },
    Choice {
        label: "dns",
        code: 32,
        doc: "domains / DNS zones",
    },
    Choice {
        label: "ssl",
        code: 64,
        doc: "SSL certificates",
    },
    Choice {
        label: "database_users",
        code: 128,
        doc: "database users",
    },
    Choice {
        label: "ftp",
        code: 256,
        doc: "FTP accounts",
    },
];

pub const ACCOUNTS_FULL: i64 = 511;
/// `contains` for a full directories job: what JetApps' own tools send (seen).
pub const DIRECTORIES_FULL: i64 = 3;
/// `contains` for a BMR job. Inferred: the 5.x dictionary lists "Server
/// Backup = 7" in its contains table; no readable source confirms it.
pub const BMR_FULL: i64 = 7;

/// `type`'s codes.
pub const ACCOUNTS: i64 = 1;
pub const DIRECTORIES: i64 = 2;
pub const BMR: i64 = 4;

/// `contains` by job type: an accounts job names its nine items; the bits
/// of the other types have no documented names, and an empty set is the
/// type's full value, which they read back as.
pub const CONTAINS_BITS: &[TypeBits] = &[
    TypeBits {
        types: &[ACCOUNTS],
        named: ACCOUNT_CONTAINS,
        full: ACCOUNTS_FULL,
    },
    TypeBits {
        types: &[DIRECTORIES],
        named: &[],
        full: DIRECTORIES_FULL,
    },
    TypeBits {
        types: &[BMR],
        named: &[],
        full: BMR_FULL,
    },
];

/// The parameters the vendor's page marks "REQUIRED on action create".
/// `contains` is one although users may leave it out: this provider then
/// sends the type's full value.
pub const REQUIRED_ON_CREATE: &[&str] = &["name", "destination", "type", "contains", "structure"];

/// Rows the vendor's parameter table does not list: `owner_name` is sent by
/// its example call only.
pub const UNDOCUMENTED: &[&str] = &["owner_name"];

/// `manageBackupJob`'s parameters, in the order a request sends them (the
/// order of the vendor's example call, with the parameters it omits
/// slotted in), then the fields the server reports. Row `i` of the
/// parameters is `api::job::Param` variant `i` (checked where `Param` is
/// declared).
#[rustfmt::skip]
pub const BACKUP_JOB: ObjectKind = ObjectKind {
    name: "backup_job",
    title: "backup job",
    manage: "manageBackupJob",
    get: "getBackupJob",
    list: "listBackupJobs",
    delete: "deleteBackupJob",
    collection: "jobs",
    discriminator: "type",
    blocks: &[],
    doc: "A JetBackup 5 backup job, managed with the API function `manageBackupJob` (create and modify), read with `getBackupJob` and deleted with `deleteBackupJob`.",
    notes: "",
    docs: Docs::Notes,
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The name given to the backup job for internal use." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Ref("account"), role: Role::ServerDefault(None), types: &[], replace: false, note: "Unset, a new job belongs to the API user. Removing it later keeps the job's current owner.", doc: "Owner (account ID) of the backup job; the owner and its parent may modify or delete it. Defaults to the logged-in user." },
        // Sent by the vendor's example call, absent from its parameter table.
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &["owner"] }, types: &[], replace: false, note: "", doc: "Account name of the job's owner, as the server reports it." },
        Field { attr: "destination", wire: "destination", kind: ValueKind::RefSet("destination"), role: Role::Required, types: &[], replace: false, note: "At least one destination ID.", doc: "Destination IDs the job backs up to." },
        Field { attr: "type", wire: "type", kind: ValueKind::Label(JOB_TYPES), role: Role::Required, types: &[], replace: true, note: "Changing it replaces the job.", doc: "The backup type." },
        Field { attr: "contains", wire: "contains", kind: ValueKind::Bitmask(CONTAINS_BITS), role: Role::ServerDefault(None), types: &[], replace: false, note: "For `accounts` jobs, any of these items; omitted means all nine (`contains=511`). `contains = []` is refused for `accounts` jobs, because JetBackup returns it as all nine items. For `directories` and `bmr` jobs leave it unset (or `[]`): the type's full value is sent (3 and 7). A bit the server returns that has no name here shows as `bit_<value>` and is kept as is. Removing it sends the type's full value again.", doc: "What the backup contains, as a bitmask (511 = a full account backup)." },
        Field { attr: "structure", wire: "structure", kind: ValueKind::Label(STRUCTURES), role: Role::Required, types: &[], replace: false, note: "", doc: "The backup structure." },
        Field { attr: "options", wire: "options", kind: ValueKind::Numbered(OPTIONS), role: Role::ServerDefault(None), types: &[], replace: false, note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write the value you want instead.", doc: "Database and email content options." },
        Field { attr: "retry_failed", wire: "retry_failed", kind: ValueKind::Bool, role: Role::ServerDefault(None), types: &[], replace: false, note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write `false` to turn it off.", doc: "Retry backing up failed items one more time." },
        Field { attr: "filters", wire: "filters", kind: ValueKind::RefGrid("account filter group"), role: Role::Optional, types: &[], replace: false, note: "Write a set of sets of account filter **group** IDs: an account is backed up when, for every inner set, it matches at least one group of that set. Removing it clears the filters (every account is backed up).", doc: "Account filter group IDs: IDs in one row are OR-ed, rows are AND-ed." },
        Field { attr: "include_list", wire: "include_list", kind: ValueKind::Paths, role: Role::Required, types: &[DIRECTORIES], replace: false, note: "Required for `directories` jobs, not allowed for other types. Removing it from a `directories` job is refused at plan.", doc: "File and directory paths to include (directories jobs)." },
        Field { attr: "exclude_list", wire: "exclude_list", kind: ValueKind::Paths, role: Role::Optional, types: &[], replace: false, note: "Removing it clears the list.", doc: "File and directory paths or globs to exclude (all job types)." },
        Field { attr: "schedules", wire: "schedules", kind: ValueKind::Schedules, role: Role::Optional, types: &[], replace: false, note: "Repeat the block once per schedule; order does not matter. No block means the job runs only manually. Removing every block detaches all schedules.", doc: "Schedules (created beforehand) that run the job, each with its own retention." },
        Field { attr: "time", wire: "time", kind: ValueKind::Time, role: Role::ServerDefault(None), types: &[], replace: false, note: "Four digits, `\"0350\"` for 03:50. Unset, a new job gets the server's default. Removing it later keeps the job's current time (it is not reset): write the time you want instead.", doc: "Time of day the job runs, 24-hour HHMM." },
        Field { attr: "monitor", wire: "monitor", kind: ValueKind::Monitor, role: Role::Optional, types: &[], replace: false, note: "Removing the block turns monitoring off (both thresholds 0).", doc: "Job monitor thresholds in days (0 = off)." },
        Field { attr: "disabled", wire: "disabled", kind: ValueKind::Bool, role: Role::Defaulted(Fixed::Bool(false)), types: &[], replace: false, note: "Defaults to `false`: removing it enables the job.", doc: "Whether the backup job is disabled." },
        Field { attr: "next_run", wire: "next_run", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &["time", "schedules", "disabled"] }, types: &[], replace: false, note: "", doc: "When the job runs next (ISO 8601), as the server reports it; empty for a manual-only job." },
        // Moves with a run, never with a write.
        Field { attr: "last_run", wire: "last_run", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "When the job last ran (ISO 8601), as the server reports it." },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::job::{JobSpec, JobTime, Monitor, Param, ScheduleRef};
    use crate::api::object::{decode, encode, Target, Val, Values};

    const DEST: &str = "6503f0a0ebbf07708d06f201";
    const GROUP: &str = "6503f0a0ebbf07708d06f202";
    const SCHEDULE: &str = "6503f0a0ebbf07708d06f203";

    fn texts(items: &[&str]) -> Val {
        Val::Texts(items.iter().map(|s| s.to_string()).collect())
    }

    /// A job in the table's values, every parameter set.
    fn job() -> Values {
        let mut v = Values::new();
        v.insert("name", Val::Text("Nightly".into()));
        v.insert("owner", Val::Text(DEST.into()));
        v.insert("destination", texts(&[DEST]));
        v.insert("type", Val::Text("accounts".into()));
        v.insert("contains", texts(&["config", "homedir"]));
        v.insert("structure", Val::Text("compressed".into()));
        v.insert("options", Val::Int(4));
        v.insert("retry_failed", Val::Bool(true));
        v.insert("filters", Val::Grid([[GROUP.to_string()].into()].into()));
        v.insert("exclude_list", texts(&["/tmp"]));
        v.insert(
            "schedules",
            Val::Retains([(SCHEDULE.to_string(), 7)].into()),
        );
        v.insert("time", Val::Text("0350".into()));
        v.insert(
            "monitor",
            Val::Monitor {
                ranfor: 1,
                notran: 2,
            },
        );
        v.insert("disabled", Val::Bool(false));
        v
    }

    /// The table's encoding of a job is the typed client's, byte for byte.
    #[test]
    fn the_table_encodes_a_job_as_the_typed_client_does() {
        let spec = JobSpec::new()
            .with(Param::Name, "Nightly")
            .with(Param::Owner, DEST)
            .with(Param::Destination, vec![DEST.to_string()])
            .with(Param::Type, ACCOUNTS)
            .with(Param::Contains, 3)
            .with(Param::Structure, 4)
            .with(Param::Options, 4)
            .with(Param::RetryFailed, true)
            .with(Param::Filters, vec![vec![GROUP.to_string()]])
            .with(Param::ExcludeList, vec!["/tmp".to_string()])
            .with(
                Param::Schedules,
                vec![ScheduleRef {
                    id: SCHEDULE.into(),
                    retain: 7,
                }],
            )
            .with(Param::Time, JobTime::new(3, 50).expect("a time"))
            .with(
                Param::Monitor,
                Monitor {
                    ranfor: 1.into(),
                    notran: 2.into(),
                },
            )
            .with(Param::Disabled, false);
        assert_eq!(
            encode(&BACKUP_JOB, &job(), Target::Create).encode(),
            spec.create_params().encode()
        );
        // An empty `contains` is the type's full value.
        let mut dirs = job();
        dirs.insert("type", Val::Text("directories".into()));
        dirs.insert("contains", texts(&[]));
        dirs.insert("include_list", texts(&["/etc"]));
        let sent = encode(&BACKUP_JOB, &dirs, Target::Create).encode();
        assert!(sent.contains("&contains=3&"), "{sent}");
        assert!(sent.contains("include_list%5B0%5D=%2Fetc"), "{sent}");
    }

    /// What the server returns reads back as the values written.
    #[test]
    fn a_job_reads_back_as_written() {
        let raw = serde_json::json!({
            "_id": "6503f0a0ebbf07708d06f2ff", "name": "Nightly", "owner": DEST,
            "owner_name": "root", "destination": [DEST], "type": 1, "contains": 3,
            "structure": 4, "options": 4, "retry_failed": 1,
            "filters": [[GROUP]], "exclude_list": {"0": "/tmp"},
            "schedules": [{"_id": SCHEDULE, "name": "Daily", "retain": "7"}],
            "time": 350, "monitor": {"ranfor": 1, "notran": "2"}, "disabled": 0,
            "next_run": "2026-12-08T03:50:00+00:00", "last_run": ""
        });
        let (id, mut values) = decode(&BACKUP_JOB, &raw).expect("decodes");
        assert_eq!(id, "6503f0a0ebbf07708d06f2ff");
        assert_eq!(values.remove("owner_name"), Some(Val::Text("root".into())));
        assert!(values.remove("next_run").is_some());
        values.remove("last_run");
        assert_eq!(values, job());
        // Unnamed bits and a directories job's full value.
        let dirs = serde_json::json!({"_id": "a", "type": 2, "contains": 3, "include_list": []});
        let (_, v) = decode(&BACKUP_JOB, &dirs).expect("decodes");
        assert_eq!(v.get("contains"), Some(&texts(&[])));
        let odd = serde_json::json!({"_id": "a", "type": 1, "contains": 1024 | 2});
        let (_, v) = decode(&BACKUP_JOB, &odd).expect("decodes");
        assert_eq!(v.get("contains"), Some(&texts(&["bit_1024", "homedir"])));
        for (field, bad) in [
            ("time", serde_json::json!(2460)),
            ("schedules", serde_json::json!("x")),
        ] {
            let mut r = raw.clone();
            r[field] = bad;
            let e = decode(&BACKUP_JOB, &r).expect_err(field);
            assert!(e.contains(field), "{e}");
        }
    }

    /// A modify sends only what changed: a scalar when it differs, a list
    /// whole, a removed list as `key=` (cleared), a removed monitor block
    /// as both 0; the type never (a change replaces the job).
    #[test]
    fn a_modify_sends_only_changes_and_clears_what_was_removed() {
        let prior = job();
        let mut next = job();
        next.insert("name", Val::Text("Renamed".into()));
        next.remove("exclude_list");
        next.remove("monitor");
        next.remove("filters");
        let sent = encode(
            &BACKUP_JOB,
            &next,
            Target::Modify {
                id: "x",
                prior: &prior,
            },
        )
        .encode();
        assert_eq!(
            sent,
            "action=modify&_id=x&name=Renamed&filters=&exclude_list=&monitor%5Branfor%5D=0&monitor%5Bnotran%5D=0"
        );
        let same = encode(
            &BACKUP_JOB,
            &prior,
            Target::Modify {
                id: "x",
                prior: &prior,
            },
        );
        assert_eq!(same.encode(), "action=modify&_id=x");
    }

    /// `contains` that would read back differently is refused with what to
    /// write; what reads back as written passes.
    #[test]
    fn contains_that_would_read_back_differently_is_refused_with_the_fix() {
        use crate::api::object::{bits_for, check_bits};
        let field = BACKUP_JOB.field("contains").expect("contains");
        let check = |code: i64, labels: &[&str]| {
            let bits = bits_for(CONTAINS_BITS, Some(code)).expect("bits");
            let labels = labels.iter().map(|l| l.to_string()).collect();
            check_bits(
                &BACKUP_JOB,
                field,
                bits,
                &BACKUP_JOB.type_label(code),
                &labels,
            )
        };
        let said = |got: Vec<(String, String)>| {
            got.into_iter()
                .map(|(s, d)| format!("{s}: {d}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let accounts_all = said(check(ACCOUNTS, &[]));
        assert!(accounts_all.contains("Remove contains"), "{accounts_all}");
        let named = said(check(ACCOUNTS, &["bit_1"]));
        assert!(named.contains("\"config\""), "{named}");
        let full = said(check(DIRECTORIES, &["bit_1", "bit_2"]));
        assert!(full.contains("contains = []"), "{full}");
        for (code, ok) in [
            (DIRECTORIES, &[][..]),
            (BMR, &[][..]),
            (DIRECTORIES, &["bit_1"][..]),
            (ACCOUNTS, &["homedir", "bit_1024"][..]),
        ] {
            assert_eq!(check(code, ok), vec![], "{code} {ok:?}");
        }
    }

    /// The job's rows are `Param`'s variants, in order, then read-only fields.
    #[test]
    fn every_parameter_has_its_row_in_order() {
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(*p as usize, i);
            assert_eq!(
                crate::api::job::param_def(*p).wire,
                BACKUP_JOB.fields[i].wire
            );
        }
        for f in &BACKUP_JOB.fields[Param::ALL.len()..] {
            assert!(!f.role.is_input(), "{} is an input without a Param", f.attr);
        }
    }
}
