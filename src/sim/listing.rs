//! The one implementation of `limit`, `skip`, `sort[field]`, `find[field]` and
//! `filter` shared by every `list*` function.
//!
//! Lists work on the objects exactly as they are returned (JSON values), so
//! `find` and `sort` see the same fields, with the same types, as a client.

use std::cmp::Ordering;

use serde_json::Value;

use crate::api::lenient::value_to_string;
use crate::api::wire::FormValue;

use super::form::{int, keyed_entries, opt_scalar, scalar};

/// The server's page size when no `limit` is given.
pub const DEFAULT_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    /// `None`: no limit.
    pub limit: Option<usize>,
    pub skip: usize,
    /// Fields in priority order, `true` for ascending.
    pub sort: Vec<(String, bool)>,
    pub find: Vec<(String, String)>,
    pub filter: Option<String>,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            limit: Some(DEFAULT_LIMIT),
            skip: 0,
            sort: Vec::new(),
            find: Vec::new(),
            filter: None,
        }
    }
}

/// Reads the list parameters of a request. Inferred: every `list*` function
/// accepts `find[field]` (seen only on some) and returns `total` (seen only
/// on some).
pub fn parse_list_params(form: &FormValue) -> Result<ListParams, String> {
    let mut p = ListParams::default();
    if let Some(s) = opt_scalar(form, "limit")?.filter(|s| !s.is_empty()) {
        p.limit = match int("limit", s)? {
            // Inferred: JetBackup stores its data in MongoDB, where a limit of
            // 0 means "no limit".
            0 => None,
            n if n > 0 => Some(n as usize),
            _ => return Err("Invalid parameter 'limit': must not be negative".to_string()),
        };
    }
    if let Some(s) = opt_scalar(form, "skip")?.filter(|s| !s.is_empty()) {
        let n = int("skip", s)?;
        if n < 0 {
            return Err("Invalid parameter 'skip': must not be negative".to_string());
        }
        p.skip = n as usize;
    }
    if let Some(sort) = form.get("sort") {
        if sort.as_str().is_some_and(|s| !s.is_empty()) {
            return Err("Invalid parameter 'sort': must be sort[field]=1 or -1".to_string());
        }
        for (field, dir) in keyed_entries_in_order(sort) {
            let key = format!("sort[{field}]");
            p.sort.push((
                field.to_string(),
                match scalar(&key, dir)? {
                    "1" => true,
                    "-1" => false,
                    _ => return Err(format!("Invalid parameter '{key}': must be 1 or -1")),
                },
            ));
        }
    }
    if let Some(find) = form.get("find") {
        if find.as_str().is_some_and(|s| !s.is_empty()) {
            return Err("Invalid parameter 'find': must be find[field]=value".to_string());
        }
        for (field, value) in keyed_entries(find) {
            let key = format!("find[{field}]");
            p.find
                .push((field.to_string(), scalar(&key, value)?.to_string()));
        }
    }
    // Free-text search, as JetApps' own scripts use it (`filter=<name>`).
    // Inferred: a case-insensitive substring match on `name`.
    p.filter = opt_scalar(form, "filter")?
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    Ok(p)
}

/// Sort keys keep the order they were sent in (the first is the primary key).
fn keyed_entries_in_order(v: &FormValue) -> Vec<(&str, &FormValue)> {
    match v {
        FormValue::Map(entries) => entries.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        FormValue::Str(_) => Vec::new(),
    }
}

/// Whether a field matches a `find` value: the value as printed, or, for a
/// list field, any element of it (inferred: MongoDB matches arrays by element).
fn field_matches(field: Option<&Value>, wanted: &str) -> bool {
    match field {
        None | Some(Value::Null) => wanted.is_empty(),
        Some(Value::Array(items)) => items
            .iter()
            .any(|i| value_to_string(i).as_deref() == Some(wanted)),
        Some(v) => value_to_string(v).unwrap_or_default() == wanted,
    }
}

