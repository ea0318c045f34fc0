//! Scalars as PHP prints them: text, integers and booleans.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::super::tests::read;
    use super::*;
    use serde_json::json;

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
}
