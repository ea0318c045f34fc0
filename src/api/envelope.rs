//! The response envelope every JetBackup 5 function returns:
//! `{"success": 1, "message": "…", "system": {…}, "data": …}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

/// The `system` block: what server answered. Only informational.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemInfo {
    #[serde(deserialize_with = "lenient::string")]
    pub version: String,
    #[serde(deserialize_with = "lenient::string")]
    pub version_panel: String,
    #[serde(deserialize_with = "lenient::string")]
    pub tier: String,
    /// Panel type as JetBackup names it: `cPanel`, `DirectAdmin`, `Linux`.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub panel_type: String,
    /// A hint from the server to wait before retrying, in milliseconds.
    #[serde(deserialize_with = "lenient::i64")]
    pub retry_ms: i64,
}

/// A decoded envelope. `data` stays raw JSON until the caller knows its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub success: bool,
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: String,
    #[serde(default, deserialize_with = "lenient::object_or_default")]
    pub system: SystemInfo,
    #[serde(default)]
    pub data: Value,
}

/// Why a body could not be read as an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAnEnvelope {
    /// Not JSON at all (an HTML login page, a proxy error page, …) or cut short.
    NotJson(String),
    /// JSON, but without the `success` field.
    MissingSuccess,
}

impl Envelope {
    pub fn parse(body: &[u8]) -> Result<Envelope, NotAnEnvelope> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| NotAnEnvelope::NotJson(e.to_string()))?;
        if value.get("success").is_none() {
            return Err(NotAnEnvelope::MissingSuccess);
        }
        serde_json::from_value(value).map_err(|e| NotAnEnvelope::NotJson(e.to_string()))
    }
}
