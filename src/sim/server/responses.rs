//! The HTTP responses of injected faults and of the API (JSON with HTTP 200
//! for refusals, a dropped connection, a truncated body, a proxy's 502, a
//! scripted status with or without `retry_ms` and `Retry-After`).

use super::*;

/// Inferred: API-level failures are HTTP 200 with `success: 0`; the docs
/// document no status codes.
pub(super) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

pub(super) fn dropped() -> Response {
    let mut r = Response::new(Body::empty());
    r.extensions_mut().insert(DropConnection);
    r
}

/// The first half of a reply, with a `Content-Length` that matches what is
/// sent: the client gets a complete HTTP response whose JSON ends mid-way.
pub(super) fn truncated(body: &[u8]) -> Response {
    json_response(StatusCode::OK, body[..body.len() / 2].to_vec())
}

pub(super) fn bad_gateway() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n",
    )
        .into_response()
}

/// A scripted HTTP error, nothing applied: an envelope carrying
/// `system.retry_ms` when `retry_ms` is set, else a plain page; a
/// `Retry-After` header when `retry_after` is set.
pub(super) fn status_fault(
    panel: Panel,
    code: u16,
    retry_ms: Option<u64>,
    retry_after: Option<u64>,
) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = match retry_ms {
        Some(ms) => json_response(
            status,
            envelope_bytes_with_retry(
                panel,
                &Reply::fail(status.canonical_reason().unwrap_or("error")),
                ms as i64,
            ),
        ),
        None => (
            status,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{status}\n"),
        )
            .into_response(),
    };
    if let Some(secs) = retry_after {
        if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
    }
    response
}
