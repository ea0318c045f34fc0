//! Reliability and security end to end: a real Terraform CLI, the provider
//! binary and `jetbackup-sim` (or a hostile server in this test) on
//! loopback. Each test runs against every Terraform CLI found.
//!
//! - lost create replies never double a job, deterministic and random faults
//! - `max_concurrent_requests` bounds what the server sees at `-parallelism=10`
//! - an interrupted apply exits promptly and records every job it created
//! - the token appears nowhere: output, `TF_LOG=trace` log, state
//! - TLS: the error names the fix; `ca_cert_pem` and `insecure` both work
//! - hostile replies fail the run with a clear error and leave the state alone

mod support;

use support::{counted_jobs_config, server_jobs, sim, REQUIRED_PROVIDERS};

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jetbackup::sim::seed::DEST_LOCAL_ID;
use jetbackup::sim_process::SimProcess;
use serde_json::Value;
use support::{for_each_terraform, TerraformCli, TfOutput, Workspace};

fn workspace(cli: &TerraformCli, sim: &SimProcess, extra: &[(&str, &str)]) -> Workspace {
    let url = sim.url().to_string();
    let mut env = vec![
        ("JETBACKUP_ENDPOINT", url.as_str()),
        ("JETBACKUP_API_TOKEN", sim.token()),
    ];
    env.extend_from_slice(extra);
    Workspace::new(cli, &env)
}

/// The server holds exactly the jobs in state, each name once, `n` in all.
#[track_caller]
fn assert_state_matches_server(ws: &Workspace, sim: &SimProcess, n: usize, what: &str) {
    let jobs: Vec<(String, String)> = server_jobs(sim)
        .into_iter()
        .map(|j| (j.id.into(), j.name.into()))
        .collect();
    let names: BTreeSet<&str> = jobs.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names.len(),
        jobs.len(),
        "{what}: duplicated names on the server: {jobs:?}"
    );
    assert_eq!(jobs.len(), n, "{what}: {jobs:?}");
    let on_server: BTreeSet<String> = jobs.into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        on_server,
        ws.state_job_ids(),
        "{what}: the server's jobs and the state differ"
    );
}

/// Runs `args` until it succeeds, at most `tries` times, as a user would.
fn until_success(ws: &Workspace, args: &[&str], tries: usize) -> (TfOutput, usize) {
    let mut last = None;
    for i in 1..=tries {
        let out = ws.run(args);
        if out.success() {
            return (out, i);
        }
        last = Some(out);
    }
    panic!(
        "`terraform {}` did not succeed in {tries} tries; last:\n{}",
        args.join(" "),
        last.map(|o| o.to_string()).unwrap_or_default()
    );
}

// ---- 2. lost create replies ------------------------------------------------

#[test]
fn lost_create_replies_never_double_a_job() {
    for_each_terraform(|cli| {
        // Every create's reply is lost after the job was made.
        let sim = sim(&["--fault-script", "manageBackupJob:lost*5"]);
        let ws = workspace(cli, &sim, &[]);
        ws.write_config(&counted_jobs_config("j", "lost", 5, ""));
        ws.apply()
            .expect_success("apply with every create reply lost");
        let stats = sim.stats().expect("stats");
        assert_eq!(stats["faults"]["lost_reply"], 5, "{stats}");
        assert_eq!(
            stats["calls"]["manageBackupJob"], 5,
            "never re-sent: {stats}"
        );
        assert_state_matches_server(&ws, &sim, 5, "lost replies");
        assert_eq!(ws.plan_detailed().code, 0, "plan after apply");
        ws.destroy().expect_success("destroy");
        assert!(server_jobs(&sim).is_empty());

        // Random faults of every kind on a third of all calls.
        let sim = sim_random(0.3, 7);
        let ws = workspace(cli, &sim, &[("JETBACKUP_MAX_RETRIES", "6")]);
        ws.write_config(&counted_jobs_config("j", "random", 8, ""));
        let (_, tries) = until_success(&ws, &["apply", "-auto-approve", "-input=false"], 4);
        println!("converged after {tries} apply run(s)");
        assert_state_matches_server(&ws, &sim, 8, "random faults");
        let stats = sim.stats().expect("stats");
        assert!(
            stats["faults"]["total"].as_u64().unwrap_or(0) > 0,
            "{stats}"
        );
        until_success(&ws, &["destroy", "-auto-approve", "-input=false"], 4);
        assert_state_matches_server(&ws, &sim, 0, "destroy under faults");
    });
}

