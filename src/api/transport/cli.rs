//! Local transport: `jetbackup5api -F FUNCTION -D "…" -O json`, for Terraform
//! running as root on the JetBackup server itself.
//!
//! The command's exit code means nothing (an unknown function exits 0 and does
//! nothing), so the reply is always parsed and `success` checked by the
//! client. Parameters go in a single `-D`: with several, JetBackup has been
//! seen to drop some of them.

use std::process::Stdio;
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::AsyncReadExt;
use tokio::process::Command;

use super::{Transport, MAX_BODY_BYTES};
use crate::api::error::ApiError;
use crate::api::wire::Params;

#[derive(Debug, Clone)]
pub struct CliTransport {
    pub command: String,
    pub timeout: Duration,
}

impl CliTransport {
    pub fn new(command: impl Into<String>, timeout: Duration) -> CliTransport {
        CliTransport {
            command: command.into(),
            timeout,
        }
    }
}

#[async_trait]
impl Transport for CliTransport {
    async fn call(&self, function: &str, params: &Params) -> Result<Vec<u8>, ApiError> {
        let cli_err = |detail: String| ApiError::Cli {
            function: function.to_string(),
            command: self.command.clone(),
            detail,
        };
        let mut child = Command::new(&self.command)
            .arg("-F")
            .arg(function)
            .arg("-D")
            .arg(params.encode())
            .arg("-O")
            .arg("json")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| cli_err(e.to_string()))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| cli_err("no stdout".into()))?;
        let read = async {
            let mut buf = Vec::new();
            (&mut stdout)
                .take(MAX_BODY_BYTES as u64 + 1)
                .read_to_end(&mut buf)
                .await
                .map(|_| buf)
        };
        let buf = match tokio::time::timeout(self.timeout, read).await {
            Ok(Ok(buf)) => buf,
            Ok(Err(e)) => return Err(cli_err(e.to_string())),
            Err(_) => {
                let _ = child.kill().await;
                return Err(ApiError::Timeout {
                    function: function.to_string(),
                    target: self.command.clone(),
                    after: self.timeout,
                    attempts: 1,
                    waited: self.timeout,
                });
            }
        };
        // The exit status is deliberately ignored (see the module docs).
        let _ = child.wait().await;
        if buf.len() > MAX_BODY_BYTES {
            return Err(ApiError::BadResponse {
                function: function.to_string(),
                reason: format!("reply larger than {} MiB", MAX_BODY_BYTES >> 20),
                snippet: String::new(),
            });
        }
        Ok(buf)
    }

    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }

    fn target(&self) -> String {
        self.command.clone()
    }

    /// `-D` is an argument: `ps` and `/proc/PID/cmdline` show it to every
    /// local user. No JetBackup source shows `jetbackup5api` reading its
    /// data from standard input or a file (searched: the CLI pages, JetApps'
    /// scripts and wrappers).
    fn parameters_visible_locally(&self) -> bool {
        true
    }
}
