//! [`Fixture`]: a simulator, a Terraform workspace wired to it (endpoint and
//! token in the environment), and an API client to look behind Terraform's
//! back: the set-up of every resource scenario. Test files add the helpers
//! their stories need with their own `impl Fixture`.

use jetbackup::api::job::BackupJob;
use jetbackup::api::object::{ObjectKind, Values};
use jetbackup::api::{ApiError, Client};
use jetbackup::sim_process::SimProcess;
use serde_json::Value;

use super::simulator::sim;
use super::terraform::TerraformCli;
use super::workspace::Workspace;

/// The token of every [`Fixture`]'s simulator.
pub const TOKEN: &str = "sim-token";

pub struct Fixture {
    pub sim: SimProcess,
    pub ws: Workspace,
    pub rt: tokio::runtime::Runtime,
    pub api: Client,
}

impl Fixture {
    /// With the simulator's built-in seed.
    pub fn new(cli: &TerraformCli) -> Fixture {
        Fixture::with_sim_args(cli, &[])
    }

    /// With the simulator started with `sim_args` too (`--seed FILE`).
    pub fn with_sim_args(cli: &TerraformCli, sim_args: &[&str]) -> Fixture {
        let mut args = vec!["--token", TOKEN];
        args.extend_from_slice(sim_args);
        let sim = sim(&args);
        let url = sim.url().to_string();
        let ws = Workspace::new(
            cli,
            &[("JETBACKUP_ENDPOINT", &url), ("JETBACKUP_API_TOKEN", TOKEN)],
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let api = sim.client();
        Fixture { sim, ws, rt, api }
    }

    pub fn job(&self, id: &str) -> BackupJob {
        self.rt
            .block_on(self.api.get_backup_job(id))
            .expect("getBackupJob")
    }

    pub fn jobs(&self) -> Vec<BackupJob> {
        self.rt
            .block_on(self.api.list_backup_jobs(&Default::default()))
            .expect("listBackupJobs")
    }

    /// The object as the server holds it, or `None` when it is gone.
    pub fn object(&self, kind: &ObjectKind, id: &str) -> Option<Values> {
        match self.rt.block_on(self.api.get_object(kind, id)) {
            Ok(v) => Some(v),
            Err(ApiError::NotFound { .. }) => None,
            Err(e) => panic!("{}: {e}", kind.get),
        }
    }

    /// Every object of a kind on the server.
    pub fn objects(&self, kind: &ObjectKind) -> Vec<(String, Values)> {
        self.rt
            .block_on(self.api.list_objects(kind, &Default::default()))
            .expect("list")
    }

    pub fn state_id(&self, addr: &str) -> String {
        self.state_attr(addr, "id")
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{addr} is not in the state"))
    }

    pub fn state_attr(&self, addr: &str, attr: &str) -> Value {
        self.ws
            .state_resource(addr)
            .and_then(|v| v.get(attr).cloned())
            .unwrap_or(Value::Null)
    }

    /// Applies the configuration `hcl`, then checks that a plan right after
    /// is empty.
    pub fn apply_converged(&self, hcl: &str, what: &str) {
        self.ws.write_config(hcl);
        self.ws.apply().expect_success(what);
        let plan = self.ws.plan_detailed();
        assert_eq!(
            plan.code,
            0,
            "{what}: the plan after apply is not empty on {}:\n{plan}",
            self.ws.cli()
        );
    }

    /// Calls of one API function, from the simulator's counters.
    pub fn calls(&self, function: &str) -> u64 {
        let stats = self.sim.stats().expect("sim stats");
        stats["calls"][function].as_u64().unwrap_or(0)
    }

    /// Calls of functions that change something, from the simulator's counters.
    pub fn write_calls(&self) -> u64 {
        super::lifecycle::write_calls(&self.sim)
    }
}
