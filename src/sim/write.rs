//! What every object's write shares: its outcome ([`Written`]), the
//! request's `action` and `_id`, fresh IDs, the not-found refusal, where a
//! stored [`Record`] is, and secrets masked as the server shows them. The
//! dispatch ([`super::store`]) and each object's writer depend on it; it
//! depends on neither.

use std::time::Duration;

use serde_json::{json, Value};

use crate::api::object::{wire_path, ObjectKind, Record, ValueKind, MASK};
use crate::api::wire::FormValue;

use super::form::{opt_scalar, required};
use super::objectid::IdGen;
use super::seed::{account, SimData};

/// What a write produced, rendered after the new data is in place.
pub(super) enum Written {
    Job(String),
    Schedule(String),
    AccountFilter(String),
    Destination(String),
    Hook(String),
    NotificationIntegration(String),
    Nothing,
}

/// The refusal for an unknown `_id`. The real server's wording is not
/// documented (inferred); the client recognises "not found".
pub(super) fn not_found(kind: &str, id: &str) -> String {
    format!("{kind} '{id}' not found")
}

/// A new ObjectId created now that no stored object has.
pub(super) fn fresh_id(data: &SimData, ids: &mut IdGen, now: Duration) -> String {
    loop {
        let id = ids.next_id(now.as_secs());
        if !data.contains_id(&id) {
            return id;
        }
    }
}

pub(super) fn action(form: &FormValue) -> Result<&str, String> {
    match opt_scalar(form, "action")? {
        Some(a @ ("create" | "modify")) => Ok(a),
        Some(other) => Err(format!(
            "Invalid parameter 'action': must be create or modify, got '{other}'"
        )),
        None => Err("Missing required parameter 'action' (create or modify)".to_string()),
    }
}

pub(super) fn modify_id(form: &FormValue) -> Result<&str, String> {
    required(form, "_id")
        .map_err(|_| "Missing required parameter '_id' for action modify".to_string())
}

/// Whether the store holds an object of a kind, named as the tables name
/// what a reference refers to (`"backup job"`, `"account filter group"`),
/// with this ID: the one reference check of every table, the job's too. A
/// name no table uses refers to nothing here, so its request is refused as
/// not found.
pub(super) fn exists(data: &SimData, what: &str, id: &str) -> bool {
    let any = |list: &[crate::api::object::Record]| list.iter().any(|o| o.id() == id);
    match what {
        "account" => account(id).is_some(),
        "backup job" => any(&data.backup_jobs),
        "destination" => any(&data.destinations),
        "schedule" => any(&data.schedules),
        "account filter group" => any(&data.account_filter_groups),
        "account filter" => any(&data.account_filters),
        "hook" => any(&data.hooks),
        "notification integration" => any(&data.notification_integrations),
        _ => false,
    }
}

/// Where the stored object `id` of a kind is, or the not-found refusal
/// (`title`: the kind in the server's messages, `Schedule`).
pub(super) fn position(list: &[Record], title: &str, id: &str) -> Result<usize, String> {
    list.iter()
        .position(|o| o.id() == id)
        .ok_or_else(|| not_found(title, id))
}

/// A kind's secrets as the server shows them: a set secret of a masked
/// kind as [`MASK`], every other one empty, as the reference's examples
/// show (`secret_key` masked, `access_key` empty).
pub(super) fn mask_secrets(kind: &ObjectKind, object: &mut Record) {
    for field in kind.fields {
        let ValueKind::Secret { masked } = field.kind else {
            continue;
        };
        let path = wire_path(field.wire);
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        let mut at = Some(&mut object.0);
        for p in parents {
            at = at
                .and_then(|m| m.get_mut(*p))
                .and_then(Value::as_object_mut);
        }
        if let Some(v) = at.and_then(|m| m.get_mut(*last)) {
            let set = v.as_str().is_some_and(|s| !s.is_empty());
            *v = json!(if masked && set { MASK } else { "" });
        }
    }
}
