//! The account filter table: `manageAccountFilter`, `getAccountFilter`,
//! `listAccountFilters`, `deleteAccountFilter`.
//!
//! JetBackup has no function that writes a filter group: creating a filter
//! creates a group holding just that filter (the reference's examples show
//! consecutive IDs and the group named after the filter), and a backup job's
//! `filters` refers to that group. So a filter is one resource and its
//! group's ID is the read-only `group_id`.

use super::{Docs, Field, ObjectKind, ValueKind};
use crate::api::table::{Choice, Role};

pub const ACCOUNTS: i64 = 2;
pub const RESELLERS: i64 = 4;
pub const SUSPENDED: i64 = 8;
pub const DISK_USAGE: i64 = 16;
pub const INODE_USAGE: i64 = 32;
pub const PACKAGES: i64 = 64;
pub const CHARACTER_RANGE: i64 = 128;
pub const REGEX: i64 = 256;
pub const TAGS: i64 = 512;
pub const ENCRYPTED: i64 = 1024;

pub const FILTER_TYPES: &[Choice] = &[
    Choice {
        label: "accounts",
        code: ACCOUNTS,
        doc: "Accounts",
    },
    Choice {
        label: "resellers",
        code: RESELLERS,
        doc: "Resellers",
    },
    Choice {
        label: "suspended",
        code: SUSPENDED,
        doc: "Suspension",
    },
    Choice {
        label: "disk_usage",
        code: DISK_USAGE,
        doc: "Disk space usage",
    },
    Choice {
        label: "inode_usage",
        code: INODE_USAGE,
        doc: "Inodes usage",
    },
    Choice {
        label: "packages",
        code: PACKAGES,
        doc: "Packages",
    },
    Choice {
        label: "character_range",
        code: CHARACTER_RANGE,
        doc: "Characters range",
    },
    Choice {
        label: "regex",
        code: REGEX,
        doc: "Regular expression",
    },
    Choice {
        label: "tags",
        code: TAGS,
        doc: "Account tags",
    },
    Choice {
        label: "encrypted",
        code: ENCRYPTED,
        doc: "Encryption",
    },
];

pub const CONDITIONS: &[Choice] = &[
    Choice {
        label: "include",
        code: 1,
        doc: "Include",
    },
    Choice {
        label: "exclude",
        code: 2,
        doc: "Exclude",
    },
];

/// Characters a character range may start or end with.
pub const RANGE_ALPHABET: &str = "0123456789_abcdefghijklmnopqrstuvwxyz";

#[rustfmt::skip]
pub const ACCOUNT_FILTER: ObjectKind = ObjectKind {
    name: "account_filter",
    title: "account filter",
    manage: "manageAccountFilter",
    get: "getAccountFilter",
    list: "listAccountFilters",
    delete: "deleteAccountFilter",
    collection: "filters",
    discriminator: "type",
    doc: "A JetBackup 5 account filter: which accounts an accounts backup job covers. Managed with `manageAccountFilter`, read with `getAccountFilter`, deleted with `deleteAccountFilter`. JetBackup has no function that writes filter groups: creating a filter creates its own group, named after it, and a backup job's `filters` lists group IDs, so use this resource's `group_id` there (`filters = [[jetbackup_account_filter.x.group_id]]`). Changing `type` replaces the filter (and so its group): no JetBackup source says `manageAccountFilter` can change it in place. JetBackup refuses to delete a filter whose group a job still uses, so when a job in the configuration uses the filter, give the filter `lifecycle { create_before_destroy = true }`: the job then moves to the new group (or, when the filter is removed from the configuration, off its group) before the old filter is deleted, in one apply. Without it Terraform deletes the filter first and JetBackup refuses.",
    blocks: &[],
    notes: "",
    docs: Docs::Generated,
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The filter's name; its group gets the same name." },
        Field { attr: "type", wire: "type", kind: ValueKind::Label(FILTER_TYPES), role: Role::Required, types: &[], replace: true, note: "", doc: "What the filter matches on. Each type has its own setting: `list` (accounts, resellers, packages, tags), `usage` (disk_usage, inode_usage), `range_start`/`range_end` (character_range), `regex` (regex); suspended and encrypted have none." },
        Field { attr: "condition", wire: "condition", kind: ValueKind::Label(CONDITIONS), role: Role::Required, types: &[], replace: false, note: "", doc: "Whether matching accounts are included in or excluded from the job. For usage filters JetBackup's documentation does not say whether `include` means below or above `usage`." },
        Field { attr: "list", wire: "list", kind: ValueKind::TextSet, role: Role::Required, types: &[ACCOUNTS, RESELLERS, PACKAGES, TAGS], replace: false, note: "", doc: "Account usernames (accounts), reseller usernames (resellers: the accounts they own), package names (packages) or tag names (tags)." },
        Field { attr: "usage", wire: "usage", kind: ValueKind::Count, role: Role::Required, types: &[DISK_USAGE, INODE_USAGE], replace: false, note: "", doc: "The threshold: disk usage in bytes (disk_usage) or a number of inodes (inode_usage)." },
        Field { attr: "range_start", wire: "range_start", kind: ValueKind::Char { alphabet: RANGE_ALPHABET }, role: Role::Required, types: &[CHARACTER_RANGE], replace: false, note: "", doc: "Character range: the first character of account names in the range." },
        Field { attr: "range_end", wire: "range_end", kind: ValueKind::Char { alphabet: RANGE_ALPHABET }, role: Role::Required, types: &[CHARACTER_RANGE], replace: false, note: "", doc: "Character range: the last character of account names in the range." },
        Field { attr: "regex", wire: "regex", kind: ValueKind::Text, role: Role::Required, types: &[REGEX], replace: false, note: "", doc: "Regular expression: the pattern account names are matched against, e.g. `/^[ab]/i`." },
        Field { attr: "group_id", wire: "group_id", kind: ValueKind::Ref("account filter group"), role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "ID of the filter's group: what a backup job's `filters` refers to." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account ID of the filter's owner." },
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account name of the filter's owner." },
        Field { attr: "job_count", wire: "count", kind: ValueKind::Count, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "How many backup jobs use the filter." },
    ],
};
