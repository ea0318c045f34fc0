//! Each panel's authentication header, and what a panel answers without a
//! valid one.

use super::*;

/// Whether the request carries the panel's auth header for the configured
/// user and token. The scheme is matched case-insensitively, as HTTP says.
pub(super) fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((scheme, credentials)) = value.trim().split_once(' ') else {
        return false;
    };
    let expected = format!("{}:{}", state.username, state.token);
    let credentials = credentials.trim();
    match state.panel {
        Panel::Cpanel => scheme.eq_ignore_ascii_case("whm") && credentials == expected,
        Panel::Linux => scheme.eq_ignore_ascii_case("bearer") && credentials == expected,
        Panel::DirectAdmin => {
            scheme.eq_ignore_ascii_case("basic")
                && base64::engine::general_purpose::STANDARD
                    .decode(credentials)
                    .is_ok_and(|d| d == expected.as_bytes())
        }
    }
}

/// What each panel answers without a valid login: WHM a 403 page (seen for a
/// cPanel user token); DirectAdmin and the Linux panel a 401 (inferred).
pub(super) fn refuse_auth(panel: Panel) -> Response {
    match panel {
        Panel::Cpanel => (
            StatusCode::FORBIDDEN,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><head><title>Access denied</title></head><body><h1>Access denied</h1><p>The request did not carry a valid WHM API token.</p></body></html>\n",
        )
            .into_response(),
        Panel::DirectAdmin | Panel::Linux => (
            StatusCode::UNAUTHORIZED,
            [
                (CONTENT_TYPE, "text/plain; charset=utf-8"),
                (
                    WWW_AUTHENTICATE,
                    if panel == Panel::DirectAdmin {
                        "Basic realm=\"DirectAdmin\""
                    } else {
                        "Bearer"
                    },
                ),
            ],
            "Unauthorized\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::SimConfig;
    use crate::sim::objectid::IdGen;
    use crate::sim::seed;
    use crate::sim::store::Sim;

    fn state(panel: Panel) -> AppState {
        let config = SimConfig {
            panel,
            ..SimConfig::default()
        };
        AppState::new(&config, Sim::new(seed::builtin(), IdGen::new(1), None))
    }

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn each_panel_accepts_only_its_own_scheme() {
        for panel in [Panel::Cpanel, Panel::DirectAdmin, Panel::Linux] {
            let s = state(panel);
            assert!(
                authorized(&s, &headers(&panel.authorization("root", "sim-token"))),
                "{panel:?}"
            );
            assert!(
                !authorized(&s, &headers(&panel.authorization("root", "wrong"))),
                "{panel:?}"
            );
            assert!(
                !authorized(&s, &headers(&panel.authorization("alice", "sim-token"))),
                "{panel:?}"
            );
            assert!(!authorized(&s, &HeaderMap::new()));
        }
        let s = state(Panel::Linux);
        assert!(!authorized(
            &s,
            &headers(&Panel::Cpanel.authorization("root", "sim-token"))
        ));
    }
}
