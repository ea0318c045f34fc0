//! Lists, grids, objects and optional values as PHP prints them (a list
//! that lost an element comes back as an object with numeric keys).

use super::*;

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
    use super::super::tests::{read, Pair};
    use super::*;
    use serde_json::json;

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
}
