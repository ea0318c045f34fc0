//! The `provider "jetbackup"` block: its schema, validation, and resolution
//! (configuration first, then `JETBACKUP_*` environment variables, then
//! defaults) into an API client.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Schema};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::location;
use super::schema_build::attr;
use super::schema_build::schema_of;
use crate::api::transport::{
    endpoint_not_ascii, CliTransport, HttpConfig, HttpTransport, Panel, Transport,
};
use crate::api::{Client, ClientOptions, StopSignal};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub endpoint: Value<String>,
    pub panel: Value<String>,
    pub username: Value<String>,
    pub api_token: Value<String>,
    pub insecure: Value<bool>,
    pub ca_cert_pem: Value<String>,
    pub timeout_seconds: Value<i64>,
    pub transport: Value<String>,
    pub cli_path: Value<String>,
    pub max_retries: Value<i64>,
    pub max_concurrent_requests: Value<i64>,
    pub coalesce_reads: Value<bool>,
    pub allow_duplicate_names: Value<bool>,
}

/// One provider setting: name, environment variable, type, default, meaning.
pub struct Setting {
    pub name: &'static str,
    pub env: &'static str,
    pub attr_type: fn() -> AttributeType,
    pub sensitive: bool,
    pub default: &'static str,
    pub doc: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting { name: "endpoint", env: "JETBACKUP_ENDPOINT", attr_type: || AttributeType::String, sensitive: false, default: "", doc: "Base URL of the server, e.g. `https://server.example.com:2087`. Without a port, the panel's default port is used (2087 cPanel/WHM, 2222 DirectAdmin, 3035 Linux). Required for the `http` transport. A plain `http://` endpoint to a host other than this machine is accepted with a warning: the token and every parameter travel unencrypted." },
    Setting { name: "panel", env: "JETBACKUP_PANEL", attr_type: || AttributeType::String, sensitive: false, default: "cpanel", doc: "The panel JetBackup 5 runs under, which decides the API URL and the authentication header: `cpanel` (WHM API token, `Authorization: whm USER:TOKEN`), `directadmin` (Login Key, HTTP Basic) or `linux` (JetBackup token, `Authorization: Bearer USER:TOKEN`)." },
    Setting { name: "username", env: "JETBACKUP_USERNAME", attr_type: || AttributeType::String, sensitive: false, default: "root", doc: "The user the API token belongs to." },
    Setting { name: "api_token", env: "JETBACKUP_API_TOKEN", attr_type: || AttributeType::String, sensitive: true, default: "", doc: "The API token (WHM API token, DirectAdmin Login Key, or JetBackup Linux token). Sensitive: prefer the environment variable so it stays out of configuration files. Required for the `http` transport." },
    Setting { name: "insecure", env: "JETBACKUP_INSECURE", attr_type: || AttributeType::Bool, sensitive: false, default: "false", doc: "Skip TLS certificate verification. Prefer `ca_cert_pem` for a self-signed panel certificate." },
    Setting { name: "ca_cert_pem", env: "JETBACKUP_CA_CERT_PEM", attr_type: || AttributeType::String, sensitive: false, default: "", doc: "PEM certificate(s) to trust in addition to the usual roots (the system's on Linux and Windows, Mozilla's bundled roots on macOS), e.g. the panel's self-signed certificate (`file(\"panel.pem\")`)." },
    Setting { name: "timeout_seconds", env: "JETBACKUP_TIMEOUT_SECONDS", attr_type: || AttributeType::Number, sensitive: false, default: "60", doc: "Time limit for one attempt of an API call, in seconds. A call whose attempt times out is tried at most twice, so a server that never answers fails after about twice this." },
    Setting { name: "transport", env: "JETBACKUP_TRANSPORT", attr_type: || AttributeType::String, sensitive: false, default: "http", doc: "`http` to call the panel's API over HTTPS, or `cli` to run `jetbackup5api` locally (Terraform running as root on the JetBackup server itself)." },
    Setting { name: "cli_path", env: "JETBACKUP_CLI_PATH", attr_type: || AttributeType::String, sensitive: false, default: "jetbackup5api", doc: "The `jetbackup5api` command for the `cli` transport." },
    Setting { name: "max_retries", env: "JETBACKUP_MAX_RETRIES", attr_type: || AttributeType::Number, sensitive: false, default: "3", doc: "How many times a call that is safe to repeat (read, list, modify, delete) is retried after a connection error, a timeout, a reply cut short, HTTP 429/502/503/504, or a refusal that asks to retry later (`system.retry_ms`). The wait is the server's own delay when it gives one (capped at 30 s), else exponential backoff with jitter. A create is never re-sent blindly: after a lost reply the job it may have made is looked up first." },
    Setting { name: "max_concurrent_requests", env: "JETBACKUP_MAX_CONCURRENT_REQUESTS", attr_type: || AttributeType::Number, sensitive: false, default: "10", doc: "Most API calls in flight at once from one provider process, whatever Terraform's `-parallelism`. The default matches Terraform's default `-parallelism` (10), so the server never sees more than Terraform itself would ask for, and a refresh lists up to 1,000 jobs in two round trips (the first page, then the rest at once). Lower it to spare a busy production server; each step down makes large applies and refreshes wait longer." },
    Setting { name: "coalesce_reads", env: "JETBACKUP_COALESCE_READS", attr_type: || AttributeType::Bool, sensitive: false, default: "true", doc: "Answer the refresh of many jobs, schedules or account filters from one paged `list*` call per kind (`listBackupJobs`, `listSchedules`, `listAccountFilters`) instead of one `get*` each. An object missing from the list is confirmed with its `get*` before it is declared gone." },
    Setting { name: "allow_duplicate_names", env: "JETBACKUP_ALLOW_DUPLICATE_NAMES", attr_type: || AttributeType::Bool, sensitive: false, default: "false", doc: "Create a backup job, destination, schedule or account filter even when the server already has one of the same kind with the same name that this Terraform state does not manage. Off by default: such an object is most often one an interrupted apply created (Terraform was killed before it could record it), or the configuration is pointed at another server than the one it was applied to; creating it again would double it, so the create is refused with the existing object's ID and the `terraform import` command that adopts it. An object that differs in a setting that forces replacement (a destination's or filter's type) does not count: that is the old object a `create_before_destroy` replacement deletes next. Turn it on only if several objects of a kind are meant to share a name." },
];

