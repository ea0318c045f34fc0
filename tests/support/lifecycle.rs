//! Driving the provider's typed lifecycle (validate, plan, apply, read)
//! in-process, without Terraform: for property tests that run many more
//! configurations than real-Terraform scenarios can.

use jetbackup::provider::config::ProviderConfig;
use jetbackup::provider::JetBackupProvider;
use jetbackup::sim_process::SimProcess;
use tf_provider::value::Value;
use tf_provider::{Diagnostics, Provider};

/// A provider configured for `sim` (started with `--token TOKEN`).
pub fn configured_provider(
    sim: &SimProcess,
    token: &str,
    rt: &tokio::runtime::Runtime,
) -> JetBackupProvider {
    let provider = JetBackupProvider::default();
    let config = ProviderConfig {
        endpoint: Value::Value(sim.url().to_string()),
        api_token: Value::Value(token.to_string()),
        ..ProviderConfig::default()
    };
    let mut diags = Diagnostics::default();
    rt.block_on(provider.configure(&mut diags, "1.15.5".to_string(), config));
    assert!(diags.errors.is_empty(), "configure: {}", said(&diags));
    provider
}

/// The errors of `diags`, summary and first line of detail (the rest may be
/// a backtrace when `RUST_BACKTRACE` is set).
pub fn said(diags: &Diagnostics) -> String {
    diags
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.summary, e.detail.lines().next().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Calls of functions that change something, from the simulator's counters.
pub fn write_calls(sim: &SimProcess) -> u64 {
    let stats = sim.stats().expect("sim stats");
    jetbackup::api::function::WriteFunction::ALL
        .iter()
        .map(|f| stats["calls"][f.name()].as_u64().unwrap_or(0))
        .sum()
}
