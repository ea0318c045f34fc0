//! The `/__sim/*` endpoints tests use: per-function call counts and
//! in-flight figures (`stats`), fault scripts (`faults`), and `reset`.

use super::*;

pub(super) async fn stats_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    let jobs = lock(&state.sim).job_count();
    let body = stats_json(&state, &lock(&state.stats), jobs);
    json_response(StatusCode::OK, body.to_string().into_bytes())
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
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    match parse_script(&String::from_utf8_lossy(&body)) {
        Ok(script) => {
            let n = script.len();
            lock(&state.faults).set_script(script);
            json_response(
                StatusCode::OK,
                serde_json::json!({ "queued": n }).to_string().into_bytes(),
            )
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("{e}\n")).into_response(),
    }
}

pub(super) async fn reset_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    let jobs = lock(&state.sim).job_count();
    let mut stats = lock(&state.stats);
    *stats = Stats::default();
    state
        .max_in_flight
        .store(state.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    let body = stats_json(&state, &stats, jobs);
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

/// `GET /__sim/runs`: every job's manual runs by job ID (`running`,
/// `last_run`, `queued`, `finished`).
pub(super) async fn runs_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    let body = lock(&state.sim).runs().to_json();
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

/// `POST /__sim/runs/finish`: every running job finishes now (the
/// simulator's runs never finish by themselves). Answers `{"finished": n}`.
pub(super) async fn finish_runs_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    let finished = lock(&state.sim).finish_runs();
    let body = serde_json::json!({ "finished": finished });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}
