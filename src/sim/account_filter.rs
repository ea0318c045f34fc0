//! The account filter's writes ([`super::table_write`] with [`RULES`]):
//! `manageAccountFilter` (checked against the filter's table by
//! [`super::object_request`]; a create brings the filter's own group, as the
//! real server does) and `deleteAccountFilter`, refused while a job uses the
//! filter's group.

use std::time::Duration;

use serde_json::json;

use crate::api::lenient::value_to_list;
use crate::api::object::account_filter::ACCOUNT_FILTER;
use crate::api::object::Record;

use super::objectid::IdGen;
use super::render::jobs_using_group;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::table_write::Rules;
use super::write::{fresh_id, Written};

pub(super) const RULES: Rules = Rules {
    kind: &ACCOUNT_FILTER,
    title: "Account Filter",
    created: "Account Filter Created Successfully",
    // Inferred wording.
    updated: "Account Filter Updated Successfully",
    deleted: "Account Filter Deleted Successfully",
    stored: |d| &mut d.account_filters,
    written: Written::AccountFilter,
    refuse: None,
    request: None,
    created_with,
    modified_with: Some(modified_with),
    in_use: Some(in_use),
    deleted_with: Some(deleted_with),
};

/// Seen: the filter and its group get consecutive IDs in one call.
fn created_with(data: &mut SimData, ids: &mut IdGen, now: Duration, f: &mut Record) {
    f.set("owner", ROOT_ACCOUNT_ID);
    f.set("owner_name", "root");
    // The generator never repeats an ID, so the group's differs.
    let group = fresh_id(data, ids, now);
    f.set("group_id", group.as_str());
    data.account_filter_groups.push(Record::from_json(json!({
        "_id": group,
        "name": f.name(),
        "owner": ROOT_ACCOUNT_ID,
        "owner_name": "root",
        "filters": [f.id()],
        "count": 0,
    })));
}

/// Inferred: the implicit group keeps the filter's name.
fn modified_with(data: &mut SimData, f: &Record) {
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id() == f.str("group_id") && group_filters(g).len() == 1)
    {
        g.set("name", f.name());
    }
}

/// Inferred, as for schedules: refused while a job uses the filter's group.
fn in_use(data: &SimData, filter: &Record) -> Result<(), String> {
    let users = jobs_using_group(data, filter.str("group_id"));
    if users.is_empty() {
        return Ok(());
    }
    Err(format!(
        "Account Filter '{}' is used by {} backup job(s) ({}); remove its group from them before deleting it",
        filter.name(),
        users.len(),
        users.join(", ")
    ))
}

/// Inferred: the filter's implicit group goes with it once it holds no
/// other filter.
fn deleted_with(data: &mut SimData, filter: &Record) {
    let group = filter.str("group_id");
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id() == group)
    {
        let rest: Vec<String> = group_filters(g)
            .into_iter()
            .filter(|f| f != filter.id())
            .collect();
        g.set("filters", rest);
    }
    data.account_filter_groups
        .retain(|g| g.id() != group || !group_filters(g).is_empty());
}

/// The IDs of the filters in a group (`filters`).
pub(super) fn group_filters(group: &Record) -> Vec<String> {
    group
        .get("filters")
        .map(value_to_list)
        .unwrap_or_default()
        .iter()
        .filter_map(crate::api::lenient::value_to_string)
        .collect()
}
