//! `terraform-provider-jetbackup`: the plugin binary Terraform starts.
//!
//! # Stopping
//!
//! When the user presses Ctrl-C, Terraform sends `StopProvider` and waits for
//! the operations in flight. Our API client must hear of it (see
//! [`jetbackup::api::stop`]), but tf-provider 0.2.2 gives a provider no hook
//! for it: its `stop_provider` only cancels a private token that shuts its
//! gRPC server down gracefully. Two things reach us instead:
//!
//! - SIGINT. A Ctrl-C in a terminal goes to the whole foreground process
//!   group, provider plugins included. Go plugins ignore it (go-plugin "eats
//!   the interrupts") and wait for `StopProvider`; without a handler this
//!   process would die on the spot, taking the replies of creates in flight
//!   with it, so it is handled here, as the same stop request.
//! - The gRPC server's own shutdown. `StopProvider` (and `Shutdown`) cancel
//!   the server's token, and tonic's accept loop reacts by emitting the trace
//!   event "signal received, shutting down" (target
//!   `tonic::transport::server`). A tracing layer that listens for exactly
//!   that event raises the stop, which covers `kill -INT <terraform>` and
//!   every other way Terraform decides to stop. This depends on tonic's event
//!   text (tonic 0.12, pinned by Cargo.lock); `tests/reliability_terraform.rs`
//!   interrupts only Terraform, never the provider, so a change there fails
//!   a test instead of passing silently. When `PLUGIN_LOG_FILE` is set,
//!   tf-provider installs its own global subscriber and this layer cannot be
//!   added; SIGINT still stops.

use jetbackup::api::StopSignal;
use jetbackup::provider::grpc_nodelay::serve_plugin;
use jetbackup::provider::{JetBackupProvider, PROVIDER_NAME};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::Layer;

fn main() {
    // tf-provider appends a backtrace to every diagnostic when these are set;
    // users would see it under each error. Removed before any thread starts.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");

    // tonic's TLS and reqwest both bring rustls; with no process-wide crypto
    // provider installed rustls panics when Terraform's mTLS is set up. An
    // error here only means one is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let stop = StopSignal::process();
    init_logging(&stop);

    // See `grpc_nodelay`: without TCP_NODELAY every RPC can stall 40 ms.
    let served = serve_plugin(PROVIDER_NAME, JetBackupProvider::default(), move || {
        watch_interrupts(stop)
    });
    if let Err(e) = served {
        eprintln!("terraform-provider-jetbackup: {e}");
        std::process::exit(1);
    }
}

/// Turns every SIGINT into a stop request instead of the default exit.
#[cfg(unix)]
fn watch_interrupts(stop: StopSignal) {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::interrupt()) {
        Ok(mut interrupts) => {
            tokio::spawn(async move {
                while interrupts.recv().await.is_some() {
                    tracing::info!("interrupt received; waiting for Terraform's stop request");
                    stop.raise();
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot handle SIGINT"),
    }
}

/// Windows (the release's windows_amd64 build): Ctrl-C reaches the whole
/// console, Terraform included; it becomes a stop request, as SIGINT does.
#[cfg(windows)]
fn watch_interrupts(stop: StopSignal) {
    match tokio::signal::windows::ctrl_c() {
        Ok(mut interrupts) => {
            tokio::spawn(async move {
                while interrupts.recv().await.is_some() {
                    tracing::info!("Ctrl-C received; waiting for Terraform's stop request");
                    stop.raise();
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot handle Ctrl-C"),
    }
}

/// Raises the stop when tonic reports that the gRPC server is shutting down
/// (see the module docs).
struct StopOnServerShutdown(StopSignal);

/// The `message` of an event.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

/// The trace event tonic 0.12 emits when its shutdown signal fires.
const TONIC_SHUTDOWN_TARGET: &str = "tonic::transport::server";
const TONIC_SHUTDOWN_MESSAGE: &str = "signal received, shutting down";

impl<S: Subscriber> Layer<S> for StopOnServerShutdown {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut message = Message::default();
        event.record(&mut message);
        if message.0.contains(TONIC_SHUTDOWN_MESSAGE) {
            self.0.raise();
        }
    }
}

/// Logs go to stderr, which Terraform shows in its own log under `TF_LOG`
/// (or `TF_LOG_PROVIDER`). Nothing is logged unless one of them is set.
/// tf-provider installs its own subscriber when `PLUGIN_LOG_FILE` is set.
fn init_logging(stop: &StopSignal) {
    use tracing_subscriber::filter::{LevelFilter, Targets};

    if std::env::var_os("PLUGIN_LOG_FILE").is_some() {
        return;
    }
    let level = std::env::var("TF_LOG_PROVIDER")
        .or_else(|_| std::env::var("TF_LOG"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let filter = match level.as_str() {
        "trace" | "json" => Some(LevelFilter::TRACE),
        "debug" => Some(LevelFilter::DEBUG),
        "info" => Some(LevelFilter::INFO),
        "warn" => Some(LevelFilter::WARN),
        "error" => Some(LevelFilter::ERROR),
        _ => None,
    };
    // Only this crate's events, whatever the level: reqwest, hyper and h2 at
    // trace would print request details we have not redacted. A fixed
    // `Targets` filter, not an `EnvFilter`: its directive parser would only
    // add code pages to every provider process.
    let fmt = filter.map(|f| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .with_filter(
                Targets::new()
                    .with_target("jetbackup", f)
                    .with_default(LevelFilter::WARN),
            )
    });
    let watcher = StopOnServerShutdown(stop.clone()).with_filter(
        Targets::new()
            .with_target(TONIC_SHUTDOWN_TARGET, LevelFilter::TRACE)
            .with_default(LevelFilter::OFF),
    );
    // No `Option` layer when nothing is logged: a `None` layer declares
    // interest in every callsite, so every span tonic, h2 and tf-provider
    // open per RPC would be recorded and filtered at run time (12–19 % of
    // the plugin's CPU in an apply or plan of 1,000 jobs). With the watcher
    // alone, every other callsite is disabled once, when first hit.
    let registry = tracing_subscriber::registry().with(watcher);
    let _ = match fmt {
        Some(fmt) => registry.with(fmt).try_init(),
        None => registry.try_init(),
    };
}
