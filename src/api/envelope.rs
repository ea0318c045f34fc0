//! The response envelope every JetBackup 5 function returns:
//! `{"success": 1, "message": "…", "system": {…}, "data": …}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire_json::{self, WireBool, WireInt, WireObject, WireText};

/// The `system` block: what server answered. Only informational.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemInfo {
    pub version: WireText,
    pub version_panel: WireText,
    pub tier: WireText,
    /// Panel type as JetBackup names it: `cPanel`, `DirectAdmin`, `Linux`.
    #[serde(rename = "type")]
    pub panel_type: WireText,
    /// A hint from the server to wait before retrying, in milliseconds.
    pub retry_ms: WireInt,
}

/// A decoded envelope. `data` stays raw JSON until the caller knows its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub success: WireBool,
    #[serde(default)]
    pub message: WireText,
    #[serde(default)]
    pub system: WireObject<SystemInfo>,
    #[serde(default)]
    pub data: Value,
    /// Size of the reply body it was read from, in bytes (what a listing
    /// counts against its cap); not part of the wire format.
    #[serde(skip)]
    pub body_len: usize,
}

/// Why a body could not be read as an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAnEnvelope {
    /// Not JSON at all (an HTML login page, a proxy error page, …) or cut short.
    NotJson(String),
    /// JSON, but without the `success` field.
    MissingSuccess,
    /// An envelope field of a type that cannot mean what it means (where,
    /// and what was found).
    BadField(String),
}

impl Envelope {
    pub fn parse(body: &[u8]) -> Result<Envelope, NotAnEnvelope> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| NotAnEnvelope::NotJson(e.to_string()))?;
        if value.get("success").is_none() {
            return Err(NotAnEnvelope::MissingSuccess);
        }
        let mut envelope: Envelope =
            wire_json::decode_at(value, "reply").map_err(NotAnEnvelope::BadField)?;
        envelope.body_len = body.len();
        Ok(envelope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_reads_php_spellings_and_names_a_wrong_field() {
        let e = Envelope::parse(br#"{"success": "1", "system": [], "data": {}}"#).unwrap();
        assert!(*e.success && e.message.is_empty() && e.system.retry_ms == 0);
        let e = Envelope::parse(br#"{"success": 0, "system": {"retry_ms": "250"}}"#).unwrap();
        assert_eq!(e.system.retry_ms, 250);
        for (body, want) in [
            (
                r#"{"success": 0, "message": ["no"]}"#,
                "reply.message: expected a string, found a list",
            ),
            (
                r#"{"success": 1, "system": {"retry_ms": "soon"}}"#,
                "reply.system.retry_ms: expected an integer, found a string that is not one",
            ),
            (
                r#"{"success": "ok"}"#,
                "reply.success: expected a boolean, found a string other than an integer, true, false or empty",
            ),
        ] {
            assert_eq!(
                Envelope::parse(body.as_bytes()),
                Err(NotAnEnvelope::BadField(want.to_string())),
                "{body}"
            );
        }
    }
}
