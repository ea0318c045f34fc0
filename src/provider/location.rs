//! Where each managed object lives: the server (the provider's endpoint)
//! it was created, imported or last found on, kept in the resource's
//! private state. A refresh that finds an object missing on *another*
//! server refuses to drop it from the state: a workspace pointed at the
//! wrong server must neither forget the right server's objects nor
//! re-create them on the wrong one.

use serde::{Deserialize, Serialize};

/// A resource's private state. States written before it existed hold none
/// (`None`): their objects behave as before until a refresh or a write
/// records where they live.
pub type Private = Option<Location>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The server, as [`server_of`] names it.
    #[serde(default)]
    pub endpoint: Option<String>,
}

/// The private state recording `server` (none when the provider has no
/// server yet: nothing to compare later).
pub fn at(server: Option<String>) -> Private {
    server.map(|s| Location { endpoint: Some(s) })
}

/// How the provider names the server it talks to: the `endpoint` as
/// written (without a trailing `/`), or the local command for the cli
/// transport.
pub fn server_of(endpoint: Option<&str>, cli_path: Option<&str>) -> String {
    match (endpoint, cli_path) {
        (_, Some(cli)) => format!("this machine's {cli} (cli transport)"),
        (Some(e), None) => e.trim().trim_end_matches('/').to_string(),
        (None, None) => String::new(),
    }
}

fn same_server(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// When an object is not found on `current`: the refusal to drop it if it
/// was recorded on another server, `None` if dropping it is right (same
/// server, or nothing recorded).
pub fn missing_elsewhere(
    recorded: &Private,
    current: Option<&str>,
    what: &str,
    id: &str,
) -> Option<(String, String)> {
    let recorded = recorded.as_ref()?.endpoint.as_deref()?;
    let current = current?;
    if same_server(recorded, current) {
        return None;
    }
    Some((
        format!("The {what} is not on this server: was the endpoint changed?"),
        format!(
            "The {what} {id} was created on (or last found on) {recorded}, and the provider now talks to {current}, which has no {what} with this ID. \
Nothing was removed from the state and nothing was created or changed on either server. \
If {current} is the wrong server (another workspace's endpoint, a typo), fix the provider's `endpoint` (or JETBACKUP_ENDPOINT) and plan again. \
If {current} is the same server under another name, this {what} was deleted there: remove it from the state or re-create it on purpose. \
If the {what} really is gone from {recorded}, or you are moving this configuration to {current} on purpose, remove it from the state with `terraform state rm <address>` (`terraform state list` shows the addresses); the next plan then creates it on {current}."
        ),
    ))
}

/// The private state after the object was found on `current`: a server
/// reached under another name is recorded under the new one.
pub fn found(recorded: Private, current: Option<String>) -> Private {
    match current {
        Some(c) => at(Some(c)),
        None => recorded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_recorded_on_another_server_is_not_dropped() {
        let rec = at(Some("https://web02:2087".into()));
        let refusal = missing_elsewhere(&rec, Some("https://web01:2087"), "schedule", "abc");
        let (summary, detail) = refusal.expect("refused");
        assert!(summary.contains("schedule"));
        for needle in [
            "https://web02:2087",
            "https://web01:2087",
            "endpoint",
            "terraform state rm",
            "abc",
        ] {
            assert!(detail.contains(needle), "{needle} missing from {detail}");
        }
    }

    #[test]
    fn the_same_server_or_an_old_state_drops_a_missing_object() {
        let rec = at(Some("https://Web02:2087/".into()));
        assert_eq!(
            missing_elsewhere(&rec, Some("https://web02:2087"), "s", "i"),
            None
        );
        assert_eq!(
            missing_elsewhere(&None, Some("https://web01:2087"), "s", "i"),
            None
        );
        let no_endpoint = Some(Location { endpoint: None });
        assert_eq!(
            missing_elsewhere(&no_endpoint, Some("https://web01"), "s", "i"),
            None
        );
    }

    #[test]
    fn private_state_of_an_older_release_reads_as_none() {
        // Release 0.1.0 wrote a MessagePack nil (ValueEmpty::Null).
        let old: Private = rmp_serde::from_slice(&[0xc0]).expect("nil");
        assert_eq!(old, None);
        let now = at(Some("https://web01:2087".into()));
        let bytes = rmp_serde::to_vec_named(&now).expect("encode");
        let back: Private = rmp_serde::from_slice(&bytes).expect("decode");
        assert_eq!(back, now);
    }

    #[test]
    fn a_found_object_records_the_current_name() {
        let rec = at(Some("http://127.0.0.1:1".into()));
        assert_eq!(
            found(rec.clone(), Some("http://localhost:1".into())),
            at(Some("http://localhost:1".into()))
        );
        assert_eq!(found(rec.clone(), None), rec);
    }
}
