//! `terraform-provider-jetbackup`: the plugin binary Terraform starts.
//!
//! # Stopping
//!
//! When the user presses Ctrl-C, Terraform sends `StopProvider` and waits for
//! the operations in flight; the plugin server ([`jetbackup::plugin`])
//! raises our [`StopSignal`] on it, which the API client hears (see
//! [`jetbackup::api::stop`]). A Ctrl-C in a terminal also goes to the whole
//! foreground process group, provider plugins included. Go plugins ignore
//! it (go-plugin "eats the interrupts") and wait for `StopProvider`; without
//! a handler this process would die on the spot, taking the replies of
//! creates in flight with it, so SIGINT is handled here, as the same stop
//! request. The process ends when Terraform shuts the plugin down
//! (`GRPCController.Shutdown`).

use jetbackup::api::StopSignal;
use jetbackup::plugin::serve_plugin;
use jetbackup::provider::{JetBackupProvider, PROVIDER_NAME};

fn main() {
    // tf-provider's `Diagnostic` constructors append a backtrace to the
    // detail when these are set, and our resources still build their
    // diagnostics with them; users would see it under each error. Removed
    // before any thread starts.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");

    // tonic's TLS and reqwest both bring rustls; with no process-wide crypto
    // provider rustls panics when Terraform's mTLS is set up. An error here
    // only means one is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();

    init_logging();
    let stop = StopSignal::process();
    let on_stop = stop.clone();
    let served = serve_plugin(
        PROVIDER_NAME,
        JetBackupProvider::default(),
        move || on_stop.raise(),
        move || watch_interrupts(stop),
    );
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

/// Logs go to stderr, which Terraform shows in its own log under `TF_LOG`
/// (or `TF_LOG_PROVIDER`). Nothing is logged unless one of them is set.
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    use tracing_subscriber::Layer as _;

    let level = std::env::var("TF_LOG_PROVIDER")
        .or_else(|_| std::env::var("TF_LOG"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let filter = match level.as_str() {
        "trace" | "json" => LevelFilter::TRACE,
        "debug" => LevelFilter::DEBUG,
        "info" => LevelFilter::INFO,
        "warn" => LevelFilter::WARN,
        "error" => LevelFilter::ERROR,
        // No subscriber at all: every callsite (tonic, h2 and ours open
        // spans per RPC) stays disabled for good, at no cost per call.
        _ => return,
    };
    // Only this crate's events, whatever the level: reqwest, hyper and h2 at
    // trace would print request details we have not redacted. A fixed
    // `Targets` filter, not an `EnvFilter`: its directive parser would only
    // add code pages to every provider process.
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_filter(
            Targets::new()
                .with_target("jetbackup", filter)
                .with_default(LevelFilter::WARN),
        );
    let _ = tracing_subscriber::registry().with(fmt).try_init();
}