pub fn schema() -> Schema {
    let attributes = SETTINGS
        .iter()
        .map(|s| {
            let default = if s.default.is_empty() {
                String::new()
            } else {
                format!(" Default: `{}`.", s.default)
            };
            (
                s.name.to_string(),
                Attribute {
                    sensitive: s.sensitive,
                    ..attr(
                        (s.attr_type)(),
                        AttributeConstraint::Optional,
                        format!("{}{default} Environment variable: `{}`.", s.doc, s.env),
                    )
                },
            )
        })
        .collect::<HashMap<_, _>>();
    schema_of(
        "Connects to a JetBackup 5 server over its API. Every setting can also come from a `JETBACKUP_*` environment variable.".into(),
        attributes,
    )
}

/// The row of a setting, looked up when the crate compiles: a name with no
/// row fails the build instead of falling back to another setting's row.
macro_rules! setting {
    ($name:literal) => {
        &SETTINGS[const { setting_index($name) }]
    };
}

const fn setting_index(name: &str) -> usize {
    let mut i = 0;
    while i < SETTINGS.len() {
        if same_str(SETTINGS[i].name, name) {
            return i;
        }
        i += 1;
    }
    panic!("no such provider setting")
}

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// How calls reach JetBackup: the `transport` setting's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransportKind {
    Http,
    Cli,
}

impl TransportKind {
    const ALL: [TransportKind; 2] = [TransportKind::Http, TransportKind::Cli];

    const fn label(self) -> &'static str {
        match self {
            TransportKind::Http => "http",
            TransportKind::Cli => "cli",
        }
    }

    fn from_label(s: &str) -> Option<TransportKind> {
        TransportKind::ALL.into_iter().find(|t| t.label() == s)
    }
}

/// The values `transport` accepts.
const TRANSPORTS: &[&str] = &[TransportKind::Http.label(), TransportKind::Cli.label()];

