//! [`Fixture`]: a simulator, a Terraform workspace wired to it (endpoint and
//! token in the environment), and an API client to look behind Terraform's
//! back: the set-up of every resource scenario. Test files add the helpers
//! their stories need with their own `impl Fixture`.

use jetbackup::api::job::BackupJob;
use jetbackup::api::object::{encode, ObjectKind, Target, Values};
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

    /// A change made in the panel, behind Terraform's back: `manage*` with
    /// what differs between `prior` and `edited`.
    pub fn edit_in_panel(&self, kind: &ObjectKind, id: &str, prior: &Values, edited: &Values) {
        let params = encode(kind, edited, Target::Modify { id, prior });
        self.rt
            .block_on(self.api.modify_object(kind, &params))
            .unwrap_or_else(|e| panic!("{} behind Terraform's back: {e}", kind.manage));
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

/// A simulator started from a seed file, saving its data (`--state`) where
/// the test can read what the server stores for one collection, secrets in
/// clear: the server's own view, behind every masked reply.
pub struct SeededServer {
    dir: tempfile::TempDir,
    /// The collection [`SeededServer::stored`] looks in (`destinations`).
    collection: &'static str,
}

impl SeededServer {
    pub fn new(collection: &'static str, seed: Value) -> SeededServer {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("seed.json"), seed.to_string()).expect("seed");
        SeededServer { dir, collection }
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    pub fn fixture(&self, cli: &TerraformCli) -> Fixture {
        let seed = self.path("seed.json");
        let state = self.path("state.json");
        Fixture::with_sim_args(
            cli,
            &[
                "--seed",
                seed.to_str().expect("utf-8"),
                "--state",
                state.to_str().expect("utf-8"),
            ],
        )
    }

    /// The simulator on its own (no `--state`) and a workspace whose
    /// Terraform logs at trace level to `tf.log` beside the seed, for tests
    /// that look for a secret everywhere Terraform writes.
    pub fn traced_workspace(
        &self,
        cli: &TerraformCli,
    ) -> (SimProcess, Workspace, std::path::PathBuf) {
        let seed = self.path("seed.json");
        let sim =
            super::simulator::sim(&["--token", TOKEN, "--seed", seed.to_str().expect("utf-8")]);
        let url = sim.url().to_string();
        let log = self.path("tf.log");
        let log_path = log.to_str().expect("utf-8").to_string();
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &url),
                ("JETBACKUP_API_TOKEN", TOKEN),
                ("TF_LOG", "trace"),
                ("TF_LOG_PATH", &log_path),
            ],
        );
        (sim, ws, log)
    }

    /// [`Self::fixture`] (the simulator saving its data, so [`Self::stored`]
    /// works) whose workspace's Terraform logs at trace level to `tf.log`
    /// beside the seed, returned with the log's path.
    pub fn traced_fixture(&self, cli: &TerraformCli) -> (Fixture, std::path::PathBuf) {
        let mut f = self.fixture(cli);
        let log = self.path("tf.log");
        let log_path = log.to_str().expect("utf-8").to_string();
        let url = f.sim.url().to_string();
        f.ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &url),
                ("JETBACKUP_API_TOKEN", TOKEN),
                ("TF_LOG", "trace"),
                ("TF_LOG_PATH", &log_path),
            ],
        );
        (f, log)
    }

    /// What the server stores for the object `id` of its collection.
    pub fn stored(&self, id: &str) -> Value {
        let text = std::fs::read_to_string(self.path("state.json")).expect("sim state");
        let data: Value = serde_json::from_str(&text).expect("json");
        data[self.collection]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["_id"] == id).cloned())
            .unwrap_or(Value::Null)
    }
}
