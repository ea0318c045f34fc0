//! Numbers as Terraform sends them, read wider than `i64`.
//!
//! A number attribute arrives as an integer when it is whole and fits 64
//! bits, else as a float (`1.5`, `1e30`) or, beyond a float's precision, as
//! text. Read straight into `i64`, anything but the first fails the whole
//! resource with serde's "data did not match any variant of untagged enum
//! Value", before validation can say which attribute is wrong. So number
//! attributes are read here: a number that is not a whole 64-bit integer
//! is read as unknown and noted with its attribute path and its text
//! ([`NotWhole`]), and validation refuses it on that attribute with the
//! attribute's allowed range. Notes are gathered per deserialization
//! ([`collecting`]), on the thread that runs it, and stored in the state
//! value the deserialization returns.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use tf_provider::value::{Value, ValueAny};
use tf_provider::AttributePath;

/// A number attribute whose value is not a whole number within 64 bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWhole {
    /// Attribute and block names from the resource's root
    /// (`["schedules", "retain"]`); list and set positions are left out.
    pub path: Vec<String>,
    /// The value as written (`1.5`, `1e+30`).
    pub raw: String,
}

impl NotWhole {
    /// The attribute's name (the last step of its path).
    pub fn attr(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    pub fn attribute_path(&self) -> AttributePath {
        let mut steps = self.path.iter();
        let Some(first) = steps.next() else {
            return AttributePath::root();
        };
        steps.fold(AttributePath::new(first.clone()), |p, s| {
            p.attribute(s.clone())
        })
    }
}

thread_local! {
    static NOTED: RefCell<Vec<NotWhole>> = const { RefCell::new(Vec::new()) };
}

fn note(path: Vec<String>, raw: String) {
    NOTED.with(|n| n.borrow_mut().push(NotWhole { path, raw }));
}

/// Runs `f` (a deserialization) and returns what it noted, with `prefix`
/// put before each path. Nested calls each get their own notes.
pub fn collecting<T>(prefix: &[&str], f: impl FnOnce() -> T) -> (T, Vec<NotWhole>) {
    let outer = NOTED.with(|n| std::mem::take(&mut *n.borrow_mut()));
    let result = f();
    let mut noted = NOTED.with(|n| std::mem::replace(&mut *n.borrow_mut(), outer));
    for n in &mut noted {
        let mut path: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
        path.append(&mut n.path);
        n.path = path;
    }
    (result, noted)
}

/// A number however Terraform encoded it.
enum Wide {
    Whole(i64),
    Other(String),
    Null,
    Unknown,
}

struct WideVisitor;

impl<'de> Visitor<'de> for WideVisitor {
    type Value = Wide;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, n: i64) -> Result<Wide, E> {
        Ok(Wide::Whole(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Wide, E> {
        Ok(i64::try_from(n).map_or_else(|_| Wide::Other(n.to_string()), Wide::Whole))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Wide, E> {
        Ok(Wide::Other(n.to_string()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Wide, E> {
        // Terraform's encoding of a number beyond a float's precision.
        Ok(Wide::Other(s.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Wide, E> {
        Ok(Wide::Null)
    }
    fn visit_none<E>(self) -> Result<Wide, E> {
        Ok(Wide::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Wide, D::Error> {
        d.deserialize_any(WideVisitor)
    }
    // Terraform's unknown value: a MessagePack extension.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Wide, D::Error> {
        IgnoredAny::deserialize(d)?;
        Ok(Wide::Unknown)
    }
}

/// Reads a number attribute named `name` as `Value<i64>`; a number that is
/// not a whole 64-bit integer is read as unknown and noted.
pub fn read<'de, D: Deserializer<'de>>(d: D, name: &str) -> Result<Value<i64>, D::Error> {
    Ok(match d.deserialize_any(WideVisitor)? {
        Wide::Whole(n) => Value::Value(n),
        Wide::Null => Value::Null,
        Wide::Unknown => Value::Unknown,
        Wide::Other(raw) => {
            let path = if name.is_empty() {
                Vec::new()
            } else {
                vec![name.to_string()]
            };
            note(path, raw);
            Value::Unknown
        }
    })
}

/// Reads any attribute value as [`ValueAny`], at `path`; a number that is
/// not a whole 64-bit integer is read as unknown and noted.
pub struct AnyAt(pub Vec<String>);

impl<'de> DeserializeSeed<'de> for AnyAt {
    type Value = ValueAny;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ValueAny, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyAt {
    type Value = ValueAny;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Terraform value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<ValueAny, E> {
        Ok(ValueAny::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<ValueAny, E> {
        Ok(ValueAny::Number(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<ValueAny, E> {
        Ok(match i64::try_from(n) {
            Ok(n) => ValueAny::Number(n),
            Err(_) => {
                note(self.0, n.to_string());
                ValueAny::Unknown
            }
        })
    }
    fn visit_f64<E>(self, n: f64) -> Result<ValueAny, E> {
        note(self.0, n.to_string());
        Ok(ValueAny::Unknown)
    }
    fn visit_str<E>(self, s: &str) -> Result<ValueAny, E> {
        Ok(ValueAny::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<ValueAny, E> {
        Ok(ValueAny::String(s))
    }
    fn visit_unit<E>(self) -> Result<ValueAny, E> {
        Ok(ValueAny::Null)
    }
    fn visit_none<E>(self) -> Result<ValueAny, E> {
        Ok(ValueAny::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ValueAny, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<ValueAny, D::Error> {
        IgnoredAny::deserialize(d)?;
        Ok(ValueAny::Unknown)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueAny, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(AnyAt(self.0.clone()))? {
            items.push(v);
        }
        Ok(ValueAny::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueAny, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let mut path = self.0.clone();
            path.push(key.clone());
            let v = map.next_value_seed(AnyAt(path))?;
            out.insert(key, v);
        }
        Ok(ValueAny::Map(out))
    }
}

/// The refusal of a noted number, on its attribute: `allowed` says what the
/// attribute takes (`an integer from 1 to 400`).
pub fn refusal(n: &NotWhole, allowed: &str) -> (String, String, AttributePath) {
    let attr = n.attr();
    (
        format!("Invalid {attr}"),
        format!(
            "{attr} is {}, which is not a whole number this provider can send; allowed: {allowed}.",
            n.raw
        ),
        n.attribute_path(),
    )
}

/// Parses an error-free deserialization for tests.
#[cfg(test)]
fn any_from_json(json: &str) -> (ValueAny, Vec<NotWhole>) {
    let (v, noted) = collecting(&[], || {
        let mut d = serde_json::Deserializer::from_str(json);
        AnyAt(Vec::new()).deserialize(&mut d)
    });
    (v.expect("json"), noted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_are_not_whole_64_bit_integers_are_noted_with_their_path() {
        let (v, noted) = any_from_json(
            r#"{"threads": 1.5, "ssh": [{"port": 22, "limit": 18446744073709551615}], "name": "x"}"#,
        );
        assert_eq!(
            noted,
            vec![
                NotWhole {
                    path: vec!["threads".into()],
                    raw: "1.5".into()
                },
                NotWhole {
                    path: vec!["ssh".into(), "limit".into()],
                    raw: "18446744073709551615".into()
                },
            ]
        );
        let ValueAny::Map(m) = v else { panic!("a map") };
        assert_eq!(m["threads"], ValueAny::Unknown);
        assert_eq!(m["name"], ValueAny::String("x".into()));
        assert_eq!(
            noted[1].attribute_path(),
            AttributePath::new("ssh").attribute("limit")
        );
    }

    #[test]
    fn whole_numbers_read_as_before() {
        let (v, noted) = any_from_json(r#"{"a": 9223372036854775807, "b": -3, "c": null}"#);
        assert!(noted.is_empty());
        let ValueAny::Map(m) = v else { panic!("a map") };
        assert_eq!(m["a"], ValueAny::Number(i64::MAX));
        assert_eq!(m["b"], ValueAny::Number(-3));
        assert_eq!(m["c"], ValueAny::Null);
    }

    #[test]
    fn a_number_attribute_notes_under_its_name_and_the_prefix() {
        #[derive(Deserialize)]
        struct Block {
            #[serde(deserialize_with = "retain")]
            retain: Value<i64>,
        }
        fn retain<'de, D: Deserializer<'de>>(d: D) -> Result<Value<i64>, D::Error> {
            read(d, "retain")
        }
        let (b, noted) = collecting(&["schedules"], || {
            serde_json::from_str::<Block>(r#"{"retain": 1e30}"#)
        });
        assert_eq!(b.expect("block").retain, Value::Unknown);
        assert_eq!(noted.len(), 1);
        assert_eq!(
            noted[0].path,
            vec!["schedules".to_string(), "retain".to_string()]
        );
        let (summary, detail, at) = refusal(&noted[0], "an integer from 0 to 10");
        assert_eq!(summary, "Invalid retain");
        assert!(
            detail.contains("1000000000000000000000000000000") && detail.contains("0 to 10"),
            "{detail}"
        );
        assert_eq!(at, AttributePath::new("schedules").attribute("retain"));
    }
}
