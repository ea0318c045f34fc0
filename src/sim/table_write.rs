//! The writes of any table-described kind, once: `manage*` (the request
//! checked against the kind's table and applied to the stored [`Record`] by
//! [`super::object_request`], or nothing stored) and `delete*`. What differs
//! between kinds is data, its [`Rules`], beside each kind's table in the
//! simulator (`schedule.rs`, `account_filter.rs`, `destination.rs`,
//! `hook.rs`, `notification_integration.rs`).

use std::time::Duration;

use crate::api::object::{ObjectKind, Record};
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::seed::SimData;
use super::write::{action, exists, fresh_id, modify_id, position, Written};

/// A refusal of a request before it is checked.
pub(super) type Refusal = fn(&SimData, &FormValue, Action) -> Result<(), String>;
/// A kind's own rules around the one request check (the backup job's): the
/// object a request makes of the stored one (`None`: a create).
pub(super) type Request = fn(&SimData, Option<&Record>, &FormValue) -> Result<Record, String>;
/// A refusal to delete an object.
pub(super) type InUse = fn(&SimData, &Record) -> Result<(), String>;

/// What one kind's writes do besides checking and storing the request.
pub(super) struct Rules {
    pub kind: &'static ObjectKind,
    /// The kind in the server's messages (`Schedule`).
    pub title: &'static str,
    /// The messages of a create, a modify and a delete.
    pub created: &'static str,
    pub updated: &'static str,
    pub deleted: &'static str,
    /// The kind's objects in the store.
    pub stored: fn(&mut SimData) -> &mut Vec<Record>,
    /// What the reply renders.
    pub written: fn(String) -> Written,
    /// A refusal before the request is checked (a missing plugin, a setting
    /// that cannot change).
    pub refuse: Option<Refusal>,
    /// The kind's own rules around [`apply_request`]; `None`: the table alone.
    pub request: Option<Request>,
    /// What the server adds to a new object, which already has its `_id`
    /// (owner, derived fields, objects that come with it).
    pub created_with: fn(&mut SimData, &mut IdGen, Duration, &mut Record),
    /// What follows a modify on other objects (a group's name).
    pub modified_with: Option<fn(&mut SimData, &Record)>,
    /// A refusal to delete (an object in use).
    pub in_use: Option<InUse>,
    /// What follows a delete on other objects (an emptied group goes).
    pub deleted_with: Option<fn(&mut SimData, &Record)>,
}

/// Which `manage*` action a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Create,
    Modify,
}

/// `manage*`: a create or a modify of one object of the kind.
pub(super) fn manage(
    rules: &Rules,
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    if action(form)? == "create" {
        if let Some(refuse) = rules.refuse {
            refuse(data, form, Action::Create)?;
        }
        let mut o = checked(rules, data, None, form)?;
        let id = fresh_id(data, ids, now);
        o.set("_id", id.as_str());
        (rules.created_with)(data, ids, now, &mut o);
        (rules.stored)(data).push(o);
        return Ok((rules.created, (rules.written)(id)));
    }
    let id = modify_id(form)?;
    if let Some(refuse) = rules.refuse {
        refuse(data, form, Action::Modify)?;
    }
    let stored = (rules.stored)(data);
    let idx = position(stored, rules.title, id)?;
    let prior = stored[idx].clone();
    let o = checked(rules, data, Some(&prior), form)?;
    if let Some(follow) = rules.modified_with {
        follow(data, &o);
    }
    (rules.stored)(data)[idx] = o;
    Ok((rules.updated, (rules.written)(id.to_string())))
}

/// The object a request makes of `prior` (or of nothing), checked; the
/// store is not touched.
fn checked(
    rules: &Rules,
    data: &SimData,
    prior: Option<&Record>,
    form: &FormValue,
) -> Result<Record, String> {
    if let Some(request) = rules.request {
        return request(data, prior, form);
    }
    let is = |what: &str, id: &str| exists(data, what, id);
    apply_request(rules.kind, prior.map(|p| &p.0), form, &is).map(Record::from)
}

/// `delete*`: refused for an unknown ID or an object in use.
pub(super) fn delete(
    rules: &Rules,
    data: &mut SimData,
    form: &FormValue,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let stored = (rules.stored)(data);
    let idx = position(stored, rules.title, id)?;
    let o = stored[idx].clone();
    if let Some(in_use) = rules.in_use {
        in_use(data, &o)?;
    }
    (rules.stored)(data).remove(idx);
    if let Some(follow) = rules.deleted_with {
        follow(data, &o);
    }
    Ok((rules.deleted, Written::Nothing))
}

/// A `manage*` of the kind from a form body, at a fixed time (for the
/// kinds' unit tests).
#[cfg(test)]
pub(super) fn manage_body(
    rules: &Rules,
    data: &mut SimData,
    body: &str,
) -> Result<(&'static str, Written), String> {
    let form = FormValue::from_pairs(&crate::api::wire::parse_pairs(body));
    manage(
        rules,
        data,
        &mut IdGen::new(1),
        &form,
        Duration::from_secs(1_786_639_500),
    )
}
