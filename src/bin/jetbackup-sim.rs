//! `jetbackup-sim`: the JetBackup 5 API simulator. See `jetbackup::sim` and
//! `jetbackup-sim --help`.
//!
//! stdout carries exactly one line, `listening on URL`, flushed as soon as the
//! port is bound, so that a parent process can read it; everything else goes
//! to stderr.

use std::io::Write as _;
use std::process::ExitCode;

use jetbackup::sim::config::{parse_args, ParsedArgs, USAGE};
use jetbackup::sim::server;

/// Resolves on SIGTERM or SIGINT. The handlers are installed when this is
/// called, not when the future is first polled, so that a signal sent right
/// after the `listening on` line is not lost (and does not kill the process
/// with the default action).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())
        .map_err(|e| tracing::warn!(error = %e, "cannot handle SIGTERM"))
        .ok();
    let mut int = signal(SignalKind::interrupt())
        .map_err(|e| tracing::warn!(error = %e, "cannot handle SIGINT"))
        .ok();
    async move {
        tokio::select! {
            _ = wait(term.as_mut()) => {},
            _ = wait(int.as_mut()) => {},
        }
    }
}

/// Waits for one signal, or forever when its handler could not be installed.
async fn wait(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(ParsedArgs::Run(c)) => *c,
        Ok(ParsedArgs::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("jetbackup-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("JETBACKUP_SIM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in captured logs.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(filter)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jetbackup-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let shutdown = shutdown_signal();
        let started = match server::start(&config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("jetbackup-sim: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        if writeln!(out, "listening on {}", started.url)
            .and_then(|_| out.flush())
            .is_err()
        {
            eprintln!("jetbackup-sim: cannot write to stdout");
            return ExitCode::FAILURE;
        }
        drop(out);
        tracing::info!(url = %started.url, panel = config.panel.label(), "JetBackup 5 API simulator ready");
        started.serve(shutdown).await;
        ExitCode::SUCCESS
    })
}
