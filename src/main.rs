//! `terraform-provider-jetbackup`: the plugin binary Terraform starts.

use jetbackup::provider::{JetBackupProvider, PROVIDER_NAME};

fn main() {
    // tf-provider appends a backtrace to every diagnostic when these are set;
    // users would see it under each error. Removed before any thread starts.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");

    // tonic's TLS and reqwest both bring rustls; with no process-wide crypto
    // provider installed rustls panics when Terraform's mTLS is set up. An
    // error here only means one is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();

    init_logging();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-jetbackup: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(tf_provider::serve(
        PROVIDER_NAME,
        JetBackupProvider::default(),
    )) {
        eprintln!("terraform-provider-jetbackup: {e:#}");
        std::process::exit(1);
    }
}

/// Logs go to stderr, which Terraform shows in its own log under `TF_LOG`
/// (or `TF_LOG_PROVIDER`). Nothing is logged unless one of them is set.
/// tf-provider installs its own subscriber when `PLUGIN_LOG_FILE` is set.
fn init_logging() {
    if std::env::var_os("PLUGIN_LOG_FILE").is_some() {
        return;
    }
    let level = std::env::var("TF_LOG_PROVIDER")
        .or_else(|_| std::env::var("TF_LOG"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let filter = match level.as_str() {
        "trace" | "json" => "trace",
        "debug" => "debug",
        "info" => "info",
        "warn" => "warn",
        "error" => "error",
        _ => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
            "jetbackup={filter},warn"
        )))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
