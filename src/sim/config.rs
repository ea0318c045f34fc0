//! Command-line options of `jetbackup-sim`, parsed by hand (the project has
//! no argument-parsing dependency and the option set is small).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::api::transport::Panel;

pub const USAGE: &str = "\
usage: jetbackup-sim [options]

A JetBackup 5 API simulator on loopback. Prints `listening on URL` as its
first line on stdout; logs go to stderr (level from JETBACKUP_SIM_LOG).

options:
  --listen ADDR        loopback address and port to bind (default 127.0.0.1:0)
  --panel PANEL        cpanel | directadmin | linux: URL form and auth header (default cpanel)
  --username NAME      user the auth header must name (default root)
  --token TOKEN        API token the auth header must carry (default sim-token)
  --seed FILE          initial data (JSON: destinations, schedules,
                       account_filter_groups, account_filters, backup_jobs,
                       hooks, notification_integrations, missing_plugins:
                       type keys whose plugin is not installed); default:
                       built-in; example: examples/simulator/seed.json
  --state FILE         load data from FILE if it exists, save after every
                       change, in the same format as --seed
  --latency-ms N       delay every API call by N milliseconds
  --per-object-us N    also delay each list page by N microseconds per object
                       it returns (a PHP backend's time per object; default 0)
  --fail-rate F        inject a fault into a fraction F (0..1) of API calls
  --fail-seed S        seed of the fault sequence (default 0)
  --fault-script S     faults for the next requests, in order, before any
                       random one: comma-separated [FUNCTION:]KIND[*N] with
                       KIND ok | 502 | drop | truncated | lost | lost-drop |
                       lost-truncated | html | busy@MS | slow@MS | CODE[@MS|^S]
                       (e.g. manageBackupJob:lost*3,503@700); replaced at
                       run time by POST /__sim/faults
  --tls                serve HTTPS with a self-signed certificate for
                       localhost and 127.0.0.1
  --tls-cert-out FILE  write that certificate (PEM) to FILE
  --help               print this help
";

#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub listen: SocketAddr,
    pub panel: Panel,
    pub username: String,
    pub token: String,
    pub seed: Option<PathBuf>,
    pub state: Option<PathBuf>,
    pub latency: Duration,
    /// Added to a list reply per object in its page (see `--per-object-us`).
    pub per_object: Duration,
    pub fail_rate: f64,
    pub fail_seed: u64,
    /// A fault script (see `faults::parse_script`), checked when parsed.
    pub fault_script: String,
    pub tls: bool,
    pub tls_cert_out: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            panel: Panel::Cpanel,
            username: "root".to_string(),
            token: "sim-token".to_string(),
            seed: None,
            state: None,
            latency: Duration::ZERO,
            per_object: Duration::ZERO,
            fail_rate: 0.0,
            fail_seed: 0,
            fault_script: String::new(),
            tls: false,
            tls_cert_out: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParsedArgs {
    Run(Box<SimConfig>),
    Help,
}

fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    let addr = match s.strip_prefix("localhost:") {
        Some(port) => port
            .parse::<u16>()
            .map(|p| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), p))
            .map_err(|_| format!("--listen {s}: bad port"))?,
        None => s
            .parse::<SocketAddr>()
            .map_err(|_| format!("--listen {s}: expected IP:PORT, e.g. 127.0.0.1:0"))?,
    };
    // The simulator is a test double: it never listens beyond this machine.
    if !addr.ip().is_loopback() {
        return Err(format!("--listen {s}: only loopback addresses are allowed"));
    }
    Ok(addr)
}