/// Reports `value` unless it is one of `allowed`; `who` names where it came
/// from (`panel`, or `panel (or JETBACKUP_PANEL)` once the environment counts).
fn check_allowed(
    diags: &mut Diagnostics,
    s: &Setting,
    who: &str,
    value: &str,
    allowed: &[&str],
) -> bool {
    if allowed.contains(&value) {
        return true;
    }
    let list = allowed
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    diags.error(
        format!("Invalid {}", s.name),
        format!("{who} is {value:?}; allowed values: {list}."),
        AttributePath::new(s.name),
    );
    false
}

/// A setting's value from configuration, else its environment variable.
/// `Err(())` after reporting an unknown value.
fn resolve(
    diags: &mut Diagnostics,
    s: &Setting,
    value: Value<String>,
) -> Result<Option<String>, ()> {
    let name = s.name;
    match value {
        Value::Value(v) => Ok(Some(v)),
        Value::Unknown => {
            diags.error(
                format!("Unknown value for {name}"),
                format!(
                    "The provider cannot be configured with a value that is only known after apply. Set {name} statically, apply the resource it depends on first (-target), or set the {} environment variable.",
                    s.env
                ),
                AttributePath::new(name.to_string()),
            );
            Err(())
        }
        Value::Null => Ok(std::env::var(s.env).ok().filter(|v| !v.is_empty())),
    }
}

fn to_string_value<T: ToString>(v: Value<T>) -> Value<String> {
    v.map(|v| v.to_string())
}

/// Parses a number or boolean setting; the message names the attribute and variable.
fn parse_setting<T: std::str::FromStr>(
    diags: &mut Diagnostics,
    s: &Setting,
    raw: Option<String>,
    what: &str,
) -> Option<T> {
    let name = s.name;
    let raw = raw.unwrap_or_else(|| s.default.to_string());
    match raw.trim().parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            diags.error(
                format!("Invalid {name}"),
                format!("{name} (or {}) is {raw:?}; it must be {what}.", s.env),
                AttributePath::new(name.to_string()),
            );
            None
        }
    }
}

/// Plan-time checks of values written in configuration.
pub fn validate(diags: &mut Diagnostics, config: &ProviderConfig) {
    if let Value::Value(panel) = &config.panel {
        check_allowed(diags, setting!("panel"), "panel", panel, Panel::LABELS);
    }
    if let Value::Value(t) = &config.transport {
        check_allowed(diags, setting!("transport"), "transport", t, TRANSPORTS);
    }
    if let Value::Value(e) = &config.endpoint {
        if !(e.starts_with("https://") || e.starts_with("http://")) {
            diags.error("Invalid endpoint", format!("endpoint is {e:?}; it must be a URL starting with https:// (e.g. \"https://server.example.com:2087\")."), AttributePath::new("endpoint"));
        } else if let Some(problem) = endpoint_not_ascii(e) {
            diags.error("Invalid endpoint", problem, AttributePath::new("endpoint"));
        }
    }
    for (name, v, min) in [
        ("timeout_seconds", &config.timeout_seconds, 1),
        ("max_retries", &config.max_retries, 0),
        (
            "max_concurrent_requests",
            &config.max_concurrent_requests,
            1,
        ),
    ] {
        if let Value::Value(n) = v {
            if *n < min {
                diags.error(
                    format!("Invalid {name}"),
                    format!("{name} is {n}; it must be {min} or more."),
                    AttributePath::new(name),
                );
            }
        }
    }
}

/// What `configure` produces.
pub struct Configured {
    pub client: Client,
    pub coalesce_reads: bool,
    pub allow_duplicate_names: bool,
    /// The server the client talks to, as recorded with each object
    /// ([`super::location`]).
    pub server: String,
}

