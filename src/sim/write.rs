//! What every object's write shares: its outcome ([`Written`]), the
//! request's `action` and `_id`, fresh IDs, the not-found refusal, and
//! stored objects as the JSON maps a table's request is applied to. The
//! dispatch ([`super::store`]) and each object's writer depend on it; it
//! depends on neither.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::api::wire::FormValue;

use super::form::{opt_scalar, required};
use super::objectid::IdGen;
use super::seed::SimData;

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

pub(super) fn to_value<T: Serialize>(v: &T) -> Value {
    // Serializing these plain structs cannot fail; null is a safe fallback.
    serde_json::to_value(v).unwrap_or(Value::Null)
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

/// A stored object as the JSON map its table's request is applied to.
pub(super) fn as_object<T: Serialize>(v: &T) -> serde_json::Map<String, Value> {
    match to_value(v) {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

pub(super) fn from_object<T: serde::de::DeserializeOwned>(
    obj: serde_json::Map<String, Value>,
    what: &str,
) -> Result<T, String> {
    serde_json::from_value(Value::Object(obj))
        .map_err(|e| format!("Internal error: the {what} does not decode: {e}"))
}
