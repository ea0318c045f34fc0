//! [`SimProcess`]: runs the `jetbackup-sim` binary for a test or a bench,
//! stops it when dropped, and gives clients to it. The one place that joins
//! the simulator and the API client: the simulator itself never uses the
//! client (ARCHITECTURE.md, `tests/code_map.rs`).
//!
//! ```no_run
//! # async fn demo() {
//! use jetbackup::sim_process::SimProcess;
//! // In an integration test: env!("CARGO_BIN_EXE_jetbackup-sim").
//! let sim = SimProcess::spawn("target/debug/jetbackup-sim", &["--panel", "linux"]).unwrap();
//! let client = sim.client();
//! let jobs = client.list_backup_jobs(&Default::default()).await.unwrap();
//! assert!(jobs.is_empty());
//! let stats = sim.stats_async().await.unwrap();
//! assert_eq!(stats["jobs"], 0);
//! # }
//! ```

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::AUTHORIZATION;
use serde_json::Value;

use crate::api::transport::{HttpConfig, HttpTransport, Panel};
use crate::api::{Client, ClientOptions};

/// How long [`SimProcess::spawn`] waits for the `listening on` line.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `jetbackup-sim` process, killed (and reaped) on drop.
#[derive(Debug)]
pub struct SimProcess {
    child: Child,
    url: String,
    panel: Panel,
    username: String,
    token: String,
    tls_cert_pem: Option<String>,
}

/// The value of `--name value` or `--name=value` in `args`, last one winning.
fn arg_value<S: AsRef<str>>(args: &[S], name: &str) -> Option<String> {
    let mut found = None;
    let mut it = args.iter().map(AsRef::as_ref);
    while let Some(a) = it.next() {
        if a == name {
            found = it.next().map(str::to_string);
        } else if let Some(v) = a.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            found = Some(v.to_string());
        }
    }
    found
}