fn sim_random(rate: f64, seed: u64) -> SimProcess {
    sim(&[
        "--fail-rate",
        &rate.to_string(),
        "--fail-seed",
        &seed.to_string(),
    ])
}

// ---- 3. bounded load ---------------------------------------------------------

#[test]
fn max_concurrent_requests_bounds_the_load_at_parallelism_10() {
    for_each_terraform(|cli| {
        let sim = sim(&["--latency-ms", "100"]);
        let ws = workspace(cli, &sim, &[("JETBACKUP_MAX_CONCURRENT_REQUESTS", "2")]);
        ws.write_config(&counted_jobs_config("j", "bounded", 20, ""));
        ws.run(&["apply", "-auto-approve", "-input=false", "-parallelism=10"])
            .expect_success("apply 20 jobs");
        let max = sim.stats().expect("stats")["max_in_flight"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(max, 2, "creates: the simulator saw {max} calls at once");
        sim.reset_stats().expect("reset");
        ws.run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-parallelism=10",
        ])
        .expect_success("destroy");
        let stats = sim.stats().expect("stats");
        assert_eq!(stats["max_in_flight"], 2, "deletes: {stats}");
        assert_eq!(stats["calls"]["deleteBackupJob"], 20, "{stats}");
    });
}

// ---- 4. interrupting an apply --------------------------------------------------

/// Starts `terraform <args>` in the workspace, in a process group of its
/// own, with output going to files under the workspace root.
fn spawn_terraform(ws: &Workspace, env: &[(&str, &str)], args: &[&str]) -> Child {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(&ws.cli().path);
    cmd.args(args).current_dir(ws.dir());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("TF_") || k.starts_with("JETBACKUP_") || k.starts_with("RUST_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("TF_CLI_CONFIG_FILE", ws.cli_config_path())
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_INPUT", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = std::fs::File::create(ws.root().join("tf.stdout")).expect("stdout file");
    let err = std::fs::File::create(ws.root().join("tf.stderr")).expect("stderr file");
    cmd.stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0)
        .spawn()
        .expect("start terraform")
}

fn kill(signal: &str, target: &str) {
    let status = Command::new("kill")
        .args([signal, "--", target])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {signal} {target}");
}

