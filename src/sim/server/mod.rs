//! The HTTP(S) server: the panel's API entry point and authentication, the
//! `/__sim` test endpoints, latency and fault injection.
//!
//! Routing and handlers are axum; connections are served by hyper directly
//! (plain TCP or through tokio-rustls) so that a fault can close a connection
//! without any response: a handler marks its response with [`DropConnection`]
//! and the per-connection service turns that into a service error, on which
//! hyper closes the socket without writing anything.
//!
//! Here: the shared state, the routes, start-up, TLS and the connections.
//! `api.rs` answers the panel's API entry point, `auth.rs` checks each
//! panel's header, `envelope.rs` writes the reply envelope, `responses.rs`
//! the fault responses, `admin.rs` the `/__sim/*` endpoints.

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

mod admin;
mod api;
mod auth;
mod envelope;
mod responses;

use admin::{faults_handler, finish_runs_handler, reset_handler, runs_handler, stats_handler};
use api::api_handler;
use auth::{authorized, refuse_auth};
pub use envelope::{envelope, envelope_bytes, envelope_bytes_with_retry, panel_type};
use responses::{bad_gateway, dropped, json_response, status_fault, truncated};

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
        .route("/__sim/runs", get(runs_handler))
        .route("/__sim/runs/finish", post(finish_runs_handler))
        .route(api_route(state.panel), any(api_handler))
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found\n") })
        .with_state(state)
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