/// Declares the options that take a value once: the parser finds a name
/// here, and its `match` on [`ValueOption`] is exhaustive, so an option
/// declared here does not build until it is handled.
macro_rules! value_options {
    ($($variant:ident = $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum ValueOption { $($variant,)* }

        impl ValueOption {
            fn named(name: &str) -> Option<ValueOption> {
                match name {
                    $($name => Some(ValueOption::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

value_options! {
    Listen = "--listen",
    Panel = "--panel",
    Username = "--username",
    Token = "--token",
    Seed = "--seed",
    State = "--state",
    LatencyMs = "--latency-ms",
    PerObjectUs = "--per-object-us",
    FailRate = "--fail-rate",
    FailSeed = "--fail-seed",
    FaultScript = "--fault-script",
    TlsCertOut = "--tls-cert-out",
}

/// Parses the arguments after the program name. Accepts `--opt value` and
/// `--opt=value`.
pub fn parse_args<I, S>(args: I) -> Result<ParsedArgs, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut c = SimConfig::default();
    let mut it = args.into_iter().map(Into::into);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let flag_only = |inline: &Option<String>| -> Result<(), String> {
            match inline {
                Some(_) => Err(format!("{name} takes no value")),
                None => Ok(()),
            }
        };
        if name == "--help" || name == "-h" {
            return Ok(ParsedArgs::Help);
        }
        if name == "--tls" {
            flag_only(&inline)?;
            c.tls = true;
            continue;
        }
        let Some(option) = ValueOption::named(&name) else {
            return Err(format!("unknown argument: {arg}"));
        };
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{name} needs a value"))?,
        };
        match option {
            ValueOption::Listen => c.listen = parse_listen(&value)?,
            ValueOption::Panel => {
                c.panel = Panel::from_label(&value).ok_or_else(|| {
                    format!(
                        "--panel {value}: expected one of {}",
                        Panel::LABELS.join(", ")
                    )
                })?
            }
            ValueOption::Username => {
                if value.is_empty() || value.contains(':') {
                    return Err("--username must be non-empty and without ':'".to_string());
                }
                c.username = value
            }
            ValueOption::Token => {
                if value.is_empty() {
                    return Err("--token must not be empty".to_string());
                }
                c.token = value
            }
            ValueOption::Seed => c.seed = Some(PathBuf::from(value)),
            ValueOption::State => c.state = Some(PathBuf::from(value)),
            ValueOption::LatencyMs => {
                c.latency = Duration::from_millis(
                    value
                        .parse()
                        .map_err(|_| format!("--latency-ms {value}: expected milliseconds"))?,
                )
            }
            ValueOption::PerObjectUs => {
                c.per_object = Duration::from_micros(
                    value
                        .parse()
                        .map_err(|_| format!("--per-object-us {value}: expected microseconds"))?,
                )
            }
            ValueOption::FailRate => {
                let f: f64 = value
                    .parse()
                    .map_err(|_| format!("--fail-rate {value}: expected a number"))?;
                if !(0.0..=1.0).contains(&f) {
                    return Err(format!("--fail-rate {value}: must be between 0 and 1"));
                }
                c.fail_rate = f;
            }
            ValueOption::FailSeed => {
                c.fail_seed = value
                    .parse()
                    .map_err(|_| format!("--fail-seed {value}: expected an unsigned integer"))?
            }
            ValueOption::FaultScript => {
                super::faults::parse_script(&value).map_err(|e| format!("--fault-script: {e}"))?;
                c.fault_script = value;
            }
            ValueOption::TlsCertOut => c.tls_cert_out = Some(PathBuf::from(value)),
        }
    }
    if c.tls_cert_out.is_some() && !c.tls {
        return Err("--tls-cert-out needs --tls".to_string());
    }
    Ok(ParsedArgs::Run(Box::new(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> SimConfig {
        match parse_args(args.iter().copied()) {
            Ok(ParsedArgs::Run(c)) => *c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[]);
        assert_eq!(c.listen.to_string(), "127.0.0.1:0");
        assert_eq!(c.panel, Panel::Cpanel);
        assert_eq!(
            (c.username.as_str(), c.token.as_str()),
            ("root", "sim-token")
        );
        assert!(!c.tls);
    }

    #[test]
    fn every_option() {
        let c = run(&[
            "--listen",
            "127.0.0.1:8080",
            "--panel=linux",
            "--username",
            "admin",
            "--token",
            "T",
            "--seed",
            "s.json",
            "--state",
            "st.json",
            "--latency-ms",
            "20",
            "--per-object-us=500",
            "--fail-rate",
            "0.25",
            "--fail-seed",
            "7",
            "--tls",
            "--tls-cert-out",
            "c.pem",
        ]);
        assert_eq!(c.listen.port(), 8080);
        assert_eq!(c.panel, Panel::Linux);
        assert_eq!(c.latency, Duration::from_millis(20));
        assert_eq!(c.per_object, Duration::from_micros(500));
        assert_eq!((c.fail_rate, c.fail_seed), (0.25, 7));
        assert!(c.tls);
        assert_eq!(c.tls_cert_out, Some(PathBuf::from("c.pem")));
        assert_eq!(
            run(&["--listen", "localhost:0"]).listen.to_string(),
            "127.0.0.1:0"
        );
        assert_eq!(run(&["--listen", "[::1]:0"]).listen.to_string(), "[::1]:0");
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse_args(["--help"]), Ok(ParsedArgs::Help));
        for bad in [
            &["--bogus"][..],
            &["--panel", "plesk"],
            &["--listen", "0.0.0.0:80"],
            &["--listen"],
            &["--fail-rate", "2"],
            &["--latency-ms", "-1"],
            &["--per-object-us", "0.5"],
            &["--tls=1"],
            &["--tls-cert-out", "x.pem"],
            &["--fault-script", "teapot"],
        ] {
            assert!(parse_args(bad.iter().copied()).is_err(), "{bad:?}");
        }
    }
}
