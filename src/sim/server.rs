//! The HTTP(S) server: the panel's API entry point and authentication, the
//! `/__sim` test endpoints, latency and fault injection.
//!
//! Routing and handlers are axum; connections are served by hyper directly
//! (plain TCP or through tokio-rustls) so that a fault can close a connection
//! without any response: a handler marks its response with [`DropConnection`]
//! and the per-connection service turns that into a service error, on which
//! hyper closes the socket without writing anything.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use base64::Engine as _;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::config::SimConfig;
use super::faults::{parse_script, Fault, FaultInjector, Stats};
use super::form::request_form;
use super::objectid::IdGen;
use super::seed::{self, SimData};
use super::store::{is_write, Reply, Sim};
use crate::api::transport::Panel;
use crate::api::wire::FormValue;

/// The JetBackup version the simulator claims to be.
pub const VERSION: &str = "5.3.3";

/// Largest request body read.
const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// Response extension asking the connection layer to close the connection
/// instead of sending the response.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose (fault injection)")]
struct ConnectionDropped;

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    pub sim: Mutex<Sim>,
    pub stats: Mutex<Stats>,
    pub faults: Mutex<FaultInjector>,
    pub panel: Panel,
    pub username: String,
    pub token: String,
    pub latency: Duration,
    /// Added per object of a list page (`--per-object-us`).
    pub per_object: Duration,
    /// API requests being handled now, and the most at once since the last
    /// reset (`/__sim/stats`: `in_flight`, `max_in_flight`).
    pub in_flight: AtomicU64,
    pub max_in_flight: AtomicU64,
}

/// Counts one API request as in flight for as long as it lives.
struct InFlight<'a>(&'a AppState);

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

/// A poisoned lock only means another request panicked mid-way; the data is
/// still consistent because writes swap in a finished copy.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    pub fn new(config: &SimConfig, sim: Sim) -> AppState {
        let mut faults = FaultInjector::new(config.fail_rate, config.fail_seed);
        // The script was checked when the arguments were parsed.
        faults.set_script(parse_script(&config.fault_script).unwrap_or_default());
        AppState {
            sim: Mutex::new(sim),
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(faults),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
            panel: config.panel,
            username: config.username.clone(),
            token: config.token.clone(),
            latency: config.latency,
            per_object: config.per_object,
        }
    }
}

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
struct WireEnvelope<'a> {
    success: u8,
    message: &'a str,
    system: WireSystem,
    data: &'a Value,
}

#[derive(Debug, Serialize)]
#[allow(non_snake_case)] // `licenseIssue` is the server's own spelling.
struct WireSystem {
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

/// The path part of the panel's API entry point (its query, if any, is
/// checked separately).
fn api_route(panel: Panel) -> &'static str {
    let path = panel.api_path();
    path.split_once('?').map_or(path, |(p, _)| p)
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/__sim/stats", get(stats_handler))
        .route("/__sim/reset", post(reset_handler))
        .route("/__sim/faults", post(faults_handler))
        .route(api_route(state.panel), any(api_handler))
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found\n") })
        .with_state(state)
}

