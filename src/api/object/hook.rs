//! The hook table: `manageHook`, `getHook`, `listHooks`, `deleteHook`.
//!
//! A hook runs a script on the server before (`position_type` 1) or after
//! (2) a kind of task (`position`). Its `data_list` limits it to some jobs
//! or destinations; what the list holds depends on `position`, so each
//! meaning the reference confirms is a field of its own that travels as
//! `data_list`: backup job IDs (backup, backup account) and destination IDs
//! (reindex). What the list holds for restore, download and clone hooks is
//! not documented, so those hooks apply to everything.

use super::{Docs, Field, ObjectKind, ValueKind};
use crate::api::table::{Choice, Fixed, Role};

pub const BACKUP: i64 = 1;
pub const RESTORE: i64 = 3;
pub const DOWNLOAD: i64 = 4;
pub const REINDEX: i64 = 5;
pub const BACKUP_ACCOUNT: i64 = 8;
pub const CLONE: i64 = 9;
pub const CLONE_ACCOUNT: i64 = 10;

/// `position`: the task a hook runs around. Code 2 is also labelled
/// "Restore" in every copy of the vendor's table; JetApps' own migration
/// tool writes 3 for restore hooks, so 3 is used and 2 is not offered.
pub const HOOK_POSITIONS: &[Choice] = &[
    Choice {
        label: "backup",
        code: BACKUP,
        doc: "Backup",
    },
    Choice {
        label: "restore",
        code: RESTORE,
        doc: "Restore",
    },
    Choice {
        label: "download",
        code: DOWNLOAD,
        doc: "Download",
    },
    Choice {
        label: "reindex",
        code: REINDEX,
        doc: "Reindex",
    },
    Choice {
        label: "backup_account",
        code: BACKUP_ACCOUNT,
        doc: "Backup Account",
    },
    Choice {
        label: "clone",
        code: CLONE,
        doc: "Clone",
    },
    Choice {
        label: "clone_account",
        code: CLONE_ACCOUNT,
        doc: "Clone Account",
    },
];

/// `position_type`.
pub const HOOK_WHEN: &[Choice] = &[
    Choice {
        label: "pre",
        code: 1,
        doc: "Pre",
    },
    Choice {
        label: "post",
        code: 2,
        doc: "Post",
    },
];

const NOTES: &str = r#"## What the script receives

JetBackup 5.2 and later pass the task's details to the script as positional arguments (`$1`, `$2`, …; for a backup hook the job ID, name, type, contains, structure, destination IDs, start time and log ID). Scripts written for JetBackup 4 or 5.0 read key=value pairs from standard input instead and do not work unchanged. An exit status other than 0 is a failure; a failing pre hook may stop the task.

## Limiting a hook

`backup_job_ids` (backup and backup_account hooks) and `destination_ids` (reindex hooks) travel as JetBackup's `data_list`. Left unset, a new hook applies to every job or destination; `[]` clears a list set before. Restore, download and clone hooks have no list here: what JetBackup's `data_list` holds for them is not documented.

## Testing hooks safely

