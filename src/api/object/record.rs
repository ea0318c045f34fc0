//! [`Record`]: one object of a table-described kind in its wire form, as
//! the server returns it (and as the simulator stores it). Its settings are
//! read only through the kind's table ([`super::decode`]); the few
//! accessors here name what every object has (`_id`, `name`, `owner`) and
//! what the server derives (`count`, `type_name`), never a setting, so a
//! new row of a table needs no second declaration anywhere.

use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api::lenient::{value_to_bool, value_to_i64, value_to_string};

/// An object as a JSON map, keys as on the wire (`_id`, `options`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Record(pub Map<String, Value>);

impl Record {
    /// The text at a top-level key (a number printed); empty when absent.
    pub fn text(&self, key: &str) -> String {
        self.0
            .get(key)
            .and_then(value_to_string)
            .unwrap_or_default()
    }

    /// The string at a top-level key, borrowed; empty when absent or not a
    /// string.
    pub fn str(&self, key: &str) -> &str {
        self.0.get(key).and_then(Value::as_str).unwrap_or("")
    }

    /// The integer at a top-level key, in any spelling PHP prints; 0 when
    /// absent.
    pub fn int(&self, key: &str) -> i64 {
        self.0.get(key).and_then(value_to_i64).unwrap_or(0)
    }

    /// The boolean at a top-level key, in any spelling PHP prints.
    pub fn bool(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(value_to_bool)
    }

    /// `_id`.
    pub fn id(&self) -> &str {
        self.str("_id")
    }

    /// `name`.
    pub fn name(&self) -> &str {
        self.str("name")
    }

    /// A record from a JSON object; anything else gives an empty one.
    pub fn from_json(v: Value) -> Record {
        match v {
            Value::Object(m) => Record(m),
            _ => Record::default(),
        }
    }

    /// Sets a top-level key.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.0.insert(key.to_string(), value.into());
    }

    /// The object as JSON.
    pub fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// The object as JSON, without a copy.
    pub fn into_json(self) -> Value {
        Value::Object(self.0)
    }
}

impl Deref for Record {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl DerefMut for Record {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.0
    }
}

impl From<Map<String, Value>> for Record {
    fn from(m: Map<String, Value>) -> Record {
        Record(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_php_spellings_and_defaults_what_is_absent() {
        let r: Record =
            serde_json::from_value(json!({"_id": "a", "type": "2", "disabled": "1", "n": 3}))
                .unwrap();
        assert_eq!((r.id(), r.int("type"), r.bool("disabled")), ("a", 2, true));
        assert_eq!((r.text("n"), r.int("count"), r.name()), ("3".into(), 0, ""));
        assert!(serde_json::from_value::<Record>(json!([1])).is_err());
    }
}
