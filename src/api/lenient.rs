//! Forgiving readings of JetBackup's loosely typed JSON, which never fail.
//!
//! The API prints booleans as `1`, `0`, `"1"`, `true`, `false`, `null` or an
//! empty string, integers sometimes as strings, and an empty PHP array as `[]`
//! where an object is expected (or an object `{"0": …}` where a list is
//! expected, after PHP unsets an element). The models declare their fields
//! with the strict types of [`super::wire_json`] instead; what remains here
//! are the `value_to_*` readings of single values, for code that reads raw
//! JSON by a table rather than a model (`api::object::codec`, an object's
//! `_id`, the simulator's schedule clock and list filters).

use serde_json::Value;

/// Truthiness as JetBackup prints it.
pub fn value_to_bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => {
            let s = s.trim();
            !(s.is_empty()
                || s == "0"
                || s.eq_ignore_ascii_case("false")
                || s.eq_ignore_ascii_case("null"))
        }
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// An integer, or `None` for null/empty/non-numeric.
pub fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// A string, or `None` for null/empty; numbers are printed.
pub fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some((*b as i64).to_string()),
        _ => None,
    }
}

/// Elements of a JSON list, accepting a PHP array printed as an object with
/// numeric keys (ordered by key) and treating null/""/false as empty.
pub fn value_to_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::Object(o) => {
            let mut items: Vec<(i64, &Value)> = o
                .iter()
                .map(|(k, v)| (k.parse::<i64>().unwrap_or(i64::MAX), v))
                .collect();
            items.sort_by_key(|(k, _)| *k);
            items.into_iter().map(|(_, v)| v.clone()).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn booleans_in_every_spelling() {
        for (v, want) in [
            (json!(1), true),
            (json!(0), false),
            (json!("1"), true),
            (json!("0"), false),
            (json!(true), true),
            (json!(false), false),
            (json!(null), false),
            (json!(""), false),
        ] {
            assert_eq!(value_to_bool(&v), want, "{v}");
        }
    }

    #[test]
    fn php_array_as_object_is_a_list() {
        let v = json!({"1": "b", "0": "a", "10": "c"});
        assert_eq!(value_to_list(&v), vec![json!("a"), json!("b"), json!("c")]);
    }
}