/// Resolves the configuration and builds the client. Errors go to `diags`.
pub fn configure(diags: &mut Diagnostics, config: ProviderConfig) -> Option<Configured> {
    let endpoint = resolve(diags, setting!("endpoint"), config.endpoint);
    let panel = resolve(diags, setting!("panel"), config.panel);
    let username = resolve(diags, setting!("username"), config.username);
    let token = resolve(diags, setting!("api_token"), config.api_token);
    let insecure = resolve(
        diags,
        setting!("insecure"),
        to_string_value(config.insecure),
    );
    let ca = resolve(diags, setting!("ca_cert_pem"), config.ca_cert_pem);
    let timeout = resolve(
        diags,
        setting!("timeout_seconds"),
        to_string_value(config.timeout_seconds),
    );
    let transport = resolve(diags, setting!("transport"), config.transport);
    let cli_path = resolve(diags, setting!("cli_path"), config.cli_path);
    let retries = resolve(
        diags,
        setting!("max_retries"),
        to_string_value(config.max_retries),
    );
    let concurrency = resolve(
        diags,
        setting!("max_concurrent_requests"),
        to_string_value(config.max_concurrent_requests),
    );
    let coalesce = resolve(
        diags,
        setting!("coalesce_reads"),
        to_string_value(config.coalesce_reads),
    );
    let duplicates = resolve(
        diags,
        setting!("allow_duplicate_names"),
        to_string_value(config.allow_duplicate_names),
    );
    let (
        Ok(duplicates),
        Ok(endpoint),
        Ok(panel),
        Ok(username),
        Ok(token),
        Ok(insecure),
        Ok(ca),
        Ok(timeout),
        Ok(transport),
        Ok(cli_path),
        Ok(retries),
        Ok(concurrency),
        Ok(coalesce),
    ) = (
        duplicates,
        endpoint,
        panel,
        username,
        token,
        insecure,
        ca,
        timeout,
        transport,
        cli_path,
        retries,
        concurrency,
        coalesce,
    )
    else {
        return None;
    };

    let insecure: bool = parse_setting(diags, setting!("insecure"), insecure, "true or false")?;
    let timeout: u64 = parse_setting(
        diags,
        setting!("timeout_seconds"),
        timeout,
        "a whole number of seconds, 1 or more",
    )?;
    let max_retries: u32 = parse_setting(
        diags,
        setting!("max_retries"),
        retries,
        "a whole number, 0 or more",
    )?;
    let max_concurrent: usize = parse_setting(
        diags,
        setting!("max_concurrent_requests"),
        concurrency,
        "a whole number, 1 or more",
    )?;
    let coalesce_reads: bool =
        parse_setting(diags, setting!("coalesce_reads"), coalesce, "true or false")?;
    let allow_duplicate_names: bool = parse_setting(
        diags,
        setting!("allow_duplicate_names"),
        duplicates,
        "true or false",
    )?;
    if timeout == 0 || max_concurrent == 0 {
        diags.root_error(
            "Invalid provider setting",
            "timeout_seconds and max_concurrent_requests must be 1 or more.",
        );
        return None;
    }
    let timeout = Duration::from_secs(timeout);
    let panel_setting = setting!("panel");
    let panel_label = panel.unwrap_or_else(|| panel_setting.default.to_string());
    let who = format!("panel (or {})", panel_setting.env);
    if !check_allowed(diags, panel_setting, &who, &panel_label, Panel::LABELS) {
        return None;
    }
    let panel = Panel::from_label(&panel_label)?;

    let transport_setting = setting!("transport");
    let transport_name = transport.unwrap_or_else(|| transport_setting.default.to_string());
    let who = format!("transport (or {})", transport_setting.env);
    if !check_allowed(diags, transport_setting, &who, &transport_name, TRANSPORTS) {
        return None;
    }
    let kind = TransportKind::from_label(&transport_name)?;
    let cli_path = cli_path.unwrap_or_else(|| setting!("cli_path").default.to_string());
    let server = match kind {
        TransportKind::Cli => location::server_of(None, Some(&cli_path)),
        TransportKind::Http => location::server_of(endpoint.as_deref(), None),
    };
    let transport: Arc<dyn Transport> = match kind {
        TransportKind::Cli => Arc::new(CliTransport::new(cli_path, timeout)),
        TransportKind::Http => {
            let mut missing = false;
            for (s, v) in [
                (setting!("endpoint"), &endpoint),
                (setting!("api_token"), &token),
            ] {
                let name = s.name;
                if v.is_none() {
                    diags.error(
                        format!("Missing {name}"),
                        format!("The JetBackup provider needs {name}: set it in the provider block or through the {} environment variable.", s.env),
                        AttributePath::new(name),
                    );
                    missing = true;
                }
            }
            if missing {
                return None;
            }
            if let Some(detail) = endpoint.as_deref().and_then(clear_text_to_another_host) {
                diags.warning(
                    "The API token travels in clear text",
                    detail,
                    AttributePath::new("endpoint"),
                );
            }
            let http = HttpTransport::new(HttpConfig {
                endpoint: endpoint.unwrap_or_default(),
                panel,
                username: username.unwrap_or_else(|| setting!("username").default.to_string()),
                token: token.unwrap_or_default(),
                insecure,
                ca_cert_pem: ca,
                timeout,
            });
            match http {
                Ok(t) => Arc::new(t),
                Err(e) => {
                    diags.root_error("Invalid JetBackup connection settings", e);
                    return None;
                }
            }
        }
    };
    let options = ClientOptions {
        max_retries,
        max_concurrent_requests: max_concurrent,
        ..ClientOptions::default()
    };
    Some(Configured {
        // Answers Terraform's stop request (see `crate::api::stop`).
        client: Client::new(transport, options).with_stop(StopSignal::process()),
        coalesce_reads,
        allow_duplicate_names,
        server,
    })
}

