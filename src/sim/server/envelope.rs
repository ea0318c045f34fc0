//! The reply envelope as the server writes it: `{success, message, system,
//! data}`, fields in the server's order, `system` as a panel reports it.

use super::*;

/// The panel's name in the envelope's `system.type`.
pub fn panel_type(panel: Panel) -> &'static str {
    match panel {
        Panel::Cpanel => "cPanel",
        Panel::DirectAdmin => "DirectAdmin",
        Panel::Linux => "Linux",
    }
}

/// The envelope as it goes on the wire, fields in the server's order
/// (`success` first, as every vendor example shows it).
#[derive(Debug, Serialize)]
pub(super) struct WireEnvelope<'a> {
    success: u8,
    message: &'a str,
    system: WireSystem,
    data: &'a Value,
}

#[derive(Debug, Serialize)]
#[allow(non_snake_case)] // `licenseIssue` is the server's own spelling.
pub(super) struct WireSystem {
    version: &'static str,
    version_panel: &'static str,
    tier: &'static str,
    #[serde(rename = "type")]
    panel_type: &'static str,
    retry_ms: i64,
    disableui: u8,
    dr: u8,
    agreement_panel: u8,
    agreement: u8,
    licenseIssue: u8,
}

/// The full envelope of a reply, serialized.
pub fn envelope_bytes(panel: Panel, reply: &Reply) -> Vec<u8> {
    envelope_bytes_with_retry(panel, reply, 0)
}

/// The envelope with `system.retry_ms` set.
pub fn envelope_bytes_with_retry(panel: Panel, reply: &Reply, retry_ms: i64) -> Vec<u8> {
    let wire = WireEnvelope {
        success: u8::from(reply.success),
        message: &reply.message,
        system: WireSystem {
            version: VERSION,
            version_panel: VERSION,
            tier: "STABLE",
            panel_type: panel_type(panel),
            retry_ms,
            disableui: 0,
            dr: 0,
            agreement_panel: 0,
            agreement: 0,
            licenseIssue: 0,
        },
        data: &reply.data,
    };
    // Serializing plain data into memory cannot fail; an empty body would
    // show up as a bad reply in the client, never a panic here.
    serde_json::to_vec(&wire).unwrap_or_default()
}

/// The full envelope of a reply, as a JSON value.
pub fn envelope(panel: Panel, reply: &Reply) -> Value {
    serde_json::from_slice(&envelope_bytes(panel, reply)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let v = envelope(Panel::DirectAdmin, &Reply::fail("nope"));
        assert_eq!(v["success"], 0);
        assert_eq!(v["message"], "nope");
        assert_eq!(v["system"]["type"], "DirectAdmin");
        assert_eq!(v["system"]["version"], "5.3.3");
        assert_eq!(v["data"], serde_json::json!([]));
        let bytes = envelope_bytes(Panel::Cpanel, &Reply::ok("m", Value::Null));
        assert!(bytes.starts_with(b"{\"success\":1,\"message\":\"m\",\"system\":{\"version\""));
        let e = crate::api::envelope::Envelope::parse(v.to_string().as_bytes()).unwrap();
        assert!(!*e.success);
        assert_eq!(e.system.panel_type, "DirectAdmin");
    }
}