/// Orders JSON values: null, then booleans, numbers, strings; lists and
/// objects compare equal (sorting by them is not meaningful).
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            _ => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Applies `filter`, `find`, `sort` (stable: equal items keep creation order),
/// then `skip` and `limit`. Returns the page and the count before paging.
pub fn page(items: Vec<Value>, p: &ListParams) -> (Vec<Value>, usize) {
    let mut items: Vec<Value> = items
        .into_iter()
        .filter(|item| {
            p.find
                .iter()
                .all(|(field, wanted)| field_matches(item.get(field), wanted))
        })
        .filter(|item| match &p.filter {
            Some(text) => item
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.to_lowercase().contains(text)),
            None => true,
        })
        .collect();
    if !p.sort.is_empty() {
        items.sort_by(|a, b| {
            p.sort
                .iter()
                .map(|(field, asc)| {
                    let o = compare(a.get(field), b.get(field));
                    if *asc {
                        o
                    } else {
                        o.reverse()
                    }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }
    let total = items.len();
    let page = items
        .into_iter()
        .skip(p.skip)
        .take(p.limit.unwrap_or(usize::MAX))
        .collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::parse_pairs;
    use serde_json::json;

    fn params(s: &str) -> ListParams {
        parse_list_params(&FormValue::from_pairs(&parse_pairs(s))).unwrap()
    }

    fn items() -> Vec<Value> {
        (0..250)
            .map(|i| {
                let t = [1, 2, 4][i % 3];
                json!({
                    "_id": format!("{:024x}", 1000 - i),
                    "name": format!("job {:03}", (i * 37) % 250),
                    "type": t,
                    "disabled": i % 2,
                    "destination": [format!("d{}", i % 5)],
                    "next_run": null,
                })
            })
            .collect()
    }

    fn names(v: &[Value]) -> Vec<&str> {
        v.iter().filter_map(|x| x["name"].as_str()).collect()
    }

    #[test]
    fn default_page_is_100_with_the_full_total() {
        let (page, total) = page(items(), &params(""));
        assert_eq!((page.len(), total), (100, 250));
        assert_eq!(page[0]["name"], "job 000");
    }

    #[test]
    fn limit_and_skip() {
        let (p, total) = page(items(), &params("limit=30&skip=240"));
        assert_eq!((p.len(), total), (10, 250));
        let (p, _) = page(items(), &params("limit=0"));
        assert_eq!(p.len(), 250);
        let (p, _) = page(items(), &params("skip=1000"));
        assert!(p.is_empty());
    }

    #[test]
    fn sort_by_name_id_and_type() {
        let (p, _) = page(items(), &params("sort[name]=1&limit=3"));
        assert_eq!(names(&p), vec!["job 000", "job 001", "job 002"]);
        let (p, _) = page(items(), &params("sort[name]=-1&limit=2"));
        assert_eq!(names(&p), vec!["job 249", "job 248"]);
        let (p, _) = page(items(), &params("sort[_id]=1&limit=1"));
        assert_eq!(p[0]["_id"], format!("{:024x}", 1000 - 249));
        // Type descending, then name ascending within a type.
        let (p, _) = page(items(), &params("sort[type]=-1&sort[name]=1&limit=0"));
        assert!(p.windows(2).all(|w| {
            let (a, b) = (&w[0], &w[1]);
            a["type"].as_i64() > b["type"].as_i64()
                || (a["type"] == b["type"] && a["name"].as_str() <= b["name"].as_str())
        }));
    }

    #[test]
    fn find_matches_exactly_before_paging() {
        let (p, total) = page(items(), &params("find[type]=2&limit=5"));
        assert_eq!(total, 83);
        assert_eq!(p.len(), 5);
        assert!(p.iter().all(|x| x["type"] == 2));
        let (_, total) = page(items(), &params("find[type]=2&find[disabled]=1"));
        assert_eq!(total, 42);
        let (p, total) = page(items(), &params("find[name]=job%20007"));
        assert_eq!((total, names(&p)), (1, vec!["job 007"]));
        let (_, total) = page(items(), &params("find[name]=job%200"));
        assert_eq!(total, 0);
        // List fields match by element; null matches the empty string.
        let (_, total) = page(items(), &params("find[destination]=d3"));
        assert_eq!(total, 50);
        let (_, total) = page(items(), &params("find[next_run]="));
        assert_eq!(total, 250);
    }

    #[test]
    fn filter_is_a_name_substring() {
        let (_, total) = page(items(), &params("filter=JOB%2000"));
        assert_eq!(total, 10);
    }

    #[test]
    fn bad_list_params_name_the_parameter() {
        for (q, key) in [
            ("limit=x", "'limit'"),
            ("skip=-1", "'skip'"),
            ("sort[name]=up", "'sort[name]'"),
            ("find[name][x]=1", "'find[name]'"),
        ] {
            let e = parse_list_params(&FormValue::from_pairs(&parse_pairs(q))).unwrap_err();
            assert!(e.contains(key), "{q}: {e}");
        }
    }
}
