//! The account filter's writes: `manageAccountFilter` (checked against the
//! filter's table by [`super::object_request`]; a create brings the filter's
//! own group, as the real server does) and `deleteAccountFilter`, refused
//! while a job uses the filter's group.

use std::time::Duration;

use crate::api::models::{AccountFilter, AccountFilterGroup};
use crate::api::object::account_filter::ACCOUNT_FILTER;
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::render::jobs_using_group;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::write::{action, as_object, fresh_id, from_object, modify_id, not_found, Written};

pub(super) fn manage_account_filter(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let exists = |_: &str, _: &str| false;
    if action(form)? == "create" {
        let obj = apply_request(&ACCOUNT_FILTER, None, form, &exists)?;
        let mut f: AccountFilter = from_object(obj, "account filter")?;
        // Seen: the filter and its group get consecutive IDs in one call.
        f.id = fresh_id(data, ids, now).into();
        f.owner = ROOT_ACCOUNT_ID.into();
        f.owner_name = "root".into();
        // The generator never repeats an ID, so the group's differs.
        f.group_id = fresh_id(data, ids, now).into();
        data.account_filter_groups.push(AccountFilterGroup {
            id: f.group_id.clone(),
            name: f.name.clone(),
            owner: f.owner.clone(),
            owner_name: f.owner_name.clone(),
            filters: vec![f.id.clone()].into(),
            count: 0.into(),
        });
        let id = f.id.clone();
        data.account_filters.push(f);
        return Ok((
            "Account Filter Created Successfully",
            Written::AccountFilter(id.into()),
        ));
    }
    let id = modify_id(form)?;
    let idx = data
        .account_filters
        .iter()
        .position(|f| f.id == id)
        .ok_or_else(|| not_found("Account Filter", id))?;
    let existing = as_object(&data.account_filters[idx]);
    let obj = apply_request(&ACCOUNT_FILTER, Some(&existing), form, &exists)?;
    let f: AccountFilter = from_object(obj, "account filter")?;
    // Inferred: the implicit group keeps the filter's name.
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id == f.group_id && g.filters.len() == 1)
    {
        g.name = f.name.clone();
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
    let filter = data
        .account_filters
        .iter()
        .find(|f| f.id == id)
        .ok_or_else(|| not_found("Account Filter", id))?;
    let group = filter.group_id.clone();
    let users = jobs_using_group(data, &group);
    if !users.is_empty() {
        // Inferred, as for schedules: refused while a job uses
        // the filter's group.
        return Err(format!(
            "Account Filter '{}' is used by {} backup job(s) ({}); remove its group from them before deleting it",
            filter.name,
            users.len(),
            users.join(", ")
        ));
    }
    data.account_filters.retain(|f| f.id != id);
    // Inferred: the filter's implicit group goes with it once it
    // holds no other filter.
    let id = id.to_string();
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id == group)
    {
        g.filters.retain(|f| *f != id);
    }
    data.account_filter_groups
        .retain(|g| g.id != group || !g.filters.is_empty());
    Ok(("Account Filter Deleted Successfully", Written::Nothing))
}