/// Why a plain `http://` endpoint to a host other than this machine is
/// unsafe, or `None` (https, or loopback: the traffic never leaves the
/// machine). Only the scheme, host and port are quoted, never user info.
fn clear_text_to_another_host(endpoint: &str) -> Option<String> {
    let url = reqwest::Url::parse(endpoint.trim()).ok()?;
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => {
            let name = bare.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    if loopback {
        return None;
    }
    let port = url.port().map_or_else(String::new, |p| format!(":{p}"));
    Some(format!(
        "endpoint is http://{host}{port}: plain HTTP to another machine. The API token (in the Authorization header) and every parameter sent, destination keys and passwords included, cross the network unencrypted: anyone on the path can read them or answer in the panel's place. Use https:// (the panel's own port, e.g. 2087 for WHM, with ca_cert_pem for a self-signed certificate); keep http:// only on a network you trust, and rotate the token if it was used over one you do not."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_transport_label_names_its_kind() {
        for t in TransportKind::ALL {
            assert_eq!(TransportKind::from_label(t.label()), Some(t));
            assert!(TRANSPORTS.contains(&t.label()));
        }
        assert_eq!(TRANSPORTS.len(), TransportKind::ALL.len());
        assert_eq!(TransportKind::from_label("ssh"), None);
    }

    #[test]
    fn a_non_ascii_endpoint_fails_at_plan_with_its_ascii_form() {
        let mut diags = Diagnostics::default();
        let config = ProviderConfig {
            endpoint: Value::Value("https://bücher.example:2087".into()),
            ..ProviderConfig::default()
        };
        validate(&mut diags, &config);
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("endpoint"));
        assert!(diags.errors[0].detail.contains("xn--bcher-kva"));
    }

    #[test]
    fn plain_http_to_another_host_warns_on_endpoint_and_loopback_does_not() {
        let configured = |endpoint: &str| {
            let mut diags = Diagnostics::default();
            let config = ProviderConfig {
                endpoint: Value::Value(endpoint.into()),
                api_token: Value::Value("secret-token-value".into()),
                ..ProviderConfig::default()
            };
            let ok = configure(&mut diags, config).is_some();
            assert!(
                ok && diags.errors.is_empty(),
                "{endpoint}: {:?}",
                diags.errors
            );
            diags.warnings
        };
        for remote in [
            "http://203.0.113.5:2087",
            "http://panel.example.com",
            "http://user:pw@[2001:db8::1]:2222/",
        ] {
            let warnings = configured(remote);
            assert_eq!(warnings.len(), 1, "{remote}");
            assert_eq!(warnings[0].attribute, AttributePath::new("endpoint"));
            let detail = &warnings[0].detail;
            assert!(
                detail.contains("unencrypted") && detail.contains("https://"),
                "{detail}"
            );
            assert!(
                !detail.contains("secret-token-value") && !detail.contains("pw@"),
                "{detail}"
            );
        }
        for local in [
            "http://127.0.0.1:2087",
            "http://127.8.9.10",
            "http://localhost:2222",
            "http://LOCALHOST.",
            "http://[::1]:3035",
            "https://panel.example.com:2087",
        ] {
            assert!(configured(local).is_empty(), "{local}");
        }
    }

    #[test]
    fn documented_defaults_are_the_clients() {
        let client = ClientOptions::default();
        assert_eq!(
            setting!("max_concurrent_requests").default,
            client.max_concurrent_requests.to_string()
        );
        assert_eq!(
            setting!("max_retries").default,
            client.max_retries.to_string()
        );
    }
}