/// Whether the request carries the panel's auth header for the configured
/// user and token. The scheme is matched case-insensitively, as HTTP says.
fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
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
fn refuse_auth(panel: Panel) -> Response {
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

/// Inferred: API-level failures are HTTP 200 with `success: 0`; the docs
/// document no status codes.
fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

fn dropped() -> Response {
    let mut r = Response::new(Body::empty());
    r.extensions_mut().insert(DropConnection);
    r
}

/// The first half of a reply, with a `Content-Length` that matches what is
/// sent: the client gets a complete HTTP response whose JSON ends mid-way.
fn truncated(body: &[u8]) -> Response {
    json_response(StatusCode::OK, body[..body.len() / 2].to_vec())
}

fn bad_gateway() -> Response {
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
fn status_fault(
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

fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

async fn api_handler(State(state): State<Arc<AppState>>, req: Request) -> Response {
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
async fn answer(state: Arc<AppState>, function: String, form: FormValue) -> Response {
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
async fn run_call(state: &AppState, function: &str, form: &FormValue) -> Reply {
    let reply = lock(&state.sim).call(function, form, now());
    let objects = listed_objects(function, &reply);
    if !state.per_object.is_zero() && objects > 0 {
        tokio::time::sleep(state.per_object * objects).await;
    }
    reply
}

/// How many objects a list reply's page carries (0 for any other reply).
fn listed_objects(function: &str, reply: &Reply) -> u32 {
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

async fn stats_handler(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return refuse_auth(state.panel);
    }
    let jobs = lock(&state.sim).job_count();
    let body = stats_json(&state, &lock(&state.stats), jobs);
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

/// The stats, with the in-flight counters and the script's remaining length.
fn stats_json(state: &AppState, stats: &Stats, jobs: usize) -> Value {
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
async fn faults_handler(
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

async fn reset_handler(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
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

/// Serves one connection with the router; a [`DropConnection`] response
/// closes it without a reply.
async fn serve_connection<I>(io: I, router: Router)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let svc = TowerToHyperService::new(router);
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let fut = hyper::service::Service::call(&svc, req);
        async move {
            let resp = match fut.await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            if resp.extensions().get::<DropConnection>().is_some() {
                return Err(ConnectionDropped);
            }
            Ok(resp)
        }
    });
    if let Err(e) = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await
    {
        tracing::debug!(error = %e, "connection closed");
    }
}

/// A self-signed certificate for `localhost` and `127.0.0.1`: the TLS
/// acceptor and the certificate's PEM.
pub fn self_signed_tls() -> Result<(TlsAcceptor, String), String> {
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .map_err(|e| format!("cannot generate a TLS certificate: {e}"))?;
    let pem = ck.cert.pem();
    let cert = ck.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(ck.key_pair.serialize_der().into());
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS setup: {e}"))?
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .map_err(|e| format!("TLS setup: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), pem))
}

/// The data a run starts from: `--state` if that file exists, else `--seed`,
/// else the built-in seed.
pub fn initial_data(config: &SimConfig) -> Result<SimData, String> {
    if let Some(state) = &config.state {
        if state.exists() {
            return SimData::load(state);
        }
    }
    match &config.seed {
        Some(path) => SimData::load(path),
        None => Ok(seed::builtin()),
    }
}

/// A bound simulator, ready to serve.
pub struct Started {
    pub url: String,
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
}

/// Loads the data, binds the listener and prepares TLS; nothing is served
/// until [`Started::serve`].
pub async fn start(config: &SimConfig) -> Result<Started, String> {
    let data = initial_data(config)?;
    let sim = Sim::new(data, IdGen::from_entropy(), config.state.clone());
    // Create the state file right away, so that it exists from the start.
    sim.save().map_err(|e| {
        format!(
            "cannot write the state file {}: {e}",
            config.state.as_deref().unwrap_or(Path::new("")).display()
        )
    })?;
    let tls = if config.tls {
        let (acceptor, pem) = self_signed_tls()?;
        if let Some(out) = &config.tls_cert_out {
            std::fs::write(out, &pem)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
        Some(acceptor)
    } else {
        None
    };
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    Ok(Started {
        url: format!("{scheme}://{addr}"),
        addr,
        state: Arc::new(AppState::new(config, sim)),
        listener,
        tls,
    })
}

impl Started {
    /// Accepts connections until `shutdown` completes.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) {
        let router = router(self.state.clone());
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                _ = &mut shutdown => break,
                a = self.listener.accept() => a,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Usually out of file descriptors: back off briefly.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let router = router.clone();
            let tls = self.tls.clone();
            tokio::spawn(async move {
                match tls {
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(s) => serve_connection(s, router).await,
                        Err(e) => tracing::debug!(error = %e, "TLS handshake failed"),
                    },
                    None => serve_connection(stream, router).await,
                }
            });
        }
        tracing::info!("shutting down");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn api_routes_drop_the_query() {
        assert_eq!(api_route(Panel::Cpanel), "/cgi/addons/jetbackup5/api.cgi");
        assert_eq!(
            api_route(Panel::DirectAdmin),
            "/CMD_PLUGINS_ADMIN/jetbackup5/index.raw"
        );
        assert_eq!(api_route(Panel::Linux), "/");
    }

    #[test]
    fn self_signed_certificate_is_pem() {
        let (_, pem) = self_signed_tls().unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }
}
