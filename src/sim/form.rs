//! Reading request parameters the way the PHP entry point would, with
//! refusals that name the offending parameter.
//!
//! A request is one [`FormValue`] map built from the query string and the form
//! body (see [`request_form`]). Every helper here returns the exact
//! `success: 0` message on a bad value, so that the caller only has to
//! propagate it.

use crate::api::wire::{parse_pairs, FormValue};

/// The merged request parameters, like PHP's `$_REQUEST` with the default
/// `request_order = "GP"`: the query string first, then the body, a body key
/// replacing the query's key of the same name as a whole (`array_merge` is
/// shallow, so `a[0]` in the query and `a[1]` in the body do not combine).
/// Inferred: that the entry point reads `$_REQUEST` (so both GET and POST
/// parameters) comes from the panel-integration SDK, not from the API docs.
pub fn request_form(query: &str, body: &str) -> FormValue {
    let get = FormValue::from_pairs(&parse_pairs(query));
    let post = FormValue::from_pairs(&parse_pairs(body));
    let (FormValue::Map(mut merged), FormValue::Map(post)) = (get, post) else {
        // from_pairs always builds a map at the top level.
        return FormValue::Map(Vec::new());
    };
    for (k, v) in post {
        match merged.iter_mut().find(|(mk, _)| *mk == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    FormValue::Map(merged)
}

/// Entries of a map with their keys, numeric keys in numeric order (the order
/// PHP would iterate a list built from `key[0]`, `key[1]`, …).
pub fn keyed_entries(v: &FormValue) -> Vec<(&str, &FormValue)> {
    match v {
        FormValue::Map(entries) => {
            let mut out: Vec<(&str, &FormValue)> =
                entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
            out.sort_by_key(|(k, _)| k.parse::<i64>().unwrap_or(i64::MAX));
            out
        }
        FormValue::Str(_) => Vec::new(),
    }
}

/// A single value (`key=v`); a list where one value is expected is refused.
pub fn scalar<'a>(key: &str, v: &'a FormValue) -> Result<&'a str, String> {
    v.as_str()
        .ok_or_else(|| format!("Invalid parameter '{key}': must be a single value, not a list"))
}

/// An optional scalar parameter of the request.
pub fn opt_scalar<'a>(form: &'a FormValue, key: &str) -> Result<Option<&'a str>, String> {
    form.get(key).map(|v| scalar(key, v)).transpose()
}

/// A required, non-empty scalar parameter.
pub fn required<'a>(form: &'a FormValue, key: &str) -> Result<&'a str, String> {
    match opt_scalar(form, key)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(format!("Missing required parameter '{key}'")),
    }
}

/// A decimal integer, strictly: optional `-`, digits, nothing else. (PHP's
/// `intval` would read `"12abc"` as 12; refusing it catches client bugs.)
pub fn int(key: &str, s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "Invalid parameter '{key}': must be an integer, got '{s}'"
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("Invalid parameter '{key}': integer out of range"))
}

/// A non-negative integer.
pub fn non_negative(key: &str, s: &str) -> Result<i64, String> {
    match int(key, s) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(format!(
            "Invalid parameter '{key}': must be a non-negative integer, got '{s}'"
        )),
    }
}

/// An integer from a fixed set.
pub fn one_of(key: &str, s: &str, allowed: &[i64]) -> Result<i64, String> {
    let list = allowed
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match int(key, s) {
        Ok(n) if allowed.contains(&n) => Ok(n),
        _ => Err(format!("Invalid parameter '{key}': must be one of {list}")),
    }
}

/// `0` or `1`; JetBackup does not accept the literals `true`/`false`.
pub fn flag(key: &str, s: &str) -> Result<bool, String> {
    match s {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(format!(
            "Invalid parameter '{key}': must be 0 or 1, got '{s}'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_replaces_query_keys_whole() {
        let f = request_form("function=getX&a[0]=q&keep=1", "a[1]=b&function=getY");
        assert_eq!(f.get("function").and_then(FormValue::as_str), Some("getY"));
        assert_eq!(f.get("keep").and_then(FormValue::as_str), Some("1"));
        let a = f.get("a").map(keyed_entries).unwrap_or_default();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].0, "1");
    }

    #[test]
    fn integers_are_strict() {
        assert_eq!(int("x", "-12"), Ok(-12));
        for bad in ["", "-", "1.5", "12abc", " 1", "0x10"] {
            assert!(int("x", bad).unwrap_err().contains("'x'"), "{bad}");
        }
        assert!(non_negative("n", "-1").is_err());
        assert_eq!(one_of("s", "4", &[1, 2, 4]), Ok(4));
        assert_eq!(
            one_of("structure", "3", &[1, 2, 4]).unwrap_err(),
            "Invalid parameter 'structure': must be one of 1, 2, 4"
        );
        assert!(flag("disabled", "true").is_err());
    }

    #[test]
    fn keyed_entries_sort_numerically() {
        let f = request_form("", "l[10]=c&l[2]=b&l[0]=a");
        let keys: Vec<&str> = f
            .get("l")
            .map(keyed_entries)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, vec!["0", "2", "10"]);
    }
}
