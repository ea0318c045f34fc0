//! JetBackup's JSON values, typed by what the server actually prints.
//!
//! JetBackup is PHP: a boolean comes back as `1`, `"0"` or `""`, an integer
//! as `"7"`, an empty list as `""` or `false`, and a list that lost an
//! element as an object with numeric keys (`{"0": …, "2": …}`). Each type
//! here accepts exactly the spellings listed on it and refuses every other
//! JSON type with an error that names what was found (never the value, which
//! may be a secret), so that a reply whose field cannot mean what the field
//! means is refused instead of being read as an empty value. Each writes the
//! server's own spelling back (the simulator renders replies with them).
//!
//! A model field is declared with one of these types and no serde attribute;
//! `get()`, `Deref` and `From` keep it as easy to use as the plain value.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// What a JSON value is, in words, for an error message.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Null, `""` and `false`: how PHP prints an empty value of any type.
fn is_empty_marker(v: &Value) -> bool {
    matches!(v, Value::Null | Value::Bool(false)) || v.as_str() == Some("")
}

fn found<E: serde::de::Error>(expected: &str, v: &Value) -> E {
    E::custom(format!("expected {expected}, found {}", json_type(v)))
}

/// The conversions that keep a newtype as easy to use as the value it
/// wraps, and its serialization as that value (the server's spelling, but
/// for [`WireBool`]).
macro_rules! newtype {
    ($name:ident $(<$t:ident>)?, $inner:ty) => {
        impl$(<$t>)? $name$(<$t>)? {
            pub fn get(&self) -> &$inner {
                &self.0
            }
            pub fn into_inner(self) -> $inner {
                self.0
            }
        }
        impl$(<$t>)? Deref for $name$(<$t>)? {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }
        impl$(<$t>)? DerefMut for $name$(<$t>)? {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }
        impl$(<$t>)? From<$inner> for $name$(<$t>)? {
            fn from(v: $inner) -> Self {
                $name(v)
            }
        }
    };
}

/// Comparison with, and conversion back to, the plain value.
macro_rules! plain_newtype {
    ($name:ident, $inner:ty) => {
        newtype!($name, $inner);
        impl From<$name> for $inner {
            fn from(v: $name) -> Self {
                v.0
            }
        }
        impl PartialEq<$inner> for $name {
            fn eq(&self, other: &$inner) -> bool {
                self.0 == *other
            }
        }
    };
}

/// Written as the wrapped value is.
macro_rules! serialize_as_inner {
    ($($name:ident $(<$t:ident>)?),*) => {$(
        impl$(<$t: Serialize>)? Serialize for $name$(<$t>)? {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }
    )*};
}

/// `Display` as the plain value's.
macro_rules! display_as_inner {
    ($($name:ident),*) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}
mod collection;
mod scalar;

pub use collection::{list_items, WireGrid, WireList, WireObject, WireObjects, WireOpt};
pub use scalar::{WireBool, WireInt, WireText};

/// Decodes `v` as `T`. An error says where (`at`, then the field path
/// inside `v`, e.g. `data.schedules[3].name`) and what was found.
pub fn decode_at<T: DeserializeOwned>(v: Value, at: &str) -> Result<T, String> {
    nested(v).map_err(|message| join(at, message))
}

/// [`decode_at`] for an object model (a job, a listed object): anything
/// but a JSON object is refused, as serde would otherwise read a list
/// positionally into `T`'s fields (and `[]` as an all-default `T`).
pub fn decode_object_at<T: DeserializeOwned>(v: Value, at: &str) -> Result<T, String> {
    if !v.is_object() {
        return Err(format!("{at} is {}, not an object", json_type(&v)));
    }
    decode_at(v, at)
}

/// Decodes `v` as `T`; an error is the path inside `v` and what is wrong
/// (`.system.retry_ms: expected …`, `[2]: expected …`), so that the types
/// here, which decode their contents themselves, pass the path outwards.
fn nested<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = match e.path().to_string() {
            p if p == "." => String::new(),
            p if p.starts_with('[') => p,
            p => format!(".{p}"),
        };
        join(&path, without_value(&e.into_inner().to_string()))
    })
}

/// `where` followed by a message that may itself start with a path.
fn join(at: &str, message: String) -> String {
    if message.starts_with('.') || message.starts_with('[') {
        format!("{at}{message}")
    } else if at.is_empty() {
        message
    } else {
        format!("{at}: {message}")
    }
}

/// serde's own "invalid type: string \"…\", expected …" quotes the value,
/// which may be a secret: it is said in this module's words instead.
fn without_value(message: &str) -> String {
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
    else {
        return message.to_string();
    };
    let found = match found.split(' ').next().unwrap_or("") {
        "string" => "a string",
        "integer" | "floating" => "a number",
        "boolean" => "a boolean",
        "map" => "an object",
        "sequence" => "a list",
        "null" | "unit" => "null",
        _ => "a value of another type",
    };
    format!("expected {expected}, found {found}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A value read the way serde reads a reply field.
    pub(super) fn read<T: DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    /// An object of one integer, for the tests of the collections too.
    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    pub(super) struct Pair {
        #[serde(default)]
        pub(super) a: WireInt,
    }

    #[derive(Debug, Deserialize)]
    struct Group {
        #[allow(dead_code)]
        #[serde(default)]
        filters: WireList<WireText>,
        #[serde(default)]
        inner: Option<Pair>,
    }

    #[test]
    fn decode_at_names_the_field_and_what_was_found() {
        let err = decode_at::<Group>(json!({"filters": 5}), "data.groups[2]").unwrap_err();
        assert_eq!(
            err,
            "data.groups[2].filters: expected a list, found a number"
        );
        let err = decode_at::<Group>(json!({"inner": {"a": []}}), "data").unwrap_err();
        assert_eq!(err, "data.inner.a: expected an integer, found a list");
        let err = decode_at::<Group>(json!("secret-value"), "data").unwrap_err();
        assert!(
            err.starts_with("data: ") && !err.contains("secret-value"),
            "{err}"
        );
        let ok = decode_at::<Group>(json!({"inner": {"a": "4"}}), "data").unwrap();
        assert_eq!(ok.inner.map(|p| p.a), Some(WireInt(4)));
    }
}