impl SimProcess {
    /// Starts `binary` with `args` and waits for its first stdout line,
    /// `listening on URL`. The panel, username, token and certificate file
    /// are read from `args` (with the simulator's defaults) so that
    /// [`client`](Self::client) and [`stats`](Self::stats) authenticate.
    /// stderr is inherited; its level defaults to `warn` unless
    /// `JETBACKUP_SIM_LOG` is set.
    pub fn spawn<P: AsRef<OsStr>, S: AsRef<str>>(binary: P, args: &[S]) -> io::Result<SimProcess> {
        let invalid = |m: String| io::Error::new(io::ErrorKind::InvalidInput, m);
        let panel = match arg_value(args, "--panel") {
            Some(p) => {
                Panel::from_label(&p).ok_or_else(|| invalid(format!("unknown panel {p}")))?
            }
            None => Panel::Cpanel,
        };
        let mut cmd = Command::new(binary);
        cmd.args(args.iter().map(AsRef::as_ref))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if std::env::var_os("JETBACKUP_SIM_LOG").is_none() {
            cmd.env("JETBACKUP_SIM_LOG", "warn");
        }
        let mut child = cmd.spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout pipe"))?;
        // Read the first line on a thread so that a simulator that never
        // prints cannot hang the test; the thread then drains stdout to EOF.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let first = reader.read_line(&mut line).map(|_| line);
            let _ = tx.send(first);
            let _ = io::copy(&mut reader.take(u64::MAX), &mut io::sink());
        });
        let line = match rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "jetbackup-sim printed no `listening on` line",
                ));
            }
        };
        let url = match line.trim().strip_prefix("listening on ") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.to_string()
            }
            _ => {
                let status = child.wait()?;
                return Err(io::Error::other(format!(
                    "jetbackup-sim did not start ({status}); first line: {line:?}"
                )));
            }
        };
        let tls_cert_pem = match arg_value(args, "--tls-cert-out") {
            Some(path) => Some(std::fs::read_to_string(PathBuf::from(path))?),
            None => None,
        };
        Ok(SimProcess {
            child,
            url,
            panel,
            username: arg_value(args, "--username").unwrap_or_else(|| "root".to_string()),
            token: arg_value(args, "--token").unwrap_or_else(|| "sim-token".to_string()),
            tls_cert_pem,
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://`): the endpoint a client is given.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// The panel's API entry point, with its query (`…/index.raw?api=1`).
    pub fn api_url(&self) -> String {
        format!("{}{}", self.url, self.panel.api_path())
    }

    pub fn panel(&self) -> Panel {
        self.panel
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The `Authorization` header value the simulator accepts.
    pub fn authorization(&self) -> String {
        self.panel.authorization(&self.username, &self.token)
    }

    /// The certificate written by `--tls-cert-out`, if that was given.
    pub fn tls_cert_pem(&self) -> Option<&str> {
        self.tls_cert_pem.as_deref()
    }

    /// Writes a `jetbackup5api` stand-in that forwards `-F F -D D -O json` to the
    /// simulator and prints the reply body, always exiting 0 like the real one.
    pub fn write_cli_double(&self, dir: &Path) -> String {
        let has_curl = Command::new("sh")
            .args(["-c", "command -v curl"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let forward = if has_curl {
            "curl -s -S -H \"Authorization: $AUTH\" --data-binary \"function=$F&$D\" \"$URL\""
                .to_string()
        } else {
            "python3 -c 'import sys, urllib.request\n\
    r = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={\"Authorization\": sys.argv[3], \"Content-Type\": \"application/x-www-form-urlencoded\"})\n\
    sys.stdout.buffer.write(urllib.request.urlopen(r).read())' \"$URL\" \"function=$F&$D\" \"$AUTH\""
                .to_string()
        };
        let script = format!(
            "#!/bin/sh\n\
             # jetbackup5api test double: forwards to jetbackup-sim.\n\
             URL='{url}'\n\
             AUTH='{auth}'\n\
             F=''; D=''\n\
             while [ $# -gt 0 ]; do\n\
               case \"$1\" in\n\
                 -F) F=\"$2\"; shift 2 ;;\n\
                 -D) D=\"$2\"; shift 2 ;;\n\
                 -O) shift 2 ;;\n\
                 *) shift ;;\n\
               esac\n\
             done\n\
             {forward}\n\
             exit 0\n",
            url = self.api_url(),
            auth = self.authorization(),
        );
        let path = dir.join("jetbackup5api");
        std::fs::write(&path, script).unwrap_or_else(|e| panic!("write the CLI double: {e}"));
        // The CLI double is a shell script: executable on Unix only (the
        // library also builds for the release's windows_amd64 provider).
        #[cfg(unix)]
        {
            let mut perms = std::fs::metadata(&path)
                .unwrap_or_else(|e| panic!("stat the CLI double: {e}"))
                .permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
            std::fs::set_permissions(&path, perms)
                .unwrap_or_else(|e| panic!("chmod the CLI double: {e}"));
        }
        path.to_string_lossy().into_owned()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Client settings for this simulator: its certificate as CA when known,
    /// otherwise (TLS without `--tls-cert-out`) no verification.
    pub fn http_config(&self) -> HttpConfig {
        let tls = self.url.starts_with("https://");
        HttpConfig {
            endpoint: self.url.clone(),
            panel: self.panel,
            username: self.username.clone(),
            token: self.token.clone(),
            insecure: tls && self.tls_cert_pem.is_none(),
            ca_cert_pem: self.tls_cert_pem.clone(),
            timeout: Duration::from_secs(10),
        }
    }

    /// A client over HTTP(S) with default options. Panics only if the
    /// simulator's own settings are unusable, which is a bug in the test.
    pub fn client(&self) -> Client {
        self.client_with(ClientOptions::default())
    }

    pub fn client_with(&self, options: ClientOptions) -> Client {
        let transport = HttpTransport::new(self.http_config())
            .unwrap_or_else(|e| panic!("client for the simulator at {}: {e}", self.url));
        Client::new(Arc::new(transport), options)
    }

    fn http(&self) -> Result<reqwest::Client, String> {
        // Loopback test helper: the simulator's certificate is self-signed.
        reqwest::Client::builder()
            .use_rustls_tls()
            .danger_accept_invalid_certs(true)
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())
    }

    async fn sim_endpoint(&self, post: bool, path: &str) -> Result<Value, String> {
        self.sim_request(post, path, None).await
    }

    async fn sim_request(
        &self,
        post: bool,
        path: &str,
        body: Option<String>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let http = self.http()?;
        let mut req = if post {
            http.post(&url)
        } else {
            http.get(&url)
        };
        if let Some(body) = body {
            req = req.body(body);
        }
        let resp = req
            .header(AUTHORIZATION, self.authorization())
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| format!("{url}: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{url}: HTTP {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
    }

    /// Runs a `/__sim` request to completion on a thread of its own, so that
    /// it works from synchronous tests and from inside a Tokio runtime alike
    /// (where blocking on a nested runtime would panic).
    fn on_own_thread<T, F>(&self, request: impl FnOnce() -> F + Send) -> Result<T, String>
    where
        T: Send,
        F: std::future::Future<Output = Result<T, String>>,
    {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| format!("runtime: {e}"))?;
                    rt.block_on(request())
                })
                .join()
                .unwrap_or_else(|_| Err("the /__sim request thread panicked".to_string()))
        })
    }

    fn blocking(&self, post: bool, path: &'static str) -> Result<Value, String> {
        self.on_own_thread(|| self.sim_endpoint(post, path))
    }

    /// `GET /__sim/stats`: `{"calls": {...}, "faults": {...}, "jobs": n}`.
    /// Blocking; usable from sync and async tests.
    pub fn stats(&self) -> Result<Value, String> {
        self.blocking(false, "/__sim/stats")
    }

    /// `POST /__sim/reset`: zeroes the counters (not the data). Blocking.
    pub fn reset_stats(&self) -> Result<Value, String> {
        self.blocking(true, "/__sim/reset")
    }

    /// `POST /__sim/faults`: replaces the fault script (see
    /// `jetbackup-sim --help`, `--fault-script`). Returns how many entries
    /// are queued. Blocking.
    pub fn set_faults(&self, script: &str) -> Result<u64, String> {
        self.on_own_thread(|| self.set_faults_async(script))
    }

    /// [`set_faults`](Self::set_faults) for async code.
    pub async fn set_faults_async(&self, script: &str) -> Result<u64, String> {
        let v = self
            .sim_request(true, "/__sim/faults", Some(script.to_string()))
            .await?;
        v["queued"]
            .as_u64()
            .ok_or_else(|| format!("unexpected answer {v}"))
    }

    /// `GET /__sim/runs`: each job's manual runs by job ID (`running`,
    /// `last_run`, `queued`, `finished`). Blocking.
    pub fn runs(&self) -> Result<Value, String> {
        self.blocking(false, "/__sim/runs")
    }

    /// `POST /__sim/runs/finish`: every running job finishes now; returns
    /// how many did. Blocking.
    pub fn finish_runs(&self) -> Result<u64, String> {
        let v = self.blocking(true, "/__sim/runs/finish")?;
        v["finished"]
            .as_u64()
            .ok_or_else(|| format!("unexpected answer {v}"))
    }

    /// [`stats`](Self::stats) for async code.
    pub async fn stats_async(&self) -> Result<Value, String> {
        self.sim_endpoint(false, "/__sim/stats").await
    }

    /// [`reset_stats`](Self::reset_stats) for async code.
    pub async fn reset_stats_async(&self) -> Result<Value, String> {
        self.sim_endpoint(true, "/__sim/reset").await
    }

    /// Stops the simulator with SIGTERM and waits up to `timeout` for it to
    /// exit; kills it if it does not.
    pub fn terminate(&mut self, timeout: Duration) -> io::Result<ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.kill()?;
        self.child.wait()
    }

    /// Kills the simulator (SIGKILL) and reaps it. Idempotent.
    pub fn kill(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_from_args() {
        let args = ["--panel", "linux", "--token=abc", "--username", "u"];
        assert_eq!(arg_value(&args, "--panel").as_deref(), Some("linux"));
        assert_eq!(arg_value(&args, "--token").as_deref(), Some("abc"));
        assert_eq!(arg_value(&args, "--username").as_deref(), Some("u"));
        assert_eq!(arg_value(&args, "--seed"), None);
    }
}
