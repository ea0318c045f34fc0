//! The one error type of the JetBackup client.
//!
//! Each variant is a different thing for a user to do: fix the network or
//! TLS, fix the token's privileges, fix the request the server refused, or
//! report a server that answers something other than the API. Messages never
//! contain the API token: transports only ever put it in a header, and every
//! snippet of a body quoted here goes through [`redact_snippet`].

use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum ApiError {
    #[error("{function}: cannot connect to the JetBackup API at {endpoint}: {detail}")]
    Connect {
        function: String,
        endpoint: String,
        detail: String,
    },

    #[error("{function}: TLS handshake with {endpoint} failed: {detail}. If the panel uses a self-signed certificate, set `ca_cert_pem` to its CA certificate (or `insecure = true` to skip verification)")]
    Tls {
        function: String,
        endpoint: String,
        detail: String,
    },

    #[error("{function}: no reply from the JetBackup API within {after:?}")]
    Timeout { function: String, after: Duration },

    #[error("{function}: the server answered HTTP {status}{hint}{snippet}")]
    HttpStatus {
        function: String,
        status: u16,
        hint: String,
        snippet: String,
    },

    /// The API answered `success: 0`; `message` is the server's, verbatim.
    #[error("{function} failed: {message}")]
    Refused { function: String, message: String },

    /// The object named by `_id` does not exist on the server.
    #[error("{function}: {kind} {id} does not exist: {message}")]
    NotFound {
        function: String,
        kind: String,
        id: String,
        message: String,
    },

    /// The body is not the `{success, message, system, data}` envelope.
    #[error("{function}: the reply is not a JetBackup API response ({reason}){snippet}")]
    BadResponse {
        function: String,
        reason: String,
        snippet: String,
    },

    /// The local `jetbackup5api` command could not be run.
    #[error("{function}: cannot run {command}: {detail}")]
    Cli {
        function: String,
        command: String,
        detail: String,
    },

    #[error("{function}: cancelled")]
    Cancelled { function: String },
}

impl ApiError {
    /// Whether the request may be sent again without risk, for retries.
    /// A write whose reply was lost is not in this set: it may have committed.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Connect { .. } | ApiError::Timeout { .. } => true,
            ApiError::HttpStatus { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            ApiError::BadResponse { reason, .. } => {
                reason.contains("truncated") || reason.contains("EOF")
            }
            _ => false,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }

    /// The server's own message, where the server gave one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Refused { message, .. } | ApiError::NotFound { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// Hint added to a 401/403 reply.
pub fn auth_hint(status: u16) -> String {
    match status {
        401 | 403 => " (authentication refused: check the username and API token; on cPanel/WHM the token must be a WHM API token with the privilege \"Third Party Services > Additional Software > JetBackup\", a cPanel user token is refused; on DirectAdmin use a Login Key; on Linux a token created with manageToken for this host)".to_string(),
        _ => String::new(),
    }
}

/// A short, single-line excerpt of a body for an error message, with anything
/// that looks like a credential masked. Empty when the body is empty.
pub fn redact_snippet(body: &[u8], secrets: &[&str]) -> String {
    const MAX: usize = 160;
    let text = String::from_utf8_lossy(&body[..body.len().min(4 * MAX)]);
    let mut s: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        s = s.replace(secret, "<redacted>");
    }
    if s.is_empty() {
        return String::new();
    }
    let cut: String = s.chars().take(MAX).collect();
    let ell = if s.chars().count() > MAX { "…" } else { "" };
    format!(": \"{cut}{ell}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_masks_secrets_and_is_short() {
        let body = format!(
            "<html><body>token sekrit-token-123 {}</body></html>",
            "x".repeat(500)
        );
        let s = redact_snippet(body.as_bytes(), &["sekrit-token-123"]);
        assert!(!s.contains("sekrit"));
        assert!(s.chars().count() < 200);
        assert!(s.contains("<redacted>"));
    }

    #[test]
    fn forbidden_hint_names_whm_privilege() {
        assert!(auth_hint(403).contains("WHM API token"));
        assert!(auth_hint(500).is_empty());
    }
}
