//! The one error type of the JetBackup client.
//!
//! Each variant is a different thing for a user to do: fix the network or
//! TLS, fix the token's privileges, fix the request the server refused, or
//! report a server that answers something other than the API. Messages never
//! contain the API token: transports only ever put it in a header, and every
//! snippet of a body quoted here goes through [`redact_snippet`].

use std::time::Duration;

use thiserror::Error;

use crate::api::quote::cut;
use crate::api::secrets::Secrets;

/// A duration for people: `1.5s`, `4m 2s`.
pub fn seconds(d: &Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m {}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum ApiError {
    /// No connection was made (refused, unreachable, DNS): nothing was sent.
    #[error("{function}: cannot connect to {url}: {detail}; nothing was sent. Check that `endpoint` names the JetBackup server and port and that it is reachable from here")]
    Connect {
        function: String,
        url: String,
        detail: String,
        /// Worth a brief retry (a refused or reset connection may be a
        /// restarting server); a name that does not resolve is not.
        transient: bool,
    },

    /// The TLS session could not be set up; nothing was sent. `hint` says
    /// what to change (trust the certificate, or the scheme).
    #[error("{function}: TLS with {endpoint} failed: {detail}; nothing was sent. {hint}")]
    Tls {
        function: String,
        endpoint: String,
        detail: String,
        hint: String,
    },

    /// The server refused this provider's credentials on an earlier call of
    /// the same process; this call was not sent.
    #[error("{function}: not sent: the server refused the credentials earlier in this run ({first}); see that error")]
    CredentialsRefused { function: String, first: String },

    /// No reply within the timeout, on each attempt: the requests were sent,
    /// so a write may have been carried out.
    #[error("{function}: no reply from {target} within {after:?} ({attempts} attempt(s) timed out, {} in all); the request was sent and the server may have carried it out. Check that the server is not overloaded and that `endpoint` names the JetBackup API's port (a port that accepts connections and never answers looks like this)", seconds(.waited))]
    Timeout {
        function: String,
        /// The URL called (or the `jetbackup5api` command).
        target: String,
        after: Duration,
        /// Attempts made, each of which timed out (1 until the retry
        /// engine fills it in).
        attempts: u32,
        /// From the first attempt's start to the last one's end, backoff included.
        waited: Duration,
    },

    /// An `http://` endpoint pointed at a port that serves HTTPS: the request
    /// went out in clear text, token included, and the server could not read it.
    #[error("{function}: {endpoint} serves HTTPS, not plain HTTP: the request WAS sent in clear text, the `Authorization` header with the API token and every parameter included (the server could not read it, so nothing was carried out). Set `endpoint` to {https:?}. If the network between this machine and the server is not trusted, rotate the API token. ({detail})")]
    PlainHttpToTls {
        function: String,
        endpoint: String,
        /// The endpoint to write instead.
        https: String,
        detail: String,
    },

    /// The server answered with a redirect, which is never followed: the
    /// request went to `url` only, never to `location`. Not retried (a
    /// server does not normally act on a request it redirects; a create is
    /// not looked up after it).
    #[error("{function}: {url} answered HTTP {status}, a redirect to {location:?}; redirects are never followed, so nothing was sent to that address. {hint}")]
    Redirected {
        function: String,
        url: String,
        status: u16,
        /// The `Location` header (cut, secrets masked), or `(none)`.
        location: String,
        hint: String,
    },

    #[error("{function}: {url} answered HTTP {status}{hint}{snippet}")]
    HttpStatus {
        function: String,
        url: String,
        status: u16,
        hint: String,
        snippet: String,
        /// How long the server asked us to wait (`system.retry_ms` in a JSON
        /// body, else a `Retry-After` header in seconds), if it said.
        retry_after: Option<Duration>,
    },

    /// The API answered `success: 0`; `message` is the server's, verbatim.
    #[error("{function} failed: {message}")]
    Refused { function: String, message: String },

    /// The API answered `success: 0` with `system.retry_ms` set: the server
    /// did not do the call and asks for it again after that delay.
    #[error(
        "{function}: the server is busy and asked to be called again in {retry_after:?}: {message}"
    )]
    Busy {
        function: String,
        message: String,
        retry_after: Duration,
    },

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

    /// A `list*` listing that cannot be used: IDs repeated across or within
    /// pages, or more pages, objects or bytes than one listing keeps
    /// (`client/paging.rs`). Each page was a valid reply.
    #[error("{function}: the listing was stopped and nothing was decided from it: {reason}")]
    BadListing { function: String, reason: String },

    /// The local `jetbackup5api` command could not be run.
    #[error("{function}: cannot run {command}: {detail}")]
    Cli {
        function: String,
        command: String,
        detail: String,
    },

    /// A create's reply was lost and the check for the job it may have made
    /// failed too: the job may exist without Terraform knowing it.
    #[error("{function}: the reply to the create was lost and whether the job was created could not be checked ({detail}). A {kind} named {:?} may now exist on the server: look for it, and import it (terraform import) or delete it before applying again", cut(.name))]
    OutcomeUnknown {
        function: String,
        /// What the create makes (`backup job`, `destination`, …).
        kind: String,
        detail: String,
        name: String,
    },

    /// Terraform asked the provider to stop (Ctrl-C) before this call could
    /// be sent or while it waited for its reply (reads only: writes in flight
    /// are always awaited so that their outcome is recorded).
    #[error("{function}: not done: the provider is stopping because Terraform was interrupted")]
    Cancelled { function: String },
}