/// Waits for `child` up to `limit`; kills its group and fails if it runs over.
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> Duration {
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return started.elapsed();
        }
        if started.elapsed() > limit {
            kill("-KILL", &format!("-{}", child.id()));
            let _ = child.wait();
            panic!("{what}: terraform still running {limit:?} after the interrupt");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A simulator answering after `latency_ms`, and `terraform apply` of `n`
/// jobs against it started in the background (in its own process group),
/// with `slots` API calls in flight at most.
fn background_apply(
    cli: &TerraformCli,
    latency_ms: &str,
    slots: &str,
    prefix: &str,
    n: usize,
) -> (SimProcess, Workspace, Child) {
    let sim = sim(&["--latency-ms", latency_ms]);
    let url = sim.url().to_string();
    let env = [
        ("JETBACKUP_ENDPOINT", url.as_str()),
        ("JETBACKUP_API_TOKEN", sim.token()),
        ("JETBACKUP_MAX_CONCURRENT_REQUESTS", slots),
    ];
    let ws = Workspace::new(cli, &env);
    ws.write_config(&counted_jobs_config("j", prefix, n, ""));
    let args = [
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=10",
    ];
    let child = spawn_terraform(&ws, &env, &args);
    (sim, ws, child)
}

#[test]
fn an_interrupted_apply_exits_promptly_and_records_what_it_created() {
    for_each_terraform(|cli| {
        // Ctrl-C in a terminal signals the whole process group (Terraform and
        // its provider); `kill -INT` signals Terraform alone, which then sends
        // StopProvider.
        for (how, group) in [("terraform only", false), ("whole process group", true)] {
            let (sim, ws, mut child) = background_apply(cli, "2000", "2", "interrupted", 6);
            // Wait until the first creates are on the server's side.
            stats_when(
                &sim,
                |st| {
                    st["calls"]["manageBackupJob"].as_u64().unwrap_or(0) >= 2
                        && st["in_flight"] == 2
                },
                how,
            );
            let target = if group {
                format!("-{}", child.id())
            } else {
                child.id().to_string()
            };
            kill("-INT", &target);
            // The two creates in flight finish (1.7 s left); the four queued
            // behind max_concurrent_requests = 2 must not be sent (that would
            // take 4 s more).
            let took = wait_within(&mut child, Duration::from_secs(30), how);
            let stderr = std::fs::read_to_string(ws.root().join("tf.stderr")).unwrap_or_default();
            let stdout = std::fs::read_to_string(ws.root().join("tf.stdout")).unwrap_or_default();
            println!("{how}: terraform exited {took:?} after the interrupt");
            // "Promptly" is checked by what was sent, not by the clock (a
            // loaded 2-core machine keeps no tight bound): had the four
            // queued creates gone out, the count below would be 6.
            let stats = sim.stats().expect("stats");
            assert_eq!(
                stats["calls"]["manageBackupJob"], 2,
                "{how}: queued creates were sent after the stop: {stats}\n{stdout}\n{stderr}"
            );
            // No orphans: what exists is in the state.
            assert_state_matches_server(&ws, &sim, 2, how);
        }
    });
}

/// Polls the simulator's stats until `ready` holds (generous deadline).
fn stats_when(sim: &SimProcess, ready: impl Fn(&Value) -> bool, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let st = sim.stats().expect("stats");
        if ready(&st) {
            return st;
        }
        assert!(Instant::now() < deadline, "{what}: never happened: {st}");
        // The poll interval, not an ordering: each look is an HTTP request to
        // the simulator, and a busy loop would take a core from Terraform.
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Terraform (and its provider) killed with SIGKILL while creates are in
/// flight; the server commits them anyway. The next apply must not create
/// a second job of any name: it refuses with the job's ID and the import to
/// run, and after following that advice the plan is empty.
#[test]
fn a_killed_apply_leaves_no_duplicate_after_the_next_apply() {
    for_each_terraform(|cli| {
        let (sim, ws, mut child) = background_apply(cli, "1500", "3", "crashed", 8);
        let is_create = |st: &Value| st["calls"]["manageBackupJob"].as_u64().unwrap_or(0);
        stats_when(
            &sim,
            |st| is_create(st) >= 3 && st["in_flight"].as_u64() >= Some(3),
            "three creates in flight",
        );
        kill("-KILL", &format!("-{}", child.id()));
        let _ = child.wait();
        // The server finishes what it received; nobody reads the replies.
        let st = stats_when(&sim, |st| st["in_flight"] == 0, "the creates committed");
        let committed = server_jobs(&sim);
        assert_eq!(
            committed.len() as u64,
            is_create(&st),
            "every create sent was committed: {st}"
        );
        assert!(!committed.is_empty());
        let orphans: BTreeSet<String> = committed
            .iter()
            .map(|j| j.id.to_string())
            .filter(|id| !ws.state_job_ids().contains(id))
            .collect();

        let out = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let text = out.text();
        let names = |jobs: &[jetbackup::api::job::BackupJob]| {
            jobs.iter().map(|j| j.name.to_string()).collect::<Vec<_>>()
        };
        let after = server_jobs(&sim);
        let unique: BTreeSet<String> = names(&after).into_iter().collect();
        assert_eq!(
            unique.len(),
            after.len(),
            "a name was doubled: {:?}\n{text}",
            names(&after)
        );
        if orphans.is_empty() {
            out.expect_success("no orphan: the apply completes");
        } else {
            assert!(
                !out.success(),
                "orphans {orphans:?} must be refused, not adopted silently:\n{text}"
            );
            // Follow the advice: import each refused job at its address.
            let mut imported = 0;
            for block in text.split("Error: ").skip(1) {
                let addr = block
                    .split("with jetbackup_backup_job.")
                    .nth(1)
                    .and_then(|r| r.split(',').next())
                    .map(|a| format!("jetbackup_backup_job.{a}"));
                let id = block.split("(ID ").nth(1).and_then(|r| r.split(')').next());
                if let (Some(addr), Some(id)) = (addr, id) {
                    assert!(block.contains("terraform import"), "{block}");
                    assert!(orphans.contains(id), "{id} is not an orphan: {block}");
                    ws.import(&addr, id).expect_success("import the orphan");
                    imported += 1;
                }
            }
            assert_eq!(imported, orphans.len(), "one refusal per orphan:\n{text}");
            ws.apply().expect_success("apply after the imports");
        }
        let plan = ws.plan_detailed();
        assert_eq!(plan.code, 0, "plan after recovery:\n{}", plan.text());
        assert_state_matches_server(&ws, &sim, 8, "after the crash");
    });
}

// ---- 5. secrets ---------------------------------------------------------------

/// Every place a secret could end up: outputs, the trace log, state files.
fn assert_nowhere(token: &str, outputs: &[TfOutput], files: &[&Path], what: &str) {
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let needles = [token.to_string(), b64(&format!("root:{token}")), b64(token)];
    for out in outputs {
        for n in &needles {
            assert!(
                !out.combined().contains(n.as_str()),
                "{what}: `{}` printed a secret",
                out.command
            );
        }
    }
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for n in &needles {
            assert!(
                !text.contains(n.as_str()),
                "{what}: {} holds a secret",
                f.display()
            );
        }
    }
}

/// Apply, plan, show and destroy, with the outputs to search for secrets;
/// checks that the provider's own debug lines reached the trace log at `log`
/// (so that searching it means something).
fn apply_plan_show_destroy(ws: &Workspace, log: &Path) -> Vec<TfOutput> {
    let outputs = vec![
        ws.apply().expect_success("apply"),
        ws.plan_detailed(),
        ws.run(&["show", "-json"]),
        ws.destroy().expect_success("destroy"),
    ];
    let log_text = std::fs::read_to_string(log).expect("TF_LOG_PATH written");
    assert!(
        log_text.contains("jetbackup api call"),
        "the provider's log is not in TF_LOG_PATH"
    );
    outputs
}

/// The token given through a (sensitive) Terraform variable in the provider
/// block instead of the environment: Terraform holds it now, and it must
/// still appear in no output, no trace log and no state.
#[test]
fn a_token_from_a_terraform_variable_appears_nowhere_either() {
    for_each_terraform(|cli| {
        let token = "tok-Var-distinctive-91c3e07d55";
        let sim = sim(&["--token", token]);
        let log = tempfile::NamedTempFile::new().expect("log file");
        let log_path = log.path().to_string_lossy().into_owned();
        let url = sim.url().to_string();
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", url.as_str()),
                ("TF_VAR_jetbackup_token", token),
                ("TF_LOG", "trace"),
                ("TF_LOG_PATH", &log_path),
            ],
        );
        ws.write_config(&format!(
            r#"{REQUIRED_PROVIDERS}
variable "jetbackup_token" {{
  type      = string
  sensitive = true
}}

provider "jetbackup" {{
  api_token = var.jetbackup_token
}}

resource "jetbackup_backup_job" "v" {{
  name        = "variable-token"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
}}
"#
        ));
        let outputs = apply_plan_show_destroy(&ws, log.path());
        assert_eq!(
            sim.stats().expect("stats")["calls"]["manageBackupJob"],
            1,
            "the variable's token worked"
        );
        assert_nowhere(
            token,
            &outputs,
            &[
                log.path(),
                &ws.dir().join("terraform.tfstate"),
                &ws.dir().join("terraform.tfstate.backup"),
            ],
            "token from a variable",
        );
    });
}

