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

/// A text field (`_id`, `name`, `owner`, …). Accepts a string, a number
/// (printed, as PHP would) and null (empty). Refuses a boolean, a list and
/// an object. Written as a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireText(pub String);
plain_newtype!(WireText, String);
display_as_inner!(WireText, WireInt, WireBool);
serialize_as_inner!(
    WireText,
    WireInt,
    WireGrid,
    WireList<T>,
    WireObjects<T>,
    WireObject<T>,
    WireOpt<T>
);

impl WireText {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn from_value<E: serde::de::Error>(v: Value) -> Result<Self, E> {
        match v {
            Value::String(s) => Ok(WireText(s)),
            Value::Number(n) => Ok(WireText(n.to_string())),
            Value::Null => Ok(WireText::default()),
            other => Err(found("a string", &other)),
        }
    }
}

impl From<&str> for WireText {
    fn from(s: &str) -> Self {
        WireText(s.to_string())
    }
}

impl PartialEq<str> for WireText {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for WireText {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<WireText> for String {
    fn eq(&self, other: &WireText) -> bool {
        *self == other.0
    }
}

impl PartialEq<WireText> for &str {
    fn eq(&self, other: &WireText) -> bool {
        *self == other.0
    }
}

impl AsRef<str> for WireText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for WireText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for WireText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WireText::from_value(Value::deserialize(d)?)
    }
}

/// An integer field (`type`, `count`, `threads`, …). Accepts a number (a
/// fraction is cut to its integer part), a string holding an integer
/// (surrounding spaces allowed), `""`, null (both 0) and a boolean (0/1).
/// Refuses any other string, a list and an object. Written as a number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireInt(pub i64);
plain_newtype!(WireInt, i64);

impl PartialOrd<i64> for WireInt {
    fn partial_cmp(&self, other: &i64) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(other)
    }
}

impl<'de> Deserialize<'de> for WireInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let n = match &v {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) if s.trim().is_empty() => Some(0),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            Value::Bool(b) => Some(*b as i64),
            Value::Null => Some(0),
            Value::Array(_) | Value::Object(_) => None,
        };
        n.map(WireInt).ok_or_else(|| match v {
            Value::String(_) => {
                D::Error::custom("expected an integer, found a string that is not one")
            }
            other => found("an integer", &other),
        })
    }
}

/// A yes/no field (`disabled`, `hidden`, …). Accepts a boolean, a number
/// or a string holding an integer (non-zero is yes: `1`, `"0"`), the
/// strings `""`, `"true"`, `"false"` (any case) and null (no). Refuses any
/// other string, a list and an object. Written as `1`/`0`, the server's
/// spelling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WireBool(pub bool);
plain_newtype!(WireBool, bool);

impl Serialize for WireBool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0 as i64)
    }
}

impl<'de> Deserialize<'de> for WireBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let b = match &v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => Some(n.as_f64().is_some_and(|f| f != 0.0)),
            Value::Null => Some(false),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" | "" => Some(false),
                n => n.parse::<i64>().ok().map(|n| n != 0),
            },
            Value::Array(_) | Value::Object(_) => None,
        };
        b.map(WireBool).ok_or_else(|| match v {
            Value::String(_) => D::Error::custom(
                "expected a boolean, found a string other than an integer, true, false or empty",
            ),
            other => found("a boolean", &other),
        })
    }
}

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

/// The elements of a list as PHP prints it: a JSON list; an object whose
/// keys are all numbers (a PHP array with holes), in key order; or `""`,
/// `false`, null (empty). Anything else is handed back.
pub fn list_items(v: Value) -> Result<Vec<Value>, Value> {
    match v {
        Value::Array(a) => Ok(a),
        Value::Object(o) if o.keys().all(|k| k.parse::<u64>().is_ok()) => {
            let mut items: Vec<(u64, Value)> = o
                .into_iter()
                .map(|(k, v)| (k.parse::<u64>().unwrap_or(u64::MAX), v))
                .collect();
            items.sort_by_key(|(k, _)| *k);
            Ok(items.into_iter().map(|(_, v)| v).collect())
        }
        other if is_empty_marker(&other) => Ok(Vec::new()),
        other => Err(other),
    }
}

