//! The panel's API entry point: authentication, the function and its form,
//! latency and faults, the call itself on a task of its own (a write commits
//! even when the client has gone away), and the in-flight count.

use super::*;

/// Counts one API request as in flight for as long as it lives.
pub(super) struct InFlight<'a>(&'a AppState);

impl<'a> InFlight<'a> {
    fn enter(state: &'a AppState) -> InFlight<'a> {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(super) fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

pub(super) async fn api_handler(State(state): State<Arc<AppState>>, req: Request) -> Response {
    if !authorized(&state, req.headers()) {
        return refuse_auth(state.panel);
    }
    let query = req.uri().query().unwrap_or("").to_string();
    // PHP reads a form body only for form content types.
    let form_body = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let body = match axum::body::to_bytes(req.into_body(), MAX_REQUEST_BYTES).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request too large\n").into_response(),
    };
    let body = if form_body { body } else { Bytes::new() };
    let form = request_form(&query, &String::from_utf8_lossy(&body));
    // DirectAdmin's and the Linux panel's entry points are the API only with
    // `api=1`; without it they are the UI.
    if state.panel != Panel::Cpanel && form.get("api").is_none() {
        return (StatusCode::NOT_FOUND, "Not Found\n").into_response();
    }
    let function = match form.get("function").and_then(FormValue::as_str) {
        Some(f) if !f.is_empty() => f.to_string(),
        _ => {
            let reply = Reply::fail("Missing required parameter 'function'");
            return json_response(StatusCode::OK, envelope_bytes(state.panel, &reply));
        }
    };
    // Once the request is read, it is answered on its own task: a client
    // that goes away (timeout, killed process) does not cancel it, so a write
    // commits as it does on the real server, whose PHP backend runs the call
    // to the end whether or not anyone waits for the reply.
    match tokio::spawn(answer(state, function, form)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response(),
    }
}

/// Runs one API call (latency, faults, the call itself) and renders its reply.
pub(super) async fn answer(state: Arc<AppState>, function: String, form: FormValue) -> Response {
    let _in_flight = InFlight::enter(&state);
    lock(&state.stats).count_call(&function);
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let write = is_write(&function);
    let fault = lock(&state.faults).next(&function, write);
    if let Some(f) = fault {
        lock(&state.stats).count_fault(f);
        tracing::info!(function = %function, fault = ?f, "injecting fault");
    }
    let render = |reply: &Reply| envelope_bytes(state.panel, reply);
    match fault {
        Some(Fault::Http502) => bad_gateway(),
        Some(Fault::Dropped) => dropped(),
        Some(Fault::Truncated) => {
            // A write must not commit here, so its reply is what it would
            // have been.
            let mut sim = lock(&state.sim);
            let reply = if write {
                sim.dry_run(&function, &form, now())
            } else {
                sim.call(&function, &form, now())
            };
            truncated(&render(&reply))
        }
        Some(f @ (Fault::LostReply | Fault::LostReplyDropped | Fault::LostReplyTruncated)) => {
            let reply = lock(&state.sim).call(&function, &form, now());
            let drop_it = match f {
                Fault::LostReplyDropped => true,
                Fault::LostReplyTruncated => false,
                _ => lock(&state.faults).coin(),
            };
            if drop_it {
                dropped()
            } else {
                truncated(&render(&reply))
            }
        }
        Some(Fault::Status {
            code,
            retry_ms,
            retry_after,
        }) => status_fault(state.panel, code, retry_ms, retry_after),
        Some(Fault::Busy { retry_ms }) => {
            let reply = Reply::fail("The server is busy, try again later");
            json_response(
                StatusCode::OK,
                envelope_bytes_with_retry(state.panel, &reply, retry_ms as i64),
            )
        }
        Some(Fault::Html) => (
            StatusCode::OK,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><head><title>Login</title></head><body><form action=\"/login\"><input name=\"user\"></form></body></html>\n",
        )
            .into_response(),
        Some(Fault::Slow { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            let reply = run_call(&state, &function, &form).await;
            json_response(StatusCode::OK, render(&reply))
        }
        None => {
            let reply = run_call(&state, &function, &form).await;
            tracing::debug!(function = %function, success = reply.success, message = %reply.message, "call");
            json_response(StatusCode::OK, render(&reply))
        }
    }
}

/// Runs the call, then takes `--per-object-us` per object of a list page.
/// Inferred: a real panel answers a page in time proportional to its size
/// (PHP builds each object of the reply); concurrent pages are served in
/// parallel, as by separate PHP workers.
pub(super) async fn run_call(state: &AppState, function: &str, form: &FormValue) -> Reply {
    let reply = lock(&state.sim).call(function, form, now());
    let objects = listed_objects(function, &reply);
    if !state.per_object.is_zero() && objects > 0 {
        tokio::time::sleep(state.per_object * objects).await;
    }
    reply
}

/// How many objects a list reply's page carries (0 for any other reply).
pub(super) fn listed_objects(function: &str, reply: &Reply) -> u32 {
    if !function.starts_with("list") {
        return 0;
    }
    let count = reply
        .data
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(Value::as_array)
        .map(Vec::len)
        .sum::<usize>();
    u32::try_from(count).unwrap_or(u32::MAX)
}