#[test]
fn the_token_appears_in_no_output_log_or_state() {
    for_each_terraform(|cli| {
        let token = "tok-Zq7-distinctive-6d1f0b2e9a";
        for panel in ["cpanel", "directadmin"] {
            let sim = sim(&["--token", token, "--panel", panel]);
            let log = tempfile::NamedTempFile::new().expect("log file");
            let log_path = log.path().to_string_lossy().into_owned();
            let ws = workspace(
                cli,
                &sim,
                &[
                    ("JETBACKUP_PANEL", panel),
                    ("TF_LOG", "trace"),
                    ("TF_LOG_PATH", &log_path),
                ],
            );
            ws.write_config(&format!(
                r#"{REQUIRED_PROVIDERS}
provider "jetbackup" {{}}

resource "jetbackup_backup_job" "s3" {{
  name        = "secret-check"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{}"]
}}
"#,
                jetbackup::sim::seed::DEST_S3_ID
            ));
            let outputs = apply_plan_show_destroy(&ws, log.path());
            assert_nowhere(
                token,
                &outputs,
                &[
                    log.path(),
                    &ws.dir().join("terraform.tfstate"),
                    &ws.dir().join("terraform.tfstate.backup"),
                ],
                panel,
            );

            // Destination secrets come back masked and are not kept either.
            let state = std::fs::read_to_string(ws.dir().join("terraform.tfstate.backup"))
                .unwrap_or_default();
            assert!(
                !state.contains("JB|HIDDEN"),
                "a destination secret in state"
            );

            // A wrong token: the error names the problem, not the token.
            let wrong = "tok-wrong-0c9e77d3";
            let ws = Workspace::new(
                cli,
                &[
                    ("JETBACKUP_ENDPOINT", sim.url()),
                    ("JETBACKUP_API_TOKEN", wrong),
                    ("JETBACKUP_PANEL", panel),
                ],
            );
            ws.write_config(&counted_jobs_config("j", "wrong", 1, ""));
            let out = ws.apply();
            assert!(!out.success());
            assert!(out.mentions("check the username and API token"), "{out}");
            assert_nowhere(wrong, std::slice::from_ref(&out), &[], "wrong token");
            assert_nowhere(token, &[out], &[], "wrong token");
        }
    });
}

