//! The account filter's writes: `manageAccountFilter` (checked against the
//! filter's table by [`super::object_request`]; a create brings the filter's
//! own group, as the real server does) and `deleteAccountFilter`, refused
//! while a job uses the filter's group.

use std::time::Duration;

use serde_json::json;

use crate::api::lenient::value_to_list;
use crate::api::object::account_filter::ACCOUNT_FILTER;
use crate::api::object::Record;
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::render::jobs_using_group;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::write::{action, fresh_id, modify_id, position, Written};

pub(super) fn manage_account_filter(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let exists = |_: &str, _: &str| false;
    if action(form)? == "create" {
        let mut f = Record::from(apply_request(&ACCOUNT_FILTER, None, form, &exists)?);
        // Seen: the filter and its group get consecutive IDs in one call.
        let id = fresh_id(data, ids, now);
        f.set("_id", id.as_str());
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
            "filters": [id],
            "count": 0,
        })));
        data.account_filters.push(f);
        return Ok((
            "Account Filter Created Successfully",
            Written::AccountFilter(id),
        ));
    }
    let id = modify_id(form)?;
    let idx = position(&data.account_filters, "Account Filter", id)?;
    let f = apply_request(
        &ACCOUNT_FILTER,
        Some(&data.account_filters[idx].0),
        form,
        &exists,
    )?;
    let f = Record::from(f);
    // Inferred: the implicit group keeps the filter's name.
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id() == f.str("group_id") && group_filters(g).len() == 1)
    {
        g.set("name", f.name());
    }
    data.account_filters[idx] = f;
    // Inferred wording.
    Ok((
        "Account Filter Updated Successfully",
        Written::AccountFilter(id.to_string()),
    ))
}

pub(super) fn delete_account_filter(
    data: &mut SimData,
    form: &FormValue,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let filter = &data.account_filters[position(&data.account_filters, "Account Filter", id)?];
    let group = filter.str("group_id").to_string();
    let users = jobs_using_group(data, &group);
    if !users.is_empty() {
        // Inferred, as for schedules: refused while a job uses
        // the filter's group.
        return Err(format!(
            "Account Filter '{}' is used by {} backup job(s) ({}); remove its group from them before deleting it",
            filter.name(),
            users.len(),
            users.join(", ")
        ));
    }
    data.account_filters.retain(|f| f.id() != id);
    // Inferred: the filter's implicit group goes with it once it
    // holds no other filter.
    let id = id.to_string();
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id() == group)
    {
        let rest: Vec<String> = group_filters(g).into_iter().filter(|f| *f != id).collect();
        g.set("filters", rest);
    }
    data.account_filter_groups
        .retain(|g| g.id() != group || !group_filters(g).is_empty());
    Ok(("Account Filter Deleted Successfully", Written::Nothing))
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