/// A list field (`filters` of a group, a job's `destination`, …) of `T`.
/// Accepts a list, an object with numeric keys (read in key order), `""`,
/// `false` and null (empty). Refuses any other value, a null element, and
/// any element `T` refuses (naming its position). Written as a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireList<T>(pub Vec<T>);

impl<T> Default for WireList<T> {
    fn default() -> Self {
        WireList(Vec::new())
    }
}

newtype!(WireList<T>, Vec<T>);

impl<T> FromIterator<T> for WireList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        WireList(iter.into_iter().collect())
    }
}

impl<'a, T> IntoIterator for &'a WireList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl WireList<WireText> {
    /// The texts as plain strings.
    pub fn strings(&self) -> Vec<String> {
        self.0.iter().map(|t| t.0.clone()).collect()
    }
}

impl PartialEq<Vec<String>> for WireList<WireText> {
    fn eq(&self, other: &Vec<String>) -> bool {
        self.0.len() == other.len() && self.0.iter().zip(other).all(|(a, b)| a.0 == *b)
    }
}

impl PartialEq<Vec<&str>> for WireList<WireText> {
    fn eq(&self, other: &Vec<&str>) -> bool {
        self.0.len() == other.len() && self.0.iter().zip(other).all(|(a, b)| a.0 == *b)
    }
}

impl From<Vec<String>> for WireList<WireText> {
    fn from(v: Vec<String>) -> Self {
        v.into_iter().map(WireText).collect()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for WireList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let null = |v: &Value| v.is_null().then(|| found("a value", v));
        decode_items(Value::deserialize(d)?, null).map(WireList)
    }
}

/// A list's elements as `T`, each refused when `refuse` says why, naming
/// its position.
fn decode_items<T: DeserializeOwned, E: serde::de::Error>(
    v: Value,
    refuse: fn(&Value) -> Option<E>,
) -> Result<Vec<T>, E> {
    let items = list_items(v).map_err(|v| found("a list", &v))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match refuse(&item) {
            Some(e) => Err(E::custom(format!("[{i}]: {e}"))),
            None => nested(item).map_err(|m| E::custom(join(&format!("[{i}]"), m))),
        })
        .collect()
}

/// A list of objects, each read as `T` (a schedule's `jobs`, a job's
/// `schedules`). As [`WireList`], and each element must be a JSON object:
/// serde would otherwise read a list element positionally into `T`'s fields.
/// Written as a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireObjects<T>(pub Vec<T>);
newtype!(WireObjects<T>, Vec<T>);

impl<T> Default for WireObjects<T> {
    fn default() -> Self {
        WireObjects(Vec::new())
    }
}

impl<T> FromIterator<T> for WireObjects<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        WireObjects(iter.into_iter().collect())
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for WireObjects<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let not_an_object = |v: &Value| (!v.is_object()).then(|| found("an object", v));
        decode_items(Value::deserialize(d)?, not_an_object).map(WireObjects)
    }
}

/// A list of lists of IDs (a job's `filters`: groups ANDed within a row,
/// rows ORed). Each level is read as [`WireList`], each cell as
/// [`WireText`]; a row that is empty (or printed empty: null, `""`,
/// `false`) is dropped, as JetBackup ignores it.
/// Written as a list of lists of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WireGrid(pub Vec<Vec<String>>);
plain_newtype!(WireGrid, Vec<Vec<String>>);

impl<'de> Deserialize<'de> for WireGrid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A row may itself be printed empty (null, `""`, `false`).
        let rows: Vec<WireList<WireText>> = decode_items(Value::deserialize(d)?, |_| None)?;
        Ok(WireGrid(
            rows.into_iter()
                .map(|row| row.strings())
                .filter(|row| !row.is_empty())
                .collect(),
        ))
    }
}