A hook runs on the JetBackup server as root. Create it with `disabled = true` first (as JetApps' own migration tool does), check the script by hand, then enable it.
"#;

#[rustfmt::skip]
pub const HOOK: ObjectKind = ObjectKind {
    name: "hook",
    title: "hook",
    manage: "manageHook",
    get: "getHook",
    list: "listHooks",
    delete: "deleteHook",
    collection: "hooks",
    discriminator: "on",
    doc: "A JetBackup 5 hook: a script JetBackup runs on the server before or after a task (a backup, a restore, a download, a reindex, a clone). Managed with `manageHook`, read with `getHook`, deleted with `deleteHook`. Changing `on` replaces the hook, since it changes what the hook's job or destination list means.",
    blocks: &[],
    notes: NOTES,
    docs: Docs::Generated,
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The hook's name." },
        Field { attr: "on", wire: "position", kind: ValueKind::Label(HOOK_POSITIONS), role: Role::Required, types: &[], replace: true, note: "", doc: "The task the hook runs around." },
        Field { attr: "when", wire: "position_type", kind: ValueKind::Label(HOOK_WHEN), role: Role::Required, types: &[], replace: false, note: "", doc: "Whether the script runs before (`pre`) or after (`post`) the task." },
        Field { attr: "script", wire: "script", kind: ValueKind::Path, role: Role::Required, types: &[], replace: false, note: "", doc: "The command JetBackup runs: an absolute path on the JetBackup server (e.g. `/root/hooks/dump.sh`), optionally an interpreter with its script (`/usr/bin/php /root/hooks/notify.php`). Whether JetBackup checks that the file exists is not documented." },
        Field { attr: "backup_job_ids", wire: "data_list", kind: ValueKind::RefSet("backup job"), role: Role::ServerDefault(None), types: &[BACKUP, BACKUP_ACCOUNT], replace: false, note: "", doc: "Backup and backup_account hooks: the IDs of the backup jobs the hook runs for. Unset on a new hook: every job; `[]` clears the list." },
        Field { attr: "destination_ids", wire: "data_list", kind: ValueKind::RefSet("destination"), role: Role::ServerDefault(None), types: &[REINDEX], replace: false, note: "", doc: "Reindex hooks: the IDs of the destinations whose reindex runs the hook. Unset on a new hook: every destination; `[]` clears the list." },
        Field { attr: "disabled", wire: "disabled", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: false, note: "", doc: "Whether the hook is disabled (its script does not run). Unset: JetBackup's default, enabled." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account ID of the hook's owner (the API user that created it)." },
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account name of the hook's owner." },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::{decode, encode, Target, Val, Values};
    use serde_json::json;

    #[test]
    fn a_backup_hook_sends_its_codes_and_job_ids_as_data_list() {
        let mut v = Values::new();
        v.insert("name", Val::Text("Dump databases first".into()));
        v.insert("on", Val::Text("backup".into()));
        v.insert("when", Val::Text("pre".into()));
        v.insert("script", Val::Text("/root/hooks/dump.sh".into()));
        v.insert(
            "backup_job_ids",
            Val::Texts(["6504c79fd4b57d536c05bbe2".to_string()].into()),
        );
        v.insert("disabled", Val::Bool(true));
        let p = encode(&HOOK, &v, Target::Create);
        assert_eq!(
            p.encode(),
            "action=create&name=Dump%20databases%20first&position=1&position_type=1&script=%2Froot%2Fhooks%2Fdump%2Esh&data_list%5B0%5D=6504c79fd4b57d536c05bbe2&disabled=1"
        );
        // An emptied list is sent as `data_list=`, which clears it.
        let mut cleared = v.clone();
        cleared.insert("backup_job_ids", Val::Texts(Default::default()));
        let p = encode(&HOOK, &cleared, Target::Modify { id: "x", prior: &v });
        assert_eq!(p.encode(), "action=modify&_id=x&data_list=");
        let (_, back) = decode(
            &HOOK,
            &json!({"_id": "6503f9a1ebbf07708d06f301", "name": "n", "owner": "o", "owner_name": "root",
                    "position_type": 2, "position": 5, "data_list": ["6503e7a1ebbf07708d06f1c1"],
                    "script": "/x", "disabled": ""}),
        )
        .expect("decodes");
        assert_eq!(back.get("on"), Some(&Val::Text("reindex".into())));
        assert_eq!(back.get("when"), Some(&Val::Text("post".into())));
        assert_eq!(back.get("disabled"), Some(&Val::Bool(false)));
        assert_eq!(
            back.get("destination_ids"),
            Some(&Val::Texts(["6503e7a1ebbf07708d06f1c1".to_string()].into()))
        );
        assert!(!back.contains_key("backup_job_ids"));
    }
}