impl ApiError {
    /// Whether the failure is one that may go away by itself (network,
    /// overload), so that a call that is safe to repeat is retried. Whether a
    /// *write* may be repeated is decided by the caller: after any of these
    /// but [`ApiError::Busy`] it may have been applied.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Connect { transient, .. } => *transient,
            ApiError::Timeout { .. } | ApiError::Busy { .. } => true,
            ApiError::HttpStatus { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            // Only a body cut short (connection lost mid-reply); a complete
            // body that is not the API's is a real answer and fails at once.
            ApiError::BadResponse { reason, .. } => {
                reason.starts_with(TRUNCATED) || reason.starts_with(CONNECTION_LOST)
            }
            _ => false,
        }
    }

    /// The same error with every secret in `secrets` masked in all of its
    /// text (the last line of defence: what the transport and the decoder
    /// quote is masked before it is cut, see [`redact_snippet`]).
    pub fn masked(mut self, secrets: &Secrets) -> ApiError {
        if secrets.is_empty() {
            return self;
        }
        let fields: Vec<&mut String> = match &mut self {
            ApiError::Connect {
                function,
                url,
                detail,
                transient: _,
            } => vec![function, url, detail],
            ApiError::Tls {
                function,
                endpoint,
                detail,
                hint,
            } => vec![function, endpoint, detail, hint],
            ApiError::CredentialsRefused { function, first } => vec![function, first],
            ApiError::Timeout {
                function,
                target,
                after: _,
                attempts: _,
                waited: _,
            } => vec![function, target],
            ApiError::PlainHttpToTls {
                function,
                endpoint,
                https,
                detail,
            } => vec![function, endpoint, https, detail],
            ApiError::Redirected {
                function,
                url,
                status: _,
                location,
                hint,
            } => vec![function, url, location, hint],
            ApiError::HttpStatus {
                function,
                url,
                status: _,
                hint,
                snippet,
                retry_after: _,
            } => vec![function, url, hint, snippet],
            ApiError::Refused { function, message } => vec![function, message],
            ApiError::Busy {
                function,
                message,
                retry_after: _,
            } => vec![function, message],
            ApiError::NotFound {
                function,
                kind,
                id,
                message,
            } => vec![function, kind, id, message],
            ApiError::BadResponse {
                function,
                reason,
                snippet,
            } => vec![function, reason, snippet],
            ApiError::BadListing { function, reason } => vec![function, reason],
            ApiError::Cli {
                function,
                command,
                detail,
            } => vec![function, command, detail],
            ApiError::OutcomeUnknown {
                function,
                kind,
                detail,
                name,
            } => vec![function, kind, detail, name],
            ApiError::Cancelled { function } => vec![function],
        };
        for field in fields {
            secrets.mask_in_place(field);
        }
        self
    }

    /// The wait the server asked for before the next attempt, if it asked.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Busy { retry_after, .. } => Some(*retry_after),
            ApiError::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the request certainly never reached the server (so that even
    /// a create may be sent again, and no lookup is needed after it).
    pub fn nothing_sent(&self) -> bool {
        matches!(
            self,
            ApiError::Connect { .. }
                | ApiError::Tls { .. }
                | ApiError::CredentialsRefused { .. }
                | ApiError::Cancelled { .. }
        )
    }

    /// Whether the server refused the credentials (a wrong token or user, or
    /// a token without the JetBackup privilege).
    pub fn is_credentials_refused(&self) -> bool {
        matches!(
            self,
            ApiError::HttpStatus {
                status: 401 | 403,
                ..
            }
        )
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }

    /// The server's own message, where the server gave one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Refused { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::Busy { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// How a [`ApiError::BadResponse`] reason starts when the body was cut short.
pub const TRUNCATED: &str = "truncated";
/// How it starts when the connection ended after the request was sent and
/// before any reply: the server may have carried the call out.
pub const CONNECTION_LOST: &str = "connection lost";

/// Hint added to an HTTP error status: what to check for 401/403 and 404.
pub fn status_hint(status: u16) -> String {
    match status {
        404 => " (no JetBackup API at this URL: check that `panel` is the panel JetBackup runs under, and that `endpoint` is the server's base URL, scheme, host and port, without a path)".to_string(),
        401 | 403 => " (authentication refused: check the username and API token; on cPanel/WHM the token must be a WHM API token with the privilege \"Third Party Services > Additional Software > JetBackup\", a cPanel user token is refused; on DirectAdmin use a Login Key; on Linux a token created with manageToken for this host)".to_string(),
        _ => String::new(),
    }
}

/// A short, single-line excerpt of a body for an error message, with anything
/// that looks like a credential masked. Empty when the body is empty.
///
/// Secrets are masked before the excerpt is cut, over a window long enough to
/// hold any secret that starts inside the excerpt, and a secret cut in half
/// at the end of the excerpt is masked too.
pub fn redact_snippet(body: &[u8], secrets: &[&str]) -> String {
    const MAX: usize = 160;
    let secrets: Vec<&str> = secrets.iter().copied().filter(|s| s.len() >= 4).collect();
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let window = body.len().min(4 * MAX + 4 * longest);
    let text = String::from_utf8_lossy(&body[..window]);
    let mut s: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for secret in &secrets {
        s = s.replace(secret, "<redacted>");
    }
    if s.is_empty() {
        return String::new();
    }
    let mut cut: String = s.chars().take(MAX).collect();
    let ell = if s.chars().count() > MAX { "…" } else { "" };
    if !ell.is_empty() {
        // The excerpt may end inside a secret: mask a tail of 4 or more
        // characters that begins one.
        let tail_start = secrets
            .iter()
            .filter_map(|secret| {
                cut.char_indices()
                    .map(|(i, _)| i)
                    .find(|&i| cut.len() - i >= 4 && secret.starts_with(&cut[i..]))
            })
            .min();
        if let Some(i) = tail_start {
            cut.truncate(i);
            cut.push_str("<redacted>");
        }
    }
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
    fn snippet_masks_a_secret_cut_at_the_end_of_the_excerpt() {
        let secret = "ABCDEFGHIJKLMNOP";
        for pad in 140..170 {
            let body = format!("{}{secret} tail", "x".repeat(pad));
            let s = redact_snippet(body.as_bytes(), &[secret]);
            for w in secret.as_bytes().windows(4) {
                let w = std::str::from_utf8(w).unwrap();
                assert!(!s.contains(w), "pad {pad}: {s}");
            }
        }
    }

    #[test]
    fn only_transient_failures_are_retried_and_busy_carries_its_delay() {
        let busy = ApiError::Busy {
            function: "f".into(),
            message: "later".into(),
            retry_after: Duration::from_millis(700),
        };
        assert!(busy.is_transient());
        assert_eq!(busy.retry_after(), Some(Duration::from_millis(700)));
        let status = |status| ApiError::HttpStatus {
            function: "f".into(),
            url: "https://h:2087/x".into(),
            status,
            hint: String::new(),
            snippet: String::new(),
            retry_after: None,
        };
        for s in [429, 502, 503, 504] {
            assert!(status(s).is_transient(), "{s}");
        }
        for s in [400, 401, 403, 404, 500, 501] {
            assert!(!status(s).is_transient(), "{s}");
        }
        let bad = |reason: &str| ApiError::BadResponse {
            function: "f".into(),
            reason: reason.into(),
            snippet: String::new(),
        };
        assert!(bad("truncated JSON: EOF while parsing").is_transient());
        assert!(!bad("an HTML page, not JSON").is_transient());
        assert!(!bad("`data` does not have the expected shape: EOF").is_transient());
        let refused = ApiError::Refused {
            function: "f".into(),
            message: "no".into(),
        };
        assert!(!refused.is_transient());
    }

    #[test]
    fn forbidden_hint_names_whm_privilege() {
        assert!(status_hint(403).contains("WHM API token"));
        assert!(status_hint(404).contains("`panel`"));
        assert!(status_hint(500).is_empty());
    }
}