/// An object field of type `T` (a job's `monitor`, the envelope's `system`).
/// Accepts an object (decoded as `T`), and `[]`, `""`, `false`, null (PHP's
/// empty array: `T`'s default). Refuses any other value. Written as `T`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WireObject<T>(pub T);
newtype!(WireObject<T>, T);

impl<'de, T: DeserializeOwned + Default> Deserialize<'de> for WireObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            v @ Value::Object(_) => nested(v).map(WireObject).map_err(D::Error::custom),
            Value::Array(a) if a.is_empty() => Ok(WireObject(T::default())),
            v if is_empty_marker(&v) => Ok(WireObject(T::default())),
            v => Err(found("an object", &v)),
        }
    }
}

/// A field that may be unset: null and `""` are `None`, anything else is
/// read as `T` (a job's `next_run`, `time`). Written as null or as `T`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WireOpt<T>(pub Option<T>);
newtype!(WireOpt<T>, Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for WireOpt<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(WireOpt(None)),
            Value::String(s) if s.is_empty() => Ok(WireOpt(None)),
            v => nested(v)
                .map(|t| WireOpt(Some(t)))
                .map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    #[test]
    fn text_accepts_strings_numbers_and_null() {
        for (v, want) in [
            (json!("abc"), "abc"),
            (json!(""), ""),
            (json!(12), "12"),
            (json!(null), ""),
        ] {
            assert_eq!(read::<WireText>(v.clone()).unwrap(), want, "{v}");
        }
        for (v, what) in [
            (json!(true), "a boolean"),
            (json!(["a"]), "a list"),
            (json!({"$oid": "x"}), "an object"),
        ] {
            let err = read::<WireText>(v).unwrap_err();
            assert_eq!(err, format!("expected a string, found {what}"));
        }
        assert_eq!(json!(WireText::from("7")), json!("7"));
    }

    #[test]
    fn int_accepts_numbers_numeric_strings_and_empties() {
        for (v, want) in [
            (json!(5), 5),
            (json!(-3), -3),
            (json!(2.9), 2),
            (json!("42"), 42),
            (json!(" 7 "), 7),
            (json!(""), 0),
            (json!(null), 0),
            (json!(true), 1),
            (json!(false), 0),
        ] {
            assert_eq!(read::<WireInt>(v.clone()).unwrap(), want, "{v}");
        }
        for (v, what) in [
            (json!("accounts"), "a string that is not one"),
            (json!([1]), "a list"),
            (json!({}), "an object"),
        ] {
            let err = read::<WireInt>(v).unwrap_err();
            assert_eq!(err, format!("expected an integer, found {what}"));
        }
        assert_eq!(json!(WireInt(9)), json!(9));
    }

    #[test]
    fn bool_accepts_every_php_spelling() {
        for (v, want) in [
            (json!(1), true),
            (json!(0), false),
            (json!(2), true),
            (json!("1"), true),
            (json!("0"), false),
            (json!(" 7"), true),
            (json!("TRUE"), true),
            (json!("false"), false),
            (json!(""), false),
            (json!(true), true),
            (json!(false), false),
            (json!(null), false),
        ] {
            assert_eq!(read::<WireBool>(v.clone()).unwrap(), want, "{v}");
        }
        for (v, what) in [
            (
                json!("yes"),
                "a string other than an integer, true, false or empty",
            ),
            (json!([1]), "a list"),
            (json!({"a": 1}), "an object"),
        ] {
            let err = read::<WireBool>(v).unwrap_err();
            assert_eq!(err, format!("expected a boolean, found {what}"));
        }
        assert_eq!(json!([WireBool(true), WireBool(false)]), json!([1, 0]));
    }

    #[test]
    fn list_accepts_php_arrays_with_holes_and_empties() {
        let holes: WireList<WireText> = read(json!({"1": "b", "0": "a", "10": "c"})).unwrap();
        assert_eq!(holes.strings(), ["a", "b", "c"]);
        let plain: WireList<WireInt> = read(json!([1, "2"])).unwrap();
        assert_eq!(plain.0, [WireInt(1), WireInt(2)]);
        for empty in [json!(""), json!(false), json!(null), json!([]), json!({})] {
            assert!(
                read::<WireList<WireText>>(empty.clone())
                    .unwrap()
                    .is_empty(),
                "{empty}"
            );
        }
        for (v, what) in [
            (json!(5), "a number"),
            (json!(true), "a boolean"),
            (json!("a"), "a string"),
            (json!({"a": "b"}), "an object"),
        ] {
            let err = read::<WireList<WireText>>(v).unwrap_err();
            assert_eq!(err, format!("expected a list, found {what}"));
        }
        let err = read::<WireList<WireText>>(json!(["a", {"_id": "x"}])).unwrap_err();
        assert_eq!(err, "[1]: expected a string, found an object");
        let err = read::<WireList<WireText>>(json!(["a", null])).unwrap_err();
        assert_eq!(err, "[1]: expected a value, found null");
        let err = read::<WireObjects<Pair>>(json!([{"a": 1}, [2]])).unwrap_err();
        assert_eq!(err, "[1]: expected an object, found a list");
        let objects: WireObjects<Pair> = read(json!({"1": {"a": "2"}, "0": {}})).unwrap();
        assert_eq!(objects.0, [Pair { a: WireInt(0) }, Pair { a: WireInt(2) }]);
        assert_eq!(
            json!(WireList::<WireText>::from(vec!["a".to_string()])),
            json!(["a"])
        );
    }

    #[test]
    fn grid_drops_empty_rows_and_refuses_flat_lists() {
        let g: WireGrid = read(json!([["a", 1], [], null, {"0": "c"}])).unwrap();
        assert_eq!(g.0, vec![vec!["a", "1"], vec!["c"]]);
        assert!(read::<WireGrid>(json!("")).unwrap().is_empty());
        let err = read::<WireGrid>(json!(["g"])).unwrap_err();
        assert_eq!(err, "[0]: expected a list, found a string");
        assert_eq!(json!(g), json!([["a", "1"], ["c"]]));
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Pair {
        #[serde(default)]
        a: WireInt,
    }

    #[test]
    fn object_accepts_an_object_or_an_empty_php_array() {
        assert_eq!(read::<WireObject<Pair>>(json!({"a": "3"})).unwrap().a, 3);
        for empty in [json!([]), json!(""), json!(null), json!(false)] {
            assert_eq!(read::<WireObject<Pair>>(empty).unwrap().0, Pair::default());
        }
        for (v, what) in [
            (json!("on"), "a string"),
            (json!([1]), "a list"),
            (json!(1), "a number"),
        ] {
            let err = read::<WireObject<Pair>>(v).unwrap_err();
            assert_eq!(err, format!("expected an object, found {what}"));
        }
        // The path inside comes first, for `decode_at` to join.
        let err = read::<WireObject<Pair>>(json!({"a": "x"})).unwrap_err();
        assert_eq!(
            err,
            ".a: expected an integer, found a string that is not one"
        );
    }

    #[test]
    fn opt_is_unset_for_null_and_empty_string() {
        assert_eq!(read::<WireOpt<WireInt>>(json!(null)).unwrap().0, None);
        assert_eq!(read::<WireOpt<WireInt>>(json!("")).unwrap().0, None);
        assert_eq!(
            read::<WireOpt<WireInt>>(json!("945")).unwrap().0,
            Some(WireInt(945))
        );
        let err = read::<WireOpt<WireInt>>(json!("noon")).unwrap_err();
        assert!(err.starts_with("expected an integer"), "{err}");
        assert_eq!(json!(WireOpt::<WireText>(None)), json!(null));
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
