//! Peak RSS and CPU: polls /proc for the processes running the provider
//! binaries, and for the Terraform process being timed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Peak RSS and CPU: polls /proc for the processes running the provider
// binaries, and for the Terraform process being timed.

#[derive(Default)]
pub(crate) struct Usage {
    /// Highest VmHWM (kB) of any process of each provider executable.
    pub(crate) peak_kb: HashMap<PathBuf, u64>,
    /// Last CPU time seen (clock ticks) per provider process, by executable.
    pub(crate) provider_ticks: HashMap<PathBuf, HashMap<u32, u64>>,
    /// The Terraform process being timed, and its last CPU time seen.
    pub(crate) terraform: Option<(u32, u64)>,
}

pub(crate) struct Poller {
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) usage: Arc<Mutex<Usage>>,
    pub(crate) handle: Option<thread::JoinHandle<()>>,
}

/// What one command used, from [`Poller::take`].
#[derive(Default, Clone, Copy)]
pub(crate) struct Used {
    pub(crate) peak_kb: u64,
    pub(crate) provider_cpu_s: f64,
    pub(crate) terraform_cpu_s: f64,
}

/// Linux's USER_HZ: the unit of the CPU times in /proc/PID/stat.
pub(crate) const TICKS_PER_S: f64 = 100.0;

impl Poller {
    pub(crate) fn start(exes: Vec<PathBuf>) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let usage: Arc<Mutex<Usage>> = Arc::default();
        let handle = {
            let stop = stop.clone();
            let usage = usage.clone();
            thread::spawn(move || {
                // PIDs already seen not to run a provider: skipped without a readlink.
                let mut others: HashSet<u32> = HashSet::new();
                while !stop.load(Ordering::Relaxed) {
                    let watched = usage.lock().unwrap().terraform.map(|(pid, _)| pid);
                    if let Some(pid) = watched {
                        if let Some(t) = cpu_ticks(pid) {
                            let mut u = usage.lock().unwrap();
                            if let Some((p, ticks)) = &mut u.terraform {
                                if *p == pid {
                                    *ticks = (*ticks).max(t);
                                }
                            }
                        }
                    }
                    if let Ok(dir) = std::fs::read_dir("/proc") {
                        for entry in dir.flatten() {
                            let Some(pid) = entry
                                .file_name()
                                .to_str()
                                .and_then(|s| s.parse::<u32>().ok())
                            else {
                                continue;
                            };
                            if others.contains(&pid) {
                                continue;
                            }
                            let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else {
                                continue;
                            };
                            let Some(which) = exes.iter().find(|e| **e == exe) else {
                                others.insert(pid);
                                continue;
                            };
                            let kb = vm_hwm_kb(pid);
                            let ticks = cpu_ticks(pid);
                            let mut u = usage.lock().unwrap();
                            if let Some(kb) = kb {
                                let e = u.peak_kb.entry(which.clone()).or_insert(0);
                                *e = (*e).max(kb);
                            }
                            if let Some(t) = ticks {
                                let e = u
                                    .provider_ticks
                                    .entry(which.clone())
                                    .or_default()
                                    .entry(pid)
                                    .or_insert(0);
                                *e = (*e).max(t);
                            }
                        }
                    }
                    thread::sleep(Duration::from_millis(10));
                }
            })
        };
        Poller {
            stop,
            usage,
            handle: Some(handle),
        }
    }

    /// Starts following the CPU time of the Terraform process `pid`.
    pub(crate) fn watch(&self, pid: u32) {
        self.usage.lock().unwrap().terraform = Some((pid, 0));
    }

    /// What `exe` (and the Terraform process watched) used since the last
    /// call; resets the counters.
    pub(crate) fn take(&self, exe: Option<&Path>) -> Used {
        let mut u = self.usage.lock().unwrap();
        let terraform_cpu_s = u
            .terraform
            .take()
            .map_or(0.0, |(_, t)| t as f64 / TICKS_PER_S);
        let mut used = Used {
            terraform_cpu_s,
            ..Used::default()
        };
        if let Some(exe) = exe {
            used.peak_kb = u.peak_kb.remove(exe).unwrap_or(0);
            used.provider_cpu_s = u
                .provider_ticks
                .remove(exe)
                .map_or(0, |m| m.values().sum::<u64>()) as f64
                / TICKS_PER_S;
        }
        u.peak_kb.clear();
        u.provider_ticks.clear();
        used
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// utime + stime of `pid`, in clock ticks.
pub(crate) fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

pub(crate) fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}
