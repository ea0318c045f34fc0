//! The simulator for a test: `jetbackup-sim` started on an ephemeral port,
//! a client that retries through injected faults, and small helpers.

use std::time::Duration;

/// Starts this package's `jetbackup-sim` with `args` (killed when dropped).
pub fn sim(args: &[&str]) -> jetbackup::sim_process::SimProcess {
    jetbackup::sim_process::SimProcess::spawn(env!("CARGO_BIN_EXE_jetbackup-sim"), args)
        .expect("start jetbackup-sim")
}

/// Client options that retry quickly, for tests against injected faults.
pub fn fast_retries(max_retries: u32) -> jetbackup::api::ClientOptions {
    jetbackup::api::ClientOptions {
        max_retries,
        retry_base: Duration::from_millis(5),
        ..jetbackup::api::ClientOptions::default()
    }
}

/// The smallest valid accounts job on the simulator's built-in destination.
use jetbackup::api::job::{JobValue, Param};

pub fn minimal_job(name: &str) -> jetbackup::api::job::JobSpec {
    jetbackup::api::job::JobSpec::default()
        .with(Param::Name, name.to_string())
        .with(
            Param::Destination,
            vec![jetbackup::sim::seed::DEST_LOCAL_ID.to_string()],
        )
        .with(Param::Type, jetbackup::api::job::JobType::Accounts)
        .with(Param::Contains, JobValue::Int(511))
        .with(Param::Structure, JobValue::Int(1))
}

/// Every job on the simulator, listed by a client that retries through the
/// faults the simulator may be injecting.
pub fn server_jobs(
    sim: &jetbackup::sim_process::SimProcess,
) -> Vec<jetbackup::api::job::BackupJob> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = sim.client_with(fast_retries(30));
    rt.block_on(client.list_backup_jobs(&Default::default()))
        .expect("listBackupJobs")
}

/// A loopback port nobody listens on (bound, then released): a server that
/// is down.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}
