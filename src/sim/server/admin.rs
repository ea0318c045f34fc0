//! The `/__sim/*` endpoints tests use: per-function call counts and
//! in-flight figures (`stats`), fault scripts (`faults`), and `reset`.

use super::*;

/// Every `/__sim/*` endpoint: the panel's own login, as the API asks for
/// it, then `answer`'s JSON with 200, or 400 with why the request is bad.
fn admin_answer(
    state: &AppState,
    headers: &HeaderMap,
    answer: impl FnOnce(&AppState) -> Result<Value, String>,
) -> Response {
    if !authorized(state, headers) {
        return refuse_auth(state.panel);
    }
    match answer(state) {
        Ok(body) => json_response(StatusCode::OK, body.to_string().into_bytes()),
        Err(why) => (StatusCode::BAD_REQUEST, format!("{why}\n")).into_response(),
    }
}

pub(super) async fn stats_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    admin_answer(&state, &headers, |state| {
        let jobs = lock(&state.sim).job_count();
        Ok(stats_json(state, &lock(&state.stats), jobs))
    })
}

/// The stats, with the in-flight counters and the script's remaining length.
pub(super) fn stats_json(state: &AppState, stats: &Stats, jobs: usize) -> Value {
    let mut body = stats.to_json(jobs);
    if let Some(map) = body.as_object_mut() {
        map.insert(
            "in_flight".to_string(),
            state.in_flight.load(Ordering::SeqCst).into(),
        );
        map.insert(
            "max_in_flight".to_string(),
            state.max_in_flight.load(Ordering::SeqCst).into(),
        );
        map.insert(
            "script_left".to_string(),
            lock(&state.faults).script_len().into(),
        );
    }
    body
}

/// `POST /__sim/faults` with a fault script as the body: replaces the script
/// (see `faults::parse_script`). Answers `{"queued": n}`, or 400.
pub(super) async fn faults_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    admin_answer(&state, &headers, |state| {
        let script = parse_script(&String::from_utf8_lossy(&body))?;
        let n = script.len();
        lock(&state.faults).set_script(script);
        Ok(serde_json::json!({ "queued": n }))
    })
}

pub(super) async fn reset_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    admin_answer(&state, &headers, |state| {
        let jobs = lock(&state.sim).job_count();
        let mut stats = lock(&state.stats);
        *stats = Stats::default();
        state
            .max_in_flight
            .store(state.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
        Ok(stats_json(state, &stats, jobs))
    })
}

/// `GET /__sim/runs`: every job's manual runs by job ID (`running`,
/// `last_run`, `queued`, `finished`).
pub(super) async fn runs_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    admin_answer(&state, &headers, |state| {
        Ok(lock(&state.sim).runs().to_json())
    })
}

/// `POST /__sim/runs/finish`: every running job finishes now (the
/// simulator's runs never finish by themselves). Answers `{"finished": n}`.
pub(super) async fn finish_runs_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    admin_answer(&state, &headers, |state| {
        let finished = lock(&state.sim).finish_runs();
        Ok(serde_json::json!({ "finished": finished }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::SimConfig;

    fn state() -> Arc<AppState> {
        let sim = Sim::new(seed::builtin(), IdGen::new(1), None);
        Arc::new(AppState::new(&SimConfig::default(), sim))
    }

    fn login(state: &AppState) -> HeaderMap {
        let mut h = HeaderMap::new();
        let value = state.panel.authorization(&state.username, &state.token);
        h.insert(AUTHORIZATION, value.parse().unwrap());
        h
    }

    async fn answer(response: Response) -> (StatusCode, String) {
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_fault_script_is_queued_refused_as_bad_with_why_or_needs_the_login() {
        let s = state();
        let queued = faults_handler(State(s.clone()), login(&s), "502*2".into()).await;
        assert_eq!(
            answer(queued).await,
            (StatusCode::OK, r#"{"queued":2}"#.to_string())
        );
        let bad = faults_handler(State(s.clone()), login(&s), "nonsense".into()).await;
        let (status, why) = answer(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(why.contains("\"nonsense\"") && why.ends_with('\n'), "{why}");
        let anonymous = faults_handler(State(s.clone()), HeaderMap::new(), "ok".into()).await;
        assert_ne!(anonymous.status(), StatusCode::OK);
        assert_eq!(lock(&s.faults).script_len(), 2);
    }
}
