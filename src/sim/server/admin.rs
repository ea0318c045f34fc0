//! The `/__sim/*` endpoints tests use: per-function call counts and
//! in-flight figures (`stats`), fault scripts (`faults`), and `reset`.

use super::*;

/// Every `/__sim/*` endpoint: the panel's own login, as the API asks for
/// it, then `answer`'s JSON with 200, or the response it refused with.
fn admin_answer(
    state: &AppState,
    headers: &HeaderMap,
    answer: impl FnOnce(&AppState) -> Result<Value, Response>,
) -> Response {
    if !authorized(state, headers) {
        return refuse_auth(state.panel);
    }
    match answer(state) {
        Ok(body) => json_response(StatusCode::OK, body.to_string().into_bytes()),
        Err(refused) => refused,
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
        let script = parse_script(&String::from_utf8_lossy(&body))
            .map_err(|e| (StatusCode::BAD_REQUEST, format!("{e}\n")).into_response())?;
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
