//! Running a command in its own process group with a timeout, so that no
//! provider plugin outlives it; [`TfOutput`], what a Terraform command did.

use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What one Terraform command did.
#[derive(Debug, Clone)]
pub struct TfOutput {
    /// The command line, for messages.
    pub command: String,
    /// The exit code; -1 if it was killed by a signal (including on timeout).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    /// Whether the command exited 0.
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// stdout followed by stderr.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// stdout followed by stderr with every run of whitespace (including the
    /// line breaks Terraform puts into diagnostics to wrap them at 78
    /// columns) collapsed to one space: search this for a message.
    pub fn text(&self) -> String {
        self.combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the output says `needle`, however Terraform wrapped the lines
    /// (whitespace in `needle` matches any run of whitespace).
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.split_whitespace().collect::<Vec<_>>().join(" ");
        self.text().contains(&needle)
    }

    /// Panics with the command's whole output unless it exited 0; returns self.
    #[track_caller]
    pub fn expect_success(self, what: &str) -> Self {
        if !self.success() {
            panic!("{what} failed: {self}");
        }
        self
    }
}

impl fmt::Display for TfOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// Removes inherited settings that would change what Terraform or the
/// provider does: `TF_*`, `JETBACKUP_*`, `PLUGIN_*`, `RUST_BACKTRACE`,
/// `RUST_LIB_BACKTRACE`; and stdin.
pub fn isolate_env(cmd: &mut Command) {
    let inherited: Vec<OsString> = std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| {
            let k = k.to_string_lossy();
            k.starts_with("TF_")
                || k.starts_with("JETBACKUP_")
                || k.starts_with("PLUGIN_")
                || k == "RUST_BACKTRACE"
                || k == "RUST_LIB_BACKTRACE"
        })
        .collect();
    for k in inherited {
        cmd.env_remove(k);
    }
    cmd.stdin(Stdio::null());
}

/// What [`run_in_group`] saw of a command.
pub struct Finished {
    pub code: i32,
    /// From spawn to exit, measured by a blocking wait (no polling step).
    pub elapsed: Duration,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Runs `cmd` in its own process group, capturing stdout and stderr, and
/// waits for it with a blocking wait; kills the whole group (Terraform and
/// the provider plugins it started) if it runs past `timeout`, and in any
/// case once it has exited, so that no plugin outlives it. `on_spawn` gets
/// the process (group) ID. The test harness and `make bench` both run
/// Terraform through this.
pub fn run_in_group(mut cmd: Command, timeout: Duration, on_spawn: impl FnOnce(u32)) -> Finished {
    use std::os::unix::process::CommandExt;

    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let pid = child.id();
    on_spawn(pid);
    let read_all = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped stderr")));
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((status, Instant::now()));
    });
    let (waited, timed_out) = match rx.recv_timeout(timeout) {
        Ok(done) => (done, false),
        Err(_) => {
            kill_process_group(pid);
            (rx.recv().expect("the killed command is reaped"), true)
        }
    };
    let (status, ended) = waited;
    let status: ExitStatus = status.expect("wait for the command");
    // The provider plugins share the group; make sure none outlives the command.
    kill_process_group(pid);
    Finished {
        code: status.code().unwrap_or(-1),
        elapsed: ended - started,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    }
}

/// [`run_in_group`] for a test: the output names the command, and a command
/// killed for running too long says so in its stderr.
pub(super) fn run_with_timeout(cmd: Command, timeout: Duration) -> TfOutput {
    // Program and arguments only: the environment may hold a token.
    let command = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let done = run_in_group(cmd, timeout, |_| {});
    let mut stderr = done.stderr;
    if done.timed_out {
        stderr.push_str(&format!(
            "\n[test harness] killed after {} s: timed out\n",
            timeout.as_secs()
        ));
    }
    TfOutput {
        command,
        code: done.code,
        stdout: done.stdout,
        stderr,
    }
}

/// Sends SIGKILL to process group `pgid` (no libc dependency: uses kill(1)).
pub fn kill_process_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}
