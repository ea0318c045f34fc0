//! Terraform's values on the wire (`DynamicValue`): MessagePack, or JSON
//! for stored state, decoded into and encoded from the typed states of the
//! resources through serde.
//!
//! The encoding matches what release 0.1.0 (served by tf-provider) wrote, so
//! private state saved by it decodes the same: values and private state are
//! MessagePack maps with field names (`rmp_serde::to_vec_named`), and empty
//! bytes read as null.

use serde::{Deserialize, Serialize};
use tf_provider::Diagnostics;

use super::proto::tfplugin6 as tf;

/// MessagePack's nil.
const NIL: &[u8] = &[0xc0];

/// One value as Terraform sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dynamic {
    MessagePack(Vec<u8>),
    Json(Vec<u8>),
}

impl Dynamic {
    /// The null value.
    pub fn null() -> Dynamic {
        Dynamic::MessagePack(NIL.to_vec())
    }

    /// `value` encoded as Terraform reads it (MessagePack with field names).
    pub fn encode<T: Serialize>(diags: &mut Diagnostics, value: &T) -> Option<Dynamic> {
        encode_bytes(diags, value).map(Dynamic::MessagePack)
    }

    /// Whether this is null (Terraform sends an empty value for null too).
    pub fn is_null(&self) -> bool {
        match self {
            Dynamic::MessagePack(b) => b.is_empty() || b == NIL,
            Dynamic::Json(b) => {
                let t = b.trim_ascii();
                t.is_empty() || t == b"null"
            }
        }
    }

    /// The value as `T`; a decoding error is an error diagnostic.
    pub fn decode<'a, T: Deserialize<'a>>(&'a self, diags: &mut Diagnostics) -> Option<T> {
        let decoded = match self {
            Dynamic::MessagePack(b) => {
                let b = if b.is_empty() { NIL } else { b.as_slice() };
                rmp_serde::from_slice(b).map_err(|e| e.to_string())
            }
            Dynamic::Json(b) => {
                let b = if b.trim_ascii().is_empty() {
                    b"null".as_slice()
                } else {
                    b.as_slice()
                };
                serde_json::from_slice(b).map_err(|e| e.to_string())
            }
        };
        decoded
            .map_err(|e| {
                diags.root_error(
                    "Terraform sent a value the provider cannot read",
                    format!("{e}. This is a bug in the provider; please report it."),
                )
            })
            .ok()
    }
}

impl From<tf::DynamicValue> for Dynamic {
    fn from(v: tf::DynamicValue) -> Dynamic {
        // Terraform sets one of the two; JSON only for stored state.
        if v.msgpack.is_empty() && !v.json.is_empty() {
            Dynamic::Json(v.json)
        } else {
            Dynamic::MessagePack(v.msgpack)
        }
    }
}

impl From<Dynamic> for tf::DynamicValue {
    fn from(v: Dynamic) -> tf::DynamicValue {
        match v {
            Dynamic::MessagePack(msgpack) => tf::DynamicValue {
                msgpack,
                json: Vec::new(),
            },
            Dynamic::Json(json) => tf::DynamicValue {
                msgpack: Vec::new(),
                json,
            },
        }
    }
}

/// A request's value, null when Terraform left it out.
pub fn or_null(v: Option<tf::DynamicValue>) -> Dynamic {
    v.map_or_else(Dynamic::null, Dynamic::from)
}

/// `value` as MessagePack bytes with field names (values and private state).
pub fn encode_bytes<T: Serialize>(diags: &mut Diagnostics, value: &T) -> Option<Vec<u8>> {
    rmp_serde::to_vec_named(value)
        .map_err(|e| {
            diags.root_error(
                "The provider could not encode a value for Terraform",
                format!("{e}. This is a bug in the provider; please report it."),
            )
        })
        .ok()
}

/// Private state as stored by Terraform: MessagePack, empty for none.
pub fn decode_private<'a, T: Deserialize<'a>>(
    diags: &mut Diagnostics,
    bytes: &'a [u8],
) -> Option<T> {
    let b = if bytes.is_empty() { NIL } else { bytes };
    rmp_serde::from_slice(b)
        .map_err(|e| {
            diags.root_error(
                "The provider cannot read its private state for this resource",
                format!("{e}. This is a bug in the provider; please report it."),
            )
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use tf_provider::value::{Value, ValueEmpty, ValueString};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct State<'a> {
        #[serde(borrow)]
        name: ValueString<'a>,
        id: ValueString<'a>,
        count: Value<i64>,
    }

    #[test]
    fn a_state_round_trips_through_messagepack_with_unknowns_and_nulls() {
        let mut diags = Diagnostics::default();
        let state = State {
            name: Value::Value(Cow::Borrowed("nightly")),
            id: Value::Unknown,
            count: Value::Null,
        };
        let encoded = Dynamic::encode(&mut diags, &state).unwrap();
        let back: State = encoded.decode(&mut diags).unwrap();
        assert_eq!(back, state);
        assert!(diags.errors.is_empty());
        // Unknown is MessagePack extension type 0 with an empty payload (ext 8).
        let Dynamic::MessagePack(bytes) = &encoded else {
            panic!("not MessagePack")
        };
        assert!(bytes.windows(3).any(|w| w == [0xc7, 0x00, 0x00]));
    }

    #[test]
    fn stored_state_is_read_from_json() {
        let mut diags = Diagnostics::default();
        let json = Dynamic::from(tf::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"name":"a","id":"1","count":3}"#.to_vec(),
        });
        let s: State = json.decode(&mut diags).unwrap();
        assert_eq!(s.count, Value::Value(3));
        assert_eq!(s.id, Value::Value(Cow::Borrowed("1")));
    }

    #[test]
    fn null_and_empty_values_are_null() {
        assert!(Dynamic::null().is_null());
        assert!(Dynamic::MessagePack(Vec::new()).is_null());
        assert!(Dynamic::Json(b" null ".to_vec()).is_null());
        assert!(or_null(None).is_null());
        let mut diags = Diagnostics::default();
        let v = Dynamic::encode(&mut diags, &Value::Value(1i64)).unwrap();
        assert!(!v.is_null());
    }

    #[test]
    fn empty_private_state_is_null_and_round_trips() {
        let mut diags = Diagnostics::default();
        let empty: ValueEmpty = decode_private(&mut diags, &[]).unwrap();
        assert!(empty.is_null());
        let bytes = encode_bytes(&mut diags, &empty).unwrap();
        let back: ValueEmpty = decode_private(&mut diags, &bytes).unwrap();
        assert_eq!(back, empty);
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_an_error_diagnostic_not_a_panic() {
        let mut diags = Diagnostics::default();
        let v = Dynamic::encode(&mut diags, &"just a string").unwrap();
        assert!(v.decode::<State>(&mut diags).is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].summary.contains("cannot read"));
    }
}