// ---- 6. TLS -------------------------------------------------------------------

#[test]
fn tls_needs_ca_cert_pem_or_insecure_and_says_so() {
    for_each_terraform(|cli| {
        let dir = tempfile::tempdir().expect("tempdir");
        let cert = dir.path().join("sim.pem");
        let sim = sim(&["--tls", "--tls-cert-out", cert.to_str().expect("utf-8")]);
        let ws = workspace(cli, &sim, &[]);
        std::fs::copy(&cert, ws.dir().join("sim.pem")).expect("copy the certificate");
        let config = |provider: &str| {
            format!(
                r#"{REQUIRED_PROVIDERS}
provider "jetbackup" {{
  {provider}
}}

resource "jetbackup_backup_job" "t" {{
  name        = "tls"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{DEST_LOCAL_ID}"]
}}
"#
            )
        };
        ws.write_config(&config(""));
        let out = ws.apply();
        assert!(!out.success(), "an unknown CA must fail:\n{out}");
        for needle in ["TLS", "ca_cert_pem", "insecure = true"] {
            assert!(
                out.mentions(needle),
                "the error must say {needle:?}:\n{out}"
            );
        }
        assert!(server_jobs(&sim).is_empty());

        ws.write_config(&config(r#"ca_cert_pem = file("sim.pem")"#));
        ws.apply().expect_success("apply with ca_cert_pem");
        assert_eq!(ws.plan_detailed().code, 0);

        ws.write_config(&config("insecure = true"));
        assert_eq!(ws.plan_detailed().code, 0, "plan with insecure = true");
        ws.destroy().expect_success("destroy with insecure = true");
        assert!(server_jobs(&sim).is_empty());
    });
}

// ---- 7. hostile replies ---------------------------------------------------------

mod hostile {
    //! A server that answers every request with the body chosen last.

    use std::sync::{Arc, Mutex};

    use axum::body::Body;
    use axum::response::Response;

    #[derive(Clone, Default)]
    pub struct Server {
        pub url: String,
        body: Arc<Mutex<(String, Vec<u8>)>>,
    }

    impl Server {
        pub fn start(rt: &tokio::runtime::Runtime) -> Server {
            let listener = rt
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            let server = Server {
                url: format!("http://{addr}"),
                body: Arc::default(),
            };
            let body = server.body.clone();
            let app = axum::Router::new().fallback(move || {
                let body = body.clone();
                async move {
                    let (content_type, bytes) = body.lock().map(|b| b.clone()).unwrap_or_default();
                    Response::builder()
                        .header("content-type", content_type)
                        .body(Body::from(bytes))
                        .expect("response")
                }
            });
            rt.spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            server
        }

        pub fn answer(&self, content_type: &str, body: Vec<u8>) {
            if let Ok(mut b) = self.body.lock() {
                *b = (content_type.to_string(), body);
            }
        }
    }
}

#[test]
fn hostile_replies_fail_clearly_and_leave_the_state_alone() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = hostile::Server::start(&rt);
    for_each_terraform(|cli| {
        // A job created for real, then the endpoint turns hostile.
        let sim = sim(&[]);
        let ws = workspace(cli, &sim, &[]);
        let hcl = counted_jobs_config("j", "hostile", 1, "");
        ws.write_config(&hcl);
        ws.apply().expect_success("apply against the simulator");
        let state_path = ws.dir().join("terraform.tfstate");
        let state = std::fs::read(&state_path).expect("state");

        let bad = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &server.url),
                ("JETBACKUP_API_TOKEN", "t"),
            ],
        );
        bad.write_config(&hcl);
        let bad_state = bad.dir().join("terraform.tfstate");
        std::fs::write(&bad_state, &state).expect("copy the state");

        let id = ws.state_job_ids().into_iter().next().expect("one job");
        let job = |field: &str, value: Value| {
            let mut job = serde_json::json!({
                "_id": id, "name": "hostile-0", "type": 1, "contains": 511, "structure": 1,
                "destination": [DEST_LOCAL_ID], "schedules": [], "disabled": 0
            });
            job[field] = value;
            serde_json::json!({"success": 1, "data": {"jobs": [job.clone()], "total": 1}, "job": job})
        };
        let as_get = |v: Value| {
            // getBackupJob's data is the job itself; listBackupJobs' holds a list.
            let mut v = v;
            let job = v["job"].take();
            serde_json::json!({"success": 1, "data": job})
                .to_string()
                .into_bytes()
        };
        let mut huge = b"{\"success\":1,\"data\":\"".to_vec();
        huge.resize(17 * 1024 * 1024, b'x');
        let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
            (
                "HTML",
                "text/html",
                b"<html><body>Login</body></html>".to_vec(),
                "HTML page",
            ),
            (
                "truncated",
                "application/json",
                b"{\"success\":1,\"data\":{\"_id\":\"65".to_vec(),
                "truncated",
            ),
            (
                "non-UTF-8",
                "application/json",
                b"{\"success\":1,\"data\":{\"name\":\"\xff\xfe\"}}".to_vec(),
                "not JSON",
            ),
            ("huge", "application/json", huge, "larger than 16 MiB"),
            (
                "wrong type",
                "application/json",
                as_get(job("name", serde_json::json!({"x": 1}))),
                "data.name: expected a string, found an object",
            ),
            (
                "wrong type",
                "application/json",
                as_get(job("destination", serde_json::json!(7))),
                "data.destination: expected a list, found a number",
            ),
        ];
        for (what, content_type, body, expected) in cases {
            server.answer(content_type, body);
            for args in [
                &["plan", "-input=false"][..],
                &["apply", "-auto-approve", "-input=false"][..],
            ] {
                let out = bad.run(args);
                assert!(!out.success(), "{what}: {} must fail:\n{out}", args[0]);
                assert!(
                    out.mentions(expected),
                    "{what}: {} must say {expected:?}:\n{out}",
                    args[0]
                );
                assert!(!out.combined().contains("panicked"), "{what}:\n{out}");
                assert_eq!(
                    std::fs::read(&bad_state).expect("state"),
                    state,
                    "{what}: {} changed the state",
                    args[0]
                );
            }
        }
        ws.destroy().expect_success("destroy");
    });
}
